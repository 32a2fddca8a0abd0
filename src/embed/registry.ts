// Every widget that can be embedded, with what a host page needs to know about it. Pure data and
// attribute parsing, no widget code, so the embed loader (embed.js) stays small and each widget's
// code loads only when its element is used.

import type { EmbedLang } from './protocol.ts';

export interface AttributeProblem {
  attribute: string;
  value: string;
  expected: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: AttributeProblem };

export interface EmbeddableWidget {
  /** URL segment and element suffix: `close-explorer` → `<tw-close-explorer>`. */
  name: string;
  title: Record<EmbedLang, string>;
  description: Record<EmbedLang, string>;
  /** Chapter that hosts the widget (the "open on the site" link goes there), below the language prefix. */
  chapter: string;
  /** Key of the widget's state in the chapter page's URL fragment. */
  stateKey: string;
  /** Height the iframe needs before the resize script (if any) adjusts it. */
  height: number;
  width: number;
  /** Attributes of the custom element besides lang and theme, with what each accepts. */
  attributes: Record<string, string>;
  /** Turn the element's attributes into the widget's state; undefined attributes keep defaults. */
  parse(attrs: Record<string, string | null>): Parsed<unknown>;
  /** The reverse: the attributes that reproduce a state (the state a widget's embed button reports). */
  toAttributes(state: unknown): Record<string, string>;
}

const bad = (attribute: string, value: string, expected: string): Parsed<never> => ({
  ok: false,
  problem: { attribute, value, expected },
});

/** "1.5s", "200ms", "750us", "2min" or a bare number of microseconds → integer µs. */
export function parseInstant(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s|min)?\s*$/.exec(text);
  if (!m) return undefined;
  const scale = { us: 1, µs: 1, ms: 1e3, s: 1e6, min: 60e6 }[(m[2] ?? 'us') as 'us'];
  const v = Math.round(Number(m[1]) * scale);
  return Number.isSafeInteger(v) && v <= 86_400_000_000 ? v : undefined;
}

const CLOSERS = ['client', 'server', 'both'] as const;

export const closeExplorer: EmbeddableWidget = {
  name: 'close-explorer',
  title: { en: 'Close explorer', 'zh-cn': '关闭过程探索器' },
  description: {
    en: 'Step through a TCP close, drop any segment and watch both state machines reach TIME_WAIT and CLOSED.',
    'zh-cn': '逐步观看一次 TCP 关闭，丢掉任意一个报文段，看两端的状态机如何走到 TIME_WAIT 和 CLOSED。',
  },
  chapter: 'understand/arises/',
  stateKey: 'close',
  height: 900,
  width: 720,
  attributes: {
    closer: 'client | server | both (who closes first; default client)',
    seed: "an integer from 0 to 4294967295 (default: the scenario's own)",
    t: 'the instant to show: 1.5s, 200ms, 750us (default: the moment TIME_WAIT starts)',
    drop: 'segment numbers dropped on purpose, comma-separated (e.g. 7)',
  },
  parse(attrs) {
    // Absent attributes stay absent: the widget fills in its own defaults (the scenario's seed, the
    // instant that makes its point).
    const state: { c?: string; s?: number; t?: number; d?: number[] } = {};
    const closer = attrs.closer;
    if (closer != null) {
      if (!(CLOSERS as readonly string[]).includes(closer)) return bad('closer', closer, CLOSERS.join(' | '));
      state.c = closer;
    }
    if (attrs.seed != null) {
      const s = Number(attrs.seed);
      if (!/^\d+$/.test(attrs.seed.trim()) || s > 0xffffffff)
        return bad('seed', attrs.seed, 'an integer from 0 to 4294967295');
      state.s = s;
    }
    if (attrs.t != null) {
      const t = parseInstant(attrs.t);
      if (t === undefined) return bad('t', attrs.t, 'a time such as 1.5s, 200ms or 750us, at most one day');
      state.t = t;
    }
    if (attrs.drop != null && attrs.drop.trim() !== '') {
      const parts = attrs.drop.split(',').map((p) => p.trim());
      if (parts.length > 16 || parts.some((p) => !/^\d{1,6}$/.test(p) || Number(p) < 1))
        return bad('drop', attrs.drop, 'up to 16 segment numbers (1, 2, …), comma-separated');
      state.d = parts.map(Number);
    }
    return { ok: true, value: state };
  },
  toAttributes(state) {
    const out: Record<string, string> = {};
    if (typeof state !== 'object' || state === null) return out;
    const { c, s, t, d } = state as Record<string, unknown>;
    if (typeof c === 'string') out.closer = c;
    if (typeof s === 'number') out.seed = String(s);
    if (typeof t === 'number') out.t = t % 1000 === 0 ? `${t / 1000}ms` : `${t}us`;
    if (Array.isArray(d) && d.length > 0) out.drop = d.join(',');
    return out;
  },
};

export const WIDGETS: readonly EmbeddableWidget[] = [closeExplorer];

export function widgetByName(name: string): EmbeddableWidget | undefined {
  return WIDGETS.find((w) => w.name === name);
}
