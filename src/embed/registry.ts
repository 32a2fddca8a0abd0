// Every widget that can be embedded, with what a host page needs to know about it. Pure data and
// attribute parsing, no widget code, so the embed loader (embed.js) stays small and each widget's
// code loads only when its element is used.

import { LAB_META, LAB_NAMES, type LabMeta } from './labs.ts';
import { PLAYGROUND_DEFAULT, PLAYGROUND_PRESETS } from './playground-meta.ts';
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
  /**
   * Widgets with several experiments (the chapter labs): the attribute that names one, the names it
   * accepts, and which one a parsed state is. Each has its own iframe page, image and oEmbed response
   * (src/embed/protocol.ts); `chapter` and `stateKey` above are then only fallbacks (see src/embed/labs.ts).
   */
  instances?: { attribute: string; names: readonly string[]; of(state: unknown): string | undefined };
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

function parseSeed(value: string): number | undefined {
  const s = Number(value);
  return /^\s*\d+\s*$/.test(value) && s <= 0xffffffff ? s : undefined;
}

/** The playground's seed knob's range (components/widgets/knobs/scenario-knobs.ts, knob "seed"). */
const PLAYGROUND_MAX_SEED = 999_999;

/** The playground's state: `{ p: preset, k: { seed } }` (components/widgets/knobs/url-state.ts, v 1). */
export const playground: EmbeddableWidget = {
  name: 'playground',
  title: { en: 'Playground', 'zh-cn': '实验场' },
  description: {
    en: 'Every knob of the simulator: start from any scenario, change hosts, sysctls, load and faults, and read the counters, the connect() log and the sequence diagram.',
    'zh-cn':
      '模拟器的全部参数：从任意场景出发，修改主机、sysctl、负载和故障，查看计数器、connect() 日志和时序图。',
  },
  chapter: 'playground/',
  stateKey: 'pg',
  height: 1400,
  width: 760,
  attributes: {
    preset: `the scenario to start from (default ${PLAYGROUND_DEFAULT}): ${PLAYGROUND_PRESETS.join(', ')}`,
    seed: 'an integer from 0 to 999999 (the playground’s seed knob; default: the preset’s own)',
  },
  parse(attrs) {
    const state: { p?: string; seed?: number } = {};
    if (attrs.preset != null) {
      if (!PLAYGROUND_PRESETS.includes(attrs.preset))
        return bad('preset', attrs.preset, PLAYGROUND_PRESETS.join(' | '));
      state.p = attrs.preset;
    }
    if (attrs.seed != null) {
      const s = parseSeed(attrs.seed);
      if (s === undefined || s > PLAYGROUND_MAX_SEED)
        return bad('seed', attrs.seed, 'an integer from 0 to 999999');
      state.seed = s;
    }
    return { ok: true, value: state };
  },
  toAttributes(state) {
    const out: Record<string, string> = {};
    if (typeof state !== 'object' || state === null) return out;
    // The parsed state ({ p, seed }), the URL's ({ v: 1, p, k }) or the playground's own ({ preset, values }).
    const o = state as Record<string, unknown>;
    const preset = typeof o.p === 'string' ? o.p : typeof o.preset === 'string' ? o.preset : undefined;
    const knobs = (
      typeof o.k === 'object' && o.k ? o.k : typeof o.values === 'object' && o.values ? o.values : {}
    ) as Record<string, unknown>;
    const seed = typeof o.seed === 'number' ? o.seed : knobs.seed;
    if (preset !== undefined && PLAYGROUND_PRESETS.includes(preset)) out.preset = preset;
    if (typeof seed === 'number' && Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)
      out.seed = String(seed);
    return out;
  },
};

/** A lab's state: which lab, then the chapter's lab state (ScenarioLab: v s t d; LoadLab: r p k) in part. */
export interface LabEmbedState {
  lab: string;
  v?: string;
  s?: number;
  t?: number;
  d?: number[];
  r?: number;
  p?: number;
  k?: number;
}

function parseDrops(value: string): number[] | undefined {
  const parts = value.split(',').map((p) => p.trim());
  if (parts.length > 16 || parts.some((p) => !/^\d{1,6}$/.test(p) || Number(p) < 1)) return undefined;
  return parts.map(Number);
}

function choice(meta: LabMeta, list: number[] | undefined, attribute: string, value: string): Parsed<number> {
  const n = Number(value);
  if (!list || !/^\s*\d+\s*$/.test(value) || !list.includes(n))
    return bad(
      attribute,
      value,
      list ? `${list.join(' | ')} for this lab` : `nothing: a ${meta.kind} lab has no ${attribute}`,
    );
  return { ok: true, value: n };
}

