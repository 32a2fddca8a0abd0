// A host: its addresses, socket table (4-tuple demux, listeners, bind buckets), sysctls, nstat
// counters, and the socket API the script and the load generator call. Calls return errno names.
// Runs built while the load generator is loaded use fast/host.ts, which keeps the same tables in
// structures sized for a million connections.

import type { Bucket } from './ports.ts';
import { bindAnyPort, bindConflicts, connectPort } from './ports.ts';
import type { Profile } from './profiles.ts';
import {
  C_ABORT_ON_CLOSE,
  C_ABORT_ON_DATA,
  C_ACTIVE_OPENS,
  C_ATTEMPT_FAILS,
  C_ESTAB_RESETS,
  COUNTER_NAMES,
} from './tcp/counters.ts';
import { cancelRto, chooseIsn, output, sendActiveReset, sendSyn, tsOffsetFor } from './tcp/output.ts';
import type { AnySock, TwSock } from './tcp/tcb.ts';
import {
  CLOSE_WAIT,
  CLOSED,
  ESTABLISHED,
  FIN_WAIT_1,
  FIN_WAIT_2,
  ipToNum,
  LAST_ACK,
  LISTEN,
  Sock,
  SYN_RECEIVED,
  SYN_SENT,
} from './tcp/tcb.ts';
import { orphanFinWait2, removeTw } from './tcp/timewait.ts';
import { emitState, emitTimer } from './tcp/trace.ts';
import type { World } from './tcp/world.ts';
import type { CallRecord, Errno, HostSpec, ScriptStep, Sysctls } from './types.ts';

const TWO32 = 4294967296;
/** A destination gets a port bitmap once this many of its 4-tuples use ephemeral ports. */
const DEST_BITMAP_AT = 256;

/** 4-tuples toward one (local address, remote address, remote port) on ephemeral ports. */
export interface DestUse {
  n: number;
  bits: Uint32Array | undefined;
}

export class Host {
  readonly w: World;
  readonly idx: number;
  readonly name: string;
  readonly spec: HostSpec;
  /** Local addresses: the primary first, then extraIps, then 127.0.0.1. */
  readonly ips: number[];
  readonly sysctl: Sysctls;
  secret = 0;
  /** Connections and TIME_WAIT entries: remote ip → (lipIdx·2^32 + lport·2^16 + rport) → socket. */
  conns = new Map<number, Map<number, AnySock>>();
  /** Listening sockets by port. */
  listeners = new Map<number, Sock[]>();
  /** Bind buckets by local port. */
  ports = new Map<number, Bucket>();
  /** The script's open descriptors. */
  fds = new Map<string, Sock>();
  /** The latest socket that carried each name (for received()). */
  named = new Map<string, Sock>();
  counters = new Float64Array(COUNTER_NAMES.length);
  /** TIME_WAIT plus parked FIN_WAIT_2 minisockets (what tcp_max_tw_buckets limits). */
  twCount = 0;
  timeWaitCount = 0;
  established = 0;
  naiveIsn = 0;
  /** `table_perturb[]` of __inet_hash_connect(). */
  perturb = new Uint32Array(65536);
  down = false;
  quietUntil = 0;
  /**
   * How many 4-tuples toward each (local address, remote address, remote port) use a port of the
   * ephemeral range: remote ip → (lipIdx·2^16 + rport) → count. Lets connect() fail at once when every
   * port is taken and no TIME_WAIT entry could be reused — the answer the kernel's full scan gives.
   */
  destUse = new Map<number, Map<number, DestUse>>();
  protected rangeLow: number;
  protected rangeEnd: number;
  /** tcp_tw_recycle's per-peer timestamp memory (tcp_metrics: tcpm_ts, tcpm_ts_stamp). */
  tsCache = new Map<number, { ts: number; stamp: number }>();

