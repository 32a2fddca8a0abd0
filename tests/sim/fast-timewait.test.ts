// TIME_WAIT entries of the load path (src/sim/fast/tw.ts): records in a typed array read through
// views, where the pages keep plain objects (tcb.ts TwSock). A view must read back every field an
// object would hold, including 32-bit sequence numbers above 2^31 that an int32 record stores
// negative; slots must come back when entries go; and a big run must leave no entry, bucket or slot
// behind once every TIME_WAIT has expired.

import { describe, expect, it } from 'vitest';
import { Demux } from '../../src/sim/fast/demux.ts';
import { FastEngine } from '../../src/sim/fast/engine.ts';
import { FastTwPool } from '../../src/sim/fast/tw.ts';
import type { Host } from '../../src/sim/host.ts';
import { createSimulation } from '../../src/sim/simulation.ts';
import { onRto } from '../../src/sim/tcp/output.ts';
import type { AnySock, Sock } from '../../src/sim/tcp/tcb.ts';
import { FIN_WAIT_2, TIME_WAIT, TwSock } from '../../src/sim/tcp/tcb.ts';
import { build, ms, run, sec } from './build-scenario.ts';

const FIELDS = [
  'isTw',
  'hostIdx',
  'state',
  'lip',
  'lport',
  'rip',
  'rport',
  'key',
  'sndNxt',
  'rcvNxt',
  'tsOn',
  'tsRecent',
  'tsRecentStamp',
  'tsOffset',
  'entryStamp',
  'reuseAddr',
  'reusePort',
  'kill',
  'recycleTimeout',
  'tok',
  'expires',
] as const;

function fields(t: TwSock): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const f of FIELDS) o[f] = t[f];
  o.host = t.host;
  return o;
}

/** The fields of a full socket that tcp_time_wait() copies, with the widest values they take. */
function sock(host: Host, i: number): Sock {
  return {
    host,
    hostIdx: 1,
    lip: 0xc0a80001 + i, // 192.168.0.1: above 2^31
    lport: 60999 - (i % 3),
    rip: 0x0a000002,
    rport: 65535,
    key: i % 2 === 0 ? 2 * 4294967296 + (60999 - (i % 3)) * 65536 + 65535 : -1,
    sndNxt: 0xfffffff0 + (i % 16),
    rcvNxt: 0x80000000 + i,
    tsOn: i % 3 !== 0,
    tsRecent: 0xdeadbeef,
    tsRecentStamp: 86_400 * 30,
    tsOffset: 0x9e3779b9,
    reuseAddr: i % 2 === 1,
    reusePort: i % 5 === 0,
  } as unknown as Sock;
}

