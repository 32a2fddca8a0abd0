// The views derived from the event log: an `ss -tan -o` table, tcpdump-style lines, sequence-diagram
// data for the widgets, and a digest of the whole trace for determinism tests. Running a scenario as an
// observer would is in ./observation.ts, so a page that only draws a trace does not carry it.

import { formatSeconds } from './seconds.ts';
import type { DropReason, Flags, Micros, SimEvent, TcpState, TimerKind } from './types.ts';

// ---------------------------------------------------------------------------------------------------
// ss -tan -o

/** State names as ss prints them (iproute2 misc/ss.c `sstate_name`). */
export const SS_STATE: Record<TcpState, string> = {
  CLOSED: 'UNCONN',
  LISTEN: 'LISTEN',
  SYN_SENT: 'SYN-SENT',
  SYN_RECEIVED: 'SYN-RECV',
  ESTABLISHED: 'ESTAB',
  FIN_WAIT_1: 'FIN-WAIT-1',
  FIN_WAIT_2: 'FIN-WAIT-2',
  CLOSE_WAIT: 'CLOSE-WAIT',
  CLOSING: 'CLOSING',
  LAST_ACK: 'LAST-ACK',
  TIME_WAIT: 'TIME-WAIT',
};

/** A timer as ss -o prints it (iproute2 misc/ss.c `print_ms_timer`): '59sec', '1.500ms'… */
export function ssTimer(micros: Micros): string {
  const timeout = Math.max(0, Math.floor(micros / 1000));
  let secs = Math.floor(timeout / 1000);
  const minutes = Math.floor(secs / 60);
  secs %= 60;
  let msecs = timeout % 1000;
  let out = '';
  if (minutes) {
    msecs = 0;
    out += `${minutes}min`;
    if (minutes > 9) secs = 0;
  }
  if (secs) {
    if (secs > 9) msecs = 0;
    out += `${secs}${msecs ? '.' : 'sec'}`;
  }
  if (msecs) out += `${String(msecs).padStart(3, '0')}ms`;
  return out;
}

// The text table is in ./ss-table.ts: only the CLI, the playground's downloads and the load worker print
// it; pages that draw an ss table (components/widgets/SsTable.tsx) need just the two above.

// ---------------------------------------------------------------------------------------------------
// tcpdump

export interface TcpdumpOptions {
  /** Only what this host's interface sees: its sends (at send time) and arrivals (at arrival time). */
  host?: string;
  /** Absolute sequence numbers, like `tcpdump -S` (default: relative, like plain tcpdump). */
  absolute?: boolean;
  /** Show the IP TTL, like `tcpdump -v`. */
  verbose?: boolean;
}

/** tcpdump's flag letters in its own order (print-tcp.c `tcp_flag_values`), ACK printed as '.'. */
export function tcpdumpFlags(flags: Flags): string {
  let out = '';
  for (const f of 'FSRP') if (flags.includes(f)) out += f;
  if (flags.includes('A')) out += '.';
  return out;
}

interface SegLike {
  id: number;
  src: { ip: string; port: number };
  dst: { ip: string; port: number };
  seq: number;
  ack: number;
  flags: Flags;
  wnd: number;
  data: string;
  ttl: number;
  ts?: { val: number; ecr: number };
}

