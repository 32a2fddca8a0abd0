// Local port choice and bind() conflicts, after Linux:
// - connect() without a port: `__inet_hash_connect()` (net/ipv4/inet_hashtables.c) walks the range
//   from a keyed offset, ports of the range's low parity first, and takes the first port whose 4-tuple
//   is unique (`__inet_check_established()`), skipping ports that bind() claimed;
// - a TIME_WAIT entry holding the tuple may be taken over by `tcp_twsk_unique()` (net/ipv4/tcp_ipv4.c);
// - bind(ip, 0): `inet_csk_find_open_port()` (net/ipv4/inet_connection_sock.c), the other parity first;
// - bind(ip, port): `inet_bind_conflict()` with SO_REUSEADDR / SO_REUSEPORT.

import type { Host } from './host.ts';
import { keyedHash } from './prng.ts';
import type { AnySock, Sock, TwSock } from './tcp/tcb.ts';
import { isLoopback, LISTEN, TIME_WAIT } from './tcp/tcb.ts';
import type { World } from './tcp/world.ts';

/** One bind bucket (`struct inet_bind_bucket`): everything using a local port. */
export interface Bucket {
  owners: Set<AnySock>;
  /** Claimed by bind() (Linux: fastreuse >= 0); connect()'s port search skips such ports. */
  explicit: boolean;
  /** Owners that were bound by bind() (the bucket stays "explicit" while there are any). */
  explicitOwners: number;
}

/** The TIME_WAIT entry may be replaced by a new outgoing connection (`tcp_twsk_unique()`, Linux ≥ 6.14). */
export function twskUnique(w: World, host: Host, s: Sock, tw: TwSock, explicitPort: boolean): boolean {
  let reuse = host.sysctl['net.ipv4.tcp_tw_reuse'] as number;
  // Recent kernels never reuse an orphaned FIN_WAIT_2 parked as a minisocket.
  if (tw.state !== TIME_WAIT) reuse = 0;
  // Value 2: only when either address is loopback (127.0.0.0/8).
  if (reuse === 2 && !(isLoopback(tw.rip) || isLoopback(tw.lip))) reuse = 0;
  const stamp = tw.tsRecentStamp;
  if (stamp === 0) return false; // the old connection did not use timestamps
  let ok: boolean;
  if (explicitPort) {
    // The bound-port connect() passes twp == NULL: reuse regardless of tcp_tw_reuse (the `!twp` case).
    ok = true;
  } else if (w.profile.twReuseRule === 'delay-ms') {
    // time_after32(tcp_clock_ms(), tw_entry_stamp + tcp_tw_reuse_delay)
    const nowMs = Math.floor(w.engine.now / 1000);
    ok = reuse !== 0 && nowMs > tw.entryStamp + host.sysctl['net.ipv4.tcp_tw_reuse_delay'];
  } else {
    // Before 6.14: get_seconds() - tw_ts_recent_stamp > 1.
    const nowSec = Math.floor(w.engine.now / 1_000_000);
    ok = reuse !== 0 && nowSec - stamp > 1;
  }
  if (!ok) return false;
  // The new connection starts beyond anything the old one sent and inherits TS.Recent, so PAWS
  // rejects the old incarnation's segments: write_seq = tw_snd_nxt + 65535 + 2.
  let seq = (tw.sndNxt + 65535 + 2) >>> 0;
  if (seq === 0) seq = 1;
  s.iss = seq;
  s.issFixed = true;
  s.tsRecent = tw.tsRecent;
  s.tsRecentStamp = stamp;
  return true;
}

function reusePossible(host: Host, lip: number, rip: number): boolean {
  const reuse = host.sysctl['net.ipv4.tcp_tw_reuse'];
  if (reuse === 0 || host.sysctl['net.ipv4.tcp_timestamps'] === 0) return false;
  return reuse === 1 || isLoopback(lip) || isLoopback(rip);
}

/** `__inet_check_established()`: is (lip, lport, rip, rport) free, possibly by taking over a TIME_WAIT? */
function checkEstablished(
  w: World,
  host: Host,
  s: Sock,
  lipIdx: number,
  lport: number,
  rip: number,
  rport: number,
  explicitPort: boolean,
): boolean {
  const existing = host.lookup(lipIdx, lport, rip, rport);
  if (existing === undefined) return true;
  if (existing.isTw && existing.state === TIME_WAIT && twskUnique(w, host, s, existing, explicitPort)) {
    host.count(9 /* TcpExtTWRecycled */);
    host.killTw(existing, 'reused');
    return true;
  }
  return false;
}

