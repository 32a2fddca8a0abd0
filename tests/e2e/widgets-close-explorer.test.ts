// The close explorer in Chromium, against a build (TWG_DIST picks the directory, see harness.ts): the
// first frame without JavaScript and its hydration, stepping, dropping the final ACK, scrubbing, a
// shared URL, keyboard-only use, hostile URL states, and axe on the chapter in both languages.

import type { Server } from 'node:http';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launch, serve, watch } from './harness.ts';

const EN = 'understand/arises/';
const ZH = 'zh-cn/understand/arises/';

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

const contexts: BrowserContext[] = [];
async function newPage(opts: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
  const ctx = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    reducedMotion: 'reduce',
    ...opts,
  });
  contexts.push(ctx);
  return ctx.newPage();
}
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
});

/** The widget whose state key is `id`, scrolled into view and hydrated. */
async function widget(page: Page, id = 'close'): Promise<Locator> {
  const w = page.locator(`section[aria-labelledby="${id}-title"]`);
  await w.scrollIntoViewIfNeeded();
  await page.waitForFunction(
    (key) => {
      const island = document.getElementById(`${key}-title`)?.closest('astro-island');
      return island !== null && island !== undefined && !island.hasAttribute('ssr');
    },
    id,
    { timeout: 15_000 },
  );
  return w;
}

async function open(path: string, hash = '', opts: Parameters<Browser['newContext']>[0] = {}) {
  const page = await newPage(opts);
  const problems = watch(page);
  await page.goto(`${site}${path}${hash}`, { waitUntil: 'load' });
  return { page, problems };
}

// textContent, not innerText: a widget scrolled out of view skips rendering (content-visibility: auto
// in site.css), and innerText reads only rendered text.
const timeText = async (w: Locator) => ((await w.locator('output.twg-time').textContent()) ?? '').trim();
const tcpdump = async (w: Locator) =>
  (await w.locator('pre.twg-tcpdump').innerText()).split('\n').filter((l) => / IP /.test(l));
const transcript = (w: Locator) => w.locator('.twg-transcript').innerText();

describe('close explorer: first frame', () => {
  it('is readable with JavaScript off: diagram, both state machines, ss, tcpdump and transcript', async () => {
    const { page } = await open(EN, '', { javaScriptEnabled: false });
    const w = page.locator('section[aria-labelledby="close-title"]');
    expect(await w.locator('svg.twg-seq .twg-arrow').count()).toBeGreaterThanOrEqual(9);
    expect(await w.locator('figure.twg-fsm').count()).toBe(2);
    expect(await w.locator('table.twg-ss').first().innerText()).toContain('TIME-WAIT');
    expect((await tcpdump(w)).length).toBeGreaterThanOrEqual(9);
    expect(await transcript(w)).toContain('The client starts its 60 s TIME_WAIT timer.');
    const zh = await open(ZH, '', { javaScriptEnabled: false });
    expect(
      await zh.page.locator('section[aria-labelledby="close-title"] .twg-transcript').innerText(),
    ).toContain('客户端启动 60 s 的 TIME_WAIT 计时器。');
  });

  it('hydrates without changing a thing: same HTML, same size, no errors', async () => {
    const { page, problems } = await open(EN);
    const w = page.locator('section[aria-labelledby="close-title"]');
    const before = await w.evaluate((el) => ({ html: el.outerHTML, h: el.getBoundingClientRect().height }));
    await widget(page);
    const after = await w.evaluate((el) => ({ html: el.outerHTML, h: el.getBoundingClientRect().height }));
    expect(after.h).toBe(before.h);
    expect(after.html).toBe(before.html);
    expect(problems).toEqual({ console: [], failed: [] });
  });
});

