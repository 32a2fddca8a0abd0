// connect()'s port search over a range big enough that ports.ts switches to the per-destination port
// bitmap: the walk must still be `__inet_hash_connect()`'s (even ports first, then odd, every port used
// once, EADDRNOTAVAIL after that), and cheap.

import { describe, expect, it } from 'vitest';
import { build, ms, run, type StepInput, sec } from './build-scenario.ts';

function manyConnects(n: number, range: [number, number], gap: number) {
  const steps: StepInput[] = [
    { at: 0, host: 'server', call: 'socket', as: 'L' },
    { at: 0, host: 'server', call: 'bind', fd: 'L', addr: { ip: '0.0.0.0', port: 80 } },
    { at: 0, host: 'server', call: 'listen', fd: 'L', backlog: 128 },
  ];
  for (let i = 0; i < n; i++) {
    const t = ms(1) + i * gap;
    steps.push(
      { at: t, host: 'client', call: 'socket', as: `C${i}` },
      { at: t, host: 'client', call: 'connect', fd: `C${i}`, addr: { ip: '10.0.0.2', port: 80 } },
      { at: t + ms(50), host: 'server', call: 'accept', fd: 'L', as: `S${i}` },
      { at: t + ms(100), host: 'client', call: 'close', fd: `C${i}` },
      { at: t + ms(200), host: 'server', call: 'close', fd: `S${i}` },
    );
  }
  return build({
    until: ms(1) + n * gap + sec(1),
    hosts: {
      client: { ip: '10.0.0.1', sysctl: { 'net.ipv4.ip_local_port_range': range } },
      server: { ip: '10.0.0.2' },
    },
    script: steps,
  });
}

describe('port search over a large range (bitmap walk)', () => {
  it('1,000 ports: 500 even ports, then 500 odd ones, each once; the 1,001st connect fails', () => {
    const { sim } = run(manyConnects(1001, [40000, 40999], ms(10)));
    const c = sim.calls.filter((r) => r.call === 'connect');
    expect(c.length).toBe(1001);
    const ok = c.filter((r) => r.result === '0').map((r) => r.port ?? -1);
    expect(ok.length).toBe(1000);
    expect(new Set(ok).size).toBe(1000);
    expect(ok.every((p) => p >= 40000 && p <= 40999)).toBe(true);
    expect(ok.slice(0, 500).every((p) => p % 2 === 0)).toBe(true);
    expect(ok.slice(500).every((p) => p % 2 === 1)).toBe(true);
    expect(c[1000]?.result).toBe('EADDRNOTAVAIL');
    expect(sim.sockets('client').filter((r) => r.state === 'TIME_WAIT').length).toBe(1000);
  });

  it('a range of odd length (999 ports): the walk can reach its last port', () => {
    const { sim } = run(manyConnects(1100, [40000, 40998], ms(10)));
    const ok = sim.calls.filter((r) => r.call === 'connect' && r.result === '0').map((r) => r.port ?? -1);
    expect(new Set(ok).size).toBe(ok.length);
    expect(ok.every((p) => p >= 40000 && p <= 40998)).toBe(true);
    // Each pass skips one index of the odd-length range, so not every one of the 999 ports can be won,
    // but never more than 999 and at least the 998 a pass can visit.
    expect(ok.length).toBeGreaterThanOrEqual(998);
    expect(ok.length).toBeLessThanOrEqual(999);
  });
});
