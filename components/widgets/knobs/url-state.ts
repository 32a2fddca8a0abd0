// The playground's state in the URL: `#pg=` followed by base64url(JSON {v: 1, p: preset, k: {knob: value}})
// (the fragment format of the widget runtime, components/widgets/runtime/urlState.ts, under key "pg")
// holding only the knobs that differ from the preset. It survives a reload and a copy-paste. Whatever
// arrives there is untrusted: decodeState() checks the length, the encoding, the JSON, the preset name
// and every knob value against that knob's range, and on any problem returns a short message (never
// echoing the input) so the page falls back to the defaults.

import {
  decodeState as decodeBytes,
  encodeState as encodeBytes,
  hashValue,
  withHashValue,
} from '../runtime/urlState.ts';
import { checkKnobValue, type Knob, type KnobValue, type Text } from './spec.ts';

export const HASH_KEY = 'pg';
/** Longer states are refused before decoding (the longest real one, every knob changed, is < 1 KB). */
export const MAX_STATE_LENGTH = 4096;

export interface PlaygroundState {
  preset: string;
  values: Record<string, KnobValue>;
}

export type Decoded = { ok: true; state: PlaygroundState } | { ok: false; error: Text };

/** The encoded state for the URL (W1's runtime encoding: base64url of UTF-8 JSON). */
export function encodeState(state: PlaygroundState): string {
  return encodeBytes({ v: 1, p: state.preset, k: state.values });
}

/** The encoded state in a location hash ('#pg=…&other=…'), or undefined when there is none. */
export function stateFromHash(hash: string): string | undefined {
  return hashValue(hash, HASH_KEY);
}

/** The hash with our state replaced (other widgets' keys on the page are kept). */
export function hashWithState(hash: string, encoded: string | undefined): string {
  return withHashValue(hash, HASH_KEY, encoded);
}

const fail = (en: string, zh: string): Decoded => ({ ok: false, error: { en, 'zh-cn': zh } });

/**
 * Decode and check a state. `knobsOf(preset)` returns the knobs of a known preset, or undefined for a
 * name that is not one.
 */
export function decodeState(
  encoded: string,
  knobsOf: (preset: string) => readonly Knob[] | undefined,
): Decoded {
  if (encoded.length > MAX_STATE_LENGTH)
    return fail('The state in the link is too long.', '链接中的状态过长。');
  const decoded = decodeBytes(encoded);
  if (!decoded.ok)
    return decoded.problem.kind === 'json'
      ? fail('The state in the link is not valid JSON.', '链接中的状态不是有效的 JSON。')
      : fail('The state in the link is not valid base64url.', '链接中的状态不是有效的 base64url 编码。');
  const json = decoded.value;
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    return fail('The state in the link is not an object.', '链接中的状态不是对象。');
  const o = json as Record<string, unknown>;
  if (o.v !== 1) return fail('The state in the link has an unknown version.', '链接中的状态版本未知。');
  if (typeof o.p !== 'string')
    return fail('The state in the link names no preset.', '链接中的状态没有指定预设。');
  const knobs = knobsOf(o.p);
  if (knobs === undefined)
    return fail('The link names a preset that does not exist.', '链接指定的预设不存在。');
  const values: Record<string, KnobValue> = {};
  if (o.k !== undefined) {
    if (o.k === null || typeof o.k !== 'object' || Array.isArray(o.k))
      return fail('The knob values in the link are not an object.', '链接中的参数值不是对象。');
    for (const [id, raw] of Object.entries(o.k as Record<string, unknown>)) {
      const knob = knobs.find((k) => k.id === id);
      if (knob === undefined)
        return fail('The link sets a knob this preset does not have.', '链接设置了该预设没有的参数。');
      const checked = checkKnobValue(knob, raw);
      if (!checked.ok)
        return {
          ok: false,
          error: {
            en: `The link's value for “${knob.label.en}” is invalid: ${checked.error.en}.`,
            'zh-cn': `链接中“${knob.label['zh-cn']}”的值无效：${checked.error['zh-cn']}。`,
          },
        };
      values[id] = checked.value;
    }
  }
  return { ok: true, state: { preset: o.p, values } };
}