/** connect()'s local port: the bound one, or `__inet_hash_connect()`'s search. 0 = EADDRNOTAVAIL. */
export function connectPort(
  w: World,
  host: Host,
  s: Sock,
  lipIdx: number,
  rip: number,
  rport: number,
): number {
  if (s.lport !== 0) {
    return checkEstablished(w, host, s, lipIdx, s.lport, rip, rport, true) ? s.lport : 0;
  }
  const range = host.sysctl['net.ipv4.ip_local_port_range'];
  const low = range[0];
  const high = range[1] + 1; // [32768, 60999] -> [32768, 61000[
  let remaining = high - low;
  if (remaining > 1) remaining &= ~1;
  if (remaining <= 0) return 0;
  const lip = host.ips[lipIdx] as number;
  // Shortcut with the same answer as the full scan below: every port of the range already carries a
  // 4-tuple to this destination and tcp_twsk_unique() could not free any of them.
  if (host.destCount(lipIdx, rip, rport) >= high - low && !reusePossible(host, lip, rip)) return 0;
  // port_offset = secure_ipv4_port_ephemeral(saddr, daddr, dport); 64 bits in the kernel.
  const lo = keyedHash(host.secret, lip, rip, rport, 0x1);
  const hi = keyedHash(host.secret, lip, rip, rport, 0x2);
  const index = lo & 0xffff;
  let offset = ((host.perturb[index] as number) + hi) % remaining;
  // "In first pass we try ports of @low parity. inet_csk_get_port() does the opposite choice."
  offset &= ~1;
  // With many 4-tuples toward this destination, find the candidates in its port bitmap instead of
  // probing every port: the same ports in the same order (a port whose tuple is taken could only be
  // won by tcp_twsk_unique(), which reusePossible() rules out), so the same answer, without the
  // quadratic cost of the second (odd) pass once the even ports are used up.
  const bits =
    remaining > 1 && !reusePossible(host, lip, rip) ? host.destBits(lipIdx, rip, rport) : undefined;
  for (;;) {
    if (bits !== undefined) {
      const i = scanBits(host, bits, low, offset, remaining, high - low);
      if (i >= 0) {
        let port = low + offset + i;
        if (port >= high) port -= remaining;
        const r = w.rng.below(8) * 2;
        host.perturb[index] = ((host.perturb[index] as number) + Math.max(i, r) + 2) >>> 0;
        return port;
      }
    } else {
      let port = low + offset;
      for (let i = 0; i < remaining; i += 2, port += 2) {
        if (port >= high) port -= remaining;
        const b = host.ports.get(port);
        if (b !== undefined) {
          if (b.explicit) continue;
          if (!checkEstablished(w, host, s, lipIdx, port, rip, rport, false)) continue;
        }
        // "a little bit of randomness to the next source port": max(i, random(8) * 2) + 2.
        const r = w.rng.below(8) * 2;
        host.perturb[index] = ((host.perturb[index] as number) + Math.max(i, r) + 2) >>> 0;
        return port;
      }
    }
    offset++;
    if (!(offset & 1 && remaining > 1)) return 0;
  }
}

/**
 * The step `i` (even, < remaining) at which `__inet_hash_connect()`'s walk from `start` reaches a port
 * whose bit is clear and that bind() has not claimed; -1 if none. The walk is the kernel's: index
 * start + i, less `remaining` once it passes the range's last port (so with a range of odd length one
 * index is never visited in each pass). Words whose bits of the walk's parity are all set are skipped.
 */
function scanBits(
  host: Host,
  bits: Uint32Array,
  low: number,
  start: number,
  remaining: number,
  len: number,
): number {
  const mask = start & 1 ? 0xaaaaaaaa : 0x55555555;
  const firstSteps = (len - start + 1) >>> 1; // indices start, start + 2, … below len
  for (let seg = 0; seg < 2; seg++) {
    let j = seg === 0 ? start : start + 2 * firstSteps - remaining;
    const end = seg === 0 ? len : start;
    while (j < end) {
      const wi = j >>> 5;
      const word = bits[wi] as number;
      if ((~word & mask) >>> 0 === 0) {
        j = ((wi + 1) << 5) | (start & 1);
        continue;
      }
      if (((word >>> (j & 31)) & 1) === 0) {
        const b = host.ports.get(low + j);
        if (b === undefined || !b.explicit) return seg === 0 ? j - start : j + remaining - start;
      }
      j += 2;
    }
  }
  return -1;
}

/**
 * `inet_bind_conflict()` for bind(ip, port) and listen() (relax = true, reuseport_ok = true):
 * SO_REUSEADDR on both sockets allows sharing unless the holder is listening; SO_REUSEPORT on both
 * allows it always (same user assumed; a TIME_WAIT holder counts as the same user).
 */
export function bindConflicts(host: Host, s: Sock, ip: number, port: number): boolean {
  const b = host.ports.get(port);
  if (b === undefined) return false;
  for (const o of b.owners) {
    if (o === s) continue;
    if (!(o.lip === 0 || ip === 0 || o.lip === ip)) continue;
    if (s.reuseAddr && o.reuseAddr && o.state !== LISTEN) continue;
    if (s.reusePort && o.reusePort) continue;
    return true;
  }
  return false;
}

/** `inet_csk_find_open_port()`: bind(ip, 0). Odd ports first; the lower half first with SO_REUSEADDR. 0 = none. */
export function bindAnyPort(w: World, host: Host, s: Sock, ip: number): number {
  const range = host.sysctl['net.ipv4.ip_local_port_range'];
  let attemptHalf = s.reuseAddr ? 1 : 0;
  const low0 = range[0];
  const high0 = range[1] + 1;
  if (high0 - low0 < 4) attemptHalf = 0;
  for (;;) {
    let low = low0;
    let high = high0;
    if (attemptHalf) {
      const half = low + (((high - low) >> 2) << 1);
      if (attemptHalf === 1) high = half;
      else low = half;
    }
    let remaining = high - low;
    if (remaining > 1) remaining &= ~1;
    if (remaining <= 0) return 0;
    let offset = w.rng.below(remaining);
    offset |= 1;
    for (;;) {
      let port = low + offset;
      for (let i = 0; i < remaining; i += 2, port += 2) {
        if (port >= high) port -= remaining;
        const b = host.ports.get(port);
        if (b === undefined || !anyOverlap(b, s, ip)) return port;
      }
      offset--;
      if (offset & 1) break;
    }
    if (attemptHalf === 1) attemptHalf = 2;
    else return 0;
  }
}

/** relax = false, reuseport_ok = false: any holder of an overlapping address is a conflict. */
function anyOverlap(b: Bucket, s: Sock, ip: number): boolean {
  for (const o of b.owners) {
    if (o === s) continue;
    if (o.lip === 0 || ip === 0 || o.lip === ip) return true;
  }
  return false;
}
