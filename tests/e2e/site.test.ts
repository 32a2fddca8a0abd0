import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILDS, launch, pagesOf, serve, watch } from './harness.ts';

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
  const page = await browser.newPage();
  await page.goto(site + path, { waitUntil: 'load' });
  return page;
}

describe('the built site, in two languages', () => {
  it('serves the home page and the first chapter in English and 简体中文 with the right lang', async () => {
    for (const [path, lang, title] of [
      ['', 'en', 'TIME_WAIT, Explained'],
      ['zh-cn/', 'zh-CN', 'TIME_WAIT 详解'],
      ['understand/arises/', 'en', 'How TIME_WAIT arises'],
      ['zh-cn/understand/arises/', 'zh-CN', 'TIME_WAIT 是怎么产生的'],
    ] as const) {
      const page = await open(path);
      expect(await page.getAttribute('html', 'lang'), path).toBe(lang);
      expect(await page.title(), path).toContain(title);
      await page.close();
    }
  });

  it('links each chapter to its translation with hreflang', async () => {
    const html = readFileSync(`${BUILDS.main.dir}/understand/arises/index.html`, 'utf8');
    expect(html).toMatch(/<link rel="alternate" hreflang="zh-CN" href="[^"]*\/zh-cn\/understand\/arises\/"/);
    expect(html).toMatch(/<link rel="alternate" hreflang="en" href="[^"]*\/understand\/arises\/"/);
    expect(html).toMatch(/<meta property="og:title"/);
    expect(html).toMatch(/<meta name="description" content="[^"]{20,}"/);
  });

  it('switches to the same chapter in the other language with the language picker', async () => {
    const page = await open('understand/arises/');
    await Promise.all([
      page.waitForURL(/\/zh-cn\/understand\/arises\/$/),
      page.locator('starlight-lang-select select').first().selectOption({ label: '简体中文' }),
    ]);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await Promise.all([
      page.waitForURL((u) => u.pathname.endsWith('/understand/arises/') && !u.pathname.includes('zh-cn')),
      page.locator('starlight-lang-select select').first().selectOption({ label: 'English' }),
    ]);
    await page.close();
  });

  async function search(path: string, query: string): Promise<string[]> {
    const page = await open(path);
    await page.locator('site-search button[data-open-modal]').first().click();
    const input = page.locator('#starlight__search input.pagefind-ui__search-input');
    await input.fill(query);
    const results = page.locator('#starlight__search a[href]');
    await results.first().waitFor({ timeout: 15_000 });
    const hrefs = await results.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
    await page.close();
    return hrefs;
  }

  it('finds the chapter with an English query', async () => {
    const hrefs = await search('', 'active closer');
    expect(hrefs.some((h) => h.endsWith('/understand/arises/') && !h.includes('zh-cn'))).toBe(true);
  });

  it('finds the chapter with Chinese queries, in the Chinese index only', async () => {
    for (const query of ['端口', '耗尽', '主动关闭']) {
      const hrefs = await search('zh-cn/', query);
      expect(
        hrefs.some((h) => h.includes('/zh-cn/')),
        query,
      ).toBe(true);
      expect(
        hrefs.every((h) => h.includes('/zh-cn/')),
        `${query}: results from the English index leaked in`,
      ).toBe(true);
    }
  });

  it('renders Mermaid diagrams as inline SVG at build time and ships no Mermaid JavaScript', () => {
    for (const path of ['understand/arises/', 'zh-cn/understand/arises/']) {
      const html = readFileSync(`${BUILDS.main.dir}/${path}index.html`, 'utf8');
      const svgs = html.match(/<figure class="diagram diagram-svg"><svg/g) ?? [];
      expect(svgs.length, path).toBeGreaterThanOrEqual(2);
      expect(html, path).not.toContain('data-diagram-fallback');
      expect(html, path).not.toMatch(/<script[^>]+mermaid/i);
    }
  });

  it('highlights code with Expressive Code', () => {
    const html = readFileSync(`${BUILDS.main.dir}/understand/arises/index.html`, 'utf8');
    expect(html).toMatch(/<div class="expressive-code/);
    expect(html).toMatch(/data-language="c"/);
  });

  it('answers unknown URLs with a 404 page in both languages', async () => {
    for (const [path, text] of [
      ['no/such/page/', 'no page at this address'],
      ['zh-cn/404/', '这个地址上没有页面'],
    ] as const) {
      const page = await browser.newPage();
      const res = await page.goto(site + path);
      if (path.startsWith('no/')) expect(res?.status()).toBe(404);
      expect(await page.textContent('body')).toContain(text);
      await page.close();
    }
  });

  it('loads every page with no console error and no failed request (favicon included)', async () => {
    const pages = pagesOf(BUILDS.main.dir);
    expect(pages.length).toBeGreaterThanOrEqual(6);
    const problems: string[] = [];
    for (const path of pages) {
      const page = await browser.newPage();
      const seen = watch(page);
      await page.goto(site + path, { waitUntil: 'networkidle' });
      problems.push(...seen.console, ...seen.failed);
      await page.close();
    }
    expect(problems).toEqual([]);
    // Every page waits for the network to go idle (≥ 500 ms each): ~110 pages need minutes, not seconds.
  }, 600_000);

  it('has a sitemap that lists both languages', () => {
    const sitemap = readFileSync(`${BUILDS.main.dir}/sitemap-0.xml`, 'utf8');
    expect(sitemap).toContain('/understand/arises/');
    expect(sitemap).toContain('/zh-cn/understand/arises/');
  });
});
