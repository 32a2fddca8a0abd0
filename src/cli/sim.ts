// `npm run sim -- …`: run a scenario file and show what happened, check scenario files against their
// expectations, or print the scenario JSON Schema. Exit codes: 0 fine, 1 an expectation failed,
// 2 a bad scenario, an unreadable file or a usage error.

import '../sim/load.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pcapOfEvents } from '../export/pcap.ts';
import { formatDuration, formatSeconds, parseDurationResult } from '../sim/duration.ts';
import { checkExpectations } from '../sim/expect.ts';
import { observe } from '../sim/observation.ts';
import { tcpdumpLines, traceDigest } from '../sim/observe.ts';
import { parseScenario, ScenarioError, scenarioJsonSchema } from '../sim/scenario.ts';
import { ssTable } from '../sim/ss-table.ts';
import type { Scenario } from '../sim/types.ts';

const HELP = `Usage: npm run sim -- <command> [options]

Commands:
  run <scenario.json>   run a scenario and print what happened
      --seed N              override the scenario's seed
      --until T             stop at T (a duration: 500ms, 90s, 2min; a number is milliseconds)
      --format F            text (default) | json | ss | tcpdump
      --host H              tcpdump: only what host H's interface sees
      --pcap FILE           also write every segment sent as a libpcap capture (tcpdump -r FILE)
  check <files…>        run each scenario and check its expectations; exit 1 if one fails
  schema                print the JSON Schema of the scenario format

Exit codes: 0 success, 1 an expectation failed, 2 a bad scenario, unreadable file or bad usage.`;

class UsageError extends Error {}

