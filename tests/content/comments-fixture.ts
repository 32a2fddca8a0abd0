import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { sanitizeRecord, threadToYaml } from '../../src/comments/importer.ts';
import { threadSchema } from '../../src/comments/schema.ts';
import { cleanEnv, type FixtureBuild } from './fixture-site.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/** A chapter in both languages, as the fixture sites' only content. */
export const FIXTURE_DOCS: Record<string, string> = {
  'index.mdx': '---\ntitle: Home\ndescription: Fixture home page.\n---\n\nHome.\n',
  'zh-cn/index.mdx': '---\ntitle: 首页\ndescription: 测试首页。\n---\n\n首页。\n',
  'understand/arises.mdx':
    '---\ntitle: How TIME_WAIT arises\ndescription: Fixture chapter.\n---\n\nThe active closer ends in TIME_WAIT.\n',
  'zh-cn/understand/arises.mdx':
    '---\ntitle: TIME_WAIT 是怎么产生的\ndescription: 测试章节。\n---\n\n主动关闭的一方进入 TIME_WAIT。\n',
};

/**
 * Builds a throwaway copy of the site (real config, components, pages and integrations) with the given
 * docs pages and comment files (paths under content/comments/, text as written). Like
 * tests/content/fixture-site.ts, but with the pages/ routes and comment threads the comments need.
 */
export function buildCommentsFixture(
  comments: Record<string, string>,
  options: {
    docs?: Record<string, string>;
    env?: Record<string, string>;
    /** Files to write over the copy, by path from the site root (e.g. a changed src/comments/config.ts). */
    files?: Record<string, string>;
  } = {},
): FixtureBuild {
  mkdirSync(join(ROOT, '.cache'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, '.cache', 'fixture-comments-'));
  for (const folder of ['src', 'components', 'public', 'pages', 'content/i18n']) {
    cpSync(join(ROOT, folder), join(dir, folder), { recursive: true });
  }
  for (const file of ['astro.config.mjs', 'content.config.ts', 'tsconfig.json', 'package.json']) {
    cpSync(join(ROOT, file), join(dir, file));
  }
  const write = (base: string, files: Record<string, string>) => {
    for (const [path, text] of Object.entries(files)) {
      const full = join(dir, base, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, text);
    }
  };
  write('content/docs', options.docs ?? FIXTURE_DOCS);
  mkdirSync(join(dir, 'content/comments'), { recursive: true });
  write('content/comments', comments);
  write('.', options.files ?? {});
  const astro = join(ROOT, 'node_modules/astro/bin/astro.mjs');
  const result = spawnSync(process.execPath, [astro, 'build', '--root', dir], {
    cwd: dir,
    env: {
      ...cleanEnv(),
      ASTRO_TELEMETRY_DISABLED: '1',
      NO_COLOR: '1',
      TWG_CHROMIUM: '/nonexistent/chromium',
      TWG_OUT_DIR: './dist',
      ...options.env,
    },
    encoding: 'utf8',
    timeout: 240_000,
  });
  return {
    status: result.status,
    output: `${result.stdout}\n${result.stderr}`,
    dir,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A complete, valid question thread (as a record before parsing); `overrides` replace its fields. */
export function sampleThread(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    chapter: 'understand/arises',
    lang: 'en',
    kind: 'question',
    title: 'Which side ends in TIME_WAIT?',
    author: 'Fixture Reader',
    date: '2026-11-01',
    body: 'Is it the client or the server that keeps the **TIME_WAIT** entry?',
    replies: [
      {
        id: 'a1',
        author: 'Fixture Maintainer',
        role: 'maintainer',
        date: '2026-11-02',
        body: 'The side that sends the first FIN, whichever that is.',
      },
    ],
    accepted: 'a1',
    ...overrides,
  };
}

/** A thread record as the YAML file the import command would write (sanitised, then checked). */
export function threadFile(record: Record<string, unknown>): string {
  return threadToYaml(threadSchema.parse(sanitizeRecord(record)));
}
