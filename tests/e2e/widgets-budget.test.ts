// Budget: the JavaScript a chapter page loads for one widget, gzipped, is at most 40 KB, Preact and the
// simulator included. Measured on the build (TWG_DIST, see harness.ts): the island's component and
// renderer modules and everything they import, statically or dynamically, plus the inline
// <astro-island> loader; and cross-checked in Chromium, where every module the page fetched after the
// widgets hydrated must be part of that set or of the page's own (non-widget) scripts.

import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILDS, launch, serve } from './harness.ts';

const BUDGET = 40 * 1024;
const PAGES = ['understand/arises/', 'zh-cn/understand/arises/'];
const DIR = BUILDS.main.dir;
const BASE = BUILDS.main.base;

const gz = (s: string | Buffer) => gzipSync(s).length;
const fileOf = (url: string) =>
  join(DIR, decodeURIComponent(url.replace(/^https?:\/\/[^/]+/, '')).replace(BASE, '/'));

/**
 * A module and everything it imports statically, as URL paths; dynamic imports go to `lazy` (they
 * count only when the page actually fetches them: Astro's Preact renderer, for one, imports
 * @preact/signals only for islands that pass signals).
 */
function graph(entry: string, seen = new Set<string>(), lazy = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const code = readFileSync(fileOf(entry), 'utf8');
  const dir = entry.slice(0, entry.lastIndexOf('/') + 1);
  const resolve = (spec: string) => (spec.startsWith('/') ? spec : new URL(spec, `http://x${dir}`).pathname);
  for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*)["'`]([^"'`]+\.js)["'`]/g))
    graph(resolve(m[1] as string), seen, lazy);
  for (const m of code.matchAll(/\bimport\s*\(\s*["'`]([^"'`]+\.js)["'`]/g))
    lazy.add(resolve(m[1] as string));
  // Vite's preload helper lists lazy chunks as plain strings ("_astro/x.js"): count them as lazy too.
  for (const m of code.matchAll(/["'`]((?:\.{0,2}\/|_astro\/)[^"'`]+\.js)["'`]/g)) {
    const spec = m[1] as string;
    lazy.add(spec.startsWith('_astro/') ? `${BASE}${spec}` : resolve(spec));
  }
  return seen;
}

interface WidgetWeight {
  files: { url: string; gzip: number }[];
  inline: number;
  total: number;
}

function widgetWeight(html: string, fetched: Set<string>): WidgetWeight {
  const islands = [...html.matchAll(/<astro-island\b[^>]*>/g)].map((m) => m[0]);
  expect(islands.length, 'astro-island elements on the page').toBeGreaterThan(0);
  const entries = new Set<string>();
  for (const tag of islands) {
    for (const attr of ['component-url', 'renderer-url']) {
      const v = new RegExp(`${attr}="([^"]+)"`).exec(tag)?.[1];
      if (v) entries.add(v.replace(/&amp;/g, '&'));
    }
  }
  const all = new Set<string>();
  const lazy = new Set<string>();
  for (const e of entries) graph(e, all, lazy);
  for (const l of lazy) if (fetched.has(l) && !all.has(l)) graph(l, all, lazy);
  const files = [...all].map((url) => ({ url, gzip: gz(readFileSync(fileOf(url))) }));
  // The <astro-island> custom element and the client:visible directive are inlined into the page.
  const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)]
    .map((m) => m[1] as string)
    .filter((s) => /astro-island|astro:visible|IntersectionObserver/.test(s))
    .reduce((n, s) => n + gz(s), 0);
  return { files, inline, total: files.reduce((n, f) => n + f.gzip, 0) + inline };
}

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

describe('widget JavaScript budget', () => {
  for (const path of PAGES) {
    it(`loads at most 40 KB gzipped for the close explorer on /${path}`, async () => {
      // What the browser actually fetches once both widgets have hydrated.
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const loaded = new Set<string>();
      page.on('response', (r) => {
        const u = new URL(r.url());
        if (u.pathname.endsWith('.js') || r.request().resourceType() === 'script') loaded.add(u.pathname);
      });
      await page.goto(site + path, { waitUntil: 'load' });
      for (const id of ['close', 'simultaneous']) {
        await page.locator(`#${id}-title`).scrollIntoViewIfNeeded();
        await page.waitForFunction(
          (key) => !document.getElementById(`${key}-title`)?.closest('astro-island')?.hasAttribute('ssr'),
          id,
        );
      }
      await page.waitForLoadState('networkidle');
      await page.close();
      const html = readFileSync(join(DIR, path, 'index.html'), 'utf8');
      const weight = widgetWeight(html, loaded);
      console.log(
        `/${path}: widget JS ${(weight.total / 1024).toFixed(1)} KB gzipped (budget ${BUDGET / 1024} KB): ` +
          `${weight.files.map((f) => `${f.url.split('/').pop()} ${(f.gzip / 1024).toFixed(1)}`).join(', ')}, ` +
          `inline loader ${(weight.inline / 1024).toFixed(1)}`,
      );

      const counted = new Set(weight.files.map((f) => f.url));
      // Every module counted was fetched (the graph holds nothing the page does not load)…
      expect([...counted].filter((u) => !loaded.has(u))).toEqual([]);
      // …and any other module the browser fetched is the page's own, loaded without the widget too.
      const extra = [...loaded].filter((u) => !counted.has(u));
      // The baseline: the same page, scrolled and left idle the same way, with the islands' own modules
      // blocked so that nothing hydrates.
      const plain = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const entries = new Set([...html.matchAll(/component-url="([^"]+)"/g)].map((m) => m[1] as string));
      await plain.route(
        (u) => entries.has(u.pathname),
        (r) => r.abort(),
      );
      const plainLoaded = new Set<string>();
      plain.on('response', (r) => {
        const u = new URL(r.url());
        if (u.pathname.endsWith('.js')) plainLoaded.add(u.pathname);
      });
      await plain.goto(site + path, { waitUntil: 'load' });
      for (const id of ['close', 'simultaneous'])
        await plain.locator(`#${id}-title`).scrollIntoViewIfNeeded();
      await plain.waitForLoadState('networkidle');
      await plain.waitForTimeout(1000);
      await plain.close();
      expect(
        extra.filter((u) => !plainLoaded.has(u) && !/pagefind/.test(u)),
        'modules fetched for the widget but missing from the measured graph',
      ).toEqual([]);
      expect(weight.total).toBeLessThanOrEqual(BUDGET);
    });
  }
});
