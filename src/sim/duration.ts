// Durations as a person writes them in a scenario, and back again for views.
//
// The simulator counts integer microseconds (types.ts `Micros`). People write '200ms', '1.5s', '2min';
// a bare number means milliseconds, the unit sysctls such as tcp_tw_reuse_delay use.

import type { Micros } from './types.ts';

const UNIT_MICROS: Record<string, number> = {
  us: 1,
  µs: 1,
  ms: 1_000,
  s: 1_000_000,
  sec: 1_000_000,
  min: 60_000_000,
  h: 3_600_000_000,
};

/** The pattern a duration string must match; also exported into the JSON Schema. */
export const DURATION_PATTERN = '^\\s*\\d+(\\.\\d+)?\\s*(us|µs|ms|s|sec|min|h)\\s*$';
const DURATION_RE = new RegExp(DURATION_PATTERN);

/** A human-readable description used in error messages. */
export const DURATION_HINT =
  'a duration like "500us", "200ms", "1.5s", "2min", "1h" or a number of milliseconds';

/**
 * Parse a duration into integer microseconds, or return an error text (never throws).
 * Fractions are allowed as long as they land on a whole microsecond ('1.5s', '0.5ms'; not '0.5us').
 */
export function parseDurationResult(
  input: unknown,
): { ok: true; value: Micros } | { ok: false; error: string } {
  let micros: number;
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) return { ok: false, error: `expected ${DURATION_HINT}` };
    micros = input * 1_000;
  } else if (typeof input === 'string') {
    const m = DURATION_RE.exec(input);
    if (!m) return { ok: false, error: `expected ${DURATION_HINT}` };
    const unit = m[2] as string;
    const num = input
      .trim()
      .slice(0, input.trim().length - unit.length)
      .trim();
    micros = decimalTimes(num, UNIT_MICROS[unit] as number);
  } else {
    return { ok: false, error: `expected ${DURATION_HINT}` };
  }
  // Decimal arithmetic on floats: round away the noise of 1.1 * 1e6, then insist on a whole µs.
  const rounded = Math.round(micros);
  if (Math.abs(micros - rounded) > 1e-6)
    return { ok: false, error: 'expected a whole number of microseconds' };
  if (!Number.isSafeInteger(rounded)) return { ok: false, error: 'duration too large' };
  return { ok: true, value: rounded };
}

/** Parse a duration into integer microseconds; throws RangeError on a malformed one. */
export function parseDuration(input: unknown): Micros {
  const r = parseDurationResult(input);
  if (!r.ok) throw new RangeError(`${r.error}, got ${JSON.stringify(input)}`);
  return r.value;
}

/** `num` (a decimal string) times an integer unit, exact for up to 6 fractional digits. */
function decimalTimes(num: string, unit: number): number {
  const [whole = '0', frac = ''] = num.split('.');
  const fracValue = frac === '' ? 0 : (Number(frac) * unit) / 10 ** frac.length;
  return Number(whole) * unit + fracValue;
}

const FORMAT_UNITS: [string, number][] = [
  ['min', 60_000_000],
  ['s', 1_000_000],
  ['ms', 1_000],
  ['µs', 1],
];

/**
 * Format microseconds with the largest unit that fits (µs up to minutes) and at most three decimals,
 * exact so that parseDuration(formatDuration(x)) === x: 1500000 → '1.5s', 90000000 → '1.5min',
 * 200 → '200µs', 1234567 → '1234.567ms'.
 */
export function formatDuration(micros: Micros): string {
  if (micros === 0) return '0s';
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(micros);
  for (const [unit, size] of FORMAT_UNITS) {
    if (abs < size) continue;
    const thousandths = (abs * 1000) / size;
    if (Number.isInteger(thousandths)) return sign + trimDecimals(abs / size) + unit;
  }
  return `${sign}${abs}µs`;
}

function trimDecimals(v: number): string {
  return v
    .toFixed(3)
    .replace(/\.?0+$/, '')
    .replace(/^$/, '0');
}

// formatSeconds is in ./seconds.ts, so the pages that print tcpdump times do not carry this parser.
export { formatSeconds } from './seconds.ts';
