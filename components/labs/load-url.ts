// A load lab's state in the URL: its validator and reader, loaded by LoadLab only when the URL holds
// a state for it, so a chapter page opened without one does not carry the URL decoder.

import type { Lang } from '../widgets/runtime/i18n.ts';
import {
  type Checked,
  type DescribedRead,
  isRecord,
  readDescribedState,
} from '../widgets/runtime/urlState.ts';
import type { LoadState } from './LoadLab.tsx';

export function validateLoadState(
  raw: unknown,
  rates: readonly number[],
  ranges: readonly number[],
  pools: readonly number[] = [0],
): Checked<LoadState> {
  if (!isRecord(raw)) return { ok: false, problem: { kind: 'shape' } };
  if (typeof raw.r !== 'number' || !rates.includes(raw.r))
    return { ok: false, problem: { kind: 'field', field: 'r', expected: rates.join(' | ') } };
  if (typeof raw.p !== 'number' || !ranges.includes(raw.p))
    return { ok: false, problem: { kind: 'field', field: 'p', expected: ranges.join(' | ') } };
  const k = raw.k ?? 0;
  if (typeof k !== 'number' || !pools.includes(k))
    return { ok: false, problem: { kind: 'field', field: 'k', expected: pools.join(' | ') } };
  return { ok: true, value: { r: raw.r, p: raw.p, k } };
}

/** This lab's state in the URL: null when there is none, else the state or why it cannot be used. */
export function readLoadState(
  id: string,
  rates: readonly number[],
  ranges: readonly number[],
  pools: readonly number[],
  lang: Lang,
): DescribedRead<LoadState> {
  return readDescribedState(id, (raw) => validateLoadState(raw, rates, ranges, pools), lang);
}
