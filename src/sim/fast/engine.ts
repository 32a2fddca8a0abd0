// The event queue of big runs (installed with the load generator, see ../load-hook.ts): the same
// (time, seq) order as ../engine.ts, so the same trace, with structures that pay off at a million
// connections and would only weigh on a chapter page that runs thirty segments:
//
// - lanes are ring buffers (typed arrays for times and sequence numbers), so a lane holding a million
//   TIME_WAIT timers never shifts or compacts its arrays, and the lanes' first events sit side by side
//   in two flat arrays for the next-event scan;
// - stale timers let go of their argument. A timer is cancelled lazily (its owner stores another
//   token and the handler, when it runs, returns at once), so a cancelled 1 s SYN timer would keep its
//   socket alive for a second after the connection went to TIME_WAIT, and the garbage collector would
//   copy and promote every connection of the last second. Handlers whose staleness can be read off
//   their argument are registered in `stale`; now and then the engine replaces such events that can
//   no longer do anything by a no-op without argument. The event still runs at its time and counts in
//   `events`, exactly as the stale handler would have, so nothing observable changes.

import type { Handler } from '../engine.ts';
import { Engine, type Lane } from '../engine.ts';
import { flushAck, onProbe, onRto } from '../tcp/output.ts';
import type { Sock } from '../tcp/tcb.ts';
import type { Micros } from '../types.ts';
import { type FastTwPool, TwView } from './tw.ts';

const rtxStale = (s: Sock, seq: number): boolean => s.rtxTok !== seq;

/** At most this many handlers get a lane of their own for absolute-time events (see FastEngine.at). */
const MAX_FN_LANES = 16;

/** At most this many fixed-delay lanes, as in ../engine.ts; further delays use the heap. */
const MAX_DELAY_LANES = 16;

/** What a released event runs: nothing. */
const NOOP: Handler = () => {};

/** A lane's ring starts with this many slots (a power of two) and doubles when full. */
const RING = 16;

/** The heap is swept after this many new events plus its size. */
const SWEEP_MIN = 512;

/**
 * A lane's event is looked at for staleness when it is this old (µs of simulated time), and once more
 * at SWEEP_AGE_2 if it was still live: the first look comes while its socket is likely still in the
 * CPU's cache (on a 5 ms link a SYN timer is stale 10 ms after it was set, a loss probe 10 ms after
 * the data it guards went out), the second catches the owners on slower links.
 */
const SWEEP_AGE = 20_000;
const SWEEP_AGE_2 = 200_000;

class Ring {
  /** Position among the engine's rings (its entry in laneT / laneS); −1 until its first event. */
  id: number;
  times = new Float64Array(RING);
  seqs = new Float64Array(RING);
  fns: (Handler | undefined)[] = new Array(RING).fill(undefined);
  args: unknown[] = new Array(RING).fill(undefined);
  head = 0;
  size = 0;
  mask = RING - 1;
  last = 0;
  /** Some event pushed here has a staleness test (a lane of TIME_WAIT timers or deliveries never does). */
  sweep = false;
  /**
   * The delay of a fixed-delay lane (Engine.after), −1 for others. A look is only worth its cost if
   * the event would otherwise wait a good while longer: a 40 ms delayed-ACK timer is not looked at, a
   * 200 ms retransmission timer once, a 1 s SYN timer twice.
   */
  delay = -1;
  /** The last handler pushed here that was asked about (a lane mostly carries one handler). */
  seenFn: Handler | undefined = undefined;
  /** When each event was pushed (times of pushes never decrease along the ring). */
  born = new Float64Array(RING);
  /** Events taken from this ring so far (with `size`, turns a push count into a ring position). */
  popped = 0;
  /** Push count up to which events were looked at for staleness (see FastEngine.sweepRing). */
  checked = 0;
  /** The same for the second look. */
  checked2 = 0;

  constructor(id: number) {
    this.id = id;
  }

  /** Double the ring, unrolled from the head so that the order stays the same. */
  grow(): void {
    const cap = this.mask + 1;
    const times = new Float64Array(cap * 2);
    const seqs = new Float64Array(cap * 2);
    const born = new Float64Array(cap * 2);
    const fns: (Handler | undefined)[] = new Array(cap * 2).fill(undefined);
    const args: unknown[] = new Array(cap * 2).fill(undefined);
    for (let k = 0; k < cap; k++) {
      const i = (this.head + k) & this.mask;
      times[k] = this.times[i] as number;
      seqs[k] = this.seqs[i] as number;
      born[k] = this.born[i] as number;
      fns[k] = this.fns[i];
      args[k] = this.args[i];
    }
    this.times = times;
    this.seqs = seqs;
    this.born = born;
    this.fns = fns;
    this.args = args;
    this.head = 0;
    this.mask = cap * 2 - 1;
  }
}

