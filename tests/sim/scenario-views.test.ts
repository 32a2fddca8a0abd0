// The views derived from a run (ss, tcpdump, sequence data, trace digest) and the expectation checker,
// fed with hand-made events and observations so they are tested apart from the runtime.
import '../../src/sim/load.ts';
import { describe, expect, it } from 'vitest';
import { checkExpectations } from '../../src/sim/expect.ts';
import { sequenceData, ssTimer, stateCounts, tcpdumpLines, traceDigest } from '../../src/sim/observe.ts';
import { parseScenario } from '../../src/sim/scenario.ts';
import { ssTable } from '../../src/sim/ss-table.ts';
import type { Observation, Segment, SimEvent } from '../../src/sim/types.ts';

const A = { ip: '10.0.0.1', port: 40000 };
const B = { ip: '10.0.0.2', port: 80 };
let nextId = 1;
function seg(
  src: typeof A,
  dst: typeof A,
  flags: string,
  seq: number,
  ack: number,
  data = '',
  ts?: [number, number],
): Segment {
  const s: Segment = { id: nextId++, src, dst, seq, ack, flags, wnd: 65535, data, ttl: 64 };
  if (ts) s.ts = { val: ts[0], ecr: ts[1] };
  return s;
}

function handshakeAndClose(): SimEvent[] {
  nextId = 1;
  const syn = seg(A, B, 'S', 1000, 0, '', [100, 0]);
  const synAck = seg(B, A, 'SA', 5000, 1001, '', [200, 100]);
  const ack = seg(A, B, 'A', 1001, 5001, '', [110, 200]);
  const data = seg(A, B, 'PA', 1001, 5001, 'hello', [120, 200]);
  const fin = seg(A, B, 'FA', 1006, 5001, '', [130, 200]);
  const lost = seg(B, A, 'A', 5001, 1007, '', [210, 130]);
  const events: SimEvent[] = [
    { t: 0, type: 'seg-send', host: 'client', seg: syn },
    {
      t: 0,
      type: 'state',
      host: 'client',
      conn: '10.0.0.1:40000 → 10.0.0.2:80',
      from: 'CLOSED',
      to: 'SYN_SENT',
      cause: 'connect()',
    },
    { t: 5000, type: 'seg-recv', host: 'server', seg: syn },
    { t: 5000, type: 'seg-send', host: 'server', seg: synAck },
    { t: 10000, type: 'seg-recv', host: 'client', seg: synAck },
    { t: 10000, type: 'seg-send', host: 'client', seg: ack },
    {
      t: 10000,
      type: 'state',
      host: 'client',
      conn: '10.0.0.1:40000 → 10.0.0.2:80',
      from: 'SYN_SENT',
      to: 'ESTABLISHED',
      cause: 'rcv SYN-ACK',
    },
    { t: 20000, type: 'seg-send', host: 'client', seg: data },
    { t: 30000, type: 'seg-send', host: 'client', seg: fin },
    {
      t: 30000,
      type: 'state',
      host: 'client',
      conn: '10.0.0.1:40000 → 10.0.0.2:80',
      from: 'ESTABLISHED',
      to: 'FIN_WAIT_1',
      cause: 'close()',
    },
    { t: 35000, type: 'seg-send', host: 'server', seg: lost },
    { t: 35000, type: 'seg-drop', seg: lost, reason: 'fault' },
    { t: 35000, type: 'seg-dup', seg: fin, copy: { ...fin, id: nextId++ } },
    {
      t: 40000,
      type: 'state',
      host: 'client',
      conn: '10.0.0.1:40000 → 10.0.0.2:80',
      from: 'FIN_WAIT_1',
      to: 'TIME_WAIT',
      cause: 'rcv FIN',
    },
    {
      t: 60_040_000,
      type: 'state',
      host: 'client',
      conn: '10.0.0.1:40000 → 10.0.0.2:80',
      from: 'TIME_WAIT',
      to: 'CLOSED',
      cause: 'timeout',
    },
  ];
  return events;
}

