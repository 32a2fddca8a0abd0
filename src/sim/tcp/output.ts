// Sending: building segments from a TCB, the retransmission timer (RFC 6298), delayed ACKs and
// resets. The network layer takes it from there.

import type { Host } from '../host.ts';
import { keyedHash } from '../prng.ts';
import { C_LOSS_PROBES, C_OUT_RSTS, C_OUT_SEGS, C_RETRANS_SEGS } from './counters.ts';
import type { Sock, TwSock } from './tcb.ts';
import {
  ACK,
  CLOSE_WAIT,
  CLOSING,
  ESTABLISHED,
  FIN,
  FIN_WAIT_1,
  LAST_ACK,
  MSS,
  PSH,
  RCV_WND,
  RST,
  Seg,
  SYN,
  SYN_RECEIVED,
  SYN_SENT,
  seqAdd,
  seqDiff,
  seqGt,
} from './tcb.ts';
import { emitTimer } from './trace.ts';
import type { World } from './world.ts';

export function nowMs(w: World): number {
  return Math.floor(w.engine.now / 1000);
}

/** TSval: a millisecond clock plus the per-address-pair offset (`tcp_clock_ms()` + `ts_off`). */
export function tsVal(w: World, offset: number): number {
  return (nowMs(w) + offset) >>> 0;
}

/** `secure_tcp_ts_off()`: keyed by (saddr, daddr) since Linux 4.10; 0 in profiles without it. */
export function tsOffsetFor(w: World, host: Host, lip: number, rip: number): number {
  return w.profile.tsRandomOffset ? keyedHash(host.secret ^ 0x7a5f, lip, rip, 0, 0) : 0;
}

/**
 * ISN selection. 'rfc6528': ISN = M + F(4-tuple, secret), M a clock ticking every 64 ns
 * (net/core/secure_seq.c: `secure_tcp_seq()` + `seq_scale()`, RFC 6528 §3 / RFC 9293 §3.4.1).
 * 'naive': a counter that advances by one per connection, so a new incarnation's sequence space
 * overlaps the old one's — the hazard TIME_WAIT guards against.
 */
export function chooseIsn(w: World, host: Host, s: Sock): number {
  if (host.spec.isn === 'naive') {
    host.naiveIsn = (host.naiveIsn + 1) >>> 0;
    return host.naiveIsn;
  }
  const m = Math.floor(w.engine.now * 15.625);
  return (keyedHash(host.secret, s.lip, s.rip, s.lport, s.rport) + m) >>> 0;
}

/**
 * A segment object, reused from the run's pool when one is free (segments that arrived and were
 * processed go back there; nothing keeps a reference to them), with every field reset.
 */
export function newSeg(w: World): Seg {
  const g = w.segPool.pop();
  if (g === undefined) return new Seg();
  g.seq = 0;
  g.ack = 0;
  g.flags = 0;
  g.wnd = 0;
  g.data = '';
  g.hasTs = false;
  g.tsVal = 0;
  g.tsEcr = 0;
  return g;
}

/** Put one segment from `s` on the wire. */
export function xmit(w: World, host: Host, s: Sock, flags: number, seq: number, data: string): void {
  const g = newSeg(w);
  g.sip = s.lip;
  g.sport = s.lport;
  g.dip = s.rip;
  g.dport = s.rport;
  g.seq = seq;
  g.flags = flags;
  g.data = data;
  if (flags & ACK) {
    g.ack = s.rcvNxt;
    s.ackPending = false;
    s.ackTok = 0;
  }
  const space = RCV_WND - s.rcvBuf.length;
  g.wnd = Math.max(space, 0);
  if (s.tsOn || (flags & SYN && !(flags & ACK) && host.sysctl['net.ipv4.tcp_timestamps'] === 1)) {
    g.hasTs = true;
    g.tsVal = tsVal(w, s.tsOffset);
    g.tsEcr = s.tsRecent;
  }
  host.count(C_OUT_SEGS);
  w.net.send(host, g);
}

