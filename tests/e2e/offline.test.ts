import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as pagefind from 'pagefind';
import { type BrowserContext, chromium, type Page, type Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer } from '../../scripts/lib/static-server.ts';
import { type Precache, precacheOf, writeServiceWorker } from '../../src/offline/build.ts';
import { BUILDS, CHROMIUM, requireBuild, watch } from './harness.ts';

// The offline copy (src/offline/): a reader visits once, the network goes away, and the whole guide
// still works; then a new build is deployed at the same address and replaces the copy as a whole.
//
// The server serves a symlink, so a "deploy" is swapping the link: same origin, same port. While the
// browser is offline the server also counts requests: any request that reaches it is a failure.

const V1 = resolve(BUILDS.main.dir);
const MARKER = 'Quokkaphrase';
let work: string;
let v2: string;
let link: string;
let server: Server;
let site: string;
let context: BrowserContext;
let p1: Precache;
let p2: Precache;
let offline = false;
let reachedServer: string[] = [];

/** A second version of the site: one chapter changed, its search index rebuilt, a new worker written. */
async function makeSecondBuild(from: string, to: string): Promise<void> {
  cpSync(from, to, { recursive: true });
  const file = join(to, 'understand/arises/index.html');
  const html = readFileSync(file, 'utf8');
  const changed = html.replace(
    /(<div class="sl-markdown-content">)/,
    `$1<p id="twg-v2">${MARKER}: this paragraph exists only in the second build.</p>`,
  );
  expect(changed, 'the chapter has a Markdown body to change').not.toBe(html);
  writeFileSync(file, changed);
  rmSync(join(to, 'pagefind'), { recursive: true, force: true });
  try {
    const { index, errors } = await pagefind.createIndex();
    if (!index) throw new Error(errors.join('; '));
    const added = await index.addDirectory({ path: to });
    if (added.errors.length) throw new Error(added.errors.join('; '));
    const written = await index.writeFiles({ outputPath: join(to, 'pagefind') });
    if (written.errors.length) throw new Error(written.errors.join('; '));
  } finally {
    await pagefind.close();
  }
  await writeServiceWorker(to, '/');
}

/** Points the server at another build, atomically, as a deploy would. */
function deploy(dir: string): void {
  const next = `${link}.next`;
  symlinkSync(dir, next);
  renameSync(next, link);
}

function cacheName(p: Precache): string {
  return `twg-offline:${p.base}:${p.version}`;
}

async function cacheKeys(page: Page): Promise<string[]> {
  return page.evaluate(() => caches.keys());
}

/**
 * Searches with Starlight's search dialog. With `want`, waits until that page is among the results
 * (or the results satisfy it);
 * without, waits for Pagefind's result message and a moment more, then returns what is listed.
 */
async function search(
  page: Page,
  query: string,
  want?: string | ((hrefs: string[]) => boolean),
): Promise<string[]> {
  await page.locator('site-search button[data-open-modal]').first().click();
  await page.locator('#starlight__search input.pagefind-ui__search-input').fill(query);
  const results = page.locator('#starlight__search a[href]');
  const read = () => results.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
  let hrefs: string[] = [];
  if (want) {
    const ok = typeof want === 'string' ? (h: string[]) => h.includes(want) : want;
    for (const until = Date.now() + 15_000; Date.now() < until; await page.waitForTimeout(200)) {
      hrefs = await read();
      if (ok(hrefs)) break;
    }
  } else {
    await page.locator('#starlight__search .pagefind-ui__message').waitFor({ timeout: 15_000 });
    await page.waitForTimeout(1000);
    hrefs = await read();
  }
  await page.keyboard.press('Escape');
  return hrefs;
}

/** The bodies of pagefind-entry.json a page received (the file that names the index chunks). */
function recordEntries(page: Page): string[] {
  const seen: string[] = [];
  page.on('response', async (res: Response) => {
    if (new URL(res.url()).pathname.endsWith('/pagefind/pagefind-entry.json')) {
      seen.push((await res.body()).toString('utf8'));
    }
  });
  return seen;
}

function titleOf(dir: string, path: string): string {
  const html = readFileSync(join(dir, path, 'index.html'), 'utf8');
  return (/<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '').replaceAll('&amp;', '&').replaceAll('&#39;', "'");
}

