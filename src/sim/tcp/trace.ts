// Building SimEvents. Every function here is called only after checking `w.on`, so a run without a
// listener never formats an address or allocates an event.

import type { Segment, TimerKind } from '../types.ts';
import type { AnySock, Seg } from './tcb.ts';
import { flagString, numToIp, STATE_NAMES } from './tcb.ts';
import type { World } from './world.ts';

export function toSegment(s: Seg): Segment {
  const out: Segment = {
    id: s.id,
    src: { ip: numToIp(s.sip), port: s.sport },
    dst: { ip: numToIp(s.dip), port: s.dport },
    seq: s.seq >>> 0,
    ack: s.ack >>> 0,
    flags: flagString(s.flags),
    wnd: s.wnd,
    data: s.data,
    ttl: s.ttl,
  };
  if (s.hasTs) out.ts = { val: s.tsVal >>> 0, ecr: s.tsEcr >>> 0 };
  return out;
}

export function connName(s: AnySock): string {
  return `${numToIp(s.lip)}:${s.lport} → ${s.rip === 0 ? '*' : numToIp(s.rip)}:${s.rip === 0 ? '*' : s.rport}`;
}

export function hostName(w: World, idx: number): string {
  return (w.hosts[idx] as { name: string }).name;
}

export function emitState(w: World, s: AnySock, from: number, to: number, cause: string): void {
  if (!w.on || from === to) return;
  w.on({
    t: w.engine.now,
    type: 'state',
    host: hostName(w, s.hostIdx),
    conn: connName(s),
    from: STATE_NAMES[from] ?? 'CLOSED',
    to: STATE_NAMES[to] ?? 'CLOSED',
    cause,
  });
}

export function emitTimer(
  w: World,
  s: AnySock,
  timer: TimerKind,
  action: 'set' | 'fire' | 'cancel',
  at?: number,
): void {
  if (!w.on) return;
  const e = {
    t: w.engine.now,
    type: 'timer' as const,
    host: hostName(w, s.hostIdx),
    conn: connName(s),
    timer,
    action,
    ...(at !== undefined ? { at } : {}),
  };
  w.on(e);
}

export function emitCounter(w: World, hostIdx: number, name: string, value: number): void {
  if (!w.on) return;
  w.on({ t: w.engine.now, type: 'counter', host: hostName(w, hostIdx), name, value });
}
