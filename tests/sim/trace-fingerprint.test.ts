// Guards speed work on the simulator: a faster engine must not change what it simulates. For every
// scenario file and a few seeds, every event (as JSON, in order), the final ss table and counters of
// every host, the observation the pages show, the run's stats and the load samples are hashed, and
// the hash must equal the one recorded in trace-fingerprint.json. The load scenario also runs in
// full without a listener (the fast path the benchmark uses), where only stats and samples exist.
//
// A hash that changed means behaviour changed. If the change is intended (a modelling fix, a new
// scenario), regenerate the fixture and say why in the commit:
//   TWG_UPDATE_FINGERPRINT=1 npx vitest run tests/sim/trace-fingerprint.test.ts

import '../../src/sim/load.ts';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sim/scenario.ts';
import { createSimulation } from '../../src/sim/simulation.ts';
import type { Scenario } from '../../src/sim/types.ts';
import { traced } from './trace-digest.ts';

const DIR = join(import.meta.dirname, '../../src/sim/scenarios');
const FIXTURE = join(import.meta.dirname, 'trace-fingerprint.json');
const UPDATE = process.env.TWG_UPDATE_FINGERPRINT === '1';

/** Seeds besides the scenario's own: they change ISNs, secrets, jitter and loss draws. */
const EXTRA_SEEDS = [2, 31337];
/** The load scenario with a listener is cut short: 1.2 million connections of events would take minutes. */
const LOAD_TRACE_UNTIL = 1_500_000;

const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();
const load = (f: string): Scenario => parseScenario(JSON.parse(readFileSync(join(DIR, f), 'utf8')), f);

const expected: Record<string, string> = existsSync(FIXTURE)
  ? (JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, string>)
  : {};
const seen: Record<string, string> = {};

function check(key: string, hash: string): void {
  seen[key] = hash;
  if (UPDATE) return;
  expect(
    expected[key],
    `${key}: no recorded fingerprint (regenerate the fixture if the scenario is new)`,
  ).toBeDefined();
  expect(hash, `${key}: the simulator's behaviour changed`).toBe(expected[key]);
}

describe('trace fingerprints', () => {
  for (const f of files) {
    const name = f.replace(/\.json$/, '');
    const isLoad = name.startsWith('load-');
    it(`${name}: every event, ss table, counter and observation as recorded`, () => {
      const s = load(f);
      const seeds = isLoad ? [s.seed] : [s.seed, ...EXTRA_SEEDS];
      for (const seed of seeds)
        check(`${name}#${seed}`, traced(s, seed, isLoad ? Math.min(LOAD_TRACE_UNTIL, s.until) : undefined));
    }, 60_000);
  }

  it('load-10k-per-second without a listener: the same stats and samples as recorded', () => {
    const s = load('load-10k-per-second.json');
    const sim = createSimulation(s);
    sim.runUntil();
    const digest = createHash('sha256').update(JSON.stringify(sim.samples)).digest('hex');
    const stats = `${sim.stats.events}/${sim.stats.segments}/${sim.stats.connections}`;
    check('load-10k-per-second/fast/stats', stats);
    check('load-10k-per-second/fast/samples', digest);
  }, 300_000);

  afterAll(() => {
    if (UPDATE) writeFileSync(FIXTURE, `${JSON.stringify(seen, null, 2)}\n`);
  });
});
