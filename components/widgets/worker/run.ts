// One playground run: parse the scenario JSON, run it in slices of simulated time (reporting progress
// between slices, and checking whether to stop), and reduce it to what the page shows: counters over
// time, the connect() log, an `ss` summary per host. The same code runs inside the Web Worker
// (sim.worker.ts) for load runs and on the main thread for small scripted runs, so both give identical
// results. Only small, structured-clone-friendly data leaves this module: a 3 × 10⁵-connection run
// would otherwise ship its whole socket table to the page.

// Load scenarios: registers the load generator with createSimulation() (src/sim/load-hook.ts).
import '../../../src/sim/load.ts';
import { PROFILES } from '../../../src/sim/profiles.ts';
import { parseScenario, ScenarioError } from '../../../src/sim/scenario.ts';
import { createSimulation } from '../../../src/sim/simulation.ts';
import { ssTable } from '../../../src/sim/ss-table.ts';
import type { Micros, ProfileName, Scenario, SocketRow, TcpState } from '../../../src/sim/types.ts';

export type CounterKind = 'timeWait' | 'portsInUse' | 'failures';

export interface CounterSeries {
  host: string;
  kind: CounterKind;
  t: number[];
  v: number[];
}

export interface ConnectRecord {
  at: Micros;
  host: string;
  fd?: string;
  result: string;
  port?: number;
}

export interface SsSummary {
  host: string;
  /** Sockets per state at the end of the run (listeners included). */
  counts: Partial<Record<TcpState, number>>;
  total: number;
  /** The first rows in `ss -tan -o` layout. */
  head: string;
}

export interface LoadInfo {
  client: string;
  server: string;
  closer: 'client' | 'server';
  rate: number;
  start: Micros;
  duration: Micros;
  connects: number;
  failures: number;
  /** When the first connect() failed (EADDRNOTAVAIL when no 4-tuple is free). */
  firstFailure?: Micros;
  /** Distinct 4-tuples the client can use towards the destinations (ports × addresses). */
  tuples: number;
  /** tcp_max_tw_buckets of the closing host. */
  maxTw: number;
}

export interface PlaygroundResult {
  name: string;
  until: Micros;
  hosts: string[];
  profile: ProfileName;
  /** How long TIME_WAIT lasts in this profile (Linux: TCP_TIMEWAIT_LEN, 60 s). */
  timeWait: Micros;
  series: CounterSeries[];
  connects: ConnectRecord[];
  /** Connect calls beyond the ones listed. */
  connectsOmitted: number;
  load?: LoadInfo;
  ss: SsSummary[];
  stats: { events: number; segments: number; connections: number };
  wallMs: number;
}

export interface Progress {
  /** 0…1 of the simulated time. */
  fraction: number;
  now: Micros;
}

export interface RunHooks {
  onProgress?: (p: Progress) => void;
  /** Checked between slices; true stops the run with a CancelledError. */
  shouldStop?: () => boolean;
  /** Slices of simulated time (default 100). */
  slices?: number;
}

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

export type Outcome = { ok: true; result: PlaygroundResult } | { ok: false; problems: string[] };

/** Parse, run and summarise; scenario problems come back as a list (each names its JSON path). */
export function runPlayground(json: unknown, hooks: RunHooks = {}): Outcome {
  let scenario: Scenario;
  try {
    scenario = parseScenario(json, 'scenario');
  } catch (e) {
    if (e instanceof ScenarioError) return { ok: false, problems: [...e.problems] };
    return { ok: false, problems: [e instanceof Error ? e.message : String(e)] };
  }
  return { ok: true, result: runParsed(scenario, hooks) };
}

const MAX_CONNECT_LOG = 200;
const MAX_SCRIPT_STEPS = 100_000;
const SS_HEAD_ROWS = 8;

function sysctlOf(s: Scenario, host: string, key: 'net.ipv4.tcp_max_tw_buckets'): number {
  return s.hosts[host]?.sysctl[key] ?? PROFILES[s.profile].sysctl[key];
}

