import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer } from '../../scripts/lib/static-server.ts';
import { buildCommentsFixture, FIXTURE_DOCS, threadFile } from '../content/comments-fixture.ts';
import type { FixtureBuild } from '../content/fixture-site.ts';
import { BUILDS, launch, serve, watch } from './harness.ts';

// Reader threads in the built site: under chapters, on the hub (filters, sorting, deep links), in the
// search (both languages, with type filters), the ask form, the sub-path build, and an XSS corpus
// rendered in Chromium from a fixture build.

let browser: Browser;
const servers: Server[] = [];
let site: string;
let sub: string;

beforeAll(async () => {
  const main = await serve('main');
  const subpath = await serve('sub');
  servers.push(main.server, subpath.server);
  site = main.url;
  sub = subpath.url;
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  for (const s of servers) s.close();
});

async function open(base: string, path: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(base + path, { waitUntil: 'networkidle' });
  return page;
}

/** Runs a search from a page and returns every result link (path + fragment) and the filter names. */
async function search(
  base: string,
  path: string,
  query: string,
): Promise<{ links: string[]; filters: string[] }> {
  const page = await open(base, path);
  await page.locator('site-search button[data-open-modal]').first().click();
  await page.locator('#starlight__search input.pagefind-ui__search-input').fill(query);
  const results = page.locator('#starlight__search a[href]');
  await results.first().waitFor({ timeout: 15_000 });
  await page.waitForTimeout(300);
  // Pagefind shows five pages at first; a reader can load more. Look as far as three more screens.
  const more = page.locator('#starlight__search button.pagefind-ui__button');
  for (let i = 0; i < 3 && (await more.isVisible()); i++) {
    await more.click();
    await page.waitForTimeout(300);
  }
  const links = await results.evaluateAll((as) =>
    as.map((a) => (a as HTMLAnchorElement).pathname + (a as HTMLAnchorElement).hash),
  );
  const filters = await page
    .locator('#starlight__search .pagefind-ui__filter-name, #starlight__search legend')
    .allTextContents();
  await page.close();
  return { links, filters: filters.map((f) => f.trim()) };
}

/** Runs a search, ticks one value of one filter group, and returns the result links that remain. */
async function typeFiltered(
  base: string,
  path: string,
  query: string,
  groupName: string,
  value: string,
): Promise<string[]> {
  const page = await open(base, path);
  await page.locator('site-search button[data-open-modal]').first().click();
  await page.locator('#starlight__search input.pagefind-ui__search-input').fill(query);
  await page.locator('#starlight__search a[href]').first().waitFor({ timeout: 15_000 });
  const group = page.locator('#starlight__search details.pagefind-ui__filter-block', {
    has: page.locator('summary', { hasText: groupName }),
  });
  await group.locator('summary').click();
  await group.locator(`input[type=checkbox][value="${value}"]`).check();
  await page.waitForTimeout(800);
  const links = await page
    .locator('#starlight__search a[href]')
    .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname + (a as HTMLAnchorElement).hash));
  await page.close();
  return links;
}

describe('threads under each chapter', () => {
  it('shows the chapter’s threads after its text, questions first, answered ones marked', async () => {
    for (const path of ['understand/arises/', 'zh-cn/understand/arises/']) {
      const page = await open(site, path);
      const section = page.locator('section.twg-chapter-threads');
      await section.waitFor();
      const kinds = await section
        .locator('article.twg-thread')
        .evaluateAll((els) =>
          els.map((e) => `${(e as HTMLElement).dataset.kind}:${(e as HTMLElement).dataset.status}`),
        );
      expect(kinds.length, path).toBeGreaterThan(0);
      const firstComment = kinds.findIndex((k) => k.startsWith('comment'));
      if (firstComment >= 0)
        expect(kinds.slice(firstComment).every((k) => k.startsWith('comment'))).toBe(true);
      for (const [i, k] of kinds.entries()) {
        if (k === 'question:answered') {
          await expect(
            section.locator('article.twg-thread').nth(i).locator('.twg-badge--answered').count(),
          ).resolves.toBe(1);
        }
      }
      // Every thread links to its own page, in the same language.
      const hrefs = await section
        .locator('.twg-thread-title a')
        .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
      expect(
        hrefs.every(
          (h) => h.includes('/qa/understand/arises/') && h.includes('/zh-cn/') === path.startsWith('zh-cn'),
        ),
      ).toBe(true);
      await page.close();
    }
  });
  it('fits a phone screen: no page scrolls sideways', async () => {
    const overflow: string[] = [];
    for (const path of [
      'understand/arises/',
      'zh-cn/understand/arises/',
      'qa/',
      'zh-cn/qa/',
      'qa/mitigate/reuseaddr/so-reuseaddr/',
      'zh-cn/qa/mitigate/reuseaddr/so-reuseaddr/',
    ]) {
      const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
      await page.goto(site + path, { waitUntil: 'load' });
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 361) overflow.push(`${path}: ${width}px`);
      await page.close();
    }
    expect(overflow).toEqual([]);
  });
});

