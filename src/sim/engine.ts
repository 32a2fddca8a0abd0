// The event queue. Events run in order of (time, insertion sequence), so events at the same instant
// run in the order they were scheduled. Time is an integer number of microseconds.
//
// Two structures hold pending events, and the next event is the smallest (time, seq) among them:
// - a binary heap in parallel arrays (no object per event), for anything;
// - FIFO "lanes" for streams whose times never decrease: timers of one fixed length (every TIME_WAIT
//   timer is 60 s, so they expire in the order they were set) and deliveries over one link. A push is
//   O(1) and a million TIME_WAIT timers do not deepen the heap. A time that would go backwards in a
//   lane goes to the heap instead, so the order is exactly the heap's.
//
// A handler is a plain function taking the argument it was scheduled with and the event's sequence
// number. Timers are cancelled lazily: the owner remembers the sequence number of the timer it armed,
// and a handler that finds another one stored does nothing (like a re-armed Linux timer whose old
// expiry never runs).
//
// This is the compact engine that chapter pages run. Runs built while the load generator is loaded use
// fast/engine.ts instead (ring-buffer lanes, stale timers released): the same order, event for event.

import type { Micros } from './types.ts';

export type Handler = (arg: never, seq: number) => void;

export class Lane {
  times: number[] = [];
  seqs: number[] = [];
  fns: Handler[] = [];
  args: unknown[] = [];
  head = 0;
  last = 0;

  get size(): number {
    return this.times.length - this.head;
  }

  compact(): void {
    const h = this.head;
    this.times.splice(0, h);
    this.seqs.splice(0, h);
    this.fns.splice(0, h);
    this.args.splice(0, h);
    this.head = 0;
  }
}

/** At most this many fixed-delay lanes; further delays use the heap. */
const MAX_DELAY_LANES = 16;

export class Engine {
  now: Micros = 0;
  /** Events run so far (including stale timers that found themselves cancelled). */
  events = 0;
  protected seq = 0;
  protected times: number[] = [];
  protected seqs: number[] = [];
  protected fns: Handler[] = [];
  protected args: unknown[] = [];
  protected size = 0;
  private lanes: Lane[] = [];
  private delayLanes = new Map<number, Lane>();

  get pending(): number {
    let n = this.size;
    for (const l of this.lanes) n += l.size;
    return n;
  }

  /** A new FIFO lane for a stream of events whose times do not decrease. */
  lane(): Lane {
    const l = new Lane();
    this.lanes.push(l);
    return l;
  }

  /** Schedule `fn(arg, seq)` `delay` µs from now (a lane per distinct delay). */
  after<A>(delay: number, fn: (arg: A, seq: number) => void, arg: A): number {
    let l = this.delayLanes.get(delay);
    if (l === undefined) {
      if (this.delayLanes.size >= MAX_DELAY_LANES) return this.at(this.now + delay, fn, arg);
      l = this.lane();
      this.delayLanes.set(delay, l);
    }
    return this.atLane(l, this.now + delay, fn, arg);
  }

  /** Schedule in `lane` if `t` keeps it ordered, else in the heap. */
  atLane<A>(lane: Lane, t: Micros, fn: (arg: A, seq: number) => void, arg: A): number {
    const time = t < this.now ? this.now : t;
    if (time < lane.last) return this.at(time, fn, arg);
    const s = ++this.seq;
    lane.last = time;
    lane.times.push(time);
    lane.seqs.push(s);
    lane.fns.push(fn as Handler);
    lane.args.push(arg);
    return s;
  }

