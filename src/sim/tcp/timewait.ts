// TIME_WAIT and orphaned FIN_WAIT_2 as Linux keeps them: a small entry instead of the full socket
// (net/ipv4/tcp_minisocks.c: `tcp_time_wait()`), and the handling of every segment that reaches it
// (`tcp_timewait_state_process()`), which returns one of TCP_TW_SUCCESS (drop), TCP_TW_ACK, TCP_TW_RST
// or TCP_TW_SYN.

import type { Host } from '../host.ts';
import { C_TW, C_TW_KILLED, C_TW_OVERFLOW } from './counters.ts';
import { listenProcess } from './input.ts';
import { nowMs, rstReply, sendActiveReset, twAck } from './output.ts';
import type { Seg, Sock, TwSock } from './tcb.ts';
import { ACK, FIN, FIN_WAIT_2, RST, SYN, seqAdd, seqGt, seqLt, TIME_WAIT } from './tcb.ts';
import { emitState } from './trace.ts';
import type { World } from './world.ts';

/** TCP_PAWS_MSL (include/net/tcp.h): a TS.Recent older than 60 s no longer protects an RST. */
const PAWS_MSL_S = 60;

/**
 * `tcp_time_wait(sk, state, timeo)`: replace the full socket by a minisocket in `state` (TIME_WAIT, or
 * FIN_WAIT_2 for an orphan) for `timeo` µs. Over tcp_max_tw_buckets, `inet_twsk_alloc()` fails: the
 * socket is simply closed and TCPTimeWaitOverflow counts it; existing entries are untouched.
 */
export function enterTimeWait(
  w: World,
  host: Host,
  s: Sock,
  state: number,
  timeo: number,
  cause: string,
): void {
  if (host.twCount >= host.sysctl['net.ipv4.tcp_max_tw_buckets']) {
    host.count(C_TW_OVERFLOW);
    host.destroy(s, 'tw-overflow');
    return;
  }
  const tw = w.twPool.add(s, state, nowMs(w));
  let timeout = state === TIME_WAIT ? w.profile.timeWait : timeo;
  // tcp_tw_recycle (≤ 4.11): remember the peer's last timestamp per IP (tcp_remember_stamp()) and use
  // tw_timeout = 3.5 × RTO, rto = (icsk_rto << 2) - (icsk_rto >> 1), instead of TCP_TIMEWAIT_LEN.
  if (recycleOn(w, host) && s.tsOn && s.tsRecentStamp !== 0) {
    rememberStamp(w, host, s.rip, s.tsRecent, s.tsRecentStamp);
    tw.recycleTimeout = 4 * s.rto - Math.floor(s.rto / 2);
    if (state === TIME_WAIT) timeout = tw.recycleTimeout;
  }
  const from = s.state;
  if (from === 4 || from === 7) host.established--;
  host.swap(s, tw);
  s.state = 0; // the full socket is gone (tcp_done); an owner that kept the fd sees CLOSED
  if (s.rtxTok !== 0) s.rtxTok = 0;
  s.ackPending = false;
  s.fw2Tok = 0;
  host.twCount++;
  if (state === TIME_WAIT) host.timeWaitCount++;
  if (w.on) emitState(w, tw, from, state, cause);
  schedule(w, host, tw, timeout, true);
}

function recycleOn(w: World, host: Host): boolean {
  return w.profile.hasTwRecycle && host.sysctl['net.ipv4.tcp_tw_recycle'] === 1;
}

/** `tcp_remember_stamp()` / `tcp_tw_remember_stamp()`: the per-peer (tcp_metrics) timestamp. */
function rememberStamp(w: World, host: Host, rip: number, ts: number, stamp: number): void {
  const m = host.tsCache.get(rip);
  if (
    m === undefined ||
    ((m.ts - ts) | 0) <= 0 ||
    (Math.floor(w.engine.now / 1e6) - m.stamp > PAWS_MSL_S && m.stamp <= stamp)
  )
    host.tsCache.set(rip, { ts, stamp });
}

/** A timeout this short marks the entry as killed rather than waited out (`timeo <= 4*HZ`). */
const KILL_TIMEOUT = 4_000_000;

/**
 * `__inet_twsk_schedule(tw, timeo, rearm)`. `first` is the `!rearm` case: Linux 6.x counts the entry
 * there, once — LINUX_MIB_TIMEWAITKILLED (TcpExtTWKilled) when `timeo <= 4*HZ`, else
 * LINUX_MIB_TIMEWAITED (TcpExtTW) — so an orphaned FIN_WAIT_2 that later moves on to TIME_WAIT
 * (`inet_twsk_reschedule()`, a rearm) is not counted twice. Linux 4.x set `tw_kill` the same way at
 * every (re)schedule and counted when the timer fired (`tw_timer_handler()`).
 */
