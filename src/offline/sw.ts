/// <reference lib="webworker" />
// The service worker (DESIGN §6). Compiled by src/offline/build.ts after each build, which prepends the
// TWG_PRECACHE constant: this build's version and every file it emitted with a hash of its contents.
//
// Invariants:
// - One cache per build version. A new version is fetched and verified in full into its own cache while
//   the old one keeps serving; only then can it take over. Install fails (and the old version stays) if
//   any file is missing or differs from the manifest — e.g. the host changed again mid-update.
// - Every document is served, with everything it fetches, from one version. A page loaded from the old
//   version keeps the old cache until it is closed, even after the new worker takes control, so a page
//   never meets another build's Pagefind index.
// - Cache-first for precached files; anything else goes to the network. Offline navigation to an
//   unknown URL gets the site's 404 page in the URL's language.

interface Precache {
  version: string;
  /** The site's base path, with leading and trailing slash: `/` or `/twg-sub/`. */
  base: string;
  /** [URL relative to the base, first 16 hex digits of the SHA-256 of its contents]. */
  files: [string, string][];
  /** 404 pages per locale prefix (`''` is the default locale), relative to the base. */
  notFound: Record<string, string>;
}
declare const TWG_PRECACHE: Precache;

const sw = self as unknown as ServiceWorkerGlobalScope;
const { version, base, files, notFound } = TWG_PRECACHE;
const scope = new URL(base, sw.location.origin);
const PREFIX = `twg-offline:${base}:`;
const CURRENT = PREFIX + version;
const META = `twg-offline-meta:${base}`;
const expected = new Map(files.map(([path, hash]) => [new URL(path, scope).href, hash]));

/**
 * Which version's cache each open client (document or worker) was loaded from: client id → cache name.
 * Kept in Cache Storage as well as in memory, because the browser stops idle workers.
 */
interface Meta {
  current: string;
  clients: Record<string, string>;
  /** When each client was recorded (ms): one being created is not yet listed by clients.matchAll. */
  seen?: Record<string, number>;
}
let meta: Meta | null = null;
let saving: Promise<void> = Promise.resolve();

async function readMeta(): Promise<Meta | null> {
  const stored = await (await caches.open(META)).match('meta');
  return stored ? ((await stored.json()) as Meta) : null;
}

async function loadMeta(): Promise<Meta> {
  meta ??= (await readMeta()) ?? { current: CURRENT, clients: {} };
  return meta;
}

function saveMeta(next: Meta): Promise<void> {
  meta = next;
  const body = JSON.stringify(next);
  // Writes go out in order, so an older map never overwrites a newer one.
  saving = saving.then(async () => {
    await (await caches.open(META)).put('meta', new Response(body));
  });
  return saving;
}

async function sha16(body: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', body));
  return Array.from(digest.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function precache(): Promise<void> {
  const cache = await caches.open(CURRENT);
  // A retried install resumes: entries already in this version's cache were verified when stored.
  const have = new Set((await cache.keys()).map((r) => r.url));
  const todo = [...expected].filter(([url]) => !have.has(url));
  const worker = async () => {
    for (let next = todo.pop(); next; next = todo.pop()) {
      const [url, hash] = next;
      // `no-cache`: revalidate with the server, never take a stale copy from the HTTP cache.
      const res = await fetch(url, { cache: 'no-cache', credentials: 'same-origin' });
      if (!res.ok) throw new Error(`offline cache ${version}: ${url} answered HTTP ${res.status}`);
      const body = await res.arrayBuffer();
      const got = await sha16(body);
      if (got !== hash) {
        throw new Error(
          `offline cache ${version}: ${url} is not the file this build listed (${got} ≠ ${hash})`,
        );
      }
      const headers = new Headers();
      const type = res.headers.get('content-type');
      if (type) headers.set('content-type', type);
      await cache.put(url, new Response(body, { status: 200, headers }));
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
}

/**
 * Forgets closed clients and deletes the caches only they needed. On activation (`sweep`) it also
 * deletes every other cache of this site except the current one: leftovers of installs that failed.
 * Otherwise it only deletes caches that closed clients used, because a newer version may be
 * installing into its own cache at the same moment.
 */
async function prune(sweep: boolean): Promise<void> {
  // A worker that has been replaced leaves the bookkeeping to its successor.
  if ((await readMeta())?.current !== CURRENT) return;
  const open = new Set(
    (await sw.clients.matchAll({ includeUncontrolled: true, type: 'all' })).map((c) => c.id),
  );
  const m = await loadMeta();
  const seen = m.seen ?? {};
  const now = Date.now();
  // A client recorded in the last 10 s may still be starting (a worker whose script is being fetched)
  // and not yet be listed by matchAll.
  const stays = (id: string) => open.has(id) || now - (seen[id] ?? 0) < 10_000;
  const clients = Object.fromEntries(Object.entries(m.clients).filter(([id]) => stays(id)));
  const retired = new Set(Object.entries(m.clients).flatMap(([id, name]) => (stays(id) ? [] : [name])));
  await saveMeta({
    current: CURRENT,
    clients,
    seen: Object.fromEntries(Object.entries(seen).filter(([id]) => id in clients)),
  });
  const keep = new Set([CURRENT, ...Object.values(clients)]);
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || keep.has(name)) continue;
    if (sweep || retired.has(name)) await caches.delete(name);
  }
}

sw.addEventListener('install', (event) => {
  event.waitUntil(precache());
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const previous = await readMeta();
      const clients = { ...previous?.clients };
      if (previous && previous.current !== CURRENT) {
        // Whatever is open now was loaded by the previous version (or an older one, already recorded):
        // it keeps that version's cache until it is closed.
        for (const client of await sw.clients.matchAll({ type: 'all' })) {
          clients[client.id] ??= previous.current;
        }
      }
      await saveMeta({ current: CURRENT, clients });
      await prune(true);
    })(),
  );
});

