import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
// esbuild comes with Astro (and Vite); it only strips the worker's types and minifies it.
import { transform } from 'esbuild';

// Why a hand-written worker rather than @vite-pwa/astro (Workbox): the guarantees this site needs are
// about versions, not caching strategies: install a build whole or not at all (each file checked
// against the hash this build recorded), keep every open page on the version it was loaded from
// (including the Web Workers it starts, such as Pagefind's), and drop an old version only when no page
// uses it. Workbox keeps one precache per scope: on activation it moves the changed entries in and
// deletes the outdated ones, so a page still open from the old build then meets the new build's files.
// This worker is ~220 lines with no runtime dependency, and needs no Vite plugin or dependency
// overrides (DESIGN §7 lists what @vite-pwa/astro would require).

export const SW_FILE = 'sw.js';

export interface PrecacheEntry {
  /** URL relative to the base: `''`, `understand/arises/`, `_astro/x.js`, `pagefind/pagefind.js`. */
  url: string;
  /** File inside the build directory. */
  file: string;
  /** First 16 hex digits of the SHA-256 of the file's bytes; the worker checks it at install. */
  hash: string;
  bytes: number;
}

export interface Precache {
  version: string;
  base: string;
  entries: PrecacheEntry[];
  /** Locale prefix (`''` for the default locale) → its 404 page, relative to the base. */
  notFound: Record<string, string>;
}

/** Files a build emits that the offline copy leaves out: the worker itself and source maps. */
const SKIP = (rel: string) => rel === SW_FILE || rel.endsWith('.map');

function urlOf(rel: string): string {
  const url = rel.split(sep).map(encodeURIComponent).join('/');
  if (url === 'index.html') return '';
  // Directory URLs, as the site links to them (trailingSlash: 'always').
  return url.endsWith('/index.html') ? url.slice(0, -'index.html'.length) : url;
}

/**
 * Everything the build wrote (every page in both languages, CSS, JS chunks including islands and
 * Web Worker chunks, images, both Pagefind indexes), with a version that is a hash of the list and
 * every file's contents: any change to any file gives a new version, an identical build the same one.
 */
export function precacheOf(dir: string, base: string): Precache {
  const entries: PrecacheEntry[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      const rel = relative(dir, full);
      if (statSync(full).isDirectory()) walk(full);
      else if (!SKIP(rel)) {
        const body = readFileSync(full);
        const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
        entries.push({ url: urlOf(rel), file: full, hash, bytes: body.length });
      }
    }
  };
  walk(dir);
  entries.sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  const all = createHash('sha256');
  for (const e of entries) all.update(`${e.url}\0${e.hash}\n`);
  const notFound: Record<string, string> = {};
  for (const e of entries) {
    const m = /^(?:(.+)\/)?404(?:\.html|\/)$/.exec(e.url);
    if (m) notFound[m[1] ?? ''] = e.url;
  }
  return { version: all.digest('hex').slice(0, 12), base: normaliseBase(base), entries, notFound };
}

export function normaliseBase(base: string): string {
  return `/${base.replace(/^\/+|\/+$/g, '')}/`.replace(/^\/\/$/, '/');
}

const SOURCE = fileURLToPath(new URL('./sw.ts', import.meta.url));

/** Compiles the worker with this build's precache list and writes it to `<dir>/sw.js`. */
export async function writeServiceWorker(dir: string, base: string): Promise<Precache> {
  const precache = precacheOf(dir, base);
  const config = {
    version: precache.version,
    base: precache.base,
    files: precache.entries.map((e) => [e.url, e.hash]),
    notFound: precache.notFound,
  };
  const { code } = await transform(readFileSync(SOURCE, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
  });
  // A classic script (no imports): every browser that has service workers can run it.
  const body = `const TWG_PRECACHE=${JSON.stringify(config)};\n${code}`;
  writeFileSync(join(dir, SW_FILE), body);
  return precache;
}

/**
 * Writes the service worker after every other build step. Keep it the last integration: it must see
 * the final files, including the Pagefind index that later build hooks rewrite.
 */
export function offline(): AstroIntegration {
  let base = '/';
  return {
    name: 'twg-offline',
    hooks: {
      'astro:config:done': ({ config }) => {
        base = config.base;
      },
      'astro:build:done': async ({ dir, logger }) => {
        const p = await writeServiceWorker(fileURLToPath(dir), base);
        const bytes = p.entries.reduce((n, e) => n + e.bytes, 0);
        logger.info(
          `Offline cache ${p.version}: ${p.entries.length} files, ${(bytes / 1024 / 1024).toFixed(2)} MB.`,
        );
      },
    },
  };
}
