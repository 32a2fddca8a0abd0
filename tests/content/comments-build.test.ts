import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCommentsFixture, sampleThread, threadFile } from './comments-fixture.ts';

// Schema failures of content/comments/** fail the build and name the file, the field and what was
// expected. Each case is one fixture build (~10 s).
describe('the build refuses broken comment threads and names the file and the field', () => {
  it('builds a valid thread into the chapter, its own page, the hub and the search index', () => {
    const build = buildCommentsFixture({
      'understand/arises/which-side.en.yaml': threadFile(sampleThread()),
      'general/kind.zh-cn.yaml': threadFile(
        sampleThread({
          chapter: 'general',
          lang: 'zh-cn',
          title: '一个综合问题',
          kind: 'comment',
          accepted: undefined,
        }),
      ),
    });
    try {
      expect(build.status, build.output).toBe(0);
      const chapter = readFileSync(join(build.dir, 'dist/understand/arises/index.html'), 'utf8');
      expect(chapter).toContain('id="thread-which-side"');
      expect(chapter).toContain('Which side ends in TIME_WAIT?');
      expect(existsSync(join(build.dir, 'dist/qa/understand/arises/which-side/index.html'))).toBe(true);
      expect(existsSync(join(build.dir, 'dist/zh-cn/qa/general/kind/index.html'))).toBe(true);
      const hub = readFileSync(join(build.dir, 'dist/zh-cn/qa/index.html'), 'utf8');
      expect(hub).toContain('一个综合问题');
      expect(build.output).toMatch(/Indexed \d+ pages and 2 replies/);
      expect(existsSync(join(build.dir, 'dist/comments-search.json'))).toBe(false);
    } finally {
      build.cleanup();
    }
  }, 240_000);

  it('fails on fields that break the schema, naming file, field and expectation', () => {
    const build = buildCommentsFixture({
      'understand/arises/broken.en.yaml': [
        'chapter: understand/arises',
        'lang: en',
        'kind: poll',
        'title: A broken thread',
        'author: Someone',
        'date: 2026-11-01',
        'body: Text.',
        'replies:',
        '  - id: r1',
        '    author: Someone else',
        '    role: admin',
        '    date: 2026-11-02',
        '    body: Reply.',
      ].join('\n'),
    });
    try {
      expect(build.status).not.toBe(0);
      expect(build.output).toMatch(/understand\/arises\/broken\.en\.yaml/);
      expect(build.output).toMatch(/kind/);
      expect(build.output).toMatch(/question.*comment/);
      expect(build.output).toMatch(/replies\.0\.role/);
      expect(build.output).toMatch(/maintainer.*reader/);
    } finally {
      build.cleanup();
    }
  }, 240_000);

  it('fails on a missing body, an unknown field and an accepted answer that is not a reply', () => {
    const build = buildCommentsFixture({
      'understand/arises/missing.en.yaml':
        'chapter: understand/arises\nlang: en\nkind: question\ntitle: No body here\nauthor: X\ndate: 2026-11-01\nauther: typo\naccepted: r7\n',
    });
    try {
      expect(build.status).not.toBe(0);
      expect(build.output).toMatch(/understand\/arises\/missing\.en\.yaml/);
      expect(build.output).toMatch(/body/);
      expect(build.output).toMatch(/auther/);
    } finally {
      build.cleanup();
    }
  }, 240_000);

  it('fails when the file’s folder or name disagrees with its fields, or the chapter does not exist', () => {
    const build = buildCommentsFixture({
      'understand/arises/moved.en.yaml': threadFile(sampleThread({ chapter: 'general' })),
      'understand/arises/wrong-lang.en.yaml': threadFile(sampleThread({ lang: 'zh-cn' })),
      'fix/nowhere/lost.en.yaml': threadFile(sampleThread({ chapter: 'fix/nowhere' })),
    });
    try {
      expect(build.status).not.toBe(0);
      expect(build.output).toMatch(/understand\/arises\/moved\.en\.yaml: chapter:/);
      expect(build.output).toMatch(/understand\/arises\/wrong-lang\.en\.yaml: lang:/);
      expect(build.output).toMatch(/fix\/nowhere\/lost\.en\.yaml: chapter: no chapter "fix\/nowhere"/);
    } finally {
      build.cleanup();
    }
  }, 240_000);
});
