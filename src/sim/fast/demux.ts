// A host's connection table for big runs (the kernel's established hash, `inet_ehash`): 4-tuple →
// socket or TIME_WAIT entry. An open-addressing hash table with linear probing on typed arrays,
// because a million TIME_WAIT entries in ../host.ts's nested Maps cost a boxed 52-bit key per
// operation and a hash table per remote address; here a key is three small integers in flat arrays.
// A TIME_WAIT entry of the run's FastTwPool is held as its slot number (no object; see tw.ts).

import type { AnySock } from '../tcp/tcb.ts';
import type { FastTwPool } from './tw.ts';

/** A table starts with this many slots (a power of two) and doubles when half full. */
const INITIAL = 1024;

/**
 * A slot is a record of four int32 (16 bytes, so a record never straddles a cache line): local port
 * << 16 | remote port, remote address, the index of the local address among the host's addresses
 * plus one (0 marks an empty slot), and the value when it is a pool slot (−1 when it is an object, in
 * `vals`). A probe then reads one record, not three arrays, and a table of TIME_WAIT entries never
 * touches `vals` at all.
 */
const PORTS = 0;
const RIP = 1;
const LIP = 2;
const VAL = 3;

export class Demux {
  private keys = new Int32Array(INITIAL * 4);
  private vals: (AnySock | undefined)[] = new Array(INITIAL).fill(undefined);
  private mask = INITIAL - 1;
  size = 0;
  private readonly pool: FastTwPool | undefined;

  constructor(pool?: FastTwPool) {
    this.pool = pool;
  }

  /** The value of the occupied slot i. */
  private out(i: number): AnySock | undefined {
    const x = this.keys[i * 4 + VAL] as number;
    return x >= 0 ? (this.pool as FastTwPool).view(x) : this.vals[i];
  }

  /** Store value v (a pool slot or an object) in slot i; `fresh`: the slot was empty. */
  private put(i: number, v: AnySock | number, fresh: boolean): void {
    const keys = this.keys;
    if (typeof v === 'number') {
      // An empty slot's `vals` entry is already undefined; only a replaced object must go.
      if (!fresh && keys[i * 4 + VAL] === -1) this.vals[i] = undefined;
      keys[i * 4 + VAL] = v;
    } else {
      keys[i * 4 + VAL] = -1;
      this.vals[i] = v;
    }
  }

  private in(s: AnySock): AnySock | number {
    return this.pool === undefined ? s : this.pool.ref(s);
  }

  private slotOf(lipIdx: number, ports: number, rip: number): number {
    let h = Math.imul(rip ^ Math.imul(ports, 0x9e3779b1) ^ (lipIdx << 27), 0x85ebca6b);
    h ^= h >>> 15;
    return h & this.mask;
  }

  /** The slot holding this 4-tuple, or −1. */
  private find(lipIdx: number, lport: number, rip: number, rport: number): number {
    const p = (lport << 16) | rport;
    const r = rip | 0;
    const l = lipIdx + 1;
    const mask = this.mask;
    const keys = this.keys;
    for (let i = this.slotOf(lipIdx, p, r); ; i = (i + 1) & mask) {
      const li = keys[i * 4 + LIP] as number;
      if (li === 0) return -1;
      if (keys[i * 4 + PORTS] === p && keys[i * 4 + RIP] === r && li === l) return i;
    }
  }

  get(lipIdx: number, lport: number, rip: number, rport: number): AnySock | undefined {
    const i = this.find(lipIdx, lport, rip, rport);
    return i < 0 ? undefined : this.out(i);
  }

  /** Insert, or replace what the 4-tuple maps to. */
  set(lipIdx: number, lport: number, rip: number, rport: number, s: AnySock): void {
    const v = this.in(s);
    const p = (lport << 16) | rport;
    const r = rip | 0;
    const l = lipIdx + 1;
    const mask = this.mask;
    const keys = this.keys;
    let i = this.slotOf(lipIdx, p, r);
    for (; ; i = (i + 1) & mask) {
      const li = keys[i * 4 + LIP] as number;
      if (li === 0) break;
      if (keys[i * 4 + PORTS] === p && keys[i * 4 + RIP] === r && li === l) {
        this.put(i, v, false);
        return;
      }
    }
    keys[i * 4 + PORTS] = p;
    keys[i * 4 + RIP] = r;
    keys[i * 4 + LIP] = l;
    this.put(i, v, true);
    if (++this.size * 2 > mask + 1) this.grow();
  }

