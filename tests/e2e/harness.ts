import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { startStaticServer } from '../../scripts/lib/static-server.ts';

export const CHROMIUM = process.env.TWG_CHROMIUM ?? '/usr/bin/chromium';

/**
 * The two builds scripts/test.ts makes: the normal one, and one under a sub-path built without Chromium.
 * TWG_DIST / TWG_DIST_SUB point the tests at other directories (a helper's own build, say).
 */
export const BUILDS = {
  main: { dir: process.env.TWG_DIST ?? 'dist', base: '/' },
  sub: { dir: process.env.TWG_DIST_SUB ?? 'dist-sub', base: '/twg-sub/' },
} as const;

export function requireBuild(dir: string): void {
  if (!existsSync(join(dir, 'index.html'))) {
    throw new Error(`No build in ${dir}/. Run the whole suite with \`npm test\`, which builds it first.`);
  }
}

export async function serve(build: keyof typeof BUILDS) {
  const { dir, base } = BUILDS[build];
  requireBuild(dir);
  return startStaticServer({ root: dir, base });
}

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (or set TWG_CHROMIUM).`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Every page of a build, as URL paths relative to the base (`''`, `understand/arises/`, `zh-cn/`…). */
export function pagesOf(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) {
        if (name === 'pagefind' || name === '_astro') continue;
        walk(full);
      } else if (name === 'index.html') {
        const rel = relative(dir, d).split(sep).join('/');
        out.push(rel === '' ? '' : `${rel}/`);
      }
    }
  };
  walk(dir);
  return out.sort();
}

export interface PageProblems {
  console: string[];
  failed: string[];
}

/** Records console errors, uncaught exceptions and failed or 4xx/5xx requests while a page is used. */
export function watch(page: Page): PageProblems {
  const problems: PageProblems = { console: [], failed: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.console.push(`${page.url()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.console.push(`${page.url()}: uncaught ${err.message}`));
  page.on('requestfailed', (req) => problems.failed.push(`${req.url()}: ${req.failure()?.errorText}`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.failed.push(`${res.url()}: HTTP ${res.status()}`);
  });
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// axe-core, the accessibility gate every e2e file runs the same way

const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
/** WCAG 2.0 / 2.1 A and AA and WCAG 2.2 AA. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * Run axe on the page with the WCAG tags (or, with `colourOnly`, only its colour rules: a theme changes
 * CSS custom properties and nothing else, so structural rules would repeat the other theme's answers).
 */
export async function axeAudit(page: Page, opts: { colourOnly?: boolean } = {}): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_SCRIPT });
  return page.evaluate(
    async ({ tags, colourOnly }) => {
      // biome-ignore lint/suspicious/noExplicitAny: axe is injected as a global by addScriptTag.
      const axe = (window as any).axe;
      const runOnly = colourOnly
        ? {
            type: 'rule',
            values: axe
              .getRules(tags)
              .filter((r: { tags: string[] }) => r.tags.includes('cat.color'))
              .map((r: { ruleId: string }) => r.ruleId),
          }
        : { type: 'tag', values: tags };
      const r = await axe.run(document, { runOnly, resultTypes: ['violations'] });
      return r.violations.map((v: AxeViolation) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
      }));
    },
    { tags: AXE_TAGS, colourOnly: opts.colourOnly === true },
  );
}

/** axe's violations as one line per node ("rule [target] why"), for an `toEqual([])` that explains itself. */
export async function axeViolations(page: Page, opts: { colourOnly?: boolean } = {}): Promise<string[]> {
  return (await axeAudit(page, opts)).flatMap((v) =>
    v.nodes.map((n) => `${v.id} ${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`.slice(0, 300)),
  );
}