  constructor(w: World, idx: number, name: string, spec: HostSpec, profile: Profile) {
    this.w = w;
    this.idx = idx;
    this.name = name;
    this.spec = spec;
    this.ips = [ipToNum(spec.ip), ...spec.extraIps.map(ipToNum)];
    if (!this.ips.includes(ipToNum('127.0.0.1'))) this.ips.push(ipToNum('127.0.0.1'));
    this.sysctl = { ...profile.sysctl, ...spec.sysctl };
    this.secret = w.rng.u32();
    const [low, high] = this.sysctl['net.ipv4.ip_local_port_range'];
    // Every port of the range, also the last one of a range of odd length (which connect() can reach).
    this.rangeLow = low;
    this.rangeEnd = high + 1;
  }

  count(i: number): void {
    this.counters[i] = (this.counters[i] as number) + 1;
  }

  ipIndex(ip: number): number {
    const ips = this.ips;
    for (let i = 0; i < ips.length; i++) if (ips[i] === ip) return i;
    return -1;
  }

  // --- demux -------------------------------------------------------------------------------------

  lookup(lipIdx: number, lport: number, rip: number, rport: number): AnySock | undefined {
    const m = this.conns.get(rip);
    return m === undefined ? undefined : m.get(lipIdx * TWO32 + lport * 65536 + rport);
  }

  hash(s: AnySock): void {
    const lipIdx = this.ipIndex(s.lip);
    s.key = lipIdx * TWO32 + s.lport * 65536 + s.rport;
    let m = this.conns.get(s.rip);
    if (m === undefined) {
      m = new Map();
      this.conns.set(s.rip, m);
    }
    m.set(s.key, s);
    if (s.lport >= this.rangeLow && s.lport < this.rangeEnd)
      this.destAdd(s.rip, lipIdx * 65536 + s.rport, s.lport, 1);
  }

  protected destAdd(rip: number, k: number, port: number, d: number): void {
    this.destApply(this.destUse.get(rip)?.get(k) ?? this.destUseNew(rip, k), rip, k, port, d);
  }

  /** A new, empty entry for a destination's port use. */
  protected destUseNew(rip: number, k: number): DestUse {
    let m = this.destUse.get(rip);
    if (m === undefined) {
      m = new Map();
      this.destUse.set(rip, m);
    }
    const u: DestUse = { n: 0, bits: undefined };
    m.set(k, u);
    return u;
  }

  /** Counts `port` in (d = 1) or out (d = −1) of a destination's use; true if the entry went at zero. */
  protected destApply(u: DestUse, rip: number, k: number, port: number, d: number): boolean {
    u.n += d;
    if (u.n === 0) {
      const m = this.destUse.get(rip) as Map<number, DestUse>;
      m.delete(k);
      if (m.size === 0) this.destUse.delete(rip);
      return true;
    }
    const bit = port - this.rangeLow;
    if (u.bits !== undefined) {
      const wi = bit >>> 5;
      const mask = 1 << (bit & 31);
      u.bits[wi] = d > 0 ? (u.bits[wi] as number) | mask : (u.bits[wi] as number) & ~mask;
    } else if (u.n >= DEST_BITMAP_AT) u.bits = this.destBitmap(rip, k);
    return false;
  }

  /** Builds the port bitmap of one destination from the demux table (once it is worth having). */
  protected destBitmap(rip: number, k: number): Uint32Array {
    const bits = new Uint32Array((this.rangeEnd - this.rangeLow + 31) >>> 5);
    const m = this.conns.get(rip);
    if (m !== undefined)
      for (const s of m.values()) {
        if (s.lport < this.rangeLow || s.lport >= this.rangeEnd) continue;
        if (Math.floor(s.key / TWO32) * 65536 + s.rport !== k) continue;
        const bit = s.lport - this.rangeLow;
        bits[bit >>> 5] = (bits[bit >>> 5] as number) | (1 << (bit & 31));
      }
    return bits;
  }

