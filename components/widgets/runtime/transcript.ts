// A plain-language account of a run up to an instant, in the page's language: one sentence per thing
// a reader should notice (a segment sent, lost, resent or duplicated; a state change; the TIME_WAIT
// timer started, restarted or expired). Built only from the event log, so it says what the simulator
// did, not what a textbook says should happen.

import type { Segment, SimEvent, TcpState } from '../../../src/sim/types.ts';
import { type Lang, labels } from './i18n.ts';
import { eventsBefore, type Run } from './run.ts';
import { formatTime } from './time.ts';

export interface Sentence {
  t: number;
  text: string;
}

/** Flags as a reader names a segment: SYN, SYN-ACK, FIN, RST, ACK, or data. */
export function segmentName(seg: { flags: string; data?: string; len?: number }): string {
  const f = seg.flags;
  const len = seg.len ?? seg.data?.length ?? 0;
  if (f.includes('S')) return f.includes('A') ? 'SYN-ACK' : 'SYN';
  if (f.includes('R')) return 'RST';
  if (f.includes('F')) return 'FIN';
  if (len > 0) return `${len} B data`;
  return 'ACK';
}

export function causeText(cause: string, lang: Lang): string {
  return labels(lang).cause[cause] ?? cause;
}

/** Sentences for everything up to and including instant t. */
export function transcript(run: Run, t: number, lang: Lang): Sentence[] {
  const L = labels(lang);
  const T = L.say;
  const out: Sentence[] = [];
  const say = (at: number, text: string) => out.push({ t: at, text });
  const events = run.events.slice(0, eventsBefore(run, t));
  const hostOfIp = new Map<string, string>();
  for (const [name, h] of Object.entries(run.scenario.hosts)) hostOfIp.set(h.ip, name);
  const Who = (host: string | undefined) => L.subject(host ?? '?', true);
  const who = (host: string | undefined) => L.subject(host ?? '?');
  const lastSame = new Map<string, number>();
  const twSetAt = new Map<string, number>();
  const dropsAt = new Map<number, string>();
  const sentBy = new Set<number>();
  for (const e of events) if (e.type === 'seg-drop') dropsAt.set(e.seg.id, e.reason);
  const key = (s: Segment) =>
    `${s.src.ip}:${s.src.port}>${s.dst.ip}:${s.dst.port} ${s.flags} ${s.seq} ${s.data.length}`;
  const span = (d: number) => formatTime(d, lang);

  for (const e of events) {
    switch (e.type) {
      case 'seg-send': {
        sentBy.add(e.seg.id);
        const name = segmentName(e.seg);
        const k = key(e.seg);
        const prev = lastSame.get(k);
        lastSame.set(k, e.t);
        const lost = dropsAt.has(e.seg.id);
        // A bare ACK repeated is not a retransmission (TIME_WAIT re-acknowledges each FIN it gets).
        if (prev !== undefined && name !== 'ACK')
          say(e.t, T.resend(Who(e.host), name, e.seg.id, span(e.t - prev), lost));
        else say(e.t, T.send(Who(e.host), name, e.seg.id, lost));
        break;
      }
      case 'seg-drop':
        if (e.reason === 'fault' && sentBy.has(e.seg.id)) break; // said with the send
        say(e.t, T.discarded(Who(hostOfIp.get(e.seg.src.ip)), segmentName(e.seg), e.seg.id, e.reason));
        break;
      case 'seg-dup':
        say(e.t, T.duplicated(who(hostOfIp.get(e.seg.src.ip)), segmentName(e.seg), e.seg.id, e.copy.id));
        break;
      case 'state': {
        const since = twSetAt.get(`${e.host} ${e.conn}`);
        if (e.from === 'TIME_WAIT' && e.to === 'CLOSED' && e.cause === 'timeout')
          say(e.t, T.twExpires(Who(e.host), since === undefined ? undefined : span(e.t - since)));
        else say(e.t, T.move(Who(e.host), e.from, e.to, causeText(e.cause, lang)));
        break;
      }
      case 'timer': {
        if (e.timer !== 'time-wait' || e.action !== 'set' || e.at === undefined) break;
        const k = `${e.host} ${e.conn}`;
        const first = !twSetAt.has(k);
        twSetAt.set(k, e.t);
        say(e.t, (first ? T.twStarts : T.twRestarts)(Who(e.host), span(e.at - e.t)));
        break;
      }
      default:
        break;
    }
  }
  return out;
}

/** The states a lane went through up to t, for a one-line summary ("CLOSED → SYN_SENT → …"). */
export function statePath(run: Run, lane: string, t: number): TcpState[] {
  const path: TcpState[] = [];
  for (const s of run.seq.states) {
    if (s.t > t) break;
    if (s.lane !== lane) continue;
    if (path.length === 0) path.push(s.from);
    path.push(s.to);
  }
  return path;
}

export type { SimEvent };
