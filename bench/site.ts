// `npm run bench:site`: builds the site once and prints what a reader downloads.
//   build time, number of HTML pages, and for chosen pages the gzipped bytes of the HTML and of the
//   JS and CSS it references (scripts, module preloads, stylesheets; each file counted once).
// Usage: node bench/site.ts [--no-build] [page …]   (pages as paths under dist/, e.g. understand/arises/)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const args = process.argv.slice(2);
const noBuild = args.includes('--no-build');
const pages = args.filter((a) => !a.startsWith('--'));
const chosen = pages.length > 0 ? pages : ['', 'understand/arises/', 'zh-cn/understand/arises/'];
const dist = 'dist';

if (!noBuild) {
  const started = performance.now();
  const r = spawnSync(join('node_modules', '.bin', 'astro'), ['build'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
  });
  if (r.status !== 0) {
    console.error('astro build failed');
    process.exit(1);
  }
  console.log(`build time: ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'pagefind' ? [] : htmlFiles(path);
    return name.endsWith('.html') ? [path] : [];
  });
}

const all = htmlFiles(dist);
console.log(
  `pages: ${all.length} HTML files (${all.filter((p) => p.includes('/zh-cn/')).length} under zh-cn/)`,
);

const gz = (bytes: Buffer | string) => gzipSync(bytes, { level: 9 }).length;

function assets(html: string, kind: 'js' | 'css'): string[] {
  const re =
    kind === 'js'
      ? /<script[^>]*\ssrc="([^"]+)"|<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g
      : /<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g;
  const found = new Set<string>();
  for (const m of html.matchAll(re)) {
    const url = m[1] ?? m[2];
    if (url?.startsWith('/')) found.add(url);
  }
  return [...found];
}

/** Follows static imports of a module so a page's JS total includes what loads without interaction. */
function withImports(urls: string[]): string[] {
  const seen = new Set<string>();
  const queue = [...urls];
  while (queue.length > 0) {
    const url = queue.pop() as string;
    if (seen.has(url)) continue;
    seen.add(url);
    const file = join(dist, url);
    if (!existsSync(file)) continue;
    const code = readFileSync(file, 'utf8');
    for (const m of code.matchAll(/(?:^|[;}\s])import\s*(?:[^'"()]*?from\s*)?["']([^"']+)["']/g)) {
      const spec = m[1] as string;
      if (spec.startsWith('.')) queue.push(new URL(spec, `http://x${url}`).pathname);
    }
  }
  return [...seen];
}

const rows: string[][] = [['page', 'HTML gz', 'JS gz (files)', 'CSS gz (files)']];
for (const page of chosen) {
  const file = join(dist, page, 'index.html');
  if (!existsSync(file)) {
    console.error(`no such page: ${relative('.', file)}`);
    process.exitCode = 1;
    continue;
  }
  const html = readFileSync(file, 'utf8');
  const js = withImports(assets(html, 'js'));
  const css = assets(html, 'css');
  const sum = (urls: string[]) =>
    urls.reduce((n, u) => n + (existsSync(join(dist, u)) ? gz(readFileSync(join(dist, u))) : 0), 0);
  rows.push([`/${page}`, `${gz(html)} B`, `${sum(js)} B (${js.length})`, `${sum(css)} B (${css.length})`]);
}
const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  '));
