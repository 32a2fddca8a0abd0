// A scripted run, exported: the JSON document (a stable, versioned shape, below), the plain-text
// report and the .pcap capture. Pure (no DOM, no Node APIs): the playground offers them as downloads
// and the CLI writes the capture with `--pcap`.
//
// The JSON document, version 1 ("timewait-guide/run"):
//   format     "timewait-guide/run"
//   version    1 (a change that removes or renames a field bumps it; new fields may be added)
//   kind       "trace": a scripted run, everything below is present
//   scenario   the scenario JSON exactly as it was run (before defaults are filled in)
//   name       the scenario's name
//   profile    the behaviour profile (linux, linux-4.11, …)
//   seed       the seed used (the same scenario and seed give the same run, byte for byte)
//   until      the simulated end of the run, in microseconds
//   stats      { events, segments, connections }
//   calls      every socket call and its result (types.ts CallRecord), times in microseconds
//   sockets    { host: `ss -tan -o` rows at the end (types.ts SocketRow) }
//   counters   { host: { nstat counter: value } } at the end
//   received   { "host/fd": what recv() returned }
//   events     the whole event log (types.ts SimEvent): segments sent, received, dropped, duplicated,
//              state changes, timers, calls; payloads are binary strings (one char per byte)
// The playground's load runs export a "counters" kind instead (components/widgets/playground/downloads.ts).

import { observe } from '../sim/observation.ts';
import { tcpdumpLines } from '../sim/observe.ts';
import { formatSeconds } from '../sim/seconds.ts';
import { ssTable } from '../sim/ss-table.ts';
import type { CallRecord, Scenario, SimEvent, SocketRow } from '../sim/types.ts';
import { pcapOfEvents } from './pcap.ts';

export const RUN_FORMAT = 'timewait-guide/run';
export const RUN_FORMAT_VERSION = 1;

export interface RunDocument {
  format: typeof RUN_FORMAT;
  version: typeof RUN_FORMAT_VERSION;
  kind: 'trace';
  scenario: unknown;
  name: string;
  profile: string;
  seed: number;
  until: number;
  stats: { events: number; segments: number; connections: number };
  calls: CallRecord[];
  sockets: Record<string, SocketRow[]>;
  counters: Record<string, Record<string, number>>;
  received: Record<string, string>;
  events: SimEvent[];
}

/** A section of the text report that the caller adds (the playground adds its transcript). */
export interface TextSection {
  title: string;
  lines: string[];
}

export interface RunExport {
  document: RunDocument;
  /** The report: calls, tcpdump lines, final `ss` tables, counters. */
  text(extra?: readonly TextSection[]): string;
  pcap(): Uint8Array;
}

/** Scripted runs only: a load run's event log is millions of events (the playground exports its counters). */
export function exportRun(scenarioJson: unknown, scenario: Scenario, seed = scenario.seed): RunExport {
  if (scenario.load)
    throw new RangeError(
      `export: scenario "${scenario.name}" has a load generator; its trace is too large to export`,
    );
  const result = observe(scenario, { seed });
  const sim = result.simulation;
  const hosts = Object.keys(scenario.hosts);
  const sockets: Record<string, SocketRow[]> = {};
  for (const h of hosts) sockets[h] = sim.sockets(h);
  const document: RunDocument = {
    format: RUN_FORMAT,
    version: RUN_FORMAT_VERSION,
    kind: 'trace',
    scenario: scenarioJson,
    name: scenario.name,
    profile: scenario.profile,
    seed,
    until: scenario.until,
    stats: { ...sim.stats },
    calls: result.observation.calls,
    sockets,
    counters: result.observation.counters,
    received: result.observation.received,
    events: result.events,
  };
  return {
    document,
    text: (extra = []) => runText(document, extra),
    pcap: () => pcapOfEvents(result.events),
  };
}

/** The name a download gets: `timewait-<scenario>-seed<N>.<ext>`, safe on every file system. */
export function exportFileName(name: string, seed: number, ext: string): string {
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'scenario';
  return `timewait-${slug}-seed${seed}.${ext}`;
}

function callLine(c: CallRecord): string {
  const extra = [
    c.port !== undefined ? `port ${c.port}` : '',
    c.data !== undefined ? `data ${JSON.stringify(c.data)}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const took = c.doneAt !== c.at ? ` (returned at ${formatSeconds(c.doneAt)})` : '';
  return `${formatSeconds(c.at)}  ${c.step >= 0 ? `[${c.step}] ` : ''}${c.host} ${c.call}${c.fd ? `(${c.fd})` : ''} → ${c.result}${took}${extra ? `  ${extra}` : ''}`;
}

function runText(d: RunDocument, extra: readonly TextSection[]): string {
  const out: string[] = [];
  const section = (title: string, lines: readonly string[]) => {
    out.push('', `## ${title}`, ...(lines.length ? lines : ['(none)']));
  };
  out.push(
    `# ${d.name}`,
    `profile ${d.profile}, seed ${d.seed}, until ${formatSeconds(d.until)} s`,
    `${d.stats.events} events, ${d.stats.segments} segments, ${d.stats.connections} connections`,
  );
  section('Calls', d.calls.map(callLine));
  section('Packets (tcpdump -n, seconds since the start, relative sequence numbers)', tcpdumpLines(d.events));
  for (const [host, rows] of Object.entries(d.sockets))
    section(`${host}: sockets at ${formatSeconds(d.until)} s (ss -tan -o)`, ssTable(rows).split('\n'));
  section(
    'Counters at the end (non-zero, nstat)',
    Object.entries(d.counters).map(([host, counters]) => {
      const nonZero = Object.entries(counters).filter(([, v]) => v !== 0);
      return `${host}: ${nonZero.length ? nonZero.map(([k, v]) => `${k}=${v}`).join(' ') : '(none)'}`;
    }),
  );
  for (const s of extra) section(s.title, s.lines);
  return `${out.join('\n')}\n`;
}