/** An ACK from a TIME_WAIT entry (`tcp_v4_timewait_ack()`): SND.NXT, RCV.NXT, TS.Recent echoed. */
export function twAck(w: World, host: Host, tw: TwSock): void {
  const g = newSeg(w);
  g.sip = tw.lip;
  g.sport = tw.lport;
  g.dip = tw.rip;
  g.dport = tw.rport;
  g.seq = tw.sndNxt;
  g.ack = tw.rcvNxt;
  g.flags = ACK;
  g.wnd = RCV_WND;
  if (tw.tsOn) {
    g.hasTs = true;
    g.tsVal = tsVal(w, tw.tsOffset);
    g.tsEcr = tw.tsRecent;
  }
  host.count(C_OUT_SEGS);
  w.net.send(host, g);
}

/**
 * A reset in answer to a segment that found no connection (RFC 9293 §3.10.7.1): if the segment has
 * ACK, <SEQ=SEG.ACK><CTL=RST>; otherwise <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. Never for a RST.
 */
export function rstReply(w: World, host: Host, seg: Seg): void {
  if (seg.flags & RST) return;
  const g = newSeg(w);
  g.sip = seg.dip;
  g.sport = seg.dport;
  g.dip = seg.sip;
  g.dport = seg.sport;
  if (seg.flags & ACK) {
    g.seq = seg.ack;
    g.flags = RST;
  } else {
    g.seq = 0;
    g.ack = seqAdd(seg.seq, seg.len);
    g.flags = RST | ACK;
  }
  host.count(C_OUT_SEGS);
  host.count(C_OUT_RSTS);
  w.net.send(host, g);
}

/** An active reset from a connection (`tcp_send_active_reset()`): <SEQ=SND.NXT><ACK=RCV.NXT><CTL=RST,ACK>. */
export function sendActiveReset(w: World, host: Host, s: Sock): void {
  const g = newSeg(w);
  g.sip = s.lip;
  g.sport = s.lport;
  g.dip = s.rip;
  g.dport = s.rport;
  g.seq = s.sndNxt;
  g.ack = s.rcvNxt;
  g.flags = RST | ACK;
  host.count(C_OUT_SEGS);
  host.count(C_OUT_RSTS);
  w.net.send(host, g);
}

function canSendData(state: number): boolean {
  return (
    state === ESTABLISHED ||
    state === CLOSE_WAIT ||
    state === FIN_WAIT_1 ||
    state === CLOSING ||
    state === LAST_ACK
  );
}

/**
 * Send what the window allows: queued bytes in MSS-sized segments, then our FIN once every byte
 * before it is out (RFC 9293 §3.10.4 CLOSE: "queue this until all preceding SENDs have been
 * segmentized"). A pending ACK rides on whatever goes out; if nothing does, a bare ACK is sent.
 */
