// The bytes view of the incarnation labs: what each socket received, chunk by chunk, and which chunks
// came from an earlier incarnation of the same 4-tuple.
//
// The simulator delivers a real byte stream ('deliver' events, right after the 'seg-recv' of the
// segment that carried the bytes). A chunk is "old" when its segment was sent before the receiving
// connection's handshake began: it belongs to an earlier connection with the same 4-tuple, the
// hazard TIME_WAIT exists to prevent (RFC 9293 §3.4.1; RFC 1337 hazard H1).

import type { Segment, SimEvent } from '../../src/sim/types.ts';

export interface ByteChunk {
  text: string;
  seg: number;
  /** When the segment that carried the bytes was first sent. */
  sentAt: number;
  deliveredAt: number;
  old: boolean;
}

export interface ByteStream {
  host: string;
  fd: string;
  /** 'local → remote' of the receiving connection. */
  conn: string;
  /** When this connection's handshake began (its SYN_SENT or SYN_RECEIVED). */
  start: number;
  chunks: ByteChunk[];
  /** What recv() returned so far. */
  read: string;
  /** What the peer sent in this connection (each sequence number once). */
  sent: string;
  corrupted: boolean;
}

const ep = (e: { ip: string; port: number }) => `${e.ip}:${e.port}`;

/** The streams received up to instant t, in the order they started. */
export function byteStreams(events: readonly SimEvent[], t: number): ByteStream[] {
  const sentAt = new Map<number, number>();
  const lastRecv = new Map<string, Segment>();
  const starts = new Map<string, number>();
  const streams = new Map<string, ByteStream>();
  const peerData: { host: string; seg: Segment; t: number }[] = [];
  const reads: { host: string; fd: string; data: string; t: number }[] = [];
  for (const e of events) {
    if (e.t > t) break;
    switch (e.type) {
      case 'seg-send':
        if (!sentAt.has(e.seg.id)) sentAt.set(e.seg.id, e.t);
        if (e.seg.data !== '') peerData.push({ host: e.host, seg: e.seg, t: e.t });
        break;
      case 'seg-dup':
        sentAt.set(e.copy.id, sentAt.get(e.seg.id) ?? e.t);
        break;
      case 'seg-recv':
        lastRecv.set(e.host, e.seg);
        break;
      case 'state':
        if (e.to === 'SYN_SENT' || e.to === 'SYN_RECEIVED') starts.set(`${e.host} ${e.conn}`, e.t);
        break;
      case 'call':
        if (e.record.call === 'recv' && e.record.fd !== undefined && e.record.data)
          reads.push({ host: e.host, fd: e.record.fd, data: e.record.data, t: e.record.doneAt });
        break;
      case 'deliver': {
        const seg = lastRecv.get(e.host);
        if (seg === undefined) break;
        const conn = `${ep(seg.dst)} → ${ep(seg.src)}`;
        const start = starts.get(`${e.host} ${conn}`) ?? 0;
        const key = `${e.host}/${e.fd}/${start}`;
        let s = streams.get(key);
        if (s === undefined) {
          s = { host: e.host, fd: e.fd, conn, start, chunks: [], read: '', sent: '', corrupted: false };
          streams.set(key, s);
        }
        const first = sentAt.get(seg.id) ?? e.t;
        const old = first < start;
        s.chunks.push({ text: e.data, seg: seg.id, sentAt: first, deliveredAt: e.t, old });
        if (old) s.corrupted = true;
        break;
      }
    }
  }
  const out = [...streams.values()];
  for (const s of out) {
    s.read = reads
      .filter((r) => r.host === s.host && r.fd === s.fd && r.t >= s.start && r.t <= t)
      .map((r) => r.data)
      .join('');
    // The peer's data in this connection: its segments on the reverse 4-tuple sent after the
    // handshake began, each sequence number once (a retransmission repeats the bytes).
    const [local, remote] = s.conn.split(' → ');
    const bySeq = new Map<number, string>();
    for (const p of peerData) {
      if (p.t < s.start || ep(p.seg.src) !== remote || ep(p.seg.dst) !== local) continue;
      if (!bySeq.has(p.seg.seq)) bySeq.set(p.seg.seq, p.seg.data);
    }
    s.sent = [...bySeq.entries()]
      .sort((a, b) => seqOrder(a[0], b[0]))
      .map(([, d]) => d)
      .join('');
  }
  return out;
}

/** Sequence numbers compare modulo 2³² (RFC 9293 §3.4). */
function seqOrder(a: number, b: number): number {
  return ((a - b) | 0) < 0 ? -1 : a === b ? 0 : 1;
}
