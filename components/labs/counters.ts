// Counters over time for the port labs: TIME_WAIT entries per host, local ports in use, failed
// connect() calls — read off a scripted run's `ss` tables and its call records — and the socket-call
// log; plus the Little's-law prediction for the load lab.

import type { CallRecord, SocketRow } from '../../src/sim/types.ts';
import type { Run } from '../widgets/runtime/run.ts';

export interface Series {
  id: string;
  host?: string;
  kind: 'tw' | 'ports' | 'fails';
  t: number[];
  v: number[];
}

function push(s: Series, t: number, v: number): void {
  const i = s.v.length - 1;
  if (i >= 0 && s.v[i] === v) return;
  if (i >= 0 && s.t[i] === t) s.v[i] = v;
  else {
    s.t.push(t);
    s.v.push(v);
  }
}

/** Distinct local ports a host's sockets hold, listeners aside (what ip_local_port_range runs out of). */
export function portsInUse(rows: readonly SocketRow[]): number {
  const set = new Set<string>();
  for (const r of rows) if (r.state !== 'LISTEN') set.add(r.local.slice(r.local.lastIndexOf(':') + 1));
  return set.size;
}

export function callsOf(run: Run): CallRecord[] {
  const out: CallRecord[] = [];
  for (const e of run.events) if (e.type === 'call') out.push(e.record);
  return out;
}

/**
 * TIME_WAIT count for every host that ever holds one, ports in use for the hosts that call
 * connect(), and the running total of failed connect() calls.
 */
export function countersOf(run: Run): Series[] {
  const calls = callsOf(run);
  const connecting = new Set(calls.filter((c) => c.call === 'connect').map((c) => c.host));
  const tw = run.hosts.map((host): Series => ({ id: `tw-${host}`, host, kind: 'tw', t: [], v: [] }));
  const ports = run.hosts
    .filter((h) => connecting.has(h))
    .map((host): Series => ({ id: `ports-${host}`, host, kind: 'ports', t: [], v: [] }));
  for (const snap of run.tables) {
    run.hosts.forEach((h, i) => {
      const rows = snap.rows[h] ?? [];
      push(tw[i] as Series, snap.t, rows.filter((r) => r.state === 'TIME_WAIT').length);
    });
    for (const p of ports) push(p, snap.t, portsInUse(snap.rows[p.host as string] ?? []));
  }
  const fails: Series = { id: 'fails', kind: 'fails', t: [0], v: [0] };
  let n = 0;
  for (const c of calls) {
    if (c.call !== 'connect' || c.result === '0' || c.result === 'pending') continue;
    n++;
    push(fails, c.doneAt, n);
  }
  return [...tw.filter((s) => s.v.some((v) => v > 0)), ...ports, fails];
}

/** The calls worth a line in the log: everything but successful socket/accept/send/close. */
export function notableCalls(run: Run, t: number): CallRecord[] {
  return callsOf(run).filter(
    (c) =>
      c.at <= t &&
      (c.result !== '0' ||
        c.call === 'connect' ||
        c.call === 'bind' ||
        c.call === 'recv' ||
        c.call === 'listen'),
  );
}

export interface LittleParams {
  rate: number;
  /** TIME_WAIT length, µs. */
  timeWait: number;
  /** Distinct 4-tuples available: the port range toward one destination. */
  cap: number;
}

/**
 * Little's law (L = λ·W): connections close at rate λ and each stays W in TIME_WAIT, so in a steady
 * state λ·W entries exist at once — unless the client runs out of 4-tuples first (a TIME_WAIT entry
 * holds its 4-tuple, RFC 9293 §3.6.1; Linux: TCP_TIMEWAIT_LEN = 60 s in include/net/tcp.h).
 */
export function littleSteady(p: LittleParams): number {
  return Math.min(Math.round((p.rate * p.timeWait) / 1e6), p.cap);
}
