import { describe, expect, it } from 'vitest';
import type { Sysctls } from '../../src/sim/types.ts';
import { build, ms, run, type StepInput, sec } from './build-scenario.ts';

const RANGE: [number, number] = [50000, 50003];

/** n short connections from the client, one per second; who closes first decides where TIME_WAIT lands. */
function shortConnections(opts: {
  n: number;
  closer?: 'client' | 'server';
  dst?: (i: number) => { ip: string; port: number };
  clientSysctl?: Partial<Sysctls>;
  serverSysctl?: Partial<Sysctls>;
  at?: (i: number) => number;
  serverExtraIps?: string[];
}) {
  const closer = opts.closer ?? 'client';
  const other = closer === 'client' ? 'server' : 'client';
  const steps: StepInput[] = [];
  for (const port of [80, 81]) {
    steps.push(
      { at: 0, host: 'server', call: 'socket', as: `L${port}` },
      { at: 0, host: 'server', call: 'bind', fd: `L${port}`, addr: { ip: '0.0.0.0', port } },
      { at: 0, host: 'server', call: 'listen', fd: `L${port}`, backlog: 128 },
    );
  }
  for (let i = 0; i < opts.n; i++) {
    const t = opts.at ? opts.at(i) : sec(i);
    const dst = opts.dst ? opts.dst(i) : { ip: '10.0.0.2', port: 80 };
    const fd = (h: string) => (h === 'client' ? `C${i}` : `S${i}`);
    steps.push(
      { at: t, host: 'client', call: 'socket', as: `C${i}` },
      { at: t, host: 'client', call: 'connect', fd: `C${i}`, addr: dst },
      { at: t + ms(50), host: 'server', call: 'accept', fd: `L${dst.port}`, as: `S${i}` },
      { at: t + ms(100), host: closer, call: 'close', fd: fd(closer) },
      { at: t + ms(200), host: other, call: 'close', fd: fd(other) },
    );
  }
  return build({
    until: sec(200),
    hosts: {
      client: { ip: '10.0.0.1', sysctl: { 'net.ipv4.ip_local_port_range': RANGE, ...opts.clientSysctl } },
      server: { ip: '10.0.0.2', extraIps: opts.serverExtraIps ?? [], sysctl: opts.serverSysctl ?? {} },
    },
    script: steps,
  });
}

function connects(sim: ReturnType<typeof run>['sim']) {
  return sim.calls.filter((c) => c.call === 'connect');
}

