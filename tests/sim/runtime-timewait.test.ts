import { describe, expect, it } from 'vitest';
import type { SimEvent } from '../../src/sim/types.ts';
import { build, clientConnect, ms, run, sec, serverSteps, statesAt, transitions } from './build-scenario.ts';

/** Client closes at 1 s, the server 20 ms later (its FIN carries the ACK of the client's FIN). */
function lostAckScenario(opts: { drops: number; clientSysctl?: Record<string, number> }) {
  return build({
    until: sec(130),
    hosts: {
      client: { ip: '10.0.0.1', sysctl: opts.clientSysctl ?? {} },
      server: { ip: '10.0.0.2' },
    },
    script: [
      ...serverSteps(0),
      ...clientConnect(ms(10)),
      { at: sec(1), host: 'client', call: 'close', fd: 'C' },
      { at: sec(1) + ms(20), host: 'server', call: 'close', fd: 'S' },
    ],
    faults: Array.from({ length: opts.drops }, (_, i) => ({
      kind: 'drop' as const,
      match: { from: 'client', flags: 'A', after: sec(1), nth: i + 1 },
    })),
  });
}

function finTimes(events: SimEvent[], host: string): number[] {
  return events.flatMap((e) =>
    e.type === 'seg-send' && e.host === host && e.seg.flags.includes('F') ? [e.t] : [],
  );
}

describe('lost final ACK', () => {
  it('LAST_ACK retransmits its FIN with backoff; TIME_WAIT re-ACKs and restarts its 60 s timer', () => {
    const { sim, events } = run(lostAckScenario({ drops: 2 }), sec(3));
    const fins = finTimes(events, 'server');
    expect(fins.length).toBe(3);
    const [f0, f1, f2] = fins as [number, number, number];
    const gap1 = f1 - f0;
    const gap2 = f2 - f1;
    // After a 10 ms RTT on Linux the RTO is SRTT + max(4·RTTVAR, 200 ms) ≈ 210 ms. The first
    // retransmission is a tail loss probe (PTO = min(2·SRTT + 200 ms, RTO) = 210 ms), which re-arms
    // the RTO in full; the RTO retransmission follows 210 ms later (then the backoff would double it).
    expect(gap1).toBeGreaterThanOrEqual(ms(200));
    expect(gap1).toBeLessThan(ms(250));
    expect(gap2).toBe(gap1);
    expect(sim.counters('server').TcpExtTCPLossProbes).toBe(1);
    // Every retransmitted FIN got an ACK from TIME_WAIT.
    const clientAcks = events.filter(
      (e) => e.type === 'seg-send' && e.host === 'client' && e.seg.flags === 'A' && e.t > sec(1),
    );
    expect(clientAcks.length).toBe(3);
    expect(transitions(events, 'server')).toContain('LAST_ACK>CLOSED');
    // The timer restarted from the last retransmitted FIN's arrival.
    const lastFinArrival = f2 + ms(5);
    sim.runUntil(lastFinArrival + sec(60) - 1);
    expect(statesAt(sim, 'client')).toEqual(['TIME_WAIT']);
    sim.runUntil(lastFinArrival + sec(60));
    expect(statesAt(sim, 'client')).toEqual([]);
  });

  it('without TIME_WAIT (tcp_max_tw_buckets 0) the retransmitted FIN draws a RST', () => {
    const { sim, events } = run(
      lostAckScenario({ drops: 1, clientSysctl: { 'net.ipv4.tcp_max_tw_buckets': 0 } }),
      sec(3),
    );
    expect(sim.counters('client').TcpExtTCPTimeWaitOverflow).toBe(1);
    expect(transitions(events, 'client')).not.toContain('FIN_WAIT_2>TIME_WAIT');
    expect(
      events.some((e) => e.type === 'seg-send' && e.host === 'client' && e.seg.flags.includes('R')),
    ).toBe(true);
    expect(sim.counters('client').TcpOutRsts).toBe(1);
    const end = events.find((e) => e.type === 'state' && e.host === 'server' && e.from === 'LAST_ACK');
    expect(end?.type === 'state' && end.cause).toBe('rcv RST');
  });
});

