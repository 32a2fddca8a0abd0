// "Which fix is mine?" in Chromium, in both languages: the first frame is there without JavaScript,
// the reader answers by keyboard alone, the ranking follows, the answers land in the URL and come back
// from it, and the first recommendation leads to its page.
// Runs against dist/ (built by `npm test`), or another build: TWG_E2E_DIST=/tmp/some-dist.
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer } from '../../scripts/lib/static-server.ts';
import { BUILDS, launch, requireBuild, watch } from './harness.ts';

const DIST = process.env.TWG_E2E_DIST ?? BUILDS.main.dir;

let browser: Browser;
let server: Server;
let site: string;

beforeAll(async () => {
  requireBuild(DIST);
  ({ server, url: site } = await startStaticServer({ root: DIST, base: '/' }));
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  server?.close();
});

const LANGS = [
  {
    prefix: '',
    defaultFirst: 'Keep-alive and connection pools',
    serverRestartFirst: 'SO_REUSEADDR and SO_REUSEPORT',
    systemOnlyFirst: 'More 4-tuples',
  },
  {
    prefix: 'zh-cn/',
    defaultFirst: 'Keep-alive 与连接池',
    serverRestartFirst: 'SO_REUSEADDR 与 SO_REUSEPORT',
    systemOnlyFirst: '更多四元组',
  },
] as const;

async function openChooser(path: string): Promise<{ page: Page; problems: ReturnType<typeof watch> }> {
  const page = await browser.newPage();
  const problems = watch(page);
  await page.goto(site + path, { waitUntil: 'load' });
  // client:visible: the island hydrates once it scrolls into view.
  await page.locator('.twg-chooser').scrollIntoViewIfNeeded();
  await page.locator('.twg-chooser[data-hydrated="true"]').waitFor({ timeout: 15_000 });
  return { page, problems };
}

// Re-rendering after a key press can take a while on a loaded two-core machine.
const POLL = { timeout: 10_000 };

const firstRecommendation = (page: Page) => page.locator('.twg-chooser-ranked > li > a').first();

describe('the chooser', () => {
  for (const l of LANGS) {
    describe(l.prefix || 'en', () => {
      it('ships a first frame with the default answers, rendered at build time', () => {
        const html = readFileSync(join(DIST, l.prefix, 'mitigate/choose/index.html'), 'utf8');
        expect(html).toMatch(/<astro-island[^>]+client="visible"/);
        const ranked = /<ol class="twg-chooser-ranked">([\s\S]*?)<\/ol>/.exec(html)?.[1] ?? '';
        expect(ranked).toContain(`href="../keepalive-pooling/"`);
        expect(ranked).toContain(l.defaultFirst);
        // The no-JavaScript version: the decision tree as an inline SVG.
        expect(html).toMatch(/<figure class="diagram diagram-svg"><svg/);
      });

      it('is answered by keyboard alone and puts the answers in the URL', async () => {
        const { page, problems } = await openChooser(`${l.prefix}mitigate/choose/`);
        expect(await firstRecommendation(page).textContent()).toBe(l.defaultFirst);

        // First question: the checked radio takes the focus; an arrow key moves the choice.
        await page.locator('input[name="twg-chooser-symptom"]').first().focus();
        await page.keyboard.press('ArrowDown'); // bind() fails: EADDRINUSE
        await page.keyboard.press('Tab'); // next question: client or server
        await page.keyboard.press('ArrowDown'); // server
        await expect.poll(() => firstRecommendation(page).textContent(), POLL).toBe(l.serverRestartFirst);
        // The URL follows in an effect after the render, so wait for it too.
        await expect.poll(() => page.url(), POLL).toMatch(/[?&]symptom=eaddrinuse&role=server(&|$)/);

        // Enter on the first recommendation opens its page.
        await firstRecommendation(page).focus();
        await Promise.all([page.waitForURL(/\/mitigate\/reuseaddr\/$/), page.keyboard.press('Enter')]);
        expect(problems.console, 'console errors').toEqual([]);
        await page.close();
      });

      it('restores the answers from the URL and re-ranks when one changes', async () => {
        const { page, problems } = await openChooser(
          `${l.prefix}mitigate/choose/?symptom=eaddrnotavail&role=client&protocol=no&os=linux`,
        );
        expect(await firstRecommendation(page).textContent()).toBe(l.systemOnlyFirst);
        expect(await page.locator('input[name="twg-chooser-protocol"][value="no"]').isChecked()).toBe(true);
        // Move to the OS question by keyboard and pick FreeBSD: tcp_tw_reuse leaves the list.
        await page.locator('input[name="twg-chooser-os"][value="linux"]').focus();
        await page.keyboard.press('ArrowDown');
        await expect.poll(() => page.url(), POLL).toMatch(/[?&]os=freebsd(&|$)/);
        const excluded = page.locator('.twg-chooser-excluded li[data-slug="tw-reuse"]');
        await expect.poll(() => excluded.count(), POLL).toBe(1);
        expect(problems.console, 'console errors').toEqual([]);
        await page.close();
      });
    });
  }
});
