// Counters over time for the port labs: TIME_WAIT entries per host, local ports in use and failed
// connect() calls, read off a scripted run's `ss` tables and its call records. Loaded with the chart
// (./chart-view.ts) only when a lab's chart must change (./lazy-chart.tsx).

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

/**
 * TIME_WAIT count for every host that ever holds one, ports in use for the hosts that call
 * connect(), and the running total of failed connect() calls.
 */
export function countersOf(run: Run): Series[] {
  // The calls read here rather than with run.ts's callsOf: the load lab loads this module with its
  // chart too (./chart-view.ts), and must not pull in the simulator runtime that run.ts belongs to.
  const calls: CallRecord[] = [];
  for (const e of run.events) if (e.type === 'call') calls.push(e.record);
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