export function output(w: World, host: Host, s: Sock): void {
  let sent = false;
  if (canSendData(s.state)) {
    const total = s.sndBuf.length;
    let off = seqDiff(s.sndNxt, s.sndUna);
    if (s.finSeq >= 0) off = total + 1; // FIN already out
    while (off < total) {
      const wndLeft = seqDiff(seqAdd(s.sndUna, s.sndWnd), s.sndNxt);
      let n = total - off;
      if (n > MSS) n = MSS;
      if (n > wndLeft) n = wndLeft;
      if (n <= 0) break;
      const seq = s.sndNxt;
      const retrans = seqGt(s.sndMax, seq);
      xmit(w, host, s, ACK | PSH, seq, s.sndBuf.slice(off, off + n));
      if (retrans) host.count(C_RETRANS_SEGS);
      else if (s.rttSeq < 0) {
        s.rttSeq = seqAdd(seq, n);
        s.rttStart = w.engine.now;
      }
      s.sndNxt = seqAdd(seq, n);
      off += n;
      sent = true;
    }
    if (s.finQueued && s.finSeq < 0 && off === total) {
      const seq = s.sndNxt;
      const retrans = seqGt(s.sndMax, seq);
      xmit(w, host, s, FIN | ACK, seq, '');
      if (retrans) host.count(C_RETRANS_SEGS);
      s.finSeq = seq;
      s.sndNxt = seqAdd(seq, 1);
      sent = true;
    }
    if (seqGt(s.sndNxt, s.sndMax)) s.sndMax = s.sndNxt;
    if (sent) {
      // tcp_event_new_data_sent(): the RTO starts with the first segment in flight; then
      // tcp_write_xmit() schedules a loss probe ahead of it (tcp_schedule_loss_probe(sk, false)).
      if (s.rtxTok === 0) armXmitTimer(w, host, s, true);
      else if (s.rtxProbe || s.tlpHigh < 0) armXmitTimer(w, host, s, false);
    }
  }
  if (!sent && s.ackPending) xmit(w, host, s, ACK, s.sndNxt, '');
}

/** Send the SYN (SYN_SENT) or SYN-ACK (SYN_RECEIVED) and arm the timer. */
export function sendSyn(w: World, host: Host, s: Sock, retrans: boolean): void {
  xmit(w, host, s, s.state === SYN_RECEIVED ? SYN | ACK : SYN, s.iss, '');
  s.sndNxt = seqAdd(s.iss, 1);
  if (seqGt(s.sndNxt, s.sndMax)) s.sndMax = s.sndNxt;
  if (retrans) host.count(C_RETRANS_SEGS);
  else {
    s.rttSeq = s.sndNxt;
    s.rttStart = w.engine.now;
  }
  if (s.rtxTok === 0) armRto(w, host, s);
}

// --- Delayed ACK: "at the end of this instant", so a reply the application sends at once carries it.

export function scheduleAck(w: World, s: Sock, delay = 0): void {
  if (s.ackPending) return;
  s.ackPending = true;
  // Zero delay: segment processing sends it when done (after the application had its chance).
  if (delay === 0) return;
  s.ackTok = w.engine.after(delay, flushAck, s);
  if (delay > 0 && w.on) emitTimer(w, s, 'delayed-ack', 'set', w.engine.now + delay);
}

/**
 * TCP_DELACK_MIN = TCP_ATO_MIN (HZ/25 = 40 ms, include/net/tcp.h): how long the ACK of a FIN waits once
 * data has been received. tcp_fin() puts the socket in pingpong (delayed-ACK) mode, so an application
 * that closes at once sends FIN+ACK.
 */
export const DELACK_MIN = 40_000;

/**
 * A delayed ACK with `ato` still 0 (no data received yet) is due at the current jiffy and goes out on
 * the next timer tick: at most one jiffy, 4 ms at CONFIG_HZ=250 (the measured kernel; 1 ms at HZ=1000).
 */
export const ATO_ZERO_TICK = 4_000;

export function flushAck(s: Sock, tok: number): void {
  if (s.ackTok !== tok || !s.ackPending) return;
  const host = s.host;
  if (s.key < 0) return;
  if (host.w.on) emitTimer(host.w, s, 'delayed-ack', 'fire');
  xmit(host.w, host, s, ACK, s.sndNxt, '');
}

// --- Retransmission timer (RFC 6298).

export function armRto(w: World, host: Host, s: Sock, delay = s.rto): void {
  const d = delay > 0 ? delay : 1;
  const at = w.engine.now + d;
  s.rtxAt = at;
  s.rtxProbe = false;
  s.rtxTok = d === s.rto ? w.engine.after(d, onRto, s) : w.engine.at(at, onRto, s);
  if (w.on) emitTimer(w, s, 'retransmit', 'set', at);
  void host;
}

