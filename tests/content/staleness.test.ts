import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { noticeText, resetStalenessCache, translationStatus, twinOf } from '../../src/staleness/index.ts';

// Translation staleness against a real git repository made for the test: two commits a day apart.

const EN = 'content/docs/understand/arises.mdx';
const ZH = 'content/docs/zh-cn/understand/arises.mdx';
const DAY1 = 1_767_225_600; // 2026-01-01T00:00:00Z
const DAY2 = DAY1 + 86_400;

let root: string;
let logged: string[];

function write(file: string, text: string): void {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
}

function git(args: string[], at?: number, cwd = root): void {
  const date =
    at === undefined ? {} : { GIT_AUTHOR_DATE: `@${at} +0000`, GIT_COMMITTER_DATE: `@${at} +0000` };
  execFileSync('git', args, {
    cwd,
    stdio: 'ignore',
    env: {
      ...process.env,
      ...date,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.invalid',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.invalid',
    },
  });
}

const status = (file: string, now = DAY2 + 999_999) =>
  translationStatus(file, { root, now, log: (m) => logged.push(m) });

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'twg-staleness-'));
  logged = [];
  resetStalenessCache();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('translation staleness from git history', () => {
  beforeEach(() => {
    git(['init', '-q', '-b', 'main']);
    write(EN, '---\ntitle: A\n---\nEnglish.\n');
    write(ZH, '---\ntitle: 甲\n---\n中文。\n');
    git(['add', '.']);
    git(['commit', '-q', '-m', 'both'], DAY1);
  });

  it('says nothing when both languages were committed together', () => {
    expect(status(EN)).toBeNull();
    expect(status(ZH)).toBeNull();
    expect(logged).toEqual([]);
  });

  it('flags the Chinese page when the English one was committed later, and not the reverse', () => {
    write(EN, '---\ntitle: A\n---\nEnglish, corrected.\n');
    git(['commit', '-q', '-am', 'fix en'], DAY2);
    expect(status(EN)).toBeNull();
    expect(status(ZH)).toEqual({
      lang: 'zh-CN',
      newerLang: 'en',
      newerAt: DAY2,
      thisAt: DAY1,
      newerFile: EN,
    });
    const { text, link } = noticeText(status(ZH)!);
    expect(text).toContain('英文版');
    expect(text).toContain('2026年1月2日');
    expect(link).toBe('阅读英文版');
  });

  it('flags the English page when the Chinese one was committed later', () => {
    write(ZH, '---\ntitle: 甲\n---\n中文，已更正。\n');
    git(['commit', '-q', '-am', 'fix zh'], DAY2);
    expect(status(ZH)).toBeNull();
    const s = status(EN);
    expect(s).toMatchObject({ lang: 'en', newerLang: 'zh-CN', newerAt: DAY2, thisAt: DAY1 });
    expect(noticeText(s!).text).toContain('updated on January 2, 2026, after this English version');
  });

  it('counts uncommitted changes (and files never committed) as updated now', () => {
    write(ZH, '---\ntitle: 甲\n---\n正在修改。\n');
    expect(status(EN, DAY2 + 5)).toMatchObject({ newerLang: 'zh-CN', newerAt: DAY2 + 5 });
    resetStalenessCache();
    write('content/docs/new.mdx', 'x');
    write('content/docs/zh-cn/new.mdx', 'y');
    git(['add', 'content/docs/new.mdx']);
    git(['commit', '-q', '-m', 'en only'], DAY2);
    expect(status('content/docs/new.mdx', DAY2 + 5)).toMatchObject({ newerLang: 'zh-CN', newerAt: DAY2 + 5 });
  });

  it('accepts absolute paths and pairs .md with .mdx', () => {
    write('content/docs/zh-cn/plain.md', 'z');
    write('content/docs/plain.mdx', 'e');
    expect(twinOf('content/docs/zh-cn/plain.md', root)).toBe('content/docs/plain.mdx');
    expect(twinOf('content/docs/plain.mdx', root)).toBe('content/docs/zh-cn/plain.md');
    expect(twinOf('content/docs/only-here.mdx', root)).toBeNull();
    expect(status(join(root, ZH))).toBeNull();
  });

  it('shows nothing and says why in a shallow clone', () => {
    write(EN, 'changed');
    git(['commit', '-q', '-am', 'fix en'], DAY2);
    const clone = mkdtempSync(join(tmpdir(), 'twg-staleness-clone-'));
    try {
      git(['clone', '-q', '--depth', '1', `file://${root}`, clone]);
      const s = translationStatus(ZH, { root: clone, log: (m) => logged.push(m) });
      expect(s).toBeNull();
      expect(logged.join('\n')).toMatch(/shallow clone/);
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
  });
});

it('shows nothing and says why outside a git repository', () => {
  write(EN, 'e');
  write(ZH, 'z');
  expect(status(ZH)).toBeNull();
  expect(logged).toHaveLength(1);
  expect(logged[0]).toMatch(/not a repository|git is unavailable/);
  // Said once per build, not once per page.
  expect(status(EN)).toBeNull();
  expect(logged).toHaveLength(1);
});