  /** 4-tuples in use toward (lipIdx, rip, rport) on ports of the ephemeral range. */
  destCount(lipIdx: number, rip: number, rport: number): number {
    return this.destUse.get(rip)?.get(lipIdx * 65536 + rport)?.n ?? 0;
  }

  /**
   * Which ports of the ephemeral range carry a 4-tuple toward (lipIdx, rip, rport): bit (port − low).
   * Undefined while few do (the plain scan is cheap then).
   */
  destBits(lipIdx: number, rip: number, rport: number): Uint32Array | undefined {
    return this.destUse.get(rip)?.get(lipIdx * 65536 + rport)?.bits;
  }

  unhash(s: AnySock): void {
    if (s.key < 0) return;
    const m = this.conns.get(s.rip);
    if (m !== undefined && m.get(s.key) === s) {
      m.delete(s.key);
      if (m.size === 0) this.conns.delete(s.rip);
      if (s.lport >= this.rangeLow && s.lport < this.rangeEnd)
        this.destAdd(s.rip, Math.floor(s.key / TWO32) * 65536 + s.rport, s.lport, -1);
    }
    s.key = -1;
  }

  /** Replace `old` by `now` in the demux table and in its bind bucket (TIME_WAIT hash dance). */
  swap(old: Sock, tw: TwSock): void {
    const m = this.conns.get(old.rip);
    if (m !== undefined) m.set(old.key, tw);
    tw.key = old.key;
    old.key = -1;
    const b = this.ports.get(old.lport);
    if (b !== undefined && old.bound) {
      b.owners.delete(old);
      b.owners.add(tw);
      if (old.explicitBind && --b.explicitOwners === 0) b.explicit = false;
    }
    old.bound = false;
  }

  /** `__inet_lookup_listener()`: a listener on this address, else a wildcard one; SO_REUSEPORT groups by hash. */
  findListener(lip: number, lport: number, rip: number, rport: number): Sock | undefined {
    const l = this.listeners.get(lport);
    if (l === undefined) return undefined;
    let exact: Sock | undefined;
    let any: Sock | undefined;
    let n = 0;
    for (const s of l) {
      if (s.lip === lip) {
        exact ??= s;
        n++;
      } else if (s.lip === 0) any ??= s;
    }
    if (exact !== undefined && n > 1) {
      // SO_REUSEPORT: pick one by a hash of the 4-tuple.
      const group = l.filter((s) => s.lip === lip);
      return group[((rip ^ (rport * 2654435761)) >>> 0) % group.length];
    }
    return exact ?? any;
  }

  // --- bind buckets ----------------------------------------------------------------------------

  bucketAdd(port: number, s: AnySock, explicit: boolean): void {
    let b = this.ports.get(port);
    if (b === undefined) {
      b = { owners: new Set(), explicit, explicitOwners: 0 };
      this.ports.set(port, b);
    } else if (explicit) b.explicit = true;
    b.owners.add(s);
    if (!s.isTw) {
      s.bound = true;
      if (s.explicitBind) b.explicitOwners++;
    }
  }

  bucketRemove(s: AnySock): void {
    const b = this.ports.get(s.lport);
    if (b === undefined) return;
    if (!b.owners.delete(s)) return;
    if (!s.isTw) {
      s.bound = false;
      if (s.explicitBind) b.explicitOwners--;
    }
    if (b.owners.size === 0) this.ports.delete(s.lport);
    // The bucket stays "explicit" only while somebody bound by bind() holds it.
    else if (b.explicitOwners === 0) b.explicit = false;
  }

  // --- life and death of a connection ---------------------------------------------------------

  setState(s: Sock, to: number, cause: string): void {
    const from = s.state;
    if (from === to) return;
    if (from === ESTABLISHED || from === CLOSE_WAIT) this.established--;
    if (to === ESTABLISHED || to === CLOSE_WAIT) this.established++;
    s.state = to;
    if (this.w.on) emitState(this.w, s, from, to, cause);
  }

