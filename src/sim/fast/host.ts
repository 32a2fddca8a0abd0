// A host for big runs: ../host.ts with its connection table in flat open-addressing tables
// (./demux.ts) instead of a Map per remote address, TIME_WAIT entries without objects (./tw.ts), and
// bind buckets without Sets. Everything else, and every answer, is the same.
//
// Connections and TIME_WAIT entries are in two tables, much as older Linux kernels kept TIME_WAIT
// sockets on a chain of their own in each established-hash bucket (`twchain` of `struct
// inet_ehash_bucket`): a 4-tuple is in at most one of them, so a lookup gives the same answer in
// either order. The point is the memory: at 20,000 connections per second a client
// has a few hundred open connections and a million TIME_WAIT entries; every segment of an open
// connection then probes a table that stays in the CPU's cache, and the big one is touched only when
// an entry comes (the swap) and goes (its timer), or a segment or connect() meets it.

import { type DestUse, Host } from '../host.ts';
import type { Bucket } from '../ports.ts';
import type { Profile } from '../profiles.ts';
import type { AnySock, Sock, TwSock } from '../tcp/tcb.ts';
import type { World } from '../tcp/world.ts';
import type { HostSpec } from '../types.ts';
import { Demux } from './demux.ts';
import { FastTwPool, TwView } from './tw.ts';

const TWO32 = 4294967296;

/**
 * A bind bucket here is its own owner list: its sockets (the first in a field, the others in an array
 * made when needed) and its TIME_WAIT entries in a list linked through their pool records, oldest
 * first (entries mostly leave in that order, when their 60 s are up, so removal finds them at the
 * head). ports.ts only asks "does any owner conflict" while iterating `owners` (`for … of`), which
 * yields every owner, sockets first, so the order Host's Set keeps does not matter. One object per
 * port, not three: a connect() meets a bucket last touched more than a second earlier, so each object
 * on the way is a cache miss. Host's own bucket methods are all overridden below.
 */
class FastBucket {
  explicit: boolean;
  explicitOwners = 0;
  private s0: AnySock | undefined = undefined;
  private more: AnySock[] | undefined = undefined;
  head = -1;
  tail = -1;
  private readonly pool: FastTwPool;

  constructor(pool: FastTwPool, explicit: boolean) {
    this.pool = pool;
    this.explicit = explicit;
  }

  /** Bucket.owners: this object, iterable. */
  get owners(): Set<AnySock> {
    return this as unknown as Set<AnySock>;
  }

  get empty(): boolean {
    return this.s0 === undefined && this.head < 0;
  }

  hasSock(s: AnySock): boolean {
    return this.s0 === s || this.more?.includes(s) === true;
  }

  addSock(s: AnySock): void {
    if (this.s0 === undefined) this.s0 = s;
    else if (this.more === undefined) this.more = [s];
    else this.more.push(s);
  }

  removeSock(s: AnySock): boolean {
    const more = this.more;
    if (this.s0 === s) {
      this.s0 = more !== undefined && more.length > 0 ? more.pop() : undefined;
      return true;
    }
    const i = more === undefined ? -1 : more.indexOf(s);
    if (i < 0) return false;
    (more as AnySock[]).splice(i, 1);
    return true;
  }

  hasTw(slot: number): boolean {
    for (let e = this.head; e >= 0; e = this.pool.nextOf(e)) if (e === slot) return true;
    return false;
  }

  pushTw(slot: number): void {
    this.pool.setNext(slot, -1);
    if (this.tail < 0) this.head = slot;
    else this.pool.setNext(this.tail, slot);
    this.tail = slot;
  }

  removeTw(slot: number): boolean {
    const pool = this.pool;
    let prev = -1;
    for (let e = this.head; e >= 0; prev = e, e = pool.nextOf(e)) {
      if (e !== slot) continue;
      const n = pool.nextOf(e);
      if (prev < 0) this.head = n;
      else pool.setNext(prev, n);
      if (this.tail === e) this.tail = prev;
      return true;
    }
    return false;
  }

