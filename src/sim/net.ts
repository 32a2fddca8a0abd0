// The network between hosts: per-link one-way delay with jitter, loss, duplication, reordering,
// serialisation at a given bandwidth, routers that decrement the TTL; the scenario's targeted
// faults; and NAT (several hosts behind one public address).

import type { Lane } from './engine.ts';
import type { Host } from './host.ts';
import { segArrives } from './tcp/input.ts';
import { flagString, ipToNum, isLoopback, type Seg } from './tcp/tcb.ts';
import { toSegment } from './tcp/trace.ts';
import type { World } from './tcp/world.ts';
import type { DropReason, FaultSpec, LinkSpec, Scenario } from './types.ts';

interface Link {
  delay: number;
  jitter: number;
  loss: number;
  duplicate: number;
  reorder: number;
  bandwidth: number;
  hops: number;
  /** When the sender's side of this direction is free again (serialisation). */
  busyUntil: number;
  /** Deliveries over this direction usually arrive in the order sent: a FIFO lane of the engine. */
  lane: Lane;
}

interface Fault {
  spec: FaultSpec;
  fromIdx: number;
  toIdx: number;
  seen: number;
  done: boolean;
}

interface Nat {
  address: number;
  inside: Set<number>;
  /** `${hostIdx}:${sip}:${sport}:${dip}:${dport}` → public port. */
  out: Map<string, number>;
  /** `${publicPort}:${remoteIp}:${remotePort}` → inside host, address, port. */
  in: Map<string, { host: number; ip: number; port: number }>;
}

/** Bytes on the wire for serialisation: 20 (IP) + 20 (TCP) + 12 (timestamps) + payload. */
function wireBytes(s: Seg): number {
  return 40 + (s.hasTs ? 12 : 0) + s.data.length;
}

export class Net {
  private w: World;
  private links = new Map<number, Link>();
  private spec: Scenario;
  private faults: Fault[];
  private natOf: (Nat | undefined)[];
  private natByAddr = new Map<number, Nat>();
  private hostIdx = new Map<string, number>();
  private readonly deliverFn: (seg: Seg) => void;

  constructor(w: World, scenario: Scenario) {
    this.w = w;
    this.spec = scenario;
    for (const [i, h] of w.hosts.entries()) this.hostIdx.set(h.name, i);
    this.faults = scenario.faults.map((spec) => ({
      spec,
      fromIdx: spec.match.from !== undefined ? (this.hostIdx.get(spec.match.from) ?? -2) : -1,
      toIdx: spec.match.to !== undefined ? (this.hostIdx.get(spec.match.to) ?? -2) : -1,
      seen: 0,
      done: false,
    }));
    this.natOf = w.hosts.map(() => undefined);
    for (const n of scenario.nat) {
      const nat: Nat = {
        address: ipToNum(n.address),
        inside: new Set(n.inside.map((h) => this.hostIdx.get(h) ?? -1)),
        out: new Map(),
        in: new Map(),
      };
      for (const i of nat.inside) if (i >= 0) this.natOf[i] = nat;
      this.natByAddr.set(nat.address, nat);
    }
    this.deliverFn = (seg: Seg) => this.deliver(seg);
  }

  private link(a: number, b: number): Link {
    const key = a * 65536 + b;
    let l = this.links.get(key);
    if (l !== undefined) return l;
    const names = [this.w.hosts[a]?.name, this.w.hosts[b]?.name];
    let spec: Omit<LinkSpec, 'between'> = this.spec.defaultLink;
    for (const ls of this.spec.links) {
      if (
        (ls.between[0] === names[0] && ls.between[1] === names[1]) ||
        (ls.between[0] === names[1] && ls.between[1] === names[0])
      )
        spec = ls;
    }
    l = {
      delay: a === b ? 0 : spec.delay,
      jitter: a === b ? 0 : spec.jitter,
      loss: a === b ? 0 : spec.loss,
      duplicate: a === b ? 0 : spec.duplicate,
      reorder: a === b ? 0 : spec.reorder,
      bandwidth: a === b ? 0 : spec.bandwidth,
      hops: a === b ? 0 : spec.hops,
      busyUntil: 0,
      lane: this.w.engine.lane(),
    };
    this.links.set(key, l);
    return l;
  }

  /** Where a destination address leads: a host index, or -1. (NAT addresses resolve on delivery.) */
  private route(from: Host, dip: number): number {
    if (isLoopback(dip)) return from.idx;
    const h = this.w.hostByIp.get(dip);
    if (h !== undefined) return h.idx;
    const nat = this.natByAddr.get(dip);
    if (nat !== undefined) {
      for (const i of nat.inside) return i; // link choice only; the mapping decides on arrival
    }
    return -1;
  }

  dropEvent(host: Host | undefined, seg: Seg, reason: DropReason): void {
    const w = this.w;
    if (!w.on) return;
    if (host !== undefined)
      w.on({ t: w.engine.now, type: 'seg-drop', host: host.name, seg: toSegment(seg), reason });
    else w.on({ t: w.engine.now, type: 'seg-drop', seg: toSegment(seg), reason });
  }

