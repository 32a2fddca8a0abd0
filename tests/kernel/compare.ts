// Comparing two Observations of one scenario (the real kernel's and the simulator's) the way an
// observer would: each call's errno, the local port it got (by role, not number), the `ss -tan`
// table at every snapshot, counts per state, chosen nstat counters, the bytes each socket read, and
// how long blocking calls took, within a stated tolerance. Returns one readable line per difference.

import type { CallRecord, Micros, Observation, Scenario, SocketRow } from '../../src/sim/types.ts';

/**
 * How far timings may drift before they count as different. The kernel harness has no netem, so its
 * links have ~0 delay where the simulator's default link has 5 ms each way; the kernel's timer wheel
 * also rounds long timers up (a 60 s timer may fire up to ~4 s late), and ss prints whole seconds
 * above 10 s. Hence a loose bound: |kernel - simulator| ≤ max(absolute, relative × the longer one).
 */
export interface Tolerance {
  /** For the duration of blocking calls (doneAt - at). */
  absolute: Micros;
  relative: number;
  /** For a timer's remaining time in a snapshot. */
  timer: Micros;
}

export const DEFAULT_TOLERANCE: Tolerance = { absolute: 150_000, relative: 0.1, timer: 2_000_000 };

/** nstat counters both sides are expected to keep (a missing one counts as 0). */
export const COMPARED_COUNTERS = [
  'TcpActiveOpens',
  'TcpPassiveOpens',
  'TcpAttemptFails',
  'TcpEstabResets',
  'TcpOutRsts',
  'TcpExtTW',
  'TcpExtTWRecycled',
  'TcpExtTWKilled',
  'TcpExtTCPTimeWaitOverflow',
  'TcpExtTCPAbortOnData',
  'TcpExtTCPAbortOnClose',
] as const;

export interface CompareOptions {
  tolerance?: Partial<Tolerance>;
  /** Counters to compare (default COMPARED_COUNTERS). */
  counters?: readonly string[];
  /** Leave out Recv-Q/Send-Q (default false). */
  ignoreQueues?: boolean;
  /** Leave out timers in snapshots (default false). */
  ignoreTimers?: boolean;
  /** Leave out the durations of blocking calls (default false). */
  ignoreTimings?: boolean;
  /** Names of the two sides in messages. */
  names?: [string, string];
}

/**
 * Every observable difference between `a` and `b` (normally the kernel and the simulator), as lines a
 * person can read: 'at 1.05s client: 10.0.0.1:eph1 → 10.0.0.2:80 is FIN_WAIT_2 on the kernel,
 * TIME_WAIT on the simulator'. Ephemeral ports are replaced by their order of use on each side
 * (eph1 is the first ephemeral port a host's calls got), so the kernel's random choice and the
 * simulator's seeded one compare equal when they play the same role.
 */
