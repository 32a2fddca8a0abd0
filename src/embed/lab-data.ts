// Build-time only (Vite: import.meta.glob): everything a lab's embed needs to run, prepared the way
// components/labs/ScenarioLab.astro prepares a chapter's lab (scenarios parsed, each variant's knob
// applied, a load lab's first run made), in both languages. Served as embed/v1/lab/<lab>.js for the
// custom element (pages/embed/v1/lab/[lab].js.ts), so the element ships neither the parser nor the
// presets; also gives each variant's opening state to the configurator and the first-frame images.

import { runLoad } from '../../components/labs/load.ts';
import type { LoadResult } from '../../components/labs/load-view.ts';
import { LABS, type VariantSpec } from '../../components/labs/presets.ts';
import { instantOf, type LabVariant } from '../../components/labs/ScenarioLab.tsx';
import { runScenario } from '../../components/widgets/runtime/run.ts';
import { parseScenario } from '../sim/scenario.ts';
import type { Scenario } from '../sim/types.ts';

type Text2 = { en: string; 'zh-cn': string };

export interface ScenarioLabData {
  kind: 'scenario';
  name: string;
  title: Text2;
  legend: Text2;
  variants: { key: string; label: Text2; scenario: Scenario }[];
  initial: string;
  at: 'last' | 'end' | number;
  bytes: boolean;
  counters: boolean;
  /** Each variant's opening state (the seed of its scenario, the instant that makes its point). */
  defaults: Record<string, { s: number; t: number }>;
}

export interface LoadLabData {
  kind: 'load';
  name: string;
  title: Text2;
  scenario: Scenario;
  rates: number[];
  ranges: number[];
  rate: number;
  range: number;
  pools: number[];
  pool: number;
  little: boolean;
  initialResult: LoadResult;
}

export type LabData = ScenarioLabData | LoadLabData;

const files = {
  ...import.meta.glob<unknown>('../sim/scenarios/*.json', { eager: true, import: 'default' }),
  ...import.meta.glob<unknown>('../../components/labs/scenarios/*.json', { eager: true, import: 'default' }),
};

function load(lab: string, file: string): Scenario {
  const path = file.startsWith('labs:')
    ? `../../components/labs/scenarios/${file.slice(5)}.json`
    : `../sim/scenarios/${file}.json`;
  const json = files[path];
  if (json === undefined) throw new Error(`lab "${lab}": no scenario file ${path}`);
  // What the simulator runs, not what the tests check (as ScenarioLab.astro does).
  const { expect: _e, snapshots: _s, title: _t, description: _d, ...rest } = parseScenario(json, path);
  return { ...rest, expect: [], snapshots: [] };
}

function variant(lab: string, v: VariantSpec): Scenario {
  const base = load(lab, v.file);
  const hosts = { ...base.hosts };
  for (const [host, values] of Object.entries(v.sysctl ?? {})) {
    const h = hosts[host];
    if (h === undefined) throw new Error(`lab "${lab}" variant "${v.key}": no host "${host}" in ${v.file}`);
    hosts[host] = { ...h, sysctl: { ...h.sysctl, ...values } };
  }
  return {
    ...base,
    hosts,
    ...(v.profile ? { profile: v.profile } : {}),
    ...(v.until ? { until: v.until } : {}),
  };
}

const text = (t: { en: string; zh: string }): Text2 => ({ en: t.en, 'zh-cn': t.zh });
const cache = new Map<string, LabData>();

export function labData(name: string): LabData {
  const hit = cache.get(name);
  if (hit) return hit;
  const p = LABS[name];
  if (!p) throw new Error(`no lab named "${name}" in components/labs/presets.ts`);
  let out: LabData;
  if (p.kind === 'load') {
    const scenario = load(name, `labs:${p.file}`);
    out = {
      kind: 'load',
      name,
      title: text(p.title),
      scenario,
      rates: p.rates,
      ranges: p.ranges,
      rate: p.rate,
      range: p.range,
      pools: p.pools ?? [0],
      pool: p.pool ?? 0,
      little: p.little,
      initialResult: runLoad(scenario, p.rate, p.range, p.pool ?? 0),
    };
  } else {
    const at = p.at ?? 'last';
    const variants = p.variants.map((v) => ({
      key: v.key,
      label: text(v.label),
      scenario: variant(name, v),
    }));
    const defaults: Record<string, { s: number; t: number }> = {};
    for (const v of variants)
      defaults[v.key] = {
        s: v.scenario.seed,
        t: instantOf(runScenario(v.scenario, { seed: v.scenario.seed }), at),
      };
    out = {
      kind: 'scenario',
      name,
      title: text(p.title),
      legend: text(p.legend),
      variants,
      initial: p.initial,
      at,
      bytes: p.bytes ?? false,
      counters: p.counters ?? false,
      defaults,
    };
  }
  cache.set(name, out);
  return out;
}

/** The variants in one language, as ScenarioLab takes them. */
export function variantsIn(data: ScenarioLabData, lang: 'en' | 'zh-cn'): LabVariant[] {
  return data.variants.map((v) => ({ key: v.key, label: v.label[lang], scenario: v.scenario }));
}