/** One line per segment on the wire, in the style of `tcpdump -n -ttttt` (seconds since the start). */
export function tcpdumpLines(events: readonly SimEvent[], opts: TcpdumpOptions = {}): string[] {
  const drops = new Map<number, DropReason>();
  const copies = new Map<number, number>(); // copy id → original id
  for (const e of events) {
    if (e.type === 'seg-drop' && !drops.has(e.seg.id)) drops.set(e.seg.id, e.reason);
    if (e.type === 'seg-dup') copies.set(e.copy.id, e.seg.id);
  }
  // tcpdump's relative numbering (print-tcp.c): the first ACK-bearing segment of a conversation (or a
  // new SYN on it) records both sides' numbers; later ones print as offsets from them.
  const conversations = new Map<string, { seq: number; ack: number; forward: string }>();
  const lines: string[] = [];
  const line = (t: Micros, seg: SegLike, mark: string) => {
    const src = `${seg.src.ip}.${seg.src.port}`;
    const dst = `${seg.dst.ip}.${seg.dst.port}`;
    let seq = seg.seq >>> 0;
    let ack = seg.ack >>> 0;
    if (!opts.absolute && seg.flags.includes('A')) {
      const key = [src, dst].sort().join(' ');
      const conv = conversations.get(key);
      if (conv === undefined || seg.flags.includes('S')) {
        conversations.set(key, { seq, ack: (ack - 1) >>> 0, forward: src });
      } else if (conv.forward === src) {
        seq = (seq - conv.seq) >>> 0;
        ack = (ack - conv.ack) >>> 0;
      } else {
        seq = (seq - conv.ack) >>> 0;
        ack = (ack - conv.seq) >>> 0;
      }
    }
    const len = seg.data.length;
    let text = `${formatSeconds(t)} IP ${opts.verbose ? `(ttl ${seg.ttl}) ` : ''}${src} > ${dst}: Flags [${tcpdumpFlags(seg.flags)}]`;
    if (len > 0 || /[SFR]/.test(seg.flags)) text += `, seq ${seq}${len > 0 ? `:${(seq + len) >>> 0}` : ''}`;
    if (seg.flags.includes('A')) text += `, ack ${ack}`;
    text += `, win ${seg.wnd}`;
    if (seg.ts) text += `, options [nop,nop,TS val ${seg.ts.val >>> 0} ecr ${seg.ts.ecr >>> 0}]`;
    text += `, length ${len}${mark}`;
    lines.push(text);
  };
  for (const e of events) {
    if (opts.host === undefined) {
      if (e.type === 'seg-send') line(e.t, e.seg, dropMark(drops.get(e.seg.id)));
      else if (e.type === 'seg-dup')
        line(e.t, e.copy, ` (duplicate of #${e.seg.id})${dropMark(drops.get(e.copy.id))}`);
    } else if (e.type === 'seg-send' && e.host === opts.host) {
      line(e.t, e.seg, dropMark(drops.get(e.seg.id)));
    } else if (e.type === 'seg-recv' && e.host === opts.host) {
      const original = copies.get(e.seg.id);
      line(e.t, e.seg, original === undefined ? '' : ` (duplicate of #${original})`);
    }
  }
  return lines;
}

function dropMark(reason: DropReason | undefined): string {
  return reason === undefined ? '' : ` (dropped: ${reason})`;
}

// ---------------------------------------------------------------------------------------------------
// Sequence-diagram data

export interface SequenceLane {
  /** 'ip:port' */
  id: string;
  host?: string;
}

export interface SequenceArrow {
  seg: number;
  from: string;
  to: string;
  sentAt: Micros;
  /** Absent when it never arrived (dropped, or still in flight at the end). */
  arrivedAt?: Micros;
  flags: Flags;
  seq: number;
  ack: number;
  len: number;
  ttl: number;
  ts?: { val: number; ecr: number };
  dropped?: DropReason;
  /** Set on a copy the network made: the id of the original. */
  duplicateOf?: number;
}

export interface SequenceStateChange {
  lane: string;
  t: Micros;
  from: TcpState;
  to: TcpState;
  cause: string;
}

export interface SequenceData {
  lanes: SequenceLane[];
  arrows: SequenceArrow[];
  states: SequenceStateChange[];
  /** Each TIME_WAIT stay; `end` absent when it lasted past the end of the log. */
  timeWait: { lane: string; start: Micros; end?: Micros }[];
  /** Timers set, fired and cancelled along each lane (a restarted TIME_WAIT timer shows as a new 'set'). */
  timers: { lane: string; t: Micros; timer: TimerKind; action: 'set' | 'fire' | 'cancel'; at?: Micros }[];
  end: Micros;
}

