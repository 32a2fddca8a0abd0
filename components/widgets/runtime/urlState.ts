// A widget's whole state in the page URL, so that a reload or a copied link lands on the same view.
//
// Format: the fragment holds `&`-separated `key=value` pairs, one per widget on the page (the key is
// the widget's id, so two widgets on one page never collide), and each value is base64url(UTF-8 JSON)
// of that widget's state. The fragment never reaches the server, so no cache or service worker sees a
// new URL, and a fragment without `=` (a heading anchor) is left alone.
//
// Everything read from a URL is hostile until checked: decodeState() never throws, and a validator
// turns the JSON into a typed state or a short reason; the widget shows the reason and its defaults.

import { type Lang, labels } from './i18n.ts';
import { hashValue, safeDecode } from './url-hash.ts';

export { hashValue };

/** Longest encoded state accepted (a close explorer state is under 100 characters). */
export const MAX_STATE_CHARS = 4096;

export type Problem =
  | { kind: 'length' }
  | { kind: 'encoding' }
  | { kind: 'json' }
  | { kind: 'shape' }
  | { kind: 'field'; field: string; expected: string };

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: Problem };

export function encodeState(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeState(text: string): Checked<unknown> {
  if (text.length > MAX_STATE_CHARS) return { ok: false, problem: { kind: 'length' } };
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return { ok: false, problem: { kind: 'encoding' } };
  let json: string;
  try {
    const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    json = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, problem: { kind: 'encoding' } };
  }
  try {
    return { ok: true, value: JSON.parse(json) as unknown };
  } catch {
    return { ok: false, problem: { kind: 'json' } };
  }
}

/** `hash` with `key` set to `value` (or removed when value is undefined), other parts kept in order. */
export function withHashValue(hash: string, key: string, value: string | undefined): string {
  const parts = hash
    .replace(/^#/, '')
    .split('&')
    .filter((p) => p !== '');
  const out: string[] = [];
  let done = false;
  for (const p of parts) {
    const eq = p.indexOf('=');
    if (eq > 0 && safeDecode(p.slice(0, eq)) === key) {
      if (value !== undefined && !done) out.push(`${encodeURIComponent(key)}=${value}`);
      done = true;
    } else out.push(p);
  }
  if (!done && value !== undefined) out.push(`${encodeURIComponent(key)}=${value}`);
  return out.length > 0 ? `#${out.join('&')}` : '';
}

export type ReadResult<T, P = Problem> =
  | { state: T; problem?: undefined }
  | { state?: undefined; problem: P }
  | null;

/** This widget's state in the current URL: null when it has none, else the checked state or a problem. */
export function readUrlState<T>(
  key: string,
  validate: (raw: unknown) => Checked<T>,
  hash: string = typeof location === 'undefined' ? '' : location.hash,
): ReadResult<T> {
  const raw = hashValue(hash, key);
  if (raw === undefined) return null;
  const decoded = decodeState(raw);
  if (!decoded.ok) return { problem: decoded.problem };
  let checked: Checked<T>;
  try {
    checked = validate(decoded.value);
  } catch {
    checked = { ok: false, problem: { kind: 'shape' } };
  }
  return checked.ok ? { state: checked.value } : { problem: checked.problem };
}

/** Replace this widget's part of the URL fragment without adding a history entry or scrolling. */
export function writeUrlState(key: string, value: unknown): void {
  if (typeof location === 'undefined' || typeof history === 'undefined') return;
  const hash = withHashValue(location.hash, key, value === undefined ? undefined : encodeState(value));
  const url = `${location.pathname}${location.search}${hash}`;
  try {
    history.replaceState(history.state, '', url);
  } catch {
    // Browsers rate-limit replaceState; losing one update only makes the link a little stale.
  }
}

/** The link to this page with the given widget state, for sharing. */
export function linkToState(key: string, value: unknown): string {
  if (typeof location === 'undefined') return '';
  return `${location.origin}${location.pathname}${location.search}${withHashValue(location.hash, key, encodeState(value))}`;
}

// ---------------------------------------------------------------------------------------------------
// Checks for validators

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A whole number in [min, max], or a problem naming the field. */
export function intField(
  v: unknown,
  field: string,
  min: number,
  max: number,
): { ok: true; value: number } | { ok: false; problem: Problem } {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max) return { ok: true, value: v };
  return { ok: false, problem: { kind: 'field', field, expected: `${min}…${max}` } };
}

export function describeProblem(p: Problem, lang: Lang): string {
  const P = labels(lang).problem;
  return p.kind === 'field' ? P.field(p.field, p.expected) : P[p.kind];
}

/** A widget's state read from the URL, its problem said in the page's language; null when absent. */
export type DescribedRead<T> = ReadResult<T, string>;

export function readDescribedState<T>(
  key: string,
  validate: (raw: unknown) => Checked<T>,
  lang: Lang,
): DescribedRead<T> {
  const read = readUrlState(key, validate);
  if (read === null) return null;
  return read.problem ? { problem: describeProblem(read.problem, lang) } : { state: read.state };
}
