// The structures of src/sim/fast/ against the plain ones they stand in for, through the cases that
// only show in big runs: a crowded connection table that must shift colliding entries back on
// deletion, ring lanes that wrap and grow, events that overtake a lane and go to the heap, and stale
// timers replaced by no-ops. The trace fingerprints cover the simulator as a whole on both paths.

import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/sim/engine.ts';
import { Demux } from '../../src/sim/fast/demux.ts';
import { FastEngine } from '../../src/sim/fast/engine.ts';
import { onRto } from '../../src/sim/tcp/output.ts';
import type { AnySock, Sock } from '../../src/sim/tcp/tcb.ts';

/** A small deterministic generator (LCG), so a failure can be replayed. */
function lcg(seed: number): (n: number) => number {
  let x = seed >>> 0;
  return (n) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x % n;
  };
}

describe('flat demux table', () => {
  it('agrees with a Map over 200,000 random inserts, replacements and deletions', () => {
    const d = new Demux();
    const ref = new Map<string, AnySock>();
    const rnd = lcg(12345);
    // Few distinct values per field, so tuples repeat and probe runs get long.
    const tuple = (): [number, number, number, number] => [
      rnd(2),
      32768 + rnd(300),
      (0xc0a80000 + rnd(3)) | 0,
      8000 + rnd(40),
    ];
    const sock = (): AnySock => ({ id: Math.random() }) as unknown as AnySock;
    for (let op = 0; op < 200_000; op++) {
      const [l, lp, r, rp] = tuple();
      const k = `${l}/${lp}/${r}/${rp}`;
      if (rnd(3) < 2) {
        const s = sock();
        d.set(l, lp, r, rp, s);
        ref.set(k, s);
      } else {
        const cur = ref.get(k);
        const other = sock();
        expect(d.deleteIf(l, lp, r, rp, other), 'deletes only the socket it maps to').toBe(false);
        expect(d.deleteIf(l, lp, r, rp, cur ?? other)).toBe(cur !== undefined);
        ref.delete(k);
      }
      const [ql, qlp, qr, qrp] = tuple();
      expect(d.get(ql, qlp, qr, qrp)).toBe(ref.get(`${ql}/${qlp}/${qr}/${qrp}`));
    }
    expect(d.size).toBe(ref.size);
    expect(new Set(d.values())).toEqual(new Set(ref.values()));
  });
});

/** Run a random schedule on an engine; returns the order (seq, time) in which events ran. */
function schedule(e: Engine, seed: number): string[] {
  const rnd = lcg(seed);
  const ran: string[] = [];
  const lanes = [e.lane(), e.lane(), e.lane()];
  const handlers = [0, 1, 2, 3].map((h) => (arg: number, seq: number) => {
    ran.push(`${h}:${arg}:${seq}@${e.now}`);
    // Events schedule more events, as segment arrivals and timers do.
    if (ran.length < 60_000) push(rnd(4));
  });
  let arg = 0;
  const push = (n: number): void => {
    for (let i = 0; i < n; i++) {
      const fn = handlers[rnd(4)] as (a: number, s: number) => void;
      const kind = rnd(4);
      // Times in coarse steps, so that many events share an instant and only the sequence orders them.
      const t = e.now + 1000 * rnd(50);
      if (kind === 0) e.at(t, fn, arg++);
      else if (kind === 1) e.atLane(lanes[rnd(3)] as ReturnType<Engine['lane']>, t, fn, arg++);
      else e.after(1000 * (1 + rnd(20)), fn, arg++);
    }
  };
  push(200);
  while (e.runInstant(Number.POSITIVE_INFINITY)) {}
  expect(e.pending).toBe(0);
  return ran;
}

describe('fast engine', () => {
  it('runs a random schedule of heap, lane and fixed-delay events in exactly the order of Engine', () => {
    for (const seed of [1, 2, 3]) {
      const a = schedule(new Engine(), seed);
      const b = schedule(new FastEngine(), seed);
      expect(a.length).toBeGreaterThan(50_000);
      // The first difference, not a 60,000-line diff.
      const i = a.findIndex((x, k) => b[k] !== x);
      expect(i < 0 ? null : { at: i, engine: a[i], fast: b[i] }, `seed ${seed}`).toBeNull();
      expect(b.length).toBe(a.length);
    }
  });

  it('replaces a stale timer by a no-op that still runs and counts, and leaves live ones alone', () => {
    const e = new FastEngine();
    const socks: { rtxTok: number }[] = [];
    // Timers in one fixed-delay lane, 10 µs apart; every other one is superseded at once.
    for (let i = 0; i < 20_000; i++) {
      const s = { rtxTok: 0 };
      s.rtxTok = e.after(1_000_000, onRto, s as unknown as Sock);
      if (i % 2 === 1) s.rtxTok = -1; // the owner moved on: onRto would return at once
      socks.push(s);
      e.runUntil(e.now + 10);
    }
    // A sweep looks at events once they are 20 ms old (and again at 200 ms), when something new is pushed.
    e.runUntil(e.now + 60_000);
    const last = { rtxTok: 0 };
    last.rtxTok = e.after(1_000_000, onRto, last as unknown as Sock);
    socks.push(last);
    // Peek at the lane: released entries hold no argument any more.
    const ring = (e as unknown as { rings: { args: unknown[] }[] }).rings[0] as { args: unknown[] };
    const held = new Set(ring.args.filter((a) => a !== undefined));
    const stale = socks.filter((s) => s.rtxTok === -1);
    const released = stale.filter((s) => !held.has(s)).length;
    expect(released, 'every stale timer was let go').toBe(stale.length);
    for (const s of socks)
      if (s.rtxTok !== -1) expect(held.has(s), 'a live timer keeps its socket').toBe(true);
    // Live ones would fire onRto, which needs a real socket: mark them stale too, then run everything.
    for (const s of socks) s.rtxTok = -1;
    const before = e.events;
    e.runUntil(e.now + 2_000_000);
    expect(e.events - before, 'every timer still runs as an event').toBe(20_001);
    expect(e.pending).toBe(0);
  });
});
