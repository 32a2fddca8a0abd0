// The data the TCP layer keeps: segments on the wire, the full connection block (a socket and its
// TCB, RFC 9293 §3.3.1) and the small TIME_WAIT entry that replaces it when the connection ends, the
// way Linux swaps a `struct tcp_sock` for a `struct tcp_timewait_sock` (tcp_minisocks.c: tcp_time_wait()).
//
// Everything is numbers: addresses are unsigned 32-bit integers, flags a bit mask, states small
// integers. Strings and event objects are only built when somebody listens (see trace.ts).

import type { Host } from '../host.ts';
import type { CallRecord, Errno, TcpState } from '../types.ts';

export const FIN = 1;
export const SYN = 2;
export const RST = 4;
export const PSH = 8;
export const ACK = 16;

export const CLOSED = 0;
export const LISTEN = 1;
export const SYN_SENT = 2;
export const SYN_RECEIVED = 3;
export const ESTABLISHED = 4;
export const FIN_WAIT_1 = 5;
export const FIN_WAIT_2 = 6;
export const CLOSE_WAIT = 7;
export const CLOSING = 8;
export const LAST_ACK = 9;
export const TIME_WAIT = 10;

export const STATE_NAMES: readonly TcpState[] = [
  'CLOSED',
  'LISTEN',
  'SYN_SENT',
  'SYN_RECEIVED',
  'ESTABLISHED',
  'FIN_WAIT_1',
  'FIN_WAIT_2',
  'CLOSE_WAIT',
  'CLOSING',
  'LAST_ACK',
  'TIME_WAIT',
];

/** Our receive window: no window scaling, so at most 65,535 bytes (RFC 9293 §3.1). */
export const RCV_WND = 65535;
/** Segment payload size (Ethernet MTU 1500 − 40). */
export const MSS = 1460;

/** A segment in flight. One object per segment; the network may copy it (duplication). */
export class Seg {
  id = 0;
  sip = 0;
  sport = 0;
  dip = 0;
  dport = 0;
  seq = 0;
  ack = 0;
  flags = 0;
  wnd = 0;
  data = '';
  ttl = 64;
  hasTs = false;
  tsVal = 0;
  tsEcr = 0;
  /** Sender's host index (the network uses it to pick the link; NAT does not change it). */
  from = 0;

  clone(): Seg {
    const c = new Seg();
    c.sip = this.sip;
    c.sport = this.sport;
    c.dip = this.dip;
    c.dport = this.dport;
    c.seq = this.seq;
    c.ack = this.ack;
    c.flags = this.flags;
    c.wnd = this.wnd;
    c.data = this.data;
    c.ttl = this.ttl;
    c.hasTs = this.hasTs;
    c.tsVal = this.tsVal;
    c.tsEcr = this.tsEcr;
    c.from = this.from;
    return c;
  }

  /** SEG.LEN of RFC 9293 §3.3.1: payload plus one for SYN and one for FIN. */
  get len(): number {
    return this.data.length + (this.flags & SYN ? 1 : 0) + (this.flags & FIN ? 1 : 0);
  }
}

/** What the load generator (or any in-process application) hears from a socket. */
export interface App {
  connected(s: Sock): void;
  /** New bytes or end of stream arrived. */
  readable(s: Sock): void;
  /** A listener has a connection ready for accept(). */
  acceptable(listener: Sock): void;
  /** connect() failed, or the connection was reset or timed out. */
  failed(s: Sock, err: Errno): void;
}

/** A blocked recv() of the script. */
export interface PendingRecv {
  rec: CallRecord;
  max: number;
}

/** A blocked accept() of the script. */
export interface PendingAccept {
  rec: CallRecord;
  as: string;
}