/** Lanes per endpoint (ip:port), arrows per segment, state changes and TIME_WAIT spans along lanes. */
export function sequenceData(events: readonly SimEvent[]): SequenceData {
  const lanes = new Map<string, SequenceLane>();
  const lane = (id: string, host?: string) => {
    const l = lanes.get(id);
    if (l === undefined) lanes.set(id, host === undefined ? { id } : { id, host });
    else if (l.host === undefined && host !== undefined) l.host = host;
    return id;
  };
  const arrows = new Map<number, SequenceArrow>();
  const states: SequenceStateChange[] = [];
  const timeWait: SequenceData['timeWait'] = [];
  const openTw = new Map<string, { lane: string; start: Micros; end?: Micros }>();
  const timers: SequenceData['timers'] = [];
  let end = 0;
  const arrow = (t: Micros, seg: SegLike, duplicateOf?: number) => {
    const a: SequenceArrow = {
      seg: seg.id,
      from: lane(`${seg.src.ip}:${seg.src.port}`),
      to: lane(`${seg.dst.ip}:${seg.dst.port}`),
      sentAt: t,
      flags: seg.flags,
      seq: seg.seq,
      ack: seg.ack,
      len: seg.data.length,
      ttl: seg.ttl,
    };
    if (seg.ts) a.ts = { ...seg.ts };
    if (duplicateOf !== undefined) a.duplicateOf = duplicateOf;
    arrows.set(seg.id, a);
  };
  for (const e of events) {
    end = Math.max(end, e.t);
    switch (e.type) {
      case 'seg-send':
        if (!arrows.has(e.seg.id)) arrow(e.t, e.seg);
        lane(`${e.seg.src.ip}:${e.seg.src.port}`, e.host);
        break;
      case 'seg-dup':
        arrow(e.t, e.copy, e.seg.id);
        break;
      case 'seg-recv': {
        lane(`${e.seg.dst.ip}:${e.seg.dst.port}`, e.host);
        const a = arrows.get(e.seg.id);
        if (a && a.arrivedAt === undefined) a.arrivedAt = e.t;
        break;
      }
      case 'seg-drop': {
        const a = arrows.get(e.seg.id);
        if (a && a.dropped === undefined) a.dropped = e.reason;
        break;
      }
      case 'state': {
        const id = lane(e.conn.split(/\s*(?:→|->)\s*/)[0] as string, e.host);
        states.push({ lane: id, t: e.t, from: e.from, to: e.to, cause: e.cause });
        const key = `${e.host} ${e.conn}`;
        if (e.to === 'TIME_WAIT') {
          const span = { lane: id, start: e.t };
          timeWait.push(span);
          openTw.set(key, span);
        } else if (e.from === 'TIME_WAIT') {
          const span = openTw.get(key);
          if (span) span.end = e.t;
          openTw.delete(key);
        }
        break;
      }
      case 'timer': {
        const id = lane(e.conn.split(/\s*(?:→|->)\s*/)[0] as string, e.host);
        const mark: SequenceData['timers'][number] = { lane: id, t: e.t, timer: e.timer, action: e.action };
        if (e.at !== undefined) mark.at = e.at;
        timers.push(mark);
        break;
      }
      default:
        break;
    }
  }
  return { lanes: [...lanes.values()], arrows: [...arrows.values()], states, timeWait, timers, end };
}

/**
 * How many connections of `host` were in `state` over time, from the state changes in the log: one
 * point per change, { t, count } after every event of that instant. The port-exhaustion and 2MSL
 * widgets chart TIME_WAIT with it.
 */
export function stateCounts(
  events: readonly SimEvent[],
  host: string,
  state: TcpState,
): { t: Micros; count: number }[] {
  const points: { t: Micros; count: number }[] = [];
  let count = 0;
  for (const e of events) {
    if (e.type !== 'state' || e.host !== host || e.from === e.to) continue;
    if (e.to === state) count++;
    else if (e.from === state) count--;
    else continue;
    const last = points[points.length - 1];
    if (last !== undefined && last.t === e.t) last.count = count;
    else points.push({ t: e.t, count });
  }
  return points;
}

// ---------------------------------------------------------------------------------------------------
// Trace digest

/**
 * A stable hash of the event log: two 32-bit FNV-1a lanes over a canonical serialisation (object keys
 * sorted), so the same run gives the same string in Node and in a browser.
 */
export function traceDigest(events: readonly SimEvent[]): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  const feed = (s: string) => {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
    }
  };
  for (const e of events) {
    feed(canonical(e));
    feed('\n');
  }
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  return `${events.length}:${hex(h1)}${hex(h2)}`;
}

function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return v === undefined ? 'null' : JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`).join(',')}}`;
}