beforeAll(async () => {
  requireBuild(V1);
  p1 = precacheOf(V1, '/');
  work = mkdtempSync(join(tmpdir(), 'twg-offline-'));
  v2 = join(work, 'v2');
  await makeSecondBuild(V1, v2);
  p2 = precacheOf(v2, '/');
  link = join(work, 'site');
  symlinkSync(V1, link);
  ({ server, url: site } = await startStaticServer({ root: link, base: '/' }));
  server.on('request', (req) => {
    // The browser's own update check for the worker script ignores emulated offline mode; a real
    // offline browser simply fails it and keeps the installed worker.
    if (offline && req.url !== '/sw.js') reachedServer.push(req.url ?? '');
  });
  // A persistent profile, as a reader has: Chromium does not offer to install apps in incognito ones.
  context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-sync'],
  });
}, 180_000);

afterAll(async () => {
  await context?.close();
  server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function goOffline(on: boolean): Promise<void> {
  offline = on;
  reachedServer = [];
  await context.setOffline(on);
}

describe('reading offline', () => {
  it('lists every file of the build in the worker, under a version that changes with any file', () => {
    const sw = readFileSync(join(V1, 'sw.js'), 'utf8');
    expect(sw).toContain(`"version":"${p1.version}"`);
    const urls = new Set(p1.entries.map((e) => e.url));
    for (const needed of ['', 'zh-cn/', 'understand/arises/', 'zh-cn/understand/arises/', '404.html']) {
      expect(urls.has(needed), needed).toBe(true);
    }
    const pagefindFiles = p1.entries.filter((e) => e.url.startsWith('pagefind/'));
    expect(pagefindFiles.some((e) => /pagefind\.en_[0-9a-f]+\.pf_meta$/.test(e.url))).toBe(true);
    expect(pagefindFiles.some((e) => /pagefind\.zh-cn_[0-9a-f]+\.pf_meta$/.test(e.url))).toBe(true);
    expect(
      p1.entries.filter((e) => e.url.startsWith('_astro/') && e.url.endsWith('.js')).length,
    ).toBeGreaterThan(3);
    expect(p1.notFound).toMatchObject({ '': '404.html', 'zh-cn': 'zh-cn/404/' });
    // One changed page gives another version; an unchanged copy would give the same one.
    expect(p2.version).not.toBe(p1.version);
    expect(precacheOf(V1, '/').version).toBe(p1.version);
    const bytes = p1.entries.reduce((n, e) => n + e.bytes, 0);
    console.log(`precache ${p1.version}: ${p1.entries.length} files, ${bytes} bytes`);
  });

  it('caches the whole site on the first visit, and the guide is installable', async () => {
    const page = await context.newPage();
    await page.goto(site, { waitUntil: 'load' });
    const state = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      return { scope: reg.scope, state: reg.active?.state };
    });
    expect(state.scope).toBe(site);
    await page.waitForFunction(
      async () => (await navigator.serviceWorker.ready).active?.state === 'activated',
    );
    expect(await cacheKeys(page)).toContain(cacheName(p1));
    const cached = await page.evaluate(
      async (name) => (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname),
      cacheName(p1),
    );
    expect(new Set(cached)).toEqual(new Set(p1.entries.map((e) => `/${e.url}`)));
    // A first install is not an update: no notice.
    await page.reload();
    await page.waitForTimeout(500);
    expect(await page.locator('#twg-update').count()).toBe(0);

    // Installability as Chromium judges it (manifest fields, icons, service worker), through CDP.
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
      installabilityErrors: { errorId: string }[];
    };
    expect(installabilityErrors).toEqual([]);
    const manifest = (await cdp.send('Page.getAppManifest')) as {
      url: string;
      errors: unknown[];
      data?: string;
    };
    expect(manifest.errors).toEqual([]);
    expect(JSON.parse(manifest.data ?? '{}')).toMatchObject({
      name: 'TIME_WAIT, Explained',
      short_name: 'TIME_WAIT',
      display: 'standalone',
    });
    const { appId } = (await cdp.send('Page.getAppId')) as { appId?: string };
    expect(appId).toBe(site);
    await page.goto(`${site}zh-cn/`);
    expect(await page.getAttribute('link[rel="manifest"]', 'href')).toBe('/manifest.zh-cn.webmanifest');
    // The Chinese manifest starts in Chinese but is the same app (same id), not a second one.
    expect(((await cdp.send('Page.getAppId')) as { appId?: string }).appId).toBe(site);
    const zh = (await cdp.send('Page.getAppManifest')) as { errors: unknown[]; data?: string };
    expect(JSON.parse(zh.data ?? '{}')).toMatchObject({ name: 'TIME_WAIT 详解', start_url: './zh-cn/' });
    await page.close();
  });

  it('opens every page of the sitemap in both languages with the network off', async () => {
    const sitemap = readFileSync(join(V1, 'sitemap-0.xml'), 'utf8');
    const paths = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) =>
      new URL(m[1] ?? '').pathname.slice(1),
    );
    expect(paths.filter((p) => p.startsWith('zh-cn/')).length).toBeGreaterThan(10);
    expect(paths.filter((p) => !p.startsWith('zh-cn/')).length).toBeGreaterThan(10);
    await goOffline(true);
    const page = await context.newPage();
    const problems = watch(page);
    const wrong: string[] = [];
    for (const path of paths) {
      const res = await page.goto(site + path, { waitUntil: 'load' });
      if (!res?.ok() || !res.fromServiceWorker()) wrong.push(`${path}: ${res?.status()} from network`);
      if ((await page.title()) !== titleOf(V1, path)) wrong.push(`${path}: title ${await page.title()}`);
    }
    expect(wrong).toEqual([]);
    // Requests cut short by the next navigation (the favicon, lazy chunks) are not failures.
    expect(problems.failed.filter((f) => !f.endsWith('net::ERR_ABORTED'))).toEqual([]);
    expect(problems.console).toEqual([]);
    expect(reachedServer).toEqual([]);
    await page.close();
  }, 180_000);

  it('runs JavaScript islands from the cache offline', async () => {
    const withIsland = [...p1.entries]
      .filter((e) => e.url.endsWith('/') || e.url === '')
      .find((e) => readFileSync(e.file, 'utf8').includes('<astro-island'));
    const page = await context.newPage();
    if (withIsland) {
      await page.goto(site + withIsland.url);
      // client:visible islands hydrate when scrolled to.
      await page.locator('astro-island').first().scrollIntoViewIfNeeded();
      await page.waitForFunction(() => document.querySelector('astro-island:not([ssr])') !== null);
    } else {
      // No chapter has a lab yet: the island runtime must still come from the cache.
      await page.goto(site);
      const chunk = p1.entries.find((e) => /^_astro\/client\.[^/]+\.js$/.test(e.url));
      expect(chunk, 'the Preact island client chunk').toBeDefined();
      const status = await page.evaluate(async (u) => (await fetch(u)).status, `/${chunk?.url}`);
      expect(status).toBe(200);
    }
    expect(reachedServer).toEqual([]);
    await page.close();
  });

  it('searches in English and Chinese offline', async () => {
    const page = await context.newPage();
    await page.goto(site);
    expect(await search(page, 'active closer', '/understand/arises/')).toContain('/understand/arises/');
    await page.goto(`${site}zh-cn/`);
    const zh = await search(page, '端口', (h) => h.length > 0);
    expect(zh.length).toBeGreaterThan(0);
    expect(zh.every((h) => h.startsWith('/zh-cn/'))).toBe(true);
    expect(reachedServer).toEqual([]);
    await page.close();
  });

  it("answers an address it has not saved with the site's 404 page in the right language", async () => {
    const page = await context.newPage();
    const res = await page.goto(`${site}no/such/page/`);
    expect(res?.status()).toBe(404);
    expect(await page.textContent('body')).toContain('no page at this address');
    await page.goto(`${site}zh-cn/no/such/page/`);
    expect(await page.textContent('body')).toContain('这个地址上没有页面');
    expect(reachedServer).toEqual([]);
    await page.close();
    await goOffline(false);
  });
});