/**
 * Arm the transmit timer while segments are in flight: the RTO (RFC 6298 §5.1), or — in profiles with
 * a tail loss probe, when no probe is outstanding and no RTO recovery is under way — a probe ahead of
 * it (RFC 8985 §7.2; Linux `tcp_schedule_loss_probe()`): PTO = 2·SRTT plus TCP_RTO_MIN when one
 * segment is in flight (room for the peer's delayed ACK) or TCP_TIMEOUT_MIN_US (2 ms) otherwise,
 * TCP_TIMEOUT_INIT (1 s) without an RTT sample, and never later than the RTO would fire. `fresh`: the
 * RTO starts now (first segment in flight, or an ACK advanced SND.UNA: `advancing_rto`); otherwise it
 * keeps its deadline.
 */
export function armXmitTimer(w: World, host: Host, s: Sock, fresh: boolean): void {
  const now = w.engine.now;
  const p = w.profile;
  if (fresh || s.rtxTok === 0) s.rtoDeadline = now + s.rto;
  else if (!s.rtxProbe) s.rtoDeadline = s.rtxAt;
  if (!p.tailLossProbe || s.caLoss || s.tlpHigh >= 0 || !canSendData(s.state)) {
    if (s.rtxTok !== 0 && !s.rtxProbe && !fresh) return; // the RTO stays as it is
    armRto(w, host, s, s.rtoDeadline - now);
    return;
  }
  let pto = s.srtt > 0 ? 2 * s.srtt + (packetsOut(s) === 1 ? p.rtoMin : TIMEOUT_MIN_US) : p.rtoInit;
  const rtoDelta = s.rtoDeadline - now;
  if (rtoDelta > 0 && rtoDelta < pto) pto = rtoDelta;
  pto = Math.ceil(pto);
  s.rtxAt = now + pto;
  s.rtxProbe = true;
  // A lane per distinct delay is for the few fixed ones; other delays go to the heap.
  s.rtxTok = pto === s.rto ? w.engine.after(pto, onProbe, s) : w.engine.at(s.rtxAt, onProbe, s);
  if (w.on) emitTimer(w, s, 'retransmit', 'set', s.rtxAt);
}

/** TCP_TIMEOUT_MIN_US (include/net/tcp.h): the probe timeout's floor term with several segments out. */
const TIMEOUT_MIN_US = 2_000;

/** Segments in flight (`packets_out`): data in MSS-sized pieces, plus the FIN. */
function packetsOut(s: Sock): number {
  const finOut = s.finSeq >= 0 && !isFinAcked(s) ? 1 : 0;
  const data = seqDiff(s.sndNxt, s.sndUna) - finOut;
  return Math.ceil(Math.max(data, 0) / MSS) + finOut;
}

/**
 * `tcp_send_loss_probe()`: new data if the window allows, else the last segment in flight again; then
 * the RTO restarts in full from now (`tcp_rearm_rto()` with icsk_pending cleared). No backoff, and
 * retries are not counted: the probe is not a timeout.
 */
export function onProbe(s: Sock, tok: number): void {
  if (s.rtxTok !== tok) return;
  s.rtxTok = 0;
  s.rtxProbe = false;
  const host = s.host;
  const w = host.w;
  if (w.on) emitTimer(w, s, 'retransmit', 'fire');
  if (!seqGt(s.sndNxt, s.sndUna)) return;
  s.tlpHigh = s.sndNxt; // at most one probe outstanding, also while output() below arms timers
  s.rttSeq = -1; // Karn (RFC 6298 §3): no RTT sample from what may be a retransmission
  const inFlight = seqDiff(s.sndNxt, s.sndUna);
  const unsent = s.sndBuf.length + (s.finQueued ? 1 : 0) - inFlight;
  const wndLeft = seqDiff(seqAdd(s.sndUna, s.sndWnd), s.sndNxt);
  if (unsent > 0 && wndLeft > 0) {
    output(w, host, s);
  } else if (s.finSeq >= 0 && seqAdd(s.finSeq, 1) === s.sndNxt) {
    xmit(w, host, s, FIN | ACK, s.finSeq, '');
    host.count(C_RETRANS_SEGS);
  } else {
    const finOut = s.finSeq >= 0 ? 1 : 0;
    const data = inFlight - finOut;
    const len = ((data - 1) % MSS) + 1;
    const off = data - len;
    xmit(w, host, s, ACK | PSH, seqAdd(s.sndUna, off), s.sndBuf.slice(off, off + len));
    host.count(C_RETRANS_SEGS);
  }
  s.tlpHigh = s.sndNxt;
  host.count(C_LOSS_PROBES);
  if (s.rtxTok !== 0) cancelRto(w, s);
  s.rtoDeadline = w.engine.now + s.rto;
  armRto(w, host, s, s.rto);
}