/** A socket with its TCB (RFC 9293 §3.3.1 variables under their RFC names). */
export class Sock {
  readonly isTw = false;
  host: Host;
  hostIdx: number;
  /** The script's name for it (socket() or accept()), or undefined for the load generator's sockets. */
  fd: string | undefined = undefined;
  state = CLOSED;
  // Addresses. lip 0 = INADDR_ANY; lport 0 = not bound.
  lip = 0;
  lport = 0;
  rip = 0;
  rport = 0;
  /** Demux key inside the host's per-remote-ip map (see host.ts); -1 when not hashed. */
  key = -1;
  /** In a bind bucket (host.ports). */
  bound = false;
  /** bind() chose the port (Linux `fastreuse >= 0` buckets are skipped by connect()'s port search). */
  explicitBind = false;
  /** IP_BIND_ADDRESS_NO_PORT: bind(ip, 0) reserved no port. */
  bindNoPort = false;
  reuseAddr = false;
  reusePort = false;
  /** SO_LINGER: -1 off, otherwise the linger time in seconds. */
  linger = -1;
  /** TCP_LINGER2 in microseconds: 0 = use tcp_fin_timeout, < 0 = no FIN_WAIT_2 at all. */
  linger2 = 0;
  // Send sequence space.
  iss = 0;
  /** tcp_twsk_unique() or TCP_TW_SYN chose the ISN. */
  issFixed = false;
  sndUna = 0;
  sndNxt = 0;
  /** Highest SND.NXT ever (to tell retransmissions from new data). */
  sndMax = 0;
  sndWnd = RCV_WND;
  /** Bytes from SND.UNA on: sent-but-unacknowledged, then unsent. */
  sndBuf = '';
  /** The application asked for a FIN (close or shutdown(SHUT_WR)). */
  finQueued = false;
  /** Sequence number of our FIN once sent, -1 before. */
  finSeq = -1;
  // Receive sequence space.
  irs = 0;
  rcvNxt = 0;
  /** In-order bytes not yet read by the application. */
  rcvBuf = '';
  /** The peer's FIN arrived (end of stream). */
  rcvFin = false;
  /**
   * recv() has returned end of stream: the FIN's sequence number is consumed (`copied_seq` moves past
   * it in tcp_recvmsg()), so ss stops counting it in Recv-Q.
   */
  finRead = false;
  /** Delayed-ACK timeout (`icsk_ack.ato`): 0 until the first data segment arrives (tcp_event_data_recv()). */
  ato = 0;
  /** recv() side closed (shutdown(SHUT_RD), close(), or a reset). */
  rcvShutdown = false;
  /** The application closed the socket: nobody will read; it will not be accepted. */
  orphan = false;
  /** A pending error reported once by the next call (sk_err). */
  softError: Errno | undefined = undefined;
  // Timestamps (RFC 7323).
  tsOn = false;
  tsRecent = 0;
  /** Seconds when TS.Recent was last updated, 0 = never (`ts_recent_stamp`). */
  tsRecentStamp = 0;
  tsOffset = 0;
  // RTO (RFC 6298).
  rto = 0;
  srtt = 0;
  rttvar = 0;
  retries = 0;
  rttSeq = -1;
  rttStart = 0;
  rtxTok = 0;
  rtxAt = 0;
  /** The armed transmit timer is a tail loss probe (ICSK_TIME_LOSS_PROBE), not the RTO. */
  rtxProbe = false;
  /** When the RTO would fire (tcp_rto_delta_us()), while a loss probe is armed ahead of it. */
  rtoDeadline = 0;
  /** SND.NXT when the last loss probe went out (`tlp_high_seq`); -1 = none outstanding. */
  tlpHigh = -1;
  /** An RTO fired and not everything is acknowledged yet (TCP_CA_Loss): no loss probes meanwhile. */
  caLoss = false;
  /** Orphaned FIN_WAIT_2 kept as a full socket (when the timeout exceeds TIME_WAIT's length). */
  fw2Tok = 0;
  /** An ACK is owed and will go out at the end of this instant unless data carries it first. */
  ackPending = false;
  ackTok = 0;
  // Passive open.
  parent: Sock | undefined = undefined;
  acceptQueue: Sock[] | undefined = undefined;
  backlog = 0;
  /** Number of embryonic and unaccepted children (for ss Recv-Q on a listener). */
  // Application hooks.
  app: App | undefined = undefined;
  appData: unknown = undefined;
  pendConnect: CallRecord | undefined = undefined;
  pendRecv: PendingRecv | undefined = undefined;
  pendAccept: PendingAccept[] | undefined = undefined;
  /** Everything delivered in order (kept only for named sockets). */
  got = '';
  keepGot = false;