  *[Symbol.iterator](): Generator<AnySock> {
    if (this.s0 !== undefined) yield this.s0;
    if (this.more !== undefined) yield* this.more;
    for (let e = this.head; e >= 0; e = this.pool.nextOf(e)) yield this.pool.view(e);
  }
}

/**
 * Host.ports (port → bucket) as an array indexed by port instead of a Map: the same get/set/delete/size,
 * which is all Host, ports.ts and the load generator use.
 */
class PortTable {
  private a: (FastBucket | undefined)[] = new Array(65536).fill(undefined);
  size = 0;

  get(port: number): FastBucket | undefined {
    return this.a[port];
  }

  set(port: number, b: FastBucket): this {
    if (this.a[port] === undefined) this.size++;
    this.a[port] = b;
    return this;
  }

  delete(port: number): boolean {
    if (this.a[port] === undefined) return false;
    this.a[port] = undefined;
    this.size--;
    return true;
  }
}

function bucket(b: Bucket): FastBucket {
  return b as unknown as FastBucket;
}

/** The pool slot of a TIME_WAIT entry of this run, −1 for a socket. */
function slotOf(s: AnySock): number {
  return s instanceof TwView ? s.slot : -1;
}

export class FastHost extends Host {
  /** The run's TIME_WAIT entries (shared by its hosts; replaces the world's object pool). */
  readonly pool: FastTwPool;
  /** Connections by 4-tuple (local address as its index in `ips`); `conns` stays empty. */
  demux: Demux;
  /** TIME_WAIT (and FIN_WAIT_2) entries by 4-tuple, as pool slots. */
  twDemux: Demux;

  constructor(w: World, idx: number, name: string, spec: HostSpec, profile: Profile) {
    super(w, idx, name, spec, profile);
    if (!(w.twPool instanceof FastTwPool)) w.twPool = new FastTwPool(w.hosts);
    this.pool = w.twPool as FastTwPool;
    this.demux = new Demux(this.pool);
    this.twDemux = new Demux(this.pool);
    this.ports = new PortTable() as unknown as Map<number, Bucket>;
  }

  // Every connect() asks destCount() and destBits() about one destination and hash() then counts it in
  // with destAdd(): three pairs of Map lookups for the same (rip, k), which the last one answered saves.
  private cRip = -1;
  private cK = -1;
  private cUse: DestUse | undefined = undefined;

  private use(rip: number, k: number): DestUse | undefined {
    if (rip === this.cRip && k === this.cK) return this.cUse;
    const u = this.destUse.get(rip)?.get(k);
    if (u !== undefined) {
      this.cRip = rip;
      this.cK = k;
      this.cUse = u;
    }
    return u;
  }

  override destCount(lipIdx: number, rip: number, rport: number): number {
    return this.use(rip, lipIdx * 65536 + rport)?.n ?? 0;
  }

  override destBits(lipIdx: number, rip: number, rport: number): Uint32Array | undefined {
    return this.use(rip, lipIdx * 65536 + rport)?.bits;
  }

  /** Host.destAdd() through the one-entry cache above. */
  protected override destAdd(rip: number, k: number, port: number, d: number): void {
    let u = this.use(rip, k);
    if (u === undefined) {
      u = this.destUseNew(rip, k);
      this.cRip = rip;
      this.cK = k;
      this.cUse = u;
    }
    if (this.destApply(u, rip, k, port, d)) {
      this.cRip = -1;
      this.cUse = undefined;
    }
  }

  override lookup(lipIdx: number, lport: number, rip: number, rport: number): AnySock | undefined {
    return this.demux.get(lipIdx, lport, rip, rport) ?? this.twDemux.get(lipIdx, lport, rip, rport);
  }

  override hash(s: AnySock): void {
    const lipIdx = this.ipIndex(s.lip);
    s.key = lipIdx * TWO32 + s.lport * 65536 + s.rport;
    // No TIME_WAIT entry holds the tuple: a socket is hashed only after lookup() found it free
    // (connect()'s __inet_check_established(), or a SYN that met no connection or took one over).
    this.demux.set(lipIdx, s.lport, s.rip, s.rport, s);
    if (s.lport >= this.rangeLow && s.lport < this.rangeEnd)
      this.destAdd(s.rip, lipIdx * 65536 + s.rport, s.lport, 1);
  }

