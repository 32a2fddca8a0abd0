// Lighthouse over a built site, the way the quality gate (tests/e2e/lighthouse.test.ts) and
// `npm run bench:site` use it: the build served by the project's static server, Debian's Chromium,
// Lighthouse's default mobile profile (simulated slow 4G, 4× CPU), the median of N runs per page.
//
// Usage: node scripts/lighthouse.ts [--dist dist] [--runs 3] [--json file] [page …]
//   pages are paths under the base ('' for home, 'understand/why/'); by default the gate's set in both
//   languages. Prints a table; --json writes every figure plus the failing audits per category.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { startStaticServer } from './lib/static-server.ts';

export const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
export type Category = (typeof CATEGORIES)[number];

/** The gate: Performance ≥ 95, everything else 100. */
export const GATES: Record<Category, number> = {
  performance: 95,
  accessibility: 100,
  'best-practices': 100,
  seo: 100,
};

export interface PageResult {
  page: string;
  runs: number;
  /** Median score per category, 0–100. */
  scores: Record<Category, number>;
  /** Every run's scores, in order. */
  all: Record<Category, number>[];
  /**
   * Lighthouse's measure of the host's CPU speed for each run (higher is faster; a quiet CI core is
   * ~1000–2000). Under ~600 the machine is too busy for Performance to mean much: TBT is simulated
   * from the CPU time the host actually took.
   */
  benchmarkIndex: number[];
  /** Median run's metrics (ms, CLS unitless). */
  metrics: { fcp: number; lcp: number; tbt: number; cls: number; si: number };
  /** Audits scoring below 1 in a category whose median is under its gate, with what they say. */
  failing: { category: Category; id: string; title: string; score: number | null; display?: string }[];
}

/**
 * The pages the gate measures, in both languages: home, a text-only chapter (the first chapter without
 * a lab), the chapter with the close explorer, the playground (when the build has one) and the Q&A hub.
 */
export function gatePages(dist: string): string[] {
  return ['', textChapter(dist), 'understand/arises/', 'playground/', 'qa/']
    .filter((p): p is string => p !== undefined)
    .flatMap((p) => [p, `zh-cn/${p}`])
    .filter((p) => existsSync(join(dist, p, 'index.html')));
}

