// Reading a scenario widget's state from the URL: the validators and the decoder. A widget imports
// this module only when the URL holds a state for it (./url-hash.ts hasHashValue) or when it writes one,
// so a page opened without a state in its URL does not load it.

import type { Lang } from './i18n.ts';
import {
  type DelayPair,
  type Interventions,
  interventionFields,
  MAX_DELAY,
  MAX_DELAYS,
  MAX_DROPS,
} from './interventions.ts';
import type { RunState } from './scenario-run.ts';
import { type Checked, type DescribedRead, intField, isRecord, readDescribedState } from './urlState.ts';

export { writeUrlState } from './urlState.ts';

/** Largest instant a URL may ask for: one day (runs are shorter; the instant is clamped to the run). */
export const MAX_T = 86_400_000_000;

/** Check `d` and `y` of a state read from a URL (absent = none). */
export function validateInterventions(raw: Record<string, unknown>): Checked<Interventions> {
  const d = raw.d ?? [];
  if (!Array.isArray(d) || d.length > MAX_DROPS)
    return { ok: false, problem: { kind: 'field', field: 'd', expected: `≤ ${MAX_DROPS} segment ids` } };
  const drops: number[] = [];
  for (const x of d) {
    const v = intField(x, 'd', 1, 1_000_000);
    if (!v.ok) return v;
    drops.push(v.value);
  }
  const y = raw.y ?? [];
  const shape = { kind: 'field' as const, field: 'y', expected: `≤ ${MAX_DELAYS} pairs [segment id, µs]` };
  if (!Array.isArray(y) || y.length > MAX_DELAYS) return { ok: false, problem: shape };
  const delays: DelayPair[] = [];
  for (const p of y) {
    if (!Array.isArray(p) || p.length !== 2) return { ok: false, problem: shape };
    const id = intField(p[0], 'y', 1, 1_000_000);
    if (!id.ok) return id;
    const by = intField(p[1], 'y', 1, MAX_DELAY);
    if (!by.ok) return by;
    delays.push([id.value, by.value]);
  }
  return { ok: true, value: { d: drops, y: delays } };
}

/** Check a URL state whose choice lives in `field` and must be one of `choices`. */
export function validateRunState<K extends string>(
  raw: unknown,
  field: string,
  choices: readonly K[],
): Checked<RunState<K>> {
  if (!isRecord(raw)) return { ok: false, problem: { kind: 'shape' } };
  const k = raw[field];
  if (typeof k !== 'string' || !(choices as readonly string[]).includes(k))
    return { ok: false, problem: { kind: 'field', field, expected: choices.join(' | ') } };
  const s = intField(raw.s, 's', 0, 0xffffffff);
  if (!s.ok) return s;
  const t = intField(raw.t, 't', 0, MAX_T);
  if (!t.ok) return t;
  const iv = validateInterventions(raw);
  if (!iv.ok) return iv;
  return { ok: true, value: { k: k as K, s: s.value, t: t.value, ...interventionFields(iv.value) } };
}

/** This widget's state in the URL: null when there is none, else the state or why it cannot be used. */
export function readRunState<K extends string>(
  id: string,
  field: string,
  choices: readonly K[],
  lang: Lang,
): DescribedRead<RunState<K>> {
  return readDescribedState(id, (raw) => validateRunState(raw, field, choices), lang);
}
