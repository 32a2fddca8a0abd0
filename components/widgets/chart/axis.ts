// Axis ticks and labels: "nice" steps (1, 2, 5 × 10ⁿ) for counts, and a time axis whose unit fits the
// span (ms, s or min), so a 90 s run reads "0 s … 90 s" and a 2 min load "0 min … 2 min".

export type Lang = 'en' | 'zh-cn';

/** Up to about `target` tick values covering [lo, hi], at a 1/2/5 × 10ⁿ step. */
export function niceTicks(lo: number, hi: number, target = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0];
  if (hi <= lo) return [lo];
  const raw = (hi - lo) / Math.max(1, target);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
    ticks.push(Number(v.toPrecision(12)));
  }
  return ticks;
}

/** A tick's upper bound rounded up to a nice value, so the plot has headroom above the data. */
export function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const mag = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (v <= m * mag) return m * mag;
  return 10 * mag;
}

export interface TimeUnit {
  /** Microseconds per unit. */
  size: number;
  label: string;
}

/** The unit the time axis uses for a span of `spanMicros`. */
export function timeUnit(spanMicros: number): TimeUnit {
  if (spanMicros >= 180_000_000) return { size: 60_000_000, label: 'min' };
  if (spanMicros >= 2_000_000) return { size: 1_000_000, label: 's' };
  return { size: 1_000, label: 'ms' };
}

/** A count as people read it: 1,234 / 12.3k / 1.2M (the full value goes into the text alternative). */
export function formatCount(v: number, lang: Lang = 'en'): string {
  const abs = Math.abs(v);
  if (lang === 'zh-cn' && abs >= 10_000) {
    // 万 (10⁴) is how Chinese groups large numbers.
    return `${trim(v / 10_000)}万`;
  }
  if (abs >= 1_000_000) return `${trim(v / 1_000_000)}M`;
  if (abs >= 10_000) return `${trim(v / 1_000)}k`;
  return Math.round(v).toLocaleString('en-US');
}

function trim(v: number): string {
  return v.toFixed(1).replace(/\.0$/, '');
}

/** A full count with digit grouping, for tables and the text alternative. */
export function formatExact(v: number): string {
  return Math.round(v).toLocaleString('en-US');
}

/** A time value in the given unit with up to two decimals ("1.5", "60"). */
export function formatTime(micros: number, unit: TimeUnit): string {
  return Number((micros / unit.size).toFixed(2)).toString();
}
