// Checking a scenario's expectations against what an observer saw. The same check runs on the
// simulator's Observation and on one recorded from the real kernel, so it looks only at Observation.

import { formatDuration } from './duration.ts';
import type { Comparison, Expectation, Micros, Observation, Scenario, SocketRow } from './types.ts';

/** Counters at instants other than the end, which observe() records when an expectation asks for them. */
export interface CounterSnapshot {
  at: Micros;
  host: string;
  counters: Record<string, number>;
}

export type CheckedObservation = Observation & { counterSnapshots?: CounterSnapshot[] };

export interface CheckResult {
  ok: boolean;
  failures: string[];
}

export function checkExpectations(scenario: Scenario, observation: CheckedObservation): CheckResult {
  const failures: string[] = [];
  scenario.expect.forEach((e, i) => {
    const problem = check(scenario, observation, e);
    if (problem !== undefined) failures.push(`expect[${i}] ${describeExpectation(e)}: ${problem}`);
  });
  return { ok: failures.length === 0, failures };
}

/** One line a person recognises: 'client at 1s: socket → 10.0.0.2:80 in TIME_WAIT'. */
export function describeExpectation(e: Expectation): string {
  switch (e.kind) {
    case 'state': {
      const which = [e.local && `local ${e.local}`, e.remote && `remote ${e.remote}`]
        .filter(Boolean)
        .join(', ');
      return `${e.host} at ${formatDuration(e.at)}: ${which ? `socket (${which})` : 'a socket'} ${e.state === 'NONE' ? 'absent' : `in ${e.state}`}`;
    }
    case 'count':
      return `${e.host} at ${formatDuration(e.at)}: ${e.state} count ${opText(e.op)} ${e.value}`;
    case 'call':
      return `script[${e.step}] returns ${e.result}`;
    case 'counter':
      return `${e.host} at ${e.at === 'end' ? 'end' : formatDuration(e.at)}: ${e.counter} ${opText(e.op)} ${e.value}`;
    case 'received':
      return `${e.host}/${e.fd} received ${JSON.stringify(e.data)}`;
  }
}

function opText(op: Comparison): string {
  return op === 'equals' ? '=' : op === 'atLeast' ? '≥' : '≤';
}

export function compare(op: Comparison, seen: number, value: number): boolean {
  return op === 'equals' ? seen === value : op === 'atLeast' ? seen >= value : seen <= value;
}

function snapshotAt(observation: Observation, host: string, at: Micros): SocketRow[] | undefined {
  // The latest snapshot at or before `at` taken after every event of that instant (observe() takes one
  // exactly at each expectation instant, so this is normally an exact match).
  let best: { at: Micros; sockets: SocketRow[] } | undefined;
  for (const s of observation.snapshots) {
    if (s.host === host && s.at <= at && (best === undefined || s.at >= best.at)) best = s;
  }
  return best?.sockets;
}

function rowText(r: SocketRow): string {
  return `${r.state} ${r.local} → ${r.remote}`;
}

function check(scenario: Scenario, observation: CheckedObservation, e: Expectation): string | undefined {
  switch (e.kind) {
    case 'state': {
      const rows = snapshotAt(observation, e.host, e.at);
      if (rows === undefined) return `no snapshot of ${e.host} at ${formatDuration(e.at)}`;
      const matching = rows.filter(
        (r) =>
          (e.local === undefined || r.local === e.local) && (e.remote === undefined || r.remote === e.remote),
      );
      if (e.state === 'NONE') {
        return matching.length === 0 ? undefined : `found ${matching.map(rowText).join('; ')}`;
      }
      if (matching.some((r) => r.state === e.state)) return undefined;
      if (matching.length === 0) {
        return rows.length === 0
          ? 'the host had no sockets'
          : `no matching socket; the host had ${rows.slice(0, 6).map(rowText).join('; ')}${rows.length > 6 ? '; …' : ''}`;
      }
      return `found ${matching.map(rowText).join('; ')}`;
    }
    case 'count': {
      const rows = snapshotAt(observation, e.host, e.at);
      if (rows === undefined) return `no snapshot of ${e.host} at ${formatDuration(e.at)}`;
      const seen = rows.filter((r) => r.state === e.state).length;
      return compare(e.op, seen, e.value) ? undefined : `counted ${seen}`;
    }
    case 'call': {
      const record = observation.calls.find((c) => c.step === e.step);
      if (record === undefined) return 'the step never ran';
      return record.result === e.result ? undefined : `returned ${record.result}`;
    }
    case 'counter': {
      let counters: Record<string, number> | undefined;
      if (e.at === 'end' || e.at >= scenario.until) counters = observation.counters[e.host];
      else {
        const at = e.at;
        counters = observation.counterSnapshots?.find((s) => s.host === e.host && s.at === at)?.counters;
        if (counters === undefined) return `no counters of ${e.host} recorded at ${formatDuration(at)}`;
      }
      const seen = counters?.[e.counter] ?? 0;
      return compare(e.op, seen, e.value) ? undefined : `was ${seen}`;
    }
    case 'received': {
      const seen = observation.received[`${e.host}/${e.fd}`] ?? '';
      return seen === e.data ? undefined : `received ${JSON.stringify(seen)}`;
    }
  }
}