describe('updating to a new build', () => {
  it('offers the update, keeps each page with its own index, and then drops the old copy', async () => {
    const v1Entry = readFileSync(join(V1, 'pagefind/pagefind-entry.json'), 'utf8');
    const v2Entry = readFileSync(join(v2, 'pagefind/pagefind-entry.json'), 'utf8');
    expect(v2Entry).not.toBe(v1Entry);

    // Tab B: a chapter from the first build, left open across the whole update.
    const b = await context.newPage();
    const bEntries = recordEntries(b);
    const bProblems = watch(b);
    await b.goto(`${site}understand/why/`);
    // Standalone runs start without a worker: install the first build's, and load the page through it.
    await b.evaluate(() => navigator.serviceWorker.ready);
    if (!(await b.evaluate(() => navigator.serviceWorker.controller))) await b.reload();
    expect(await b.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

    deploy(v2);
    // Tab A: a navigation checks for a new worker, which installs the second build beside the first.
    const a = await context.newPage();
    const aEntries = recordEntries(a);
    await a.goto(`${site}understand/arises/`);
    const notice = a.locator('#twg-update[role="status"]');
    await notice.waitFor({ timeout: 30_000 });
    await expect.poll(() => notice.textContent()).toContain('A new version of this guide is ready.');
    // Until the reader accepts, this page is the first build's, and so is its index.
    expect(await a.locator('#twg-v2').count()).toBe(0);
    expect(await search(a, MARKER)).toEqual([]);
    expect(aEntries.every((e) => e === v1Entry)).toBe(true);
    expect(await cacheKeys(a)).toEqual(expect.arrayContaining([cacheName(p1), cacheName(p2)]));

    await Promise.all([a.waitForEvent('load'), notice.getByRole('button', { name: 'Reload' }).click()]);
    await a.locator('#twg-v2').waitFor();
    aEntries.length = 0;
    expect(await search(a, MARKER, '/understand/arises/')).toContain('/understand/arises/');
    expect(aEntries.length).toBeGreaterThan(0);
    expect(aEntries.every((e) => e === v2Entry)).toBe(true);

    // Tab B is still the first build's page, now under the new worker: it must get the first index.
    const bFound = await search(b, 'active closer', '/understand/arises/');
    expect(bProblems.console).toEqual([]);
    expect(bFound).toContain('/understand/arises/');
    expect(bEntries.length).toBeGreaterThan(0);
    expect(bEntries.every((e) => e === v1Entry)).toBe(true);
    expect(await cacheKeys(a)).toContain(cacheName(p1));

    // Once no page of the first build is open, its cache goes.
    await b.close();
    await expect
      .poll(
        async () => {
          await a.reload(); // the reader keeps reading
          return (await cacheKeys(a)).filter((k) => k.startsWith('twg-offline:/:'));
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toEqual([cacheName(p2)]);

    // And offline, the reader now gets the second build.
    await goOffline(true);
    await a.goto(`${site}understand/arises/`);
    await a.locator('#twg-v2').waitFor();
    expect(await search(a, MARKER, '/understand/arises/')).toContain('/understand/arises/');
    expect(reachedServer).toEqual([]);
    await goOffline(false);
    await a.close();
  }, 120_000);

  it('refuses a deploy whose files do not match its worker, and keeps serving the installed build', async () => {
    // A host caught mid-deploy: the new worker is up but one file is still another build's.
    const v3 = join(work, 'v3');
    cpSync(V1, v3, { recursive: true });
    writeFileSync(join(v3, 'understand/overview/index.html'), '<!doctype html><title>half-deployed</title>');
    await writeServiceWorker(v3, '/');
    writeFileSync(
      join(v3, 'understand/overview/index.html'),
      readFileSync(join(V1, 'understand/overview/index.html')),
    );
    const p3 = precacheOf(v3, '/');
    deploy(v3);
    const page = await context.newPage();
    await page.goto(`${site}understand/arises/`);
    const outcome = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      try {
        await reg.update();
      } catch (err) {
        return `update rejected: ${String(err)}`;
      }
      const w = reg.installing;
      if (!w) return 'nothing installing';
      return new Promise<string>((done) => w.addEventListener('statechange', () => done(w.state)));
    });
    expect(outcome).toMatch(/redundant|update rejected/);
    await page.waitForTimeout(500);
    expect(await page.locator('#twg-update').count()).toBe(0);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.ready).waiting)).toBeNull();
    // Still the second build, whole.
    await page.reload();
    await page.locator('#twg-v2').waitFor();
    expect(p3.version).not.toBe(p2.version);
    await page.close();
  }, 60_000);

  it('offers the update in Chinese on a Chinese page', async () => {
    // Back to the first build: any different build is an update.
    deploy(V1);
    const page = await context.newPage();
    await page.goto(`${site}zh-cn/`);
    const notice = page.locator('#twg-update');
    await notice.waitFor({ timeout: 30_000 });
    await expect.poll(() => notice.textContent()).toContain('本指南有新版本可用');
    expect(await notice.getByRole('button', { name: '重新加载' }).count()).toBe(1);
    await page.close();
  }, 60_000);
});