describe('ephemeral ports and exhaustion (4-port range)', () => {
  it('connect() takes even ports first, then odd; the 5th connect within 60 s fails with EADDRNOTAVAIL', () => {
    const { sim } = run(shortConnections({ n: 5 }), sec(10));
    const c = connects(sim);
    expect(c.slice(0, 4).map((r) => r.result)).toEqual(['0', '0', '0', '0']);
    expect(c[4]?.result).toBe('EADDRNOTAVAIL');
    const ports = c.slice(0, 4).map((r) => r.port ?? 0);
    expect(new Set(ports)).toEqual(new Set([50000, 50001, 50002, 50003]));
    expect(ports.slice(0, 2).every((p) => p % 2 === 0)).toBe(true);
    expect(sim.sockets('client').filter((r) => r.state === 'TIME_WAIT').length).toBe(4);
  });

  it('the same ports work again once TIME_WAIT has expired (60 s)', () => {
    const { sim } = run(shortConnections({ n: 6, at: (i) => (i < 4 ? sec(i) : sec(62 + i)) }), sec(80));
    expect(connects(sim).map((r) => r.result)).toEqual(['0', '0', '0', '0', '0', '0']);
  });

  it('relieved by a second destination port or address (the 4-tuple rule)', () => {
    const port = run(
      shortConnections({ n: 8, dst: (i) => ({ ip: '10.0.0.2', port: i < 4 ? 80 : 81 }) }),
      sec(10),
    ).sim;
    expect(connects(port).every((r) => r.result === '0')).toBe(true);
    const addr = run(
      shortConnections({
        n: 8,
        serverExtraIps: ['10.0.0.3'],
        dst: (i) => ({ ip: i < 4 ? '10.0.0.2' : '10.0.0.3', port: 80 }),
      }),
      sec(10),
    ).sim;
    expect(connects(addr).every((r) => r.result === '0')).toBe(true);
    // The same local ports serve both destinations.
    expect(new Set(connects(addr).map((r) => r.port)).size).toBe(4);
  });

  it('relieved by letting the server close first (TIME_WAIT moves to the server)', () => {
    const { sim } = run(shortConnections({ n: 8, closer: 'server' }), sec(10));
    expect(connects(sim).every((r) => r.result === '0')).toBe(true);
    expect(sim.sockets('client').some((r) => r.state === 'TIME_WAIT')).toBe(false);
    // Fewer than 8: a new SYN from a reused client port takes over the server's entry (TCP_TW_SYN).
    const tw = sim.sockets('server').filter((r) => r.state === 'TIME_WAIT').length;
    expect(tw).toBeGreaterThan(0);
    expect(tw).toBeLessThanOrEqual(4);
  });

  it('tcp_tw_reuse = 1 with timestamps reuses a TIME_WAIT entry older than tcp_tw_reuse_delay', () => {
    const { sim } = run(shortConnections({ n: 6, clientSysctl: { 'net.ipv4.tcp_tw_reuse': 1 } }), sec(10));
    expect(connects(sim).every((r) => r.result === '0')).toBe(true);
    // At least the 5th and 6th connect took over an entry (the port search may meet old ones earlier).
    expect(sim.counters('client').TcpExtTWRecycled).toBeGreaterThanOrEqual(2);
  });

  it('tcp_tw_reuse = 1 does nothing without timestamps', () => {
    const { sim } = run(
      shortConnections({
        n: 5,
        clientSysctl: { 'net.ipv4.tcp_tw_reuse': 1, 'net.ipv4.tcp_timestamps': 0 },
      }),
      sec(10),
    );
    expect(connects(sim)[4]?.result).toBe('EADDRNOTAVAIL');
    expect(sim.counters('client').TcpExtTWRecycled).toBe(0);
  });

  it('tcp_tw_reuse = 1 waits for tcp_tw_reuse_delay', () => {
    const sysctl = { 'net.ipv4.tcp_tw_reuse': 1 as const, 'net.ipv4.tcp_tw_reuse_delay': 10_000 };
    const early = run(shortConnections({ n: 5, clientSysctl: sysctl }), sec(10)).sim;
    expect(connects(early)[4]?.result).toBe('EADDRNOTAVAIL');
    const late = run(
      shortConnections({ n: 5, clientSysctl: sysctl, at: (i) => (i < 4 ? sec(i) : sec(11)) }),
      sec(15),
    ).sim;
    expect(connects(late)[4]?.result).toBe('0');
  });

  it('tcp_tw_reuse = 2 (the default) applies only to loopback', () => {
    const remote = run(shortConnections({ n: 5, clientSysctl: { 'net.ipv4.tcp_tw_reuse': 2 } }), sec(10)).sim;
    expect(connects(remote)[4]?.result).toBe('EADDRNOTAVAIL');
    const steps: StepInput[] = [
      { at: 0, host: 'box', call: 'socket', as: 'L' },
      { at: 0, host: 'box', call: 'bind', fd: 'L', addr: { ip: '0.0.0.0', port: 80 } },
      { at: 0, host: 'box', call: 'listen', fd: 'L', backlog: 128 },
    ];
    for (let i = 0; i < 6; i++) {
      const t = sec(2 * i);
      steps.push(
        { at: t, host: 'box', call: 'socket', as: `C${i}` },
        { at: t, host: 'box', call: 'connect', fd: `C${i}`, addr: { ip: '127.0.0.1', port: 80 } },
        { at: t + ms(50), host: 'box', call: 'accept', fd: 'L', as: `S${i}` },
        { at: t + ms(100), host: 'box', call: 'close', fd: `C${i}` },
        { at: t + ms(200), host: 'box', call: 'close', fd: `S${i}` },
      );
    }
    const lo = run(
      build({
        hosts: { box: { ip: '10.0.0.9', sysctl: { 'net.ipv4.ip_local_port_range': RANGE } } },
        script: steps,
      }),
      sec(15),
    ).sim;
    expect(connects(lo).every((r) => r.result === '0')).toBe(true);
    expect(lo.counters('box').TcpExtTWRecycled).toBeGreaterThanOrEqual(2);
  });

  it('bind(ip, 0) takes odd ports first and fails with EADDRINUSE when the range is used up', () => {
    const steps: StepInput[] = [];
    for (let i = 0; i < 5; i++)
      steps.push(
        { at: 0, host: 'client', call: 'socket', as: `B${i}` },
        { at: 0, host: 'client', call: 'bind', fd: `B${i}`, addr: { ip: '10.0.0.1', port: 0 } },
      );
    const { sim } = run(
      build({
        hosts: { client: { ip: '10.0.0.1', sysctl: { 'net.ipv4.ip_local_port_range': RANGE } } },
        script: steps,
      }),
      sec(1),
    );
    const binds = sim.calls.filter((c) => c.call === 'bind');
    expect(binds.map((b) => b.result)).toEqual(['0', '0', '0', '0', 'EADDRINUSE']);
    expect(binds.slice(0, 2).every((b) => (b.port ?? 0) % 2 === 1)).toBe(true);
  });
});