  /** Schedule `fn(arg, seq)` at absolute time `t` (never before now); returns the event's sequence number. */
  at<A>(t: Micros, fn: (arg: A, seq: number) => void, arg: A): number {
    const s = ++this.seq;
    const time = t < this.now ? this.now : t;
    let i = this.size++;
    const times = this.times;
    const seqs = this.seqs;
    const fns = this.fns;
    const args = this.args;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = times[p] as number;
      if (pt < time || (pt === time && (seqs[p] as number) < s)) break;
      times[i] = pt;
      seqs[i] = seqs[p] as number;
      fns[i] = fns[p] as Handler;
      args[i] = args[p];
      i = p;
    }
    times[i] = time;
    seqs[i] = s;
    fns[i] = fn as Handler;
    args[i] = arg;
    return s;
  }

  /** Where the next event is: -1 = heap, i = lanes[i], -2 = none. Sets nextTime. */
  protected nextTime = 0;
  protected pick(): number {
    let src = -2;
    let bt = Number.POSITIVE_INFINITY;
    let bs = 0;
    if (this.size > 0) {
      src = -1;
      bt = this.times[0] as number;
      bs = this.seqs[0] as number;
    }
    const lanes = this.lanes;
    for (let i = 0; i < lanes.length; i++) {
      const l = lanes[i] as Lane;
      const h = l.head;
      if (h >= l.times.length) continue;
      const t = l.times[h] as number;
      if (t < bt || (t === bt && (l.seqs[h] as number) < bs)) {
        src = i;
        bt = t;
        bs = l.seqs[h] as number;
      }
    }
    this.nextTime = bt;
    return src;
  }

  /** Time of the earliest pending event, or Infinity. */
  peekTime(): number {
    this.pick();
    return this.nextTime;
  }

  /** Run every event at or before `t`; the clock ends at `t`. */
  runUntil(t: Micros): void {
    for (;;) {
      const src = this.pick();
      if (src === -2 || this.nextTime > t) break;
      this.runFrom(src);
    }
    if (t > this.now) this.now = t;
  }

  /** Run every event of the next instant that has any (and not later than `limit`); false if none. */
  runInstant(limit: Micros): boolean {
    let src = this.pick();
    if (src === -2 || this.nextTime > limit) return false;
    const t = this.nextTime;
    while (src !== -2 && this.nextTime === t) {
      this.runFrom(src);
      src = this.pick();
    }
    return true;
  }

  protected runFrom(src: number): void {
    if (src === -1) {
      this.runHeap();
      return;
    }
    const l = this.lanes[src] as Lane;
    const h = l.head;
    const time = l.times[h] as number;
    const s = l.seqs[h] as number;
    const fn = l.fns[h] as Handler;
    const arg = l.args[h];
    l.args[h] = undefined;
    l.head = h + 1;
    if (l.head === l.times.length) {
      l.times.length = 0;
      l.seqs.length = 0;
      l.fns.length = 0;
      l.args.length = 0;
      l.head = 0;
    } else if (l.head > 4096 && l.head * 2 > l.times.length) l.compact();
    this.now = time;
    this.events++;
    (fn as (a: unknown, s: number) => void)(arg, s);
  }

  private runHeap(): void {
    const times = this.times;
    const seqs = this.seqs;
    const fns = this.fns;
    const args = this.args;
    const time = times[0] as number;
    const s = seqs[0] as number;
    const fn = fns[0] as Handler;
    const arg = args[0];
    const n = --this.size;
    if (n > 0) {
      const lt = times[n] as number;
      const ls = seqs[n] as number;
      const lf = fns[n] as Handler;
      const la = args[n];
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        const r = c + 1;
        if (r < n) {
          const ct = times[c] as number;
          const rt = times[r] as number;
          if (rt < ct || (rt === ct && (seqs[r] as number) < (seqs[c] as number))) c = r;
        }
        const ct = times[c] as number;
        if (lt < ct || (lt === ct && ls < (seqs[c] as number))) break;
        times[i] = ct;
        seqs[i] = seqs[c] as number;
        fns[i] = fns[c] as Handler;
        args[i] = args[c];
        i = c;
      }
      times[i] = lt;
      seqs[i] = ls;
      fns[i] = lf;
      args[i] = la;
    }
    args[n] = undefined;
    this.now = time;
    this.events++;
    (fn as (a: unknown, s: number) => void)(arg, s);
  }
}
