// Time for people and a compressed time axis.
//
// The simulator counts integer microseconds. A close takes a few milliseconds, TIME_WAIT lasts 60 s:
// shown to scale, the interesting part would be a hair-line and playing it would take a minute of
// idle waiting. The axis below gives every gap between two instants where something happens a length
// that grows with the logarithm of its duration, capped, so a 5 ms flight is visibly slanted, a 40 ms
// delayed ACK longer, and a 60 s TIME_WAIT only a little longer than a 1 s pause. The diagram, the
// scrubber and playback share it, so playing moves at a steady pace through the events.

import type { Lang } from './i18n.ts';

/** '750 µs', '5 ms', '1.105 s', '1 min 1.735 s' — the unit that fits. Both languages use SI symbols. */
export function formatTime(us: number, _lang: Lang = 'en'): string {
  if (!Number.isFinite(us)) return '—';
  const neg = us < 0 ? '−' : '';
  const a = Math.abs(Math.round(us));
  if (a < 1000) return `${neg}${a} µs`;
  if (a < 1_000_000) return `${neg}${trim(a / 1000)} ms`;
  // Up to two minutes in seconds: "60 s" is how TIME_WAIT's length is usually written.
  if (a < 120_000_000) return `${neg}${trim(a / 1_000_000)} s`;
  const min = Math.floor(a / 60_000_000);
  const rest = a - min * 60_000_000;
  return rest === 0 ? `${neg}${min} min` : `${neg}${min} min ${trim(rest / 1_000_000)} s`;
}

function trim(n: number): string {
  return String(Number(n.toFixed(3)));
}

/** Longest and shortest length a gap gets on the axis, in axis units (one unit is one SVG pixel). */
export const GAP_MAX = 64;
export const GAP_MIN = 10;
/** Gaps longer than this are drawn with a break mark and their real duration. */
export const COMPRESS_FROM = 150_000;

/** Length on the axis of a gap of `g` µs: log-scaled so that longer is always longer, but capped. */
export function gapUnits(g: number): number {
  if (g <= 0) return 0;
  return Math.min(GAP_MAX, GAP_MIN + 9 * Math.log2(1 + g / 1000));
}

export interface TimeAxis {
  /** Instants (µs), ascending, without repeats; the first is 0. */
  readonly keys: readonly number[];
  /** Position of each key on the axis. */
  readonly pos: readonly number[];
  /** Length of the whole axis. */
  readonly total: number;
  readonly end: number;
  toPos(t: number): number;
  toTime(p: number): number;
  /** Gaps drawn shorter than they are, for break marks: [from, to] in µs. */
  readonly compressed: readonly (readonly [number, number])[];
}

export function timeAxis(instants: readonly number[], end?: number): TimeAxis {
  const set = new Set<number>([0]);
  for (const t of instants) if (Number.isFinite(t) && t >= 0) set.add(Math.round(t));
  if (end !== undefined && Number.isFinite(end) && end >= 0) set.add(Math.round(end));
  const keys = [...set].sort((a, b) => a - b);
  const pos: number[] = [0];
  const compressed: [number, number][] = [];
  for (let i = 1; i < keys.length; i++) {
    const g = (keys[i] as number) - (keys[i - 1] as number);
    pos.push((pos[i - 1] as number) + gapUnits(g));
    if (g > COMPRESS_FROM) compressed.push([keys[i - 1] as number, keys[i] as number]);
  }
  const total = pos[pos.length - 1] as number;
  const last = keys[keys.length - 1] as number;
  const index = (arr: readonly number[], v: number) => {
    // last i with arr[i] <= v
    let lo = 0;
    let hi = arr.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((arr[mid] as number) <= v) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  return {
    keys,
    pos,
    total,
    end: last,
    compressed,
    toPos(t) {
      if (!(t > 0)) return 0;
      if (t >= last) return total;
      const i = index(keys, t);
      const k0 = keys[i] as number;
      const k1 = keys[i + 1] as number;
      const p0 = pos[i] as number;
      return p0 + (((pos[i + 1] as number) - p0) * (t - k0)) / (k1 - k0);
    },
    toTime(p) {
      if (!(p > 0)) return 0;
      if (p >= total) return last;
      const i = index(pos, p);
      const p0 = pos[i] as number;
      const p1 = pos[i + 1] as number;
      const k0 = keys[i] as number;
      return Math.round(k0 + (((keys[i + 1] as number) - k0) * (p - p0)) / (p1 - p0));
    },
  };
}
