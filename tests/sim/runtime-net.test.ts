import { describe, expect, it } from 'vitest';
import { build, clientConnect, ms, run, sec, serverSteps } from './build-scenario.ts';

function withFault(fault: Parameters<typeof build>[0]['faults']) {
  return build({
    until: sec(30),
    link: { hops: 3 },
    script: [
      ...serverSteps(0),
      ...clientConnect(ms(10)),
      { at: ms(100), host: 'client', call: 'send', fd: 'C', data: 'payload' },
    ],
    faults: fault ?? [],
  });
}

describe('network', () => {
  it('routers subtract one TTL each: 64 − hops', () => {
    const { events } = run(withFault([]), sec(1));
    const r = events.find((e) => e.type === 'seg-recv');
    expect(r?.type === 'seg-recv' && r.seg.ttl).toBe(61);
  });
  it('a segment sent around a routing loop arrives late with a lower TTL, or dies when TTL runs out', () => {
    const late = run(
      withFault([
        { kind: 'loop', match: { from: 'client', hasData: true, nth: 1 }, hops: 20, perHop: ms(100) },
      ]),
      sec(5),
    ).events;
    const arrivals = late.filter(
      (e) => e.type === 'seg-recv' && e.host === 'server' && e.seg.data === 'payload',
    );
    // The retransmission (RTO ≈ 210 ms) arrives first; the looped original 2 s late with TTL 64 − 3 − 20.
    expect(arrivals.map((e) => (e.type === 'seg-recv' ? e.seg.ttl : 0))).toEqual([61, 41]);
    expect(arrivals[1]?.t).toBe(ms(100) + ms(5) + sec(2));
    const dead = run(
      withFault([
        { kind: 'loop', match: { from: 'client', hasData: true, nth: 1 }, hops: 100, perHop: ms(10) },
      ]),
      sec(5),
    ).events;
    expect(dead.some((e) => e.type === 'seg-drop' && e.reason === 'ttl')).toBe(true);
  });
  it('delay and drop faults hit the nth matching segment only', () => {
    const { events } = run(
      withFault([
        { kind: 'drop', match: { from: 'client', hasData: true, nth: 1 } },
        { kind: 'delay', match: { from: 'client', hasData: true, nth: 2 }, by: sec(1) },
      ]),
      sec(5),
    );
    const sends = events.filter((e) => e.type === 'seg-send' && e.host === 'client' && e.seg.data !== '');
    const recvs = events.filter((e) => e.type === 'seg-recv' && e.host === 'server' && e.seg.data !== '');
    // Original dropped; first retransmission delayed by 1 s; the second retransmission overtakes it.
    expect(sends.length).toBe(3);
    expect(recvs.length).toBe(2);
    expect(recvs.map((r) => r.t)).toContain((sends[1]?.t ?? 0) + sec(1) + ms(5));
    expect(recvs.map((r) => r.t)).toContain((sends[2]?.t ?? 0) + ms(5));
    expect(events.some((e) => e.type === 'seg-drop' && e.reason === 'fault')).toBe(true);
  });
  it('a lossy link still delivers every byte in order', () => {
    const s = build({
      seed: 3,
      until: sec(120),
      link: { loss: 0.2, jitter: ms(2), reorder: 0.1, duplicate: 0.1 },
      script: [
        ...serverSteps(0),
        ...clientConnect(ms(10)),
        { at: ms(100), host: 'client', call: 'send', fd: 'C', data: 'abcdefghij'.repeat(1000) },
      ],
    });
    const { sim } = run(s);
    expect(sim.received('server', 'S')).toBe('abcdefghij'.repeat(1000));
  });
  it('bandwidth adds serialisation delay', () => {
    const s = build({
      link: { bandwidth: 1_000_000 },
      script: [
        ...serverSteps(0),
        ...clientConnect(ms(10)),
        { at: sec(1), host: 'client', call: 'send', fd: 'C', data: 'x'.repeat(1000) },
      ],
    });
    const { events } = run(s, sec(2));
    const r = events.find((e) => e.type === 'seg-recv' && e.seg.data.length === 1000);
    // (1000 + 40 + 12) bytes · 8 / 1 Mbit/s = 8,416 µs on top of 5 ms.
    expect(r?.t).toBe(sec(1) + ms(5) + 8416);
  });
});
