// What a reader downloads for one page of a build: gzipped bytes of its HTML and of the JS and CSS it
// loads before any interaction. Shared by `npm run bench:site` and the size-budget gate
// (tests/e2e/gates-budget.test.ts), so the figures printed and the figures enforced are the same.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** gzip at level 9, what a static host's precompression (or nginx gzip_static) would serve. */
export const gz = (bytes: Buffer | string): number => gzipSync(bytes, { level: 9 }).length;

/** Pages listed in a build's sitemap(s), as paths relative to the base: `''`, `understand/arises/`, … */
export function sitemapPages(dir: string, base = '/'): string[] {
  const index = join(dir, 'sitemap-index.xml');
  if (!existsSync(index)) throw new Error(`${index}: no sitemap index; is @astrojs/sitemap in the build?`);
  const locs = (xml: string) => [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1] as string);
  const pages = new Set<string>();
  for (const sitemap of locs(readFileSync(index, 'utf8'))) {
    const file = join(dir, new URL(sitemap).pathname.slice(base.length));
    if (!existsSync(file)) throw new Error(`${index} lists ${sitemap}, which the build does not have`);
    for (const loc of locs(readFileSync(file, 'utf8'))) {
      const path = decodeURI(new URL(loc).pathname);
      if (!path.startsWith(base)) throw new Error(`${file}: ${loc} is outside the base path ${base}`);
      pages.add(path.slice(base.length));
    }
  }
  return [...pages].sort();
}

/**
 * URLs of the scripts and stylesheets an HTML page references: scripts, module preloads, the component
 * and renderer modules of its Astro islands (labs), and screen stylesheets (not `media="print"`, which
 * never blocks rendering).
 */
export function assetsOf(html: string, kind: 'js' | 'css'): string[] {
  const re =
    kind === 'js'
      ? /<script[^>]*\ssrc="([^"]+)"|<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"|<astro-island[^>]*?\s(?:component|renderer|before-hydration)-url="([^"]+)"/g
      : /<link(?![^>]*media="print")[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g;
  const found = new Set<string>();
  for (const m of html.matchAll(re)) {
    const url = m[1] ?? m[2] ?? m[3];
    if (url?.startsWith('/')) found.add(url);
  }
  return [...found];
}

/** Follows static imports, so a page's JS total includes every module that loads without interaction. */
export function withImports(dir: string, base: string, urls: string[]): string[] {
  const seen = new Set<string>();
  const queue = [...urls];
  while (queue.length > 0) {
    const url = queue.pop() as string;
    if (seen.has(url)) continue;
    seen.add(url);
    const file = join(dir, url.slice(base.length));
    if (!existsSync(file)) continue;
    const code = readFileSync(file, 'utf8');
    for (const m of code.matchAll(/(?:^|[;}\s])import\s*(?:[^'"()]*?from\s*)?["']([^"']+)["']/g)) {
      const spec = m[1] as string;
      if (spec.startsWith('.')) queue.push(new URL(spec, `http://x${url}`).pathname);
    }
  }
  return [...seen];
}

export interface PageWeight {
  page: string;
  /** gzipped bytes */
  html: number;
  js: number;
  css: number;
  jsFiles: string[];
  cssFiles: string[];
  /** Inline `<svg>` diagrams (build-time Mermaid) and their gzipped share of the HTML. */
  diagrams: number;
  diagramBytes: number;
  /** Astro islands (labs, widgets) on the page. */
  islands: number;
  /** The page without its `<main>`: head, header, sidebar and footer every page repeats. */
  chrome: number;
  /** Inline `<script>` and `<style>` gzipped bytes (Starlight's theme script, Expressive Code styles…). */
  inlineScript: number;
  inlineStyle: number;
}

export function weigh(dir: string, page: string, base = '/'): PageWeight {
  const file = join(dir, page, 'index.html');
  if (!existsSync(file)) throw new Error(`${file}: no such page in the build`);
  const html = readFileSync(file, 'utf8');
  const jsFiles = withImports(dir, base, assetsOf(html, 'js'));
  const cssFiles = assetsOf(html, 'css');
  const sum = (urls: string[]) =>
    urls.reduce((n, u) => {
      const f = join(dir, u.slice(base.length));
      return n + (existsSync(f) ? gz(readFileSync(f)) : 0);
    }, 0);
  const svgs = html.match(/<figure class="diagram diagram-svg">[\s\S]*?<\/figure>/g) ?? [];
  const inline = (re: RegExp) => (html.match(re) ?? []).join('');
  return {
    page,
    html: gz(html),
    js: sum(jsFiles),
    css: sum(cssFiles),
    jsFiles,
    cssFiles,
    islands: (html.match(/<astro-island\s/g) ?? []).length,
    chrome: gz(html.replace(/<main[\s>][\s\S]*<\/main>/, '')),
    diagrams: svgs.length,
    // The marginal cost of the diagrams: the page gzipped with and without them.
    diagramBytes: svgs.length
      ? gz(html) - gz(html.replace(/<figure class="diagram diagram-svg">[\s\S]*?<\/figure>/g, ''))
      : 0,
    inlineScript: gz(inline(/<script(?![^>]*\ssrc=)[^>]*>[\s\S]*?<\/script>/g)),
    inlineStyle: gz(inline(/<style[^>]*>[\s\S]*?<\/style>/g)),
  };
}