describe('TIME_WAIT entries as pool records (load path)', () => {
  it('a view reads back every field a TwSock object holds, before and after the TCP code writes them', () => {
    const host = { idx: 1 } as unknown as Host;
    const pool = new FastTwPool([{} as Host, host]);
    for (let i = 0; i < 40; i++) {
      const s = sock(host, i);
      const state = i % 4 === 0 ? FIN_WAIT_2 : TIME_WAIT;
      // Entry stamps past 2^31 ms (24.8 days), which an int32 record stores negative.
      const obj = new TwSock(s, state, 4_000_000_000 + i);
      const view = pool.add(s, state, 4_000_000_000 + i);
      expect(fields(view), `entry ${i}, as created`).toEqual(fields(obj));
      // What timewait.ts and host.ts write later: timer, FIN received, TS.Recent, unhash.
      for (const t of [obj, view]) {
        t.kill = i % 2 === 0;
        t.expires = 4e12 + i; // µs beyond 2^32
        t.tok = 2 ** 40 + i;
        t.state = TIME_WAIT;
        t.rcvNxt = 0xffffffff - i;
        t.tsRecent = 0x80000001 + i;
        t.tsRecentStamp = 1 + i;
        t.entryStamp = 123_456 + i;
        t.recycleTimeout = 3_500_000 + i;
        if (i % 3 === 0) t.key = -1;
      }
      expect(fields(view), `entry ${i}, after writes`).toEqual(fields(obj));
      // A second view of the same slot sees the same entry.
      expect(fields(pool.view((view as unknown as { slot: number }).slot))).toEqual(fields(obj));
    }
  });

  it('refuses an entry past 2^32 ms (49.7 days) with an error that says why, instead of a wrapped stamp', () => {
    const host = { idx: 0 } as unknown as Host;
    const pool = new FastTwPool([host]);
    expect(() => pool.add(sock(host, 0), TIME_WAIT, 2 ** 32)).toThrow(/32-bit milliseconds.*49\.7 days/);
    expect(pool.live, 'no slot taken by the refused entry').toBe(0);
    expect(pool.add(sock(host, 0), TIME_WAIT, 2 ** 32 - 1).entryStamp).toBe(2 ** 32 - 1);
  });

  it('gives slots back: a pool that held 5,000 entries holds 5,000 again without growing', () => {
    const host = { idx: 0 } as unknown as Host;
    const pool = new FastTwPool([host], 16);
    const views = Array.from({ length: 5000 }, (_, i) => pool.add(sock(host, i), TIME_WAIT, 0));
    expect(pool.live).toBe(5000);
    const size = pool.i32.length;
    for (const v of views) v.release();
    expect(pool.live).toBe(0);
    const again = Array.from({ length: 5000 }, (_, i) => pool.add(sock(host, i), TIME_WAIT, 0));
    expect(pool.i32.length, 'no new record was needed').toBe(size);
    const slots = new Set(again.map((v) => (v as unknown as { slot: number }).slot));
    expect(slots.size, 'no slot handed out twice').toBe(5000);
  });
});

describe('a demux table holding TIME_WAIT entries by slot and sockets as objects', () => {
  it('agrees with a Map over 100,000 random inserts, replacements and deletions of both kinds', () => {
    const host = { idx: 0 } as unknown as Host;
    const pool = new FastTwPool([host]);
    const d = new Demux(pool);
    const ref = new Map<string, AnySock>();
    let x = 7;
    const rnd = (n: number): number => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x % n;
    };
    // Few distinct tuples, so probe runs are long and backward shifts move both kinds of value.
    const tuple = (): [number, number, number, number] => [
      rnd(2),
      32768 + rnd(200),
      0xc0a80000 + rnd(3),
      8000 + rnd(30),
    ];
    const same = (a: AnySock | undefined, b: AnySock | undefined): boolean =>
      a === b ||
      (a?.isTw === true &&
        b?.isTw === true &&
        (a as unknown as { slot: number }).slot === (b as unknown as { slot: number }).slot);
    for (let op = 0; op < 100_000; op++) {
      const [l, lp, r, rp] = tuple();
      const k = `${l}/${lp}/${r}/${rp}`;
      const kind = rnd(4);
      if (kind < 2) {
        const v =
          kind === 0 ? pool.add(sock(host, op), TIME_WAIT, 0) : ({ isTw: false, op } as unknown as AnySock);
        d.set(l, lp, r, rp, v);
        ref.set(k, v);
      } else {
        const cur = ref.get(k);
        const other =
          kind === 2 ? pool.add(sock(host, op), TIME_WAIT, 0) : ({ isTw: false } as unknown as AnySock);
        expect(d.deleteIf(l, lp, r, rp, other), 'deletes only what the tuple maps to').toBe(false);
        expect(d.deleteIf(l, lp, r, rp, cur ?? other)).toBe(cur !== undefined);
        ref.delete(k);
      }
      const [ql, qlp, qr, qrp] = tuple();
      const got = d.get(ql, qlp, qr, qrp);
      const want = ref.get(`${ql}/${qlp}/${qr}/${qrp}`);
      if (!same(got, want)) expect({ op, got, want }).toBeNull();
    }
    expect(d.size).toBe(ref.size);
    const all = [...d.values()];
    expect(all.length).toBe(ref.size);
    for (const v of ref.values()) expect(all.some((a) => same(a, v))).toBe(true);
    // No object left behind in a slot that now holds a TIME_WAIT entry or nothing.
    const vals = (d as unknown as { vals: unknown[] }).vals.filter((v) => v !== undefined);
    expect(vals.length).toBe([...ref.values()].filter((v) => !v.isTw).length);
  });
  it('lets go of a deleted socket when a TIME_WAIT entry of the same probe run moves into its place', () => {
    const host = { idx: 0 } as unknown as Host;
    const pool = new FastTwPool([host]);
    const d = new Demux(pool);
    const internals = d as unknown as { vals: unknown[]; slotOf(l: number, p: number, r: number): number };
    // Two tuples with the same home slot: the second lands after the first, in the same run.
    const seen = new Map<number, number>();
    let a = -1;
    let b = -1;
    for (let lp = 1024; b < 0; lp++) {
      const h = internals.slotOf(0, (lp << 16) | 80, 5);
      const other = seen.get(h);
      if (other !== undefined) [a, b] = [other, lp];
      else seen.set(h, lp);
    }
    const socket = { isTw: false } as unknown as AnySock;
    const entry = pool.add(sock(host, 1), TIME_WAIT, 0);
    d.set(0, a, 5, 80, socket);
    d.set(0, b, 5, 80, entry);
    expect(d.deleteIf(0, a, 5, 80, socket)).toBe(true);
    expect(d.get(0, b, 5, 80)?.isTw).toBe(true);
    expect(
      internals.vals.filter((v) => v !== undefined),
      'the socket is not kept alive',
    ).toEqual([]);
    expect(d.deleteIf(0, b, 5, 80, entry)).toBe(true);
    expect(d.size).toBe(0);
  });
});