export class FastEngine extends Engine {
  private rings: Ring[] = [];
  /** Time and sequence number of each ring's first event (Infinity when empty). */
  private laneT = new Float64Array(8).fill(Number.POSITIVE_INFINITY);
  private laneS = new Float64Array(8);
  private heapFresh = 0;
  /** The lane of each handler that schedules at absolute times (see at()). */
  private byFn = new Map<Handler, Ring>();
  private atFn: Handler | undefined = undefined;
  private atRing: Ring | undefined = undefined;
  /**
   * Handlers whose pending events can be recognised as dead: `test(arg, seq)` is true once the event,
   * if it ran, would return without doing anything, and stays true (tokens are sequence numbers,
   * never reused, so a timer whose owner stored another token is stale for good).
   */
  readonly stale = new Map<Handler, (arg: never, seq: number) => boolean>([
    // output.ts: each returns at once when the socket holds another token (`if (s.rtxTok !== tok) return`).
    [onRto, rtxStale],
    [onProbe, rtxStale],
    [flushAck, (s: Sock, seq: number) => s.ackTok !== seq],
  ]);

  /**
   * The handler of TIME_WAIT timers (../tcp/timewait.ts twTimer), learnt from the first event
   * scheduled with a TwView: a lane holds such an event's slot number instead of the view (a million
   * pending 60 s timers then keep no object alive), and a view is made again when the event runs.
   */
  private twFn: Handler | undefined;
  private twPool: FastTwPool | undefined;

  /** The fixed delays that have a lane, and their lanes (a few; a scan beats hashing the delay). */
  private delays: number[] = [];
  private delayRings: Ring[] = [];

  override get pending(): number {
    let n = this.size;
    for (const r of this.rings) n += r.size;
    return n;
  }

  /** A new FIFO lane (a ring; the engine's callers only hand it back to atLane()). */
  override lane(): Lane {
    return new Ring(-1) as unknown as Lane;
  }

  /**
   * A ring joins the next-event scan with its first event: lanes that never get one (the network
   * makes one per link direction, which deliveries scheduled with at() do not use) cost nothing.
   */
  private register(r: Ring): void {
    r.id = this.rings.length;
    this.rings.push(r);
    if (this.rings.length > this.laneT.length) {
      const t = new Float64Array(this.laneT.length * 2).fill(Number.POSITIVE_INFINITY);
      t.set(this.laneT);
      const q = new Float64Array(this.laneS.length * 2);
      q.set(this.laneS);
      this.laneT = t;
      this.laneS = q;
    }
  }

  /** Engine.after(), with the same lanes created in the same order. */
  override after<A>(delay: number, fn: (arg: A, seq: number) => void, arg: A): number {
    const ds = this.delays;
    for (let i = 0; i < ds.length; i++)
      if (ds[i] === delay)
        return this.atLane(this.delayRings[i] as unknown as Lane, this.now + delay, fn, arg);
    if (ds.length >= MAX_DELAY_LANES) return this.at(this.now + delay, fn, arg);
    const r = this.lane() as unknown as Ring;
    r.delay = delay;
    ds.push(delay);
    this.delayRings.push(r);
    return this.atLane(r as unknown as Lane, this.now + delay, fn, arg);
  }

  override atLane<A>(lane: Lane, t: Micros, fn: (arg: A, seq: number) => void, arg: A): number {
    const r = lane as unknown as Ring;
    const time = t < this.now ? this.now : t;
    if (time < r.last) return this.heapAt(time, fn, arg);
    if (r.id < 0) this.register(r);
    const s = ++this.seq;
    r.last = time;
    if (r.size > r.mask) r.grow();
    const i = (r.head + r.size) & r.mask;
    r.times[i] = time;
    r.seqs[i] = s;
    r.born[i] = this.now;
    r.fns[i] = fn as Handler;
    if (fn === this.twFn) r.args[i] = (arg as unknown as TwView).slot;
    else if (this.twFn === undefined && arg instanceof TwView) {
      this.twFn = fn as Handler;
      this.twPool = arg.pool;
      r.args[i] = arg.slot;
    } else r.args[i] = arg;
    if (r.size++ === 0) {
      this.laneT[r.id] = time;
      this.laneS[r.id] = s;
    }
    if (r.sweep) this.sweepRing(r);
    else if (fn !== r.seenFn) {
      r.seenFn = fn as Handler;
      r.sweep = this.stale.has(fn as Handler) && (r.delay < 0 || r.delay > 2 * SWEEP_AGE);
    }
    return s;
  }

