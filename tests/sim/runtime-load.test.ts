import '../../src/sim/load.ts';
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../src/sim/simulation.ts';
import type { LoadSpec, ProfileName, Sysctls } from '../../src/sim/types.ts';
import { build, clientConnect, ms, run, sec, serverSteps, statesAt } from './build-scenario.ts';

function load(over: Partial<LoadSpec>, clientSysctl: Partial<Sysctls> = {}) {
  const spec: LoadSpec = {
    client: 'client',
    server: 'server',
    dstIps: [],
    dstPorts: [80],
    srcIps: [],
    rate: 100,
    start: 0,
    duration: sec(2),
    requestBytes: 100,
    responseBytes: 1000,
    closer: 'client',
    requestsPerConnection: 1,
    pool: 0,
    sampleEvery: sec(1),
    ...over,
  };
  return build({
    until: sec(5),
    hosts: { client: { ip: '10.0.0.1', sysctl: clientSysctl }, server: { ip: '10.0.0.2' } },
    load: spec,
  });
}

describe('load generator', () => {
  it('opens evenly spaced connections; the closer gets the TIME_WAIT entries', () => {
    const sim = createSimulation(load({}));
    sim.runUntil(sec(3));
    expect(sim.stats.connections).toBe(200);
    expect(sim.sockets('client').filter((r) => r.state === 'TIME_WAIT').length).toBe(200);
    expect(sim.sockets('server').filter((r) => r.state === 'TIME_WAIT').length).toBe(0);
    const last = sim.samples.filter((x) => x.host === 'client').at(-1);
    expect(last?.timeWait).toBe(200);
    expect(last?.connects).toBe(200);
    expect(sim.samples.map((x) => x.t)).toContain(sec(2));
    const server = createSimulation(load({ closer: 'server' }));
    server.runUntil(sec(3));
    expect(server.sockets('server').filter((r) => r.state === 'TIME_WAIT').length).toBe(200);
    expect(server.sockets('client').filter((r) => r.state === 'TIME_WAIT').length).toBe(0);
  });

  it('keep-alive and pooling cut the number of connections', () => {
    const keep = createSimulation(load({ requestsPerConnection: 10 }));
    keep.runUntil(sec(3));
    // About 200 / 10; a request that finds every connection busy opens another one.
    expect(keep.stats.connections).toBeGreaterThanOrEqual(20);
    expect(keep.stats.connections).toBeLessThan(40);
    const pool = createSimulation(load({ requestsPerConnection: 1000, pool: 3, rate: 200 }));
    pool.runUntil(sec(3));
    expect(pool.stats.connections).toBeLessThanOrEqual(3);
    expect(pool.sockets('client').filter((r) => r.state === 'ESTABLISHED').length).toBe(
      pool.stats.connections,
    );
  });

  it('counts connect failures when the port range runs out', () => {
    const sim = createSimulation(load({ rate: 10 }, { 'net.ipv4.ip_local_port_range': [50000, 50003] }));
    sim.runUntil(sec(3));
    const last = sim.samples.filter((x) => x.host === 'client').at(-1);
    expect(last?.connects).toBe(20);
    expect(last?.connectFailures).toBe(16);
  });

  it('spreads connections over destination addresses and ports round robin', () => {
    const s = load({ dstPorts: [80, 81] });
    const sim = createSimulation(s);
    sim.runUntil(sec(3));
    const remotes = new Set(sim.sockets('client').map((r) => r.remote));
    expect(remotes).toEqual(new Set(['10.0.0.2:80', '10.0.0.2:81']));
  });
});

describe('profiles', () => {
  const lengths: [ProfileName, number][] = [
    ['linux', 60],
    ['linux-4.11', 60],
    ['rfc793', 240],
    ['freebsd', 60],
    ['macos', 30],
    ['windows', 120],
  ];
  for (const [profile, seconds] of lengths) {
    it(`${profile}: TIME_WAIT lasts ${seconds} s`, () => {
      const s = build({
        profile,
        until: sec(300),
        script: [
          ...serverSteps(0),
          ...clientConnect(ms(10)),
          { at: sec(1), host: 'client', call: 'close', fd: 'C' },
          { at: sec(1) + ms(20), host: 'server', call: 'close', fd: 'S' },
        ],
      });
      const { sim, events } = run(s, sec(2));
      const start = events.find((e) => e.type === 'state' && e.to === 'TIME_WAIT')?.t ?? 0;
      sim.runUntil(start + sec(seconds) - 1);
      expect(statesAt(sim, 'client')).toEqual(['TIME_WAIT']);
      sim.runUntil(start + sec(seconds));
      expect(statesAt(sim, 'client')).toEqual([]);
    });
  }
});