/** A server on :80 whose old socket is in `holder` state when a new socket binds :80 again. */
function rebind(
  holder: 'LISTEN' | 'TIME_WAIT' | 'ESTABLISHED',
  oldFlag: boolean,
  newFlag: boolean,
  opt = 'SO_REUSEADDR',
) {
  const option = opt as 'SO_REUSEADDR' | 'SO_REUSEPORT';
  const steps: StepInput[] = [{ at: 0, host: 'server', call: 'socket', as: 'L' }];
  if (oldFlag) steps.push({ at: 0, host: 'server', call: 'setsockopt', fd: 'L', option, value: 1 });
  steps.push(
    { at: 0, host: 'server', call: 'bind', fd: 'L', addr: { ip: '0.0.0.0', port: 80 } },
    { at: 0, host: 'server', call: 'listen', fd: 'L', backlog: 16 },
  );
  if (holder !== 'LISTEN') {
    steps.push(
      { at: ms(10), host: 'client', call: 'socket', as: 'C' },
      { at: ms(10), host: 'client', call: 'connect', fd: 'C', addr: { ip: '10.0.0.2', port: 80 } },
      { at: ms(100), host: 'server', call: 'accept', fd: 'L', as: 'S' },
    );
    if (holder === 'TIME_WAIT') {
      steps.push(
        { at: ms(200), host: 'server', call: 'close', fd: 'S' },
        { at: ms(300), host: 'client', call: 'close', fd: 'C' },
      );
    }
    steps.push({ at: ms(500), host: 'server', call: 'close', fd: 'L' });
  }
  steps.push({ at: sec(1), host: 'server', call: 'socket', as: 'N' });
  if (newFlag) steps.push({ at: sec(1), host: 'server', call: 'setsockopt', fd: 'N', option, value: 1 });
  steps.push({ at: sec(1), host: 'server', call: 'bind', fd: 'N', addr: { ip: '0.0.0.0', port: 80 } });
  const { sim } = run(build({ script: steps }), sec(2));
  const states = sim.sockets('server').map((r) => r.state);
  if (holder === 'LISTEN') expect(states).toContain('LISTEN');
  else expect(states).toContain(holder);
  return sim.calls.filter((c) => c.call === 'bind').at(-1)?.result;
}

describe('SO_REUSEADDR rebind matrix (inet_bind_conflict)', () => {
  for (const holder of ['LISTEN', 'TIME_WAIT', 'ESTABLISHED'] as const) {
    for (const [o, n] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const ok = o && n && holder !== 'LISTEN';
      it(`${holder} holder, flag on old ${o}, new ${n}: ${ok ? 'bind succeeds' : 'EADDRINUSE'}`, () => {
        expect(rebind(holder, o, n)).toBe(ok ? '0' : 'EADDRINUSE');
      });
    }
  }
  it('SO_REUSEPORT on both sockets shares even a listening port', () => {
    expect(rebind('LISTEN', true, true, 'SO_REUSEPORT')).toBe('0');
    expect(rebind('LISTEN', true, false, 'SO_REUSEPORT')).toBe('EADDRINUSE');
  });
});
