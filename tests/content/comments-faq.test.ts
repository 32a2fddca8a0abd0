import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { chapterExists } from '../../src/comments/loader.ts';
import { LANGS, type Thread, threadSchema } from '../../src/comments/schema.ts';

// The maintainers' FAQ (issue 7, "Starting content"): at least 20 threads per language, written by the
// project and labelled as such, the same questions in both languages, and every answer pointing to the
// chapter that explains it and to a primary source (an RFC, the kernel source or a man page).

const ROOT = join(import.meta.dirname, '../..');
const DIR = join(ROOT, 'content/comments');

/** Where a primary source lives: RFCs, the Linux source, man pages. */
const PRIMARY =
  /^https:\/\/(www\.rfc-editor\.org\/rfc\/|datatracker\.ietf\.org\/doc\/|elixir\.bootlin\.com\/linux\/|git\.kernel\.org\/|github\.com\/torvalds\/linux\/|docs\.kernel\.org\/|www\.kernel\.org\/doc\/|man7\.org\/linux\/man-pages\/)/;

function threads(): { file: string; id: string; thread: Thread }[] {
  const out: { file: string; id: string; thread: Thread }[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(name)) {
        const file = relative(ROOT, full);
        const parsed = threadSchema.safeParse(load(readFileSync(full, 'utf8')));
        if (!parsed.success) throw new Error(`${file}: ${parsed.error.message}`);
        out.push({ file, id: name.replace(/\.[a-z-]+\.ya?ml$/, ''), thread: parsed.data });
      }
    }
  };
  walk(DIR);
  return out;
}

/** Markdown link targets of a body. */
const links = (body: string) => [...body.matchAll(/\]\(<?([^)\s>]+)>?\)/g)].map((m) => m[1]!);

describe('the maintainers’ FAQ', () => {
  const all = threads();

  it.each(LANGS)('has at least 20 threads in %s, labelled as the maintainers’ FAQ', (lang) => {
    const faq = all.filter((t) => t.thread.lang === lang && t.thread.faq);
    expect(faq.length).toBeGreaterThanOrEqual(20);
    for (const { file, thread } of faq) {
      // Written by the project: the thread and every reply are the maintainers', nobody else is quoted.
      expect(thread.role, file).toBe('maintainer');
      expect(
        thread.replies.every((r) => r.role === 'maintainer'),
        file,
      ).toBe(true);
      expect(thread.kind, file).toBe('question');
      expect(thread.accepted, file).toBeDefined();
    }
  });

  it('asks the same questions in both languages', () => {
    const keys = (lang: string) =>
      all
        .filter((t) => t.thread.lang === lang && t.thread.faq)
        .map((t) => `${t.thread.chapter}/${t.id}`)
        .sort();
    expect(keys('zh-cn')).toEqual(keys('en'));
  });

  it('links every answer to a chapter of its language and to a primary source', () => {
    const problems: string[] = [];
    for (const { file, thread } of all.filter((t) => t.thread.faq)) {
      const answer = thread.replies.find((r) => r.id === thread.accepted)!;
      const targets = links(answer.body);
      const prefix = thread.lang === 'en' ? '/' : `/${thread.lang}/`;
      // English pages sit at the root, so an English answer must not point under another locale.
      const other = thread.lang === 'en' ? LANGS.filter((l) => l !== 'en').map((l) => `/${l}/`) : [];
      for (const l of targets) {
        if (other.some((p) => l.startsWith(p))) problems.push(`${file}: links the other language: ${l}`);
      }
      const chapters = targets
        .filter((l) => l.startsWith(prefix) && !l.includes('/qa/') && !other.some((p) => l.startsWith(p)))
        .map((l) => l.slice(prefix.length).replace(/\/?(#.*)?$/, ''));
      const existing = chapters.filter((slug) => chapterExists(ROOT, slug, thread.lang));
      if (existing.length === 0) problems.push(`${file}: no link to a chapter in ${thread.lang}`);
      for (const slug of chapters) {
        if (!chapterExists(ROOT, slug, thread.lang))
          problems.push(`${file}: link to missing chapter ${slug}`);
      }
      if (!targets.some((l) => PRIMARY.test(l))) problems.push(`${file}: no link to a primary source`);
    }
    expect(problems).toEqual([]);
  });

  it('finds every chapter linked from an answer (the test can fail)', () => {
    expect(chapterExists(ROOT, 'mitigate/reuseaddr', 'zh-cn')).toBe(true);
    expect(chapterExists(ROOT, 'mitigate/no-such-chapter', 'en')).toBe(false);
    expect(existsSync(DIR)).toBe(true);
    expect(PRIMARY.test('https://www.rfc-editor.org/rfc/rfc9293#section-3.6.1')).toBe(true);
    expect(PRIMARY.test('https://vincent.bernat.ch/en/blog/2014-tcp-time-wait-state-linux')).toBe(false);
  });
});
