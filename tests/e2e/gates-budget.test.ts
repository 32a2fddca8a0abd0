// Gate: size budgets, gzipped, for every page of the sitemap (so pages other helpers add are covered).
//
// Starting point: Starlight's own budget for its example page — 7 kB HTML, 27 kB JS, 16.75 kB CSS
// (gzipped, kB = 1000 bytes, the unit size-limit uses). A page may go over the HTML budget only through a
// row in HTML_BUDGETS below, which says why; the test prints every page over 7 kB with that reason.
// The figures come from bench/weights.ts, the same code `npm run bench:site` prints them with.
import { describe, expect, it } from 'vitest';
import { type PageWeight, sitemapPages, weigh } from '../../bench/weights.ts';
import { BUILDS, requireBuild } from './harness.ts';

const kB = 1000;
const STARLIGHT = { html: 7 * kB, js: 27 * kB, css: 16.75 * kB };

/**
 * Pages allowed more HTML than 7 kB, first match wins. Budgets are the largest page of the kind today
 * plus ~25% headroom, so a page that doubles, or a template change that adds to every page, fails.
 */
const HTML_BUDGETS: { pages: RegExp; withLabs?: true; budget: number; perLab?: number; reason: string }[] = [
  {
    pages: /^(?:zh-cn\/)?(?:understand|mitigate|reference)\//,
    withLabs: true,
    budget: 44 * kB,
    perLab: 8 * kB,
    reason:
      'chapter with labs: a long-form chapter (44 kB) plus 8 kB per lab for its server-rendered first ' +
      'frame (timeline SVG, state table, packet list: ~7 kB gz each) and the scenario in its island props',
  },
  {
    pages: /^(?:zh-cn\/)?(?:understand|mitigate|reference)\//,
    budget: 44 * kB,
    reason:
      'long-form chapter: 2–4k words of prose with source citations, a table of contents, build-time ' +
      'Mermaid SVG diagrams (3–5 kB gz each; Mermaid JS is never shipped), code samples and the ' +
      "chapter's reader threads",
  },
  {
    pages: /^(?:zh-cn\/)?qa\/$/,
    budget: 16 * kB,
    reason: 'Q&A hub: every thread (title, excerpt, badges) listed for the filters, no pagination',
  },
  {
    pages: /^(?:zh-cn\/)?qa\/.+/,
    budget: 10.5 * kB,
    reason: 'Q&A thread: question, every reply and the ask form; Chinese text gzips ~10% larger',
  },
  {
    pages: /^(?:zh-cn\/)?embed\/$/,
    budget: 20 * kB,
    reason:
      'embedding guide: the embed-code generator, a gallery of the close explorer, the playground and ' +
      'all 22 chapter labs grouped by chapter, and snippets for six publishing platforms',
  },
  {
    pages: /^(?:zh-cn\/)?embed\/v\d+\//,
    budget: 16 * kB,
    reason:
      'embed: one widget without site chrome — its server-rendered first frame and serialized ' +
      'scenarios; a lab with counters (chart) or the playground weighs what it weighs on its chapter',
  },
  {
    pages: /^(?:zh-cn\/)?playground\/$/,
    budget: 25 * kB,
    reason: 'playground: the scenario picker and the server-rendered first frame of the simulator',
  },
];

/**
 * CSS any page may load: Starlight's 16.75 kB plus 0.75 kB for the site's own rules (reader threads, Q&A,
 * diagrams: ~1 kB gz inside the shared stylesheet). Today's largest is 16.7 kB.
 */
const SITE_CSS = {
  budget: STARLIGHT.css + 0.75 * kB,
  reason:
    'Starlight + Expressive Code, plus the reader threads, Q&A hub and diagram styles every page shares',
};

/** CSS a page with a lab may load: the above plus the widgets' own stylesheet. */
const LAB_CSS = {
  budget: SITE_CSS.budget + 3 * kB,
  reason: "the labs' stylesheet (timeline, controls), loaded only on pages that have one",
};

/** JS a page with a lab may load (its islands' modules and their static imports, Preact included). */
const LAB_JS = {
  budget: 90 * kB,
  reason: 'a lab runs the TCP simulator (src/sim) in the page, plus Preact and the widget itself',
};
/** The playground (and its embed) also runs load scenarios in the page, not only in a worker. */
const PLAYGROUND_JS = {
  pages: /^(?:zh-cn\/)?(?:embed\/v1\/)?playground\/$/,
  budget: 95 * kB,
  reason:
    'the playground also runs load scenarios in the page, so it carries the load path (src/sim/load.ts and ' +
    'src/sim/fast/: load generator, TIME_WAIT records, connection tables) besides a lab; 91.5 kB on 2026-11-30',
};
const labJsBudget = (page: string) => (PLAYGROUND_JS.pages.test(page) ? PLAYGROUND_JS.budget : LAB_JS.budget);

/**
 * What every page repeats whatever its content (head, header, sidebar, footer). Starlight's 7 kB plus
 * room for a sidebar that lists every page of three groups (~30 links; 8.1 kB today) and hreflang links.
 */
const CHROME = 10 * kB;

const { dir, base } = BUILDS.main;
requireBuild(dir);
const pages = sitemapPages(dir, base);
const weights = pages.map((p) => weigh(dir, p, base));
const fmt = (n: number) => `${(n / kB).toFixed(1)} kB`;

