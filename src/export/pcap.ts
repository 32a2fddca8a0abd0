// A simulator run as a classic libpcap capture file that tcpdump and Wireshark open: the global header
// (magic 0xa1b2c3d4 = microsecond timestamps, version 2.4, snaplen 65535, LINKTYPE_RAW = 101, i.e.
// each record is a bare IPv4 datagram with no link-layer header), then one record per segment put on
// the wire. Pure: no DOM, no Node APIs, so the playground and the CLI share it.
//
// Format: https://www.tcpdump.org/manpages/pcap-savefile.5.html and LINKTYPE_RAW in
// https://www.tcpdump.org/linktypes.html. Headers: IPv4 per RFC 791 §3.1, TCP per RFC 9293 §3.1, the
// checksums per RFC 1071 (one's-complement sum of 16-bit words), the TCP checksum covering the
// pseudo-header of RFC 9293 §3.1 (source, destination, zero, protocol 6, TCP length).

import type { Segment, SimEvent } from '../sim/types.ts';

/** LINKTYPE_RAW: the packet begins with an IPv4 (or IPv6) header. */
export const LINKTYPE_RAW = 101;
export const PCAP_MAGIC = 0xa1b2c3d4;
export const SNAPLEN = 65535;
/** The simulator's maximum segment size (src/sim/tcp/tcb.ts `MSS`), announced on SYNs as Linux does. */
export const SYN_MSS = 1460;

const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;
const IP_HEADER = 20;
const TCP_HEADER = 20;
/** IP flags field with DF (Don't Fragment) set, as Linux sends TCP with path-MTU discovery on. */
const IP_DF = 0x4000;

export interface PcapPacket {
  /** Simulated time in microseconds (the capture's epoch is 0, 1970-01-01). */
  t: number;
  seg: Segment;
}

/**
 * The packets a capture of the whole network would hold, in time order: every segment a host sent
 * ('seg-send'), including those the network then dropped — a capture point next to the sender sees the
 * sent copy, and the text log marks it "(dropped: …)" — plus every extra copy the network made
 * ('seg-dup'), at the instant it was made, as tcpdumpLines() lists them.
 */
export function packetsOf(events: readonly SimEvent[]): PcapPacket[] {
  const out: PcapPacket[] = [];
  for (const e of events) {
    if (e.type === 'seg-send') out.push({ t: e.t, seg: e.seg });
    else if (e.type === 'seg-dup') out.push({ t: e.t, seg: e.copy });
  }
  return out;
}

function ipv4Bytes(ip: string, where: string): number[] {
  const parts = ip.split('.');
  const bytes = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : Number.NaN));
  if (bytes.length !== 4 || bytes.some((b) => !(b >= 0 && b <= 255)))
    throw new RangeError(`pcap: ${where} is not an IPv4 address: ${JSON.stringify(ip)}`);
  return bytes;
}

