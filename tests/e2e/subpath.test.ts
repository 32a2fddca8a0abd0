import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILDS, launch, pagesOf, serve, watch } from './harness.ts';

// dist-sub is built with BASE_PATH=/twg-sub/ and without Chromium (TWG_CHROMIUM points nowhere), so it
// checks two things at once: the site works under a sub-path, and diagrams degrade to readable text.
let browser: Browser;
let server: Server;
let site: string;

beforeAll(async () => {
  ({ server, url: site } = await serve('sub'));
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  server?.close();
});

describe('a build served from a sub-path, made without Chromium', () => {
  it('loads every page with all assets and links under the sub-path', async () => {
    expect(site.endsWith('/twg-sub/')).toBe(true);
    const problems: string[] = [];
    for (const path of pagesOf(BUILDS.sub.dir)) {
      const page = await browser.newPage();
      const seen = watch(page);
      await page.goto(site + path, { waitUntil: 'networkidle' });
      problems.push(...seen.console, ...seen.failed);
      const outside = await page.$$eval('a[href]', (as) =>
        as
          .map((a) => new URL((a as HTMLAnchorElement).href))
          .filter((u) => u.origin === location.origin && !u.pathname.startsWith('/twg-sub/'))
          .map((u) => u.pathname),
      );
      problems.push(...outside.map((p) => `${path}: link outside the base path: ${p}`));
      await page.close();
    }
    expect(problems).toEqual([]);
    // ~110 pages, each waiting for the network to go idle: minutes, not seconds.
  }, 600_000);

  it('shows each diagram as its text source when no Chromium was available', () => {
    for (const path of ['understand/arises/', 'zh-cn/understand/arises/']) {
      const html = readFileSync(`${BUILDS.sub.dir}/${path}index.html`, 'utf8');
      const fallbacks = html.match(/data-diagram-fallback="source"/g) ?? [];
      expect(fallbacks.length, path).toBeGreaterThanOrEqual(2);
      expect(html, path).toMatch(
        /<pre class="diagram-source">(stateDiagram|sequenceDiagram|flowchart|accTitle)/,
      );
      expect(html).not.toContain('<figure class="diagram diagram-svg">');
    }
  });

  it('searches within the sub-path', async () => {
    const page = await browser.newPage();
    await page.goto(`${site}zh-cn/`);
    await page.locator('site-search button[data-open-modal]').first().click();
    await page.locator('#starlight__search input.pagefind-ui__search-input').fill('端口');
    const first = page.locator('#starlight__search a[href]').first();
    await first.waitFor({ timeout: 15_000 });
    expect(new URL(await first.evaluate((a) => (a as HTMLAnchorElement).href)).pathname).toMatch(
      /^\/twg-sub\/zh-cn\//,
    );
    await page.close();
  });
});