  /**
   * The full socket reaches CLOSED (`tcp_done()` / `tcp_set_state(TCP_CLOSE)`): counters, unhash, and
   * the port goes back unless the application bound it and still holds the descriptor.
   */
  destroy(s: Sock, cause: string): void {
    const from = s.state;
    if (from === ESTABLISHED || from === CLOSE_WAIT) this.count(C_ESTAB_RESETS);
    if (from === SYN_SENT || from === SYN_RECEIVED) this.count(C_ATTEMPT_FAILS);
    this.setState(s, CLOSED, cause);
    this.release(s);
  }

  /** Forget everything the stack holds for `s` except the application's descriptor. */
  release(s: Sock): void {
    if (s.rtxTok !== 0) cancelRto(this.w, s);
    s.ackPending = false;
    s.fw2Tok = 0;
    this.unhash(s);
    if (s.state === LISTEN || s.acceptQueue !== undefined) {
      const l = this.listeners.get(s.lport);
      if (l !== undefined) {
        const i = l.indexOf(s);
        if (i >= 0) l.splice(i, 1);
        if (l.length === 0) this.listeners.delete(s.lport);
      }
    }
    if (s.parent !== undefined && s.parent.acceptQueue !== undefined) {
      const q = s.parent.acceptQueue;
      const i = q.indexOf(s);
      if (i >= 0) q.splice(i, 1);
    }
    if (s.bound && (!s.explicitBind || s.orphan)) this.bucketRemove(s);
  }

  /** A reset, timeout or refusal ends the connection; the application learns `err`. */
  abort(s: Sock, err: Errno, cause: string, sendRst: boolean): void {
    if (sendRst) sendActiveReset(this.w, this, s);
    this.destroy(s, cause);
    if (s.orphan) return;
    s.rcvShutdown = true;
    this.fail(s, err);
  }

  /** Report `err` to whoever waits on `s`, or keep it for the next call (sk_err). */
  fail(s: Sock, err: Errno): void {
    const now = this.w.engine.now;
    if (s.pendConnect !== undefined) {
      this.finish(s.pendConnect, err, now);
      s.pendConnect = undefined;
      return;
    }
    if (s.pendRecv !== undefined) {
      const p = s.pendRecv;
      s.pendRecv = undefined;
      this.finish(p.rec, err, now);
      return;
    }
    s.softError = err;
    if (s.app !== undefined) s.app.failed(s, err);
  }

  finish(rec: CallRecord, result: CallRecord['result'], at: number): void {
    rec.result = result;
    rec.doneAt = at;
    const w = this.w;
    if (w.on) w.on({ t: at, type: 'call', host: this.name, record: { ...rec } });
  }

  /** The handshake completed for `s` (either side). */
  connected(s: Sock): void {
    s.everConnected = true;
    if (s.pendConnect !== undefined) {
      const rec = s.pendConnect;
      s.pendConnect = undefined;
      this.finish(rec, '0', this.w.engine.now);
    }
    if (s.app !== undefined) s.app.connected(s);
  }

  /** A child finished its handshake: queue it for accept() (`inet_csk_reqsk_queue_add()`). */
  queueChild(l: Sock, c: Sock): void {
    if (l.acceptQueue === undefined) return;
    l.acceptQueue.push(c);
    if (l.pendAccept !== undefined && l.pendAccept.length > 0) {
      const p = l.pendAccept.shift();
      if (p !== undefined) this.acceptInto(l, p.rec, p.as);
    } else if (l.app !== undefined) l.app.acceptable(l);
  }

  private acceptInto(l: Sock, rec: CallRecord, as: string): void {
    const c = l.acceptQueue?.shift();
    if (c === undefined) return;
    c.parent = undefined;
    this.nameSocket(c, as);
    this.finish(rec, '0', this.w.engine.now);
  }

  nameSocket(s: Sock, as: string): void {
    s.fd = as;
    s.keepGot = true;
    this.fds.set(as, s);
    this.named.set(as, s);
  }

