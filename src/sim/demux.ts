// A host's connection table (the kernel's established hash, `inet_ehash`): 4-tuple → socket or
// TIME_WAIT entry. An open-addressing hash table on typed arrays with linear probing, because a
// million TIME_WAIT entries in nested Maps cost a boxed 52-bit key per operation and a hash table
// per remote address; here a key is three small integers in flat arrays, and a value is a full
// socket or the pool slot of a TIME_WAIT entry (tcb.ts TwPool), so a million entries are no objects.

import type { AnySock, Sock, TwPool } from './tcp/tcb.ts';
import { sockRef } from './tcp/tcb.ts';

/** A table starts with this many slots (a power of two) and doubles when half full. */
const INITIAL = 1024;

export class Demux {
  /** Remote address (as int32). */
  private rip = new Int32Array(INITIAL);
  /** Local port << 16 | remote port (as int32). */
  private ports = new Int32Array(INITIAL);
  /** Index of the local address among the host's addresses, plus one; 0 marks an empty slot. */
  private lip = new Uint8Array(INITIAL);
  private vals: (Sock | number | undefined)[] = new Array(INITIAL).fill(undefined);
  private mask = INITIAL - 1;
  private pool: TwPool;
  size = 0;

  constructor(pool: TwPool) {
    this.pool = pool;
  }

  private sock(v: Sock | number): AnySock {
    return typeof v === 'number' ? this.pool.view(v) : v;
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
    for (let i = this.slotOf(lipIdx, p, r); ; i = (i + 1) & mask) {
      const li = this.lip[i] as number;
      if (li === 0) return -1;
      if (li === l && this.ports[i] === p && this.rip[i] === r) return i;
    }
  }

  get(lipIdx: number, lport: number, rip: number, rport: number): AnySock | undefined {
    const i = this.find(lipIdx, lport, rip, rport);
    return i < 0 ? undefined : this.sock(this.vals[i] as Sock | number);
  }

  /** Insert, or replace what the 4-tuple maps to. */
  set(lipIdx: number, lport: number, rip: number, rport: number, sock: AnySock): void {
    const s = sockRef(sock);
    const p = (lport << 16) | rport;
    const r = rip | 0;
    const l = lipIdx + 1;
    const mask = this.mask;
    let i = this.slotOf(lipIdx, p, r);
    for (; ; i = (i + 1) & mask) {
      const li = this.lip[i] as number;
      if (li === 0) break;
      if (li === l && this.ports[i] === p && this.rip[i] === r) {
        this.vals[i] = s;
        return;
      }
    }
    this.lip[i] = l;
    this.ports[i] = p;
    this.rip[i] = r;
    this.vals[i] = s;
    if (++this.size * 2 > mask + 1) this.grow();
  }

  /** Remove the 4-tuple if it maps to `s`; true if it did. */
  deleteIf(lipIdx: number, lport: number, rip: number, rport: number, s: AnySock): boolean {
    const i = this.find(lipIdx, lport, rip, rport);
    if (i < 0 || this.vals[i] !== sockRef(s)) return false;
    this.removeAt(i);
    return true;
  }

  /** Backward-shift deletion: later entries of the probe run move up, so no tombstones are needed. */
  private removeAt(hole: number): void {
    const mask = this.mask;
    const lip = this.lip;
    let j = hole;
    for (;;) {
      j = (j + 1) & mask;
      const lj = lip[j] as number;
      if (lj === 0) break;
      const home = this.slotOf(lj - 1, this.ports[j] as number, this.rip[j] as number);
      // Entry j may fill the hole if its home slot is not cyclically within (hole, j].
      if (hole <= j ? home > hole && home <= j : home > hole || home <= j) continue;
      lip[hole] = lj;
      this.ports[hole] = this.ports[j] as number;
      this.rip[hole] = this.rip[j] as number;
      this.vals[hole] = this.vals[j];
      hole = j;
    }
    lip[hole] = 0;
    this.vals[hole] = undefined;
    this.size--;
  }

  private grow(): void {
    const oldLip = this.lip;
    const oldPorts = this.ports;
    const oldRip = this.rip;
    const oldVals = this.vals;
    const cap = (this.mask + 1) * 2;
    this.lip = new Uint8Array(cap);
    this.ports = new Int32Array(cap);
    this.rip = new Int32Array(cap);
    this.vals = new Array<Sock | number | undefined>(cap).fill(undefined);
    this.mask = cap - 1;
    const mask = this.mask;
    for (let k = 0; k < oldLip.length; k++) {
      const l = oldLip[k] as number;
      if (l === 0) continue;
      const p = oldPorts[k] as number;
      const r = oldRip[k] as number;
      let i = this.slotOf(l - 1, p, r);
      while (this.lip[i] !== 0) i = (i + 1) & mask;
      this.lip[i] = l;
      this.ports[i] = p;
      this.rip[i] = r;
      this.vals[i] = oldVals[k];
    }
  }

  /** Every entry (in table order, which says nothing about age). */
  *values(): Generator<AnySock> {
    const vals = this.vals;
    for (let i = 0; i < vals.length; i++) {
      const v = vals[i];
      if (v !== undefined) yield this.sock(v);
    }
  }
}
