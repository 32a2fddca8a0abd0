// observeWith() on a stand-in runtime: which instants it snapshots and what it collects.
import '../../src/sim/load.ts';
import { describe, expect, it } from 'vitest';
import { observeWith } from '../../src/sim/observation.ts';
import { parseScenario } from '../../src/sim/scenario.ts';
import type { CallRecord, Scenario, SimEvent, Simulation, SimulationOptions } from '../../src/sim/types.ts';

function fake(scenario: Scenario, options?: SimulationOptions): Simulation & { ranTo: number[] } {
  let now = 0;
  const ranTo: number[] = [];
  const calls: CallRecord[] = [];
  return {
    scenario,
    ranTo,
    get now() {
      return now;
    },
    runUntil(t = scenario.until) {
      ranTo.push(t);
      for (const step of scenario.script) {
        if (step.at <= t && !calls.some((c) => c.step === step.index)) {
          calls.push({
            step: step.index,
            host: step.host,
            call: step.call,
            at: step.at,
            doneAt: step.at,
            result: '0',
          });
          const e: SimEvent = {
            t: step.at,
            type: 'call',
            host: step.host,
            record: calls[calls.length - 1] as CallRecord,
          };
          options?.onEvent?.(e);
        }
      }
      now = t;
    },
    step: () => false,
    sockets: (host) =>
      host === 'client' && now >= 1_000_000
        ? [{ local: '10.0.0.1:40000', remote: '10.0.0.2:80', state: 'TIME_WAIT', recvQ: 0, sendQ: 0 }]
        : [],
    counters: () => ({ TcpExtTW: now >= 2_000_000 ? 1 : 0 }),
    calls,
    received: (host, fd) => `${host}:${fd}`,
    samples: [],
    stats: { events: 0, segments: 0, connections: 0 },
  };
}

const scenario = parseScenario({
  until: '5s',
  hosts: { client: '10.0.0.1', server: '10.0.0.2' },
  script: [
    { at: 0, host: 'client', call: 'socket', as: 'c' },
    { at: '10ms', host: 'client', call: 'connect', fd: 'c', addr: '10.0.0.2:80' },
  ],
  snapshots: ['500ms', '3s'],
  expect: [
    { at: '1s', host: 'client', count: 'TIME_WAIT', equals: 1 },
    { at: '3s', host: 'client', socket: { remote: '10.0.0.2:80' }, state: 'TIME_WAIT' },
    { at: '2.5s', host: 'client', counter: 'TcpExtTW', equals: 1 },
    { at: 'end', host: 'client', counter: 'TcpExtTW', equals: 1 },
  ],
});

describe('observeWith', () => {
  it('snapshots every host at each instant, in order, then runs to the end', () => {
    let sim: ReturnType<typeof fake> | undefined;
    const r = observeWith((s, o) => {
      sim = fake(s, o);
      return sim;
    }, scenario);
    expect(sim?.ranTo).toEqual([0, 500_000, 1_000_000, 2_500_000, 3_000_000, 5_000_000].slice(1));
    expect(r.observation.snapshots.map((s) => `${s.host}@${s.at}:${s.sockets.length}`)).toEqual([
      'client@500000:0',
      'server@500000:0',
      'client@1000000:1',
      'server@1000000:0',
      'client@3000000:1',
      'server@3000000:0',
    ]);
    expect(r.observation.counterSnapshots).toEqual([
      { at: 2_500_000, host: 'client', counters: { TcpExtTW: 1 } },
      { at: 2_500_000, host: 'server', counters: { TcpExtTW: 1 } },
    ]);
    // What recv() returned (no recv call here), not Simulation.received().
    expect(r.observation.received).toEqual({ 'client/c': '' });
    expect(r.observation.calls.map((c) => c.step)).toEqual([0, 1]);
    expect(r.events.map((e) => e.type)).toEqual(['call', 'call']);
  });

  it('honours seed and until overrides and can skip the event log', () => {
    let seen: Scenario | undefined;
    const r = observeWith(
      (s, o) => {
        seen = s;
        return fake(s, o);
      },
      scenario,
      { seed: 42, until: 2_000_000, events: false },
    );
    expect(seen?.seed).toBe(42);
    expect(seen?.until).toBe(2_000_000);
    expect(r.events).toEqual([]);
    expect(r.observation.snapshots.map((s) => s.at)).toEqual([500_000, 500_000, 1_000_000, 1_000_000]);
  });
});
