// Running a parsed scenario for a widget, and the views at an instant t derived from its trace.
//
// The run goes to completion once (bounded), recording every event and, after each simulated instant,
// every host's `ss -tan` rows; every view at an instant t is then a lookup, so stepping back is as
// cheap as stepping forward. Dropping a segment re-runs from the start with one more drop fault: the
// simulator is deterministic (same scenario + seed ⇒ same trace), so the history before that segment
// is identical and only the future changes.
//
// This module imports the simulator's runtime and views but not its parser (parseScenario), so a page
// whose scenarios were parsed at build time does not ship the parser. `./parse.ts` adds it.

import { type SequenceData, sequenceData, tcpdumpLines } from '../../../src/sim/observe.ts';
import { createSimulation } from '../../../src/sim/simulation.ts';
import type {
  CallRecord,
  FaultSpec,
  Scenario,
  SimEvent,
  SocketRow,
  TcpState,
} from '../../../src/sim/types.ts';
import { type DelayPair, intervene, MAX_DELAY } from './interventions.ts';

export interface RunOptions {
  /** Override the scenario's seed. */
  seed?: number;
  /** Segment ids to drop (faults added to the scenario's own). */
  drops?: readonly number[];
  /** Segments to hold back: [id, extra µs] (delay faults added to the scenario's own). */
  delays?: readonly DelayPair[];
  /** Record socket tables after each instant (default true; a load run turns it off). */
  tables?: boolean;
  /** Bounds: stop after this many simulated instants or events (defaults 20 000 and 200 000). */
  maxSteps?: number;
  maxEvents?: number;
}

export interface TableSnapshot {
  t: number;
  rows: Record<string, SocketRow[]>;
}

export interface Run {
  scenario: Scenario;
  seed: number;
  drops: number[];
  delays: DelayPair[];
  events: SimEvent[];
  /** Distinct instants at which something happened, ascending. */
  instants: number[];
  /** Socket tables after each instant (empty when `tables` was false). */
  tables: TableSnapshot[];
  seq: SequenceData;
  /** Host names in the scenario's order. */
  hosts: string[];
  /** Lane ids (ip:port) in host order, then first appearance. */
  lanes: string[];
  /** Lane id → host name. */
  laneHost: Record<string, string>;
  /** Time of the last event. */
  end: number;
  /** True when a bound stopped the run before the scenario's end. */
  truncated: boolean;
}

/** A drop fault aimed at one segment of the run, by its id (SegmentMatch.id). */
export function dropFault(id: number): FaultSpec {
  return { kind: 'drop', match: { id, nth: 1 } };
}

/** A delay fault: segment `id` spends `by` µs more on the wire than its link's delay. */
export function delayFault(id: number, by: number): FaultSpec {
  return { kind: 'delay', match: { id, nth: 1 }, by };
}

export function runScenario(scenario: Scenario, opts: RunOptions = {}): Run {
  const seed = opts.seed ?? scenario.seed;
  const drops = [...new Set(opts.drops ?? [])].filter((d) => Number.isInteger(d) && d > 0);
  const delays = (opts.delays ?? []).filter(
    ([id, by]) =>
      Number.isInteger(id) &&
      id > 0 &&
      !drops.includes(id) &&
      Number.isInteger(by) &&
      by > 0 &&
      by <= MAX_DELAY,
  );
  const maxSteps = opts.maxSteps ?? 20_000;
  const maxEvents = opts.maxEvents ?? 200_000;
  const withTables = opts.tables !== false;
  const events: SimEvent[] = [];
  const run: Scenario = {
    ...scenario,
    seed,
    faults: [...scenario.faults, ...drops.map(dropFault), ...delays.map(([id, by]) => delayFault(id, by))],
  };
  const sim = createSimulation(run, { onEvent: (e) => events.push(e) });
  const hosts = Object.keys(run.hosts);
  const tables: TableSnapshot[] = [];
  const snapshot = (t: number) => {
    const rows: Record<string, SocketRow[]> = {};
    for (const h of hosts) rows[h] = sim.sockets(h);
    tables.push({ t, rows });
  };
  if (withTables) snapshot(0);
  let steps = 0;
  let truncated = false;
  for (;;) {
    if (steps >= maxSteps || events.length >= maxEvents) {
      truncated = true;
      break;
    }
    if (!sim.step()) break;
    steps++;
    if (withTables) {
      // Several steps can share an instant only at 0 (before and after the t=0 events).
      const last = tables[tables.length - 1];
      if (last !== undefined && last.t === sim.now) tables.pop();
      snapshot(sim.now);
    }
  }
  const instants: number[] = [];
  for (const e of events) if (instants[instants.length - 1] !== e.t) instants.push(e.t);
  const seq = sequenceData(events);
  const laneHost: Record<string, string> = {};
  for (const l of seq.lanes) if (l.host !== undefined) laneHost[l.id] = l.host;
  const order = (id: string) => {
    const h = laneHost[id];
    const i = h === undefined ? -1 : hosts.indexOf(h);
    return i < 0 ? hosts.length : i;
  };
  const lanes = seq.lanes.map((l) => l.id);
  lanes.sort((a, b) => order(a) - order(b));
  return {
    scenario: run,
    seed,
    drops,
    delays: [...delays],
    events,
    instants,
    tables,
    seq,
    hosts,
    lanes,
    laneHost,
    end: events.length > 0 ? (events[events.length - 1] as SimEvent).t : 0,
    truncated,
  };
}