function schedule(w: World, host: Host, tw: TwSock, timeout: number, first = false): void {
  tw.kill = timeout <= KILL_TIMEOUT;
  if (first && w.profile.twCountedAt === 'schedule') host.count(tw.kill ? C_TW_KILLED : C_TW);
  tw.expires = w.engine.now + timeout;
  tw.tok = w.engine.after(timeout, twTimer, tw);
  if (w.on) host.timerEvent(tw, tw.state === TIME_WAIT ? 'time-wait' : 'fin-wait-2', 'set', tw.expires);
}

/** `inet_twsk_reschedule()`: the 60 s start over. */
function reschedule(w: World, host: Host, tw: TwSock): void {
  schedule(w, host, tw, w.profile.timeWait);
}

function twTimer(tw: TwSock, tok: number): void {
  if (tw.tok !== tok) return;
  const host = tw.host;
  const w = host.w;
  if (w.on) host.timerEvent(tw, tw.state === TIME_WAIT ? 'time-wait' : 'fin-wait-2', 'fire');
  // Linux 4.x tw_timer_handler(): TIMEWAITKILLED for a short timeout, TIMEWAITED otherwise (6.x counted
  // at schedule time instead, see schedule()).
  if (w.profile.twCountedAt === 'expiry') host.count(tw.kill ? C_TW_KILLED : C_TW);
  removeTw(w, host, tw, 'timeout');
}

/** `inet_twsk_deschedule_put()` + `inet_twsk_kill()`: the entry disappears at once. */
export function removeTw(w: World, host: Host, tw: TwSock, cause: string): void {
  tw.tok = 0;
  host.unhash(tw);
  host.bucketRemove(tw);
  host.twCount--;
  if (tw.state === TIME_WAIT) host.timeWaitCount--;
  if (w.on) emitState(w, tw, tw.state, 0, cause);
  tw.release();
}

/**
 * An orphan reaches FIN_WAIT_2 (our FIN acknowledged, the application gone): `tcp_fin_time()` =
 * TCP_LINGER2 or tcp_fin_timeout, at least 3.5 × RTO. TCP_LINGER2 < 0 resets at once. A timeout up to
 * TIME_WAIT's length parks a FIN_WAIT_2 minisocket; a longer one first waits in the full socket.
 */
export function orphanFinWait2(w: World, host: Host, s: Sock): void {
  if (s.linger2 < 0) {
    sendActiveReset(w, host, s);
    host.count(12 /* TcpExtTCPAbortOnData, as tcp_rcv_state_process() counts it */);
    host.destroy(s, 'linger2 < 0');
    return;
  }
  let tmo = s.linger2 > 0 ? s.linger2 : host.sysctl['net.ipv4.tcp_fin_timeout'] * 1_000_000;
  const rto35 = 4 * s.rto - Math.floor(s.rto / 2);
  if (tmo < rto35) tmo = rto35;
  const tw = w.profile.timeWait;
  if (tmo > tw) {
    // tcp_keepalive_timer() takes over for tmo − TCP_TIMEWAIT_LEN, then tcp_time_wait(FIN_WAIT2).
    s.fw2Tok = w.engine.at(w.engine.now + tmo - tw, finWait2Long, s);
    if (w.on) host.timerEvent(s, 'fin-wait-2', 'set', w.engine.now + tmo - tw);
    return;
  }
  enterTimeWait(w, host, s, FIN_WAIT_2, tmo, 'orphaned');
}

function finWait2Long(s: Sock, tok: number): void {
  if (s.fw2Tok !== tok || s.state !== FIN_WAIT_2) return;
  s.fw2Tok = 0;
  const host = s.host;
  enterTimeWait(host.w, host, s, FIN_WAIT_2, host.w.profile.timeWait, 'orphaned');
}

/** `tcp_in_window()` of tcp_minisocks.c. */
function inWindow(seq: number, endSeq: number, sWin: number, eWin: number): boolean {
  if (seq === sWin) return true;
  if (seqGt(endSeq, sWin) && seqLt(seq, eWin)) return true;
  return seq === eWin && seq === endSeq;
}

