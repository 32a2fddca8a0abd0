// The other code path of the trace fingerprints. trace-fingerprint.test.ts imports the load generator,
// and with it every run is built from src/sim/fast/ (ring-buffer lanes, stale timers released, a flat
// connection table, array bind buckets). Chapter pages never import it: they run the compact engine
// and host of engine.ts and host.ts. This file leaves load.ts out, so its runs take that compact path,
// and checks every scripted scenario under the same seeds against the same recorded hashes
// (trace-fingerprint.json): both paths must simulate exactly the same thing.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fast } from '../../src/sim/load-hook.ts';
import { parseScenario } from '../../src/sim/scenario.ts';
import { traced } from './trace-digest.ts';

const DIR = join(import.meta.dirname, '../../src/sim/scenarios');
const expected = JSON.parse(
  readFileSync(join(import.meta.dirname, 'trace-fingerprint.json'), 'utf8'),
) as Record<string, string>;
const EXTRA_SEEDS = [2, 31337];

const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.json') && !f.startsWith('load-'))
  .sort();

describe('trace fingerprints on the compact path (no load generator imported)', () => {
  it('runs without the fast kit', () => {
    expect(fast, 'load.ts was imported somewhere, so this file would test the fast path').toBeUndefined();
    expect(files.length).toBeGreaterThan(20);
  });

  for (const f of files) {
    const name = f.replace(/\.json$/, '');
    it(`${name}: the recorded fingerprint under every seed`, () => {
      const s = parseScenario(JSON.parse(readFileSync(join(DIR, f), 'utf8')), f);
      for (const seed of [s.seed, ...EXTRA_SEEDS]) {
        const key = `${name}#${seed}`;
        expect(expected[key], `${key}: no recorded fingerprint`).toBeDefined();
        expect(traced(s, seed), `${key}: the compact path simulates something else`).toBe(expected[key]);
      }
    }, 60_000);
  }
});