// ---------------------------------------------------------------------------------------------------
// Views at an instant

/**
 * The instant the last segment arrives (or is sent, when it never arrives), within the run: where a
 * close has just finished, with TIME_WAIT under way. The close explorer and most labs open there.
 */
export function lastArrival(run: Run): number {
  let t = 0;
  for (const a of run.seq.arrows) t = Math.max(t, a.arrivedAt ?? a.sentAt);
  return Math.min(run.end, t);
}

/** The socket calls of a run, in the order they were made. */
export function callsOf(run: Run): CallRecord[] {
  const out: CallRecord[] = [];
  for (const e of run.events) if (e.type === 'call') out.push(e.record);
  return out;
}

/** Index of the first event after instant t (events are in time order). */
export function eventsBefore(run: Run, t: number): number {
  let lo = 0;
  let hi = run.events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((run.events[mid] as SimEvent).t <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `ss -tan -o` rows of `host` at instant t, timers counted down to t. */
export function tableAt(run: Run, host: string, t: number): SocketRow[] {
  let snap: TableSnapshot | undefined;
  for (const s of run.tables) {
    if (s.t <= t) snap = s;
    else break;
  }
  if (snap === undefined) return [];
  const elapsed = t - snap.t;
  return (snap.rows[host] ?? []).map((r) =>
    r.timer ? { ...r, timer: { ...r.timer, remaining: Math.max(0, r.timer.remaining - elapsed) } } : r,
  );
}

/** tcpdump-style lines of everything sent up to instant t. */
export function tcpdumpAt(run: Run, t: number, host?: string): string[] {
  const events = run.events.slice(0, eventsBefore(run, t));
  return tcpdumpLines(events, host === undefined ? {} : { host });
}

export interface LaneState {
  state: TcpState;
  /** The transition that led here, if any. */
  from?: TcpState;
  cause?: string;
  t?: number;
}

/** A lane's state at instant t: the last state change at or before t. */
export function laneStateAt(run: Run, lane: string, t: number): LaneState {
  let out: LaneState = { state: 'CLOSED' };
  for (const s of run.seq.states) {
    if (s.t > t) break;
    if (s.lane === lane) out = { state: s.to, from: s.from, cause: s.cause, t: s.t };
  }
  return out;
}

/** The next instant after t at which something happens (or t itself at the end). */
export function nextInstant(run: Run, t: number): number {
  for (const i of run.instants) if (i > t) return i;
  return Math.max(t, run.end);
}

/** The last instant before t at which something happened (0 at the start). */
export function prevInstant(run: Run, t: number): number {
  let out = 0;
  for (const i of run.instants) {
    if (i >= t) break;
    out = i;
  }
  return out;
}

/** Segments sent at or before t that have not arrived by t and were not dropped. */
export function inFlightAt(run: Run, t: number): number[] {
  return run.seq.arrows
    .filter((a) => a.sentAt <= t && a.dropped === undefined && (a.arrivedAt === undefined || a.arrivedAt > t))
    .map((a) => a.seg);
}

/** Add a drop of segment `id` to `drops` (see interventions.ts `intervene`, which also delays). */
export function addDrop(run: Run, drops: readonly number[], id: number): number[] {
  return intervene(run, { d: [...drops], y: [] }, id).d;
}