describe('the Q&A hub', () => {
  for (const lang of ['en', 'zh-cn'] as const) {
    it(`filters by chapter, status and kind, sorts, and keeps the view in the URL (${lang})`, async () => {
      const prefix = lang === 'en' ? '' : 'zh-cn/';
      const page = await open(site, `${prefix}qa/`);
      const items = page.locator('li.twg-hub-item');
      const total = await items.count();
      expect(total).toBeGreaterThanOrEqual(20);
      const visible = () =>
        page
          .locator('li.twg-hub-item:not([hidden])')
          .evaluateAll((els) => els.map((e) => ({ ...(e as HTMLElement).dataset })));
      const controls = page.locator('form[data-hub-controls]');
      await expect(controls.isVisible()).resolves.toBe(true);

      await controls.locator('select[name=status]').selectOption('answered');
      let shown = await visible();
      expect(shown.length).toBeGreaterThan(0);
      expect(shown.every((d) => d.status === 'answered')).toBe(true);
      expect(await page.locator('[data-hub-count]').textContent()).toContain(String(shown.length));

      await controls.locator('select[name=status]').selectOption('open');
      shown = await visible();
      expect(shown.every((d) => d.status === 'open')).toBe(true);
      expect(await page.locator('[data-hub-empty]').isVisible()).toBe(shown.length === 0);

      await controls.locator('select[name=status]').selectOption('');
      await controls.locator('select[name=kind]').selectOption('question');
      await controls.locator('select[name=chapter]').selectOption('understand/arises');
      shown = await visible();
      expect(shown.length).toBeGreaterThan(0);
      expect(shown.every((d) => d.kind === 'question' && d.chapter === 'understand/arises')).toBe(true);

      await controls.locator('select[name=sort]').selectOption('oldest');
      shown = await visible();
      const dates = shown.map((d) => Number(d.date));
      expect(dates).toEqual([...dates].sort((a, b) => a - b));
      expect(page.url()).toMatch(/[?&]chapter=understand%2Farises/);
      expect(page.url()).toMatch(/[?&]kind=question/);
      expect(page.url()).toMatch(/[?&]sort=oldest/);

      // The URL restores the same view.
      const again = await open(site, `${prefix}qa/${new URL(page.url()).search}`);
      const restored = await again
        .locator('li.twg-hub-item:not([hidden])')
        .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.date));
      expect(restored).toEqual(shown.map((d) => d.date));
      await again.close();
      await page.close();
    });
  }

  it('deep-links to every thread and reply', async () => {
    const page = await open(site, 'qa/');
    const links = await page
      .locator('li.twg-hub-item h2 a')
      .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    await page.close();
    for (const href of links) {
      const html = readFileSync(`${BUILDS.main.dir}${new URL(href).pathname}index.html`, 'utf8');
      expect(html, href).toMatch(/<li class="twg-reply[^"]*" id="reply-[a-z0-9-]+"/);
    }
    const first = new URL(links[0]!);
    const thread = await open(site, `${first.pathname.slice(1)}`);
    const anchor = await thread.locator('li.twg-reply').first().getAttribute('id');
    await thread.goto(`${first.href}#${anchor}`);
    expect(await thread.locator(`#${anchor}`).evaluate((el) => el.matches(':target'))).toBe(true);
    await thread.close();
  });
});

