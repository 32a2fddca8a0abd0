// TIME_WAIT entries of big runs without objects. At 20,000 connections per second a host holds
// 1,200,000 entries (60 s of TCP_TIMEWAIT_LEN, include/net/tcp.h), each of which Linux keeps as a
// small `struct tcp_timewait_sock`; as JS objects they would be a million things for every major
// garbage collection to trace, and each would be promoted to the old generation first. Here every
// entry is a 64-byte record in one typed array, found by its slot number: the demux table, the bind
// buckets and the 60 s timer hold that number (see demux.ts, host.ts, engine.ts), and `TwView` is a
// two-field view made when the TCP code (../tcp/timewait.ts) asks for an entry, garbage at once.

import type { Host } from '../host.ts';
import type { AnySock, Sock, TwSock } from '../tcp/tcb.ts';
import { TwPool } from '../tcp/tcb.ts';

const TWO32 = 4294967296;

// One record per slot: 16 int32 (64 bytes, a cache line), of which the first four are two float64.
// A timer expiry, a demux removal or a connect() check then touches one line, not one per column.
const REC = 16;
/** float64 index slot·8 + F_EXPIRES: when the timer fires (µs; beyond int32 in long runs). */
const F_EXPIRES = 0;
/** float64 index slot·8 + F_TOK: the armed timer's sequence number (0 = none). */
const F_TOK = 1;
/** host index << 16 | (local address index + 1, 0 = unhashed) << 8 | flags << 4 | state. */
const I_META = 4;
/** local port << 16 | remote port. */
const I_PORTS = 5;
const I_LIP = 6;
const I_RIP = 7;
const I_SND_NXT = 8;
const I_RCV_NXT = 9;
const I_TS_RECENT = 10;
const I_TS_OFFSET = 11;
const I_TS_RECENT_STAMP = 12;
const I_ENTRY_STAMP = 13;
const I_RECYCLE_TIMEOUT = 14;
/** The next entry of the same bind bucket (host.ts Owners), −1 at the end. */
const I_NEXT = 15;

// Flag bits (meta bits 4–7).
const TS_ON = 0x10;
const REUSE_ADDR = 0x20;
const REUSE_PORT = 0x40;
const KILL = 0x80;

/** The run's TIME_WAIT entries (installed in the world by FastHost, replacing tcb.ts's pool). */
export class FastTwPool extends TwPool {
  /** The run's hosts, by index (an entry keeps its host's index). */
  readonly hosts: Host[];
  i32: Int32Array;
  f64: Float64Array;
  private free: Int32Array;
  private nFree = 0;
  private top = 0;
  /** Entries alive (for tests: every slot taken must come back). */
  live = 0;

  constructor(hosts: Host[], capacity = 1024) {
    super();
    this.hosts = hosts;
    const buf = new ArrayBuffer(capacity * REC * 4);
    this.i32 = new Int32Array(buf);
    this.f64 = new Float64Array(buf);
    this.free = new Int32Array(capacity);
  }

  private alloc(): number {
    this.live++;
    if (this.nFree > 0) return this.free[--this.nFree] as number;
    const slot = this.top++;
    const cap = this.free.length;
    if (slot >= cap) {
      const buf = new ArrayBuffer(cap * 2 * REC * 4);
      const i32 = new Int32Array(buf);
      i32.set(this.i32);
      this.i32 = i32;
      this.f64 = new Float64Array(buf);
      this.free = new Int32Array(cap * 2);
    }
    return slot;
  }

  /** tcp_time_wait(): a new entry with the numbers of the full socket `s`. */
  override add(s: Sock, state: number, nowMs: number): TwSock {
    // The entry stamp is 32 bits of milliseconds, read back unsigned: 49.7 days. Past that it would
    // wrap and the tcp_tw_reuse_delay check misjudge the entry's age: say so instead.
    if (nowMs > 0xffffffff) {
      throw new RangeError(
        `load path: TIME_WAIT entry at ${nowMs} ms; its records keep times in 32-bit milliseconds, so runs longer than 49.7 days (4,294,967,295 ms) are not supported`,
      );
    }
    const slot = this.alloc();
    const i = slot * REC;
    const a = this.i32;
    const lipIdx = s.key < 0 ? -1 : Math.floor(s.key / TWO32);
    a[i + I_META] =
      (s.hostIdx << 16) |
      ((lipIdx + 1) << 8) |
      (s.tsOn ? TS_ON : 0) |
      (s.reuseAddr ? REUSE_ADDR : 0) |
      (s.reusePort ? REUSE_PORT : 0) |
      state;
    a[i + I_PORTS] = (s.lport << 16) | s.rport;
    a[i + I_LIP] = s.lip;
    a[i + I_RIP] = s.rip;
    a[i + I_SND_NXT] = s.sndNxt;
    a[i + I_RCV_NXT] = s.rcvNxt;
    a[i + I_TS_RECENT] = s.tsRecent;
    a[i + I_TS_OFFSET] = s.tsOffset;
    a[i + I_TS_RECENT_STAMP] = s.tsOn ? s.tsRecentStamp : 0;
    a[i + I_ENTRY_STAMP] = nowMs;
    a[i + I_RECYCLE_TIMEOUT] = 0;
    a[i + I_NEXT] = -1;
    this.f64[slot * 8 + F_EXPIRES] = 0;
    this.f64[slot * 8 + F_TOK] = 0;
    return new TwView(this, slot) as unknown as TwSock;
  }

  /** A view of the entry in `slot`. */
  view(slot: number): TwSock {
    return new TwView(this, slot) as unknown as TwSock;
  }

