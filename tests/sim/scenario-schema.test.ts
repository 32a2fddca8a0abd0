// The JSON Schema editors use must be the one generated from the parser's shape description, every
// scenario file must point at it, and the schema and the parser must agree: a JSON Schema validator
// written here, independently of src/sim/scenario/shape.ts, accepts every scenario file and rejects
// every malformed document the parser rejects, at the place the parser names.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatPath, parseScenario, ScenarioError, scenarioJsonSchema } from '../../src/sim/scenario.ts';

const SIM = join(import.meta.dirname, '../../src/sim');
const FILES = readdirSync(join(SIM, 'scenarios')).filter((f) => f.endsWith('.json'));

// ---------------------------------------------------------------------------------------------------
// A small JSON Schema (2020-12) validator for the keywords the scenario schema may use. Any other
// keyword is an error, so the schema cannot quietly rely on something editors would ignore.

type Schema = Record<string, unknown> | boolean;
type Path = (string | number)[];

const ANNOTATIONS = new Set(['$schema', 'title', 'description', 'examples', 'errorMessage']);
const ASSERTIONS = new Set([
  'type',
  'enum',
  'const',
  'anyOf',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'items',
  'prefixItems',
  'minItems',
  'maxItems',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'minProperties',
  'maxProperties',
]);

interface Keywords {
  type?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  items?: Schema;
  prefixItems?: Schema[];
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema;
  propertyNames?: Schema;
  minProperties?: number;
  maxProperties?: number;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Instance paths where `value` breaks `schema` (empty when it is valid). */
function validate(schema: Schema, value: unknown, path: Path = []): Path[] {
  if (schema === true) return [];
  if (schema === false) return [path];
  for (const key of Object.keys(schema)) {
    if (!ANNOTATIONS.has(key) && !ASSERTIONS.has(key)) throw new Error(`unsupported keyword ${key}`);
  }
  const s = schema as Keywords;
  const errors: Path[] = [];
  const bad = () => errors.push(path);
  const t = jsonType(value);
  if (s.type !== undefined && !(s.type === t || (s.type === 'number' && t === 'integer'))) return [path];
  if (s.enum !== undefined && !s.enum.some((e: unknown) => Object.is(e, value))) bad();
  if (s.const !== undefined && !Object.is(s.const, value)) bad();
  if (s.anyOf !== undefined && !s.anyOf.some((o: Schema) => validate(o, value, path).length === 0)) bad();
  if (typeof value === 'string' && s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(value)) bad();
  if (typeof value === 'number') {
    if (s.minimum !== undefined && value < s.minimum) bad();
    if (s.maximum !== undefined && value > s.maximum) bad();
    if (s.exclusiveMinimum !== undefined && value <= s.exclusiveMinimum) bad();
  }
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) bad();
    if (s.maxItems !== undefined && value.length > s.maxItems) bad();
    const prefix: Schema[] = s.prefixItems ?? [];
    value.forEach((item, i) => {
      const itemSchema = i < prefix.length ? prefix[i] : s.items;
      if (itemSchema !== undefined) errors.push(...validate(itemSchema as Schema, item, [...path, i]));
    });
  }
  if (t === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (s.minProperties !== undefined && keys.length < s.minProperties) bad();
    if (s.maxProperties !== undefined && keys.length > s.maxProperties) bad();
    for (const key of s.required ?? []) if (!(key in obj)) errors.push([...path, key]);
    const props: Record<string, Schema> = s.properties ?? {};
    for (const key of keys) {
      const at = [...path, key];
      if (s.propertyNames !== undefined) errors.push(...validate(s.propertyNames, key, at));
      if (Object.hasOwn(props, key)) errors.push(...validate(props[key] as Schema, obj[key], at));
      else if (s.additionalProperties !== undefined)
        errors.push(...validate(s.additionalProperties as Schema, obj[key], at));
    }
  }
  return errors;
}

/** The JSON paths a parser error names (`test.json at <path>: …`). */
function parserPaths(json: unknown): string[] {
  try {
    parseScenario(json, 'test.json');
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    return e.problems.map((p) => p.slice('test.json at '.length, p.indexOf(': ')));
  }
  return [];
}

// ---------------------------------------------------------------------------------------------------
// Documents

