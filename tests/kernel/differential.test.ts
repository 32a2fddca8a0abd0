// The differential test: each named scenario the kernel can reproduce runs twice — on this machine's
// real Linux kernel (network namespaces, real sockets, tests/kernel/driver.py) and on the simulator's
// `linux` profile (observe()) — and what an observer sees must agree (tests/kernel/compare.ts):
// states and which side holds TIME_WAIT, errno of each call, counts per state, chosen nstat counters,
// bytes read, blocking times within a tolerance. The scenario's own expectations must also hold on the
// kernel. Known, understood differences are listed below with a reason each (see DISAGREEMENTS.md).
//
// Runs take real time, so they run in parallel, each in its own namespaces; scenarios are cut short
// after their last interesting instant, and only two wait for a real 60 s TIME_WAIT to expire.

import '../../src/sim/load.ts';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkExpectations } from '../../src/sim/expect.ts';
import { observe } from '../../src/sim/observation.ts';
import { parseScenario } from '../../src/sim/scenario.ts';
import type { Micros, Observation, Scenario } from '../../src/sim/types.ts';
import {
  type Allowance,
  applyAllowances,
  type CompareOptions,
  compareObservations,
  DEFAULT_TOLERANCE,
} from './compare.ts';
import { type KernelObservation, kernelAvailable, kernelCannotRun, runOnKernel } from './kernel.ts';

const SCENARIO_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'sim', 'scenarios');

const available = kernelAvailable();
if (!available.ok) console.warn(`KERNEL DIFFERENTIAL SKIPPED: ${available.reason}`);

interface Case {
  file: string;
  /** Run this long (µs) instead of the scenario's `until`; default: 1.5 s after its last instant < 59 s. */
  until?: Micros;
  allow?: Allowance[];
  options?: CompareOptions;
  /** Give links their delay through the wire relay (for scenarios that need segments in flight). */
  linkDelay?: boolean;
  /**
   * Repeat the kernel run (up to `attempts` times in all, default 2: one retry) while it fell further
   * behind its schedule than this (µs; default MAX_LATE). Every retry is announced with a warning.
   */
  maxLate?: Micros;
  attempts?: number;
  /**
   * Instants only an on-time run can observe (a few ms from a transition). When every attempt was later
   * than `maxLate`, they are left out of the comparison on both sides, with a warning that says so.
   */
  onTimeOnly?: Micros[];
}

const PORT_CHOICE: Allowance = {
  match: /\(port choice\)$/,
  reason:
    'D5: Linux picks a free ephemeral port by a keyed hash plus a per-destination perturbation ' +
    "(__inet_hash_connect, RFC 6056 Algorithm 4); the simulator's seeded choice of another free port is " +
    'equally valid — the connections, their states and owners agree',
};

// Differences every run may show, each understood (DISAGREEMENTS.md has the details). An entry marked
// SIMULATOR would be a simulator bug reported for fixing: once fixed, it goes unused and must be removed
// (D1, D2, D3, D4, D7 and D8 were fixed that way).
const COMMON: Allowance[] = [PORT_CHOICE];