  /** Remove the 4-tuple if it maps to `s`; true if it did. */
  deleteIf(lipIdx: number, lport: number, rip: number, rport: number, s: AnySock): boolean {
    const i = this.find(lipIdx, lport, rip, rport);
    if (i < 0) return false;
    const v = this.in(s);
    const x = this.keys[i * 4 + VAL] as number;
    if (typeof v === 'number' ? x !== v : x !== -1 || this.vals[i] !== v) return false;
    this.removeAt(i);
    return true;
  }

  /** Remove the 4-tuple, whatever it maps to; true if it was there. */
  delete(lipIdx: number, lport: number, rip: number, rport: number): boolean {
    const i = this.find(lipIdx, lport, rip, rport);
    if (i < 0) return false;
    this.removeAt(i);
    return true;
  }

  /** Backward-shift deletion: later entries of the probe run move up, so no tombstones are needed. */
  private removeAt(hole: number): void {
    const mask = this.mask;
    const keys = this.keys;
    let j = hole;
    // Whether `vals[hole]` holds an object that must not stay there once the hole moves on.
    let obj = keys[hole * 4 + VAL] === -1;
    for (;;) {
      j = (j + 1) & mask;
      const lj = keys[j * 4 + LIP] as number;
      if (lj === 0) break;
      const pj = keys[j * 4 + PORTS] as number;
      const rj = keys[j * 4 + RIP] as number;
      const home = this.slotOf(lj - 1, pj, rj);
      // Entry j may fill the hole if its home slot is not cyclically within (hole, j].
      if (hole <= j ? home > hole && home <= j : home > hole || home <= j) continue;
      keys[hole * 4 + PORTS] = pj;
      keys[hole * 4 + RIP] = rj;
      keys[hole * 4 + LIP] = lj;
      const vj = keys[j * 4 + VAL] as number;
      keys[hole * 4 + VAL] = vj;
      if (vj === -1) this.vals[hole] = this.vals[j];
      else if (obj) this.vals[hole] = undefined;
      obj = vj === -1;
      hole = j;
    }
    keys[hole * 4 + LIP] = 0;
    if (obj) this.vals[hole] = undefined;
    this.size--;
  }

  private grow(): void {
    const old = this.keys;
    const oldVals = this.vals;
    const cap = (this.mask + 1) * 2;
    const keys = new Int32Array(cap * 4);
    this.keys = keys;
    this.vals = new Array<AnySock | undefined>(cap).fill(undefined);
    this.mask = cap - 1;
    const mask = this.mask;
    for (let k = 0; k < oldVals.length; k++) {
      const l = old[k * 4 + LIP] as number;
      if (l === 0) continue;
      const p = old[k * 4 + PORTS] as number;
      const r = old[k * 4 + RIP] as number;
      let i = this.slotOf(l - 1, p, r);
      while (keys[i * 4 + LIP] !== 0) i = (i + 1) & mask;
      keys[i * 4 + PORTS] = p;
      keys[i * 4 + RIP] = r;
      keys[i * 4 + LIP] = l;
      const x = old[k * 4 + VAL] as number;
      keys[i * 4 + VAL] = x;
      if (x === -1) this.vals[i] = oldVals[k];
    }
  }

  /** Every entry (in table order, which says nothing about age). */
  *values(): Generator<AnySock> {
    for (let i = 0; i <= this.mask; i++) if (this.keys[i * 4 + LIP] !== 0) yield this.out(i) as AnySock;
  }

  /**
   * Set bit (local port − low) in `bits` for every entry toward (lipIdx, rip, rport) whose local port
   * is in [low, end): a destination's port bitmap (../host.ts destBitmap) straight from the keys.
   */
  portBits(lipIdx: number, rip: number, rport: number, low: number, end: number, bits: Uint32Array): void {
    const keys = this.keys;
    const r = rip | 0;
    const l = lipIdx + 1;
    for (let i = 0; i <= this.mask; i++) {
      if (keys[i * 4 + LIP] !== l || keys[i * 4 + RIP] !== r) continue;
      const p = keys[i * 4 + PORTS] as number;
      const lport = p >>> 16;
      if ((p & 0xffff) !== rport || lport < low || lport >= end) continue;
      const bit = lport - low;
      bits[bit >>> 5] = (bits[bit >>> 5] as number) | (1 << (bit & 31));
    }
  }
}
