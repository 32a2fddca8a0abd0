import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precacheOf } from '../../src/offline/build.ts';
import { BUILDS, CHROMIUM, serve } from './harness.ts';

// The offline copy of a site served under a sub-path (dist-sub, BASE_PATH=/twg-sub/): the worker's
// scope, its file list and its 404 fallback must all stay under /twg-sub/.

let server: Server;
let site: string;
let context: BrowserContext;
let profile: string;
let offline = false;
const reached: string[] = [];

beforeAll(async () => {
  ({ server, url: site } = await serve('sub'));
  server.on('request', (req) => {
    if (offline && req.url !== '/twg-sub/sw.js') reached.push(req.url ?? '');
  });
  profile = mkdtempSync(join(tmpdir(), 'twg-offline-sub-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-sync'],
  });
});
afterAll(async () => {
  await context?.close();
  server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe('reading offline under a sub-path', () => {
  it('registers the worker for the sub-path only, caches every file, and works offline', async () => {
    const precache = precacheOf(resolve(BUILDS.sub.dir), BUILDS.sub.base);
    expect(precache.base).toBe('/twg-sub/');
    const page = await context.newPage();
    await page.goto(`${site}zh-cn/`);
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(new URL(scope).pathname).toBe('/twg-sub/');
    expect(await page.getAttribute('link[rel="manifest"]', 'href')).toBe(
      '/twg-sub/manifest.zh-cn.webmanifest',
    );
    const cached = await page.evaluate(
      async (name) => (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname),
      `twg-offline:/twg-sub/:${precache.version}`,
    );
    expect(new Set(cached)).toEqual(new Set(precache.entries.map((e) => `/twg-sub/${e.url}`)));

    offline = true;
    await context.setOffline(true);
    for (const path of ['', 'understand/arises/', 'zh-cn/understand/arises/']) {
      const res = await page.goto(site + path);
      expect(res?.fromServiceWorker(), path).toBe(true);
      expect(res?.status(), path).toBe(200);
    }
    const res = await page.goto(`${site}zh-cn/nowhere/`);
    expect(res?.status()).toBe(404);
    expect(await page.textContent('body')).toContain('这个地址上没有页面');

    await page.goto(`${site}zh-cn/`);
    await page.locator('site-search button[data-open-modal]').first().click();
    await page.locator('#starlight__search input.pagefind-ui__search-input').fill('端口');
    const first = page.locator('#starlight__search a[href]').first();
    await first.waitFor({ timeout: 15_000 });
    expect(new URL(await first.evaluate((a) => (a as HTMLAnchorElement).href)).pathname).toMatch(
      /^\/twg-sub\/zh-cn\//,
    );
    expect(reached).toEqual([]);
    await page.close();
  }, 90_000);
});
