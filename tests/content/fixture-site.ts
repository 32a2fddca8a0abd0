import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export interface FixtureBuild {
  status: number | null;
  output: string;
  dir: string;
  cleanup(): void;
}

/**
 * Builds a throwaway copy of the site that has only the given content pages, with the project's real
 * config, integrations and components. Used to check how the build reacts to bad content without
 * breaking the real site.
 */
export function buildFixture(pages: Record<string, string>, env: Record<string, string> = {}): FixtureBuild {
  // Inside the project (ignored by git) so that packages resolve from its node_modules by walking up;
  // a symlinked node_modules confuses Vite's module ids.
  mkdirSync(join(ROOT, '.cache'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, '.cache', 'fixture-'));
  for (const folder of ['src', 'components', 'public']) {
    cpSync(join(ROOT, folder), join(dir, folder), { recursive: true });
  }
  for (const file of ['astro.config.mjs', 'content.config.ts', 'tsconfig.json', 'package.json']) {
    cpSync(join(ROOT, file), join(dir, file));
  }
  mkdirSync(join(dir, 'content/i18n'), { recursive: true });
  cpSync(join(ROOT, 'content/i18n'), join(dir, 'content/i18n'), { recursive: true });
  for (const [path, text] of Object.entries(pages)) {
    const full = join(dir, 'content/docs', path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  const astro = join(ROOT, 'node_modules/astro/bin/astro.mjs');
  const result = spawnSync(process.execPath, [astro, 'build', '--root', dir], {
    cwd: dir,
    env: { ...cleanEnv(), ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', ...env },
    encoding: 'utf8',
    timeout: 180_000,
  });
  return {
    status: result.status,
    output: `${result.stdout}\n${result.stderr}`,
    dir,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export const MINIMAL_HOME = {
  'index.mdx': '---\ntitle: Home\ndescription: Fixture home page.\n---\n\nHome.\n',
  'zh-cn/index.mdx': '---\ntitle: 首页\ndescription: 测试首页。\n---\n\n首页。\n',
};

/**
 * The environment without what vitest adds (NODE_ENV=test, DEV, MODE, VITEST…): inherited by a build,
 * those make it a development build, without the search UI.
 */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(VITEST|TEST$|NODE_ENV$|DEV$|PROD$|MODE$|SSR$|BASE_URL$)/.test(key)) delete env[key];
  }
  return env;
}