  /** New bytes or end of stream: wake a blocked recv() or the application. */
  readable(s: Sock): void {
    if (s.pendRecv !== undefined) {
      const p = s.pendRecv;
      s.pendRecv = undefined;
      const r = this.readNow(s, p.max);
      if (r === undefined) s.pendRecv = p;
      else {
        p.rec.data = r.data;
        this.finish(p.rec, r.result, this.w.engine.now);
      }
      return;
    }
    if (s.app !== undefined) s.app.readable(s);
  }

  /** recv() without blocking: bytes, end of stream, or an error; undefined means "would block". */
  readNow(s: Sock, max: number): { result: CallRecord['result']; data: string } | undefined {
    if (s.rcvBuf.length > 0) {
      const n = max > 0 && max < s.rcvBuf.length ? max : s.rcvBuf.length;
      const data = s.rcvBuf.slice(0, n);
      s.rcvBuf = s.rcvBuf.slice(n);
      return { result: '0', data };
    }
    // tcp_recvmsg(): SOCK_DONE (FIN seen) first, then sk_err, then RCV_SHUTDOWN, then TCP_CLOSE.
    if (s.rcvFin) {
      s.finRead = true;
      return { result: '0', data: '' };
    }
    if (s.softError !== undefined) {
      const e = s.softError;
      s.softError = undefined;
      return { result: e, data: '' };
    }
    if (s.rcvShutdown) return { result: '0', data: '' };
    if (s.state === CLOSED || s.state === LISTEN) return { result: 'ENOTCONN', data: '' };
    return undefined;
  }

  // --- the socket API ---------------------------------------------------------------------------

  newSocket(): Sock {
    const s = new Sock(this);
    s.rto = this.w.profile.rtoInit;
    return s;
  }

  /** bind(): '0' or an errno. */
  bind(s: Sock, ipText: string, port: number): Errno | undefined {
    if (s.lport !== 0 || s.state !== CLOSED) return 'EINVAL';
    const ip = ipText === '0.0.0.0' ? 0 : ipToNum(ipText);
    if (ip !== 0 && this.ipIndex(ip) < 0) return 'EADDRNOTAVAIL';
    if (port === 0) {
      if (s.bindNoPort) {
        s.lip = ip;
        return undefined;
      }
      const p = bindAnyPort(this.w, this, s, ip);
      if (p === 0) return 'EADDRINUSE';
      port = p;
    } else if (bindConflicts(this, s, ip, port)) return 'EADDRINUSE';
    s.lip = ip;
    s.lport = port;
    s.explicitBind = true;
    this.bucketAdd(port, s, true);
    return undefined;
  }

  listen(s: Sock, backlog: number): Errno | undefined {
    if (s.state === LISTEN) {
      s.backlog = backlog;
      return undefined;
    }
    if (s.state !== CLOSED || s.everConnected) return 'EINVAL';
    if (s.lport === 0) {
      const e = this.bind(s, '0.0.0.0', 0);
      if (e !== undefined) return e;
    } else {
      // inet_csk_listen_start() re-checks the port with the socket already in LISTEN.
      const old = s.state;
      s.state = LISTEN;
      const bad = bindConflicts(this, s, s.lip, s.lport);
      s.state = old;
      if (bad) return 'EADDRINUSE';
    }
    this.setState(s, LISTEN, 'listen()');
    s.acceptQueue = [];
    s.pendAccept = [];
    s.backlog = backlog;
    let l = this.listeners.get(s.lport);
    if (l === undefined) {
      l = [];
      this.listeners.set(s.lport, l);
    }
    l.push(s);
    return undefined;
  }

