// The page URL a widget sees inside a custom element. The labs and the playground keep their state in
// `location.hash` and write it with `history.replaceState` (components/widgets/runtime/urlState.ts);
// inside someone else's blog that would read and rewrite the host's address. The embed bundle
// (src/integrations/embed-bundle.ts) therefore builds those widgets with `location` and `history`
// bound to this module (esbuild `inject`): one virtual fragment per widget file, in which each element
// keeps its state under a key of its own, and which the element reads for its "open on the site" link.
// Only the bare globals are replaced: embed code that needs the real page writes `window.location`.

let fragment = '';
let base = 'https://embed.invalid/';
const listeners = new Set<() => void>();

export const virtualPage = {
  hash: () => fragment,
  setHash(hash: string): void {
    fragment = hash === '' || hash.startsWith('#') ? hash : `#${hash}`;
    for (const f of listeners) f();
  },
  /** Where the widget's own "copy link" points (the chapter on the site). */
  setBase(url: string): void {
    base = url;
  },
  subscribe(f: () => void): () => void {
    listeners.add(f);
    return () => listeners.delete(f);
  },
};

const url = () => new URL(base);

export const location = {
  get hash() {
    return fragment;
  },
  get href() {
    return `${base.replace(/#.*$/, '')}${fragment}`;
  },
  get origin() {
    return url().origin;
  },
  get pathname() {
    return url().pathname;
  },
  get search() {
    return url().search;
  },
};

function write(_state: unknown, _title: string, to?: string | URL | null): void {
  if (to == null) return;
  virtualPage.setHash(new URL(String(to), base).hash);
}

export const history = { state: null, replaceState: write, pushState: write };
