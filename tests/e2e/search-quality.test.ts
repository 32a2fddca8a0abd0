// Gate: search quality. Every query of tests/e2e/search-quality.json must return its page among the
// first 3 results, searched the way the site's search box does it: the real Pagefind index of the
// page's language, loaded in Chromium through pagefind.js's `search()` with the ranking Starlight
// configures. A miss is fixed in content or index settings (headings, data-pagefind-weight/meta), never
// by changing the table.
import { existsSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sitemapPages } from '../../bench/weights.ts';
import { BUILDS, launch, serve } from './harness.ts';

interface Row {
  lang: 'en' | 'zh-cn';
  q: string;
  expect: string;
}
const TABLE = 'tests/e2e/search-quality.json';
const rows = (JSON.parse(readFileSync(TABLE, 'utf8')) as { queries: Row[] }).queries;

const { dir, base } = BUILDS.main;

/**
 * The page a row expects: a site path, or `qa:<id>` for a thread, resolved to /qa/<chapter>/<id>/ in the
 * row's language (threads move between chapters; their ids stay). Null when the build has no such page.
 */
function expectedPath(row: Row): string | null {
  if (!row.expect.startsWith('qa:')) {
    return existsSync(join(dir, row.expect, 'index.html')) ? row.expect : null;
  }
  const id = row.expect.slice(3);
  const prefix = row.lang === 'en' ? 'qa/' : `${row.lang}/qa/`;
  const found = sitemapPages(dir, base).filter((p) => p.startsWith(prefix) && p.endsWith(`/${id}/`));
  return found.length === 1 ? `/${found[0]}` : null;
}

/** The ranking weights Starlight passes to Pagefind, read from the built search script. */
function starlightRanking(): Record<string, number> {
  const astro = join(dir, '_astro');
  const file = readFileSync(join(dir, 'index.html'), 'utf8').match(/\/_astro\/(Search[^"]+\.js)"/)?.[1];
  if (!file) throw new Error(`${dir}/index.html: no Starlight search script found`);
  const code = readFileSync(join(astro, file), 'utf8');
  const literal = code.match(/ranking:(\{[^{}]*\})/)?.[1];
  if (!literal) throw new Error(`${astro}/${file}: no Pagefind ranking options found`);
  // An object literal of numbers, e.g. {pageLength:.1,termFrequency:.1}: quote the keys for JSON.
  return JSON.parse(literal.replace(/([a-zA-Z]+):/g, '"$1":').replace(/([:,])\./g, '$10.'));
}

let browser: Browser;
let server: Server;
let site: string;
const pages: Partial<Record<Row['lang'], Page>> = {};

beforeAll(async () => {
  ({ server, url: site } = await serve('main'));
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  server?.close();
});

/** A page of the given language with Pagefind loaded and initialised for that language's index. */
async function searchPage(lang: Row['lang']): Promise<Page> {
  const existing = pages[lang];
  if (existing) return existing;
  const page = await browser.newPage();
  await page.goto(site + (lang === 'en' ? '' : `${lang}/`), { waitUntil: 'load' });
  const ranking = starlightRanking();
  const bundle = `${new URL(site).pathname}pagefind/pagefind.js`;
  // A string, not a function: vitest would rewrite a dynamic import() in a function's source.
  await page.evaluate(`(async () => {
    const pagefind = await import(${JSON.stringify(bundle)});
    await pagefind.options({ ranking: ${JSON.stringify(ranking)} });
    await pagefind.init();
    window.__pagefind = pagefind;
  })()`);
  pages[lang] = page;
  return page;
}

async function top3(lang: Row['lang'], q: string): Promise<{ url: string; title: string }[]> {
  const page = await searchPage(lang);
  return page.evaluate(async (query) => {
    // biome-ignore lint/suspicious/noExplicitAny: see searchPage.
    const pagefind = (window as any).__pagefind;
    const search = await pagefind.search(query);
    const data = await Promise.all(
      search.results.slice(0, 3).map((r: { data: () => Promise<unknown> }) => r.data()),
    );
    return (data as { url: string; meta: { title?: string } }[]).map((d) => ({
      url: d.url,
      title: d.meta?.title ?? '',
    }));
  }, q);
}

describe('search quality (Pagefind, top 3)', () => {
  it('has at least 25 English and 25 Chinese queries, each naming a page that exists', () => {
    expect(rows.filter((r) => r.lang === 'en').length).toBeGreaterThanOrEqual(25);
    expect(rows.filter((r) => r.lang === 'zh-cn').length).toBeGreaterThanOrEqual(25);
    const bad = rows.filter((r) => {
      const path = expectedPath(r);
      return path === null || (r.lang === 'zh-cn') !== path.startsWith('/zh-cn/');
    });
    expect(
      bad.map((r) => `${TABLE}: "${r.q}" expects ${r.expect}, which is not a ${r.lang} page of the build`),
    ).toEqual([]);
  });

  it('finds the expected page in the top 3 for every query, in its language', async () => {
    const misses: string[] = [];
    const hits: Record<string, [number, number]> = { en: [0, 0], 'zh-cn': [0, 0] };
    for (const row of rows) {
      const found = await top3(row.lang, row.q);
      const counts = hits[row.lang] as [number, number];
      counts[1]++;
      // Reply records carry an anchor (/qa/…/#reply-a): they count for the page they are on.
      if (
        found.some(
          (f) => new URL(f.url, site).pathname.replace(new URL(site).pathname, '/') === expectedPath(row),
        )
      ) {
        counts[0]++;
      } else {
        misses.push(
          `[${row.lang}] "${row.q}": expected ${row.expect}, got ${found.map((f) => f.url).join(', ') || 'nothing'}`,
        );
      }
    }
    const rate = (l: string) => `${hits[l]?.[0]}/${hits[l]?.[1]}`;
    console.log(`search quality: en ${rate('en')}, zh-cn ${rate('zh-cn')} in the top 3`);
    expect(misses).toEqual([]);
  }, 300_000);
});