const CASES: Case[] = [
  // A snapshot taken late sees what happened after it was due: where one sits less than MAX_LATE
  // (100 ms) before a transition, the case holds its runs to less than that margin and leaves the
  // snapshot out, with a warning, when every run was later (found by comparing each scenario's
  // snapshot instants with its simulated transitions).
  // The two that wait for a real TIME_WAIT expiry.
  // 5 ms links through the relay, as in the scenario: its 61.1 s snapshot is 5 ms before the expiry.
  {
    file: 'normal-close-client-first',
    until: 64_000_000,
    linkDelay: true,
    maxLate: 80_000,
    onTimeOnly: [1_100_000],
  },
  // Its 1.5 s snapshot is 30 ms before the retransmitted FIN's effect at 1.53 s.
  { file: 'lost-final-ack', until: 64_000_000, maxLate: 25_000, onTimeOnly: [1_500_000] },
  { file: 'normal-close-server-first', maxLate: 80_000, onTimeOnly: [1_100_000] },
  // 5 ms links through the relay, as in the scenario: the server's FIN+ACK must reach the client 5 ms
  // after it is sent, and the 1.027 s snapshot sits 3 ms before that. The 1.033 s snapshot sits 3 ms
  // after the client's TIME_WAIT and 2 ms before the client's ACK can reach the server (the relay holds
  // it 5 ms): a snapshot at 1.035 s, the very instant of that arrival, raced it and failed CI once.
  {
    file: 'fin-ack-in-fin-wait-1',
    linkDelay: true,
    maxLate: 2_000,
    attempts: 3,
    onTimeOnly: [1_027_000, 1_033_000],
  },
  { file: 'lost-final-ack-no-timewait' },
  { file: 'half-close-no-timer' },
  { file: 'orphan-fin-wait-2-timeout' },
  // The server closes 100 ms after the client: a run late by that much would let its FIN+ACK reach
  // the client still in FIN_WAIT_1 (overflow at TIME_WAIT, no RST), so hold it to 50 ms.
  { file: 'max-tw-buckets-overflow', maxLate: 50_000 },
  // The 60.1 s snapshot is 50 ms before the next connect()s change the table.
  { file: 'port-exhaustion', maxLate: 40_000, onTimeOnly: [60_100_000] },
  { file: 'port-exhaustion-second-dst-ip' },
  { file: 'port-exhaustion-second-dst-port' },
  { file: 'port-exhaustion-server-closes-first' },
  { file: 'tw-reuse-on', maxLate: 80_000, onTimeOnly: [1_900_000] },
  { file: 'tw-reuse-2-loopback', maxLate: 80_000, onTimeOnly: [1_900_000] },
  { file: 'tw-reuse-2-non-loopback' },
  { file: 'tw-reuse-before-delay' },
  { file: 'tw-reuse-no-timestamps' },
  { file: 'reuseaddr-listen-holder' },
  { file: 'reuseaddr-timewait-holder' },
  { file: 'reuseaddr-established-holder' },
  {
    file: 'reuseport',
    allow: [
      {
        match: /10\.0\.0\.2:80 → \*:\* LISTEN: Recv-Q [01] on the kernel, [01] on the simulator$/,
        reason:
          'D6: with SO_REUSEPORT Linux hands the connection to one listener chosen by a hash of the ' +
          '4-tuple (reuseport_select_sock); either listener is a correct outcome',
      },
    ],
  },
  { file: 'linger-zero' },
  { file: 'close-with-unread-data' },
  { file: 'syn-over-server-timewait-accepted' },
  // Both FINs must be in flight at once: links get their 5 ms through the wire relay.
  // Its snapshots are 3 and 7 ms after the closes, 2 ms from a transition: they must be on time.
  {
    file: 'simultaneous-close',
    linkDelay: true,
    maxLate: 1_500,
    attempts: 4,
    onTimeOnly: [1_003_000, 1_007_000],
  },
  // These need a segment held back for seconds: the wire relay (driver.py, class Wire). The held
  // segment reaches the client at 5.155 s and the server's RST follows, so the 5.1 s snapshot sits
  // 55 ms before the transition: a run late by more than ~50 ms takes it after the RST (it failed CI
  // once at 61.6 ms late). Hold them to 40 ms, retry, and call a run that stays late inconclusive.
  { file: 'rst-in-timewait-rfc1337-0', maxLate: 40_000, attempts: 3, onTimeOnly: [5_100_000] },
  { file: 'rst-in-timewait-rfc1337-1', maxLate: 40_000, attempts: 3, onTimeOnly: [5_100_000] },
];