describe('ss view', () => {
  it('prints timers like ss -o (print_ms_timer)', () => {
    expect(ssTimer(59_000_000)).toBe('59sec');
    expect(ssTimer(200_000)).toBe('200ms');
    expect(ssTimer(1_500_000)).toBe('1.500ms');
    expect(ssTimer(90_000_000)).toBe('1min30sec');
    expect(ssTimer(12.5 * 60_000_000)).toBe('12min');
    expect(ssTimer(0)).toBe('');
  });

  it('lays rows out in columns', () => {
    const text = ssTable([
      { local: '10.0.0.2:80', remote: '*:*', state: 'LISTEN', recvQ: 0, sendQ: 128, fd: 'l' },
      {
        local: '10.0.0.1:40000',
        remote: '10.0.0.2:80',
        state: 'TIME_WAIT',
        recvQ: 0,
        sendQ: 0,
        timer: { kind: 'timewait', remaining: 59_200_000, retries: 0 },
      },
    ]);
    expect(text.split('\n')).toEqual([
      'State      Recv-Q  Send-Q  Local Address:Port  Peer Address:Port  Process',
      'LISTEN     0       128     10.0.0.2:80         *:*                fd=l',
      'TIME-WAIT  0       0       10.0.0.1:40000      10.0.0.2:80        timer:(timewait,59sec,0)',
    ]);
  });
});

describe('tcpdump view', () => {
  it('prints relative sequence numbers, options and marks', () => {
    const lines = tcpdumpLines(handshakeAndClose());
    expect(lines).toEqual([
      '0.000000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000, win 65535, options [nop,nop,TS val 100 ecr 0], length 0',
      '0.005000 IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [S.], seq 5000, ack 1001, win 65535, options [nop,nop,TS val 200 ecr 100], length 0',
      '0.010000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [.], ack 1, win 65535, options [nop,nop,TS val 110 ecr 200], length 0',
      '0.020000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 1:6, ack 1, win 65535, options [nop,nop,TS val 120 ecr 200], length 5',
      '0.030000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [F.], seq 6, ack 1, win 65535, options [nop,nop,TS val 130 ecr 200], length 0',
      '0.035000 IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [.], ack 7, win 65535, options [nop,nop,TS val 210 ecr 130], length 0 (dropped: fault)',
      '0.035000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [F.], seq 6, ack 1, win 65535, options [nop,nop,TS val 130 ecr 200], length 0 (duplicate of #5)',
    ]);
  });

  it("prints absolute numbers with -S and one host's view", () => {
    const lines = tcpdumpLines(handshakeAndClose(), { absolute: true, host: 'server', verbose: true });
    expect(lines[0]).toBe(
      '0.005000 IP (ttl 64) 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000, win 65535, options [nop,nop,TS val 100 ecr 0], length 0',
    );
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/Flags \[\.\], ack 1007, .* \(dropped: fault\)$/);
  });
});

describe('sequence data', () => {
  it('has lanes, arrows, state changes and TIME_WAIT spans', () => {
    const d = sequenceData(handshakeAndClose());
    expect(d.lanes).toEqual([
      { id: '10.0.0.1:40000', host: 'client' },
      { id: '10.0.0.2:80', host: 'server' },
    ]);
    expect(d.arrows[0]).toMatchObject({
      seg: 1,
      from: '10.0.0.1:40000',
      to: '10.0.0.2:80',
      sentAt: 0,
      arrivedAt: 5000,
      flags: 'S',
    });
    expect(d.arrows.find((a) => a.seg === 6)).toMatchObject({ dropped: 'fault', len: 0 });
    expect(d.arrows.find((a) => a.seg === 7)).toMatchObject({ duplicateOf: 5 });
    expect(d.arrows.find((a) => a.seg === 4)).toMatchObject({ len: 5, ts: { val: 120, ecr: 200 } });
    expect(d.states.map((s) => s.to)).toEqual([
      'SYN_SENT',
      'ESTABLISHED',
      'FIN_WAIT_1',
      'TIME_WAIT',
      'CLOSED',
    ]);
    expect(d.timeWait).toEqual([{ lane: '10.0.0.1:40000', start: 40000, end: 60_040_000 }]);
    expect(d.end).toBe(60_040_000);
    expect(d.timers).toEqual([]);
  });

  it('counts connections in a state over time', () => {
    const events = handshakeAndClose();
    expect(stateCounts(events, 'client', 'TIME_WAIT')).toEqual([
      { t: 40000, count: 1 },
      { t: 60_040_000, count: 0 },
    ]);
    expect(stateCounts(events, 'client', 'ESTABLISHED')).toEqual([
      { t: 10000, count: 1 },
      { t: 30000, count: 0 },
    ]);
    expect(stateCounts(events, 'server', 'TIME_WAIT')).toEqual([]);
  });
});

