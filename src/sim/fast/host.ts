// A host for big runs: ../host.ts with its connection table in a flat open-addressing table
// (./demux.ts) instead of a Map per remote address, and bind buckets whose owners are an array in the
// order a Set would keep them (cheaper than a Set for the few dozen owners of a port). Everything
// else, and every answer, is the same.

import { Host } from '../host.ts';
import type { Bucket } from '../ports.ts';
import type { AnySock, Sock, TwSock } from '../tcp/tcb.ts';
import { Demux } from './demux.ts';

const TWO32 = 4294967296;

/**
 * A bucket's owners here: an array, in insertion order like Host's Set. ports.ts only iterates them
 * (`for … of`), which both allow; Host's own bucket methods are all overridden below.
 */
function owners(b: Bucket): AnySock[] {
  return b.owners as unknown as AnySock[];
}

export class FastHost extends Host {
  /** Connections and TIME_WAIT entries by 4-tuple (local address as its index in `ips`); `conns` stays empty. */
  demux = new Demux();

  override lookup(lipIdx: number, lport: number, rip: number, rport: number): AnySock | undefined {
    return this.demux.get(lipIdx, lport, rip, rport);
  }

  override hash(s: AnySock): void {
    const lipIdx = this.ipIndex(s.lip);
    s.key = lipIdx * TWO32 + s.lport * 65536 + s.rport;
    this.demux.set(lipIdx, s.lport, s.rip, s.rport, s);
    if (s.lport >= this.rangeLow && s.lport < this.rangeEnd)
      this.destAdd(s.rip, lipIdx * 65536 + s.rport, s.lport, 1);
  }

  protected override destBitmap(rip: number, k: number): Uint32Array {
    const bits = new Uint32Array((this.rangeEnd - this.rangeLow + 31) >>> 5);
    for (const s of this.demux.values()) {
      if (s.rip !== rip || s.lport < this.rangeLow || s.lport >= this.rangeEnd) continue;
      if (Math.floor(s.key / TWO32) * 65536 + s.rport !== k) continue;
      const bit = s.lport - this.rangeLow;
      bits[bit >>> 5] = (bits[bit >>> 5] as number) | (1 << (bit & 31));
    }
    return bits;
  }

  override unhash(s: AnySock): void {
    if (s.key < 0) return;
    const lipIdx = Math.floor(s.key / TWO32);
    if (
      this.demux.deleteIf(lipIdx, s.lport, s.rip, s.rport, s) &&
      s.lport >= this.rangeLow &&
      s.lport < this.rangeEnd
    )
      this.destAdd(s.rip, lipIdx * 65536 + s.rport, s.lport, -1);
    s.key = -1;
  }

  /** Replace `old` by `tw` in the demux table and in its bind bucket (TIME_WAIT hash dance). */
  override swap(old: Sock, tw: TwSock): void {
    if (old.key >= 0) this.demux.set(Math.floor(old.key / TWO32), old.lport, old.rip, old.rport, tw);
    tw.key = old.key;
    old.key = -1;
    const b = this.ports.get(old.lport);
    if (b !== undefined && old.bound) {
      // Set.delete(old), Set.add(tw): the entry goes last. The socket was bound a moment ago, so it
      // sits near the end.
      const o = owners(b);
      const i = o.lastIndexOf(old);
      if (i >= 0) o.splice(i, 1);
      o.push(tw);
      if (old.explicitBind && --b.explicitOwners === 0) b.explicit = false;
    }
    old.bound = false;
  }

  override bucketAdd(port: number, s: AnySock, explicit: boolean): void {
    let b = this.ports.get(port);
    if (b === undefined) {
      b = { owners: [] as unknown as Set<AnySock>, explicit, explicitOwners: 0 };
      this.ports.set(port, b);
    } else if (explicit) b.explicit = true;
    const o = owners(b);
    // Set.add: an owner already there keeps its place. A socket that is not `bound` is in no bucket.
    if ((!s.isTw && !s.bound) || o.lastIndexOf(s) < 0) o.push(s);
    if (!s.isTw) {
      s.bound = true;
      if (s.explicitBind) b.explicitOwners++;
    }
  }

  override bucketRemove(s: AnySock): void {
    const b = this.ports.get(s.lport);
    if (b === undefined) return;
    // The oldest owners come first, and they are the ones that leave (TIME_WAIT entries expiring).
    const o = owners(b);
    const i = o.indexOf(s);
    if (i < 0) return;
    o.splice(i, 1);
    if (!s.isTw) {
      s.bound = false;
      if (s.explicitBind) b.explicitOwners--;
    }
    if (o.length === 0) this.ports.delete(s.lport);
    // The bucket stays "explicit" only while somebody bound by bind() holds it.
    else if (b.explicitOwners === 0) b.explicit = false;
  }

  override crash(): void {
    // As Host.crash() does for its Map: the old sockets' timers must find nothing to do.
    for (const s of this.demux.values()) this.disarm(s);
    this.demux = new Demux();
    super.crash();
  }

  override *allSockets(): Generator<AnySock> {
    for (const l of this.listeners.values()) yield* l;
    yield* this.demux.values();
  }
}
