// The mitigation pages promise the same content in English and 简体中文: the same sections in the same
// order, the same code samples per language, the same labs; and the chooser's catalog lists exactly the
// pages that exist.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/mitigations/catalog.ts';
import {
  APPLY_SUBSECTIONS,
  codeBlocks,
  headings,
  labMarkers,
  SECTIONS,
} from '../../src/mitigations/page-structure.ts';

const EN = 'content/docs/mitigate';
const ZH = 'content/docs/zh-cn/mitigate';
const SCENARIOS = 'src/sim/scenarios';
/** Lab presets (components/labs/presets.ts): a lab may name a preset instead of a scenario file. */
const PRESETS = 'components/labs/presets.ts';
const presetNames = existsSync(PRESETS)
  ? new Set([...readFileSync(PRESETS, 'utf8').matchAll(/^ {2}'?([a-z0-9-]+)'?: \{$/gm)].map((m) => m[1]))
  : new Set<string>();
const labExists = (name: string) => existsSync(join(SCENARIOS, `${name}.json`)) || presetNames.has(name);
/** The chooser page is not a mitigation: it has its own structure. */
const NOT_MITIGATIONS = new Set(['choose']);
/**
 * Labs a page names before its scenario exists (mitigate-common.md: "name the one that should exist").
 * A test below fails once the scenario is added, so this list only shrinks.
 */
const PENDING_SCENARIOS = new Set<string>();

const slugsIn = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.mdx'))
        .map((f) => f.replace(/\.mdx$/, ''))
        .sort()
    : [];

const enSlugs = slugsIn(EN);
const pageSlugs = enSlugs.filter((s) => !NOT_MITIGATIONS.has(s));
const read = (dir: string, slug: string) => readFileSync(join(dir, `${slug}.mdx`), 'utf8');

const ZH_TO_EN = new Map(SECTIONS.map(([en, zh]) => [zh, en]));
const EN_TO_ZH = new Map(SECTIONS.map(([en, zh]) => [en, zh]));

describe('mitigation pages in both languages', () => {
  it('exist', () => {
    expect(pageSlugs.length).toBeGreaterThan(0);
  });

  it('every English page has a 简体中文 twin and vice versa', () => {
    expect(slugsIn(ZH), `${ZH} vs ${EN}`).toEqual(enSlugs);
  });

  it('every page is in the chooser catalog, and every catalog entry has a page', () => {
    const catalog = CATALOG.map((m) => m.slug).sort();
    const noEntry = pageSlugs
      .filter((s) => !catalog.includes(s))
      .map((s) => `${EN}/${s}.mdx: not in CATALOG`);
    const noPage = catalog
      .filter((s) => !enSlugs.includes(s))
      .map((s) => `src/mitigations/catalog.ts: ${s} has no page ${EN}/${s}.mdx`);
    expect([...noEntry, ...noPage]).toEqual([]);
    expect(new Set(catalog).size, 'duplicate slugs in CATALOG').toBe(catalog.length);
  });

  it('pending lab scenarios really are missing (remove them from PENDING_SCENARIOS once added)', () => {
    for (const s of PENDING_SCENARIOS) expect(labExists(s), s).toBe(false);
  });

  for (const slug of pageSlugs) {
    describe(slug, () => {
      const en = existsSync(join(EN, `${slug}.mdx`)) ? read(EN, slug) : '';
      const zh = existsSync(join(ZH, `${slug}.mdx`)) ? read(ZH, slug) : '';
      const enFile = `${EN}/${slug}.mdx`;
      const zhFile = `${ZH}/${slug}.mdx`;

      it('has the nine sections in order, in both languages', () => {
        const problems: string[] = [];
        for (const [file, text, pick] of [
          [enFile, en, 0],
          [zhFile, zh, 1],
        ] as const) {
          const wanted = SECTIONS.map((s) => s[pick]);
          const h2 = headings(text)
            .filter((h) => h.depth === 2)
            .map((h) => h.text);
          const known = h2.filter((h) => wanted.includes(h));
          if (known.join(' | ') !== wanted.join(' | ')) {
            const lacking = wanted.filter((w) => !h2.includes(w));
            problems.push(
              `${file}: ## sections are [${h2.join(', ')}]; expected [${wanted.join(', ')}] in this order${lacking.length ? ` (missing: ${lacking.join(', ')})` : ''}`,
            );
          }
        }
        expect(problems).toEqual([]);
      });

      it('has the same ##/### structure in both languages', () => {
        const a = headings(en);
        const b = headings(zh);
        const problems: string[] = [];
        const n = Math.max(a.length, b.length);
        for (let i = 0; i < n; i++) {
          const x = a[i];
          const y = b[i];
          if (!x || !y) {
            const extra = x ? `${enFile}:${x.line} "${x.text}"` : `${zhFile}:${y?.line} "${y?.text}"`;
            problems.push(`heading ${i + 1}: only in one language: ${extra}`);
            break;
          }
          const where = `${enFile}:${x.line} "${x.text}" vs ${zhFile}:${y.line} "${y.text}"`;
          if (x.depth !== y.depth) problems.push(`heading ${i + 1}: levels differ: ${where}`);
          const zhKnown = EN_TO_ZH.get(x.text);
          if (zhKnown !== undefined && y.text !== zhKnown)
            problems.push(`heading ${i + 1}: expected "${zhKnown}": ${where}`);
          if (zhKnown === undefined && ZH_TO_EN.has(y.text))
            problems.push(`heading ${i + 1}: mismatched: ${where}`);
          const isApply = (APPLY_SUBSECTIONS as readonly string[]).includes(x.text);
          if (x.depth === 3 && isApply && y.text !== x.text)
            problems.push(`heading ${i + 1}: expected "${x.text}": ${where}`);
        }
        expect(problems).toEqual([]);
      });

      it('has "Apply it" subsections named from C, Go, Python, Java, Node.js, sysctl', () => {
        const hs = headings(en);
        const start = hs.findIndex((h) => h.depth === 2 && h.text === 'Apply it');
        const end = hs.findIndex((h, i) => i > start && h.depth === 2);
        const subs = hs.slice(start + 1, end < 0 ? undefined : end).map((h) => h.text);
        expect(subs.length, `${enFile}: "Apply it" has no ### subsections`).toBeGreaterThan(0);
        const unknown = subs.filter((s) => !(APPLY_SUBSECTIONS as readonly string[]).includes(s));
        expect(unknown, `${enFile}: unexpected ### under "Apply it"`).toEqual([]);
      });

      it('has the same number of code blocks per language', () => {
        const count = (text: string, file: string) => {
          const c: Record<string, number> = {};
          for (const b of codeBlocks(text, file)) c[b.lang || '(none)'] = (c[b.lang || '(none)'] ?? 0) + 1;
          return c;
        };
        expect(count(zh, zhFile), `${zhFile} vs ${enFile}`).toEqual(count(en, enFile));
      });

      it('has the same labs, each inside "Lab" and naming a scenario or lab preset', () => {
        const enLabs = labMarkers(en);
        const zhLabs = labMarkers(zh);
        expect(
          zhLabs.map((l) => l.scenario),
          `${zhFile} vs ${enFile}`,
        ).toEqual(enLabs.map((l) => l.scenario));
        const hs = headings(en);
        const lab = hs.find((h) => h.depth === 2 && h.text === 'Lab');
        const after = lab ? hs.find((h) => h.depth === 2 && h.line > lab.line) : undefined;
        const inLab = enLabs.filter((l) => lab && l.line > lab.line && (!after || l.line < after.line));
        expect(inLab.length, `${enFile}: no lab marker in "## Lab"`).toBeGreaterThan(0);
        const missing = enLabs
          .filter((l) => !PENDING_SCENARIOS.has(l.scenario) && !labExists(l.scenario))
          .map(
            (l) =>
              `${enFile}:${l.line}: lab ${l.scenario} is neither ${SCENARIOS}/${l.scenario}.json nor a preset in ${PRESETS}`,
          );
        expect(missing).toEqual([]);
      });
    });
  }
});

describe('the page reader the checks above rely on', () => {
  const page = [
    '## Verdict',
    '```sh title="a.sh"',
    '## not a heading: inside code',
    '{/* lab: not-a-lab | caption: inside code */}',
    '```',
    '### C',
    '{/* lab: first | caption: One. */} <ScenarioLab id="x" lab="second" caption="Two." />',
    '````c title="b.c"',
    'int main(void) { return 0; }',
    '````',
  ].join('\n');

  it('finds headings and labs outside code only, in order, with their lines', () => {
    expect(headings(page)).toEqual([
      { depth: 2, text: 'Verdict', line: 1 },
      { depth: 3, text: 'C', line: 6 },
    ]);
    expect(labMarkers(page)).toEqual([
      { scenario: 'first', caption: 'One.', line: 7 },
      { scenario: 'second', caption: 'Two.', line: 7 },
    ]);
  });

  it('finds code blocks with language, title and the line of the fence', () => {
    expect(codeBlocks(page).map((b) => [b.lang, b.title, b.line])).toEqual([
      ['sh', 'a.sh', 2],
      ['c', 'b.c', 8],
    ]);
    expect(codeBlocks(page)[1]?.code).toBe('int main(void) { return 0; }\n');
  });

  it('names the file and line of a fence that is never closed', () => {
    expect(() => codeBlocks('text\n```go\npackage main\n', 'x.mdx')).toThrow(
      'x.mdx:2: code fence ``` is never closed',
    );
  });
});
