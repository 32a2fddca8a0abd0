// The chapter labs as embeds: what a host page and embed.js need to know about each lab (its kind, the
// choices its attributes accept, its title), derived from components/labs/presets.ts, and where each
// lab lives in the guide (which chapter places it, under which URL key), found by scanning the MDX.
//
// embed.js validates attributes against LAB_META, so the embed bundle replaces this module with the
// computed JSON (src/integrations/embed-bundle.ts): the presets' labels and scenario files stay out.
import { LABS } from '../../components/labs/presets.ts';

export interface LabMeta {
  kind: 'scenario' | 'load';
  title: { en: string; 'zh-cn': string };
  /** Scenario labs: the variant keys, the one shown first. */
  variants?: string[];
  initial?: string;
  /** Load labs: the rates (connections per second), port-range sizes and pool sizes it offers. */
  rates?: number[];
  ranges?: number[];
  pools?: number[];
  rate?: number;
  range?: number;
  pool?: number;
}

export const LAB_META: Record<string, LabMeta> = Object.fromEntries(
  Object.entries(LABS).map(([name, p]): [string, LabMeta] => {
    const title = { en: p.title.en, 'zh-cn': p.title.zh };
    if (p.kind === 'load')
      return [
        name,
        {
          kind: 'load',
          title,
          rates: p.rates,
          ranges: p.ranges,
          pools: p.pools ?? [0],
          rate: p.rate,
          range: p.range,
          pool: p.pool ?? 0,
        },
      ];
    return [name, { kind: 'scenario', title, variants: p.variants.map((v) => v.key), initial: p.initial }];
  }),
);

export const LAB_NAMES: readonly string[] = Object.keys(LAB_META);

/** Where a lab lives on the site: the chapter (below the language prefix) and its key in the fragment. */
export interface LabPlace {
  chapter: string;
  /** The lab's `id` on that chapter: the key of its state in the chapter's URL fragment. */
  id: string;
}

const LAB_TAG = /<ScenarioLab\b[^>]*>/g;
const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

/** The labs an MDX body places, in order: [{ id, lab }]. */
export function labsInMdx(body: string): { id: string; lab: string }[] {
  const out: { id: string; lab: string }[] = [];
  for (const m of body.matchAll(LAB_TAG)) {
    const id = attr(m[0], 'id');
    const lab = attr(m[0], 'lab');
    if (id && lab) out.push({ id, lab });
  }
  return out;
}

const SECTIONS = ['understand', 'mitigate', 'reference'];

/**
 * Each lab's first place in the English chapters, in reading order (the sidebar's sections, then each
 * chapter's `sidebar.order`). `files` maps a path ending in `content/docs/<slug>.mdx` to its text.
 */
export function labPlaces(files: Record<string, string>): Record<string, LabPlace> {
  const chapters = Object.entries(files)
    .map(([path, text]) => {
      const slug = /content\/docs\/(.+)\.mdx?$/.exec(path.replace(/\\/g, '/'))?.[1];
      return { slug, text };
    })
    .filter((c): c is { slug: string; text: string } => !!c.slug && !c.slug.startsWith('zh-cn/'))
    .map((c) => {
      const section = SECTIONS.indexOf(c.slug.split('/')[0] ?? '');
      const order = Number(/^sidebar:\s*\{[^}]*order:\s*(\d+)/m.exec(c.text)?.[1] ?? 999);
      return { ...c, rank: [section < 0 ? SECTIONS.length : section, order] as const };
    })
    .sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1] || a.slug.localeCompare(b.slug));
  const places: Record<string, LabPlace> = {};
  for (const c of chapters) {
    const chapter = c.slug === 'index' ? '' : `${c.slug.replace(/\/index$/, '')}/`;
    for (const { id, lab } of labsInMdx(c.text)) places[lab] ??= { chapter, id };
  }
  return places;
}