/** Incarnation lab: an old data segment, duplicated and delayed by 3 s, reaches a new incarnation. */
function incarnation(opts: { timestamps: 0 | 1; skipTimeWait: boolean; reuse?: boolean }) {
  const sysctl = {
    'net.ipv4.tcp_timestamps': opts.timestamps,
    ...(opts.skipTimeWait ? { 'net.ipv4.tcp_max_tw_buckets': 0 } : {}),
  } as const;
  const reuse = opts.reuse
    ? [{ at: 0, host: 'client', call: 'setsockopt', fd: 'C1', option: 'SO_REUSEADDR', value: 1 } as const]
    : [];
  const reuse2 = opts.reuse
    ? [
        {
          at: sec(2),
          host: 'client',
          call: 'setsockopt',
          fd: 'C2',
          option: 'SO_REUSEADDR',
          value: 1,
        } as const,
      ]
    : [];
  return build({
    until: sec(10),
    hosts: {
      client: { ip: '10.0.0.1', isn: 'naive', sysctl },
      server: { ip: '10.0.0.2', sysctl: { 'net.ipv4.tcp_timestamps': opts.timestamps } },
    },
    script: [
      ...serverSteps(0),
      { at: 0, host: 'client', call: 'socket', as: 'C1' },
      ...reuse,
      { at: 0, host: 'client', call: 'bind', fd: 'C1', addr: { ip: '10.0.0.1', port: 5000 } },
      { at: ms(10), host: 'client', call: 'connect', fd: 'C1', addr: { ip: '10.0.0.2', port: 80 } },
      { at: ms(100), host: 'client', call: 'send', fd: 'C1', data: 'hello' },
      { at: ms(200), host: 'server', call: 'recv', fd: 'S' },
      { at: sec(1), host: 'client', call: 'close', fd: 'C1' },
      { at: sec(1) + ms(20), host: 'server', call: 'close', fd: 'S' },
      { at: sec(2), host: 'server', call: 'accept', fd: 'L', as: 'S2' },
      { at: sec(2), host: 'client', call: 'socket', as: 'C2' },
      ...reuse2,
      { at: sec(2), host: 'client', call: 'bind', fd: 'C2', addr: { ip: '10.0.0.1', port: 5000 } },
      { at: sec(2), host: 'client', call: 'connect', fd: 'C2', addr: { ip: '10.0.0.2', port: 80 } },
      { at: sec(4), host: 'client', call: 'send', fd: 'C2', data: 'world' },
      { at: sec(5), host: 'server', call: 'recv', fd: 'S2' },
    ],
    faults: [{ kind: 'duplicate', match: { from: 'client', hasData: true, nth: 1 }, after: sec(3) }],
  });
}

describe('old duplicates and incarnations', () => {
  it('naive ISNs, no timestamps, no TIME_WAIT: the old segment corrupts the new stream', () => {
    const { sim } = run(incarnation({ timestamps: 0, skipTimeWait: true }));
    expect(sim.received('server', 'S')).toBe('hello');
    const got = sim.received('server', 'S2');
    expect(got.length).toBeGreaterThan(0);
    expect(got).not.toBe('world');
    expect(got).toContain('ello');
  });

  it('TIME_WAIT prevents it: the 4-tuple is still taken (bind EADDRINUSE; with SO_REUSEADDR, connect EADDRNOTAVAIL)', () => {
    const plain = run(incarnation({ timestamps: 0, skipTimeWait: false })).sim;
    const bind2 = plain.calls.find((c) => c.call === 'bind' && c.fd === 'C2');
    expect(bind2?.result).toBe('EADDRINUSE');
    // connect() then picks an ephemeral port: another 4-tuple, which the old segment cannot reach.
    const connect2 = plain.calls.find((c) => c.call === 'connect' && c.fd === 'C2');
    expect(connect2?.port).not.toBe(5000);
    expect(plain.received('server', 'S2')).toBe('world');
    const reuse = run(incarnation({ timestamps: 0, skipTimeWait: false, reuse: true })).sim;
    expect(reuse.calls.find((c) => c.call === 'bind' && c.fd === 'C2')?.result).toBe('0');
    expect(reuse.calls.find((c) => c.call === 'connect' && c.fd === 'C2')?.result).toBe('EADDRNOTAVAIL');
    expect(reuse.received('server', 'S2')).toBe('');
  });

  it('PAWS prevents it: with timestamps the old segment is rejected and the bytes arrive intact', () => {
    const { sim, events } = run(incarnation({ timestamps: 1, skipTimeWait: true }));
    expect(sim.received('server', 'S2')).toBe('world');
    expect(events.some((e) => e.type === 'seg-drop' && e.reason === 'paws')).toBe(true);
    expect(sim.counters('server').TcpExtPAWSEstab).toBe(1);
  });
});

/** The client ends in TIME_WAIT; a duplicate of the server's data arrives 5 s later (RFC 1337's TWA). */
function assassination(rfc1337: 0 | 1) {
  return build({
    until: sec(80),
    hosts: {
      client: { ip: '10.0.0.1', sysctl: { 'net.ipv4.tcp_rfc1337': rfc1337 } },
      server: { ip: '10.0.0.2' },
    },
    script: [
      ...serverSteps(0),
      ...clientConnect(ms(10)),
      { at: ms(300), host: 'server', call: 'send', fd: 'S', data: 'pong' },
      { at: ms(400), host: 'client', call: 'recv', fd: 'C' },
      { at: sec(1), host: 'client', call: 'close', fd: 'C' },
      { at: sec(1) + ms(20), host: 'server', call: 'close', fd: 'S' },
    ],
    faults: [{ kind: 'duplicate', match: { from: 'server', hasData: true, nth: 1 }, after: sec(5) }],
  });
}

