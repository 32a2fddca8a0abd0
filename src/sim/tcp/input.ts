// Segment arrival, in the order of RFC 9293 §3.10.7 ("SEGMENT ARRIVES"), with Linux's choices where
// the RFC leaves room (net/ipv4/tcp_input.c: `tcp_rcv_state_process()`, `tcp_validate_incoming()`).

import type { Host } from '../host.ts';
import { C_IN_SEGS, C_PASSIVE_OPENS, C_PAWS_ESTAB, C_PAWS_PASSIVE } from './counters.ts';
import {
  ATO_ZERO_TICK,
  armXmitTimer,
  cancelRto,
  chooseIsn,
  DELACK_MIN,
  isFinAcked,
  output,
  rstReply,
  rttSample,
  scheduleAck,
  sendSyn,
  tsOffsetFor,
  xmit,
} from './output.ts';
import type { Seg } from './tcb.ts';
import {
  ACK,
  CLOSE_WAIT,
  CLOSING,
  ESTABLISHED,
  FIN,
  FIN_WAIT_1,
  FIN_WAIT_2,
  LAST_ACK,
  LISTEN,
  RCV_WND,
  RST,
  Sock,
  SYN,
  SYN_RECEIVED,
  SYN_SENT,
  seqAdd,
  seqDiff,
  seqGe,
  seqGt,
  seqLe,
  seqLt,
  TIME_WAIT,
} from './tcb.ts';
import { enterTimeWait, orphanFinWait2, twProcess } from './timewait.ts';
import { connName, toSegment } from './trace.ts';
import type { World } from './world.ts';

const PAWS_MSL_S = 60;

function nowSec(w: World): number {
  return Math.floor(w.engine.now / 1e6) || 1;
}

/** Demultiplex (RFC 9293 §3.10.7: find the connection, else a listener, else the CLOSED rules). */
export function segArrives(w: World, host: Host, seg: Seg): void {
  if (w.on) w.on({ t: w.engine.now, type: 'seg-recv', host: host.name, seg: toSegment(seg) });
  host.counters[C_IN_SEGS] = (host.counters[C_IN_SEGS] as number) + 1;
  const lipIdx = host.ipIndex(seg.dip);
  const c = lipIdx >= 0 ? host.lookup(lipIdx, seg.dport, seg.sip, seg.sport) : undefined;
  if (c !== undefined) {
    if (c.isTw) twProcess(w, host, c, seg);
    else if (c.state === SYN_SENT) synSent(w, host, c, seg);
    else synchronized(w, host, c, seg);
    return;
  }
  const l = host.findListener(seg.dip, seg.dport, seg.sip, seg.sport);
  if (l !== undefined) {
    listenProcess(w, host, l, seg, 0);
    return;
  }
  // §3.10.7.1 CLOSED: "An incoming segment not containing a RST causes a RST to be sent in response."
  if (w.on) w.net.dropEvent(host, seg, 'no-listener');
  rstReply(w, host, seg);
}

/**
 * §3.10.7.2 LISTEN. `isn` is non-zero when a SYN took over a TIME_WAIT entry (TCP_TW_SYN).
 */
export function listenProcess(w: World, host: Host, l: Sock, seg: Seg, isn: number): void {
  const f = seg.flags;
  // "First, check for a RST": ignore it.
  if (f & RST) return;
  // "Second, check for an ACK": <SEQ=SEG.ACK><CTL=RST>.
  if (f & ACK) {
    rstReply(w, host, seg);
    return;
  }
  // "Third, check for a SYN".
  if (!(f & SYN)) return;
  // tcp_tw_recycle (Linux ≤ 4.11, tcp_v4_conn_request → tcp_peer_is_proven()): a SYN whose timestamp
  // is older than the one last remembered for this peer IP within TCP_PAWS_MSL is silently dropped.
  if (isn === 0 && w.profile.hasTwRecycle && host.sysctl['net.ipv4.tcp_tw_recycle'] === 1) {
    const m = host.tsCache.get(seg.sip);
    if (
      m !== undefined &&
      Math.floor(w.engine.now / 1e6) - m.stamp < PAWS_MSL_S &&
      (((m.ts - seg.tsVal) | 0) > 1 || !seg.hasTs)
    ) {
      host.count(C_PAWS_PASSIVE);
      if (w.on) w.net.dropEvent(host, seg, 'tw-recycle');
      return;
    }
  }
  // A full accept queue drops the SYN (the client will retransmit).
  if (l.acceptQueue !== undefined && l.backlog > 0 && l.acceptQueue.length >= l.backlog) return;
  const c = new Sock(host);
  c.lip = seg.dip;
  c.lport = seg.dport;
  c.rip = seg.sip;
  c.rport = seg.sport;
  c.parent = l;
  c.reuseAddr = l.reuseAddr;
  c.reusePort = l.reusePort;
  c.linger = l.linger;
  c.linger2 = l.linger2;
  c.keepGot = l.fd !== undefined;
  c.app = l.app;
  c.irs = seg.seq;
  c.rcvNxt = seqAdd(seg.seq, 1);
  c.sndWnd = seg.wnd;
  c.rto = w.profile.rtoInit;
  if (seg.hasTs && host.sysctl['net.ipv4.tcp_timestamps'] === 1) {
    c.tsOn = true;
    c.tsRecent = seg.tsVal;
    c.tsRecentStamp = nowSec(w);
    c.tsOffset = tsOffsetFor(w, host, c.lip, c.rip);
  }
  c.iss = isn !== 0 ? isn : chooseIsn(w, host, c);
  c.sndUna = c.iss;
  c.sndMax = c.iss;
  host.hash(c);
  host.bucketAdd(c.lport, c, false);
  c.state = LISTEN; // so the state event reads LISTEN → SYN_RECEIVED for this connection
  host.setState(c, SYN_RECEIVED, 'rcv SYN');
  sendSyn(w, host, c, false);
}