describe('a load run on the fast path', () => {
  it('leaves no TIME_WAIT entry or port bucket behind once every 60 s has run out', () => {
    const n = 3000;
    const rate = 1000;
    const scenario = build({
      until: sec(n / rate + 62),
      load: {
        client: 'client',
        server: 'server',
        dstIps: ['10.0.0.2'],
        dstPorts: [8000, 8001, 8002],
        srcIps: [],
        rate,
        start: 0,
        duration: sec(n / rate),
        requestBytes: 100,
        responseBytes: 100,
        closer: 'client',
        requestsPerConnection: 1,
        pool: 0,
        sampleEvery: sec(1),
      },
    });
    const sim = createSimulation(scenario);
    sim.runUntil(sec(2));
    // Mid-run: the ss table lists TIME_WAIT entries (views of pool records) with their timers.
    const tw = sim.sockets('client').filter((r) => r.state === 'TIME_WAIT');
    expect(tw.length).toBeGreaterThan(1500);
    for (const r of tw.slice(0, 50)) {
      expect(r.remote).toMatch(/^10\.0\.0\.2:800[012]$/);
      expect(r.timer?.kind).toBe('timewait');
      expect(r.timer?.remaining).toBeGreaterThan(sec(57));
      expect(r.timer?.remaining).toBeLessThanOrEqual(sec(60));
    }
    sim.runUntil();
    const client = sim.samples.filter((x) => x.host === 'client');
    expect(Math.max(...client.map((x) => x.timeWait))).toBeGreaterThanOrEqual(n - 5);
    const last = client.at(-1);
    expect(last?.connects).toBe(n);
    expect(last?.timeWait, 'every entry expired').toBe(0);
    expect(last?.portsInUse, 'every bind bucket emptied').toBe(0);
    expect(sim.sockets('client')).toEqual([]);
    expect(sim.counters('client').TcpExtTW).toBe(n);
    // 17 events and 8 segments per connection, as in BENCHMARKS.md.
    expect(sim.stats.segments).toBe(8 * n);
  });

  it('a socket bound to a port held by TIME_WAIT entries sees them as bind() conflicts', () => {
    // The client closes first from port 40000 twice (two server ports), so two entries share the
    // bucket; bind() without SO_REUSEADDR must find them, with it on both it may share the port.
    const script = [
      { at: 0, host: 'server', call: 'socket', as: 'L' },
      { at: 0, host: 'server', call: 'bind', fd: 'L', addr: { ip: '0.0.0.0', port: 80 } },
      { at: 0, host: 'server', call: 'listen', fd: 'L', backlog: 8 },
      { at: 0, host: 'server', call: 'socket', as: 'L2' },
      { at: 0, host: 'server', call: 'bind', fd: 'L2', addr: { ip: '0.0.0.0', port: 81 } },
      { at: 0, host: 'server', call: 'listen', fd: 'L2', backlog: 8 },
      ...[80, 81].flatMap((port, i) => [
        { at: ms(10 + i), host: 'client', call: 'socket', as: `C${i}` },
        { at: ms(10 + i), host: 'client', call: 'setsockopt', fd: `C${i}`, option: 'SO_REUSEADDR', value: 1 },
        { at: ms(10 + i), host: 'client', call: 'bind', fd: `C${i}`, addr: { ip: '0.0.0.0', port: 40000 } },
        { at: ms(10 + i), host: 'client', call: 'connect', fd: `C${i}`, addr: { ip: '10.0.0.2', port } },
        { at: ms(100 + i), host: 'server', call: 'accept', fd: i === 0 ? 'L' : 'L2', as: `S${i}` },
        { at: ms(200 + i), host: 'client', call: 'close', fd: `C${i}` },
        { at: ms(300 + i), host: 'server', call: 'close', fd: `S${i}` },
      ]),
      { at: sec(2), host: 'client', call: 'socket', as: 'P' },
      { at: sec(2), host: 'client', call: 'bind', fd: 'P', addr: { ip: '0.0.0.0', port: 40000 } },
      { at: sec(2), host: 'client', call: 'socket', as: 'Q' },
      { at: sec(2), host: 'client', call: 'setsockopt', fd: 'Q', option: 'SO_REUSEADDR', value: 1 },
      { at: sec(2), host: 'client', call: 'bind', fd: 'Q', addr: { ip: '0.0.0.0', port: 40000 } },
    ] as Parameters<typeof build>[0]['script'];
    const { sim } = run(build({ until: sec(3), script }), sec(3));
    const rows = sim.sockets('client').filter((r) => r.state === 'TIME_WAIT');
    expect(rows.map((r) => r.local)).toEqual(['10.0.0.1:40000', '10.0.0.1:40000']);
    const binds = sim.calls.filter((c) => c.call === 'bind' && c.at === sec(2));
    expect(binds.map((c) => c.result)).toEqual(['EADDRINUSE', '0']);
  });
});

