// Embeds in a hostile host: a "blog" on another origin with CSS that tries to restyle everything and a
// Content-Security-Policy that allows only itself and the site. Each form (iframe with resize.js, custom
// element, oEmbed, image) must render, work, resize, send no request to any third origin and set no
// cookie; bad attributes show a message inside the element.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILDS, launch, serve } from './harness.ts';

const HOSTILE_CSS = `
* { all: unset; }
html { font: 30px/3 "Comic Sans MS", cursive; color: red; letter-spacing: 4px; text-transform: uppercase; }
button, input, select { font-size: 40px !important; padding: 20px !important; }
*, *::before, *::after { box-sizing: content-box !important; }
div, span, p { margin: 25px !important; }
tw-close-explorer { display: inline; font-size: 8px; }
iframe { border: 5px dashed red; }
`;

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

  it('sends no request to any other origin and sets no cookie', async () => {
    const allowed = new Set([new URL(site.url).origin, new URL(blogUrl).origin]);
    const foreign = requests.filter((u) => !u.startsWith('data:') && !allowed.has(new URL(u).origin));
    expect(foreign).toEqual([]);
    expect(await context.cookies()).toEqual([]);
    expect(await page.evaluate(() => document.cookie)).toBe('');
  });

  it('loads each widget file once, only when used', async () => {
    const widgetFiles = requests.filter((u) => u.endsWith('/embed/v1/close-explorer.js'));
    expect(widgetFiles.length).toBe(1);
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
    for (const path of ['embed/v1/oembed/close-explorer.json', 'zh-cn/embed/v1/oembed/close-explorer.json']) {
      const r = JSON.parse(readFileSync(join(dir, path), 'utf8'));
      expect(r.version, path).toBe('1.0');
      expect(r.type, path).toBe('rich');
      expect(typeof r.html, path).toBe('string');
      expect(r.html, path).toMatch(/^<iframe [^>]*src="https?:\/\/[^"]+\/embed\/v1\/close-explorer\/"/);
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
  });

  it('the first-frame image is an SVG a browser can draw', async () => {
    const svg = readFileSync(join(dir, 'embed/v1/close-explorer.svg'), 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const browser = await launch();
    try {
      const page = await browser.newPage();
      const size = await page.evaluate(async (text) => {
        const img = new Image();
        img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
        await img.decode();
        return [img.naturalWidth, img.naturalHeight];
      }, svg);
      expect(size[0]).toBeGreaterThan(300);
      expect(size[1]).toBeGreaterThan(200);
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
      await page.getByLabel(prefix ? '实验' : 'Experiment').selectOption('server');
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
