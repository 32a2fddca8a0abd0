// `npm run bench:site`: builds the site once and prints what a reader downloads.
//   build time, number of HTML pages, and for every page of the sitemap the gzipped bytes of its HTML
//   and of the JS and CSS it loads (scripts, module preloads, island modules, screen stylesheets; each
//   file counted once) — the figures the size-budget gate (tests/e2e/gates-budget.test.ts) enforces.
// Usage: node bench/site.ts [--no-build] [--dist dir] [--lighthouse [runs]] [page …]
//   pages as paths under the build, e.g. understand/arises/ (default: every page of the sitemap).
//   --lighthouse also runs Lighthouse (scripts/lighthouse.ts) on the gate's pages, median of runs (3).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type PageWeight, sitemapPages, weigh } from './weights.ts';

const args = process.argv.slice(2);
const take = (name: string): string | undefined => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const next = args[i + 1];
  const value = next && !next.startsWith('--') && !Number.isNaN(Number(next)) ? next : '';
  args.splice(i, value ? 2 : 1);
  return value;
};
const noBuild = args.includes('--no-build');
const distFlag = args.indexOf('--dist');
const dist = distFlag >= 0 ? (args.splice(distFlag, 2)[1] ?? 'dist') : (process.env.TWG_OUT_DIR ?? 'dist');
const lighthouseRuns = take('--lighthouse');
const pages = args.filter((a) => !a.startsWith('--'));

if (!noBuild) {
  const started = performance.now();
  const r = spawnSync(join('node_modules', '.bin', 'astro'), ['build'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', TWG_OUT_DIR: dist },
  });
  if (r.status !== 0) {
    console.error('astro build failed');
    process.exit(1);
  }
  console.log(`build time: ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'pagefind' ? [] : htmlFiles(path);
    return name.endsWith('.html') ? [path] : [];
  });
}

const all = htmlFiles(dist);
console.log(
  `pages: ${all.length} HTML files (${all.filter((p) => p.includes('/zh-cn/')).length} under zh-cn/)`,
);

const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`;
const chosen = pages.length > 0 ? pages : sitemapPages(dist);
const rows: string[][] = [['page', 'HTML gz', 'diagrams', 'islands', 'JS gz (files)', 'CSS gz (files)']];
const weights: PageWeight[] = [];
for (const page of chosen) {
  try {
    const w = weigh(dist, page);
    weights.push(w);
    rows.push([
      `/${page}`,
      kB(w.html),
      w.diagrams ? `${w.diagrams}: ${kB(w.diagramBytes)}` : '',
      w.islands ? String(w.islands) : '',
      `${kB(w.js)} (${w.jsFiles.length})`,
      `${kB(w.css)} (${w.cssFiles.length})`,
    ]);
  } catch (e) {
    console.error(String(e));
    process.exitCode = 1;
  }
}
const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  '));
if (weights.length > 1) {
  const over = weights.filter((w) => w.html > 7000).length;
  const max = (f: (w: PageWeight) => number) => kB(Math.max(...weights.map(f)));
  console.log(
    `summary: ${weights.length} pages, ${over} over Starlight's 7 kB HTML (reasons in tests/e2e/gates-budget.test.ts); ` +
      `largest HTML ${max((w) => w.html)}, outside <main> ${max((w) => w.chrome)}, CSS ${max((w) => w.css)}, ` +
      `JS on text-only pages ${kB(Math.max(0, ...weights.filter((w) => !w.islands).map((w) => w.js)))}, ` +
      `JS with labs ${kB(Math.max(0, ...weights.filter((w) => w.islands).map((w) => w.js)))}`,
  );
}

if (lighthouseRuns !== undefined) {
  const { gatePages, runLighthouse, table } = await import('../scripts/lighthouse.ts');
  const runs = Number(lighthouseRuns || 3);
  const started = performance.now();
  const results = await runLighthouse({ dist, pages: gatePages(dist), runs });
  console.log(`\nLighthouse 13, mobile, median of ${runs} runs:\n${table(results)}`);
  console.log(`lighthouse time: ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
