import '../../src/sim/load.ts';
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../src/sim/simulation.ts';
import {
  build,
  clientConnect,
  ms,
  run,
  sec,
  sent,
  serverSteps,
  statesAt,
  transitions,
} from './build-scenario.ts';

function closeScenario(first: 'client' | 'server') {
  const second = first === 'client' ? 'server' : 'client';
  const fd = (h: string) => (h === 'client' ? 'C' : 'S');
  return build({
    until: sec(130),
    script: [
      ...serverSteps(0),
      ...clientConnect(ms(10)),
      { at: ms(100), host: 'client', call: 'send', fd: 'C', data: 'hello' },
      { at: ms(200), host: 'server', call: 'recv', fd: 'S' },
      { at: sec(1), host: first, call: 'close', fd: fd(first) },
      { at: sec(1.5), host: second, call: 'recv', fd: fd(second) },
      { at: sec(2), host: second, call: 'close', fd: fd(second) },
    ],
  });
}

describe('normal close', () => {
  for (const first of ['client', 'server'] as const) {
    const second = first === 'client' ? 'server' : 'client';
    it(`${first} closes first: TIME_WAIT only on the active closer, for exactly 60 s`, () => {
      const s = closeScenario(first);
      const events: import('../../src/sim/types.ts').SimEvent[] = [];
      const sim = createSimulation(s, { onEvent: (e) => events.push(e) });
      sim.runUntil(sec(1.5));
      expect(sim.calls.find((c) => c.call === 'recv' && c.host === second && c.at === sec(1.5))?.data).toBe(
        '',
      );
      sim.runUntil(sec(3));
      expect(statesAt(sim, first)).toContain('TIME_WAIT');
      expect(statesAt(sim, second)).not.toContain('TIME_WAIT');
      const active = transitions(events, first).filter(
        (t) => !t.startsWith('CLOSED>') && !t.includes('LISTEN>L'),
      );
      expect(active).toEqual(
        expect.arrayContaining(['ESTABLISHED>FIN_WAIT_1', 'FIN_WAIT_1>FIN_WAIT_2', 'FIN_WAIT_2>TIME_WAIT']),
      );
      expect(transitions(events, second)).toEqual(
        expect.arrayContaining(['ESTABLISHED>CLOSE_WAIT', 'CLOSE_WAIT>LAST_ACK', 'LAST_ACK>CLOSED']),
      );
      // TIME_WAIT began when the peer's FIN arrived: 2 s + 5 ms.
      const twStart = events.find((e) => e.type === 'state' && e.to === 'TIME_WAIT')?.t ?? -1;
      expect(twStart).toBe(sec(2) + ms(5));
      sim.runUntil(twStart + sec(60) - 1);
      expect(statesAt(sim, first)).toContain('TIME_WAIT');
      sim.runUntil(twStart + sec(60));
      expect(statesAt(sim, first)).not.toContain('TIME_WAIT');
      expect(sim.counters(first).TcpExtTW).toBe(1);
      expect(sim.received('server', 'S')).toBe('hello');
    });
  }

  it('simultaneous close: both sides pass CLOSING and end in TIME_WAIT', () => {
    const s = build({
      script: [
        ...serverSteps(0),
        ...clientConnect(ms(10)),
        { at: sec(1), host: 'client', call: 'close', fd: 'C' },
        { at: sec(1), host: 'server', call: 'close', fd: 'S' },
      ],
    });
    const { sim, events } = run(s, sec(2));
    for (const h of ['client', 'server']) {
      expect(transitions(events, h)).toEqual(
        expect.arrayContaining(['ESTABLISHED>FIN_WAIT_1', 'FIN_WAIT_1>CLOSING', 'CLOSING>TIME_WAIT']),
      );
      expect(statesAt(sim, h)).toContain('TIME_WAIT');
    }
  });

  it('a FIN that also acknowledges our FIN takes FIN_WAIT_1 straight to TIME_WAIT (via FIN_WAIT_2)', () => {
    // The server has received data, so the ACK of the client's FIN waits 40 ms (ato = TCP_ATO_MIN); it
    // closes 20 ms after the FIN arrives, so its FIN carries that ACK.
    const s = build({
      script: [
        ...serverSteps(0),
        ...clientConnect(ms(10)),
        { at: ms(100), host: 'client', call: 'send', fd: 'C', data: 'hi' },
        { at: ms(200), host: 'server', call: 'recv', fd: 'S' },
        { at: sec(1), host: 'client', call: 'close', fd: 'C' },
        { at: sec(1) + ms(20), host: 'server', call: 'close', fd: 'S' },
      ],
    });
    const { sim, events } = run(s, sec(2));
    expect(sent(events, 'server')).toContain('FA');
    // Exactly three segments for the close: FIN, FIN+ACK, ACK.
    const closeSegs = events.filter((e) => e.type === 'seg-send' && e.t >= sec(1));
    expect(closeSegs.map((e) => (e.type === 'seg-send' ? e.seg.flags : ''))).toEqual(['FA', 'FA', 'A']);
    expect(transitions(events, 'client')).toEqual(
      expect.arrayContaining(['ESTABLISHED>FIN_WAIT_1', 'FIN_WAIT_1>FIN_WAIT_2', 'FIN_WAIT_2>TIME_WAIT']),
    );
    expect(transitions(events, 'client')).not.toContain('FIN_WAIT_1>CLOSING');
    expect(statesAt(sim, 'client')).toEqual(['TIME_WAIT']);
  });
});
