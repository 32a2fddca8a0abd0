import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { load } from 'js-yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importThreads } from '../../src/comments/importer.ts';
import { describeIssues, threadSchema } from '../../src/comments/schema.ts';
import { sampleThread } from './comments-fixture.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const EXPORT = join(ROOT, 'tests/fixtures/comments/export.json');
let root: string;

beforeEach(() => {
  mkdirSync(join(ROOT, '.cache'), { recursive: true });
  root = mkdtempSync(join(ROOT, '.cache', 'import-'));
  for (const f of ['content/docs/understand/arises.mdx', 'content/docs/zh-cn/understand/arises.mdx']) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    writeFileSync(join(root, f), '---\ntitle: x\ndescription: y\n---\n');
  }
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Every file under content/comments with its text, to compare before and after. */
function snapshot(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[full.slice(root.length + 1)] = readFileSync(full, 'utf8');
    }
  };
  walk(join(root, 'content/comments'));
  return out;
}

describe('the thread schema', () => {
  it('accepts a complete thread and fills defaults', () => {
    const t = threadSchema.parse(sampleThread());
    expect(t.role).toBe('reader');
    expect(t.faq).toBe(false);
    expect(t.tags).toEqual([]);
    expect(t.date).toBeInstanceOf(Date);
  });

  it('names each failing field and what it expected', () => {
    const r = threadSchema.safeParse(
      sampleThread({ lang: 'de', title: 'x', date: '2026-13-45', tags: ['ok', 'not ok!'], extra: 1 }),
    );
    expect(r.success).toBe(false);
    const issues = describeIssues(r.error!);
    expect(issues).toContain('lang: expected language "en" or "zh-cn"');
    expect(issues).toContain('title: expected a title of at least 3 characters');
    expect(issues.some((i) => i.startsWith('date: expected a valid calendar date'))).toBe(true);
    expect(issues.some((i) => i.startsWith('tags.1: expected a tag'))).toBe(true);
    expect(issues.some((i) => i.includes('unknown field "extra"'))).toBe(true);
  });

  it('checks reply ids and the accepted answer', () => {
    const dup = { id: 'a1', author: 'B', role: 'reader', date: '2026-11-03', body: 'Again.' };
    const r = threadSchema.safeParse(sampleThread({ replies: [...(sampleThread().replies as []), dup] }));
    expect(describeIssues(r.error!)).toContain('replies.1.id: duplicate reply id "a1"');
    const c = threadSchema.safeParse(sampleThread({ kind: 'comment' }));
    expect(describeIssues(c.error!)).toContain('accepted: only a question can have an accepted answer');
    const q = threadSchema.safeParse(sampleThread({ accepted: 'zz' }));
    expect(describeIssues(q.error!)[0]).toMatch(/^accepted: expected the id of one of this thread's replies/);
  });
});

describe('npm run comments:import', () => {
  it('writes valid records, sanitised, and reports every record it sets aside with the reason', () => {
    const report = importThreads(JSON.parse(readFileSync(EXPORT, 'utf8')), { root });
    expect(report).toMatchObject({
      records: 7,
      created: 2,
      updated: 0,
      unchanged: 0,
      duplicate: 1,
      rejected: 4,
    });
    const files = snapshot();
    expect(Object.keys(files).sort()).toEqual([
      'content/comments/general/gh-102.zh-cn.yaml',
      'content/comments/understand/arises/gh-101.en.yaml',
    ]);
    const en = files['content/comments/understand/arises/gh-101.en.yaml']!;
    expect(en).not.toMatch(/\r|\u202e/);
    expect(en).toContain('accepted: "r1"');
    const rejected = report.outcomes.filter((o) => o.status === 'rejected');
    expect(rejected.map((o) => o.index)).toEqual([3, 4, 5, 6]);
    const reasons = Object.fromEntries(rejected.map((o) => [o.index, o.reasons.join(' | ')]));
    expect(reasons[3]).toMatch(/^id: expected a thread id/);
    expect(reasons[4]).toMatch(/lang: expected language/);
    expect(reasons[4]).toMatch(/kind: expected kind/);
    expect(reasons[4]).toMatch(/date: expected a date like/);
    expect(reasons[5]).toMatch(/chapter: no chapter "no\/such-chapter"/);
    expect(reasons[6]).toMatch(/expected an object/);
  });

  it('changes nothing when the same export is imported again', () => {
    const input = JSON.parse(readFileSync(EXPORT, 'utf8'));
    importThreads(input, { root });
    const before = snapshot();
    const again = importThreads(input, { root });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 2, duplicate: 1, rejected: 4 });
    expect(snapshot()).toEqual(before);
  });

  it('de-duplicates by id: adds new replies to an existing thread, rejects a conflicting duplicate', () => {
    importThreads([{ id: 't1', ...sampleThread() }], { root });
    const reply = { id: 'a2', author: 'R', role: 'reader', date: '2026-11-05', body: 'Thanks!' };
    const merged = importThreads(
      [
        { id: 't1', ...sampleThread({ title: 'Edited title', replies: [reply], accepted: undefined }) },
        { id: 't2', ...sampleThread() },
        { id: 't2', ...sampleThread({ body: 'Different body' }) },
      ],
      { root },
    );
    expect(merged.outcomes[0]).toMatchObject({ status: 'updated', id: 't1', newReplies: 1 });
    expect(merged.outcomes[1]).toMatchObject({ status: 'created', id: 't2' });
    expect(merged.outcomes[2]).toMatchObject({ status: 'rejected', id: 't2' });
    const text = readFileSync(join(root, 'content/comments/understand/arises/t1.en.yaml'), 'utf8');
    expect(text).toContain('Which side ends in TIME_WAIT?'); // the existing thread is kept as it was
    expect(text).toContain('id: "a1"');
    expect(text).toContain('id: "a2"');
    expect(text).toContain('accepted: "a1"');
    // The same id in another chapter is a conflict, not a second thread.
    const moved = importThreads([{ id: 't1', ...sampleThread({ chapter: 'general' }) }], { root });
    expect(moved.outcomes[0]).toMatchObject({ status: 'rejected' });
    expect((moved.outcomes[0] as { reasons: string[] }).reasons[0]).toMatch(
      /already used by content\/comments\/understand/,
    );
  });

  it('leaves a hand-written thread byte for byte and reports the changes of a record it did not apply', () => {
    // A thread file in the layout people write by hand (plain scalars, `|` blocks), not the importer's.
    const file = join(root, 'content/comments/understand/arises/by-hand.en.yaml');
    mkdirSync(join(file, '..'), { recursive: true });
    const handWritten = [
      'chapter: understand/arises',
      'lang: en',
      'kind: question',
      'faq: true',
      'title: Which side ends in TIME_WAIT?',
      'author: Maintainers',
      'role: maintainer',
      'date: 2026-11-01',
      'body: |',
      '  Is it the client or the server?',
      'replies:',
      '  - id: answer',
      '    author: Maintainers',
      '    role: maintainer',
      '    date: 2026-11-01',
      '    body: |',
      '      The side that sends the first FIN.',
      'accepted: answer',
      '',
    ].join('\n');
    writeFileSync(file, handWritten);
    const same = threadSchema.parse({ ...(load(handWritten) as object) });
    const record = { id: 'by-hand', ...same, date: '2026-11-01' };
    record.replies = same.replies.map((r) => ({ ...r, date: '2026-11-01' })) as never;
    const unchanged = importThreads([record], { root });
    expect(unchanged.outcomes[0]).toMatchObject({ status: 'unchanged', newReplies: 0 });
    expect(unchanged.outcomes[0]).not.toHaveProperty('notApplied');
    expect(readFileSync(file, 'utf8')).toBe(handWritten);

    const edited = importThreads(
      [
        {
          ...record,
          title: 'Which side keeps TIME_WAIT?',
          body: 'Edited at the source.',
          replies: [{ ...record.replies[0], body: 'Edited answer.' }],
        },
      ],
      { root },
    );
    expect(edited).toMatchObject({ unchanged: 1, updated: 0, notApplied: 1, rejected: 0 });
    const notApplied = (edited.outcomes[0] as { notApplied: string[] }).notApplied;
    expect(notApplied).toEqual([
      "title: differs from the existing file; the file's version was kept",
      "body: differs from the existing file; the file's version was kept",
      "replies.answer: differs from the reply with this id in the file; the file's version was kept",
    ]);
    expect(readFileSync(file, 'utf8')).toBe(handWritten);
  });

  it('writes files that parse back to the same thread (multi-line bodies, quotes, Chinese)', () => {
    const body = 'Line one: "quoted" #not-a-comment\n\n  indented code\n- list\n中文，标点。';
    importThreads([{ id: 'rt', ...sampleThread({ body, title: '2026-11-01', tags: ['true', '中文'] }) }], {
      root,
    });
    const second = importThreads(
      [{ id: 'rt', ...sampleThread({ body, title: '2026-11-01', tags: ['true', '中文'] }) }],
      {
        root,
      },
    );
    expect(second.outcomes[0]).toMatchObject({ status: 'unchanged' });
  });

  it('writes files exactly as Biome formats YAML, so imported threads pass `biome check`', () => {
    const quotes = {
      id: 'qq',
      ...sampleThread({ title: `Say "hi" and it's "fine"`, author: 'A "B"', body: 'x "y"\n\n  z' }),
    };
    importThreads([...JSON.parse(readFileSync(EXPORT, 'utf8')).threads, quotes], { root });
    for (const [path, text] of Object.entries(snapshot())) {
      const formatted = spawnSync(
        join(ROOT, 'node_modules/.bin/biome'),
        ['format', `--stdin-file-path=${path}`],
        {
          input: text,
          encoding: 'utf8',
        },
      );
      expect(formatted.status, formatted.stderr).toBe(0);
      expect(formatted.stdout, path).toBe(text);
    }
  });

  it('runs as a command that writes a report and exits 1 when records were rejected', () => {
    const exportFile = join(root, 'export.json');
    cpSync(EXPORT, exportFile);
    const run = () =>
      spawnSync(process.execPath, [join(ROOT, 'scripts/comments-import.ts'), exportFile, '--root', root], {
        encoding: 'utf8',
      });
    const first = run();
    expect(first.status, first.stderr).toBe(1);
    expect(first.stdout).toMatch(/7 records: 2 created, 0 updated, 0 unchanged, 1 duplicate, 4 rejected/);
    expect(first.stderr).toMatch(/rejected record 5 \(gh-104\):\n {2}chapter: no chapter/);
    const report = JSON.parse(readFileSync(join(root, 'export.report.json'), 'utf8'));
    expect(report.rejected).toBe(4);
    const second = run();
    expect(second.stdout).toMatch(/0 created, 0 updated, 2 unchanged/);
    // An edit at the source of a thread that is already here is named, not silently dropped.
    const edited = JSON.parse(readFileSync(EXPORT, 'utf8'));
    for (const i of [0, 2]) edited.threads[i].title = 'Does the passive closer sit in TIME_WAIT?';
    writeFileSync(exportFile, JSON.stringify(edited));
    const third = run();
    expect(third.stdout).toMatch(/2 unchanged, 1 duplicate, 4 rejected, 1 with changes not applied/);
    expect(third.stderr).toMatch(
      /not applied to content\/comments\/understand\/arises\/gh-101\.en\.yaml \(gh-101\):\n {2}title: differs/,
    );
    const usage = spawnSync(process.execPath, [join(ROOT, 'scripts/comments-import.ts')], {
      encoding: 'utf8',
    });
    expect(usage.status).toBe(2);
  });
});