export function runParsed(scenario: Scenario, hooks: RunHooks = {}): PlaygroundResult {
  const started = Date.now();
  const sim = createSimulation(scenario);
  const hosts = Object.keys(scenario.hosts);
  const until = scenario.until;
  const series: CounterSeries[] = [];
  const load = scenario.load;

  if (load === undefined) {
    // A scripted run: follow it instant by instant, recording a point whenever a counter changes.
    const tw = hosts.map((host) => ({ host, kind: 'timeWait' as const, t: [0], v: [0] }));
    const ports = hosts.map((host) => ({ host, kind: 'portsInUse' as const, t: [0], v: [0] }));
    const fails: CounterSeries = { host: hosts[0] ?? '', kind: 'failures', t: [0], v: [0] };
    let failed = 0;
    let seenCalls = 0;
    const record = (s: CounterSeries, t: number, v: number) => {
      const i = s.v.length - 1;
      if (s.v[i] === v) return;
      if (s.t[i] === t) s.v[i] = v;
      else {
        s.t.push(t);
        s.v.push(v);
      }
    };
    let steps = 0;
    let lastReport = 0;
    while (steps < MAX_SCRIPT_STEPS && sim.step()) {
      steps++;
      const t = sim.now;
      hosts.forEach((h, i) => {
        const rows = sim.sockets(h);
        record(tw[i] as CounterSeries, t, rows.filter((r) => r.state === 'TIME_WAIT').length);
        record(ports[i] as CounterSeries, t, localPorts(rows));
      });
      const calls = sim.calls;
      for (; seenCalls < calls.length; seenCalls++) {
        const c = calls[seenCalls];
        if (c && c.call === 'connect' && c.result !== '0' && c.result !== 'pending') failed++;
      }
      record(fails, t, failed);
      if (t - lastReport >= until / (hooks.slices ?? 100)) {
        lastReport = t;
        if (hooks.shouldStop?.()) throw new CancelledError();
        hooks.onProgress?.({ fraction: Math.min(1, t / until), now: t });
      }
    }
    sim.runUntil(until);
    series.push(...tw.filter((s) => s.v.some((v) => v > 0)));
    // Ports in use matter for the hosts that call connect() (a server's accepted sockets share its port).
    const connecting = new Set(sim.calls.filter((c) => c.call === 'connect').map((c) => c.host));
    series.push(...ports.filter((s) => connecting.has(s.host)));
    series.push(fails);
  } else {
    // A load run: slices of simulated time; the load generator samples the counters itself.
    const slices = Math.max(1, hooks.slices ?? 100);
    for (let i = 1; i <= slices; i++) {
      if (hooks.shouldStop?.()) throw new CancelledError();
      const t = Math.round((until * i) / slices);
      sim.runUntil(t);
      hooks.onProgress?.({ fraction: i / slices, now: t });
    }
    const by = (host: string, kind: CounterKind): CounterSeries => ({ host, kind, t: [], v: [] });
    const twC = by(load.client, 'timeWait');
    const twS = by(load.server, 'timeWait');
    const portsC = by(load.client, 'portsInUse');
    const fails = by(load.client, 'failures');
    for (const s of sim.samples) {
      if (s.host === load.client) {
        twC.t.push(s.t);
        twC.v.push(s.timeWait);
        portsC.t.push(s.t);
        portsC.v.push(s.portsInUse);
        fails.t.push(s.t);
        fails.v.push(s.connectFailures);
      } else if (s.host === load.server) {
        twS.t.push(s.t);
        twS.v.push(s.timeWait);
      }
    }
    series.push(twC, twS, portsC, fails);
  }

  const connects: ConnectRecord[] = [];
  let connectsOmitted = 0;
  for (const c of sim.calls) {
    if (c.call !== 'connect') continue;
    if (connects.length >= MAX_CONNECT_LOG) {
      connectsOmitted++;
      continue;
    }
    connects.push({
      at: c.at,
      host: c.host,
      result: c.result,
      ...(c.fd !== undefined ? { fd: c.fd } : {}),
      ...(c.port !== undefined ? { port: c.port } : {}),
    });
  }

  const ss: SsSummary[] = hosts.map((host) => {
    const rows = sim.sockets(host);
    const counts: Partial<Record<TcpState, number>> = {};
    for (const r of rows) counts[r.state] = (counts[r.state] ?? 0) + 1;
    return { host, counts, total: rows.length, head: ssTable(rows.slice(0, SS_HEAD_ROWS)) };
  });

  let loadInfo: LoadInfo | undefined;
  if (load !== undefined) {
    const last = [...sim.samples].reverse().find((s) => s.host === load.client);
    const failSeries = series.find((s) => s.kind === 'failures');
    let firstFailure: number | undefined;
    if (failSeries) {
      const i = failSeries.v.findIndex((v) => v > 0);
      if (i >= 0) firstFailure = failSeries.t[i];
    }
    const range =
      scenario.hosts[load.client]?.sysctl['net.ipv4.ip_local_port_range'] ??
      PROFILES[scenario.profile].sysctl['net.ipv4.ip_local_port_range'];
    const dsts = Math.max(1, load.dstIps.length) * Math.max(1, load.dstPorts.length);
    const closerHost = load.closer === 'client' ? load.client : load.server;
    loadInfo = {
      client: load.client,
      server: load.server,
      closer: load.closer,
      rate: load.rate,
      start: load.start,
      duration: load.duration,
      connects: last?.connects ?? 0,
      failures: last?.connectFailures ?? 0,
      ...(firstFailure !== undefined ? { firstFailure } : {}),
      tuples: (range[1] - range[0] + 1) * dsts * Math.max(1, load.srcIps.length),
      maxTw: sysctlOf(scenario, closerHost, 'net.ipv4.tcp_max_tw_buckets'),
    };
  }

  return {
    name: scenario.name,
    until,
    hosts,
    profile: scenario.profile,
    timeWait: PROFILES[scenario.profile].timeWait,
    series,
    connects,
    connectsOmitted,
    ...(loadInfo ? { load: loadInfo } : {}),
    ss,
    stats: { ...sim.stats },
    wallMs: Date.now() - started,
  };
}

/** Distinct local ports a host's sockets hold (what `ip_local_port_range` runs out of). */
function localPorts(rows: readonly SocketRow[]): number {
  const set = new Set<string>();
  for (const r of rows) if (r.state !== 'LISTEN') set.add(r.local.slice(r.local.lastIndexOf(':') + 1));
  return set.size;
}
