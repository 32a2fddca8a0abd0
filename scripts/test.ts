// `npm test`: every check the project has, in the order a failure is cheapest to find.
//   1. types and lint   2. unit, simulator, property, kernel-differential and content tests
//   3. production builds (the normal one, and one under a sub-path made without Chromium)
//   4. end-to-end tests in headless Chromium against those builds
// Ends with one line "tests: N passed, N failed" summing every vitest run.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const bin = (name: string) => join('node_modules', '.bin', name);
const totals = { passed: 0, failed: 0, skipped: 0 };
const timings: string[] = [];

function run(label: string, cmd: string, args: string[], env: Record<string, string> = {}): void {
  const started = Date.now();
  console.log(`\n▶ ${label}`);
  const r = spawnSync(cmd, args, {
    stdio: 'inherit',
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', ...env },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  timings.push(`${label}: ${seconds} s`);
  if (r.status !== 0) {
    console.error(`\n✗ ${label} failed (exit ${r.status ?? r.signal}) after ${seconds} s`);
    summary();
    process.exit(1);
  }
}

function vitest(label: string, config: string): void {
  const report = join('.cache', `vitest-${config.replace(/\W+/g, '-')}.json`);
  rmSync(report, { force: true });
  try {
    run(label, bin('vitest'), [
      'run',
      '--config',
      config,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
    ]);
  } finally {
    if (existsSync(report)) {
      const r = JSON.parse(readFileSync(report, 'utf8'));
      totals.passed += r.numPassedTests ?? 0;
      totals.failed += r.numFailedTests ?? 0;
      totals.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    }
  }
}

function summary(): void {
  console.log(`\nTimings:\n  ${timings.join('\n  ')}`);
  console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
}

const only = process.argv[2];
if (!only || only === 'static') {
  run('astro check', bin('astro'), ['check']);
  run('tsc --noEmit', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
  run('biome check', bin('biome'), ['check', '.']);
}
if (!only || only === 'unit') vitest('unit, simulator, kernel and content tests', 'vitest.config.ts');
if (!only || only === 'e2e') {
  run('astro build → dist/', bin('astro'), ['build']);
  run('astro build → dist-sub/ (BASE_PATH=/twg-sub/, no Chromium)', bin('astro'), ['build'], {
    BASE_PATH: '/twg-sub/',
    TWG_OUT_DIR: './dist-sub',
    TWG_CHROMIUM: '/nonexistent/chromium',
  });
  vitest('end-to-end tests in Chromium', 'vitest.e2e.config.ts');
}
summary();