describe('close explorer: stepping, dropping, scrubbing, sharing', () => {
  it('steps forward and back between instants', async () => {
    const { page, problems } = await open(EN);
    const w = await widget(page);
    await w.getByRole('button', { name: 'Go to start' }).click();
    expect(await timeText(w)).toMatch(/^0 µs \//);
    expect(await tcpdump(w)).toEqual([]);
    await w.getByRole('button', { name: 'Step forward' }).click();
    expect(await timeText(w)).toMatch(/^10 ms \//);
    expect(await tcpdump(w)).toHaveLength(1);
    await w.getByRole('button', { name: 'Step forward' }).click();
    expect(await timeText(w)).toMatch(/^15 ms \//);
    expect(await tcpdump(w)).toHaveLength(2); // the SYN arrived and the SYN-ACK left at 15 ms
    await w.getByRole('button', { name: 'Step back' }).click();
    expect(await timeText(w)).toMatch(/^10 ms \//);
    expect(await tcpdump(w)).toHaveLength(1);
    await w.getByRole('button', { name: 'Step back' }).click();
    expect(await timeText(w)).toMatch(/^0 µs \//);
    expect(problems).toEqual({ console: [], failed: [] });
  });

  it('drops the final ACK and shows the server resending its FIN, then shares that state by URL', async () => {
    const { page, problems } = await open(EN);
    const w = await widget(page);
    await w.getByRole('button', { name: 'Go to end' }).click();
    const acks = w.locator(
      'svg.twg-seq [role="button"][aria-label*="ACK seq"][aria-label*="client → server"]',
    );
    const finalAck = acks.last();
    const label = (await finalAck.getAttribute('aria-label')) ?? '';
    const id = Number(/^#(\d+)/.exec(label)?.[1]);
    expect(id).toBeGreaterThan(0);
    await finalAck.click();
    expect(await finalAck.getAttribute('aria-pressed')).toBe('true');
    await w.getByRole('button', { name: `Drop segment #${id}` }).click();
    const lines = await tcpdump(w);
    expect(lines.filter((l) => l.includes('(dropped: fault)'))).toHaveLength(1);
    const serverFins = lines.filter((l) => /10\.0\.0\.2\.80 > .*Flags \[F\.\]/.test(l));
    expect(serverFins).toHaveLength(2);
    const text = await transcript(w);
    expect(text).toMatch(/The server resends its FIN \(#\d+\) 2\d\d ms after the previous copy\./);
    expect(text).toContain(
      'The client, still in TIME_WAIT, answers the retransmitted FIN and restarts its 60 s timer.',
    );
    expect(await w.locator('.twg-drops').innerText()).toContain(`#${id}`);
    expect(await w.locator('svg.twg-seq').innerHTML()).toContain('timer restarted');

    // Step back to just after the retransmitted FIN left, then share.
    await w.getByRole('button', { name: 'Step back' }).click();
    await w.getByRole('button', { name: 'Step back' }).click();
    const shown = await timeText(w);
    await page.waitForFunction(() => /[#&]close=/.test(location.hash));
    await page.waitForTimeout(400); // the URL is written 250 ms after the last change
    const url = page.url();
    const again = await open(EN, url.slice(url.indexOf('#')));
    const w2 = await widget(again.page);
    await again.page
      .waitForFunction(
        (want) =>
          document.querySelector('section[aria-labelledby="close-title"] output.twg-time')?.textContent ===
          want,
        shown.replace(/\s+/g, ' '),
        { timeout: 5_000 },
      )
      .catch(() => undefined);
    expect(await timeText(w2)).toBe(shown);
    expect(await w2.locator('.twg-drops').innerText()).toContain(`#${id}`);
    expect(await tcpdump(w2)).toEqual(await tcpdump(w));
    // A reload lands on the same instant too.
    await again.page.reload({ waitUntil: 'load' });
    const w3 = await widget(again.page);
    await again.page.waitForTimeout(200);
    expect(await timeText(w3)).toBe(shown);
    expect(problems).toEqual({ console: [], failed: [] });
    expect(again.problems).toEqual({ console: [], failed: [] });
  });

  it('holds the final ACK back 1 s: the server resends its FIN first, and the link keeps the delay', async () => {
    const { page, problems } = await open(EN);
    const w = await widget(page);
    await w.getByRole('button', { name: 'Go to end' }).click();
    const finalAck = w
      .locator('svg.twg-seq [role="button"][aria-label*="ACK seq"][aria-label*="client → server"]')
      .last();
    const id = Number(/^#(\d+)/.exec((await finalAck.getAttribute('aria-label')) ?? '')?.[1]);
    expect(id).toBeGreaterThan(0);
    await finalAck.click();
    await w.getByLabel('by', { exact: true }).selectOption({ label: '1 s' });
    await w.getByRole('button', { name: `Hold back segment #${id}` }).click();
    expect(await w.locator('.twg-drops').innerText()).toContain(`Held back on purpose: #${id} by 1 s`);
    await w.getByRole('button', { name: 'Go to end' }).click();
    const arrow = w.locator(`[data-seg="${id}"]`);
    expect(await arrow.getAttribute('class')).toContain('twg-held');
    expect(await arrow.getAttribute('aria-label')).toContain('held back 1 s');
    // Nothing is lost: the server, hearing nothing, resends its FIN after its RTO; the client in
    // TIME_WAIT answers it, and the held ACK arrives about a second late.
    const lines = await tcpdump(w);
    expect(lines.filter((l) => l.includes('(dropped'))).toEqual([]);
    expect(lines.filter((l) => /10\.0\.0\.2\.80 > .*Flags \[F\.\]/.test(l))).toHaveLength(2);
    const text = await transcript(w);
    expect(text).toContain('The client, still in TIME_WAIT, answers the retransmitted FIN');
    // The delay is in the link and survives a reload.
    await page.waitForFunction(() => /[#&]close=/.test(location.hash));
    await page.waitForTimeout(400);
    const hash = page.url().slice(page.url().indexOf('#'));
    const again = await open(EN, hash);
    const w2 = await widget(again.page);
    await again.page
      .waitForFunction(
        () =>
          document
            .querySelector('section[aria-labelledby="close-title"] .twg-drops')
            ?.textContent?.includes('Held back'),
        undefined,
        { timeout: 5_000 },
      )
      .catch(() => undefined);
    expect(await w2.locator('.twg-drops').innerText()).toContain(`#${id} by 1 s`);
    expect(problems).toEqual({ console: [], failed: [] });
    expect(again.problems).toEqual({ console: [], failed: [] });
  });

  it('scrubs to any instant, with the mouse-free value and the keyboard', async () => {
    const { page } = await open(EN);
    const w = await widget(page);
    const range = w.locator('input[type="range"]');
    const max = Number(await range.getAttribute('max'));
    await range.evaluate(
      (el, v) => {
        const input = el as HTMLInputElement;
        input.value = String(v);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      },
      Math.round(max / 2),
    );
    const mid = await timeText(w);
    expect(mid).not.toMatch(/^0 µs/);
    expect(await range.getAttribute('aria-valuetext')).toBe(mid.split(' / ')[0]);
    await range.focus();
    await page.keyboard.press('Home');
    expect(await timeText(w)).toMatch(/^0 µs/);
    await page.keyboard.press('End');
    const end = await timeText(w);
    const [now, total] = end.split(' / ');
    expect(now).toBe(total);
    expect(await w.locator('table.twg-ss').first().innerText()).not.toContain('TIME-WAIT');
  });

  it('plays on its own and stops at the end (reduced motion: instant to instant)', async () => {
    const { page } = await open(EN);
    const w = await widget(page);
    await w.getByRole('button', { name: 'Go to start' }).click();
    await w.getByRole('combobox', { name: 'Speed' }).selectOption('4');
    await w.getByRole('button', { name: 'Play' }).click();
    await page.waitForFunction(
      () =>
        !/^0 µs/.test(
          document.querySelector('section[aria-labelledby="close-title"] output.twg-time')?.textContent ?? '',
        ),
    );
    await w.getByRole('button', { name: 'Pause' }).click();
    expect(await timeText(w)).not.toMatch(/^0 µs/);
  });

  it('lets the second widget on the page keep its own state', async () => {
    const { page } = await open(EN);
    const a = await widget(page, 'close');
    const b = await widget(page, 'simultaneous');
    expect(await b.locator('input[type="radio"][value="both"]').isChecked()).toBe(true);
    await b.getByRole('button', { name: 'Go to start' }).click();
    await a.getByRole('button', { name: 'Go to end' }).click();
    await page.waitForTimeout(400);
    const hash = new URL(page.url()).hash;
    expect(hash).toMatch(/close=/);
    expect(hash).toMatch(/simultaneous=/);
    expect(await timeText(b)).toMatch(/^0 µs/);
  });
});

describe('close explorer: embed hook', () => {
  it('dispatches twg:embed with the widget and its state, and falls back to a link when nobody answers', async () => {
    const { page, problems } = await open(EN, '', { permissions: ['clipboard-read', 'clipboard-write'] });
    const w = await widget(page);
    await w.getByRole('button', { name: 'Step back' }).click();
    // Nobody handles the event (the site's embed feature, if present, is kept from seeing it): the
    // button offers a link to this exact state.
    await page.evaluate(() => {
      const silence = (e: Event) => e.stopPropagation();
      window.addEventListener('twg:embed', silence, { capture: true });
      (window as unknown as { twgSilence: typeof silence }).twgSilence = silence;
    });
    await w.getByRole('button', { name: 'Copy embed code' }).click();
    const status = w.locator('.twg-embed [role="status"]');
    await page.waitForFunction(
      () =>
        (document.querySelector('section[aria-labelledby="close-title"] .twg-embed [role="status"]')
          ?.textContent ?? '') !== '',
    );
    expect(await status.innerText()).toMatch(/link to this exact state/);
    const link = await page.evaluate(async () => {
      const field = document.querySelector<HTMLInputElement>(
        'section[aria-labelledby="close-title"] .twg-link',
      );
      if (field) return field.value;
      return navigator.clipboard.readText().catch(() => '');
    });
    expect(link).toMatch(/\/understand\/arises\/#close=[A-Za-z0-9_-]+$/);
    // A handler (the embeds feature) takes over by calling preventDefault().
    const detail = await page.evaluate(async () => {
      const w = window as unknown as { twgSilence: (e: Event) => void };
      window.removeEventListener('twg:embed', w.twgSilence, { capture: true });
      const got = new Promise<unknown>((resolve) =>
        window.addEventListener(
          'twg:embed',
          (e) => {
            e.preventDefault();
            e.stopPropagation();
            resolve((e as CustomEvent).detail);
          },
          { once: true, capture: true },
        ),
      );
      document
        .querySelector<HTMLButtonElement>('section[aria-labelledby="close-title"] [data-act="embed"]')
        ?.click();
      return got;
    });
    expect(detail).toMatchObject({ widget: 'close-explorer', state: { c: 'client', d: [] } });
    await page.waitForFunction(
      () =>
        document.querySelector('section[aria-labelledby="close-title"] .twg-embed [role="status"]')
          ?.textContent === 'Embed code ready.',
    );
    expect(problems).toEqual({ console: [], failed: [] });
  });
});

describe('close explorer: keyboard only', () => {
  it('reaches and operates every control from the keyboard, with visible focus', {
    timeout: 180_000,
  }, async () => {
    const { page, problems } = await open(EN);
    const w = await widget(page);
    // Start from the top of the page and Tab down, as a keyboard user would.
    await page.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      window.scrollTo(0, 0);
    });
    const reached = new Set<string>();
    const describe = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        const inside = !!el?.closest('section[aria-labelledby="close-title"]');
        const style = el ? getComputedStyle(el) : null;
        return {
          inside,
          name: `${el?.tagName} ${el?.getAttribute('aria-label') ?? el?.getAttribute('data-act') ?? el?.getAttribute('type') ?? ''}`,
          outline: style ? style.outlineStyle !== 'none' && style.outlineWidth !== '0px' : false,
        };
      });
    for (let i = 0; i < 400; i++) {
      await page.keyboard.press('Tab');
      const d = await describe();
      if (process.env.TWG_DEBUG) console.log(i, d);
      if (!d.inside) {
        if (reached.size > 0) break;
        continue;
      }
      reached.add(d.name.replace(/#\d+.*/, '#segment'));
      if (!d.name.startsWith('g ') && !d.name.startsWith('G '))
        expect(d.outline, `visible focus on ${d.name}`).toBe(true);
    }
    const names = [...reached].join(' | ');
    for (const want of [
      'embed',
      'radio',
      'Go to start',
      'Step back',
      'Play',
      'Step forward',
      'Go to end',
      'SELECT',
      'range',
      '#segment',
      'PRE',
    ])
      expect(names, names).toContain(want);

    // Choose "server closes first" with the arrow keys of the radio group.
    await w.locator('input[type="radio"][value="client"]').focus();
    await page.keyboard.press('ArrowDown');
    expect(await w.locator('input[type="radio"][value="server"]').isChecked()).toBe(true);
    expect(await transcript(w)).toContain('The server moves ESTABLISHED → FIN_WAIT_1');

    // Shortcuts from anywhere in the widget but a text field.
    await w.getByRole('button', { name: 'Go to start' }).focus();
    await page.keyboard.press('Enter');
    expect(await timeText(w)).toMatch(/^0 µs/);
    await page.keyboard.press('l');
    expect(await timeText(w)).toMatch(/^10 ms/);
    await page.keyboard.press('.');
    expect(await timeText(w)).toMatch(/^15 ms/);
    await page.keyboard.press('j');
    expect(await timeText(w)).toMatch(/^10 ms/);
    await page.keyboard.press('End');
    await page.keyboard.press('Home');
    expect(await timeText(w)).toMatch(/^0 µs/);
    await page.keyboard.press('End');

    // Into the diagram: the last segment has focus; ↑ moves focus, Enter selects, Delete drops.
    await w.locator('svg.twg-seq [role="button"][tabindex="0"]').focus();
    await page.keyboard.press('ArrowUp');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
    expect(focused).toMatch(/^#\d+ /);
    await page.keyboard.press('Enter');
    const id = Number(/^#(\d+)/.exec(focused)?.[1]);
    expect(await w.locator(`[data-seg="${id}"]`).getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('Delete');
    expect(await w.locator('.twg-drops').innerText()).toContain(`#${id}`);
    expect(await w.locator(`[data-seg="${id}"]`).getAttribute('class')).toContain('twg-lost');
    // And undo, by keyboard.
    await w.getByRole('button', { name: 'Undo drops' }).focus();
    await page.keyboard.press('Enter');
    expect(await w.locator('.twg-drops').innerText()).toContain('No segment dropped');
    expect(problems).toEqual({ console: [], failed: [] });
  });
});

describe('close explorer: hostile URL states', () => {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
  const cases: [string, string][] = [
    ['bad JSON', `#close=${b64('{"c":"client",')}`],
    ['not base64', '#close=%%%%%'],
    ['script text', `#close=${encodeURIComponent('<script>alert(1)</script>')}`],
    [
      'script in a field',
      `#close=${b64(JSON.stringify({ c: '<img src=x onerror=alert(1)>', s: 1, t: 0, d: [] }))}`,
    ],
    ['huge instant', `#close=${b64(JSON.stringify({ c: 'client', s: 1, t: 1e308, d: [] }))}`],
    ['huge seed', `#close=${b64(JSON.stringify({ c: 'client', s: 2 ** 60, t: 0, d: [] }))}`],
    ['wrong types', `#close=${b64(JSON.stringify({ c: 'client', s: '1', t: [], d: 'x' }))}`],
    ['too long', `#close=${'A'.repeat(10_000)}`],
  ];
  it('shows a short message and the default view, never a crash or a blank', {
    timeout: 240_000,
  }, async () => {
    let dialogs = 0;
    const all: string[] = [];
    const visit = async (url: string) => {
      const page = await newPage();
      const problems = watch(page);
      page.on('dialog', async (d) => {
        dialogs++;
        await d.dismiss();
      });
      await page.goto(url, { waitUntil: 'load' });
      const w = await widget(page);
      const alert = w.locator('.twg-problem[role="alert"]');
      await alert.waitFor({ timeout: 5_000 });
      all.push(...problems.console, ...problems.failed);
      return { page, w, alert };
    };
    for (const [name, hash] of cases) {
      const { page, w, alert } = await visit(`${site}${EN}${hash}`);
      expect(await alert.innerText(), name).toMatch(/could not be used .*showing the default instead\./);
      expect(await w.locator('svg.twg-seq .twg-arrow').count(), name).toBeGreaterThanOrEqual(9);
      expect(await timeText(w), name).toMatch(/^1\.21 s \//);
      await page.close();
    }
    const zh = await visit(`${site}${ZH}#close=${b64('nope')}`);
    expect(await zh.alert.innerText()).toMatch(/链接里的状态无法使用（.+），已改为显示默认状态。/);
    expect(all).toEqual([]);
    expect(dialogs).toBe(0);
  });
});

describe('close explorer: accessibility', () => {
  it('has no axe violations (WCAG 2.2 AA) on the chapter in both languages, light and dark, hydrated', {
    timeout: 240_000,
  }, async () => {
    const found: string[] = [];
    for (const path of [EN, ZH]) {
      for (const theme of ['light', 'dark'] as const) {
        const page = await newPage({ colorScheme: theme });
        await page.addInitScript((t) => localStorage.setItem('starlight-theme', t), theme);
        await page.goto(`${site}${path}`, { waitUntil: 'load' });
        const w = await widget(page, 'close');
        await widget(page, 'simultaneous');
        // Put the first widget in a busy state: a segment selected, a drop made, a status shown.
        await w.getByRole('button', { name: /Go to end|跳到结尾/ }).click();
        await w.locator('svg.twg-seq [role="button"]').last().click();
        const violations = await axeViolations(page);
        for (const v of violations) found.push(`/${path} [${theme}] ${v}`);
      }
    }
    expect(found).toEqual([]);
  });
});