/** §3.10.7.3 SYN-SENT. */
function synSent(w: World, host: Host, s: Sock, seg: Seg): void {
  const f = seg.flags;
  // "First, check the ACK bit": it must acknowledge our SYN.
  if (f & ACK && (seqLe(seg.ack, s.iss) || seqGt(seg.ack, s.sndNxt))) {
    if (!(f & RST)) rstReply(w, host, seg);
    if (w.on) w.net.dropEvent(host, seg, 'unacceptable');
    return;
  }
  // "Second, check the RST bit": with an acceptable ACK the connection is refused.
  if (f & RST) {
    if (f & ACK) host.abort(s, 'ECONNREFUSED', 'rcv RST', false);
    return;
  }
  // "Fourth, check the SYN bit".
  if (!(f & SYN)) return;
  s.irs = seg.seq;
  s.rcvNxt = seqAdd(seg.seq, 1);
  s.sndWnd = seg.wnd;
  if (seg.hasTs && host.sysctl['net.ipv4.tcp_timestamps'] === 1) {
    s.tsOn = true;
    s.tsRecent = seg.tsVal;
    s.tsRecentStamp = nowSec(w);
  }
  if (f & ACK) {
    s.sndUna = seg.ack;
    if (s.rttSeq >= 0 && seqGe(seg.ack, s.rttSeq)) rttSample(w, s, w.engine.now - s.rttStart);
    s.rttSeq = -1;
    s.retries = 0;
    cancelRto(w, s);
    host.setState(s, ESTABLISHED, 'rcv SYN-ACK');
    xmit(w, host, s, ACK, s.sndNxt, '');
    host.connected(s);
    if (s.key >= 0 && (s.sndBuf.length > 0 || s.finQueued)) output(w, host, s);
    return;
  }
  // Simultaneous open: SYN_RECEIVED, send SYN-ACK.
  host.setState(s, SYN_RECEIVED, 'rcv SYN');
  xmit(w, host, s, SYN | ACK, s.iss, '');
}

