import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { createGzip } from 'node:zlib';

// Content types for what an Astro + Pagefind build emits. Pagefind's index files are binary.
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.pcap': 'application/vnd.tcpdump.pcap',
};

// Text a static host compresses on the fly (GitHub Pages, Netlify and nginx's gzip all do). Pagefind's
// index files are already compressed and stay as they are.
const COMPRESSIBLE = new Set([
  '.html',
  '.css',
  '.js',
  '.mjs',
  '.json',
  '.svg',
  '.xml',
  '.txt',
  '.webmanifest',
]);

/**
 * Caching as a static host would set it: Astro's `_astro/` files carry a content hash in their name, so
 * they never change and may be kept for a year; everything else is revalidated on each use.
 */
function cacheControl(inner: string): string {
  return inner.startsWith('/_astro/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}

export interface StaticServerOptions {
  /** The built site (Astro's outDir). */
  root: string;
  /** The sub-path the site was built for, e.g. `/` or `/timewait-guide/`. */
  base?: string;
  port?: number;
  host?: string;
}

async function fileFor(root: string, urlPath: string): Promise<string | null> {
  const candidate = resolve(root, '.' + normalize(urlPath));
  // Never serve anything outside the build directory, whatever the URL says.
  if (candidate !== root && !candidate.startsWith(root + sep)) return null;
  try {
    const s = await stat(candidate);
    if (s.isFile()) return candidate;
    if (s.isDirectory()) {
      const index = join(candidate, 'index.html');
      if ((await stat(index)).isFile()) return index;
    }
  } catch {
    // Not found: the caller answers 404.
  }
  return null;
}

/**
 * A small static file server with the semantics of a plain static host (GitHub Pages, S3, nginx):
 * directory URLs serve index.html, unknown paths get the site's 404.html with status 404.
 */
export function startStaticServer(opts: StaticServerOptions): Promise<{ server: Server; url: string }> {
  const root = resolve(opts.root);
  const base = (opts.base ?? '/').replace(/\/?$/, '/');
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400).end('bad URL encoding');
      return;
    }
    if (!path.startsWith(base) && path + '/' !== base) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`Not under the base path ${base}`);
      return;
    }
    const inner = '/' + path.slice(base.length);
    const file = await fileFor(root, inner);
    if (file) {
      // A directory URL without its trailing slash would break relative links: redirect like static hosts do.
      if (file.endsWith(`${sep}index.html`) && !path.endsWith('/') && !path.endsWith('.html')) {
        res.writeHead(301, { location: path + '/' + url.search }).end();
        return;
      }
      const gzip =
        COMPRESSIBLE.has(extname(file)) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': cacheControl(inner),
        vary: 'accept-encoding',
        ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      });
      if (gzip) createReadStream(file).pipe(createGzip()).pipe(res);
      else createReadStream(file).pipe(res);
      return;
    }
    const notFound = await fileFor(root, '/404.html');
    res.writeHead(404, { 'content-type': TYPES['.html'] });
    if (notFound) createReadStream(notFound).pipe(res);
    else res.end('Not found');
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : opts.port;
      resolvePromise({ server, url: `http://${opts.host ?? '127.0.0.1'}:${port}${base}` });
    });
  });
}