// biome-ignore lint/suspicious/noExplicitAny: test documents are mutated freely
type Doc = Record<string, any>;

const valid = (): Doc => ({
  $schema: '../scenario.schema.json',
  version: 1,
  name: 'every-field',
  title: { en: 'Every field', 'zh-cn': '每个字段' },
  description: { en: 'Uses every key once', 'zh-cn': '每个键用一次' },
  profile: 'linux-4.11',
  seed: 7,
  until: '2min',
  hosts: {
    client: {
      ip: '10.0.0.1',
      extraIps: ['10.0.0.11'],
      isn: 'naive',
      sysctl: {
        'net.ipv4.ip_local_port_range': '40000 40010',
        'net.ipv4.tcp_tw_reuse': 1,
        'net.ipv4.tcp_tw_reuse_delay': 1000,
        'net.ipv4.tcp_timestamps': 1,
        'net.ipv4.tcp_max_tw_buckets': 100,
        'net.ipv4.tcp_fin_timeout': 30,
        'net.ipv4.tcp_rfc1337': 0,
        'net.ipv4.tcp_tw_recycle': 1,
        'net.ipv4.ip_default_ttl': 64,
        'net.ipv4.tcp_syn_retries': 3,
      },
    },
    server: '10.0.0.2',
    other: { sysctl: { 'net.ipv4.ip_local_port_range': [1024, 2048] } },
  },
  network: { delay: '1ms', jitter: 100, loss: 0, duplicate: 0, reorder: 0, bandwidth: 0, hops: 1 },
  links: [{ between: ['client', 'server'], delay: '2ms' }],
  nat: [{ name: 'home', address: '192.0.2.1', inside: ['client'] }],
  script: [
    { at: 0, host: 'server', call: 'socket', as: 'l', note: 'listener' },
    { at: 0, host: 'server', call: 'setsockopt', fd: 'l', option: 'SO_REUSEADDR', value: true },
    { at: 0, host: 'server', call: 'bind', fd: 'l', addr: '10.0.0.2:80' },
    { at: 0, host: 'server', call: 'listen', fd: 'l', backlog: 16 },
    { at: 0, host: 'server', call: 'accept', fd: 'l', as: 's' },
    { at: '1ms', host: 'client', call: 'socket', as: 'c' },
    {
      at: '1ms',
      host: 'client',
      call: 'setsockopt',
      fd: 'c',
      option: 'SO_LINGER',
      value: { onoff: 1, linger: 0 },
    },
    { at: '10ms', host: 'client', call: 'connect', fd: 'c', addr: '10.0.0.2:80' },
    { at: '20ms', host: 'client', call: 'send', fd: 'c', data: 'hello' },
    { at: '30ms', host: 'server', call: 'recv', fd: 's', bytes: 5 },
    { at: '40ms', host: 'client', call: 'shutdown', fd: 'c', how: 'SHUT_WR' },
    { at: '50ms', host: 'client', call: 'close', fd: 'c' },
    { at: '60s', host: 'other', call: 'crash' },
    { at: '61s', host: 'other', call: 'reboot', quietTime: true },
  ],
  faults: [
    { drop: { from: 'client', flags: 'FA', nth: 1, hasData: false, after: '1ms', id: 3 } },
    { delay: { to: 'server', by: '5ms' } },
    { duplicate: { from: 'server', by: '1ms' } },
    { loop: { from: 'client', hops: 3, perHop: '1ms' } },
  ],
  load: {
    client: 'client',
    server: 'server',
    rate: 10,
    start: '1s',
    duration: '2s',
    request: 10,
    response: 20,
    closer: 'server',
    requestsPerConnection: 2,
    pool: 4,
    dst: { ips: ['10.0.0.2'], ports: [80] },
    src: { ips: ['10.0.0.11'] },
    sampleEvery: '500ms',
  },
  snapshots: ['1s', 2000],
  expect: [
    { at: '1s', host: 'client', socket: { local: '10.0.0.1:0', remote: '10.0.0.2:80' }, state: 'NONE' },
    { at: 'end', host: 'client', count: 'TIME_WAIT', atMost: 1, note: 'at most one' },
    { step: 7, result: 0 },
    { at: 'end', host: 'client', counter: 'TcpExtTW', atLeast: 0 },
    { host: 'server', fd: 's', received: 'hello' },
  ],
});

