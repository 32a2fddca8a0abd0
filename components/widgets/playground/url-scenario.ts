// An edited scenario in the URL: `#pg=…&pgs=…`, where `pg` is the knob state (knobs/url-state.ts:
// the preset the edit started from, no knob values) and `pgs` is base64url(UTF-8 JSON) of the whole
// edited scenario. Links made before the editor existed have no `pgs` and mean what they meant; a
// link with `pgs` opened by an older page just shows the preset.
//
// A scenario is larger than a knob state (up to a few KB), so `pgs` has its own length limit. What
// arrives is untrusted: decodeScenarioState() checks the length, the encoding and that it is a JSON
// object, and never throws; the playground then checks it as it checks the editor's text (checkText),
// so an invalid scenario shows its problems in the editor and never runs.

import { hashValue, withHashValue } from '../runtime/urlState.ts';

export const SCENARIO_HASH_KEY = 'pgs';
/** Longest encoded scenario accepted (every scenario file, encoded, is well below this). */
export const MAX_SCENARIO_STATE = 48_000;

export type ScenarioState =
  | { ok: true; json: Record<string, unknown> }
  | { ok: false; reason: 'length' | 'encoding' | 'json' | 'shape' };

export function encodeScenarioState(json: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(json));
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeScenarioState(encoded: string): ScenarioState {
  if (encoded.length > MAX_SCENARIO_STATE) return { ok: false, reason: 'length' };
  if (!/^[A-Za-z0-9_-]*$/.test(encoded)) return { ok: false, reason: 'encoding' };
  let text: string;
  try {
    const bin = atob(encoded.replace(/-/g, '+').replace(/_/g, '/'));
    text = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  } catch {
    return { ok: false, reason: 'encoding' };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'json' };
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return { ok: false, reason: 'shape' };
  return { ok: true, json: json as Record<string, unknown> };
}

export function scenarioFromHash(hash: string): string | undefined {
  return hashValue(hash, SCENARIO_HASH_KEY);
}

export function hashWithScenario(hash: string, encoded: string | undefined): string {
  return withHashValue(hash, SCENARIO_HASH_KEY, encoded);
}