/** §3.10.7.4 for SYN-RECEIVED and every later state (TIME_WAIT has its own minisocket). */
function synchronized(w: World, host: Host, s: Sock, seg: Seg): void {
  const f = seg.flags;
  const st0 = s.state;
  // Linux's request socket answers a retransmitted SYN with the SYN-ACK again (tcp_check_req()).
  if (st0 === SYN_RECEIVED && f & SYN && !(f & ACK) && seg.seq === s.irs) {
    xmit(w, host, s, SYN | ACK, s.iss, '');
    return;
  }
  // PAWS (RFC 7323 §5.3; tcp_paws_discard() with TCP_PAWS_WINDOW = 1) before the sequence check.
  if (s.tsOn && seg.hasTs && ((s.tsRecent - seg.tsVal) | 0) > 1 && nowSec(w) - s.tsRecentStamp < 24 * 86400) {
    if (!(f & RST)) xmit(w, host, s, ACK, s.sndNxt, '');
    host.count(C_PAWS_ESTAB);
    if (w.on) w.net.dropEvent(host, seg, 'paws');
    return;
  }
  // First: the acceptability test (§3.10.7.4 table).
  const len = seg.len;
  const space = RCV_WND - s.rcvBuf.length;
  const wnd = Math.max(space, 0);
  const rn = s.rcvNxt;
  let ok: boolean;
  if (len === 0) ok = wnd === 0 ? seg.seq === rn : seqLe(rn, seg.seq) && seqLt(seg.seq, seqAdd(rn, wnd));
  else if (wnd === 0) ok = false;
  else {
    const last = seqAdd(seg.seq, len - 1);
    ok =
      (seqLe(rn, seg.seq) && seqLt(seg.seq, seqAdd(rn, wnd))) ||
      (seqLe(rn, last) && seqLt(last, seqAdd(rn, wnd)));
  }
  if (!ok) {
    // "If an incoming segment is not acceptable, an acknowledgment should be sent in reply (unless the
    // RST bit is set)". A retransmitted FIN lands here in CLOSE_WAIT / LAST_ACK / CLOSING.
    if (!(f & RST)) xmit(w, host, s, ACK, s.sndNxt, '');
    if (w.on) w.net.dropEvent(host, seg, 'unacceptable');
    return;
  }
  // The timestamp to echo (RFC 7323 §4.3: update TS.Recent when SEG.SEQ ≤ Last.ACK.sent).
  if (s.tsOn && seg.hasTs && seqLe(seg.seq, rn) && ((seg.tsVal - s.tsRecent) | 0) >= 0) {
    s.tsRecent = seg.tsVal;
    s.tsRecentStamp = nowSec(w);
  }
  // Second: RST (with RFC 5961 §3.2: only an exact match resets; in-window gets a challenge ACK).
  if (f & RST) {
    if (seg.seq !== rn) {
      xmit(w, host, s, ACK, s.sndNxt, '');
      return;
    }
    if (st0 === SYN_RECEIVED && s.parent !== undefined) {
      // Passive open: back to LISTEN, i.e. this embryo just disappears.
      host.destroy(s, 'rcv RST');
      return;
    }
    const err = st0 === SYN_RECEIVED ? 'ECONNREFUSED' : st0 === CLOSE_WAIT ? 'EPIPE' : 'ECONNRESET';
    host.abort(s, err, 'rcv RST', false);
    return;
  }
  // Fourth: a SYN in a synchronized state draws a challenge ACK (RFC 5961 §4).
  if (f & SYN) {
    xmit(w, host, s, ACK, s.sndNxt, '');
    return;
  }
  // Fifth: the ACK field.
  if (!(f & ACK)) return;
  if (st0 === SYN_RECEIVED) {
    if (!(seqLt(s.sndUna, seg.ack) && seqLe(seg.ack, s.sndNxt))) {
      rstReply(w, host, seg);
      return;
    }
    const parent = s.parent;
    if (parent !== undefined && parent.state !== LISTEN) {
      // The listener went away meanwhile.
      rstReply(w, host, seg);
      host.destroy(s, 'no listener');
      return;
    }
    host.setState(s, ESTABLISHED, 'rcv ACK');
    s.everConnected = true;
    if (parent !== undefined) {
      host.count(C_PASSIVE_OPENS);
      host.queueChild(parent, s);
    } else host.connected(s);
  }
  if (seqGt(seg.ack, s.sndNxt)) {
    // Acknowledges something not yet sent: ACK and drop.
    xmit(w, host, s, ACK, s.sndNxt, '');
    return;
  }
  if (seqGt(seg.ack, s.sndUna)) {
    const n = seqDiff(seg.ack, s.sndUna);
    const dataAcked = Math.min(n, s.sndBuf.length);
    if (dataAcked > 0) s.sndBuf = s.sndBuf.slice(dataAcked);
    s.sndUna = seg.ack;
    if (s.rttSeq >= 0 && seqGe(seg.ack, s.rttSeq)) {
      rttSample(w, s, w.engine.now - s.rttStart);
      s.rttSeq = -1;
    } else if (s.retries > 0 && s.srtt > 0) rttSample(w, s, s.srtt); // undo the backoff
    s.retries = 0;
    // The probe's segment (or what followed it) is acknowledged: another probe may go out
    // (tcp_process_tlp_ack()); all data acknowledged ends RTO recovery (back to TCP_CA_Open).
    if (s.tlpHigh >= 0 && seqGe(seg.ack, s.tlpHigh)) s.tlpHigh = -1;
    if (seqGe(seg.ack, s.sndMax)) s.caLoss = false;
    // RFC 6298 §5.2/5.3: stop the timer when all is acknowledged, else restart it (Linux:
    // tcp_set_xmit_timer(), a loss probe first where the profile has them).
    cancelRto(w, s);
    if (seqGt(s.sndNxt, s.sndUna)) armXmitTimer(w, host, s, true);
  }
  s.sndWnd = seg.wnd;
  const finAcked = isFinAcked(s);
  const st = s.state;
  if (st === FIN_WAIT_1 && finAcked) {
    host.setState(s, FIN_WAIT_2, 'rcv ACK of FIN');
    if (s.orphan && !(f & FIN)) {
      // tcp_rcv_state_process(), TCP_FIN_WAIT1: an orphan's FIN_WAIT_2 is bounded by tcp_fin_timeout.
      orphanFinWait2(w, host, s);
      return;
    }
  } else if (st === CLOSING && finAcked) {
    enterTimeWait(w, host, s, TIME_WAIT, 0, 'rcv ACK of FIN');
    return;
  } else if (st === LAST_ACK && finAcked) {
    host.destroy(s, 'rcv ACK of FIN');
    return;
  }
  // Seventh: segment text (ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2).
  const dlen = seg.data.length;
  let delivered = false;
  if (dlen > 0) {
    const sn = s.state;
    if (sn === ESTABLISHED || sn === FIN_WAIT_1 || sn === FIN_WAIT_2) {
      if (s.orphan) {
        // After close(), new data cannot be read by anyone: TCPAbortOnData and a reset.
        if (seqGt(seqAdd(seg.seq, dlen), s.rcvNxt)) {
          host.count(12);
          rstReply(w, host, seg);
          host.destroy(s, 'data after close');
          return;
        }
      }
      const off = seqDiff(s.rcvNxt, seg.seq);
      if (off < 0) {
        // Out of order: no reassembly queue here; a duplicate ACK asks for the gap.
        xmit(w, host, s, ACK, s.sndNxt, '');
      } else if (off < dlen) {
        const bytes = off === 0 ? seg.data : seg.data.slice(off);
        // tcp_event_data_recv(): the first data segment sets the delayed-ACK timeout to TCP_ATO_MIN.
        if (s.ato === 0) s.ato = DELACK_MIN;
        s.rcvBuf += bytes;
        s.rcvNxt = seqAdd(s.rcvNxt, bytes.length);
        if (s.keepGot) s.got += bytes;
        if (w.on)
          w.on({
            t: w.engine.now,
            type: 'deliver',
            host: host.name,
            fd: s.fd ?? connName(s),
            data: bytes,
          });
        delivered = true;
        scheduleAck(w, s);
      } else {
        // Entirely old: acknowledge at once (tcp_data_queue(): "A retransmit ... force an immediate ack").
        xmit(w, host, s, ACK, s.sndNxt, '');
      }
    }
  }
  // Eighth: FIN, if it is next in sequence.
  if (f & FIN) {
    const finSeq = seqAdd(seg.seq, dlen);
    if (finSeq === s.rcvNxt) {
      s.rcvNxt = seqAdd(s.rcvNxt, 1);
      s.rcvFin = true;
      delivered = true;
      const sn = s.state;
      if (sn === ESTABLISHED || sn === SYN_RECEIVED) {
        host.setState(s, CLOSE_WAIT, 'rcv FIN');
        s.ackPending = false; // a data ACK due now waits with the FIN's
        // tcp_fin() enters pingpong mode, so the ACK is delayed by `ato` (tcp_send_delayed_ack()): 40 ms
        // once data has arrived, but 0 on a connection that never received any — the timer is set for
        // the current jiffy and fires on the next tick (measured 2–4 ms at HZ=250).
        scheduleAck(w, s, s.ato > 0 ? s.ato : ATO_ZERO_TICK);
      } else if (sn === FIN_WAIT_1) {
        // Our FIN is not yet acknowledged (else we would be in FIN_WAIT_2): simultaneous close.
        host.setState(s, CLOSING, 'rcv FIN');
        xmit(w, host, s, ACK, s.sndNxt, '');
      } else if (sn === FIN_WAIT_2) {
        xmit(w, host, s, ACK, s.sndNxt, '');
        const owner = !s.orphan;
        enterTimeWait(w, host, s, TIME_WAIT, 0, 'rcv FIN');
        if (owner) host.readable(s);
        return;
      }
    } else if (seqLt(finSeq, s.rcvNxt)) {
      // A FIN we already have (our ACK was lost): acknowledge again.
      xmit(w, host, s, ACK, s.sndNxt, '');
    }
  }
  if (s.key < 0) return;
  if (s.sndBuf.length > 0 && seqGt(seqAdd(s.sndUna, s.sndBuf.length), s.sndNxt)) output(w, host, s);
  if (delivered && !s.orphan) host.readable(s);
  // The ACK owed for this segment, unless the application's reply already carried it.
  if (s.ackPending && s.ackTok === 0 && s.key >= 0) xmit(w, host, s, ACK, s.sndNxt, '');
}