/** TWG_KERNEL_ONLY=a,b runs only those scenarios (for working on one; the full list runs otherwise). */
const ONLY = (process.env.TWG_KERNEL_ONLY ?? '').split(',').filter(Boolean);
if (ONLY.length > 0) console.warn(`KERNEL DIFFERENTIAL: only ${ONLY.join(', ')} (TWG_KERNEL_ONLY)`);
const RUN = ONLY.length > 0 ? CASES.filter((c) => ONLY.includes(c.file)) : CASES;

/** Kernel runs at once: each mostly sleeps, but a 2-core machine must still keep to the schedule. */
const PARALLEL = 8;
/** A kernel run that fell further behind its schedule than this is repeated once. */
const MAX_LATE: Micros = 100_000;

// Both sides: ignore TIME_WAIT rows whose timer has already run out. Linux's timer wheel rounds a
// 60 s timer up to its level's granularity (512 jiffies = 2.048 s with this kernel's CONFIG_HZ=250), so
// an entry lingers in `ss` with "timer:(timewait,0)" for up to 2 s; the simulator removes it at 60 s.
const EXPIRED_GRACE = true;

interface Outcome {
  file: string;
  scenario?: Scenario;
  skipped?: string;
  error?: string;
  kernel?: KernelObservation;
  simulator?: Observation;
  differences: string[];
  kernelExpectationFailures: string[];
  wallMs: number;
  /** Kernel runs made (1 = on schedule the first time). */
  runs: number;
  /** How far the kept kernel run fell behind its schedule (µs). */
  lateBy: number;
  /** Instants left out because no run was on time for them. */
  notCompared: Micros[];
  /** Every run fell further behind its schedule than the case allows. */
  late: boolean;
}

function load(file: string): Scenario {
  const path = join(SCENARIO_DIR, `${file}.json`);
  return parseScenario(JSON.parse(readFileSync(path, 'utf8')), `${file}.json`);
}

/** The scenario cut at `until`: later expectations and snapshots dropped, 'end' counters kept. */
function trimmed(sc: Scenario, wanted?: Micros): Scenario {
  const instants = [
    ...sc.snapshots,
    ...sc.script.map((s) => s.at),
    ...sc.expect.flatMap((e) => ('at' in e && typeof e.at === 'number' ? [e.at] : [])),
  ].filter((t) => t < 59_000_000);
  const until = Math.min(sc.until, wanted ?? Math.max(0, ...instants) + 1_500_000);
  const script = sc.script.filter((s) => s.at <= until);
  const kept = new Set(script.map((s) => s.index));
  return {
    ...sc,
    until,
    script,
    snapshots: sc.snapshots.filter((t) => t <= until),
    expect: sc.expect.filter(
      (e) => (e.kind !== 'call' || kept.has(e.step)) && (!('at' in e) || e.at === 'end' || e.at <= until),
    ),
  };
}

function ms(us: Micros): string {
  return `${(us / 1000).toFixed(1)} ms`;
}

