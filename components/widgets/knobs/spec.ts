// What a knob is: a control bound to one field of a scenario's JSON (by path) with a kind (number,
// toggle, select), a unit, a valid range and labels in both languages. The Knobs component renders
// them; checkKnobValue() is the one gate every value passes (typed input, slider, URL state), so an
// invalid value can never reach the scenario.

export type Lang = 'en' | 'zh-cn';
export interface Text {
  en: string;
  'zh-cn': string;
}

/** A scenario as a person writes it (src/sim/scenarios/*.json), after the playground normalised it. */
export type ScenarioJson = Record<string, unknown>;
export type KnobValue = number | boolean | string;
export type Path = readonly (string | number)[];

interface KnobBase {
  /** Stable identifier: the URL state and the DOM ids use it. */
  id: string;
  /** Which fieldset the knob appears in. */
  group: string;
  label: Text;
  help?: Text;
  /** JSON path of the bound field (shown in messages; also how get/set default). */
  path: Path;
}

export interface NumberKnob extends KnobBase {
  kind: 'number';
  min: number;
  max: number;
  step: number;
  /** Unit shown after the value (also part of the accessible description). */
  unit?: Text;
  /** The slider moves on a logarithmic scale (rates, buffer sizes spanning decades). */
  log?: boolean;
  get(s: ScenarioJson): number;
  set(s: ScenarioJson, v: number): void;
}

export interface ToggleKnob extends KnobBase {
  kind: 'toggle';
  get(s: ScenarioJson): boolean;
  set(s: ScenarioJson, v: boolean): void;
}

export interface SelectKnob extends KnobBase {
  kind: 'select';
  options: { value: string; label: Text }[];
  get(s: ScenarioJson): string;
  set(s: ScenarioJson, v: string): void;
}

export type Knob = NumberKnob | ToggleKnob | SelectKnob;

export type Checked = { ok: true; value: KnobValue } | { ok: false; error: Text };

function decimals(step: number): number {
  const s = String(step);
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

/** Format a number knob's value at its step's precision (no float noise like 0.30000000000000004). */
export function formatKnobNumber(k: NumberKnob, v: number): string {
  return v.toFixed(decimals(k.step));
}

/** The valid range as text, e.g. "1–20,000 /s" (shown next to the control and read by screen readers). */
export function rangeText(k: NumberKnob, lang: Lang): string {
  const unit = k.unit ? ` ${k.unit[lang]}` : '';
  // Digit grouping only for big numbers: ports and milliseconds read better plain (1024–65535).
  const f = (v: number) =>
    v.toLocaleString('en-US', { maximumFractionDigits: decimals(k.step), useGrouping: k.max >= 100_000 });
  return `${f(k.min)}–${f(k.max)}${unit}`;
}

/**
 * Check a value for a knob: the right type, inside the range, on the step grid. Strings are parsed
 * for number knobs (what a person types); anything else of the wrong type is refused.
 */
export function checkKnobValue(k: Knob, raw: unknown): Checked {
  if (k.kind === 'toggle') {
    if (typeof raw === 'boolean') return { ok: true, value: raw };
    return { ok: false, error: { en: 'expected on or off', 'zh-cn': '应为开或关' } };
  }
  if (k.kind === 'select') {
    if (typeof raw === 'string' && k.options.some((o) => o.value === raw)) return { ok: true, value: raw };
    const list = k.options.map((o) => o.value).join(', ');
    return { ok: false, error: { en: `expected one of ${list}`, 'zh-cn': `应为以下之一：${list}` } };
  }
  const range = { en: rangeText(k, 'en'), 'zh-cn': rangeText(k, 'zh-cn') };
  const outOfRange: Checked = {
    ok: false,
    error: { en: `expected a number from ${range.en}`, 'zh-cn': `应为 ${range['zh-cn']} 之间的数` },
  };
  let v: number;
  if (typeof raw === 'number') v = raw;
  else if (typeof raw === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(raw) && raw.length <= 24) v = Number(raw);
  else return outOfRange;
  if (!Number.isFinite(v) || v < k.min || v > k.max) return outOfRange;
  // On the step grid (relative to min), allowing for binary fractions (0.1 + 0.2).
  const steps = (v - k.min) / k.step;
  if (Math.abs(steps - Math.round(steps)) > 1e-6) {
    const step = formatKnobNumber(k, k.step);
    return {
      ok: false,
      error: { en: `expected a multiple of ${step}`, 'zh-cn': `应为 ${step} 的整数倍` },
    };
  }
  return { ok: true, value: Number(formatKnobNumber(k, v)) };
}

// ---------------------------------------------------------------------------------------------------
// Reading and writing a JSON path

export function getPath(s: unknown, path: Path): unknown {
  let cur: unknown = s;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

/** Set a value at `path`, creating objects on the way (arrays only where the path has a number). */
export function setPath(s: ScenarioJson, path: Path, value: unknown): void {
  let cur: Record<string | number, unknown> = s;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string | number;
    let next = cur[key];
    if (next === null || typeof next !== 'object') {
      next = typeof path[i + 1] === 'number' ? [] : {};
      cur[key] = next;
    }
    cur = next as Record<string | number, unknown>;
  }
  cur[path[path.length - 1] as string | number] = value;
}

/** A JSON path as the simulator's messages print it: hosts.client.sysctl["net.ipv4.tcp_tw_reuse"]. */
export function pathText(path: Path): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out;
}

/** A number knob bound straight to a path; `fallback` is the value when the field is absent. */
export function numberAt(
  base: Omit<NumberKnob, 'kind' | 'get' | 'set'>,
  fallback: number,
  convert: { read?: (raw: unknown) => number | undefined; write?: (v: number) => unknown } = {},
): NumberKnob {
  return {
    ...base,
    kind: 'number',
    get(s) {
      const raw = getPath(s, base.path);
      const v = convert.read ? convert.read(raw) : typeof raw === 'number' ? raw : undefined;
      return v === undefined || !Number.isFinite(v) ? fallback : v;
    },
    set(s, v) {
      setPath(s, base.path, convert.write ? convert.write(v) : v);
    },
  };
}