/** The first chapter without a lab (no Astro island), Understand first: what a text-only page costs. */
export function textChapter(dist: string): string | undefined {
  for (const group of ['understand', 'reference', 'mitigate']) {
    const dir = join(dist, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const file = join(dir, name, 'index.html');
      if (existsSync(file) && !readFileSync(file, 'utf8').includes('<astro-island'))
        return `${group}/${name}/`;
    }
  }
  return undefined;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

export async function runLighthouse(opts: {
  dist: string;
  pages: string[];
  runs: number;
  log?: (line: string) => void;
}): Promise<PageResult[]> {
  const log = opts.log ?? (() => {});
  const { server, url: site } = await startStaticServer({ root: opts.dist, base: '/' });
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.TWG_CHROMIUM ?? '/usr/bin/chromium',
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  const results: PageResult[] = [];
  try {
    for (const page of opts.pages) {
      const runs: {
        scores: Record<Category, number>;
        lhr: NonNullable<Awaited<ReturnType<typeof lighthouse>>>['lhr'];
      }[] = [];
      for (let i = 0; i < opts.runs; i++) {
        const started = Date.now();
        const r = await lighthouse(site + page, {
          port: chrome.port,
          output: 'json',
          logLevel: 'error',
          onlyCategories: [...CATEGORIES],
          // Weight-0 diagnostics that cost time (bf-cache navigates away and back): no score changes.
          skipAudits: ['bf-cache', 'screenshot-thumbnails', 'final-screenshot'],
          disableFullPageScreenshot: true,
        });
        if (!r) throw new Error(`${site}${page}: Lighthouse returned nothing`);
        if (r.lhr.runtimeError)
          throw new Error(`${site}${page}: ${r.lhr.runtimeError.code} ${r.lhr.runtimeError.message}`);
        const scores = Object.fromEntries(
          CATEGORIES.map((c) => [c, Math.round((r.lhr.categories[c]?.score ?? 0) * 100)]),
        ) as Record<Category, number>;
        runs.push({ scores, lhr: r.lhr });
        log(
          `  /${page} run ${i + 1}: ${CATEGORIES.map((c) => scores[c]).join(' / ')} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
        );
      }
      const scores = Object.fromEntries(
        CATEGORIES.map((c) => [c, median(runs.map((r) => r.scores[c]))]),
      ) as Record<Category, number>;
      // The run whose performance score is the median: its metrics and audits represent the page.
      const mid = [...runs].sort((a, b) => a.scores.performance - b.scores.performance)[
        Math.floor(runs.length / 2)
      ];
      const lhr = mid?.lhr;
      const metric = (id: string) => Number(lhr?.audits[id]?.numericValue ?? Number.NaN);
      const failing: PageResult['failing'] = [];
      for (const c of CATEGORIES) {
        if (scores[c] >= GATES[c] || !lhr) continue;
        for (const ref of lhr.categories[c]?.auditRefs ?? []) {
          const a = lhr.audits[ref.id];
          if (!a || a.score === null || a.score >= 1 || (ref.weight === 0 && c !== 'performance')) continue;
          if (a.scoreDisplayMode === 'informative' || a.scoreDisplayMode === 'notApplicable') continue;
          failing.push({ category: c, id: a.id, title: a.title, score: a.score, display: a.displayValue });
        }
      }
      results.push({
        page,
        runs: runs.length,
        scores,
        all: runs.map((r) => r.scores),
        benchmarkIndex: runs.map((r) => Math.round(r.lhr.environment.benchmarkIndex)),
        metrics: {
          fcp: metric('first-contentful-paint'),
          lcp: metric('largest-contentful-paint'),
          tbt: metric('total-blocking-time'),
          cls: metric('cumulative-layout-shift'),
          si: metric('speed-index'),
        },
        failing,
      });
    }
  } finally {
    chrome.kill();
    server.close();
  }
  return results;
}

export function table(results: PageResult[]): string {
  const rows = [
    ['page', 'perf', 'a11y', 'bp', 'seo', 'FCP', 'LCP', 'TBT', 'CLS', 'perf runs', 'host CPU index'],
  ];
  for (const r of results) {
    rows.push([
      `/${r.page}`,
      ...CATEGORIES.map((c) => `${r.scores[c]}${r.scores[c] < GATES[c] ? '✗' : ''}`),
      `${(r.metrics.fcp / 1000).toFixed(1)} s`,
      `${(r.metrics.lcp / 1000).toFixed(1)} s`,
      `${Math.round(r.metrics.tbt)} ms`,
      r.metrics.cls.toFixed(3),
      r.all.map((s) => s.performance).join('/'),
      r.benchmarkIndex.join('/'),
    ]);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')).join('\n');
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const value = args[i + 1];
    args.splice(i, 2);
    return value;
  };
  const dist = flag('--dist') ?? 'dist';
  const runs = Number(flag('--runs') ?? 3);
  const json = flag('--json');
  if (!existsSync(join(dist, 'index.html'))) {
    console.error(`lighthouse: no build in ${dist}/ — run \`npm run build\` first (or pass --dist).`);
    process.exit(1);
  }
  const pages = args.length > 0 ? args : gatePages(dist);
  const started = Date.now();
  const results = await runLighthouse({ dist, pages, runs, log: (l) => console.error(l) });
  console.log(table(results));
  for (const r of results) {
    for (const f of r.failing)
      console.log(`  /${r.page} ${f.category}: ${f.id} (${f.score}) ${f.display ?? ''}`);
  }
  console.log(
    `lighthouse: ${pages.length} pages × ${runs} runs in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  if (json) writeFileSync(json, JSON.stringify(results, null, 2));
}
