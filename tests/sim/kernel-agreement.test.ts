// Behaviour the kernel differential test (tests/kernel) measured on Linux 6.18 and the simulator got
// wrong at first (tests/kernel/DISAGREEMENTS.md, D1–D4, D7, D8). Each test states the kernel's
// behaviour and the kernel source that produces it.

import '../../src/sim/load.ts';
import { describe, expect, it } from 'vitest';
import { observe } from '../../src/sim/observation.ts';
import { createSimulation } from '../../src/sim/simulation.ts';
import type { SimEvent, SocketRow } from '../../src/sim/types.ts';
import { build, clientConnect, ms, run, type StepInput, sec, serverSteps } from './build-scenario.ts';

function rowOf(rows: SocketRow[], state: string): SocketRow | undefined {
  return rows.find((r) => r.state === state);
}

function sendTimes(events: SimEvent[], host: string, flags: string): number[] {
  return events.flatMap((e) =>
    e.type === 'seg-send' && e.host === host && e.seg.flags === flags ? [e.t] : [],
  );
}

describe('D1: TcpExtTW counts entries (__inet_twsk_schedule), not expiries', () => {
  it('counts TcpExtTW when the active closer enters TIME_WAIT, and not again at expiry', () => {
    const s = build({
      until: sec(70),
      script: [
        ...serverSteps(0),
        ...clientConnect(ms(10)),
        { at: sec(1), host: 'client', call: 'close', fd: 'C' },
        { at: sec(1.1), host: 'server', call: 'close', fd: 'S' },
      ],
    });
    const sim = createSimulation(s);
    sim.runUntil(sec(1.2));
    expect(sim.sockets('client').map((r) => r.state)).toContain('TIME_WAIT');
    expect(sim.counters('client').TcpExtTW).toBe(1);
    expect(sim.counters('client').TcpExtTWKilled).toBe(0);
    sim.runUntil(sec(70));
    expect(sim.sockets('client').map((r) => r.state)).not.toContain('TIME_WAIT');
    expect(sim.counters('client').TcpExtTW).toBe(1);
    expect(sim.counters('server').TcpExtTW).toBe(0);
  });

  it('counts a parked orphaned FIN_WAIT_2 once; moving on to TIME_WAIT re-arms without counting', () => {
    const s = build({
      until: sec(100),
      script: [
        ...serverSteps(0),
        ...clientConnect(ms(10)),
        { at: sec(1), host: 'client', call: 'close', fd: 'C' },
        { at: sec(5), host: 'server', call: 'close', fd: 'S' },
      ],
    });
    const sim = createSimulation(s);
    sim.runUntil(sec(2));
    expect(sim.sockets('client').map((r) => r.state)).toEqual(['FIN_WAIT_2']);
    expect(sim.counters('client').TcpExtTW).toBe(1);
    sim.runUntil(sec(6));
    expect(sim.sockets('client').map((r) => r.state)).toEqual(['TIME_WAIT']);
    expect(sim.counters('client').TcpExtTW).toBe(1);
    sim.runUntil(sec(100));
    expect(sim.counters('client').TcpExtTW).toBe(1);
  });

  it('counts TcpExtTWKilled instead when the first timeout is at most 4 s (TCP_LINGER2 = 2 s)', () => {
    const s = build({
      until: sec(20),
      script: [
        ...serverSteps(0),
        ...clientConnect(ms(10)),
        { at: ms(500), host: 'client', call: 'setsockopt', fd: 'C', option: 'TCP_LINGER2', value: 2 },
        { at: sec(1), host: 'client', call: 'close', fd: 'C' },
      ],
    });
    const sim = createSimulation(s);
    sim.runUntil(sec(1.5));
    expect(sim.sockets('client').map((r) => r.state)).toEqual(['FIN_WAIT_2']);
    expect(sim.counters('client').TcpExtTWKilled).toBe(1);
    expect(sim.counters('client').TcpExtTW).toBe(0);
    sim.runUntil(sec(20));
    expect(sim.sockets('client')).toEqual([]);
    expect(sim.counters('client').TcpExtTWKilled).toBe(1);
  });
});

