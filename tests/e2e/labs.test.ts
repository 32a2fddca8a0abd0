// The chapters' labs in Chromium, against a build (TWG_DIST picks the directory, see harness.ts): every
// lab on every page, in both languages, is readable before JavaScript, hydrates without console
// errors, and shows its chapter's point — and the variant switch shows the other side of it. A
// hostile URL state shows the message instead of breaking the lab.

import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILDS, launch, pagesOf, serve, watch } from './harness.ts';

const DIR = BUILDS.main.dir;

let browser: Browser;
let server: Server;
let site: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  ({ server, url: site } = await serve('main'));
  browser = await launch();
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  server?.close();
});

/**
 * Every chapter page of the build with a lab, and the lab ids on it (from the server-rendered HTML).
 * The embed pages (embed/v1/lab/…) show the same labs alone in a frame; tests/e2e/embed.test.ts covers
 * them.
 */
function labPages(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const path of pagesOf(DIR)) {
    if (/^(zh-cn\/)?embed\/v1\//.test(path)) continue;
    const html = readFileSync(join(DIR, path, 'index.html'), 'utf8');
    const ids = [...html.matchAll(/data-widget="(?:scenario|load)-lab" data-lab="([^"]+)"/g)].map(
      (m) => m[1] as string,
    );
    if (ids.length > 0) out.set(path, ids);
  }
  return out;
}

async function open(path: string, hash = '', opts: Parameters<Browser['newContext']>[0] = {}) {
  const ctx = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    reducedMotion: 'reduce',
    ...opts,
  });
  contexts.push(ctx);
  const page = await ctx.newPage();
  const problems = watch(page);
  await page.goto(`${site}${path}${hash}`, { waitUntil: 'load' });
  return { page, problems };
}

/** The lab whose id is `id`, scrolled into view and hydrated. */
async function lab(page: Page, id: string): Promise<Locator> {
  const w = page.locator(`section[data-lab="${id}"]`);
  await w.scrollIntoViewIfNeeded();
  await page.waitForFunction(
    (key) => {
      const island = document.querySelector(`section[data-lab="${key}"]`)?.closest('astro-island');
      return island !== null && island !== undefined && !island.hasAttribute('ssr');
    },
    id,
    { timeout: 20_000 },
  );
  return w;
}

const tcpdump = async (w: Locator) =>
  (await w.locator('pre.twg-tcpdump').innerText()).split('\n').filter((l) => / IP /.test(l));
const calls = (w: Locator) => w.locator('[data-view="calls"]').innerText();
const choose = (w: Locator, key: string) => w.locator(`fieldset input[type="radio"][value="${key}"]`).check();

const PAGES = labPages();

describe('labs in the build', () => {
  it('are placed on the chapters in both languages', () => {
    const en = [...PAGES.keys()].filter((p) => !p.startsWith('zh-cn/'));
    expect(en.length).toBeGreaterThanOrEqual(11);
    for (const p of en) expect(PAGES.get(`zh-cn/${p}`), `zh-cn/${p}`).toEqual(PAGES.get(p));
  });
});

describe('every lab hydrates without errors and keeps its first frame', () => {
  for (const [path, ids] of PAGES) {
    it(`/${path}: ${ids.join(', ')}`, async () => {
      const { page, problems } = await open(path);
      for (const id of ids) {
        const w = page.locator(`section[data-lab="${id}"]`);
        const before = await w.evaluate((el) => el.getBoundingClientRect().height);
        await lab(page, id);
        const after = await w.evaluate((el) => el.getBoundingClientRect().height);
        expect(Math.abs(after - before), `${id}: layout shift on hydration`).toBeLessThan(1);
        expect(await w.locator('.twg-problem').count(), id).toBe(0);
      }
      expect(problems).toEqual({ console: [], failed: [] });
    }, 120_000);
  }
});