/** Malformed documents and the path the parser must name; the schema must reject each too. */
const MALFORMED: [string, (d: Doc) => void, string][] = [
  ['an unknown top-level key', (d) => (d.scrpt = []), 'scrpt'],
  ['version 2', (d) => (d.version = 2), 'version'],
  ['a name starting with a digit', (d) => (d.name = '1st'), 'name'],
  ['a title without Chinese', (d) => delete d.title['zh-cn'], 'title["zh-cn"]'],
  ['an unknown profile', (d) => (d.profile = 'linux-2.6'), 'profile'],
  ['a negative seed', (d) => (d.seed = -1), 'seed'],
  ['a fractional seed', (d) => (d.seed = 0.5), 'seed'],
  ['a duration in fortnights', (d) => (d.until = '2 fortnights'), 'until'],
  ['a negative duration', (d) => (d.until = -1), 'until'],
  ['no hosts', (d) => delete d.hosts, 'hosts'],
  ['hosts as a list', (d) => (d.hosts = ['10.0.0.1']), 'hosts'],
  ['a host name with a space', (d) => (d.hosts['my host'] = '10.0.0.9'), 'hosts["my host"]'],
  ['a host as a number', (d) => (d.hosts.server = 2), 'hosts.server'],
  ['a misspelt host key', (d) => (d.hosts.client.sysctls = {}), 'hosts.client.sysctls'],
  ['an unknown isn', (d) => (d.hosts.client.isn = 'random'), 'hosts.client.isn'],
  [
    'an unknown sysctl',
    (d) => (d.hosts.client.sysctl['net.ipv4.tcp_tw_resue'] = 1),
    'hosts.client.sysctl["net.ipv4.tcp_tw_resue"]',
  ],
  [
    'tcp_tw_reuse 3',
    (d) => (d.hosts.client.sysctl['net.ipv4.tcp_tw_reuse'] = 3),
    'hosts.client.sysctl["net.ipv4.tcp_tw_reuse"]',
  ],
  [
    'tcp_tw_reuse_delay 0',
    (d) => (d.hosts.client.sysctl['net.ipv4.tcp_tw_reuse_delay'] = 0),
    'hosts.client.sysctl["net.ipv4.tcp_tw_reuse_delay"]',
  ],
  [
    'a one-port range',
    (d) => (d.hosts.other.sysctl['net.ipv4.ip_local_port_range'] = [1024]),
    'hosts.other.sysctl["net.ipv4.ip_local_port_range"]',
  ],
  [
    'a TTL of 256',
    (d) => (d.hosts.client.sysctl['net.ipv4.ip_default_ttl'] = 256),
    'hosts.client.sysctl["net.ipv4.ip_default_ttl"]',
  ],
  ['a loss above 1', (d) => (d.network.loss = 1.5), 'network.loss'],
  ['an unknown network key', (d) => (d.network.latency = '1ms'), 'network.latency'],
  ['a link between three hosts', (d) => d.links[0].between.push('other'), 'links[0].between'],
  ['a NAT with nobody inside', (d) => (d.nat[0].inside = []), 'nat[0].inside'],
  ['a step without a time', (d) => delete d.script[0].at, 'script[0].at'],
  ['a misspelt call', (d) => (d.script[5].call = 'conect'), 'script[5].call'],
  ['a misspelt step key', (d) => (d.script[7].adr = '10.0.0.2:80'), 'script[7].adr'],
  ['recv of 0 bytes', (d) => (d.script[9].bytes = 0), 'script[9].bytes'],
  ['an unknown shutdown', (d) => (d.script[10].how = 'SHUT_BOTH'), 'script[10].how'],
  ['an unknown option', (d) => (d.script[1].option = 'SO_REUSE'), 'script[1].option'],
  ['SO_LINGER onoff 2', (d) => (d.script[6].value.onoff = 2), 'script[6].value.onoff'],
  ['a text option value', (d) => (d.script[1].value = 'yes'), 'script[1].value'],
  ['a step as a string', (d) => (d.script[0] = 'socket'), 'script[0]'],
  ['flags that are not TCP flags', (d) => (d.faults[0].drop.flags = 'X'), 'faults[0].drop.flags'],
  ['a fault of no kind', (d) => (d.faults[0] = {}), 'faults[0]'],
  ['a fault of two kinds', (d) => (d.faults[1].drop = {}), 'faults[1]'],
  ['a delay fault without by', (d) => delete d.faults[1].delay.by, 'faults[1].delay.by'],
  ['nth 0', (d) => (d.faults[0].drop.nth = 0), 'faults[0].drop.nth'],
  ['a load of rate 0', (d) => (d.load.rate = 0), 'load.rate'],
  ['a load without duration', (d) => delete d.load.duration, 'load.duration'],
  ['an unknown closer', (d) => (d.load.closer = 'both'), 'load.closer'],
  ['no destination addresses', (d) => (d.load.dst.ips = []), 'load.dst.ips'],
  ['a snapshot "later"', (d) => d.snapshots.push('later'), 'snapshots[2]'],
  ['a misspelt state', (d) => (d.expect[0].state = 'TIMEWAIT'), 'expect[0].state'],
  ['a count of NONE', (d) => (d.expect[1].count = 'NONE'), 'expect[1].count'],
  ['an unknown result', (d) => (d.expect[2].result = 'EFOO'), 'expect[2].result'],
  ['an expectation at "later"', (d) => (d.expect[0].at = 'later'), 'expect[0].at'],
  ['a misspelt expectation key', (d) => (d.expect[1].equal = 1), 'expect[1].equal'],
];

