// Embeds in a hostile host: a "blog" on another origin with CSS that tries to restyle everything and a
// Content-Security-Policy that allows only itself and the site. Each form (iframe with resize.js, custom
// element, oEmbed, image) must render, work, resize, send no request to any third origin and set no
// cookie; bad attributes show a message inside the element.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILDS, launch, serve } from './harness.ts';

/** Every lab a chapter places (`<ScenarioLab … lab="…"`), English and Chinese, from the MDX sources. */
const CHAPTER_LABS = [
  ...new Set(
    readdirSync('content/docs', { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.mdx'))
      .flatMap((f) => [
        ...readFileSync(join('content/docs', f), 'utf8').matchAll(/<ScenarioLab\b[^>]*\slab="([^"]+)"/g),
      ])
      .map((m) => m[1] as string),
  ),
].sort();

const HOSTILE_CSS = `
* { all: unset; }
html { font: 30px/3 "Comic Sans MS", cursive; color: red; letter-spacing: 4px; text-transform: uppercase; }
button, input, select { font-size: 40px !important; padding: 20px !important; }
*, *::before, *::after { box-sizing: content-box !important; }
div, span, p { margin: 25px !important; }
tw-close-explorer, tw-lab, tw-playground { display: inline; font-size: 8px; }
iframe { border: 5px dashed red; }
`;

/** base64url(JSON), as the widgets write their state in the fragment. */
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A lost-final-ack state as the chapter writes it: without TIME_WAIT, at 1 ms, nothing dropped. */
const LAB_STATE = { v: 'none', s: 1, t: 1000, d: [] };

function blogPage(site: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A hostile blog</title>
<link rel="stylesheet" href="/hostile.css">
<script src="${site}embed/v1/embed.js" async></script>
<script src="${site}embed/v1/resize.js" async></script>
</head><body>
<h1>Why my server has 30,000 TIME_WAIT sockets</h1>
<iframe id="frame" src="${site}embed/v1/close-explorer/?theme=dark" width="640" height="300" title="Close explorer" data-twg-embed></iframe>
<tw-close-explorer id="el" closer="server" t="2ms"></tw-close-explorer>
<tw-close-explorer id="zh" lang="zh-cn" theme="dark"></tw-close-explorer>
<tw-close-explorer id="bad" closer="sideways"></tw-close-explorer>
<tw-close-explorer id="badt" t="soon"></tw-close-explorer>
<h2>The labs</h2>
<tw-lab id="lab-ack" lab="lost-final-ack" variant="none"></tw-lab>
<tw-lab id="lab-bytes" lab="incarnation-corruption" lang="zh-cn"></tw-lab>
<tw-lab id="lab-load" lab="keepalive-pool" rate="20"></tw-lab>
<tw-playground id="pgel" preset="port-exhaustion" seed="7"></tw-playground>
<tw-lab id="badlab" lab="lost-final-hack"></tw-lab>
<tw-lab id="badkind" lab="keepalive-pool" variant="tw"></tw-lab>
<tw-lab id="badrate" lab="keepalive-pool" rate="7"></tw-lab>
<tw-playground id="badpreset" preset="nope"></tw-playground>
<iframe id="frame-lab" src="${site}embed/v1/lab/lost-final-ack/#lost-final-ack=${b64(LAB_STATE)}" width="640" height="300" title="Lab" data-twg-embed></iframe>
<iframe id="frame-load" src="${site}zh-cn/embed/v1/lab/port-exhaustion/" width="640" height="300" title="Lab" data-twg-embed></iframe>
<iframe id="frame-pg" src="${site}embed/v1/playground/?theme=light" width="640" height="300" title="Playground" data-twg-embed></iframe>
</body></html>`;
}

describe('embeds on a hostile host', () => {
  let browser: Browser;
  let site: { server: Server; url: string };
  let blog: Server;
  let blogUrl: string;
  let context: BrowserContext;
  let page: Page;
  const requests: string[] = [];

  beforeAll(async () => {
    site = await serve('main');
    const siteOrigin = new URL(site.url).origin;
    blog = createServer((req, res) => {
      const csp = [
        "default-src 'none'",
        `script-src ${siteOrigin}`,
        `style-src 'self'`,
        `img-src 'self' ${siteOrigin}`,
        `frame-src ${siteOrigin}`,
        `connect-src ${siteOrigin}`,
        `font-src ${siteOrigin}`,
      ].join('; ');
      if (req.url === '/hostile.css') {
        res.writeHead(200, { 'content-type': 'text/css' }).end(HOSTILE_CSS);
      } else if (req.url === '/' || req.url?.startsWith('/?')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp });
        res.end(blogPage(site.url));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => blog.listen(0, 'localhost', r));
    blogUrl = `http://localhost:${(blog.address() as AddressInfo).port}/`;
    expect(new URL(blogUrl).origin).not.toBe(siteOrigin);

    browser = await launch();
    context = await browser.newContext();
    context.on('request', (r) => {
      // The site's own service worker (registered by the iframe forms) precaches every file of the
      // build, embed files included, at a moment of its choosing: not a request the host page made.
      if (r.serviceWorker()) return;
      requests.push(r.url());
    });
    page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(blogUrl);
    await page.locator('#el .twg').first().waitFor({ timeout: 20_000 });
    expect(problems).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    site?.server.close();
    blog?.close();
  });

  it('iframe: renders the widget, honours ?theme and links back to the site', async () => {
    const frame = page.frameLocator('#frame');
    await frame.locator('.twg').first().waitFor();
    const theme = await frame.locator('html').getAttribute('data-theme');
    expect(theme).toBe('dark');
    const open = frame.locator('a[data-twg-open]');
    expect(await open.getAttribute('href')).toContain('/understand/arises/');
  });

  it('iframe: resize.js sizes the frame to its content', async () => {
    await expect
      .poll(async () => page.$eval('#frame', (f) => (f as HTMLIFrameElement).style.height), {
        timeout: 10_000,
      })
      .toMatch(/^\d+px$/);
    const set = await page.$eval('#frame', (f) => Number.parseInt((f as HTMLIFrameElement).style.height, 10));
    const content = await page
      .frameLocator('#frame')
      .locator('html')
      .evaluate((h) => Math.ceil(h.getBoundingClientRect().height));
    expect(set).toBeGreaterThan(300);
    expect(Math.abs(set - content)).toBeLessThanOrEqual(2);
  });

  it('iframe: a resize message from any other origin is ignored', async () => {
    const before = await page.$eval('#frame', (f) => (f as HTMLIFrameElement).style.height);
    await page.evaluate(() => window.postMessage({ type: 'twg:resize', v: 1, height: 40 }, '*'));
    await page.waitForTimeout(200);
    expect(await page.$eval('#frame', (f) => (f as HTMLIFrameElement).style.height)).toBe(before);
  });

  it('iframe: the widget works (step forward moves the instant)', async () => {
    const frame = page.frameLocator('#frame');
    const before = await frame.locator('.twg').first().textContent();
    await frame.getByRole('button', { name: 'Step forward' }).first().press('Enter');
    await expect
      .poll(async () => frame.locator('.twg').first().textContent(), { timeout: 10_000 })
      .not.toBe(before);
  });

  it('custom element: renders in Shadow DOM, untouched by the host CSS', async () => {
    const el = page.locator('#el');
    expect(await el.evaluate((e) => e.shadowRoot !== null)).toBe(true);
    expect(await el.evaluate((e) => getComputedStyle(e).display)).toBe('block');
    const button = el.getByRole('button', { name: 'Step forward' }).first();
    const style = await button.evaluate((b) => {
      const s = getComputedStyle(b);
      return {
        fontSize: Number.parseFloat(s.fontSize),
        boxSizing: s.boxSizing,
        textTransform: s.textTransform,
      };
    });
    expect(style.fontSize).toBeLessThan(24);
    expect(style.boxSizing).toBe('border-box');
    expect(style.textTransform).toBe('none');
  });

  it('custom element: attributes set the experiment, and it works without touching the host URL', async () => {
    const el = page.locator('#el');
    const server = await el.locator('input[type=radio]:checked').first().getAttribute('value');
    expect(server).toBe('server');
    const before = await el.locator('.twg').first().textContent();
    // Keyboard, not a click at coordinates: the iframe above resizes itself and can shift the layout.
    await el.getByRole('button', { name: 'Step forward' }).first().press('Enter');
    await expect
      .poll(async () => el.locator('.twg').first().textContent(), { timeout: 10_000 })
      .not.toBe(before);
    await page.waitForTimeout(400);
    expect(new URL(page.url()).hash).toBe('');
    const link = await el.locator('a.twg-embed-credit-link').getAttribute('href');
    expect(link).toMatch(/\/understand\/arises\/#close=[A-Za-z0-9_-]+$/);
  });

  it('custom element: lang and theme attributes', async () => {
    const zh = page.locator('#zh');
    await zh.locator('.twg').first().waitFor();
    expect(await zh.getByRole('button', { name: '前进一步' }).count()).toBeGreaterThan(0);
    const bg = await zh
      .locator('.twg')
      .first()
      .evaluate((e) => getComputedStyle(e).backgroundColor);
    // Dark theme: a dark background (Starlight's black is hsl(224, 10%, 10%)).
    const [r, g, b] = (bg.match(/\d+/g) ?? []).map(Number);
    expect((r ?? 255) + (g ?? 255) + (b ?? 255)).toBeLessThan(150);
  });

  it('custom element: a bad attribute shows a message naming it, before any widget code loads', async () => {
    const bad = page.locator('#bad');
    await expect
      .poll(async () => bad.locator('[role=alert]').textContent(), { timeout: 10_000 })
      .toContain('closer="sideways"');
    expect(await bad.locator('[role=alert]').textContent()).toContain('client | server | both');
    const badT = page.locator('#badt');
    await expect
      .poll(async () => badT.locator('[role=alert]').textContent(), { timeout: 10_000 })
      .toContain('t="soon"');
  });

  /** An element, scrolled into view so it loads, once its widget has rendered. */
  async function shown(id: string, inner = '.twg') {
    const el = page.locator(`#${id}`);
    await el.scrollIntoViewIfNeeded();
    await el.locator(inner).first().waitFor({ timeout: 30_000 });
    return el;
  }

  it('lab (scenario): the variant attribute, step, drop a segment; the host URL stays as it is', async () => {
    const el = await shown('lab-ack', 'section[data-widget="scenario-lab"]');
    const section = el.locator('section[data-widget="scenario-lab"]');
    await expect.poll(async () => section.getAttribute('data-variant'), { timeout: 10_000 }).toBe('none');
    expect(await el.locator('input[type=radio]:checked').getAttribute('value')).toBe('none');
    // Inside the shadow root, untouched by the host's `button { font-size: 40px !important }`.
    const size = await el
      .getByRole('button', { name: 'Step forward' })
      .first()
      .evaluate((b) => Number.parseFloat(getComputedStyle(b).fontSize));
    expect(size).toBeLessThan(24);
    const before = await section.textContent();
    await el.getByRole('button', { name: 'Step back' }).first().press('Enter');
    await expect.poll(async () => section.textContent(), { timeout: 10_000 }).not.toBe(before);
    // Drop a segment with the keyboard: focus it in the diagram, select it, press Drop.
    const seg = el.locator('[data-seg][role="button"]').first();
    const segId = await seg.getAttribute('data-seg');
    await seg.focus();
    await seg.press('Enter');
    await el.locator('button[data-act="drop"]').press('Enter');
    await expect
      .poll(async () => el.locator('.twg-drops').textContent(), { timeout: 10_000 })
      .toContain(`#${segId}`);
    await page.waitForTimeout(400);
    expect(new URL(page.url()).hash).toBe('');
    // The link back opens the lab's chapter with this state, under the chapter's key for the lab.
    const link = (await el.locator('a.twg-embed-credit-link').getAttribute('href')) ?? '';
    expect(link).toMatch(/\/understand\/why\/#lost-final-ack=[A-Za-z0-9_-]+$/);
    const state = JSON.parse(Buffer.from(link.split('=')[1] ?? '', 'base64url').toString());
    expect(state).toMatchObject({ v: 'none', d: [Number(segId)] });
  });

  it("lab: its 'copy embed code' button opens the site's configurator in a new tab with the lab's state", async () => {
    const el = await shown('lab-ack', 'section[data-widget="scenario-lab"]');
    const [popup] = await Promise.all([
      context.waitForEvent('page', { timeout: 15_000 }),
      el.locator('button[data-act="embed"]').click(),
    ]);
    await popup.waitForURL(/\/embed\/#cfg=/);
    expect(new URL(popup.url()).origin).toBe(new URL(site.url).origin);
    await hydrated(popup);
    await expect
      .poll(async () => popup.getByLabel('Custom element', { exact: false }).inputValue(), {
        timeout: 10_000,
      })
      .toContain('<tw-lab lab="lost-final-ack" variant="none"');
    await popup.close();
    expect(new URL(page.url()).hash).toBe('');
  }, 60_000);

  it('lab (bytes, Chinese): shows the bytes of the old incarnation', async () => {
    const el = await shown('lab-bytes', '[data-view="bytes"]');
    expect(await el.locator('mark[data-old="true"]').first().textContent()).toBe('world');
    expect(await el.getByRole('button', { name: '前进一步' }).count()).toBeGreaterThan(0);
  });

  it('lab (load): the rate attribute and the pool knob run the simulator on the page', async () => {
    const el = await shown('lab-load', 'section[data-widget="load-lab"]');
    const summary = el.locator('.twg-lab-summary');
    expect(await el.locator('input[type=radio][value="20"]').isChecked()).toBe(true);
    await expect
      .poll(async () => Number(await summary.getAttribute('data-failures')), { timeout: 30_000 })
      .toBeGreaterThan(0);
    await el.locator('input[type="radio"][value="pool-4"]').check();
    await expect.poll(async () => summary.getAttribute('data-failures'), { timeout: 30_000 }).toBe('0');
    expect(await el.locator('[role=alert]').count()).toBe(0);
    expect(new URL(page.url()).hash).toBe('');
  }, 60_000);

  it('playground: preset and seed attributes, a knob re-runs it, the link carries the setup', async () => {
    const el = await shown('pgel', '[data-testid="result"]');
    await expect.poll(async () => el.locator('#pg-k-seed').inputValue(), { timeout: 10_000 }).toBe('7');
    expect(await el.locator('.twg-pg__fail').count()).toBeGreaterThan(0);
    const field = el.locator('#pg-k-client_port_max');
    await field.fill('40005');
    await field.press('Enter');
    await expect.poll(async () => el.locator('.twg-pg__fail').count(), { timeout: 10_000 }).toBe(0);
    await page.waitForTimeout(400);
    expect(new URL(page.url()).hash).toBe('');
    const link = (await el.locator('a.twg-embed-credit-link').getAttribute('href')) ?? '';
    expect(link).toMatch(/\/playground\/#pg=[A-Za-z0-9_-]+$/);
    const state = JSON.parse(Buffer.from(link.split('#pg=')[1] ?? '', 'base64url').toString());
    expect(state).toMatchObject({ v: 1, p: 'port-exhaustion', k: { seed: 7 } });
  }, 60_000);

  it('lab and playground: bad attributes show a message naming the attribute and what it accepts', async () => {
    const cases: [string, string, string][] = [
      ['badlab', 'lab="lost-final-hack"', 'lost-final-ack'],
      ['badkind', 'variant="tw"', 'load lab'],
      ['badrate', 'rate="7"', '5 | 10 | 20'],
      ['badpreset', 'preset="nope"', 'port-exhaustion'],
    ];
    for (const [id, attr, accepted] of cases) {
      const alert = page.locator(`#${id} [role=alert]`);
      await expect.poll(async () => alert.textContent(), { timeout: 10_000 }).toContain(attr);
      expect(await alert.textContent(), id).toContain(accepted);
    }
  });

  it('iframe labs and playground: render, take the state from the fragment, resize, link back', async () => {
    const lab = page.frameLocator('#frame-lab');
    await page.locator('#frame-lab').scrollIntoViewIfNeeded();
    const section = lab.locator('section[data-widget="scenario-lab"]');
    await section.waitFor({ timeout: 20_000 });
    await expect.poll(async () => section.getAttribute('data-variant'), { timeout: 20_000 }).toBe('none');
    expect(await lab.locator('a[data-twg-open]').getAttribute('href')).toMatch(
      /\/understand\/why\/#lost-final-ack=[A-Za-z0-9_-]+$/,
    );
    const load = page.frameLocator('#frame-load');
    await page.locator('#frame-load').scrollIntoViewIfNeeded();
    await load.locator('section[data-widget="load-lab"]').waitFor({ timeout: 20_000 });
    expect(await load.locator('html').getAttribute('lang')).toBe('zh-CN');
    const pg = page.frameLocator('#frame-pg');
    await page.locator('#frame-pg').scrollIntoViewIfNeeded();
    await pg.locator('[data-testid="result"]').waitFor({ timeout: 20_000 });
    expect(await pg.locator('html').getAttribute('data-theme')).toBe('light');
    for (const id of ['frame-lab', 'frame-load', 'frame-pg']) {
      await expect
        .poll(
          async () => page.$eval(`#${id}`, (f) => Number.parseInt((f as HTMLIFrameElement).style.height, 10)),
          {
            timeout: 10_000,
          },
        )
        .toBeGreaterThan(300);
    }
  }, 60_000);

  it('sends no request to any other origin and sets no cookie', async () => {
    const allowed = new Set([new URL(site.url).origin, new URL(blogUrl).origin]);
    const foreign = requests.filter((u) => !u.startsWith('data:') && !allowed.has(new URL(u).origin));
    expect(foreign).toEqual([]);
    expect(await context.cookies()).toEqual([]);
    expect(await page.evaluate(() => document.cookie)).toBe('');
  });

  it('loads each widget file once, only when used', async () => {
    for (const file of ['close-explorer.js', 'lab.js', 'playground.js', 'lab/keepalive-pool.js'])
      expect(requests.filter((u) => u.endsWith(`/embed/v1/${file}`)).length, file).toBe(1);
    // A bad attribute loads nothing: no data file for the misspelt lab.
    expect(requests.filter((u) => u.includes('lost-final-hack'))).toEqual([]);
  });
});

describe('embed files', () => {
  const dir = BUILDS.main.dir;

  it('embed.js stays within 15 KB gzipped', () => {
    const size = gzipSync(readFileSync(join(dir, 'embed/v1/embed.js'))).length;
    console.log(`embed.js: ${(size / 1024).toFixed(1)} KB gzipped`);
    expect(size).toBeLessThanOrEqual(15 * 1024);
  });

  it('the oEmbed responses have the fields the oEmbed spec requires for type "rich"', () => {
    const slugs = ['close-explorer', 'playground', ...CHAPTER_LABS.map((l) => `lab/${l}`)];
    const paths = slugs.flatMap((w) => [`embed/v1/oembed/${w}.json`, `zh-cn/embed/v1/oembed/${w}.json`]);
    expect(paths.length).toBeGreaterThan(40);
    for (const path of paths) {
      const slug = path.replace(/^.*oembed\//, '').replace(/\.json$/, '');
      const r = JSON.parse(readFileSync(join(dir, path), 'utf8'));
      // oEmbed 1.0 §2.3.4: type and version always; html, width and height for "rich".
      expect(r.version, path).toBe('1.0');
      expect(r.type, path).toBe('rich');
      expect(typeof r.html, path).toBe('string');
      expect(typeof r.title === 'string' && r.title.length > 0, path).toBe(true);
      expect(r.html, path).toMatch(new RegExp(`^<iframe [^>]*src="https?://[^"]+/embed/v1/${slug}/"`));
      expect(Number.isInteger(r.width) && r.width > 0, path).toBe(true);
      expect(Number.isInteger(r.height) && r.height > 0, path).toBe(true);
      // thumbnail_* come together or not at all (spec §2.3.4)
      expect(
        typeof r.thumbnail_url === 'string' && r.thumbnail_width > 0 && r.thumbnail_height > 0,
        path,
      ).toBe(true);
    }
  });

  it('the chapter and the iframe page announce the oEmbed response', () => {
    for (const page of [
      'understand/arises/index.html',
      'embed/v1/close-explorer/index.html',
      'zh-cn/understand/arises/index.html',
    ]) {
      const html = readFileSync(join(dir, page), 'utf8');
      expect(html, page).toMatch(
        /<link[^>]+type="application\/json\+oembed"[^>]+href="[^"]+oembed\/close-explorer\.json"/,
      );
    }
    const announced: [string, string][] = [
      ['understand/why/index.html', 'oembed/lab/lost-final-ack.json'],
      ['zh-cn/understand/why/index.html', 'zh-cn/embed/v1/oembed/lab/incarnation-corruption.json'],
      ['embed/v1/lab/keepalive-pool/index.html', 'oembed/lab/keepalive-pool.json'],
      ['playground/index.html', 'oembed/playground.json'],
    ];
    for (const [page, json] of announced) {
      const html = readFileSync(join(dir, page), 'utf8');
      const links = [...html.matchAll(/<link[^>]+type="application\/json\+oembed"[^>]+href="([^"]+)"/g)].map(
        (m) => m[1],
      );
      expect(
        links.some((l) => l?.endsWith(json)),
        `${page}: ${links.join(', ')}`,
      ).toBe(true);
    }
  });

  it('every lab a chapter uses has a frame page in both languages, a data file and a well-formed SVG', async () => {
    expect(CHAPTER_LABS.length).toBeGreaterThanOrEqual(20);
    const browser = await launch();
    try {
      const page = await browser.newPage();
      for (const l of CHAPTER_LABS) {
        for (const f of [`embed/v1/lab/${l}/index.html`, `zh-cn/embed/v1/lab/${l}/index.html`])
          expect(readFileSync(join(dir, f), 'utf8'), f).toContain('data-widget=');
        expect(readFileSync(join(dir, `embed/v1/lab/${l}.js`), 'utf8')).toMatch(
          new RegExp(`^window\\.twgEmbed&&window\\.twgEmbed\\.data\\("lab/${l}",\\{`),
        );
        const svg = readFileSync(join(dir, `embed/v1/lab/${l}.svg`), 'utf8');
        const problem = await page.evaluate((text) => {
          const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
          if (doc.querySelector('parsererror'))
            return doc.querySelector('parsererror')?.textContent ?? 'parse error';
          const root = doc.documentElement;
          return root.namespaceURI === 'http://www.w3.org/2000/svg' &&
            Number(root.getAttribute('width')) > 200
            ? ''
            : 'not an SVG with a size';
        }, svg);
        expect(problem, l).toBe('');
      }
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('the first-frame image is an SVG a browser can draw', async () => {
    const browser = await launch();
    try {
      const page = await browser.newPage();
      for (const file of [
        'close-explorer.svg',
        'playground.svg',
        'lab/lost-final-ack.svg',
        'lab/port-exhaustion.svg',
      ]) {
        const svg = readFileSync(join(dir, 'embed/v1', file), 'utf8');
        expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), file).toBe(true);
        const size = await page.evaluate(async (text) => {
          const img = new Image();
          img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
          await img.decode();
          return [img.naturalWidth, img.naturalHeight];
        }, svg);
        expect(size[0], file).toBeGreaterThan(300);
        expect(size[1], file).toBeGreaterThan(200);
      }
    } finally {
      await browser.close();
    }
  });
});

/** The configurator island has hydrated (Astro removes `ssr` from the island when it has). */
async function hydrated(page: Page): Promise<void> {
  await page.locator('astro-island:not([ssr]) .twg-cfg').waitFor({ timeout: 15_000 });
}

describe('the Embed page and the embed button', () => {
  let browser: Browser;
  let site: { server: Server; url: string };

  beforeAll(async () => {
    site = await serve('main');
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    site?.server.close();
  });

  for (const [prefix, label] of [
    ['', 'Custom element'],
    ['zh-cn/', '自定义元素'],
  ] as const) {
    it(`/${prefix}embed/ generates the code for each form`, async () => {
      const page = await browser.newPage();
      await page.goto(`${site.url}${prefix}embed/`);
      await hydrated(page);
      const element = page.getByLabel(label, { exact: false });
      await element.waitFor();
      await expect
        .poll(async () => element.inputValue(), { timeout: 10_000 })
        .toContain('<tw-close-explorer');
      await page.getByRole('combobox', { name: prefix ? /^实验/ : /^Experiment/ }).selectOption('server');
      await expect.poll(async () => element.inputValue(), { timeout: 10_000 }).toContain('closer="server"');
      const iframe = await page.getByLabel('iframe', { exact: false }).inputValue();
      expect(iframe).toMatch(/<iframe src="[^"]+embed\/v1\/close-explorer\/#close=[A-Za-z0-9_-]+"/);
      await page.close();
    });
  }

  it("a widget's 'copy embed code' button opens the configurator with the widget's state", async () => {
    const page = await browser.newPage();
    await page.goto(`${site.url}understand/arises/`);
    const widget = page.locator('.twg').first();
    await widget.scrollIntoViewIfNeeded();
    await page.locator('astro-island:not([ssr]) .twg').first().waitFor({ timeout: 15_000 });
    await widget.getByRole('radio', { name: 'Server closes first' }).check();
    await widget.getByRole('button', { name: 'Copy embed code' }).click();
    await page.waitForURL(/\/embed\/#cfg=/);
    await hydrated(page);
    const element = page.getByLabel('Custom element', { exact: false });
    await expect.poll(async () => element.inputValue(), { timeout: 10_000 }).toContain('closer="server"');
    await page.close();
  });

  it("a lab's and the playground's 'copy embed code' buttons open the configurator with their state", async () => {
    const page = await browser.newPage();
    await page.goto(`${site.url}understand/why/`);
    const lab = page.locator('section[data-lab="lost-final-ack"]');
    await lab.scrollIntoViewIfNeeded();
    await page
      .locator('astro-island:not([ssr]) section[data-lab="lost-final-ack"]')
      .waitFor({ timeout: 20_000 });
    await lab.locator('input[type="radio"][value="none"]').check();
    await lab.getByRole('button', { name: 'Copy embed code' }).click();
    await page.waitForURL(/\/embed\/#cfg=/);
    await hydrated(page);
    const element = page.getByLabel('Custom element', { exact: false });
    await expect
      .poll(async () => element.inputValue(), { timeout: 10_000 })
      .toMatch(/<tw-lab lab="lost-final-ack" variant="none" seed="\d+" t="[\d.]+(?:ms|us)"/);
    const iframe = await page.getByLabel('iframe', { exact: false }).inputValue();
    expect(iframe).toMatch(/embed\/v1\/lab\/lost-final-ack\/#lost-final-ack=[A-Za-z0-9_-]+"/);
    expect(await page.getByLabel('oEmbed', { exact: false }).inputValue()).toMatch(
      /\/understand\/why\/#lost-final-ack=[A-Za-z0-9_-]+$/,
    );

    await page.goto(`${site.url}zh-cn/mitigate/keepalive-pooling/`);
    const load = page.locator('section[data-lab="keepalive-pool"]');
    await load.scrollIntoViewIfNeeded();
    await page
      .locator('astro-island:not([ssr]) section[data-lab="keepalive-pool"]')
      .waitFor({ timeout: 20_000 });
    await load.locator('input[type="radio"][value="pool-4"]').check();
    await load.locator('button[data-act="embed"]').click();
    await page.waitForURL(/\/zh-cn\/embed\/#cfg=/);
    await hydrated(page);
    const zhElement = page.getByLabel('自定义元素', { exact: false });
    await expect
      .poll(async () => zhElement.inputValue(), { timeout: 10_000 })
      .toContain('<tw-lab lab="keepalive-pool"');
    expect(await zhElement.inputValue()).toContain('pool="4"');
    expect(await zhElement.inputValue()).toContain('lang="zh-cn"');

    await page.goto(`${site.url}playground/`);
    await page.locator('#pg').scrollIntoViewIfNeeded();
    await page.locator('astro-island:not([ssr]) #pg').waitFor({ timeout: 20_000 });
    await page.locator('#pg-preset').selectOption('lost-final-ack');
    await page.locator('#pg button[data-act="embed"]').click();
    await page.waitForURL(/\/embed\/#cfg=/);
    await hydrated(page);
    await expect
      .poll(async () => page.getByLabel('Custom element', { exact: false }).inputValue(), { timeout: 10_000 })
      .toMatch(/<tw-playground preset="lost-final-ack"/);
    await page.close();
  }, 90_000);

  it('the configurator offers the playground and every lab', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.url}embed/`);
    await hydrated(page);
    const element = page.getByLabel('Custom element', { exact: false });
    await page.getByRole('combobox', { name: /^Widget/ }).selectOption('playground');
    await expect.poll(async () => element.inputValue(), { timeout: 10_000 }).toContain('<tw-playground');
    await page.getByRole('combobox', { name: /^Start from/ }).selectOption('tw-reuse-on');
    await expect.poll(async () => element.inputValue()).toContain('preset="tw-reuse-on"');
    expect(await page.getByLabel('iframe', { exact: false }).inputValue()).toMatch(
      /embed\/v1\/playground\/#pg=/,
    );

    await page.getByRole('combobox', { name: /^Widget/ }).selectOption('lab');
    const labSelect = page.getByRole('combobox', { name: /^Lab/ });
    const offered = await labSelect
      .locator('option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect([...offered].sort()).toEqual(CHAPTER_LABS);
    await labSelect.selectOption('keepalive-pool');
    await page.getByRole('combobox', { name: /^Pool/ }).selectOption('4');
    await expect.poll(async () => element.inputValue()).toContain('<tw-lab lab="keepalive-pool" pool="4"');
    expect(await page.getByLabel('iframe', { exact: false }).inputValue()).toMatch(
      /embed\/v1\/lab\/keepalive-pool\/#keepalive-pool=[A-Za-z0-9_-]+"/,
    );
    expect(await page.getByLabel('Image', { exact: false }).inputValue()).toContain(
      'embed/v1/lab/keepalive-pool.svg',
    );
    await labSelect.selectOption('incarnation-corruption');
    await page.getByRole('combobox', { name: /^Variant/ }).selectOption('paws');
    await expect
      .poll(async () => element.inputValue())
      .toContain('<tw-lab lab="incarnation-corruption" variant="paws"');
    // The gallery lists every lab too, images lazy.
    const cards = page.locator('.twg-gallery li[data-lab]');
    expect(await cards.count()).toBe(CHAPTER_LABS.length);
    expect(await cards.locator('img[loading="lazy"]').count()).toBe(CHAPTER_LABS.length);
    await page.close();
  }, 60_000);

  it("an embed's link back opens the chapter at the lab, in the state it was in", async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    const state = b64({ v: 'tw', s: 1, t: 1000, d: [] });
    await page.goto(`${site.url}understand/why/#lost-final-ack-no-timewait=${state}`);
    const lab = page.locator('section[data-lab="lost-final-ack-no-timewait"]');
    await expect.poll(async () => page.evaluate(() => scrollY), { timeout: 10_000 }).toBeGreaterThan(500);
    const top = await lab.evaluate((el) => el.getBoundingClientRect().top);
    expect(Math.abs(top)).toBeLessThan(700);
    await page
      .locator('astro-island:not([ssr]) section[data-lab="lost-final-ack-no-timewait"]')
      .waitFor({ timeout: 20_000 });
    await expect.poll(async () => lab.getAttribute('data-variant'), { timeout: 10_000 }).toBe('tw');
    await page.close();
  }, 60_000);

  it('a malformed configurator state shows a message and the defaults', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.url}embed/#cfg=%3Cscript%3Ealert(1)%3C%2Fscript%3E`);
    await hydrated(page);
    await expect
      .poll(async () => page.locator('.twg-cfg-note').textContent(), { timeout: 10_000 })
      .toContain('could not be used');
    expect(await page.getByLabel('Custom element', { exact: false }).inputValue()).toContain(
      '<tw-close-explorer',
    );
    await page.close();
  });
});
