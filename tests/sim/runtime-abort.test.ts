import { describe, expect, it } from 'vitest';
import type { SimEvent } from '../../src/sim/types.ts';
import { build, clientConnect, ms, run, sec, serverSteps, statesAt, transitions } from './build-scenario.ts';

const sentBytes = (events: SimEvent[], host: string) =>
  events.reduce((n, e) => n + (e.type === 'seg-send' && e.host === host ? e.seg.data.length : 0), 0);

describe('SO_LINGER {1, 0}', () => {
  it('close() sends RST, discards unsent data, skips TIME_WAIT; the peer reads buffered data, then ECONNRESET', () => {
    const s = build({
      script: [
        ...serverSteps(0),
        ...clientConnect(ms(10)),
        {
          at: ms(50),
          host: 'client',
          call: 'setsockopt',
          fd: 'C',
          option: 'SO_LINGER',
          value: { onoff: 1, linger: 0 },
        },
        // 70,000 bytes against a 65,535-byte window that the server never opens: some stay unsent.
        { at: ms(100), host: 'client', call: 'send', fd: 'C', data: 'x'.repeat(70_000) },
        { at: sec(1), host: 'client', call: 'close', fd: 'C' },
        { at: sec(2), host: 'server', call: 'recv', fd: 'S' },
        { at: sec(2), host: 'server', call: 'recv', fd: 'S' },
        { at: sec(2), host: 'server', call: 'recv', fd: 'S' },
      ],
    });
    const { sim, events } = run(s, sec(3));
    expect(sentBytes(events, 'client')).toBeLessThan(70_000);
    const resets = events.filter(
      (e) => e.type === 'seg-send' && e.host === 'client' && e.seg.flags.includes('R'),
    );
    expect(resets.length).toBe(1);
    expect(
      events.some((e) => e.type === 'seg-send' && e.host === 'client' && e.seg.flags.includes('F')),
    ).toBe(false);
    expect(sim.counters('client').TcpExtTCPAbortOnData).toBe(1);
    expect(statesAt(sim, 'client')).toEqual([]);
    expect(statesAt(sim, 'server')).toEqual(['LISTEN']);
    const recvs = sim.calls.filter((c) => c.call === 'recv');
    expect(recvs[0]?.result).toBe('0');
    expect(recvs[0]?.data?.length).toBe(65_535);
    expect(recvs[1]?.result).toBe('ECONNRESET');
    expect(recvs[2]?.data).toBe('');
    expect(sim.counters('server').TcpEstabResets).toBe(1);
  });
});

describe('close() with unread data', () => {
  it('sends RST instead of FIN (TcpExtTCPAbortOnClose) and the peer gets ECONNRESET', () => {
    const s = build({
      script: [
        ...serverSteps(0),
        ...clientConnect(ms(10)),
        { at: ms(100), host: 'server', call: 'send', fd: 'S', data: 'unread' },
        { at: sec(1), host: 'client', call: 'close', fd: 'C' },
        { at: sec(2), host: 'server', call: 'recv', fd: 'S' },
      ],
    });
    const { sim, events } = run(s, sec(3));
    expect(sim.counters('client').TcpExtTCPAbortOnClose).toBe(1);
    const fromClient = events.filter((e) => e.type === 'seg-send' && e.host === 'client' && e.t >= sec(1));
    expect(fromClient.map((e) => (e.type === 'seg-send' ? e.seg.flags : ''))).toEqual(['RA']);
    expect(sim.calls.find((c) => c.call === 'recv')?.result).toBe('ECONNRESET');
    expect(transitions(events, 'client')).not.toContain('ESTABLISHED>FIN_WAIT_1');
  });
});