/** 'D5, D6' from the reasons of the allowed differences. */
function allowedIds(allowed: { reason: string }[]): string {
  return [...new Set(allowed.map((a) => /^(?:SIMULATOR \()?(D\d+)/.exec(a.reason)?.[1] ?? '?'))].join(', ');
}

/** Drop TIME_WAIT rows whose timer has run out (see EXPIRED_GRACE). */
function withoutExpired<T extends Observation>(obs: T): T {
  if (!EXPIRED_GRACE) return obs;
  return {
    ...obs,
    snapshots: obs.snapshots.map((s) => ({
      ...s,
      sockets: s.sockets.filter(
        (r) => !(r.state === 'TIME_WAIT' && r.timer?.kind === 'timewait' && r.timer.remaining === 0),
      ),
    })),
  };
}

async function runCase(c: Case): Promise<Outcome> {
  const started = Date.now();
  const out: Outcome = {
    file: c.file,
    differences: [],
    kernelExpectationFailures: [],
    wallMs: 0,
    runs: 0,
    lateBy: 0,
    notCompared: [],
    late: false,
  };
  try {
    const sc = trimmed(load(c.file), c.until);
    out.scenario = sc;
    const why = kernelCannotRun(sc);
    if (why) {
      out.skipped = why;
      return out;
    }
    const how = { linkDelay: c.linkDelay === true };
    // A run that fell behind its schedule (steps meant to be apart ran together, or a snapshot meant
    // for a few ms after an event came too late to see it) is repeated — once by default — and each
    // repetition is announced: on a loaded 2-core machine this happens, and it must not pass unseen.
    const maxLate = c.maxLate ?? MAX_LATE;
    const attempts = c.attempts ?? 2;
    let kernel = await runOnKernel(sc, how);
    out.runs = 1;
    while (kernel.kernel.lateBy > maxLate && out.runs < attempts) {
      console.warn(
        `KERNEL RUN LATE: ${c.file}: run ${out.runs} fell ${ms(kernel.kernel.lateBy)} behind its ` +
          `schedule (limit ${ms(maxLate)}); running it again`,
      );
      kernel = await runOnKernel(sc, how);
      out.runs++;
    }
    out.lateBy = kernel.kernel.lateBy;
    out.late = kernel.kernel.lateBy > maxLate;
    let compared = sc;
    if (kernel.kernel.lateBy > maxLate) {
      const skip = new Set(c.onTimeOnly ?? []);
      console.warn(
        `KERNEL RUN LATE: ${c.file}: still ${ms(kernel.kernel.lateBy)} behind after ${out.runs} runs; ` +
          `timings compared with the tolerance widened by that much` +
          (skip.size > 0
            ? `; NOT COMPARED (too late to observe): snapshots at ${[...skip].join(', ')} µs`
            : ''),
      );
      if (skip.size > 0) {
        out.notCompared = [...skip];
        compared = {
          ...sc,
          snapshots: sc.snapshots.filter((t) => !skip.has(t)),
          expect: sc.expect.filter((e) => !('at' in e) || typeof e.at !== 'number' || !skip.has(e.at)),
        };
        kernel = { ...kernel, snapshots: kernel.snapshots.filter((x) => !skip.has(x.at)) };
      }
    }
    out.kernel = kernel;
    const k = withoutExpired(kernel);
    out.kernelExpectationFailures = checkExpectations(compared, k).failures;
    const sim = observe(compared).observation;
    out.simulator = sim;
    // A run that fell behind its schedule cannot be held to better timing than that.
    const absolute = (c.options?.tolerance?.absolute ?? DEFAULT_TOLERANCE.absolute) + kernel.kernel.lateBy;
    out.differences = compareObservations(compared, k, sim, {
      ...c.options,
      tolerance: { ...c.options?.tolerance, absolute },
    });
  } catch (e) {
    out.error = e instanceof Error ? e.message : String(e);
  } finally {
    out.wallMs = Date.now() - started;
  }
  return out;
}

/** Run `tasks` with at most `n` at once, longest first (the caller orders them). */
function limited<T>(n: number, tasks: (() => Promise<T>)[]): Promise<T>[] {
  let running = 0;
  const queue: (() => void)[] = [];
  return tasks.map(
    (task) =>
      new Promise<T>((resolve, reject) => {
        const start = () => {
          running++;
          task()
            .then(resolve, reject)
            .finally(() => {
              running--;
              queue.shift()?.();
            });
        };
        if (running < n) start();
        else queue.push(start);
      }),
  );
}

describe.skipIf(!available.ok)('kernel vs simulator (linux profile)', () => {
  const results = new Map<string, Promise<Outcome>>();
  const settled: Outcome[] = [];
  let started = 0;

  beforeAll(() => {
    started = Date.now();
    // Longest first, so the two 60 s runs overlap everything else.
    const order = [...RUN].sort((x, y) => (y.until ?? 0) - (x.until ?? 0));
    const promises = limited(
      PARALLEL,
      order.map((c) => () => runCase(c)),
    );
    order.forEach((c, i) => {
      const p = promises[i] as Promise<Outcome>;
      results.set(c.file, p);
      p.then((o) => settled.push(o));
    });
  });

  afterAll(() => {
    // One line per scenario: did the kernel and the simulator agree (no difference beyond the
    // allow-list), how many kernel runs it took, and how late the kept run was.
    const lines = settled
      .sort((a, b) => a.file.localeCompare(b.file))
      .map((o) => {
        const c = CASES.find((x) => x.file === o.file);
        let verdict: string;
        if (o.skipped) verdict = `skipped (${o.skipped})`;
        else if (o.error) verdict = `error: ${o.error.slice(0, 120)}`;
        else {
          const all = [
            ...o.kernelExpectationFailures.map((f) => `the kernel breaks the scenario's ${f}`),
            ...o.differences,
          ];
          const v = applyAllowances(all, [...(c?.allow ?? []), ...COMMON]);
          verdict =
            v.unexpected.length === 0
              ? `agree${v.allowed.length > 0 ? ` (${v.allowed.length} allowed: ${allowedIds(v.allowed)})` : ''}`
              : o.late
                ? `INCONCLUSIVE: ${v.unexpected.length} differences from a run too late to judge`
                : `DIFFER: ${v.unexpected.length} unexpected`;
          verdict += `; ${o.runs} run${o.runs === 1 ? '' : 's'}, late ${ms(o.lateBy)}`;
          if (o.notCompared.length > 0) verdict += `; NOT COMPARED ${o.notCompared.join(', ')} µs`;
        }
        return `  ${o.file.padEnd(38)} ${(o.wallMs / 1000).toFixed(1).padStart(5)} s  ${verdict}`;
      });
    console.log(
      `kernel differential (${((Date.now() - started) / 1000).toFixed(1)} s wall):\n${lines.join('\n')}`,
    );
  });

  for (const c of RUN) {
    it(c.file, async (ctx) => {
      const o = await (results.get(c.file) as Promise<Outcome>);
      if (o.skipped) console.warn(`KERNEL DIFFERENTIAL: ${c.file} not run on the kernel: ${o.skipped}`);
      expect(o.error, `${c.file}: the run failed`).toBeUndefined();
      if (o.skipped) return;
      const all = [
        ...o.kernelExpectationFailures.map((f) => `the kernel breaks the scenario's ${f}`),
        ...o.differences,
      ];
      const verdict = applyAllowances(all, [...(c.allow ?? []), ...COMMON]);
      for (const a of verdict.allowed) console.info(`${c.file}: allowed: ${a.difference} (${a.reason})`);
      for (const a of verdict.unused.filter((x) => !COMMON.includes(x)))
        console.warn(`${c.file}: allowance matched nothing this run (stale?): ${a.match}`);
      for (const d of verdict.unexpected) console.warn(`${c.file}: DIFFERENCE: ${d}`);
      // Every kernel run fell behind its schedule (the retry included) and the observations differ:
      // on this evidence nobody can tell a real disagreement from the lateness (steps that should be
      // apart ran together, snapshots came after the transitions they were meant to precede). Neither
      // pass nor fail: skip the test, loudly, so the report shows it was not judged.
      if (verdict.unexpected.length > 0 && o.late) {
        const why =
          `INCONCLUSIVE: every kernel run of ${c.file} fell behind its schedule (last: ${ms(o.lateBy)}); ` +
          `${verdict.unexpected.length} differences not judged`;
        console.warn(`KERNEL DIFFERENTIAL ${why}`);
        ctx.skip(why);
      }
      expect(verdict.unexpected, `${c.file}: kernel and simulator disagree`).toEqual([]);
    }, 420_000); // Queued behind others, and repeated when late: a 64 s case took 216 s at load average 45.
  }
});