export function cancelRto(w: World, s: Sock): void {
  if (s.rtxTok === 0) return;
  s.rtxTok = 0;
  s.rtxProbe = false;
  if (w.on) emitTimer(w, s, 'retransmit', 'cancel');
}

/** RFC 6298 §2.2–2.3 with Linux's floor on the variance term in the linux profiles. */
export function rttSample(w: World, s: Sock, r: number): void {
  if (s.srtt === 0) {
    s.srtt = r;
    s.rttvar = r / 2;
  } else {
    const d = s.srtt > r ? s.srtt - r : r - s.srtt;
    s.rttvar = 0.75 * s.rttvar + 0.25 * d;
    s.srtt = 0.875 * s.srtt + 0.125 * r;
  }
  const p = w.profile;
  let rto: number;
  if (p.rtoFloorOnVariance) {
    const v = 4 * s.rttvar;
    rto = s.srtt + Math.max(v, p.rtoMin);
  } else {
    rto = s.srtt + Math.max(4 * s.rttvar, 1000); // G = 1 ms
    if (rto < p.rtoMin) rto = p.rtoMin;
  }
  if (rto > p.rtoMax) rto = p.rtoMax;
  s.rto = Math.ceil(rto);
}

export function onRto(s: Sock, tok: number): void {
  if (s.rtxTok !== tok) return;
  s.rtxTok = 0;
  const host = s.host;
  const w = host.w;
  if (w.on) emitTimer(w, s, 'retransmit', 'fire');
  s.retries++;
  // tcp_enter_loss(): no loss probes until everything sent so far is acknowledged.
  s.caLoss = true;
  s.tlpHigh = -1;
  const limit =
    s.state === SYN_SENT
      ? host.sysctl['net.ipv4.tcp_syn_retries']
      : s.state === SYN_RECEIVED
        ? 5 // tcp_synack_retries
        : s.orphan
          ? w.profile.orphanRetries
          : w.profile.retries2;
  if (s.retries > limit) {
    // tcp_write_timeout() → tcp_write_err(): ETIMEDOUT, no reset sent.
    host.abort(s, 'ETIMEDOUT', 'timeout', false);
    return;
  }
  // RFC 6298 §5.5: back off the timer; §5.4: retransmit the earliest unacknowledged segment.
  // Karn: no RTT sample from a retransmitted segment.
  s.rto = Math.min(s.rto * 2, w.profile.rtoMax);
  s.rttSeq = -1;
  if (s.state === SYN_SENT || s.state === SYN_RECEIVED) {
    sendSyn(w, host, s, true);
    return;
  }
  s.sndNxt = s.sndUna;
  if (s.finSeq >= 0 && !seqGt(s.sndUna, s.finSeq)) s.finSeq = -1;
  output(w, host, s);
  if (s.rtxTok === 0 && seqGt(s.sndNxt, s.sndUna)) armRto(w, host, s);
}

export function isFinAcked(s: Sock): boolean {
  return s.finSeq >= 0 && seqGt(s.sndUna, s.finSeq);
}