export function compareObservations(
  scenario: Scenario,
  a: Observation,
  b: Observation,
  options: CompareOptions = {},
): string[] {
  const tol: Tolerance = { ...DEFAULT_TOLERANCE, ...options.tolerance };
  const [na, nb] = options.names ?? ['kernel', 'simulator'];
  const out: string[] = [];
  const owner = ipOwners(scenario);
  const la = portLabels(scenario, a, owner);
  const lb = portLabels(scenario, b, owner);

  // Calls, step by step.
  const callsA = byStep(a.calls);
  const callsB = byStep(b.calls);
  for (const step of scenario.script) {
    const ca = callsA.get(step.index);
    const cb = callsB.get(step.index);
    const what = describeStep(step);
    if (!ca || !cb) {
      if (ca || cb) out.push(`${what}: no record on the ${ca ? nb : na}`);
      continue;
    }
    if (ca.result !== cb.result)
      out.push(`${what}: returned ${ca.result} on the ${na}, ${cb.result} on the ${nb}`);
    const pa = ca.port === undefined ? undefined : portRole(scenario, a, ca);
    const pb = cb.port === undefined ? undefined : portRole(scenario, b, cb);
    if (pa !== undefined && pb !== undefined && pa !== pb)
      out.push(`${what}: got ${pa} on the ${na}, ${pb} on the ${nb} (port choice)`);
    if ((ca.data ?? '') !== (cb.data ?? '') && (ca.data !== undefined || cb.data !== undefined))
      out.push(
        `${what}: read ${JSON.stringify(ca.data)} on the ${na}, ${JSON.stringify(cb.data)} on the ${nb}`,
      );
    if (!options.ignoreTimings && ca.result !== 'pending' && cb.result !== 'pending') {
      const da = ca.doneAt - ca.at;
      const db = cb.doneAt - cb.at;
      const blocked = da > tol.absolute || db > tol.absolute;
      if (blocked && Math.abs(da - db) > Math.max(tol.absolute, tol.relative * Math.max(da, db)))
        out.push(`${what}: returned after ${secs(da)} on the ${na}, ${secs(db)} on the ${nb}`);
    }
  }

  // Socket tables.
  const snapsA = bySnapshot(a);
  const snapsB = bySnapshot(b);
  const keys = [...new Set([...snapsA.keys(), ...snapsB.keys()])].sort(
    (x, y) => Number(x.split('|')[0]) - Number(y.split('|')[0]) || x.localeCompare(y),
  );
  for (const key of keys) {
    const [atText, host = ''] = key.split('|');
    const where = `at ${secs(Number(atText))} ${host}`;
    const ra = snapsA.get(key);
    const rb = snapsB.get(key);
    if (!ra || !rb) {
      out.push(`${where}: no socket table on the ${ra ? nb : na}`);
      continue;
    }
    const at = Number(atText);
    const rowsA = ra.map((r) => normalizeRow(r, connectionLabels(scenario, a, at), la, owner));
    const rowsB = rb.map((r) => normalizeRow(r, connectionLabels(scenario, b, at), lb, owner));
    const countsA = stateCounts(rowsA);
    const countsB = stateCounts(rowsB);
    for (const state of [...new Set([...countsA.keys(), ...countsB.keys()])].sort()) {
      const x = countsA.get(state) ?? 0;
      const y = countsB.get(state) ?? 0;
      if (x !== y) out.push(`${where}: ${x} ${state} on the ${na}, ${y} on the ${nb}`);
    }
    out.push(...compareRows(where, rowsA, rowsB, tol, options, na, nb));
  }

  // Counters at the end.
  const hosts = Object.keys(scenario.hosts);
  for (const host of hosts) {
    for (const name of options.counters ?? COMPARED_COUNTERS) {
      const x = a.counters[host]?.[name] ?? 0;
      const y = b.counters[host]?.[name] ?? 0;
      if (x !== y) out.push(`${host} counter ${name}: ${x} on the ${na}, ${y} on the ${nb}`);
    }
  }

  // Bytes each named socket read.
  for (const key of [...new Set([...Object.keys(a.received), ...Object.keys(b.received)])].sort()) {
    const x = a.received[key] ?? '';
    const y = b.received[key] ?? '';
    if (x !== y)
      out.push(`${key} received ${JSON.stringify(x)} on the ${na}, ${JSON.stringify(y)} on the ${nb}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Allow-list: known, understood differences, each with its reason.

export interface Allowance {
  /** Matched against each difference line. */
  match: RegExp;
  reason: string;
}

export interface Verdict {
  unexpected: string[];
  allowed: { difference: string; reason: string }[];
  /** Allowances that matched nothing this run (stale, or the difference is timing-dependent). */
  unused: Allowance[];
}

export function applyAllowances(differences: readonly string[], allow: readonly Allowance[]): Verdict {
  const used = new Set<Allowance>();
  const unexpected: string[] = [];
  const allowed: Verdict['allowed'] = [];
  for (const d of differences) {
    const hit = allow.find((x) => x.match.test(d));
    if (hit) {
      used.add(hit);
      allowed.push({ difference: d, reason: hit.reason });
    } else unexpected.push(d);
  }
  return { unexpected, allowed, unused: allow.filter((x) => !used.has(x)) };
}

// ---------------------------------------------------------------------------------------------------

type Labels = Map<string, string>;

function ipOwners(scenario: Scenario): Map<string, string> {
  const m = new Map<string, string>();
  for (const [name, h] of Object.entries(scenario.hosts))
    for (const ip of [h.ip, ...h.extraIps]) m.set(ip, name);
  return m;
}

/**
 * Ports the scenario names (bind/connect addresses) keep their number; every other port a host's
 * calls got is ephemeral and becomes 'eph1', 'eph2', … in order of first use on that host. Ports that
 * only show up in socket tables are labelled after those, in order of appearance.
 */
function portLabels(scenario: Scenario, obs: Observation, owner: Map<string, string>): Labels {
  const named = new Set<number>();
  for (const step of scenario.script) if (step.addr && step.addr.port !== 0) named.add(step.addr.port);
  const labels: Labels = new Map();
  const next = new Map<string, number>();
  const label = (host: string, port: number) => {
    if (named.has(port)) return;
    const key = `${host}:${port}`;
    if (labels.has(key)) return;
    const n = (next.get(host) ?? 0) + 1;
    next.set(host, n);
    labels.set(key, `eph${n}`);
  };
  for (const c of obs.calls) if (c.port !== undefined && c.result !== 'EADDRNOTAVAIL') label(c.host, c.port);
  for (const snap of [...obs.snapshots].sort((x, y) => x.at - y.at)) {
    for (const row of snap.sockets) {
      for (const addr of [row.local, row.remote]) {
        const [ip, port] = splitAddr(addr);
        const host = owner.get(ip);
        if (host !== undefined && port !== undefined) label(host, port);
      }
    }
  }
  return labels;
}

function splitAddr(addr: string): [string, number | undefined] {
  const i = addr.lastIndexOf(':');
  const port = Number(addr.slice(i + 1));
  return [addr.slice(0, i), Number.isInteger(port) ? port : undefined];
}

function portText(labels: Labels, host: string, port: number): string {
  return labels.get(`${host}:${port}`) ?? String(port);
}

function normalizeAddr(addr: string, labels: Labels, owner: Map<string, string>): string {
  const [ip, port] = splitAddr(addr);
  if (port === undefined) return addr;
  const host = owner.get(ip);
  return host === undefined ? addr : `${ip}:${portText(labels, host, port)}`;
}

/**
 * A connection's client-side port, named after the socket whose connect() made it: 'ip:port → dst'
 * becomes 'ip:<c3> → dst' when c3's connect to dst got that port (the latest such connect at or
 * before the snapshot). Which free port Linux picks is a keyed hash (RFC 6056 Algorithm 4), so two
 * correct implementations may choose different ones; the socket that owns the connection is what an
 * observer compares.
 */
function connectionLabels(scenario: Scenario, obs: Observation, at: Micros): Map<string, string> {
  const m = new Map<string, string>();
  const steps = new Map(scenario.script.map((s) => [s.index, s]));
  for (const c of obs.calls) {
    const step = steps.get(c.step);
    if (c.call !== 'connect' || c.port === undefined || !step?.addr || c.at > at) continue;
    const ip = scenario.hosts[c.host]?.ip;
    const dst = `${step.addr.ip}:${step.addr.port}`;
    // The local address is the bound one or the host's primary; the port alone is the key's anchor.
    m.set(`${c.port}|${dst}`, `<${step.fd ?? '?'}>`);
    if (ip) m.set(`${ip}:${c.port}|${dst}`, `<${step.fd ?? '?'}>`);
  }
  return m;
}

function normalizeRow(
  row: SocketRow,
  connections: Map<string, string>,
  labels: Labels,
  owner: Map<string, string>,
): SocketRow {
  if (row.state === 'LISTEN')
    return { ...row, local: normalizeAddr(row.local, labels, owner), remote: '*:*' };
  const [lip, lport] = splitAddr(row.local);
  const [rip, rport] = splitAddr(row.remote);
  // This side opened the connection: local port → the socket that connected to `remote`.
  const outgoing = connections.get(`${lport}|${row.remote}`);
  if (outgoing) return { ...row, local: `${lip}:${outgoing}`, remote: row.remote };
  // The peer opened it: the remote port → the peer's socket that connected to our `local`.
  const incoming = connections.get(`${rport}|${row.local}`);
  if (incoming) return { ...row, local: row.local, remote: `${rip}:${incoming}` };
  return {
    ...row,
    local: normalizeAddr(row.local, labels, owner),
    remote: normalizeAddr(row.remote, labels, owner),
  };
}

/** 'port 80' for a port the scenario names; otherwise whether the ephemeral port was new or reused. */
function portRole(scenario: Scenario, obs: Observation, call: CallRecord): string {
  const port = call.port as number;
  const named = scenario.script.some((s) => s.addr?.port === port && s.addr.port !== 0);
  if (named) return `port ${port}`;
  const earlier = obs.calls.some(
    (c) => c !== call && c.host === call.host && c.port === port && c.at <= call.at && c.step < call.step,
  );
  return earlier ? 'an ephemeral port used before' : 'a new ephemeral port';
}

function stateCounts(rows: readonly SocketRow[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) if (r.state !== 'CLOSED') m.set(r.state, (m.get(r.state) ?? 0) + 1);
  return m;
}

function compareRows(
  where: string,
  rowsA: SocketRow[],
  rowsB: SocketRow[],
  tol: Tolerance,
  options: CompareOptions,
  na: string,
  nb: string,
): string[] {
  const out: string[] = [];
  const group = (rows: SocketRow[]) => {
    const m = new Map<string, SocketRow[]>();
    for (const r of rows) {
      if (r.state === 'CLOSED') continue;
      const k = `${r.local} → ${r.remote}`;
      m.set(k, [...(m.get(k) ?? []), r]);
    }
    return m;
  };
  const ga = group(rowsA);
  const gb = group(rowsB);
  const onlyA: SocketRow[] = [];
  const onlyB: SocketRow[] = [];
  for (const k of [...new Set([...ga.keys(), ...gb.keys()])].sort()) {
    const byFd = (x: SocketRow, y: SocketRow) => (x.fd ?? '').localeCompare(y.fd ?? '');
    const xs = (ga.get(k) ?? []).sort(byFd);
    const ys = (gb.get(k) ?? []).sort(byFd);
    const n = Math.max(xs.length, ys.length);
    for (let i = 0; i < n; i++) {
      const x = xs[i];
      const y = ys[i];
      if (!x || !y) {
        (x ? onlyA : onlyB).push(x ?? (y as SocketRow));
        continue;
      }
      if (x.state !== y.state) {
        out.push(`${where}: ${k} is ${x.state} on the ${na}, ${y.state} on the ${nb}`);
        continue;
      }
      const row = `${where}: ${k} ${x.state}`;
      if ((x.fd ?? '') !== (y.fd ?? ''))
        out.push(`${row}: owned by ${x.fd ?? 'no fd'} on the ${na}, ${y.fd ?? 'no fd'} on the ${nb}`);
      if (!options.ignoreQueues) {
        if (x.recvQ !== y.recvQ) out.push(`${row}: Recv-Q ${x.recvQ} on the ${na}, ${y.recvQ} on the ${nb}`);
        if (x.state !== 'LISTEN' && x.sendQ !== y.sendQ)
          out.push(`${row}: Send-Q ${x.sendQ} on the ${na}, ${y.sendQ} on the ${nb}`);
      }
      if (!options.ignoreTimers) {
        const ka = x.timer?.kind ?? 'none';
        const kb = y.timer?.kind ?? 'none';
        if (ka !== kb) out.push(`${row}: timer ${ka} on the ${na}, ${kb} on the ${nb}`);
        else if (
          x.timer &&
          y.timer &&
          ka === 'timewait' &&
          Math.abs(x.timer.remaining - y.timer.remaining) > tol.timer
        )
          out.push(
            `${row}: timer ${secs(x.timer.remaining)} left on the ${na}, ${secs(y.timer.remaining)} on the ${nb}`,
          );
      }
    }
  }
  // Rows left over on both sides that differ only in which ephemeral port a connection got: the
  // same connection shape (state, owner, addresses with the socket labels taken out).
  const shape = (r: SocketRow) =>
    `${r.state}|${r.fd ?? ''}|${r.local.replace(/:<[^>]*>$/, ':*')}|${r.remote.replace(/:<[^>]*>$/, ':*')}`;
  for (const x of [...onlyA]) {
    const j = onlyB.findIndex((y) => shape(y) === shape(x));
    if (j < 0) continue;
    const y = onlyB[j] as SocketRow;
    onlyB.splice(j, 1);
    onlyA.splice(onlyA.indexOf(x), 1);
    out.push(
      `${where}: ${x.state} ${x.local} → ${x.remote} on the ${na} is ${y.local} → ${y.remote} on the ${nb} (port choice)`,
    );
  }
  for (const r of onlyA) out.push(`${where}: ${r.local} → ${r.remote} ${r.state} only on the ${na}`);
  for (const r of onlyB) out.push(`${where}: ${r.local} → ${r.remote} ${r.state} only on the ${nb}`);
  return out;
}

function byStep(calls: readonly CallRecord[]): Map<number, CallRecord> {
  const m = new Map<number, CallRecord>();
  for (const c of calls) if (c.step >= 0 && !m.has(c.step)) m.set(c.step, c);
  return m;
}

function bySnapshot(obs: Observation): Map<string, SocketRow[]> {
  const m = new Map<string, SocketRow[]>();
  for (const s of obs.snapshots) m.set(`${s.at}|${s.host}`, s.sockets);
  return m;
}

function describeStep(step: Scenario['script'][number]): string {
  const args = [step.fd ?? step.as, step.addr && `${step.addr.ip}:${step.addr.port}`, step.option]
    .filter(Boolean)
    .join(', ');
  return `step ${step.index} (${secs(step.at)}) ${step.host} ${step.call}(${args})`;
}

function secs(us: Micros): string {
  return `${Number((us / 1e6).toFixed(3))}s`;
}