describe('first frame without JavaScript', () => {
  it('shows the corrupted bytes on the why chapter', async () => {
    const { page } = await open('understand/why/', '', { javaScriptEnabled: false });
    const w = page.locator('section[data-lab="incarnation-corruption"]');
    expect(await w.locator('mark[data-old="true"]').innerText()).toBe('world');
  });
});

for (const lang of ['en', 'zh'] as const) {
  const pre = lang === 'zh' ? 'zh-cn/' : '';
  describe(`labs show their point (${lang})`, () => {
    it('incarnation: corrupted bytes by default, clean with TIME_WAIT or PAWS', async () => {
      const { page, problems } = await open(`${pre}understand/why/`);
      const w = await lab(page, 'incarnation-corruption');
      const bytes = w.locator('[data-view="bytes"]');
      expect(await bytes.locator('[data-corrupted="true"]').count()).toBe(1);
      expect(await bytes.locator('mark[data-old="true"]').innerText()).toBe('world');
      expect(await bytes.locator('[data-corrupted="true"] code[data-read]').innerText()).toBe('new:world');
      await choose(w, 'tw');
      expect(await bytes.locator('[data-corrupted="true"]').count()).toBe(0);
      expect(await bytes.locator('code[data-read]').allInnerTexts()).toContain('new:fresh');
      await choose(w, 'paws');
      expect(await bytes.locator('[data-corrupted="true"]').count()).toBe(0);
      expect(await bytes.locator('code[data-read]').allInnerTexts()).toContain('new:fresh');
      // The second lab opens on the protected variant.
      const w2 = await lab(page, 'incarnation-protected-by-timewait');
      expect(await w2.getAttribute('data-variant')).toBe('tw');
      expect(await w2.locator('[data-corrupted="true"]').count()).toBe(0);
      expect(problems).toEqual({ console: [], failed: [] });
    });

    it('lost final ACK: TIME_WAIT answers the retransmitted FIN; without it, a RST', async () => {
      const { page, problems } = await open(`${pre}understand/why/`);
      const w = await lab(page, 'lost-final-ack');
      let lines = await tcpdump(w);
      const serverFins = lines.filter((l) => /10\.0\.0\.2\.80 > .*Flags \[F\.\]/.test(l));
      expect(serverFins.length).toBeGreaterThanOrEqual(2);
      expect(lines.filter((l) => /Flags \[R/.test(l))).toEqual([]);
      // The client's last line is an ACK answering the last FIN.
      expect(lines[lines.length - 1]).toMatch(/10\.0\.0\.1\.\d+ > 10\.0\.0\.2\.80: Flags \[\.\]/);
      const w2 = await lab(page, 'lost-final-ack-no-timewait');
      expect(await w2.getAttribute('data-variant')).toBe('none');
      lines = await tcpdump(w2);
      expect(lines.filter((l) => /10\.0\.0\.1\.\d+ > 10\.0\.0\.2\.80: Flags \[R/.test(l))).toHaveLength(1);
      await choose(w2, 'tw');
      expect((await tcpdump(w2)).filter((l) => /Flags \[R/.test(l))).toEqual([]);
      expect(problems).toEqual({ console: [], failed: [] });
    });

    it('RST in TIME_WAIT: tcp_rfc1337 = 0 lets it kill the entry, 1 ignores it', async () => {
      const { page, problems } = await open(`${pre}understand/why/`);
      const w = await lab(page, 'rst-in-timewait-rfc1337-0');
      const clientTable = () => w.locator('table.twg-ss').first().innerText();
      // Opened just after the RST arrived: with tcp_rfc1337 = 0 the client's entry is gone.
      expect(await clientTable()).not.toContain('TIME-WAIT');
      await choose(w, '1');
      expect(await clientTable()).toContain('TIME-WAIT');
      expect(problems).toEqual({ console: [], failed: [] });
    });

    it('crash and reboot: without quiet time the old connection draws a RST at once; with it, silence', async () => {
      const { page, problems } = await open(`${pre}understand/quiet-time/`);
      const w = await lab(page, 'crash-reboot-no-quiet-time');
      expect(await calls(w)).toContain('ECONNRESET');
      expect((await tcpdump(w)).filter((l) => /10\.0\.0\.2\.80 > .*Flags \[R/.test(l))).toHaveLength(1);
      const q = await lab(page, 'crash-reboot-quiet-time');
      expect(await q.getAttribute('data-variant')).toBe('quiet');
      const lines = await tcpdump(q);
      // After the crash the server sends nothing: no RST, no SYN-ACK for the new connection.
      expect(lines.filter((l) => /10\.0\.0\.2\.80 > .*Flags \[(R|S)/.test(l))).toHaveLength(1); // the first SYN-ACK, before the crash
      expect(lines.filter((l) => l.includes('dropped: quiet')).length).toBeGreaterThan(0);
      expect(await calls(q)).not.toContain('ECONNRESET');
      expect(problems).toEqual({ console: [], failed: [] });
    });

    it('tcp_tw_reuse: EADDRNOTAVAIL until reuse is on, and again with timestamps off', async () => {
      const { page, problems } = await open(`${pre}mitigate/tw-reuse/`);
      const w = await lab(page, 'tw-reuse-on');
      expect(await w.getAttribute('data-variant')).toBe('off');
      expect(await calls(w)).toContain('EADDRNOTAVAIL');
      await choose(w, 'on');
      expect(await calls(w)).not.toContain('EADDRNOTAVAIL');
      expect(await w.locator('[data-view="calls"] li[data-result="0"]').count()).toBeGreaterThanOrEqual(5);
      await choose(w, 'nots');
      expect(await calls(w)).toContain('EADDRNOTAVAIL');
      expect(problems).toEqual({ console: [], failed: [] });
    });

    it('2MSL: the OS switch changes the TIME_WAIT length (keyboard only)', async () => {
      const { page, problems } = await open(`${pre}understand/2msl/`);
      const w = await lab(page, 'normal-close-client-first');
      const atEnd = async () => {
        await w.locator('.twg-timeline button').first().focus();
        await page.keyboard.press('End');
        return w.locator('.twg-transcript').innerText();
      };
      expect(await atEnd()).toMatch(/\b60 s\b/);
      await w.locator('fieldset input[type="radio"]:checked').focus();
      for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
      expect(await w.getAttribute('data-variant')).toBe('rfc793');
      expect(await atEnd()).toMatch(/240 s|4 min/);
      expect(problems).toEqual({ console: [], failed: [] });
    });

    it('port exhaustion under load: failures on the overview; Little’s line and a worker run on harms', async () => {
      const { page, problems } = await open(`${pre}understand/overview/`);
      const w = await lab(page, 'port-exhaustion');
      expect(Number(await w.locator('.twg-lab-summary').getAttribute('data-failures'))).toBeGreaterThan(0);
      expect(
        await w.locator('[data-view="connect-log"] li[data-failed]:not([data-failed="0"])').count(),
      ).toBeGreaterThan(0);
      const h = await open(`${pre}understand/harms/`);
      const l = await lab(h.page, 'port-exhaustion');
      expect(await l.locator('path[data-series="little"]').count()).toBe(1);
      expect(Number(await l.locator('.twg-lab-summary').getAttribute('data-failures'))).toBe(0);
      await l.locator('input[type="radio"][value="64"]').check();
      await h.page.waitForFunction(
        () => {
          const s = document.querySelector('section[data-lab="port-exhaustion"] .twg-lab-summary');
          return s !== null && Number(s.getAttribute('data-failures')) > 0;
        },
        undefined,
        { timeout: 30_000 },
      );
      // The lab writes its state to the URL once it has loaded the URL writer (a dynamic import), which
      // can come after the worker's answer: the faster load path answers in well under a second.
      await expect.poll(() => h.page.url(), { timeout: 10_000 }).toContain('#port-exhaustion=');
      expect(problems).toEqual({ console: [], failed: [] });
      expect(h.problems).toEqual({ console: [], failed: [] });
    }, 60_000);

    it('keep-alive: one connection per request exhausts the ports; a pool of four does not', async () => {
      const { page, problems } = await open(`${pre}mitigate/keepalive-pooling/`);
      const w = await lab(page, 'keepalive-pool');
      const failures = () => w.locator('.twg-lab-summary').getAttribute('data-failures');
      expect(Number(await failures())).toBeGreaterThan(0);
      await w.locator('input[type="radio"][value="pool-4"]').check();
      await expect.poll(failures, { timeout: 30_000 }).toBe('0');
      // The chart's text alternative: its first series, TIME_WAIT on the client, never rises above 0.
      // (The chart redraws once its code has loaded: components/labs/lazy-chart.tsx.)
      const desc = () => w.locator('svg[role="img"] desc').evaluate((el) => el.textContent ?? '');
      await expect.poll(desc, { timeout: 10_000 }).toMatch(/^[^.。]*(?:highest|最高) 0[^\d]/);
      expect(problems).toEqual({ console: [], failed: [] });
    }, 60_000);

    it('server closes first: TIME_WAIT moves to the server and no connect() fails', async () => {
      const { page, problems } = await open(`${pre}understand/harms/`);
      const w = await lab(page, 'port-exhaustion-server-closes-first');
      expect(await calls(w)).not.toContain('EADDRNOTAVAIL');
      expect(await w.locator('path[data-series="tw-server"]').count()).toBe(1);
      await choose(w, 'one');
      expect(await calls(w)).toContain('EADDRNOTAVAIL');
      expect(problems).toEqual({ console: [], failed: [] });
    });

    it('a lab chart keeps its build-time drawing, and loads its code only once the run changes', async () => {
      const { page, problems } = await open(`${pre}understand/harms/`);
      const chartCode: string[] = [];
      page.on('request', (r) => {
        if (/\/(Chart|chart-view)\.[\w-]+\.js$/.test(new URL(r.url()).pathname)) chartCode.push(r.url());
      });
      const w = await lab(page, 'port-exhaustion-server-closes-first');
      const chart = w.locator('[data-view="counters"]');
      const drawn = await chart.innerHTML();
      expect(await chart.locator('path[data-series="tw-server"]').count()).toBe(1);
      // Reading, stepping and scrubbing change nothing the chart shows: no chart code.
      await w.locator('.twg-timeline button').first().focus();
      await page.keyboard.press('Home');
      await page.keyboard.press('ArrowRight');
      expect(await chart.innerHTML()).toBe(drawn);
      expect(chartCode).toEqual([]);
      // Another variant is another run: the chart code loads and draws the client's TIME_WAIT.
      await choose(w, 'one');
      await expect.poll(() => chart.locator('path[data-series="tw-client"]').count()).toBe(1);
      expect(await chart.locator('path[data-series="tw-server"]').count()).toBe(0);
      expect(chartCode.length).toBeGreaterThan(0);
      expect(await chart.getAttribute('aria-busy')).toBeNull();
      expect(problems).toEqual({ console: [], failed: [] });
    });
  });
}

describe('URL state', () => {
  it('a hostile state shows the message and the defaults', async () => {
    const { page, problems } = await open(
      'understand/why/',
      '#lost-final-ack=%%%&incarnation-corruption=eyJ2IjoiemFwIn0',
    );
    const w = await lab(page, 'lost-final-ack');
    await expect.poll(() => w.locator('.twg-problem[role="alert"]').count()).toBe(1);
    const i = await lab(page, 'incarnation-corruption');
    await expect.poll(() => i.locator('.twg-problem[role="alert"]').innerText()).toContain('v must be');
    expect(await i.getAttribute('data-variant')).toBe('none');
    expect(problems).toEqual({ console: [], failed: [] });
  });

  it('a shared state opens the same variant', async () => {
    const state = Buffer.from(JSON.stringify({ v: 'on', s: 1, t: 2_100_000, d: [] })).toString('base64url');
    const { page, problems } = await open('mitigate/tw-reuse/', `#tw-reuse-on=${state}`);
    const w = await lab(page, 'tw-reuse-on');
    await expect.poll(() => w.getAttribute('data-variant')).toBe('on');
    expect(problems).toEqual({ console: [], failed: [] });
  });
});

// Budget (issue 4): the JavaScript a chapter page loads for one widget, gzipped, ≤ 40 KB with Preact
// and the simulator, counted from the build like widgets-budget.test.ts does: the island's component
// and renderer modules and their static imports, plus the inline island loader. Several labs of one
// kind on a page share their modules; a page with two kinds (harms: scripted labs and a load lab) holds
// each to the budget and prints what the page loads in all. What a widget imports on demand (the
// chart code, once a reader changes what a chart shows; components/labs/lazy-chart.tsx) is not loaded
// up front and is not counted.
describe('labs JavaScript budget', () => {
  const BUDGET = 40 * 1024;
  const base = BUILDS.main.base;
  const fileOf = (url: string) => join(DIR, decodeURIComponent(url).replace(base, '/'));
  function graph(entry: string, seen: Set<string>): void {
    if (seen.has(entry)) return;
    seen.add(entry);
    const code = readFileSync(fileOf(entry), 'utf8');
    const dir = entry.slice(0, entry.lastIndexOf('/') + 1);
    for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*)["'`]([^"'`]+\.js)["'`]/g)) {
      const spec = m[1] as string;
      graph(spec.startsWith('/') ? spec : new URL(spec, `http://x${dir}`).pathname, seen);
    }
  }
  const weigh = (files: Set<string>) =>
    [...files].reduce((n, f) => n + gzipSync(readFileSync(fileOf(f))).length, 0);
  for (const path of PAGES.keys()) {
    it(`/${path} loads at most 40 KB gzipped for each kind of lab`, () => {
      const html = readFileSync(join(DIR, path, 'index.html'), 'utf8');
      const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)]
        .map((m) => m[1] as string)
        .filter((s) => /astro-island|astro:visible|IntersectionObserver/.test(s))
        .reduce((n, s) => n + gzipSync(s).length, 0);
      const widgets = new Map<string, Set<string>>();
      for (const tag of html.matchAll(/<astro-island\b[^>]*>/g)) {
        const url = (attr: string) =>
          new RegExp(`${attr}="([^"]+)"`).exec(tag[0])?.[1]?.replace(/&amp;/g, '&');
        const component = url('component-url');
        if (component === undefined || widgets.has(component)) continue;
        const files = new Set<string>();
        graph(component, files);
        const renderer = url('renderer-url');
        if (renderer) graph(renderer, files);
        widgets.set(component, files);
      }
      expect(widgets.size, `/${path}: no lab island`).toBeGreaterThan(0);
      const page = new Set([...widgets.values()].flatMap((f) => [...f]));
      console.info(
        `labs JS on /${path}: ${((weigh(page) + inline) / 1024).toFixed(1)} KB gzipped (${page.size} files)` +
          (widgets.size > 1
            ? `; per widget: ${[...widgets]
                .map(
                  ([c, f]) =>
                    `${c.slice(c.lastIndexOf('/') + 1)} ${((weigh(f) + inline) / 1024).toFixed(1)} KB`,
                )
                .join(', ')}`
            : ''),
      );
      for (const [component, files] of widgets) {
        const total = weigh(files) + inline;
        expect(total, `/${path}: ${component} loads over the 40 KB budget`).toBeLessThanOrEqual(BUDGET);
      }
      // The chart code stays out of what a page loads up front (it comes on demand).
      expect([...page].filter((f) => /\/(Chart|chart-view)\.[\w-]+\.js$/.test(f))).toEqual([]);
    });
  }
});