describe('trace digest', () => {
  it('is stable, ignores key order and changes with any field', () => {
    const a = handshakeAndClose();
    const b = handshakeAndClose().map((e) => Object.fromEntries(Object.entries(e).reverse()) as SimEvent);
    expect(traceDigest(a)).toBe(traceDigest(b));
    expect(traceDigest(a)).toMatch(/^15:[0-9a-f]{16}$/);
    const c = handshakeAndClose();
    (c[3] as { t: number }).t += 1;
    expect(traceDigest(c)).not.toBe(traceDigest(a));
  });
});

describe('checkExpectations', () => {
  const scenario = parseScenario({
    hosts: { client: '10.0.0.1', server: '10.0.0.2' },
    script: [
      { at: 0, host: 'server', call: 'socket', as: 's' },
      { at: 0, host: 'client', call: 'socket', as: 'c' },
      { at: '1ms', host: 'client', call: 'connect', fd: 'c', addr: '10.0.0.2:80' },
    ],
    expect: [
      { at: '1s', host: 'client', socket: { remote: '10.0.0.2:80' }, state: 'TIME_WAIT' },
      { at: '1s', host: 'client', count: 'TIME_WAIT', equals: 1 },
      { step: 2, result: 'EADDRNOTAVAIL' },
      { at: 'end', host: 'client', counter: 'TcpExtTWRecycled', atLeast: 1 },
      { host: 'server', fd: 's', received: 'hello' },
      { at: '1s', host: 'server', state: 'NONE' },
    ],
  });
  const observation: Observation = {
    calls: [
      { step: 2, host: 'client', call: 'connect', fd: 'c', at: 1000, doneAt: 1000, result: 'EADDRNOTAVAIL' },
    ],
    snapshots: [
      {
        at: 1_000_000,
        host: 'client',
        sockets: [{ local: '10.0.0.1:40000', remote: '10.0.0.2:80', state: 'TIME_WAIT', recvQ: 0, sendQ: 0 }],
      },
      { at: 1_000_000, host: 'server', sockets: [] },
    ],
    counters: { client: { TcpExtTWRecycled: 1 }, server: {} },
    received: { 'server/s': 'hello' },
  };

  it('passes when everything matches', () => {
    expect(checkExpectations(scenario, observation)).toEqual({ ok: true, failures: [] });
  });

  it('names the expectation and what was seen', () => {
    const seen: Observation = {
      ...observation,
      calls: [{ ...(observation.calls[0] as Observation['calls'][number]), result: '0' }],
      snapshots: [
        {
          at: 1_000_000,
          host: 'client',
          sockets: [
            { local: '10.0.0.1:40000', remote: '10.0.0.2:80', state: 'FIN_WAIT_2', recvQ: 0, sendQ: 0 },
          ],
        },
        {
          at: 1_000_000,
          host: 'server',
          sockets: [{ local: '10.0.0.2:80', remote: '*:*', state: 'LISTEN', recvQ: 0, sendQ: 0 }],
        },
      ],
      counters: { client: {}, server: {} },
      received: { 'server/s': 'hel' },
    };
    const r = checkExpectations(scenario, seen);
    expect(r.ok).toBe(false);
    expect(r.failures).toEqual([
      'expect[0] client at 1s: socket (remote 10.0.0.2:80) in TIME_WAIT: found FIN_WAIT_2 10.0.0.1:40000 → 10.0.0.2:80',
      'expect[1] client at 1s: TIME_WAIT count = 1: counted 0',
      'expect[2] script[2] returns EADDRNOTAVAIL: returned 0',
      'expect[3] client at end: TcpExtTWRecycled ≥ 1: was 0',
      'expect[4] server/s received "hello": received "hel"',
      'expect[5] server at 1s: a socket absent: found LISTEN 10.0.0.2:80 → *:*',
    ]);
  });
});
