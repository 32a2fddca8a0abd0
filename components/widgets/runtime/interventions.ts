// What a reader did to a run on purpose: segments dropped and segments held back (delayed) on the
// wire, by segment id. Both become targeted faults of the scenario (SegmentMatch.id), and the run is
// replayed from the start: the simulator is deterministic, so everything before the chosen segment
// is unchanged and only its future is rewritten.
//
// In a widget's URL state they are `d` (ids dropped) and `y` (pairs [id, µs of extra delay]); `y` is
// written only when there is a delay, so links made before delays existed still read the same. Their
// validation lives with the rest of the URL reading, in ./scenario-url.ts (loaded only when needed).

import type { Run } from './run.ts';

/** [segment id, extra one-way delay in µs]. */
export type DelayPair = [number, number];

export interface Interventions {
  d: number[];
  y: DelayPair[];
}

export const NONE: Interventions = { d: [], y: [] };

/** At most this many of each in a URL (a real lesson needs one or two). */
export const MAX_DROPS = 16;
export const MAX_DELAYS = 16;
/** Longest hold offered or accepted: 10 minutes, past any TIME_WAIT (a longer one only ends the run). */
export const MAX_DELAY = 600_000_000;
/**
 * The holds a reader can pick: a little (reordering), about one RTO, then past 60 s TIME_WAIT and
 * past 2 minutes (RFC 9293's suggested MSL), where an old duplicate meets the next incarnation.
 */
export const DELAY_CHOICES: readonly number[] = [200_000, 1_000_000, 5_000_000, 70_000_000, 130_000_000];

/** The URL form: `y` only when something is delayed. */
export function interventionFields(iv: Interventions): { d: number[]; y?: DelayPair[] } {
  return iv.y.length > 0 ? { d: iv.d, y: iv.y } : { d: iv.d };
}

export function isEmpty(iv: Interventions): boolean {
  return iv.d.length === 0 && iv.y.length === 0;
}

/** A stable string for memo dependencies (a new object with the same content must not re-run). */
export function interventionKey(iv: Interventions): string {
  return `${iv.d.join(',')}|${iv.y.map((p) => p.join(':')).join(',')}`;
}

/**
 * Drop segment `id` (when `by` is undefined) or hold it back `by` µs, replacing whatever was done to
 * it before and forgetting what was done to segments sent after it: those ids named segments of a
 * future that this change rewrites, so keeping them would hit unrelated segments.
 */
export function intervene(run: Run, iv: Interventions, id: number, by?: number): Interventions {
  const sentAt = run.seq.arrows.find((a) => a.seg === id)?.sentAt;
  if (sentAt === undefined) return iv;
  const earlier = (x: number) => {
    const a = run.seq.arrows.find((s) => s.seg === x);
    return a !== undefined && a.sentAt <= sentAt && x !== id;
  };
  const d = iv.d.filter(earlier);
  const y = iv.y.filter((p) => earlier(p[0]));
  if (by === undefined) d.push(id);
  else y.push([id, Math.min(MAX_DELAY, Math.max(1, Math.round(by)))]);
  return { d: d.sort((a, b) => a - b), y: y.sort((a, b) => a[0] - b[0]) };
}
