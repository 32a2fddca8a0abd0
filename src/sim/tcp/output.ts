// Sending: building segments from a TCB, the retransmission timer (RFC 6298), delayed ACKs and
// resets. The network layer takes it from there.

import type { Host } from '../host.ts';
import { keyedHash } from '../prng.ts';
import { C_OUT_RSTS, C_OUT_SEGS, C_RETRANS_SEGS } from './counters.ts';
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
    if (sent && s.rtxTok === 0) armRto(w, host, s);
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
 * TCP_DELACK_MIN (HZ/25 = 40 ms, include/net/tcp.h): how long the ACK of a FIN waits. tcp_fin() puts
 * the socket in pingpong (delayed-ACK) mode, so an application that closes at once sends FIN+ACK.
 */
export const DELACK_MIN = 40_000;

function flushAck(s: Sock, tok: number): void {
  if (s.ackTok !== tok || !s.ackPending) return;
  const host = s.host;
  if (s.key < 0) return;
  if (host.w.on) emitTimer(host.w, s, 'delayed-ack', 'fire');
  xmit(host.w, host, s, ACK, s.sndNxt, '');
}

// --- Retransmission timer (RFC 6298).

export function armRto(w: World, host: Host, s: Sock): void {
  const at = w.engine.now + s.rto;
  s.rtxAt = at;
  s.rtxTok = w.engine.after(s.rto, onRto, s);
  if (w.on) emitTimer(w, s, 'retransmit', 'set', at);
  void host;
}

export function cancelRto(w: World, s: Sock): void {
  if (s.rtxTok === 0) return;
  s.rtxTok = 0;
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

function onRto(s: Sock, tok: number): void {
  if (s.rtxTok !== tok) return;
  s.rtxTok = 0;
  const host = s.host;
  const w = host.w;
  if (w.on) emitTimer(w, s, 'retransmit', 'fire');
  s.retries++;
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