  /** connect(): starts the handshake; undefined = in progress (the caller waits for connected/fail). */
  connect(s: Sock, ripText: string, rport: number): Errno | undefined {
    if (s.state === LISTEN) return 'EISCONN';
    if (s.state !== CLOSED || s.everConnected) return 'EISCONN';
    const rip = ipToNum(ripText);
    let lip = s.lip;
    if (lip === 0) lip = rip >>> 24 === 127 ? rip : (this.ips[0] as number);
    let lipIdx = this.ipIndex(lip);
    if (lipIdx < 0) {
      lip = this.ips[0] as number;
      lipIdx = 0;
    }
    s.lip = lip;
    const hadPort = s.lport !== 0;
    const port = connectPort(this.w, this, s, lipIdx, rip, rport);
    if (port === 0) {
      if (!hadPort) s.lip = 0;
      return 'EADDRNOTAVAIL';
    }
    if (!hadPort) {
      s.lport = port;
      this.bucketAdd(port, s, false);
    }
    s.rip = rip;
    s.rport = rport;
    this.hash(s);
    const w = this.w;
    if (!s.issFixed) s.iss = chooseIsn(w, this, s);
    s.sndUna = s.iss;
    s.sndNxt = s.iss;
    s.sndMax = s.iss;
    s.tsOffset = tsOffsetFor(w, this, s.lip, s.rip);
    s.rto = w.profile.rtoInit;
    this.count(C_ACTIVE_OPENS);
    w.connections++;
    this.setState(s, SYN_SENT, 'connect()');
    sendSyn(w, this, s, false);
    return undefined;
  }

  send(s: Sock, data: string): Errno | undefined {
    if (s.softError !== undefined) {
      const e = s.softError;
      s.softError = undefined;
      return e;
    }
    const st = s.state;
    if (st === SYN_SENT || ((st === ESTABLISHED || st === CLOSE_WAIT) && !s.finQueued)) {
      s.sndBuf += data;
      if (st !== SYN_SENT) output(this.w, this, s);
      return undefined;
    }
    if (st === CLOSED && !s.everConnected) return 'ENOTCONN';
    if (st === LISTEN || st === SYN_RECEIVED) return 'ENOTCONN';
    return 'EPIPE';
  }

  shutdown(s: Sock, how: 'SHUT_RD' | 'SHUT_WR' | 'SHUT_RDWR'): Errno | undefined {
    const st = s.state;
    if (st === CLOSED || st === LISTEN || st === SYN_SENT) return 'ENOTCONN';
    if (how !== 'SHUT_WR') {
      s.rcvShutdown = true;
      if (s.pendRecv !== undefined) this.readable(s);
    }
    if (how !== 'SHUT_RD') this.sendFin(s, 'shutdown()');
    return undefined;
  }

  /** `tcp_close_state()` + `tcp_send_fin()`: queue our FIN and move to the next closing state. */
  private sendFin(s: Sock, cause: string): void {
    const st = s.state;
    if (st === ESTABLISHED || st === SYN_RECEIVED) this.setState(s, FIN_WAIT_1, cause);
    else if (st === CLOSE_WAIT) this.setState(s, LAST_ACK, cause);
    else return;
    s.finQueued = true;
    output(this.w, this, s);
  }

