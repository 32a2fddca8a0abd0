// A declarative description of a JSON document's shape that is, as data, a JSON Schema (the draft
// 2020-12 subset editors use for completion) and, through `check`, the validator that reports every
// problem with its JSON path. One description, two uses, no library: the simulator runs in a browser
// page whose whole script budget is 40 KB gzipped (zod/mini was 49 KB of a 122 KB minified bundle).
//
// Only the keywords below are understood. `errorMessage` is not standard JSON Schema, but VS Code's
// JSON support shows it instead of its own text, so editors and the parser say the same thing.

const OPTIONAL: unique symbol = Symbol('optional');
const REFERENCE: unique symbol = Symbol('reference');

export interface Shape<T = unknown> {
  readonly type?: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  readonly enum?: readonly unknown[];
  readonly anyOf?: readonly Shape[];
  readonly pattern?: string;
  readonly minimum?: number;
  readonly exclusiveMinimum?: number;
  readonly maximum?: number;
  readonly items?: Shape | false;
  readonly prefixItems?: readonly Shape[];
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly properties?: Readonly<Record<string, Shape>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: Shape | false;
  readonly propertyNames?: Shape;
  /** Editor documentation only: the validator ignores these. */
  readonly minProperties?: number;
  readonly maxProperties?: number;
  readonly title?: string;
  readonly description?: string;
  readonly examples?: readonly unknown[];
  /** What a wrong value gets told, starting "expected …". */
  readonly errorMessage?: string;
  /** Set by `optional` (a symbol, so JSON.stringify leaves it out of the schema). */
  readonly [OPTIONAL]?: true;
  /** Set by `reference`. */
  readonly [REFERENCE]?: true;
  /** Type level only, never set: the TypeScript type of a valid value. */
  readonly '~type'?: T;
}

type Optional<T> = Shape<T> & { readonly [OPTIONAL]: true };
export type Infer<S> = S extends Shape<infer T> ? T : never;
type Flatten<T> = { [K in keyof T]: T[K] } & {};
type ObjectOf<P> = Flatten<
  { -readonly [K in keyof P as P[K] extends Optional<unknown> ? never : K]: Infer<P[K]> } & {
    -readonly [K in keyof P as P[K] extends Optional<unknown> ? K : never]?: Infer<P[K]>;
  }
>;
type Extra = Omit<Shape, 'type' | '~type'>;

// ---------------------------------------------------------------------------------------------------
// Builders

export const string = (extra?: Extra): Shape<string> => ({ type: 'string', ...extra });
export const number = (extra?: Extra): Shape<number> => ({ type: 'number', ...extra });
export const integer = (extra?: Extra): Shape<number> => ({ type: 'integer', ...extra });
export const boolean = (): Shape<boolean> => ({ type: 'boolean' });

export const oneOf = <const V extends readonly (string | number)[]>(
  values: V,
  extra?: Extra,
): Shape<V[number]> => ({ enum: values, ...extra });

export const anyOf = <const S extends readonly Shape[]>(
  options: S,
  errorMessage: string,
): Shape<Infer<S[number]>> => ({ anyOf: options, errorMessage });

export const array = <S extends Shape>(items: S, extra?: Extra): Shape<Infer<S>[]> => ({
  type: 'array',
  items,
  ...extra,
});

export const tuple = <const S extends readonly Shape[]>(
  items: S,
): Shape<{ -readonly [K in keyof S]: Infer<S[K]> }> => ({
  type: 'array',
  prefixItems: items,
  items: false,
  minItems: items.length,
  maxItems: items.length,
});

export const record = <S extends Shape>(
  keys: Shape<string>,
  values: S,
  extra?: Extra,
): Shape<Record<string, Infer<S>>> => ({
  type: 'object',
  propertyNames: keys,
  additionalProperties: values,
  ...extra,
});

/** An object with exactly these keys (unknown keys are errors); keys not wrapped in `optional` are required. */
export const object = <const P extends Record<string, Shape>>(
  properties: P,
  extra?: Extra,
): Shape<ObjectOf<P>> => {
  const required = Object.keys(properties).filter((k) => !properties[k]?.[OPTIONAL]);
  return {
    type: 'object',
    properties,
    ...(required.length ? { required } : {}),
    additionalProperties: false,
    ...extra,
  };
};

export const optional = <T>(shape: Shape<T>): Optional<T> => ({ ...shape, [OPTIONAL]: true });

/** Mark values that name something declared elsewhere in the document: `check` collects them. */
export const reference = <S extends Shape>(shape: S): S => ({ ...shape, [REFERENCE]: true });

/** Add editor documentation (description, examples…) to a shape. */
export const doc = <S extends Shape>(shape: S, meta: Extra): S => ({ ...shape, ...meta });

// ---------------------------------------------------------------------------------------------------
// Validation

export interface Problem {
  path: PropertyKey[];
  message: string;
}

export interface Found {
  path: PropertyKey[];
  value: unknown;
}

const NOUNS = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
};

/** "expected …" for a shape, without the value. */
function expected(s: Shape): string {
  if (s.errorMessage) return s.errorMessage;
  if (s.enum)
    return s.enum.length === 1
      ? `expected ${JSON.stringify(s.enum[0])}`
      : `expected one of ${[...new Set(s.enum.map(String))].join(', ')}`;
  if (s.anyOf) return `expected ${s.anyOf.map((o) => expected(o).replace(/^expected /, '')).join(' or ')}`;
  return `expected ${NOUNS[s.type ?? 'object']}`;
}