function loadScenario(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ScenarioError([
      `${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ScenarioError([`${file}: not valid JSON (${(e as Error).message})`]);
  }
  return parseScenario(json, file);
}

function runCommand(args: string[]): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      seed: { type: 'string' },
      until: { type: 'string' },
      format: { type: 'string', default: 'text' },
      host: { type: 'string' },
      pcap: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('run needs exactly one scenario file');
  const format = values.format;
  if (!['text', 'json', 'ss', 'tcpdump'].includes(format)) {
    throw new UsageError(`--format must be one of text, json, ss, tcpdump, got "${format}"`);
  }
  let seed: number | undefined;
  if (values.seed !== undefined) {
    seed = Number(values.seed);
    if (!Number.isSafeInteger(seed) || seed < 0)
      throw new UsageError(`--seed must be a non-negative integer, got "${values.seed}"`);
  }
  let until: number | undefined;
  if (values.until !== undefined) {
    const r = parseDurationResult(/^\d+(\.\d+)?$/.test(values.until) ? Number(values.until) : values.until);
    if (!r.ok) throw new UsageError(`--until: ${r.error}, got "${values.until}"`);
    until = r.value;
  }
  const scenario = loadScenario(positionals[0] as string);
  if (values.host !== undefined && !(values.host in scenario.hosts)) {
    throw new UsageError(
      `--host must name a host of the scenario (${Object.keys(scenario.hosts).join(', ')})`,
    );
  }
  // A load run's segments number in the millions: refuse rather than write a multi-gigabyte file.
  if (values.pcap !== undefined && scenario.load)
    throw new UsageError('--pcap works for scripted scenarios only; this one has a load generator');
  const options: Parameters<typeof observe>[1] = {};
  if (seed !== undefined) options.seed = seed;
  if (until !== undefined) options.until = until;
  // The event log is what tcpdump and json print; other formats do without it (load runs are large).
  if ((format === 'text' || format === 'json' || format === 'ss') && scenario.load) options.events = false;
  const result = observe(scenario, options);
  const { observation, events, samples } = result;
  const out = (s: string) => process.stdout.write(`${s}\n`);
  if (values.pcap !== undefined) {
    try {
      writeFileSync(values.pcap, pcapOfEvents(events));
    } catch (e) {
      throw new UsageError(
        `--pcap: cannot write "${values.pcap}" (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
      );
    }
  }

  if (format === 'json') {
    out(
      JSON.stringify(
        {
          scenario: scenario.name,
          seed: seed ?? scenario.seed,
          until: until ?? scenario.until,
          observation,
          samples,
          stats: result.simulation.stats,
          expectations: checkExpectations(scenario, observation),
          // A load run has millions of events: leave them out (tcpdump still prints them).
          ...(scenario.load ? { eventsOmitted: true } : { digest: traceDigest(events), events }),
        },
        null,
        2,
      ),
    );
    return 0;
  }
  if (format === 'tcpdump') {
    const opts: Parameters<typeof tcpdumpLines>[1] = {};
    if (values.host !== undefined) opts.host = values.host;
    for (const line of tcpdumpLines(events, opts)) out(line);
    return 0;
  }
  if (format === 'ss') {
    const shown = observation.snapshots.length
      ? observation.snapshots
      : Object.keys(scenario.hosts).map((host) => ({
          at: result.simulation.now,
          host,
          sockets: result.simulation.sockets(host),
        }));
    for (const s of shown) {
      out(`# ${s.host} at ${formatDuration(s.at)}`);
      out(ssTable(s.sockets));
      out('');
    }
    return 0;
  }
  // text
  out(`${scenario.name}${scenario.title ? ` — ${scenario.title.en}` : ''}`);
  out(
    `profile ${scenario.profile}, seed ${seed ?? scenario.seed}, until ${formatDuration(until ?? scenario.until)}`,
  );
  if (observation.calls.length) {
    out('\nCalls:');
    for (const c of observation.calls.slice(0, 200)) {
      const extra = [
        c.port !== undefined ? `port ${c.port}` : '',
        c.data !== undefined ? `data ${JSON.stringify(c.data)}` : '',
      ]
        .filter(Boolean)
        .join(', ');
      const took = c.doneAt !== c.at ? ` (returned at ${formatSeconds(c.doneAt)})` : '';
      out(
        `  ${formatSeconds(c.at)}  ${c.step >= 0 ? `[${c.step}] ` : ''}${c.host} ${c.call}${c.fd ? `(${c.fd})` : ''} → ${c.result}${took}${extra ? `  ${extra}` : ''}`,
      );
    }
    if (observation.calls.length > 200) out(`  … ${observation.calls.length - 200} more`);
  }
  for (const s of observation.snapshots) {
    out(`\n${s.host} at ${formatDuration(s.at)}:`);
    out(
      ssTable(s.sockets)
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n'),
    );
  }
  out('\nCounters at the end (non-zero):');
  for (const [host, counters] of Object.entries(observation.counters)) {
    const nonZero = Object.entries(counters).filter(([, v]) => v !== 0);
    out(`  ${host}: ${nonZero.length ? nonZero.map(([k, v]) => `${k}=${v}`).join(' ') : '(none)'}`);
  }
  const received = Object.entries(observation.received).filter(([, v]) => v !== '');
  if (received.length) {
    out('\nReceived:');
    for (const [key, data] of received) out(`  ${key}: ${JSON.stringify(data)}`);
  }
  if (samples.length) {
    const peak = samples.reduce(
      (m, s) => (s.timeWait > m.timeWait ? s : m),
      samples[0] as (typeof samples)[number],
    );
    const last = samples[samples.length - 1] as (typeof samples)[number];
    out('\nLoad:');
    out(`  peak TIME_WAIT ${peak.timeWait} on ${peak.host} at ${formatDuration(peak.t)}`);
    out(
      `  at ${formatDuration(last.t)} on ${last.host}: ${last.connects} connects, ${last.connectFailures} failures, ${last.portsInUse} ports in use`,
    );
  }
  const stats = result.simulation.stats;
  out(`\n${stats.events} events, ${stats.segments} segments, ${stats.connections} connections`);
  if (scenario.expect.length) {
    const check = checkExpectations(scenario, observation);
    out(check.ok ? `\nExpectations: all ${scenario.expect.length} met` : '\nExpectations not met:');
    for (const f of check.failures) out(`  ✗ ${f}`);
  }
  return 0;
}

function checkCommand(files: string[]): number {
  if (files.length === 0) throw new UsageError('check needs at least one scenario file');
  let worst = 0;
  for (const file of files) {
    let scenario: Scenario;
    try {
      scenario = loadScenario(file);
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      process.stderr.write(`${e.message}\n`);
      worst = 2;
      continue;
    }
    const started = performance.now();
    const { observation } = observe(scenario, { events: false });
    const result = checkExpectations(scenario, observation);
    const ms = Math.round(performance.now() - started);
    if (result.ok) {
      process.stdout.write(`ok   ${file} (${scenario.expect.length} expectations, ${ms} ms)\n`);
    } else {
      process.stdout.write(`FAIL ${file}\n${result.failures.map((f) => `  ✗ ${f}`).join('\n')}\n`);
      worst = Math.max(worst, 1);
    }
  }
  return worst;
}

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  try {
    if (
      command === undefined ||
      command === '--help' ||
      command === '-h' ||
      command === 'help' ||
      rest.includes('--help')
    ) {
      process.stdout.write(`${HELP}\n`);
      return command === undefined ? 2 : 0;
    }
    if (command === 'run') return runCommand(rest);
    if (command === 'check') return checkCommand(rest);
    if (command === 'schema') {
      process.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
      return 0;
    }
    throw new UsageError(`unknown command "${command}"`);
  } catch (e) {
    if (e instanceof ScenarioError) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`sim: ${(e as Error).message}\n\n${HELP}\n`);
      return 2;
    }
    throw e;
  }
}

process.exitCode = main(process.argv.slice(2));