  /** The connection got as far as ESTABLISHED (send() on it later fails with EPIPE, not ENOTCONN). */
  everConnected = false;

  constructor(host: Host) {
    this.host = host;
    this.hostIdx = host.idx;
  }
}

/**
 * Where a run's TIME_WAIT entries come from: here plain objects, few in a scripted run. The load path
 * (src/sim/fast/tw.ts) puts its own pool in the world, which keeps a million entries in one typed
 * array instead of a million objects for the garbage collector to trace.
 */
export class TwPool {
  add(s: Sock, state: number, nowMs: number): TwSock {
    return new TwSock(s, state, nowMs);
  }
}

/**
 * The TIME_WAIT (or orphaned FIN_WAIT_2) minisocket: the handful of fields
 * `tcp_timewait_state_process()` needs, after `struct tcp_timewait_sock`.
 */
export class TwSock {
  readonly isTw = true;
  host: Host;
  hostIdx: number;
  /** TIME_WAIT, or FIN_WAIT_2 for an orphan parked by tcp_time_wait(sk, TCP_FIN_WAIT2, tmo). */
  state: number;
  lip: number;
  lport: number;
  rip: number;
  rport: number;
  /** Demux key in the host's table, −1 when unhashed. */
  key: number;
  sndNxt: number;
  rcvNxt: number;
  tsOn: boolean;
  tsRecent: number;
  /** Seconds; 0 = the connection did not use timestamps (`tw_ts_recent_stamp`). */
  tsRecentStamp: number;
  tsOffset: number;
  /** Milliseconds at entry into TIME_WAIT (`tw_entry_stamp`, Linux ≥ 6.14). */
  entryStamp: number;
  reuseAddr: boolean;
  reusePort: boolean;
  /** Its current timeout is at most 4 s (`tw_kill`: counted as TWKilled instead of TW). */
  kill = false;
  /** tcp_tw_recycle's `tw_timeout` (3.5 × RTO), 0 when recycling does not apply. */
  recycleTimeout = 0;
  tok = 0;
  /** When the timer fires (µs). */
  expires = 0;

  constructor(s: Sock, state: number, nowMs: number) {
    this.host = s.host;
    this.hostIdx = s.hostIdx;
    this.state = state;
    this.lip = s.lip;
    this.lport = s.lport;
    this.rip = s.rip;
    this.rport = s.rport;
    this.key = s.key;
    this.sndNxt = s.sndNxt;
    this.rcvNxt = s.rcvNxt;
    this.tsOn = s.tsOn;
    this.tsRecent = s.tsRecent;
    this.tsRecentStamp = s.tsOn ? s.tsRecentStamp : 0;
    this.tsOffset = s.tsOffset;
    this.entryStamp = nowMs;
    this.reuseAddr = s.reuseAddr;
    this.reusePort = s.reusePort;
  }

  /** The entry is gone (a pool of the load path takes its slot back; nothing to do here). */
  release(): void {}
}

export type AnySock = Sock | TwSock;

/** Sequence-number comparisons modulo 2^32 (RFC 9293 §3.4). */
export function seqLt(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}
export function seqLe(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}
export function seqGt(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}
export function seqGe(a: number, b: number): boolean {
  return ((a - b) | 0) >= 0;
}
export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** tcpdump-order flag letters (types.ts Flags). */
export function flagString(f: number): string {
  let s = '';
  if (f & SYN) s += 'S';
  if (f & FIN) s += 'F';
  if (f & RST) s += 'R';
  if (f & PSH) s += 'P';
  if (f & ACK) s += 'A';
  return s;
}

export function ipToNum(ip: string): number {
  const p = ip.split('.');
  return ((Number(p[0]) << 24) | (Number(p[1]) << 16) | (Number(p[2]) << 8) | Number(p[3])) >>> 0;
}

export function numToIp(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

export function isLoopback(ip: number): boolean {
  return ip >>> 24 === 127;
}