describe('tcp_max_tw_buckets', () => {
  it('over the limit, new closers skip TIME_WAIT (TCPTimeWaitOverflow); existing entries keep their timers', () => {
    const steps = serverSteps(0).slice(0, 3);
    for (let i = 0; i < 4; i++) {
      steps.push(
        { at: sec(i), host: 'client', call: 'socket', as: `C${i}` },
        { at: sec(i), host: 'client', call: 'connect', fd: `C${i}`, addr: { ip: '10.0.0.2', port: 80 } },
        { at: sec(i) + ms(50), host: 'server', call: 'accept', fd: 'L', as: `S${i}` },
        { at: sec(i) + ms(100), host: 'client', call: 'close', fd: `C${i}` },
        { at: sec(i) + ms(120), host: 'server', call: 'close', fd: `S${i}` },
      );
    }
    const s = build({
      hosts: {
        client: { ip: '10.0.0.1', sysctl: { 'net.ipv4.tcp_max_tw_buckets': 2 } },
        server: { ip: '10.0.0.2' },
      },
      script: steps,
    });
    const { sim } = run(s, sec(5));
    const tw = sim.sockets('client').filter((r) => r.state === 'TIME_WAIT');
    expect(tw.length).toBe(2);
    expect(sim.counters('client').TcpExtTCPTimeWaitOverflow).toBe(2);
    // The two survivors are the first two connections, with their original remaining time.
    const remaining = tw.map((r) => r.timer?.remaining ?? 0).sort((a, b) => a - b);
    expect(remaining[0]).toBe(sec(60) - (sec(5) - (sec(0) + ms(125))));
    expect(remaining[1]).toBe(sec(60) - (sec(5) - (sec(1) + ms(125))));
  });
});

describe('FIN_WAIT_2', () => {
  function half(call: 'close' | 'shutdown') {
    return build({
      until: sec(200),
      hosts: {
        client: { ip: '10.0.0.1', sysctl: { 'net.ipv4.tcp_fin_timeout': 10 } },
        server: { ip: '10.0.0.2' },
      },
      script: [
        ...serverSteps(0),
        ...clientConnect(ms(10)),
        call === 'close'
          ? { at: sec(1), host: 'client', call: 'close', fd: 'C' }
          : { at: sec(1), host: 'client', call: 'shutdown', fd: 'C', how: 'SHUT_WR' },
      ],
    });
  }
  it('an orphaned FIN_WAIT_2 ends after tcp_fin_timeout; the peer stays in CLOSE_WAIT', () => {
    const { sim, events } = run(half('close'), sec(5));
    const row = sim.sockets('client')[0];
    expect(row?.state).toBe('FIN_WAIT_2');
    expect(row?.timer?.kind).toBe('timewait');
    expect(row?.fd).toBeUndefined();
    // The timer starts when the ACK of our FIN arrives: no data was exchanged, so the server's delayed
    // ACK goes out on the next timer tick (ato 0, 4 ms), not after 40 ms: 5 + 4 + 5 ms.
    const fw2 =
      events.find((e) => e.type === 'state' && e.host === 'client' && e.to === 'FIN_WAIT_2')?.t ?? 0;
    expect(fw2).toBe(sec(1) + ms(14));
    sim.runUntil(fw2 + sec(10) - 1);
    expect(statesAt(sim, 'client')).toEqual(['FIN_WAIT_2']);
    sim.runUntil(fw2 + sec(10));
    expect(statesAt(sim, 'client')).toEqual([]);
    expect(statesAt(sim, 'server')).toContain('CLOSE_WAIT');
    expect(transitions(events, 'client')).toContain('FIN_WAIT_2>CLOSED');
  });
  it('a half-closed socket the application still owns stays in FIN_WAIT_2 without a timer', () => {
    const { sim } = run(half('shutdown'), sec(150));
    const row = sim.sockets('client')[0];
    expect(row?.state).toBe('FIN_WAIT_2');
    expect(row?.timer).toBeUndefined();
    expect(row?.fd).toBe('C');
  });
  it('TCP_LINGER2 overrides tcp_fin_timeout for the socket', () => {
    const s = half('close');
    s.script.splice(s.script.length - 1, 0, {
      index: 99,
      at: ms(500),
      host: 'client',
      call: 'setsockopt',
      fd: 'C',
      option: 'TCP_LINGER2',
      value: 3,
    });
    // FIN_WAIT_2 from 1.014 s (see above) for 3 s.
    const { sim } = run(s, sec(4) + ms(14) - 1);
    expect(statesAt(sim, 'client')).toEqual(['FIN_WAIT_2']);
    sim.runUntil(sec(4) + ms(14));
    expect(statesAt(sim, 'client')).toEqual([]);
  });
});