describe('stale timers on the load path', () => {
  it('lets go of a timer that went stale after its first look, at the second look', () => {
    const e = new FastEngine();
    const ring = (): unknown[] => (e as unknown as { rings: { args: unknown[] }[] }).rings[0]?.args ?? [];
    const arm = (s: { rtxTok: number }): void => {
      s.rtxTok = e.after(1_000_000, onRto, s as unknown as Sock);
    };
    /** A push makes the engine look; this timer's owner moves on at once. */
    const poke = (): void => {
      const s = { rtxTok: 0 };
      arm(s);
      s.rtxTok = -1;
    };
    // A connection on a slow link: its timer is still live when the first look comes (20 ms) …
    const slow = { rtxTok: 0 };
    const live = { rtxTok: 0 };
    arm(slow);
    arm(live);
    e.runUntil(30_000);
    poke();
    expect(ring()).toContain(slow);
    // … and is superseded at 100 ms: the second look (200 ms) releases it, the live one stays.
    slow.rtxTok = -1;
    e.runUntil(250_000);
    poke();
    expect(ring(), 'the stale timer no longer holds its socket').not.toContain(slow);
    expect(ring(), 'a live timer keeps its socket').toContain(live);
    live.rtxTok = -1;
    const before = e.events;
    e.runUntil(2_000_000);
    expect(e.events - before, 'released timers still run as events').toBe(4);
  });
});