const got = (v: unknown) => (v === undefined ? 'found nothing' : `got ${show(v)}`);

/** A JSON object (not null, not an array). */
export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether `v` has the JSON type `s` describes (its details may still be wrong). */
function sameType(s: Shape, v: unknown): boolean {
  if (s.anyOf) return s.anyOf.some((o) => sameType(o, v));
  if (s.enum) return s.enum.some((e) => typeof e === typeof v);
  if (s.type === 'integer') return typeof v === 'number';
  if (s.type === 'array') return Array.isArray(v);
  if (s.type === 'object') return isRecord(v);
  return typeof v === s.type;
}

/**
 * Check the value `v` against the shape `s`, appending every problem found (nothing when it fits) to
 * `out`, and the values of shapes marked with `reference` to `refs`.
 */
export function check(s: Shape, v: unknown, path: PropertyKey[], out: Problem[], refs?: Found[]): void {
  if (s[REFERENCE]) refs?.push({ path, value: v });
  const fail = (message: string, at = path) => {
    out.push({ path: at, message });
  };
  const wrong = () => fail(`${expected(s)}, ${got(v)}`);
  if (s.anyOf) {
    // The option of the value's JSON type explains the problem best ("expected ≥ 0" for -1 as a
    // duration); with none or several such options, say what the union as a whole expects.
    const fits = s.anyOf.filter((o) => sameType(o, v));
    if (fits.length === 1) check(fits[0] as Shape, v, path, out, refs);
    else if (!fits.some((o) => accepts(o, v))) wrong();
    return;
  }
  if (s.enum) {
    if (!s.enum.includes(v)) fail(`${expected(s)}, ${got(v)}${suggest(v, s.enum)}`);
    return;
  }
  if (!sameType(s, v)) wrong();
  else if (typeof v === 'string') {
    if (s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(v)) wrong();
  } else if (typeof v === 'number') {
    if (s.type === 'integer' && !Number.isSafeInteger(v)) fail(`expected an integer, ${got(v)}`);
    else if (s.minimum !== undefined && v < s.minimum) fail(`expected ≥ ${s.minimum}, ${got(v)}`);
    else if (s.exclusiveMinimum !== undefined && v <= s.exclusiveMinimum)
      fail(`expected > ${s.exclusiveMinimum}, ${got(v)}`);
    else if (s.maximum !== undefined && v > s.maximum) fail(`expected ≤ ${s.maximum}, ${got(v)}`);
  } else if (Array.isArray(v)) {
    const { minItems = 0, maxItems = Infinity } = s;
    if (v.length < minItems || v.length > maxItems) {
      const [bound, n] =
        minItems === maxItems
          ? ['exactly', minItems]
          : v.length < minItems
            ? ['at least', minItems]
            : ['at most', maxItems];
      fail(`expected ${bound} ${n} item${n === 1 ? '' : 's'}, ${got(v)}`);
    }
    v.forEach((item, i) => {
      const itemShape = s.prefixItems?.[i] ?? s.items;
      if (itemShape) check(itemShape, item, [...path, i], out, refs);
    });
  } else if (isRecord(v)) {
    const known = s.properties ?? {};
    for (const [key, shape] of Object.entries(known)) {
      if (v[key] !== undefined) check(shape, v[key], [...path, key], out, refs);
      else if (s.required?.includes(key)) fail(`${expected(shape)}, found nothing`, [...path, key]);
    }
    for (const key of Object.keys(v)) {
      if (Object.hasOwn(known, key)) continue;
      const at = [...path, key];
      if (s.additionalProperties === false) {
        const keys = Object.keys(known);
        fail(`unknown key "${key}" (expected one of ${keys.join(', ')})${suggest(key, keys)}`, at);
      } else {
        if (s.propertyNames && !accepts(s.propertyNames, key))
          fail(`${expected(s.propertyNames)}, got the key ${show(key)}`, at);
        if (s.additionalProperties) check(s.additionalProperties, v[key], at, out, refs);
      }
    }
  }
}

function accepts(s: Shape, v: unknown): boolean {
  const problems: Problem[] = [];
  check(s, v, [], problems);
  return problems.length === 0;
}

// ---------------------------------------------------------------------------------------------------
// Message helpers (the meaning pass in scenario.ts uses them too)

/** A value as it appears in a message: JSON, cut short. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** ' (did you mean "connect"?)' when the value is a near miss of one of the allowed strings. */
export function suggest(value: unknown, allowed: readonly unknown[]): string {
  if (typeof value !== 'string') return '';
  let best: string | undefined;
  let bestDistance = 3;
  for (const a of allowed) {
    if (typeof a !== 'string') continue;
    const v = value.toLowerCase();
    const x = a.toLowerCase();
    // A missing prefix ('TWRecycled' for 'TcpExtTWRecycled') counts as a near miss too.
    const d = x.endsWith(v) && v.length >= 4 ? 1 : editDistance(v, x);
    if (d < bestDistance) {
      best = a;
      bestDistance = d;
    }
  }
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] as number;
      row[j] = Math.min(
        (row[j] as number) + 1,
        (row[j - 1] as number) + 1,
        prev + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      prev = tmp;
    }
  }
  return row[b.length] as number;
}

/** ['script', 3, 'call'] → 'script[3].call'; keys that are not identifiers are quoted. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}
