// Gate: axe-core (WCAG 2.0/2.1 A and AA, WCAG 2.2 AA) finds no violation on any page of the sitemap, in
// both languages, in the light and the dark theme. The page list is read from the build's sitemap, so
// pages other helpers add are covered without touching this file.

import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sitemapPages } from '../../bench/weights.ts';
import { type AxeViolation, axeAudit, BUILDS, launch, serve } from './harness.ts';

const THEMES = ['light', 'dark'] as const;

let browser: Browser;
let server: Server;
let site: string;

beforeAll(async () => {
  ({ server, url: site } = await serve('main'));
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  server?.close();
});

/** Runs axe: every WCAG rule in the light theme, only the colour rules in the dark one (harness.ts). */
const audit = (page: Page, theme: (typeof THEMES)[number]): Promise<AxeViolation[]> =>
  axeAudit(page, { colourOnly: theme === 'dark' });

// TWG_AXE_ONLY=<regex> narrows the run while fixing a page; the gate itself always runs every page.
const only = new RegExp(process.env.TWG_AXE_ONLY ?? '');
const pages = [...sitemapPages(BUILDS.main.dir, BUILDS.main.base), 'no-such-page/', 'zh-cn/404/'].filter(
  (p) => only.test(p),
);

async function problemsOn(path: string, theme: (typeof THEMES)[number]): Promise<string[]> {
  const problems: string[] = [];
  const context = await browser.newContext({ colorScheme: theme, reducedMotion: 'reduce' });
  try {
    // Starlight reads the reader's choice from localStorage before first paint; set it the same way.
    await context.addInitScript((t) => localStorage.setItem('starlight-theme', t), theme);
    const page = await context.newPage();
    await page.goto(site + path, { waitUntil: 'load' });
    // Starlight pages follow the stored choice; a page without Starlight's theme switch (the embed)
    // follows prefers-color-scheme, which the context emulates.
    const actual = await page.getAttribute('html', 'data-theme');
    if (actual !== null && actual !== theme) {
      problems.push(`/${path} [${theme}]: page did not switch theme (data-theme=${actual})`);
    }
    // Expressive Code makes a code block that overflows focusable (tabindex=0) from a ResizeObserver
    // after an idle callback; audit once it has had the chance, or axe reports the block before then.
    await page
      .waitForFunction(
        () =>
          [...document.querySelectorAll<HTMLElement>('.expressive-code pre')].every(
            (pre) => pre.scrollWidth <= pre.clientWidth || pre.hasAttribute('tabindex'),
          ),
        undefined,
        { timeout: 3_000 },
      )
      .catch(() => undefined);
    for (const v of await audit(page, theme)) {
      for (const n of v.nodes) {
        problems.push(
          `/${path} [${theme}] ${v.id} (${v.impact}): ${v.help} — ${JSON.stringify(n.target)}` +
            (n.failureSummary ? ` — ${n.failureSummary.replace(/\s+/g, ' ').slice(0, 200)}` : ''),
        );
      }
    }
  } finally {
    await context.close();
  }
  return problems;
}

describe('accessibility (axe-core, WCAG 2.2 AA), every page of the sitemap, light and dark theme', () => {
  it('covers both languages', () => {
    expect(pages.length).toBeGreaterThan(0);
    if (!process.env.TWG_AXE_ONLY)
      expect(pages.filter((p) => p.startsWith('zh-cn/')).length).toBeGreaterThanOrEqual(10);
  });

  // One test per page: a failure names the page, and a slow machine gets a timeout per page, not per site.
  it.each(pages)(
    '/%s has no violation',
    async (path) => {
      const problems = [...(await problemsOn(path, 'light')), ...(await problemsOn(path, 'dark'))];
      expect(problems).toEqual([]);
    },
    120_000,
  );
});