describe('D2: ss counts the FIN in Recv-Q and Send-Q (tcp_diag_get_info)', () => {
  it('CLOSE_WAIT shows Recv-Q 1 until recv() has returned end of stream', () => {
    const s = build({
      until: sec(3),
      script: [
        ...serverSteps(0),
        ...clientConnect(ms(10)),
        { at: sec(1), host: 'client', call: 'close', fd: 'C' },
        { at: sec(2), host: 'server', call: 'recv', fd: 'S' },
      ],
    });
    const sim = createSimulation(s);
    sim.runUntil(sec(1.5));
    expect(rowOf(sim.sockets('server'), 'CLOSE_WAIT')?.recvQ).toBe(1);
    sim.runUntil(sec(2.5));
    expect(sim.calls.find((c) => c.call === 'recv')?.data).toBe('');
    expect(rowOf(sim.sockets('server'), 'CLOSE_WAIT')?.recvQ).toBe(0);
  });

  it('FIN_WAIT_1 and LAST_ACK show Send-Q 1 while the FIN is unacknowledged', () => {
    const s = build({
      until: sec(3),
      script: [
        ...serverSteps(0),
        ...clientConnect(ms(10)),
        { at: sec(1), host: 'client', call: 'close', fd: 'C' },
        { at: sec(2), host: 'server', call: 'recv', fd: 'S' },
        { at: sec(2), host: 'server', call: 'close', fd: 'S' },
      ],
    });
    const sim = createSimulation(s);
    sim.runUntil(sec(1) + ms(1));
    expect(rowOf(sim.sockets('client'), 'FIN_WAIT_1')?.sendQ).toBe(1);
    sim.runUntil(sec(1.5));
    expect(rowOf(sim.sockets('client'), 'FIN_WAIT_2')?.sendQ).toBe(0);
    sim.runUntil(sec(2) + ms(1));
    const last = rowOf(sim.sockets('server'), 'LAST_ACK');
    expect(last?.sendQ).toBe(1);
    expect(last?.recvQ).toBe(0);
  });
});

describe('D4: tcp_max_tw_buckets overflows when the orphaned FIN_WAIT_2 is parked', () => {
  // The timing of max-tw-buckets-overflow.json: the server closes 15 ms after the client. With no data
  // on the connection the ACK of the client's FIN goes out within a tick (D8), ahead of the server's FIN.
  it('destroys the FIN_WAIT_2 socket (TCPTimeWaitOverflow) and answers the peer FIN with RST', () => {
    const s = build({
      until: sec(3),
      hosts: {
        client: { ip: '10.0.0.1', sysctl: { 'net.ipv4.tcp_max_tw_buckets': 0 } },
        server: { ip: '10.0.0.2' },
      },
      script: [
        ...serverSteps(0),
        ...clientConnect(ms(10)),
        { at: sec(1), host: 'client', call: 'close', fd: 'C' },
        { at: sec(1) + ms(15), host: 'server', call: 'close', fd: 'S' },
      ],
    });
    const { sim, events } = run(s, sec(1) + ms(14));
    // The ACK of the FIN came back: tcp_time_wait(sk, TCP_FIN_WAIT2, tmo) found no bucket.
    expect(sim.counters('client').TcpExtTCPTimeWaitOverflow).toBe(1);
    expect(sim.sockets('client')).toEqual([]);
    expect(sim.counters('client').TcpExtTW).toBe(0);
    const fw2 = events.find((e) => e.type === 'state' && e.host === 'client' && e.from === 'FIN_WAIT_2');
    expect(fw2?.type === 'state' ? fw2.to : '').toBe('CLOSED');
    sim.runUntil(sec(3));
    expect(sim.counters('client').TcpOutRsts).toBe(1);
    expect(sim.sockets('server').filter((r) => r.state !== 'LISTEN')).toEqual([]);
    expect(sent(events, 'client')).toContain('R');
  });
});

function sent(events: SimEvent[], host: string): string[] {
  return events.flatMap((e) => (e.type === 'seg-send' && e.host === host ? [e.seg.flags] : []));
}