  /**
   * Events scheduled for an absolute time go to a lane of their handler while their times do not
   * decrease (deliveries over a link mostly keep their sending order), else to the heap: the same
   * (time, seq) order either way, with less heap work.
   */
  override at<A>(t: Micros, fn: (arg: A, seq: number) => void, arg: A): number {
    // Most calls are deliveries: the last handler's lane is remembered.
    let r = fn === this.atFn ? this.atRing : this.byFn.get(fn as Handler);
    if (r === undefined && this.byFn.size < MAX_FN_LANES) {
      r = this.lane() as unknown as Ring;
      this.byFn.set(fn as Handler, r);
    }
    this.atFn = fn as Handler;
    this.atRing = r;
    if (r !== undefined && (t < this.now ? this.now : t) >= r.last)
      return this.atLane(r as unknown as Lane, t, fn, arg);
    return this.heapAt(t, fn, arg);
  }

  private heapAt<A>(t: Micros, fn: (arg: A, seq: number) => void, arg: A): number {
    const s = super.at(t, fn, arg);
    if (++this.heapFresh > SWEEP_MIN + this.size) this.sweepHeap();
    return s;
  }

  /**
   * Look at each event when it is SWEEP_AGE old (simulated time), and again at SWEEP_AGE_2 if it was
   * still live: old enough for its owner to have moved on, young enough that letting go still spares
   * the collector. Events that ran before are skipped.
   */
  private sweepRing(r: Ring): void {
    r.checked = this.look(r, r.checked, this.now - SWEEP_AGE);
    if (r.delay < 0 || r.delay > 2 * SWEEP_AGE_2)
      r.checked2 = this.look(r, r.checked2, this.now - SWEEP_AGE_2);
  }

  /** Replace by NOOP each stale event from push count `from` on that was pushed by `limit`; returns where it stopped. */
  private look(r: Ring, from: number, limit: number): number {
    const end = r.popped + r.size;
    let k = Math.max(from, r.popped);
    if (k >= end || (r.born[(r.head + k - r.popped) & r.mask] as number) > limit) return k;
    const stale = this.stale;
    let fn: Handler | undefined;
    let test: ((arg: never, seq: number) => boolean) | undefined;
    for (; k < end; k++) {
      const i = (r.head + k - r.popped) & r.mask;
      if ((r.born[i] as number) > limit) break;
      if (r.fns[i] !== fn) {
        fn = r.fns[i];
        test = fn === NOOP ? undefined : stale.get(fn as Handler);
      }
      if (test?.(r.args[i] as never, r.seqs[i] as number)) {
        r.fns[i] = NOOP;
        r.args[i] = undefined;
      }
    }
    return k;
  }

  /** The same for the heap: entries keep their place (time and sequence number), only what they run changes. */
  private sweepHeap(): void {
    this.heapFresh = 0;
    const stale = this.stale;
    const fns = this.fns;
    const args = this.args;
    const seqs = this.seqs;
    for (let i = 0; i < this.size; i++) {
      const test = stale.get(fns[i] as Handler);
      if (test?.(args[i] as never, seqs[i] as number)) {
        fns[i] = NOOP;
        args[i] = undefined;
      }
    }
  }

  protected override pick(): number {
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
    const n = this.rings.length;
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

  protected override runFrom(src: number): void {
    if (src === -1) {
      super.runFrom(src);
      return;
    }
    const r = this.rings[src] as Ring;
    const h = r.head;
    const time = r.times[h] as number;
    const s = r.seqs[h] as number;
    const fn = r.fns[h] as Handler;
    let arg = r.args[h];
    if (fn === this.twFn) arg = (this.twPool as FastTwPool).view(arg as number);
    r.args[h] = undefined;
    r.fns[h] = undefined;
    r.head = (h + 1) & r.mask;
    r.popped++;
    if (--r.size === 0) this.laneT[src] = Number.POSITIVE_INFINITY;
    else {
      this.laneT[src] = r.times[r.head] as number;
      this.laneS[src] = r.seqs[r.head] as number;
    }
    this.now = time;
    this.events++;
    (fn as (a: unknown, s: number) => void)(arg, s);
  }
}
