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

import type { Micros } from './types.ts';

export type Handler = (arg: never, seq: number) => void;

/**
 * A FIFO of events in a ring buffer (typed arrays for times and sequence numbers), so a lane that
 * holds a million TIME_WAIT timers never shifts or compacts its arrays: a push writes one slot, a
 * pop advances the head.
 */
export class Lane {
  /** Position among the engine's lanes (its entry in the engine's head arrays). */
  readonly id: number;
  times = new Float64Array(16);
  seqs = new Float64Array(16);
  fns: (Handler | undefined)[] = new Array(16).fill(undefined);
  args: unknown[] = new Array(16).fill(undefined);
  head = 0;
  size = 0;
  mask = 15;
  last = 0;
  /** Events taken from this lane so far (with `size`, turns a push's position into a ring index). */
  popped = 0;

  constructor(id: number) {
    this.id = id;
  }

  /** Double the ring, unrolled from the head so that the order stays the same. */
  grow(): void {
    const cap = this.mask + 1;
    const times = new Float64Array(cap * 2);
    const seqs = new Float64Array(cap * 2);
    const fns: (Handler | undefined)[] = new Array(cap * 2).fill(undefined);
    const args: unknown[] = new Array(cap * 2).fill(undefined);
    for (let k = 0; k < cap; k++) {
      const i = (this.head + k) & this.mask;
      times[k] = this.times[i] as number;
      seqs[k] = this.seqs[i] as number;
      fns[k] = this.fns[i];
      args[k] = this.args[i];
    }
    this.times = times;
    this.seqs = seqs;
    this.fns = fns;
    this.args = args;
    this.head = 0;
    this.mask = cap * 2 - 1;
  }
}

/** What a cancelled lane event runs: nothing (see Engine.cancel). */
const NOOP: Handler = () => {};

/** At most this many fixed-delay lanes; further delays use the heap. */
const MAX_DELAY_LANES = 16;

export class Engine {
  now: Micros = 0;
  /** Events run so far (including stale timers that found themselves cancelled). */
  events = 0;
  private seq = 0;
  private times: number[] = [];
  private seqs: number[] = [];
  private fns: Handler[] = [];
  private args: unknown[] = [];
  private size = 0;
  private lanes: Lane[] = [];
  /**
   * Time and sequence number of each lane's first event (Infinity when empty), side by side, so
   * finding the next event scans two flat arrays instead of visiting every lane object.
   */
  private laneT = new Float64Array(8).fill(Number.POSITIVE_INFINITY);
  private laneS = new Float64Array(8);
  private delayLanes = new Map<number, Lane>();
  /**
   * Where the event scheduled last went: a lane's index and the event's position in it (pushes so
   * far), or lane −1 for the heap. An owner that keeps both can cancel() the event later.
   */
  lastLane = -1;
  lastPos = 0;

  get pending(): number {
    let n = this.size;
    for (const l of this.lanes) n += l.size;
    return n;
  }

  /** A new FIFO lane for a stream of events whose times do not decrease. */
  lane(): Lane {
    const l = new Lane(this.lanes.length);
    this.lanes.push(l);
    if (this.lanes.length > this.laneT.length) {
      const t = new Float64Array(this.laneT.length * 2).fill(Number.POSITIVE_INFINITY);
      t.set(this.laneT);
      const q = new Float64Array(this.laneS.length * 2);
      q.set(this.laneS);
      this.laneT = t;
      this.laneS = q;
    }
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
    this.lastLane = lane.id;
    this.lastPos = lane.popped + lane.size;
    if (lane.size > lane.mask) lane.grow();
    const i = (lane.head + lane.size) & lane.mask;
    lane.times[i] = time;
    lane.seqs[i] = s;
    lane.fns[i] = fn as Handler;
    lane.args[i] = arg;
    if (lane.size++ === 0) {
      this.laneT[lane.id] = time;
      this.laneS[lane.id] = s;
    }
    return s;
  }

  /** Schedule `fn(arg, seq)` at absolute time `t` (never before now); returns the event's sequence number. */
  at<A>(t: Micros, fn: (arg: A, seq: number) => void, arg: A): number {
    const s = ++this.seq;
    this.lastLane = -1;
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

  /**
   * Cancel a pending lane event (`lane`, `pos` as lastLane/lastPos gave them, `seq` its number): it
   * still runs at its time and counts as an event, exactly like a stale timer whose owner ignores it,
   * but as a no-op that no longer holds its argument. So a socket whose timers were cancelled is not
   * kept alive (and copied by the garbage collector) until they expire — the 1 s SYN timer would
   * keep every connection of the last second. Heap events (lane −1) stay as they are.
   */
  cancel(lane: number, pos: number, seq: number): void {
    if (lane < 0) return;
    const l = this.lanes[lane] as Lane;
    const k = pos - l.popped;
    if (k < 0 || k >= l.size) return;
    const i = (l.head + k) & l.mask;
    if (l.seqs[i] !== seq) return;
    l.fns[i] = NOOP;
    l.args[i] = undefined;
  }

  /** Where the next event is: -1 = heap, i = lanes[i], -2 = none. Sets nextTime. */
  private nextTime = 0;
  private pick(): number {
    let src = -2;
    let bt = Number.POSITIVE_INFINITY;
    let bs = 0;
    if (this.size > 0) {
      src = -1;
      bt = this.times[0] as number;
      bs = this.seqs[0] as number;
    }
    const lt = this.laneT;
    const ls = this.laneS;
    const n = this.lanes.length;
    for (let i = 0; i < n; i++) {
      const t = lt[i] as number;
      if (t < bt || (t === bt && t !== Number.POSITIVE_INFINITY && (ls[i] as number) < bs)) {
        src = i;
        bt = t;
        bs = ls[i] as number;
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

  private runFrom(src: number): void {
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
    l.head = (h + 1) & l.mask;
    l.popped++;
    if (--l.size === 0) this.laneT[src] = Number.POSITIVE_INFINITY;
    else {
      this.laneT[src] = l.times[l.head] as number;
      this.laneS[src] = l.seqs[l.head] as number;
    }
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