describe('D8: the delayed ACK timeout (ato) is 0 until data has been received', () => {
  const closing = (withData: boolean): StepInput[] => [
    ...serverSteps(0),
    ...clientConnect(ms(10)),
    ...(withData
      ? ([
          { at: ms(100), host: 'client', call: 'send', fd: 'C', data: 'request' },
          { at: ms(200), host: 'server', call: 'recv', fd: 'S' },
          { at: ms(200), host: 'server', call: 'send', fd: 'S', data: 'response' },
          { at: ms(300), host: 'client', call: 'recv', fd: 'C' },
        ] as StepInput[])
      : []),
    { at: sec(1), host: 'client', call: 'close', fd: 'C' },
  ];

  it('with no data received, the FIN is acknowledged within a timer tick, not after 40 ms', () => {
    const { events } = run(build({ until: sec(2), script: closing(false) }));
    const finArrives = sec(1) + ms(5);
    const ack = sendTimes(events, 'server', 'A').filter((t) => t >= finArrives);
    expect(ack[0]).toBeDefined();
    expect((ack[0] as number) - finArrives).toBeLessThanOrEqual(ms(4));
  });

  it('once data has been received, the ACK of the FIN waits TCP_DELACK_MIN (40 ms)', () => {
    const { events } = run(build({ until: sec(2), script: closing(true) }));
    const finArrives = sec(1) + ms(5);
    const ack = sendTimes(events, 'server', 'A').filter((t) => t >= finArrives);
    expect((ack[0] as number) - finArrives).toBe(ms(40));
  });
});

describe('D7: Observation.received is what recv() returned to the application', () => {
  it('bytes that reached the receive queue but were never read are not "received"', () => {
    const s = build({
      until: sec(2),
      script: [
        ...serverSteps(0),
        ...clientConnect(ms(10)),
        { at: ms(100), host: 'server', call: 'send', fd: 'S', data: 'read' },
        { at: ms(200), host: 'client', call: 'recv', fd: 'C' },
        { at: ms(300), host: 'server', call: 'send', fd: 'S', data: 'unread' },
      ],
    });
    const obs = observe(s).observation;
    expect(obs.received['client/C']).toBe('read');
    expect(obs.received['server/S']).toBe('');
  });
});

describe('D3: Linux sends a tail loss probe before the RTO (tcp_schedule_loss_probe)', () => {
  // The server's FIN is lost twice (both copies dropped on the wire); the client is already in FIN_WAIT_2.
  const lostFin = (profile: 'linux' | 'freebsd') =>
    build({
      profile,
      until: sec(5),
      script: [
        ...serverSteps(0),
        ...clientConnect(ms(10)),
        { at: sec(1), host: 'client', call: 'close', fd: 'C' },
        { at: sec(1.1), host: 'server', call: 'close', fd: 'S' },
      ],
      faults: [
        { kind: 'drop', match: { from: 'server', flags: 'FA', nth: 1 } },
        { kind: 'drop', match: { from: 'server', flags: 'FA', nth: 2 } },
      ],
    });

  it('linux: probe after min(2·SRTT + TCP_RTO_MIN, RTO), then the RTO from the probe, then backoff', () => {
    const { sim, events } = run(lostFin('linux'));
    const fins = sendTimes(events, 'server', 'FA').map((t) => t - sec(1.1));
    // SRTT 10 ms (5 ms links): PTO = min(2·10 + 200, RTO 210) = 210 ms; the probe re-arms the RTO
    // (210 ms, not backed off); the RTO retransmission is acknowledged.
    expect(fins).toEqual([0, ms(210), ms(420)]);
    expect(sim.counters('server').TcpExtTCPLossProbes).toBe(1);
    expect(sim.counters('server').TcpRetransSegs).toBe(2);
    expect(sim.sockets('server').filter((r) => r.state === 'LAST_ACK')).toEqual([]);
  });

  it('other profiles keep RFC 6298: RTO, then twice the RTO (§5.5)', () => {
    const { sim, events } = run(lostFin('freebsd'));
    const fins = sendTimes(events, 'server', 'FA').map((t) => t - sec(1.1));
    const rto = (fins[1] as number) - (fins[0] as number);
    expect(fins).toEqual([0, rto, 3 * rto]);
    expect(sim.counters('server').TcpExtTCPLossProbes ?? 0).toBe(0);
  });
});