describe('search over threads and replies', () => {
  it('finds the thread and its answer in English, with type and chapter filters', async () => {
    const { links, filters } = await search(site, '', 'SO_REUSEADDR');
    expect(links.some((l) => /^\/qa\/[a-z/-]+\/so-reuseaddr\/$/.test(l))).toBe(true);
    expect(links.some((l) => /^\/qa\/[a-z/-]+\/so-reuseaddr\/#reply-/.test(l))).toBe(true);
    expect(links.every((l) => !l.includes('/zh-cn/'))).toBe(true);
    expect(filters).toEqual(expect.arrayContaining(['type', 'chapter']));
    // The words readers use find the chapter and the thread together.
    const port = await search(site, '', 'reuse port');
    expect(port.links).toContain('/mitigate/reuseaddr/');
    expect(port.links.some((l) => l.startsWith('/qa/mitigate/reuseaddr/so-reuseaddr/'))).toBe(true);
  });

  it('finds the thread and its answer in 简体中文, from the Chinese index only', async () => {
    const { links, filters } = await search(site, 'zh-cn/', '端口复用');
    expect(links.some((l) => /^\/zh-cn\/qa\/[a-z/-]+\/so-reuseaddr\/#reply-/.test(l))).toBe(true);
    expect(links.every((l) => l.startsWith('/zh-cn/'))).toBe(true);
    expect(filters).toEqual(expect.arrayContaining(['类型', '章节']));
    expect(links).toContain('/zh-cn/mitigate/reuseaddr/');
    expect(links).toContain('/zh-cn/qa/mitigate/reuseaddr/so-reuseaddr/');
    const closer = await search(site, 'zh-cn/', '主动关闭');
    expect(closer.links.some((l) => l.startsWith('/zh-cn/qa/') && l.includes('#reply-'))).toBe(true);
  });

  it('narrows results with the type filter: chapter, question, answer', async () => {
    /** What every result link must look like under each type. */
    const shape: Record<string, (l: string) => boolean> = {
      answer: (l) => /\/qa\/.+#reply-/.test(l),
      question: (l) => /\/qa\/[^#]+(#(?!reply-).*)?$/.test(l),
      chapter: (l) => !l.includes('/qa/'),
    };
    for (const [path, value, kind] of [
      ['', 'answer', 'answer'],
      ['zh-cn/', '回答', 'answer'],
      ['', 'question', 'question'],
      ['zh-cn/', '提问', 'question'],
      ['', 'chapter', 'chapter'],
      ['zh-cn/', '章节', 'chapter'],
    ] as const) {
      const links = await typeFiltered(site, path, 'TIME_WAIT', path ? '类型' : 'type', value);
      expect(links.length, `${path} ${value}`).toBeGreaterThan(0);
      expect(
        links.filter((l) => !shape[kind]!(l)),
        `${path} ${value}`,
      ).toEqual([]);
    }
  });

  it('links results to the right place under a sub-path', async () => {
    const { links } = await search(sub, '', 'SO_REUSEADDR');
    expect(links.some((l) => /^\/twg-sub\/qa\/.+\/so-reuseaddr\/#reply-/.test(l))).toBe(true);
    expect(links.every((l) => l.startsWith('/twg-sub/'))).toBe(true);
  });
});

describe('the ask form', () => {
  it('validates, then hands over a prefilled submission link without contacting anyone', async () => {
    const page = await browser.newPage();
    const foreign: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(site)) foreign.push(r.url());
    });
    await page.goto(`${site}qa/?chapter=understand/arises#ask`, { waitUntil: 'networkidle' });
    const form = page.locator('form.twg-ask-form');
    expect(await form.locator('select[name=chapter]').inputValue()).toBe('understand/arises');
    await form.locator('input[name=title]').fill('short');
    await form.locator('button[type=submit]').click();
    expect(await form.locator('[data-error-for=title]').textContent()).not.toBe('');
    expect(await form.locator('[data-error-for=body]').textContent()).not.toBe('');
    expect(await form.locator('a[data-submission-link]').count()).toBe(0);
    await form.locator('input[name=title]').fill('Does SO_LINGER with zero timeout lose data?');
    await form.locator('textarea[name=body]').fill('If I close with SO_LINGER 0, what does the peer see?');
    await form.locator('input[value=comment]').check();
    await form.locator('button[type=submit]').click();
    const link = form.locator('a[data-submission-link]');
    await link.waitFor();
    const url = new URL((await link.getAttribute('href'))!);
    expect(url.hostname).toBe('github.com');
    expect(url.searchParams.get('title')).toBe('Does SO_LINGER with zero timeout lose data?');
    expect(url.searchParams.get('body')).toContain('"kind":"comment"');
    expect(url.searchParams.get('body')).toContain('"chapter":"understand/arises"');
    expect(await form.locator('[data-error-for=title]').textContent()).toBe('');
    expect(foreign).toEqual([]);
    await page.close();
  });
});

describe('a fixture site: chapter and threads found together, and an XSS corpus in every field', () => {
  let fixture: FixtureBuild;
  let server: Server;
  let url: string;
  const { payloads } = JSON.parse(readFileSync('tests/fixtures/comments/xss-payloads.json', 'utf8')) as {
    payloads: string[];
  };
  const LIVE_SCRIPT = 'https://live-comments.example/client.js';

  beforeAll(async () => {
    const files: Record<string, string> = {};
    payloads.forEach((payload, i) => {
      const line = payload.replace(/\s+/g, ' ').slice(0, 190);
      const chapter = i % 3 === 0 ? 'general' : 'understand/arises';
      files[`${chapter}/xss-${i}.en.yaml`] = threadFile({
        chapter,
        lang: 'en',
        kind: i % 2 ? 'comment' : 'question',
        title: `#${i} ${line}`,
        author: `${i} ${line}`.slice(0, 80),
        date: '2026-11-01',
        body: payload,
        tags: ['xss'],
        replies: [
          { id: 'r1', author: line.slice(0, 80) || 'x', role: 'reader', date: '2026-11-02', body: payload },
        ],
        ...(i % 2 ? {} : { accepted: 'r1' }),
      });
    });
    // Two ordinary threads whose words are also in the chapter, to search for both.
    files['understand/arises/port-reuse.en.yaml'] = threadFile({
      chapter: 'understand/arises',
      lang: 'en',
      kind: 'question',
      title: 'Is reuse port the same as reuse address?',
      author: 'Fixture Reader',
      date: '2026-11-05',
      body: 'People say "reuse port" for two different options.',
      replies: [
        {
          id: 'a',
          author: 'Fixture Maintainer',
          role: 'maintainer',
          date: '2026-11-06',
          body: 'No: reuse port balances listeners.',
        },
      ],
      accepted: 'a',
    });
    files['understand/arises/port-reuse.zh-cn.yaml'] = threadFile({
      chapter: 'understand/arises',
      lang: 'zh-cn',
      kind: 'question',
      title: '端口复用和地址复用是一回事吗？',
      author: '测试读者',
      date: '2026-11-05',
      body: '很多人把两个选项都叫端口复用。',
      replies: [
        {
          id: 'a',
          author: '测试维护者',
          role: 'maintainer',
          date: '2026-11-06',
          body: '不是，端口复用是另一个选项。',
        },
      ],
      accepted: 'a',
    });
    const docs = {
      ...FIXTURE_DOCS,
      'understand/arises.mdx':
        '---\ntitle: How TIME_WAIT arises\ndescription: Fixture chapter.\n---\n\nThe active closer ends in TIME_WAIT; reuse port does not change that.\n',
      'zh-cn/understand/arises.mdx':
        '---\ntitle: TIME_WAIT 是怎么产生的\ndescription: 测试章节。\n---\n\n主动关闭的一方进入 TIME_WAIT，端口复用不会改变这一点。\n',
    };
    // A comment (not a question) with a reply, for the search's "comment" type.
    files['understand/arises/port-note.en.yaml'] = threadFile({
      chapter: 'understand/arises',
      lang: 'en',
      kind: 'comment',
      title: 'A note on reuse port and listeners',
      author: 'Fixture Reader',
      date: '2026-11-04',
      body: 'Spreading connections over listeners with reuse port is handy.',
      replies: [
        {
          id: 'n1',
          author: 'Fixture Maintainer',
          role: 'maintainer',
          date: '2026-11-05',
          body: 'Agreed: reuse port spreads incoming connections among listeners.',
        },
      ],
    });
    // An open question, so that every value of every hub filter matches something.
    files['general/still-open.en.yaml'] = threadFile({
      chapter: 'general',
      lang: 'en',
      kind: 'question',
      title: 'A question nobody has answered yet',
      author: 'Fixture Reader',
      date: '2026-11-07',
      body: 'Still open.',
    });
    // The live widget switched on in the one place that configures it (it is off in the real site).
    const config = readFileSync('src/comments/config.ts', 'utf8');
    const live = `live: { provider: 'giscus', script: '${LIVE_SCRIPT}', repo: 'o/r', repoId: 'R_1', category: 'Q&A', categoryId: 'C_1' },`;
    if (!config.includes('live: null,'))
      throw new Error('src/comments/config.ts no longer says `live: null,`');
    fixture = buildCommentsFixture(files, {
      docs,
      files: { 'src/comments/config.ts': config.replace('live: null,', live) },
    });
    if (fixture.status !== 0) throw new Error(`fixture build failed:\n${fixture.output.slice(-3000)}`);
    ({ server, url } = await startStaticServer({ root: `${fixture.dir}/dist`, base: '/' }));
  }, 240_000);
  afterAll(async () => {
    // Let the server finish every request before its files go: a request still in flight when the
    // directory is removed fails inside the server (ENOENT) and surfaces as an unhandled error.
    if (server) {
      server.closeIdleConnections();
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), 5_000);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
      });
    }
    fixture?.cleanup();
  });

  it('finds the chapter and the thread with one query, in each language', async () => {
    const en = await search(url, '', 'reuse port');
    expect(en.links).toContain('/understand/arises/');
    expect(en.links).toContain('/qa/understand/arises/port-reuse/');
    expect(en.links).toContain('/qa/understand/arises/port-reuse/#reply-a');
    const zh = await search(url, 'zh-cn/', '端口复用');
    expect(zh.links).toContain('/zh-cn/understand/arises/');
    expect(zh.links).toContain('/zh-cn/qa/understand/arises/port-reuse/');
    expect(zh.links).toContain('/zh-cn/qa/understand/arises/port-reuse/#reply-a');
    expect(zh.links.every((l) => l.startsWith('/zh-cn/'))).toBe(true);
  });

  it('narrows a search to comments and their replies with the type filter', async () => {
    const all = await search(url, '', 'reuse port');
    expect(all.links).toContain('/qa/understand/arises/port-reuse/');
    const comments = await typeFiltered(url, '', 'reuse port', 'type', 'comment');
    expect(comments).toContain('/qa/understand/arises/port-note/');
    expect(comments).toContain('/qa/understand/arises/port-note/#reply-n1');
    expect(comments.filter((l) => !l.startsWith('/qa/understand/arises/port-note/'))).toEqual([]);
  });

  it('filters the hub by every value of chapter, status and kind', async () => {
    const page = await open(url, 'qa/');
    const controls = page.locator('form[data-hub-controls]');
    const total = await page.locator('li.twg-hub-item').count();
    expect(total).toBe(payloads.length + 3);
    const shown = async (name: string, value: string) => {
      await controls.locator(`select[name=${name}]`).selectOption(value);
      const items = await page
        .locator('li.twg-hub-item:not([hidden])')
        .evaluateAll((els) => els.map((e) => ({ ...(e as HTMLElement).dataset })));
      await controls.locator(`select[name=${name}]`).selectOption('');
      return items;
    };
    const comments = payloads.filter((_, i) => i % 2).length + 1;
    const general = payloads.filter((_, i) => i % 3 === 0).length + 1;
    expect((await shown('kind', 'comment')).length).toBe(comments);
    expect((await shown('kind', 'question')).length).toBe(total - comments);
    expect((await shown('status', 'open')).map((d) => d.title)).toEqual([
      'A question nobody has answered yet',
    ]);
    expect((await shown('status', 'answered')).length).toBe(total - comments - 1);
    expect((await shown('chapter', 'general')).length).toBe(general);
    expect((await shown('chapter', 'understand/arises')).length).toBe(total - general);
    expect(await page.locator('[data-hub-count]').textContent()).toBe(`Showing ${total} of ${total} threads`);
    await page.close();
  });

  it('loads the live widget only when the reader asks for it', async () => {
    for (const [path, lang] of [
      ['understand/arises/', 'en'],
      ['zh-cn/understand/arises/', 'zh-CN'],
    ] as const) {
      const page = await browser.newPage();
      const requested: string[] = [];
      await page.route(`${LIVE_SCRIPT}*`, (route) => {
        requested.push(route.request().url());
        return route.fulfill({ contentType: 'text/javascript', body: 'window.liveLoaded = true;' });
      });
      await page.goto(url + path, { waitUntil: 'networkidle' });
      const button = page.locator('button[data-live-load]');
      expect(await button.count(), path).toBe(1);
      expect(await page.locator(`script[src="${LIVE_SCRIPT}"]`).count()).toBe(0);
      expect(requested).toEqual([]);
      await button.click();
      await page.waitForFunction(() => (window as unknown as { liveLoaded?: boolean }).liveLoaded === true);
      expect(requested).toEqual([LIVE_SCRIPT]);
      const script = page.locator(`.twg-live-frame script[src="${LIVE_SCRIPT}"]`);
      expect(await script.getAttribute('data-repo')).toBe('o/r');
      expect(await script.getAttribute('data-lang')).toBe(lang);
      expect(await button.isDisabled()).toBe(true);
      await page.close();
    }
  });

  it('runs no script, opens no dialog, loads nothing from elsewhere and keeps the layout', async () => {
    // Each thread page, and its stand-in in the other language (the threads exist only in English).
    const threads = payloads.map((_, i) => `qa/${i % 3 === 0 ? 'general' : 'understand/arises'}/xss-${i}/`);
    const paths = ['understand/arises/', 'qa/', 'zh-cn/qa/', ...threads, ...threads.map((p) => `zh-cn/${p}`)];
    const problems: string[] = [];
    for (const path of paths) {
      const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
      const seen = watch(page);
      page.on('dialog', async (d) => {
        problems.push(`${path}: dialog "${d.message()}"`);
        await d.dismiss();
      });
      page.on('request', (r) => {
        if (!r.url().startsWith(url)) problems.push(`${path}: request to ${r.url()}`);
      });
      await page.goto(url + path, { waitUntil: 'load' });
      await page.waitForTimeout(150);
      await page.mouse.move(500, 400);
      await page.keyboard.press('Tab');
      const found = await page.evaluate((expectThreads) => {
        const out: string[] = [];
        const zone = document.querySelectorAll('.twg-thread, .twg-reply, .twg-hub-item');
        if (expectThreads && zone.length === 0) out.push('no thread rendered');
        for (const root of zone) {
          for (const el of root.querySelectorAll('*')) {
            const tag = el.tagName.toLowerCase();
            if (
              [
                'script',
                'style',
                'iframe',
                'object',
                'embed',
                'svg',
                'img',
                'form',
                'input',
                'link',
                'meta',
                'base',
                'video',
                'math',
              ].includes(tag)
            ) {
              out.push(`element <${tag}>`);
            }
            for (const attr of el.getAttributeNames()) {
              if (attr.startsWith('on') || attr === 'style' || attr === 'srcdoc')
                out.push(`attribute ${attr} on <${tag}>`);
            }
            const href = el.getAttribute('href');
            if (href && !/^(https?:|mailto:|#|\/)/.test(href)) out.push(`href ${href}`);
            if (
              tag === 'a' &&
              href &&
              !href.startsWith('#') &&
              el.getAttribute('rel') !== 'nofollow ugc noopener' &&
              el.closest('.twg-body')
            ) {
              out.push(`link without rel: ${href}`);
            }
          }
        }
        // Layout: nothing wider than the viewport, the page title and the search still in place.
        if (document.documentElement.scrollWidth > window.innerWidth + 1)
          out.push(`page scrolls sideways: ${document.documentElement.scrollWidth}px`);
        const main = document.querySelector('main')!.getBoundingClientRect();
        for (const root of zone) {
          const r = root.getBoundingClientRect();
          if (r.left < main.left - 1 || r.right > main.right + 1)
            out.push(`thread outside the column: ${r.left}–${r.right} vs ${main.left}–${main.right}`);
        }
        const search = document.querySelector('site-search button')!.getBoundingClientRect();
        if (search.top > 100 || search.height === 0) out.push('search button moved');
        if (getComputedStyle(document.body).display === 'none') out.push('body hidden');
        if ((window as unknown as { xss?: unknown }).xss !== undefined) out.push('window.xss set');
        return out;
      }, !path.startsWith('zh-cn/'));
      problems.push(...found.map((f) => `${path}: ${f}`), ...seen.console, ...seen.failed);
      await page.close();
    }
    expect(problems).toEqual([]);
  }, 400_000);
});