sw.addEventListener('message', (event) => {
  const type = (event.data as { type?: string } | null)?.type;
  // Only on the reader's request (the update notice), so a page never changes version under them.
  if (type === 'twg-skip-waiting') void sw.skipWaiting();
  else if (type === 'twg-hello') event.waitUntil(prune(false));
});

/**
 * The cache key for a URL. Not checked against this worker's file list: a page of an older version is
 * served from that version's cache, whose files this worker may not list.
 */
function keyFor(url: URL, navigation: boolean): string {
  const u = new URL(url.href);
  u.hash = '';
  // Pagefind adds ?ts=<time> to pagefind-entry.json to get past HTTP caches; the copy in this version's
  // cache is by construction the one that belongs with these pages. Documents ignore their query.
  if (navigation) u.search = '';
  else u.searchParams.delete('ts');
  if (u.pathname.endsWith('/index.html')) u.pathname = u.pathname.slice(0, -'index.html'.length);
  return u.href;
}

function localeOf(url: URL): string {
  const rest = url.pathname.slice(base.length);
  const prefix = Object.keys(notFound).find((p) => p && rest.startsWith(`${p}/`));
  return prefix ?? '';
}

async function respond(event: FetchEvent, url: URL): Promise<Response> {
  const request = event.request;
  const navigation = request.mode === 'navigate';
  const m = await loadMeta();
  // A new document starts on the current version. A worker (Pagefind's search worker, a lab's simulator)
  // belongs to the version of the document that started it; so does everything either of them fetches.
  const cacheName = navigation ? CURRENT : (m.clients[event.clientId] ?? CURRENT);
  if (event.resultingClientId && (navigation || request.destination.endsWith('worker'))) {
    m.clients[event.resultingClientId] = cacheName;
    m.seen = { ...m.seen, [event.resultingClientId]: Date.now() };
    void saveMeta(m);
  }
  const cache = await caches.open(cacheName);
  const hit = await cache.match(keyFor(url, navigation));
  if (hit) return hit;
  if (navigation && !url.pathname.endsWith('/') && expected.has(`${url.origin}${url.pathname}/`)) {
    // Static hosts redirect a directory URL without its slash; so do we, so relative links keep working.
    return Response.redirect(`${url.origin}${url.pathname}/${url.search}`, 301);
  }
  try {
    return await fetch(request);
  } catch (err) {
    if (!navigation) throw err;
    const page = notFound[localeOf(url)] ?? notFound[''];
    const fallback = page ? await cache.match(new URL(page, scope).href) : undefined;
    if (!fallback) throw err;
    return new Response(fallback.body, { status: 404, headers: fallback.headers });
  }
}

let lastPrune = 0;

sw.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== scope.origin || !url.pathname.startsWith(base)) return;
  event.respondWith(respond(event, url));
  // While an older version's cache is still kept for some open page, look again now and then (at most
  // every 2 s, and only while the reader is using the site) whether that page has gone.
  if (meta && Date.now() - lastPrune > 2000 && Object.values(meta.clients).some((c) => c !== CURRENT)) {
    lastPrune = Date.now();
    event.waitUntil(prune(false));
  }
});