/** `tcp_timewait_state_process()`, then what tcp_v4_rcv() does with its verdict. */
export function twProcess(w: World, host: Host, tw: TwSock, seg: Seg): void {
  const f = seg.flags;
  const rcvNxt = tw.rcvNxt;
  const endSeq = seqAdd(seg.seq, seg.len);
  // PAWS (RFC 7323 §5) against the entry's TS.Recent, if the connection used timestamps.
  let pawsReject = false;
  if (seg.hasTs && tw.tsRecentStamp !== 0) {
    if (((tw.tsRecent - seg.tsVal) | 0) > 0) {
      // tcp_paws_reject(): an RST is still accepted once TS.Recent is older than TCP_PAWS_MSL.
      pawsReject = !(f & RST && Math.floor(w.engine.now / 1e6) >= tw.tsRecentStamp + PAWS_MSL_S);
    }
  }

  if (tw.state === FIN_WAIT_2) {
    // "Just repeat all the checks of tcp_rcv_state_process()".
    if (pawsReject || !inWindow(seg.seq, endSeq, rcvNxt, seqAdd(rcvNxt, 65535))) {
      if (!(f & RST)) twAck(w, host, tw);
      drop(w, host, seg, pawsReject ? 'paws' : 'unacceptable');
      return;
    }
    if (f & RST) {
      removeTw(w, host, tw, 'rcv RST');
      return;
    }
    if (f & SYN && !seqLt(seg.seq, rcvNxt)) {
      rstReply(w, host, seg);
      return;
    }
    if (!(f & ACK) || !seqGt(endSeq, rcvNxt) || endSeq === seg.seq) return; // dup ACK
    // New data after a half-duplex close draws a reset; only the FIN is welcome.
    if (!(f & FIN) || endSeq !== seqAdd(rcvNxt, 1)) {
      rstReply(w, host, seg);
      return;
    }
    // FIN arrived: enter true TIME_WAIT.
    tw.state = TIME_WAIT;
    host.timeWaitCount++;
    tw.rcvNxt = endSeq;
    if (seg.hasTs) {
      tw.entryStamp = nowMs(w);
      tw.tsRecentStamp = Math.floor(w.engine.now / 1e6) || 1;
      tw.tsRecent = seg.tsVal;
    }
    if (w.on) emitState(w, tw, FIN_WAIT_2, TIME_WAIT, 'rcv FIN');
    if (recycleOn(w, host) && tw.tsRecentStamp !== 0 && tw.recycleTimeout > 0) {
      rememberStamp(w, host, tw.rip, tw.tsRecent, tw.tsRecentStamp);
      schedule(w, host, tw, tw.recycleTimeout);
    } else reschedule(w, host, tw);
    twAck(w, host, tw);
    return;
  }

  // Real TIME_WAIT. An in-window segment may only be a RST or a bare ACK (RFC 9293 §3.10.7.4, TIME-WAIT).
  if (!pawsReject && seg.seq === rcvNxt && (seg.seq === endSeq || f & RST)) {
    if (f & RST) {
      // "This is TIME_WAIT assassination, in two flavors." (RFC 1337.) tcp_rfc1337 = 0 lets the RST
      // kill the entry (RFC 9293 §3.10.7.4 second step); 1 ignores it (RFC 1337 fix F1).
      if (host.sysctl['net.ipv4.tcp_rfc1337'] === 0) {
        removeTw(w, host, tw, 'rcv RST');
        return;
      }
    } else reschedule(w, host, tw);
    if (seg.hasTs) {
      tw.tsRecent = seg.tsVal;
      tw.tsRecentStamp = Math.floor(w.engine.now / 1e6) || 1;
    }
    return;
  }

  // A new SYN is accepted if it is newer than the old incarnation: its sequence number is beyond
  // RCV.NXT, or its timestamp is newer (RFC 6191; RFC 9293 §3.6.1 SHLD-4) → TCP_TW_SYN with
  // ISN = tw_snd_nxt + 65535 + 2, handed to the listener.
  if (
    f & SYN &&
    !(f & RST) &&
    !(f & ACK) &&
    !pawsReject &&
    (seqGt(seg.seq, rcvNxt) || (seg.hasTs && ((tw.tsRecent - seg.tsVal) | 0) < 0))
  ) {
    let isn = (tw.sndNxt + 65535 + 2) >>> 0;
    if (isn === 0) isn = 1;
    const l = host.findListener(seg.dip, seg.dport, seg.sip, seg.sport);
    if (l !== undefined) {
      removeTw(w, host, tw, 'rcv SYN');
      listenProcess(w, host, l, seg, isn);
      return;
    }
    // No listener: fall through to TCP_TW_ACK.
  }

  if (!(f & RST)) {
    // Out-of-window segment (a retransmitted FIN is one: its sequence number is below RCV.NXT):
    // restart the timer and ACK (RFC 9293 §3.10.7.4, first and eighth steps).
    if (pawsReject || f & ACK) reschedule(w, host, tw);
    twAck(w, host, tw);
    drop(w, host, seg, pawsReject ? 'paws' : 'unacceptable', true);
    return;
  }
  drop(w, host, seg, pawsReject ? 'paws' : 'unacceptable');
}

function drop(w: World, host: Host, seg: Seg, reason: 'paws' | 'unacceptable', quiet = false): void {
  if (w.on && !quiet) w.net.dropEvent(host, seg, reason);
}