  protected override destBitmap(rip: number, k: number): Uint32Array {
    const bits = new Uint32Array((this.rangeEnd - this.rangeLow + 31) >>> 5);
    const lipIdx = Math.floor(k / 65536);
    const rport = k % 65536;
    this.demux.portBits(lipIdx, rip, rport, this.rangeLow, this.rangeEnd, bits);
    this.twDemux.portBits(lipIdx, rip, rport, this.rangeLow, this.rangeEnd, bits);
    return bits;
  }

  override unhash(s: AnySock): void {
    const key = s.key;
    if (key < 0) return;
    const lipIdx = Math.floor(key / TWO32);
    const lport = s.lport;
    const rip = s.rip;
    const rport = s.rport;
    const table = s.isTw ? this.twDemux : this.demux;
    if (table.deleteIf(lipIdx, lport, rip, rport, s) && lport >= this.rangeLow && lport < this.rangeEnd)
      this.destAdd(rip, lipIdx * 65536 + rport, lport, -1);
    s.key = -1;
  }

  /** Replace `old` by `tw` in the demux table and in its bind bucket (TIME_WAIT hash dance). */
  override swap(old: Sock, tw: TwSock): void {
    if (old.key >= 0) {
      const lipIdx = Math.floor(old.key / TWO32);
      // Host's Map.set(key, tw) replaces whatever holds the tuple.
      this.demux.delete(lipIdx, old.lport, old.rip, old.rport);
      this.twDemux.set(lipIdx, old.lport, old.rip, old.rport, tw);
    }
    tw.key = old.key;
    old.key = -1;
    const b = this.ports.get(old.lport);
    if (b !== undefined && old.bound) {
      // Set.delete(old), Set.add(tw).
      const o = bucket(b);
      o.removeSock(old);
      o.pushTw(slotOf(tw));
      if (old.explicitBind && --o.explicitOwners === 0) o.explicit = false;
    }
    old.bound = false;
  }

  override bucketAdd(port: number, s: AnySock, explicit: boolean): void {
    let o = this.ports.get(port) as FastBucket | undefined;
    if (o === undefined) {
      o = new FastBucket(this.pool, explicit);
      this.ports.set(port, o as unknown as Bucket);
    } else if (explicit) o.explicit = true;
    // Set.add: an owner already there stays. A socket that is not `bound` is in no bucket.
    const slot = slotOf(s);
    if (slot >= 0) {
      if (!o.hasTw(slot)) o.pushTw(slot);
    } else if ((!s.isTw && !s.bound) || !o.hasSock(s)) o.addSock(s);
    if (!s.isTw) {
      s.bound = true;
      if (s.explicitBind) o.explicitOwners++;
    }
  }

  override bucketRemove(s: AnySock): void {
    const b = this.ports.get(s.lport);
    if (b === undefined) return;
    const o = bucket(b);
    const slot = slotOf(s);
    if (!(slot >= 0 ? o.removeTw(slot) : o.removeSock(s))) return;
    if (!s.isTw) {
      s.bound = false;
      if (s.explicitBind) o.explicitOwners--;
    }
    if (o.empty) this.ports.delete(s.lport);
    // The bucket stays "explicit" only while somebody bound by bind() holds it.
    else if (o.explicitOwners === 0) o.explicit = false;
  }

  override crash(): void {
    // As Host.crash() does for its Map: the old sockets' timers must find nothing to do.
    for (const s of this.demux.values()) this.disarm(s);
    for (const s of this.twDemux.values()) this.disarm(s);
    this.demux = new Demux(this.pool);
    this.twDemux = new Demux(this.pool);
    super.crash();
    this.ports = new PortTable() as unknown as Map<number, Bucket>;
    this.cRip = -1;
    this.cUse = undefined;
  }

  override *allSockets(): Generator<AnySock> {
    for (const l of this.listeners.values()) yield* l;
    yield* this.demux.values();
    yield* this.twDemux.values();
  }
}