/** RFC 1071 one's-complement sum of big-endian 16-bit words over bytes[from, to), folded. */
function onesSum(bytes: Uint8Array, from: number, to: number, initial = 0): number {
  let sum = initial;
  for (let i = from; i + 1 < to; i += 2) sum += ((bytes[i] as number) << 8) | (bytes[i + 1] as number);
  // An odd length is padded with a zero byte (RFC 9293 §3.1, "Checksum").
  if ((to - from) % 2 === 1) sum += (bytes[to - 1] as number) << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** TCP options of a segment, padded to a multiple of 4 bytes (RFC 9293 §3.1, "Options"). */
function tcpOptions(seg: Segment): number[] {
  const out: number[] = [];
  // MSS (kind 2, length 4) only on segments with SYN (RFC 9293 §3.7.1).
  if (seg.flags.includes('S')) out.push(2, 4, (SYN_MSS >>> 8) & 0xff, SYN_MSS & 0xff);
  if (seg.ts) {
    // Two NOPs then TSopt (kind 8, length 10: TSval, TSecr), the layout RFC 7323 Appendix A suggests
    // and Linux sends, so the timestamps stay 4-byte aligned.
    out.push(1, 1, 8, 10);
    for (const v of [seg.ts.val >>> 0, seg.ts.ecr >>> 0])
      out.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  }
  // End-of-option-list padding (kind 0).
  while (out.length % 4 !== 0) out.push(0);
  return out;
}

/** One segment as an IPv4 datagram with its TCP header, options and payload, checksums filled in. */
export function ipPacket(seg: Segment, ipId = seg.id): Uint8Array {
  const src = ipv4Bytes(seg.src.ip, `segment #${seg.id} source`);
  const dst = ipv4Bytes(seg.dst.ip, `segment #${seg.id} destination`);
  const options = tcpOptions(seg);
  const tcpLen = TCP_HEADER + options.length + seg.data.length;
  const total = IP_HEADER + tcpLen;
  if (total > 0xffff)
    throw new RangeError(`pcap: segment #${seg.id} is ${total} bytes, more than an IPv4 datagram holds`);
  const p = new Uint8Array(total);
  const v = new DataView(p.buffer);

  // IPv4 header (RFC 791 §3.1): version 4, IHL 5 words, no options.
  p[0] = 0x45;
  p[1] = 0; // DSCP/ECN
  v.setUint16(2, total);
  v.setUint16(4, ipId & 0xffff);
  v.setUint16(6, IP_DF);
  // The simulator's TTL is the one the receiver sees (each router subtracts one); the capture shows it
  // as recorded on the segment.
  p[8] = Math.max(0, Math.min(255, seg.ttl | 0));
  p[9] = 6; // TCP
  p.set(src, 12);
  p.set(dst, 16);
  v.setUint16(10, ~onesSum(p, 0, IP_HEADER) & 0xffff);

  // TCP header (RFC 9293 §3.1).
  const t = IP_HEADER;
  v.setUint16(t, seg.src.port & 0xffff);
  v.setUint16(t + 2, seg.dst.port & 0xffff);
  v.setUint32(t + 4, seg.seq >>> 0);
  v.setUint32(t + 8, seg.ack >>> 0);
  p[t + 12] = ((TCP_HEADER + options.length) / 4) << 4;
  let flags = 0;
  if (seg.flags.includes('F')) flags |= 0x01;
  if (seg.flags.includes('S')) flags |= 0x02;
  if (seg.flags.includes('R')) flags |= 0x04;
  if (seg.flags.includes('P')) flags |= 0x08;
  if (seg.flags.includes('A')) flags |= 0x10;
  p[t + 13] = flags;
  // The simulator negotiates no window scaling (RFC 7323 §2), so its window is the 16-bit field itself.
  v.setUint16(t + 14, Math.max(0, Math.min(0xffff, seg.wnd | 0)));
  // Checksum (t + 16) is computed below; urgent pointer (t + 18) stays 0.
  p.set(options, t + TCP_HEADER);
  for (let i = 0; i < seg.data.length; i++)
    p[t + TCP_HEADER + options.length + i] = seg.data.charCodeAt(i) & 0xff;
  // Pseudo-header: source, destination, zero + protocol, TCP length (RFC 9293 §3.1).
  let pseudo = 0;
  for (let i = 0; i < 4; i += 2) {
    pseudo += ((src[i] as number) << 8) | (src[i + 1] as number);
    pseudo += ((dst[i] as number) << 8) | (dst[i + 1] as number);
  }
  pseudo += 6 + tcpLen;
  let sum = ~onesSum(p, t, total, pseudo) & 0xffff;
  // A computed zero is sent as all ones in one's complement (both mean zero; RFC 1071 §2).
  if (sum === 0) sum = 0xffff;
  v.setUint16(t + 16, sum);
  return p;
}

/** The capture file of `packets` (little-endian headers, as tcpdump writes on x86; readers accept both). */
export function pcapFile(packets: readonly PcapPacket[]): Uint8Array {
  const bodies = packets.map((pk) => ipPacket(pk.seg));
  const size = GLOBAL_HEADER + bodies.reduce((n, b) => n + RECORD_HEADER + b.length, 0);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  v.setUint32(0, PCAP_MAGIC, true);
  v.setUint16(4, 2, true); // version 2.4
  v.setUint16(6, 4, true);
  v.setInt32(8, 0, true); // thiszone: UTC
  v.setUint32(12, 0, true); // sigfigs
  v.setUint32(16, SNAPLEN, true);
  v.setUint32(20, LINKTYPE_RAW, true);
  let at = GLOBAL_HEADER;
  packets.forEach((pk, i) => {
    const body = bodies[i] as Uint8Array;
    const t = Math.max(0, Math.round(pk.t));
    v.setUint32(at, Math.floor(t / 1e6), true);
    v.setUint32(at + 4, t % 1e6, true);
    v.setUint32(at + 8, body.length, true); // captured length: whole packet (< snaplen)
    v.setUint32(at + 12, body.length, true); // original length
    out.set(body, at + RECORD_HEADER);
    at += RECORD_HEADER + body.length;
  });
  return out;
}

/** A run's event log as a capture file: every packet of packetsOf(events). */
export function pcapOfEvents(events: readonly SimEvent[]): Uint8Array {
  return pcapFile(packetsOf(events));
}