const byPage = new Map(weights.map((w) => [w.page, w]));
function htmlRule(page: string) {
  const labs = (byPage.get(page)?.islands ?? 0) > 0;
  return HTML_BUDGETS.find((r) => r.pages.test(page) && (!r.withLabs || labs));
}
function htmlBudget(page: string) {
  const rule = htmlRule(page);
  if (!rule) return { budget: STARLIGHT.html, reason: '' };
  return { budget: rule.budget + (rule.perLab ?? 0) * (byPage.get(page)?.islands ?? 0), reason: rule.reason };
}

describe('size budgets (gzipped)', () => {
  it('keeps every page within its HTML budget, and lists every page over 7 kB with the reason', () => {
    expect(pages.length).toBeGreaterThanOrEqual(40);
    const over = weights.filter((w) => w.html > STARLIGHT.html);
    const lines: string[] = [];
    for (const rule of [...HTML_BUDGETS, undefined]) {
      const mine = over.filter((w) => htmlRule(w.page) === rule);
      if (mine.length === 0) continue;
      const budget = rule
        ? `${fmt(rule.budget)}${rule.perLab ? ` + ${fmt(rule.perLab)} per lab` : ''}`
        : '7.0 kB';
      lines.push(
        `${rule?.reason ?? 'NO REASON: add a row to HTML_BUDGETS or shrink the page'} (budget ${budget}):`,
      );
      for (const w of mine) {
        lines.push(
          `    /${w.page} ${fmt(w.html)}${w.diagrams ? ` (${w.diagrams} diagrams: ${fmt(w.diagramBytes)})` : ''}`,
        );
      }
    }
    console.log(
      `HTML: ${pages.length} pages, ${pages.length - over.length} within 7 kB, ${over.length} over:\n  ${lines.join('\n  ')}`,
    );
    const failures = weights
      .filter((w) => w.html > htmlBudget(w.page).budget)
      .map((w) => `/${w.page}: HTML ${fmt(w.html)} > budget ${fmt(htmlBudget(w.page).budget)}`);
    expect(failures).toEqual([]);
  });

  it('keeps what every page repeats (everything outside <main>) within 10 kB', () => {
    const failures = weights
      .filter((w) => w.chrome > CHROME)
      .map((w) => `/${w.page}: ${fmt(w.chrome)} outside <main> > ${fmt(CHROME)}`);
    console.log(`chrome: largest ${fmt(Math.max(...weights.map((w) => w.chrome)))}`);
    expect(failures).toEqual([]);
  });

  it('keeps the CSS every page loads within budget, with or without labs', () => {
    const failures = weights
      .map((w) => ({ w, budget: w.islands > 0 ? LAB_CSS.budget : SITE_CSS.budget }))
      .filter(({ w, budget }) => w.css > budget)
      .map(({ w, budget }) => `/${w.page}: CSS ${fmt(w.css)} (${w.cssFiles.join(', ')}) > ${fmt(budget)}`);
    const max = (ws: PageWeight[]) => (ws.length ? fmt(Math.max(...ws.map((w) => w.css))) : 'n/a');
    console.log(
      `CSS: up to ${max(weights.filter((w) => w.islands === 0))} per page without labs (budget ${fmt(SITE_CSS.budget)}: ${SITE_CSS.reason}), ` +
        `${max(weights.filter((w) => w.islands > 0))} with labs (budget ${fmt(LAB_CSS.budget)}: ${LAB_CSS.reason})`,
    );
    expect(failures).toEqual([]);
  });

  it('loads at most 27 kB of JS on a text-only page, and stays within the lab budget on a page with labs', () => {
    const text = weights.filter((w) => w.islands === 0);
    const labs = weights.filter((w) => w.islands > 0);
    const chapters = text.filter((w) => /^(?:zh-cn\/)?(?:understand|mitigate|reference)\//.test(w.page));
    expect(chapters.length, 'no text-only chapter to measure').toBeGreaterThan(0);
    const failures = [
      ...text
        .filter((w) => w.js > STARLIGHT.js)
        .map(
          (w) => `/${w.page} (text only): JS ${fmt(w.js)} > ${fmt(STARLIGHT.js)} — ${w.jsFiles.join(', ')}`,
        ),
      ...labs
        .filter((w) => w.js > labJsBudget(w.page))
        .map(
          (w) =>
            `/${w.page} (${w.islands} islands): JS ${fmt(w.js)} > ${fmt(labJsBudget(w.page))} — ${w.jsFiles.join(', ')}`,
        ),
    ];
    const max = (ws: PageWeight[]) => (ws.length ? fmt(Math.max(...ws.map((w) => w.js))) : 'n/a');
    console.log(
      `JS: text-only chapters up to ${max(chapters)}; ${labs.length} pages with labs, up to ${max(labs.filter((w) => !PLAYGROUND_JS.pages.test(w.page)))} ` +
        `(budget ${fmt(LAB_JS.budget)}: ${LAB_JS.reason}); the playground up to ${max(labs.filter((w) => PLAYGROUND_JS.pages.test(w.page)))} ` +
        `(budget ${fmt(PLAYGROUND_JS.budget)}: ${PLAYGROUND_JS.reason})`,
    );
    expect(failures).toEqual([]);
  });
});