/** Whether the schema error at `prefix` is at `path` or encloses it. */
function isPrefix(prefix: Path, path: string): boolean {
  const p = formatPath(prefix);
  return prefix.length === 0 || path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`);
}

describe('scenario.schema.json', () => {
  it('is current (regenerate with `node scripts/scenario-schema.ts`)', () => {
    const committed = JSON.parse(readFileSync(join(SIM, 'scenario.schema.json'), 'utf8'));
    expect(committed).toEqual(scenarioJsonSchema());
  });

  it('describes the main parts of a scenario', () => {
    const schema = scenarioJsonSchema() as { properties: Record<string, unknown>; required?: string[] };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining([
        'hosts',
        'network',
        'links',
        'nat',
        'script',
        'faults',
        'load',
        'snapshots',
        'expect',
      ]),
    );
    expect(schema.required).toEqual(['hosts']);
  });

  it('is referenced by every scenario file', () => {
    expect(FILES.length).toBeGreaterThan(0);
    for (const f of FILES) {
      const json = JSON.parse(readFileSync(join(SIM, 'scenarios', f), 'utf8'));
      expect(json.$schema, f).toBe('../scenario.schema.json');
    }
  });
});

describe('schema and parser agree', () => {
  const schema = scenarioJsonSchema();

  it('the validator in this test catches what it should', () => {
    expect(validate({ type: 'integer', minimum: 1 }, 0)).toEqual([[]]);
    expect(
      validate(
        { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false },
        { b: 1 },
      ),
    ).toEqual([['b']]);
    expect(() => validate({ type: 'string', format: 'ipv4' }, 'x')).toThrow(/unsupported keyword format/);
  });

  it.each(FILES)('both accept %s', (f) => {
    const json = JSON.parse(readFileSync(join(SIM, 'scenarios', f), 'utf8'));
    expect(validate(schema, json).map(formatPath)).toEqual([]);
    expect(parserPaths(json)).toEqual([]);
  });

  it('both accept a document that uses every key', () => {
    expect(validate(schema, valid()).map(formatPath)).toEqual([]);
    expect(parserPaths(valid())).toEqual([]);
  });

  it.each(MALFORMED.map(([label, change, path]) => [label, path, change] as const))(
    'both reject %s, at %s',
    (_label, path, change) => {
      const doc = valid();
      change(doc);
      expect(parserPaths(doc)).toContain(path);
      const errors = validate(schema, doc);
      expect(errors.length, 'schema accepted it').toBeGreaterThan(0);
      // A union (anyOf) fails as a whole, so the schema may point at an enclosing value.
      expect(errors.some((e) => isPrefix(e, path))).toBe(true);
    },
  );
});
