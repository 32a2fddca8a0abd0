import { existsSync, readdirSync, statSync } from 'node:fs';
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