  /** A host puts a segment on the wire. */
  send(host: Host, seg: Seg): void {
    const w = this.w;
    const now = w.engine.now;
    seg.id = ++w.nextSegId;
    seg.from = host.idx;
    w.segments++;
    if (host.down || now < host.quietUntil) {
      this.dropEvent(host, seg, 'quiet');
      return;
    }
    seg.ttl = host.sysctl['net.ipv4.ip_default_ttl'];
    if (w.on) w.on({ t: now, type: 'seg-send', host: host.name, seg: toSegment(seg) });
    const to = this.route(host, seg.dip);
    // NAT on the way out: the source becomes the public address (port kept unless taken).
    const nat = this.natOf[host.idx];
    if (nat !== undefined && !(to >= 0 && nat.inside.has(to)) && !isLoopback(seg.dip))
      this.natOut(nat, host, seg);
    if (to < 0) {
      this.dropEvent(undefined, seg, 'nat');
      return;
    }
    const l = this.link(host.idx, to);
    seg.ttl -= l.hops;
    let t = now + l.delay;
    if (this.faults.length > 0) {
      const extra = this.applyFaults(host.idx, to, seg, now);
      if (extra < 0) return;
      t += extra;
    }
    const rng = w.rng;
    if (l.loss > 0 && rng.float() < l.loss) {
      this.dropEvent(undefined, seg, 'loss');
      return;
    }
    if (l.jitter > 0) t += Math.round((rng.float() * 2 - 1) * l.jitter);
    if (l.bandwidth > 0) {
      const start = Math.max(l.busyUntil, now);
      const tx = Math.ceil((wireBytes(seg) * 8 * 1e6) / l.bandwidth);
      l.busyUntil = start + tx;
      t += start - now + tx;
    }
    if (l.reorder > 0 && rng.float() < l.reorder) t += l.delay > 0 ? l.delay : 1000;
    if (l.duplicate > 0 && rng.float() < l.duplicate) this.duplicate(seg, t + 1);
    w.engine.at(Math.max(t, now), this.deliverFn, seg);
  }

  private duplicate(seg: Seg, at: number): void {
    const w = this.w;
    const copy = seg.clone();
    copy.id = ++w.nextSegId;
    w.segments++;
    if (w.on) w.on({ t: w.engine.now, type: 'seg-dup', seg: toSegment(seg), copy: toSegment(copy) });
    w.engine.at(at, this.deliverFn, copy);
  }

  /**
   * Targeted faults; returns extra delay, or −1 if the segment was dropped or looped to death. Every
   * fault counts every matching segment, even one that an earlier fault already dropped.
   */
  private applyFaults(from: number, to: number, seg: Seg, now: number): number {
    let extra = 0;
    let dropped = false;
    for (const f of this.faults) {
      if (f.done) continue;
      const m = f.spec.match;
      if (m.id !== undefined && m.id !== seg.id) continue;
      if (f.fromIdx !== -1 && f.fromIdx !== from) continue;
      if (f.toIdx !== -1 && f.toIdx !== to) continue;
      if (m.flags !== undefined && m.flags !== flagString(seg.flags)) continue;
      if (m.hasData !== undefined && m.hasData !== seg.data.length > 0) continue;
      if (m.after !== undefined && now < m.after) continue;
      f.seen++;
      if (f.seen < m.nth) continue;
      f.done = true;
      if (dropped) continue;
      const spec = f.spec;
      switch (spec.kind) {
        case 'drop':
          this.dropEvent(undefined, seg, 'fault');
          dropped = true;
          break;
        case 'delay':
          extra += spec.by;
          break;
        case 'duplicate':
          this.duplicate(seg, now + this.link(from, to).delay + spec.after);
          break;
        case 'loop': {
          // Around a routing loop: each pass through a router costs perHop and one TTL.
          if (seg.ttl <= spec.hops) {
            const dieAt = now + seg.ttl * spec.perHop;
            seg.ttl = 0;
            this.w.engine.at(dieAt, (s: Seg) => this.dropEvent(undefined, s, 'ttl'), seg);
            dropped = true;
            break;
          }
          seg.ttl -= spec.hops;
          extra += spec.hops * spec.perHop;
          break;
        }
      }
    }
    return dropped ? -1 : extra;
  }

  private natOut(nat: Nat, host: Host, seg: Seg): void {
    const k = `${host.idx}:${seg.sip}:${seg.sport}:${seg.dip}:${seg.dport}`;
    let port = nat.out.get(k);
    if (port === undefined) {
      port = seg.sport;
      while (nat.in.has(`${port}:${seg.dip}:${seg.dport}`)) port = port >= 65535 ? 1024 : port + 1;
      nat.out.set(k, port);
      nat.in.set(`${port}:${seg.dip}:${seg.dport}`, { host: host.idx, ip: seg.sip, port: seg.sport });
    }
    seg.sip = nat.address;
    seg.sport = port;
  }

  private deliver(seg: Seg): void {
    const w = this.w;
    let host: Host | undefined;
    if (isLoopback(seg.dip)) host = w.hosts[seg.from];
    else host = w.hostByIp.get(seg.dip);
    if (host === undefined) {
      const nat = this.natByAddr.get(seg.dip);
      const m = nat?.in.get(`${seg.dport}:${seg.sip}:${seg.sport}`);
      if (m === undefined) {
        this.dropEvent(undefined, seg, 'nat');
        return;
      }
      seg.dip = m.ip;
      seg.dport = m.port;
      host = w.hosts[m.host];
      if (host === undefined) return;
    }
    if (host.down || w.engine.now < host.quietUntil) {
      this.dropEvent(host, seg, 'quiet');
      return;
    }
    segArrives(w, host, seg);
    if (w.on === undefined && w.segPool.length < 4096) w.segPool.push(seg);
  }
}