  /** What tables hold for a socket: the slot of a TIME_WAIT entry, else the socket itself. */
  ref(s: AnySock): AnySock | number {
    return s instanceof TwView && s.pool === this ? s.slot : s;
  }

  /** The timer token of the entry in `slot`, without a view. */
  tok(slot: number): number {
    return this.f64[slot * 8 + F_TOK] as number;
  }

  /** The demux tuple of the entry in `slot`: local address index, ports, remote address. */
  lipIdx(slot: number): number {
    return (((this.i32[slot * REC + I_META] as number) >>> 8) & 0xff) - 1;
  }

  /** The entry after `slot` in its bind bucket's list, −1 at the end. */
  nextOf(slot: number): number {
    return this.i32[slot * REC + I_NEXT] as number;
  }
  setNext(slot: number, next: number): void {
    this.i32[slot * REC + I_NEXT] = next;
  }

  release(slot: number): void {
    this.live--;
    this.free[this.nFree++] = slot;
  }
}

/**
 * A TIME_WAIT entry as the TCP code sees it (the shape of tcb.ts `TwSock`): every field reads and
 * writes the pool's record. Views of one slot all see the same entry; once the entry is removed
 * (`release()`), its slot may hold another one and no view of it may be read again, as for TwSock.
 */
export class TwView {
  readonly pool: FastTwPool;
  slot: number;

  constructor(pool: FastTwPool, slot: number) {
    this.pool = pool;
    this.slot = slot;
  }

  get isTw(): true {
    return true;
  }

  private get meta(): number {
    return this.pool.i32[this.slot * REC + I_META] as number;
  }
  private set meta(v: number) {
    this.pool.i32[this.slot * REC + I_META] = v;
  }
  private flag(bit: number, on?: boolean): boolean {
    if (on !== undefined) this.meta = on ? this.meta | bit : this.meta & ~bit;
    return (this.meta & bit) !== 0;
  }
  private int(col: number): number {
    return this.pool.i32[this.slot * REC + col] as number;
  }
  private setInt(col: number, v: number): void {
    this.pool.i32[this.slot * REC + col] = v;
  }

  get host(): Host {
    return this.pool.hosts[this.hostIdx] as Host;
  }
  get hostIdx(): number {
    return this.meta >>> 16;
  }
  get state(): number {
    return this.meta & 0xf;
  }
  set state(v: number) {
    this.meta = (this.meta & ~0xf) | v;
  }
  get lport(): number {
    return this.int(I_PORTS) >>> 16;
  }
  get rport(): number {
    return this.int(I_PORTS) & 0xffff;
  }
  get lip(): number {
    return this.int(I_LIP) >>> 0;
  }
  get rip(): number {
    return this.int(I_RIP) >>> 0;
  }
  /** Demux key in the host's table (host.ts), −1 when unhashed: kept as the local address index. */
  get key(): number {
    const l = ((this.meta >>> 8) & 0xff) - 1;
    return l < 0 ? -1 : l * TWO32 + (this.int(I_PORTS) >>> 16) * 65536 + (this.int(I_PORTS) & 0xffff);
  }
  set key(v: number) {
    const l = v < 0 ? 0 : Math.floor(v / TWO32) + 1;
    this.meta = (this.meta & ~0xff00) | (l << 8);
  }
  get sndNxt(): number {
    return this.int(I_SND_NXT) >>> 0;
  }
  get rcvNxt(): number {
    return this.int(I_RCV_NXT) >>> 0;
  }
  set rcvNxt(v: number) {
    this.setInt(I_RCV_NXT, v);
  }
  get tsOn(): boolean {
    return this.flag(TS_ON);
  }
  get reuseAddr(): boolean {
    return this.flag(REUSE_ADDR);
  }
  get reusePort(): boolean {
    return this.flag(REUSE_PORT);
  }
  get kill(): boolean {
    return this.flag(KILL);
  }
  set kill(v: boolean) {
    this.flag(KILL, v);
  }
  get tsRecent(): number {
    return this.int(I_TS_RECENT) >>> 0;
  }
  set tsRecent(v: number) {
    this.setInt(I_TS_RECENT, v);
  }
  get tsOffset(): number {
    return this.int(I_TS_OFFSET) >>> 0;
  }
  get tsRecentStamp(): number {
    return this.int(I_TS_RECENT_STAMP);
  }
  set tsRecentStamp(v: number) {
    this.setInt(I_TS_RECENT_STAMP, v);
  }
  get entryStamp(): number {
    return this.int(I_ENTRY_STAMP) >>> 0;
  }
  set entryStamp(v: number) {
    this.setInt(I_ENTRY_STAMP, v);
  }
  get recycleTimeout(): number {
    return this.int(I_RECYCLE_TIMEOUT);
  }
  set recycleTimeout(v: number) {
    this.setInt(I_RECYCLE_TIMEOUT, v);
  }
  get tok(): number {
    return this.pool.f64[this.slot * 8 + F_TOK] as number;
  }
  set tok(v: number) {
    this.pool.f64[this.slot * 8 + F_TOK] = v;
  }
  get expires(): number {
    return this.pool.f64[this.slot * 8 + F_EXPIRES] as number;
  }
  set expires(v: number) {
    this.pool.f64[this.slot * 8 + F_EXPIRES] = v;
  }

  /** The entry is gone: its slot goes back to the pool (and this view must not be read again). */
  release(): void {
    if (this.slot >= 0) this.pool.release(this.slot);
    this.slot = -1;
  }
}
