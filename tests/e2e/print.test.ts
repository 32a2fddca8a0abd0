import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILDS, launch, pagesOf, serve } from './harness.ts';

// The print stylesheet (components/styles/print.css), checked with print media emulated as print
// preview does: hidden answers printed open, no navigation, external links with their address, labs
// as their first frame without controls.

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

async function open(path: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(site + path, { waitUntil: 'load' });
  return page;
}

const CHROME = ['header.header', '#starlight__sidebar', 'site-search', '.right-sidebar', '.pagination-links'];

describe('printing a chapter', () => {
  it('prints hidden answers open and leaves out navigation', async () => {
    const page = await open('understand/2msl/');
    const answer = page.locator('.sl-markdown-content details:not([open]) > p').first();
    expect(await answer.count()).toBe(1);
    // On screen: answers folded, navigation shown.
    expect(await answer.isVisible()).toBe(false);
    for (const sel of CHROME) expect(await page.locator(sel).first().isVisible(), sel).toBe(true);

    await page.emulateMedia({ media: 'print' });
    expect(await answer.isVisible()).toBe(true);
    const all = await page.$$eval('.sl-markdown-content details > :not(summary)', (els) =>
      els.map((e) => (e as HTMLElement).getBoundingClientRect().height > 0),
    );
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(all.every(Boolean)).toBe(true);
    for (const sel of CHROME) expect(await page.locator(sel).first().isVisible(), sel).toBe(false);
    await page.close();
  });

  it('prints the address of external links after their text', async () => {
    const page = await open('understand/2msl/');
    await page.emulateMedia({ media: 'print' });
    const link = page.locator('.sl-markdown-content a[href^="https://www.rfc-editor.org/"]').first();
    const href = await link.getAttribute('href');
    const after = await link.evaluate((a) => getComputedStyle(a, '::after').content);
    expect(after).toContain(href);
    await page.emulateMedia({ media: 'screen' });
    expect(await link.evaluate((a) => getComputedStyle(a, '::after').content)).not.toContain(href);
    await page.close();
  });

  it('prints reader threads under a chapter', async () => {
    const page = await open('understand/arises/');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.twg-chapter-threads .twg-thread').first().isVisible()).toBe(true);
    await page.close();
  });

  it('prints each lab as its first frame, without its controls', async () => {
    const withLab = pagesOf(BUILDS.main.dir).find((p) =>
      readFileSync(join(BUILDS.main.dir, p, 'index.html'), 'utf8').includes('<astro-island'),
    );
    const page = await open(withLab ?? 'understand/2msl/');
    if (!withLab) {
      // No chapter has a lab yet: stand one in, shaped like the widgets' server-rendered markup.
      await page.evaluate(() => {
        const island = document.createElement('astro-island');
        island.innerHTML =
          '<figure class="twg-seq"><svg width="300" height="120"><rect width="300" height="120" /></svg>' +
          '<div class="twg-buttons"><button type="button">Play</button></div>' +
          '<input type="range" class="twg-scrub" /></figure>';
        document.querySelector('.sl-markdown-content')?.prepend(island);
      });
    }
    await page.emulateMedia({ media: 'print' });
    const island = page.locator('.sl-markdown-content astro-island').first();
    expect(await island.isVisible()).toBe(true);
    // <astro-island> is `display: contents` (no box of its own): measure what it holds.
    const height = await island.evaluate((el) =>
      Math.max(0, ...[...el.children].map((c) => c.getBoundingClientRect().height)),
    );
    expect(height).toBeGreaterThan(20);
    const controls = island.locator('button, input, select');
    expect(await controls.count()).toBeGreaterThan(0);
    for (let i = 0; i < (await controls.count()); i++) expect(await controls.nth(i).isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });
    expect(await controls.first().isVisible()).toBe(true);
    await page.close();
  });
});