describe('RST in TIME_WAIT', () => {
  it('tcp_rfc1337 = 0: the RST provoked by an old duplicate kills TIME_WAIT', () => {
    const { sim, events } = run(assassination(0), sec(10));
    expect(statesAt(sim, 'client')).toEqual([]);
    const end = events.find((e) => e.type === 'state' && e.host === 'client' && e.from === 'TIME_WAIT');
    expect(end?.type === 'state' && end.cause).toBe('rcv RST');
    expect(end?.t).toBeLessThan(sec(6));
  });
  it('tcp_rfc1337 = 1: the RST is ignored and TIME_WAIT runs its 60 s', () => {
    const { sim, events } = run(assassination(1), sec(10));
    expect(statesAt(sim, 'client')).toEqual(['TIME_WAIT']);
    expect(
      events.some((e) => e.type === 'seg-recv' && e.host === 'client' && e.seg.flags.includes('R')),
    ).toBe(true);
  });
});

describe('SYN over a server-side TIME_WAIT', () => {
  function reopen(timestamps: 0 | 1, clientIsn: 'naive' | 'rfc6528') {
    return build({
      until: sec(10),
      hosts: {
        client: { ip: '10.0.0.1', isn: clientIsn, sysctl: { 'net.ipv4.tcp_timestamps': timestamps } },
        server: { ip: '10.0.0.2', sysctl: { 'net.ipv4.tcp_timestamps': timestamps } },
      },
      script: [
        ...serverSteps(0),
        { at: 0, host: 'client', call: 'socket', as: 'C1' },
        { at: 0, host: 'client', call: 'bind', fd: 'C1', addr: { ip: '10.0.0.1', port: 5000 } },
        { at: ms(10), host: 'client', call: 'connect', fd: 'C1', addr: { ip: '10.0.0.2', port: 80 } },
        { at: sec(1), host: 'server', call: 'close', fd: 'S' },
        { at: sec(1) + ms(20), host: 'client', call: 'close', fd: 'C1' },
        { at: sec(2), host: 'server', call: 'accept', fd: 'L', as: 'S2' },
        { at: sec(2), host: 'client', call: 'socket', as: 'C2' },
        { at: sec(2), host: 'client', call: 'bind', fd: 'C2', addr: { ip: '10.0.0.1', port: 5000 } },
        { at: sec(2), host: 'client', call: 'connect', fd: 'C2', addr: { ip: '10.0.0.2', port: 80 } },
      ],
    });
  }
  it('a SYN with a newer timestamp takes over the entry (TCP_TW_SYN, ISN = tw_snd_nxt + 65537)', () => {
    const { sim, events } = run(reopen(1, 'rfc6528'), sec(3));
    const tw = events.find((e) => e.type === 'state' && e.host === 'server' && e.from === 'TIME_WAIT');
    expect(tw?.type === 'state' && tw.cause).toBe('rcv SYN');
    expect(tw?.t).toBe(sec(2) + ms(5));
    const connect = sim.calls.find((c) => c.call === 'connect' && c.fd === 'C2');
    expect(connect?.result).toBe('0');
    expect(connect?.doneAt).toBe(sec(2) + ms(10));
    // The SYN-ACK's ISN follows the old connection's SND.NXT.
    const oldFin = events.find(
      (e) => e.type === 'seg-send' && e.host === 'server' && e.seg.flags.includes('F'),
    );
    const synAck = events.find(
      (e) => e.type === 'seg-send' && e.host === 'server' && e.seg.flags === 'SA' && e.t > sec(2),
    );
    if (oldFin?.type !== 'seg-send' || synAck?.type !== 'seg-send') throw new Error('segments missing');
    expect(synAck.seg.seq).toBe((oldFin.seg.seq + 1 + 65535 + 2) >>> 0);
  });
  it('an older SYN (naive ISN, no timestamps) is answered by an ACK from TIME_WAIT, not accepted', () => {
    const { sim, events } = run(reopen(0, 'naive'), sec(5));
    const connect = sim.calls.find((c) => c.call === 'connect' && c.fd === 'C2');
    expect(connect?.result).toBe('pending');
    expect(statesAt(sim, 'server')).toContain('TIME_WAIT');
    const answers = events.filter((e) => e.type === 'seg-send' && e.host === 'server' && e.t > sec(2));
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.every((e) => e.type === 'seg-send' && e.seg.flags === 'A')).toBe(true);
  });
});

describe('determinism', () => {
  const noisy = (seed: number) =>
    build({
      seed,
      link: { jitter: ms(3), loss: 0.1, duplicate: 0.05, reorder: 0.05 },
      script: [
        ...serverSteps(0),
        ...clientConnect(ms(10)),
        { at: ms(100), host: 'client', call: 'send', fd: 'C', data: 'x'.repeat(5000) },
        { at: sec(1), host: 'client', call: 'close', fd: 'C' },
        { at: sec(1.1), host: 'server', call: 'close', fd: 'S' },
      ],
      until: sec(30),
    });
  it('the same scenario and seed give the identical event log', () => {
    const a = JSON.stringify(run(noisy(7)).events);
    const b = JSON.stringify(run(noisy(7)).events);
    expect(a).toBe(b);
  });
  it('another seed with jitter and loss gives a different log', () => {
    expect(JSON.stringify(run(noisy(7)).events)).not.toBe(JSON.stringify(run(noisy(8)).events));
  });
});
