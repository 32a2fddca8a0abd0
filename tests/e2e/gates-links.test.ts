// Gate: no broken internal link or anchor, over the built HTML (no browser; external links are not
// fetched). Every `href`/`src` on every page of both languages, the Q&A hub and threads and the 404
// pages is resolved the way a static host resolves it (scripts/lib/static-server.ts), and a
// `#fragment` must name an element id in the target page.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sitemapPages } from '../../bench/weights.ts';
import { BUILDS, pagesOf, requireBuild } from './harness.ts';

const { dir, base } = BUILDS.main;
requireBuild(dir);

/** The site's own origin, from the sitemap index (SITE_URL at build time): absolute links to it are internal. */
const siteOrigin = new URL(
  /<loc>([^<]+)<\/loc>/.exec(readFileSync(join(dir, 'sitemap-index.xml'), 'utf8'))?.[1] ?? 'http://invalid',
).origin;

const ENTITIES: Record<string, string> = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>', '#39': "'" };
const decodeEntities = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) => {
    if (e[0] === '#')
      return String.fromCodePoint(e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return ENTITIES[e] ?? m;
  });

/** Pages as the files a static host serves for them (`''` → index.html, `404.html` for the not-found page). */
const files = [...pagesOf(dir).map((p) => `${p}index.html`), '404.html'];

const idCache = new Map<string, Set<string>>();
function idsOf(file: string): Set<string> {
  let ids = idCache.get(file);
  if (!ids) {
    const html = readFileSync(join(dir, file), 'utf8');
    ids = new Set(
      [...html.matchAll(/<[a-zA-Z][^>]*?\s(?:id|name)="([^"]*)"/g)].map((m) =>
        decodeEntities(m[1] as string),
      ),
    );
    idCache.set(file, ids);
  }
  return ids;
}

/** The build file a site path resolves to, or why it does not. */
function resolvePath(pathname: string): { file?: string; problem?: string } {
  if (!pathname.startsWith(base)) return { problem: `outside the base path ${base}` };
  const inner = decodeURIComponent(pathname.slice(base.length));
  const full = join(dir, inner);
  if (existsSync(full) && statSync(full).isFile()) return { file: inner };
  if (existsSync(join(full, 'index.html'))) {
    // trailingSlash: 'always' — a directory link without its slash costs a redirect on every host.
    if (!pathname.endsWith('/')) return { problem: 'directory link without its trailing slash' };
    return { file: join(inner, 'index.html') };
  }
  return { problem: 'no such page or file in the build' };
}

interface Link {
  from: string;
  attr: string;
  url: string;
}

function linksOf(file: string): Link[] {
  const html = readFileSync(join(dir, file), 'utf8');
  const out: Link[] = [];
  // Only attributes inside real tags: code samples are escaped (&lt;a href=…), so they never match.
  for (const m of html.matchAll(/<(a|link|area|script|img|source|iframe|use)\s[^>]*?>/gi)) {
    const tag = m[0];
    for (const a of tag.matchAll(/\s(href|src|xlink:href)="([^"]*)"/g)) {
      const url = decodeEntities(a[2] as string);
      // rel="preconnect"/"dns-prefetch" name an origin, not a resource.
      if (/rel="(?:preconnect|dns-prefetch)"/.test(tag)) continue;
      out.push({ from: file, attr: `<${m[1]} ${a[1]}>`, url });
    }
  }
  return out;
}

describe('links in the built site', () => {
  it('has no broken internal link or #anchor on any page, in either language', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
    expect(files.some((f) => f.startsWith('zh-cn/'))).toBe(true);
    expect(files.some((f) => f.startsWith('qa/'))).toBe(true);
    const problems: string[] = [];
    let internal = 0;
    let anchors = 0;
    let external = 0;
    for (const file of files) {
      const pageUrl = new URL(`${siteOrigin}${base}${file.replace(/index\.html$/, '')}`);
      for (const link of linksOf(file)) {
        if (link.url === '' || link.url === '#') continue;
        if (/^(?:mailto|tel|javascript|data):/i.test(link.url)) continue;
        let target: URL;
        try {
          target = new URL(link.url, pageUrl);
        } catch {
          problems.push(`${file}: ${link.attr} "${link.url}" is not a valid URL`);
          continue;
        }
        if (target.origin !== siteOrigin) {
          external++;
          if (!/^https?:$/.test(target.protocol))
            problems.push(`${file}: ${link.attr} "${link.url}" odd scheme`);
          continue;
        }
        internal++;
        // Starlight writes the English not-found page as /404.html but names it /404/ in the 404 pages'
        // canonical and hreflang links; a host answers /404/ with that same page, so this one is fine.
        if (
          link.attr.startsWith('<link') &&
          target.pathname === `${base}404/` &&
          /(?:^|\/)404(?:\/index)?\.html$/.test(file)
        ) {
          continue;
        }
        const { file: targetFile, problem } = resolvePath(target.pathname);
        if (problem || !targetFile) {
          problems.push(`${file}: ${link.attr} "${link.url}" → ${target.pathname}: ${problem}`);
          continue;
        }
        if (target.hash.length > 1 && targetFile.endsWith('.html')) {
          anchors++;
          const id = decodeURIComponent(target.hash.slice(1));
          if (!idsOf(targetFile).has(id)) {
            problems.push(
              `${file}: ${link.attr} "${link.url}" → no element with id "${id}" in ${targetFile}`,
            );
          }
        }
      }
    }
    console.log(
      `links: ${files.length} pages, ${internal} internal links (${anchors} with #anchors) checked, ${external} external not fetched`,
    );
    expect(problems).toEqual([]);
  });

  it('lists every page in the sitemap, and only pages that exist', () => {
    const listed = new Set(sitemapPages(dir, base));
    const built = pagesOf(dir).filter((p) => !/^(?:zh-cn\/)?404\/$/.test(p));
    expect(built.filter((p) => !listed.has(p))).toEqual([]);
    expect([...listed].filter((p) => !existsSync(join(dir, p, 'index.html')))).toEqual([]);
  });
});