  /** close(): `__tcp_close()` in net/ipv4/tcp.c. */
  close(s: Sock): void {
    if (s.fd !== undefined && this.fds.get(s.fd) === s) this.fds.delete(s.fd);
    s.orphan = true;
    s.rcvShutdown = true;
    s.app = undefined;
    const st = s.state;
    if (st === LISTEN) {
      // inet_csk_listen_stop(): connections never accepted are reset.
      const q = s.acceptQueue ?? [];
      s.acceptQueue = undefined;
      this.destroy(s, 'close()');
      for (const c of q) {
        c.parent = undefined;
        c.orphan = true;
        sendActiveReset(this.w, this, c);
        this.destroy(c, 'listener closed');
      }
      return;
    }
    if (st === CLOSED) {
      this.release(s);
      return;
    }
    if (st === SYN_SENT) {
      this.destroy(s, 'close()');
      return;
    }
    if (s.rcvBuf.length > 0) {
      // "As outlined in RFC 2525, section 2.17, we send a RST here because data was lost."
      this.count(C_ABORT_ON_CLOSE);
      s.sndBuf = '';
      this.setStateClosedWithReset(s);
      return;
    }
    if (s.linger === 0) {
      // SO_LINGER {1, 0}: sk->sk_prot->disconnect(): RST, unsent data thrown away, no TIME_WAIT.
      this.count(C_ABORT_ON_DATA);
      s.sndBuf = '';
      if (
        st === ESTABLISHED ||
        st === CLOSE_WAIT ||
        st === FIN_WAIT_1 ||
        st === FIN_WAIT_2 ||
        st === SYN_RECEIVED
      )
        sendActiveReset(this.w, this, s);
      this.destroy(s, 'close() linger 0');
      return;
    }
    if (st === ESTABLISHED || st === CLOSE_WAIT || st === SYN_RECEIVED) {
      this.sendFin(s, 'close()');
      return;
    }
    if (st === FIN_WAIT_2) {
      // Half-closed by shutdown() and now orphaned: from here on tcp_fin_timeout applies.
      orphanFinWait2(this.w, this, s);
    }
    // FIN_WAIT_1, CLOSING, LAST_ACK: already closing; the socket just loses its owner.
  }

  private setStateClosedWithReset(s: Sock): void {
    sendActiveReset(this.w, this, s);
    this.destroy(s, 'close() unread data');
  }

  // --- crash and reboot -------------------------------------------------------------------------

  /** A connection lost in a crash: its timers, still queued, must find nothing to do. */
  protected disarm(s: AnySock): void {
    if (s.isTw) {
      s.tok = 0;
      s.release();
    } else {
      s.rtxTok = 0;
      s.ackPending = false;
      s.fw2Tok = 0;
      s.key = -1;
    }
  }

  /** Power off: every socket vanishes without a segment; timers of the old sockets do nothing. */
  crash(): void {
    for (const m of this.conns.values()) for (const s of m.values()) this.disarm(s);
    for (const l of this.listeners.values()) for (const s of l) s.key = -1;
    for (const s of this.fds.values()) {
      s.rtxTok = 0;
      s.key = -1;
    }
    this.conns = new Map();
    this.destUse = new Map();
    this.listeners = new Map();
    this.ports = new Map();
    this.fds = new Map();
    this.twCount = 0;
    this.timeWaitCount = 0;
    this.established = 0;
    this.down = true;
  }

  /** Boot again with empty tables, a new secret and fresh counters; optionally silent for one MSL. */
  reboot(quiet: boolean): void {
    this.down = false;
    this.secret = this.w.rng.u32();
    this.counters.fill(0);
    this.naiveIsn = 0;
    this.perturb.fill(0);
    this.tsCache.clear();
    this.quietUntil = quiet ? this.w.engine.now + this.w.profile.msl : 0;
  }

  /** A TIME_WAIT entry taken over (tcp_tw_reuse) or killed: gone at once. */
  killTw(tw: TwSock, cause: string): void {
    removeTw(this.w, this, tw, cause);
  }

  isFinWait2(s: Sock): boolean {
    return s.state === FIN_WAIT_2;
  }

  /** For ss: every socket the host would list. */
  *allSockets(): Generator<AnySock> {
    for (const l of this.listeners.values()) yield* l;
    for (const m of this.conns.values()) yield* m.values();
  }

  timerEvent(
    s: AnySock,
    kind: 'time-wait' | 'fin-wait-2',
    action: 'set' | 'fire' | 'cancel',
    at?: number,
  ): void {
    if (this.w.on) emitTimer(this.w, s, kind, action, at);
  }
}

export function callRecord(
  step: ScriptStep | undefined,
  host: string,
  call: CallRecord['call'],
  at: number,
): CallRecord {
  const rec: CallRecord = { step: step ? step.index : -1, host, call, at, doneAt: at, result: 'pending' };
  if (step?.fd !== undefined) rec.fd = step.fd;
  else if (step?.as !== undefined && call === 'socket') rec.fd = step.as;
  return rec;
}