export const lab: EmbeddableWidget = {
  name: 'lab',
  title: { en: 'Chapter lab', 'zh-cn': '章节实验' },
  description: {
    en: 'Any lab of the chapters: the before and after of one knob, with the sequence diagram, the state machines, the ss tables and the counters.',
    'zh-cn': '各章节里的任意一个实验：同一个参数改动前后的对照，带时序图、状态机、ss 表格和计数器。',
  },
  chapter: '',
  stateKey: 'lab',
  height: 1100,
  width: 760,
  attributes: {
    lab: `which lab: ${LAB_NAMES.join(', ')}`,
    variant: 'scenario labs: the variant to open on (its key, e.g. tw or none; default the chapter’s)',
    seed: 'scenario labs: an integer from 0 to 4294967295',
    t: 'scenario labs: the instant to show, e.g. 1.5s or 200ms',
    drop: 'scenario labs: segment numbers dropped on purpose, comma-separated',
    rate: 'load labs: connections per second, one of the lab’s rates',
    ports: 'load labs: size of the client’s port range, one of the lab’s ranges',
    pool: 'load labs: 0 (one connection per request) or the lab’s pool size',
  },
  instances: {
    attribute: 'lab',
    names: LAB_NAMES,
    of: (state) =>
      typeof state === 'object' && state !== null && typeof (state as LabEmbedState).lab === 'string'
        ? (state as LabEmbedState).lab
        : undefined,
  },
  parse(attrs) {
    const name = attrs.lab;
    if (name == null || name.trim() === '')
      return bad('lab', name ?? '', `the name of a lab: ${LAB_NAMES.join(', ')}`);
    const meta = LAB_META[name.trim()];
    if (!meta) return bad('lab', name, `the name of a lab: ${LAB_NAMES.join(', ')}`);
    const state: LabEmbedState = { lab: name.trim() };
    const scenarioOnly = ['variant', 'seed', 't', 'drop'];
    const loadOnly = ['rate', 'ports', 'pool'];
    for (const a of meta.kind === 'load' ? scenarioOnly : loadOnly)
      if (attrs[a] != null)
        return bad(
          a,
          attrs[a] ?? '',
          `nothing: “${name}” is a ${meta.kind} lab (${(meta.kind === 'load' ? loadOnly : scenarioOnly).join(', ')})`,
        );
    if (meta.kind === 'scenario') {
      if (attrs.variant != null) {
        if (!meta.variants?.includes(attrs.variant))
          return bad('variant', attrs.variant, `${meta.variants?.join(' | ')} for this lab`);
        state.v = attrs.variant;
      }
      if (attrs.seed != null) {
        const s = parseSeed(attrs.seed);
        if (s === undefined) return bad('seed', attrs.seed, 'an integer from 0 to 4294967295');
        state.s = s;
      }
      if (attrs.t != null) {
        const t = parseInstant(attrs.t);
        if (t === undefined) return bad('t', attrs.t, 'a time such as 1.5s, 200ms or 750us, at most one day');
        state.t = t;
      }
      if (attrs.drop != null && attrs.drop.trim() !== '') {
        const d = parseDrops(attrs.drop);
        if (!d) return bad('drop', attrs.drop, 'up to 16 segment numbers (1, 2, …), comma-separated');
        state.d = d;
      }
    } else {
      for (const [a, key, list] of [
        ['rate', 'r', meta.rates],
        ['ports', 'p', meta.ranges],
        ['pool', 'k', meta.pools],
      ] as const) {
        const v = attrs[a];
        if (v == null) continue;
        const c = choice(meta, list, a, v);
        if (!c.ok) return c;
        state[key] = c.value;
      }
    }
    return { ok: true, value: state };
  },
  toAttributes(state) {
    const out: Record<string, string> = {};
    if (typeof state !== 'object' || state === null) return out;
    const o = state as Record<string, unknown>;
    if (typeof o.lab !== 'string') return out;
    out.lab = o.lab;
    if (typeof o.v === 'string') out.variant = o.v;
    if (typeof o.s === 'number') out.seed = String(o.s);
    if (typeof o.t === 'number') out.t = o.t % 1000 === 0 ? `${o.t / 1000}ms` : `${o.t}us`;
    if (Array.isArray(o.d) && o.d.length > 0) out.drop = o.d.join(',');
    if (typeof o.r === 'number') out.rate = String(o.r);
    if (typeof o.p === 'number') out.ports = String(o.p);
    if (typeof o.k === 'number') out.pool = String(o.k);
    return out;
  },
};

export const WIDGETS: readonly EmbeddableWidget[] = [closeExplorer, playground, lab];

export function widgetByName(name: string): EmbeddableWidget | undefined {
  return WIDGETS.find((w) => w.name === name);
}
