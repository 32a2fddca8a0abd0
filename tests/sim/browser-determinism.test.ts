// The simulator's promise "same scenario + seed ⇒ identical trace" must hold across engines: a widget
// in the reader's browser must replay exactly what the guide's build (Node) computed. So bundle
// src/sim/index.ts with esbuild, load it into headless Chromium (no network: the bundle goes in with
// addScriptTag), run the same scenario files with fixed seeds on both sides, and compare a digest of
// the full event trace plus the observation. Skipped, loudly, when /usr/bin/chromium is missing.

import '../../src/sim/load.ts';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sim from '../../src/sim/index.ts';

const CHROMIUM = process.env.TWG_CHROMIUM ?? '/usr/bin/chromium';
const SIM = join(import.meta.dirname, '../../src/sim');
const SCENARIOS = join(SIM, 'scenarios');

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`BROWSER DETERMINISM SKIPPED: no Chromium at ${CHROMIUM}`);

/** Scenario files and seeds; the last one also gets a lossy, jittery, reordering link (PRNG-heavy). */
const CASES: { file: string; seed: number; lossy?: boolean }[] = [
  { file: 'normal-close-client-first', seed: 7 },
  { file: 'lost-final-ack', seed: 3 },
  { file: 'incarnation-corruption', seed: 11 },
  { file: 'port-exhaustion', seed: 5, lossy: true },
];

type SimModule = typeof sim;

/**
 * Runs in both places (Node, and the page after being serialized): parse, observe, digest. It must not
 * close over anything: Playwright sends its source text to the page.
 */
function runCase(
  S: SimModule,
  input: { json: unknown; file: string; seed: number; lossy: boolean },
): { digest: string; events: number; observation: string } {
  const parsed = S.parseScenario(input.json, `${input.file}.json`);
  const scenario = input.lossy
    ? {
        ...parsed,
        defaultLink: { ...parsed.defaultLink, jitter: 2_000, loss: 0.05, duplicate: 0.03, reorder: 0.1 },
      }
    : parsed;
  const r = S.observe(scenario, { seed: input.seed });
  const fnv = (text: string): string => {
    // FNV-1a, 32-bit, twice with different offsets: enough to tell traces apart, same on every engine.
    let a = 0x811c9dc5;
    let b = 0x01000193;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x811c9dc5) ^ (b >>> 13);
    }
    return `${(a >>> 0).toString(16).padStart(8, '0')}${(b >>> 0).toString(16).padStart(8, '0')}:${text.length}`;
  };
  return {
    digest: fnv(JSON.stringify(r.events)),
    events: r.events.length,
    observation: fnv(JSON.stringify({ observation: r.observation, samples: r.samples })),
  };
}

describe.skipIf(!haveChromium)('Node and Chromium produce the identical trace', () => {
  let browser: Browser | undefined;
  let bundle = '';

  beforeAll(async () => {
    const out = await build({
      entryPoints: [join(SIM, 'index.ts')],
      bundle: true,
      platform: 'browser',
      format: 'iife',
      globalName: 'TWGSim',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    });
    bundle = out.outputFiles[0]?.text ?? '';
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it(`runs ${CASES.length} scenario files with fixed seeds and compares trace digests`, async () => {
    const page = await (browser as Browser).newPage();
    // No network at all: the page is set from a string and the bundle added inline.
    await page.route('**/*', (route) => route.abort());
    await page.setContent('<!doctype html><title>sim</title>');
    await page.addScriptTag({ content: bundle });
    const lines: string[] = [];
    for (const c of CASES) {
      const json: unknown = JSON.parse(readFileSync(join(SCENARIOS, `${c.file}.json`), 'utf8'));
      const input = { json, file: c.file, seed: c.seed, lossy: c.lossy === true };
      const node = runCase(sim, input);
      const inPage = await page.evaluate(
        ({ src, arg }) => {
          const fn = new Function(`return (${src})`)() as typeof runCase;
          return fn((globalThis as unknown as { TWGSim: SimModule }).TWGSim, arg);
        },
        { src: runCase.toString(), arg: input },
      );
      lines.push(
        `  ${c.file.padEnd(28)} seed ${String(c.seed).padStart(2)}${c.lossy ? ' lossy' : '      '}  ` +
          `${node.events} events  node ${node.digest}  chromium ${inPage.digest}`,
      );
      expect(node.events, c.file).toBeGreaterThan(10);
      expect(inPage, c.file).toEqual(node);
    }
    console.log(`browser determinism (Chromium ${(browser as Browser).version()}):\n${lines.join('\n')}`);
    await page.close();
  }, 120_000);
});
