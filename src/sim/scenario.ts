// The scenario format: the JSON a person writes (validated with zod, exported as a JSON Schema for
// editors) and its translation into the normalized `Scenario` of types.ts that the runtime consumes.
//
// Parsing happens in two passes. The zod schema checks shape: keys, types, enums, duration syntax.
// The semantic pass then checks meaning: names refer to hosts and sockets that exist, addresses are
// IPv4, port ranges are ordered, sysctls exist in the chosen profile. Each pass reports every problem it
// finds, as `<source> at <json.path>: <expected>, got <found>`, in one ScenarioError.

import * as z from 'zod/mini';
import type { $ZodIssue, $ZodType } from 'zod/v4/core';
import { DURATION_HINT, DURATION_PATTERN, parseDurationResult } from './duration.ts';
import type {
  CallOutcome,
  Comparison,
  CounterName,
  Endpoint,
  Expectation,
  FaultSpec,
  HostSpec,
  LinkSpec,
  LoadSpec,
  Micros,
  NatSpec,
  ProfileName,
  Scenario,
  ScriptStep,
  SegmentMatch,
  SocketCall,
  Sysctls,
  TcpState,
} from './types.ts';

export class ScenarioError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      problems.length === 1
        ? (problems[0] as string)
        : `${problems.length} problems:\n  ${problems.join('\n  ')}`,
    );
    this.name = 'ScenarioError';
    this.problems = problems;
  }
}

// ---------------------------------------------------------------------------------------------------
// Vocabulary

export const PROFILES = [
  'linux',
  'linux-4.11',
  'rfc793',
  'freebsd',
  'macos',
  'windows',
] as const satisfies readonly ProfileName[];
export const SOCKET_CALLS = [
  'socket',
  'bind',
  'listen',
  'connect',
  'accept',
  'send',
  'recv',
  'shutdown',
  'close',
  'setsockopt',
] as const satisfies readonly SocketCall[];
export const CALLS = [...SOCKET_CALLS, 'crash', 'reboot'] as const;
export const TCP_STATES = [
  'CLOSED',
  'LISTEN',
  'SYN_SENT',
  'SYN_RECEIVED',
  'ESTABLISHED',
  'FIN_WAIT_1',
  'FIN_WAIT_2',
  'CLOSE_WAIT',
  'CLOSING',
  'LAST_ACK',
  'TIME_WAIT',
] as const satisfies readonly TcpState[];
export const ERRNOS = [
  'EADDRINUSE',
  'EADDRNOTAVAIL',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTCONN',
  'EISCONN',
  'EINVAL',
  'EBADF',
  'EHOSTUNREACH',
] as const;
export const COUNTERS = [
  'TcpActiveOpens',
  'TcpPassiveOpens',
  'TcpAttemptFails',
  'TcpEstabResets',
  'TcpRetransSegs',
  'TcpOutRsts',
  'TcpOutSegs',
  'TcpInSegs',
  'TcpExtTW',
  'TcpExtTWRecycled',
  'TcpExtTWKilled',
  'TcpExtTCPTimeWaitOverflow',
  'TcpExtTCPAbortOnData',
  'TcpExtTCPAbortOnClose',
  'TcpExtPAWSActive',
  'TcpExtPAWSEstab',
  'TcpExtPAWSPassive',
] as const satisfies readonly CounterName[];
export const OPTIONS = [
  'SO_REUSEADDR',
  'SO_REUSEPORT',
  'SO_LINGER',
  'TCP_LINGER2',
  'IP_BIND_ADDRESS_NO_PORT',
] as const;
const SHUTDOWN_HOW = ['SHUT_RD', 'SHUT_WR', 'SHUT_RDWR'] as const;

// ---------------------------------------------------------------------------------------------------
// The zod schema of the written form. Only shape here; meaning is checked in `normalize`. zod/mini
// keeps the browser bundle small (≈8 KB gzipped instead of ≈90 KB for the chainable API).

/** Attach editor documentation (it ends up in the JSON Schema). Each call makes a fresh schema. */
function doc<T extends z.ZodMiniType>(schema: T, meta: Record<string, unknown>): T {
  z.globalRegistry.add(schema, meta);
  return schema;
}

const durationString = () =>
  z.string().check(z.regex(new RegExp(DURATION_PATTERN), { error: `expected ${DURATION_HINT}` }));
const duration = (description = DURATION_HINT) =>
  doc(
    z.union([z.number().check(z.nonnegative()), durationString()], { error: `expected ${DURATION_HINT}` }),
    {
      description,
      examples: ['200ms', '1.5s', '2min', 500],
    },
  );

const instant = () =>
  doc(
    z.union([z.number().check(z.nonnegative()), durationString(), z.literal('end')], {
      error: `expected ${DURATION_HINT}, or "end"`,
    }),
    { description: 'time since the start of the run, or "end" (the scenario\'s until)' },
  );

const address = () =>
  doc(z.string({ error: 'expected an address "ip:port"' }), {
    description: 'IPv4 address and port, e.g. "10.0.0.2:80"; port 0 asks for an ephemeral port',
  });

const ipv4 = () =>
  doc(z.string({ error: 'expected an IPv4 address' }), { description: 'IPv4 address, e.g. "10.0.0.1"' });

const name = () =>
  z.string().check(
    z.regex(/^[A-Za-z_][\w.-]*$/, {
      error: 'expected a name of letters, digits, "_", "-" or "." starting with a letter',
    }),
  );

const int = () => z.number().check(z.int());
const bit = () => z.union([z.literal(0), z.literal(1)], { error: 'expected 0 or 1' });
const probability = () => z.number().check(z.minimum(0), z.maximum(1));
const opt = z.optional;

const bilingual = z.strictObject({ en: z.string(), 'zh-cn': z.string() });

const sysctlSchema = doc(
  z.strictObject({
    'net.ipv4.ip_local_port_range': opt(
      doc(
        z.union([z.string(), z.tuple([int(), int()])], {
          error: 'expected a port range like "32768 60999" or [32768, 60999]',
        }),
        { description: 'first and last ephemeral port, e.g. "32768 60999" or [32768, 60999]' },
      ),
    ),
    'net.ipv4.tcp_tw_reuse': opt(
      z.union([z.literal(0), z.literal(1), z.literal(2)], { error: 'expected 0, 1 or 2' }),
    ),
    'net.ipv4.tcp_tw_reuse_delay': opt(
      doc(int().check(z.minimum(1), z.maximum(60_000)), { description: 'milliseconds (Linux ≥ 6.14)' }),
    ),
    'net.ipv4.tcp_timestamps': opt(bit()),
    'net.ipv4.tcp_max_tw_buckets': opt(int().check(z.nonnegative())),
    'net.ipv4.tcp_fin_timeout': opt(doc(int().check(z.minimum(1)), { description: 'seconds' })),
    'net.ipv4.tcp_rfc1337': opt(bit()),
    'net.ipv4.tcp_tw_recycle': opt(
      doc(bit(), { description: 'only in the linux-4.11 profile (removed in Linux 4.12)' }),
    ),
    'net.ipv4.ip_default_ttl': opt(int().check(z.minimum(1), z.maximum(255))),
    'net.ipv4.tcp_syn_retries': opt(int().check(z.minimum(1), z.maximum(127))),
  }),
  { description: 'sysctls this host sets; the profile supplies the rest' },
);

const hostSchema = z.union(
  [
    ipv4(),
    z.strictObject({
      ip: opt(ipv4()),
      extraIps: opt(z.array(ipv4())),
      sysctl: opt(sysctlSchema),
      isn: opt(z.enum(['rfc6528', 'naive'])),
    }),
  ],
  { error: 'expected a host: an IPv4 address, or an object with ip, extraIps, sysctl, isn' },
);

const linkFields = () => ({
  delay: opt(duration('one-way delay')),
  jitter: opt(duration('uniform ± jitter on the delay')),
  loss: opt(probability()),
  duplicate: opt(probability()),
  reorder: opt(probability()),
  bandwidth: opt(
    doc(z.number().check(z.nonnegative()), { description: 'bits per second; 0 = no serialisation delay' }),
  ),
  hops: opt(
    doc(int().check(z.nonnegative()), { description: 'routers on the path (each takes one off the TTL)' }),
  ),
});

const networkSchema = doc(z.strictObject(linkFields()), {
  description: 'the link between any two hosts no link names',
});
const linkSchema = z.strictObject({ between: z.tuple([name(), name()]), ...linkFields() });

const natSchema = z.strictObject({
  name: name(),
  address: ipv4(),
  inside: z.array(name()).check(z.minLength(1)),
});

const sockoptValue = z.union(
  [z.number(), z.boolean(), z.strictObject({ onoff: bit(), linger: int().check(z.nonnegative()) })],
  { error: 'expected a number, true/false, or {"onoff": 0|1, "linger": seconds}' },
);

const note = () =>
  opt(doc(z.string(), { description: 'free text for the reader; ignored by the simulator' }));

const stepSchema = z.strictObject({
  at: duration('when the call is made'),
  host: name(),
  call: z.enum(CALLS),
  fd: opt(
    doc(name(), { description: 'the socket this call acts on (a name given by socket or accept "as")' }),
  ),
  as: opt(doc(name(), { description: 'name for the new socket (socket, accept)' })),
  addr: opt(address()),
  data: opt(z.string()),
  bytes: opt(int().check(z.positive())),
  backlog: opt(int().check(z.nonnegative())),
  how: opt(z.enum(SHUTDOWN_HOW)),
  option: opt(z.enum(OPTIONS)),
  value: opt(sockoptValue),
  quietTime: opt(z.boolean()),
  note: note(),
});

const flags = () =>
  z
    .string()
    .check(
      z.regex(/^[SFRPA]+$/, { error: 'expected TCP flags as letters S, F, R, P, A (e.g. "A", "FA", "SA")' }),
    );

const matchFields = () => ({
  id: opt(int().check(z.positive())),
  from: opt(name()),
  to: opt(name()),
  flags: opt(flags()),
  hasData: opt(z.boolean()),
  after: opt(duration('only segments sent at or after this time')),
  nth: opt(doc(int().check(z.positive()), { description: 'the nth matching segment (1-based, default 1)' })),
});

const faultSchema = doc(
  z.strictObject({
    drop: opt(z.strictObject(matchFields())),
    delay: opt(z.strictObject({ ...matchFields(), by: duration('extra delay') })),
    duplicate: opt(z.strictObject({ ...matchFields(), by: duration('the copy arrives this much later') })),
    loop: opt(
      z.strictObject({ ...matchFields(), hops: int().check(z.positive()), perHop: duration('time per hop') }),
    ),
  }),
  { description: 'exactly one of drop, delay, duplicate, loop', minProperties: 1, maxProperties: 1 },
);

const loadSchema = z.strictObject({
  client: opt(name()),
  server: opt(name()),
  rate: doc(z.number().check(z.positive()), { description: 'new requests per second' }),
  start: opt(duration('when the load starts (default 0)')),
  duration: duration('how long the load lasts'),
  request: opt(doc(int().check(z.nonnegative()), { description: 'request bytes (default 100)' })),
  response: opt(doc(int().check(z.nonnegative()), { description: 'response bytes (default 100)' })),
  closer: opt(z.enum(['client', 'server'])),
  requestsPerConnection: opt(int().check(z.positive())),
  pool: opt(int().check(z.nonnegative())),
  dst: opt(
    z.strictObject({
      ips: opt(z.array(ipv4()).check(z.minLength(1))),
      ports: opt(z.array(int()).check(z.minLength(1))),
    }),
  ),
  src: opt(z.strictObject({ ips: opt(z.array(ipv4())) })),
  sampleEvery: opt(duration('sampling interval (default 1s)')),
});

const expectSchema = doc(
  z.strictObject({
    at: opt(instant()),
    host: opt(name()),
    socket: opt(z.strictObject({ local: opt(address()), remote: opt(address()) })),
    state: opt(z.enum([...TCP_STATES, 'NONE'])),
    count: opt(z.enum(TCP_STATES)),
    step: opt(int().check(z.nonnegative())),
    result: opt(z.union([z.literal(0), z.enum(['0', ...ERRNOS, 'pending'])])),
    counter: opt(z.string()),
    fd: opt(name()),
    received: opt(z.string()),
    equals: opt(z.number()),
    atLeast: opt(z.number()),
    atMost: opt(z.number()),
    note: note(),
  }),
  {
    description:
      'one of: {at, host, socket?, state} | {at, host, count, equals|atLeast|atMost} | {step, result} | {at, host, counter, equals|atLeast|atMost} | {host, fd, received}',
  },
);

export const scenarioInputSchema = doc(
  z.strictObject({
    $schema: opt(z.string()),
    version: opt(z.literal(1)),
    name: opt(name()),
    title: opt(bilingual),
    description: opt(bilingual),
    profile: opt(z.enum(PROFILES)),
    seed: opt(int().check(z.nonnegative())),
    until: opt(duration('the run stops here (default 3min)')),
    hosts: z.record(name(), hostSchema),
    network: opt(networkSchema),
    links: opt(z.array(linkSchema)),
    nat: opt(z.array(natSchema)),
    script: opt(z.array(stepSchema)),
    faults: opt(z.array(faultSchema)),
    load: opt(loadSchema),
    snapshots: opt(z.array(duration('an instant at which to record every socket table'))),
    expect: opt(z.array(expectSchema)),
  }),
  { title: 'TIME_WAIT simulator scenario', description: 'A scenario for the TIME_WAIT, Explained simulator' },
);

export type ScenarioInput = z.input<typeof scenarioInputSchema>;

/** The JSON Schema editors use (scenario files point at it with "$schema"). */
export function scenarioJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(scenarioInputSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
}

/** The schema file's exact text (scripts/scenario-schema.ts writes it; a test compares). */
export function scenarioSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------------
// Defaults

const DEFAULT_UNTIL: Micros = 180_000_000;
const DEFAULT_LINK: Omit<LinkSpec, 'between'> = {
  delay: 5_000,
  jitter: 0,
  loss: 0,
  duplicate: 0,
  reorder: 0,
  bandwidth: 0,
  hops: 0,
};

// ---------------------------------------------------------------------------------------------------
// Parsing

/**
 * Turn the JSON a person wrote into a normalized Scenario, or throw a ScenarioError listing every
 * problem. `source` (a file name) prefixes each message and supplies the default name.
 */
export function parseScenario(json: unknown, source = 'scenario'): Scenario {
  const parsed = scenarioInputSchema.safeParse(json);
  if (!parsed.success) {
    const shape = parsed.error.issues.map((issue) => formatIssue(source, json, issue));
    // The meaning pass needs a well-formed document, but misspelt host names are worth reporting
    // together with shape problems, so check those on the raw JSON.
    const taken = new Set(parsed.error.issues.map((issue) => formatPath(issue.path)));
    const names = unknownHostNames(json).filter((p) => !taken.has(formatPath(p.path)));
    throw new ScenarioError([
      ...shape,
      ...names.map((p) => `${source} at ${formatPath(p.path)}: ${p.message}`),
    ]);
  }
  const problems: Problem[] = [];
  const scenario = normalize(parsed.data, source, problems);
  if (problems.length > 0) {
    throw new ScenarioError(problems.map((p) => `${source} at ${formatPath(p.path)}: ${p.message}`));
  }
  return scenario;
}

interface Problem {
  path: PropertyKey[];
  message: string;
}

type Issue = $ZodIssue;

/** Host names used in the raw document that `hosts` does not declare (when `hosts` is an object). */
function unknownHostNames(json: unknown): Problem[] {
  const doc = json as Record<string, unknown> | null;
  if (doc === null || typeof doc !== 'object') return [];
  const hosts = doc.hosts;
  if (hosts === null || typeof hosts !== 'object' || Array.isArray(hosts)) return [];
  const declared = Object.keys(hosts);
  const problems: Problem[] = [];
  const check = (value: unknown, path: PropertyKey[]) => {
    if (typeof value === 'string' && !declared.includes(value)) {
      problems.push({
        path,
        message: `expected a host (one of ${declared.join(', ')}), got ${show(value)}${suggest(value, declared)}`,
      });
    }
  };
  const list = (key: string): unknown[] => (Array.isArray(doc[key]) ? (doc[key] as unknown[]) : []);
  const field = (o: unknown, k: string): unknown =>
    o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined;
  list('script').forEach((step, i) => {
    check(field(step, 'host'), ['script', i, 'host']);
  });
  list('expect').forEach((e, i) => {
    check(field(e, 'host'), ['expect', i, 'host']);
  });
  list('links').forEach((l, i) => {
    const between = field(l, 'between');
    if (Array.isArray(between)) for (const [j, h] of between.entries()) check(h, ['links', i, 'between', j]);
  });
  list('nat').forEach((n, i) => {
    const inside = field(n, 'inside');
    if (Array.isArray(inside)) for (const [j, h] of inside.entries()) check(h, ['nat', i, 'inside', j]);
  });
  list('faults').forEach((f, i) => {
    for (const kind of ['drop', 'delay', 'duplicate', 'loop']) {
      for (const key of ['from', 'to']) check(field(field(f, kind), key), ['faults', i, kind, key]);
    }
  });
  for (const key of ['client', 'server']) check(field(doc.load, key), ['load', key]);
  return problems;
}

function formatIssue(source: string, json: unknown, issue: Issue): string {
  let path = [...issue.path];
  const value = valueAt(json, path);
  let message: string;
  switch (issue.code) {
    case 'invalid_type':
      message =
        value === undefined
          ? `expected ${article(issue.expected)}, found nothing`
          : `expected ${article(issue.expected)}, got ${show(value)}`;
      break;
    case 'invalid_value': {
      const values = issue.values.map((v) => JSON.stringify(v));
      message =
        values.length === 1
          ? `expected ${values[0]}, got ${show(value)}`
          : `expected one of ${issue.values.join(', ')}, got ${show(value)}${suggest(value, issue.values)}`;
      break;
    }
    case 'unrecognized_keys': {
      const allowed = objectKeysAt(scenarioInputSchema, issue.path);
      const known = allowed.length ? ` (expected one of ${allowed.join(', ')})` : '';
      if (issue.keys.length === 1) {
        const key = issue.keys[0] as string;
        path = [...issue.path, key];
        message = `unknown key "${key}"${known}${suggest(key, allowed)}`;
      } else {
        message = `unknown keys ${issue.keys.map((k) => `"${k}"`).join(', ')}${known}`;
      }
      break;
    }
    case 'too_small':
      message = `expected ${issue.origin === 'array' ? 'at least ' + issue.minimum + ' item(s)' : (issue.inclusive ? '≥ ' : '> ') + issue.minimum}, got ${show(value)}`;
      break;
    case 'too_big':
      message = `expected ${issue.origin === 'array' ? 'at most ' + issue.maximum + ' item(s)' : (issue.inclusive ? '≤ ' : '< ') + issue.maximum}, got ${show(value)}`;
      break;
    default:
      message = `${issue.message}, got ${show(value)}`;
  }
  return `${source} at ${formatPath(path)}: ${message}`;
}

/** The keys the object schema at `path` accepts (walking optional, array, record, union, tuple). */
function objectKeysAt(schema: $ZodType, path: readonly PropertyKey[]): string[] {
  let candidates: $ZodType[] = [schema];
  const expand = (list: $ZodType[]): $ZodType[] =>
    list.flatMap((s) => {
      const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
      if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable') {
        return expand([def.innerType as $ZodType]);
      }
      if (def.type === 'union') return expand(def.options as $ZodType[]);
      return [s];
    });
  for (const key of path) {
    candidates = expand(candidates).flatMap((s) => {
      const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
      if (def.type === 'object') {
        const child = (def.shape as Record<string, $ZodType>)[String(key)];
        return child ? [child] : [];
      }
      if (def.type === 'array') return [def.element as $ZodType];
      if (def.type === 'record') return [def.valueType as $ZodType];
      if (def.type === 'tuple') {
        const item = (def.items as $ZodType[])[Number(key)];
        return item ? [item] : [];
      }
      return [];
    });
  }
  const keys = new Set<string>();
  for (const s of expand(candidates)) {
    const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
    if (def.type === 'object') for (const k of Object.keys(def.shape as object)) keys.add(k);
  }
  return [...keys];
}

function article(expected: string): string {
  if (expected === 'object' || expected === 'array' || expected === 'integer') return `an ${expected}`;
  if (expected === 'string' || expected === 'number' || expected === 'boolean') return `a ${expected}`;
  return expected;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** ' (did you mean "connect"?)' when the value is a near miss of one of the allowed strings. */
function suggest(value: unknown, allowed: readonly unknown[]): string {
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

function valueAt(json: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = json;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
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

// ---------------------------------------------------------------------------------------------------
// The semantic pass

const IPV4_RE = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIpv4(s: string): boolean {
  return IPV4_RE.test(s);
}

type Parsed = z.output<typeof scenarioInputSchema>;

function normalize(input: Parsed, source: string, problems: Problem[]): Scenario {
  const fail = (path: PropertyKey[], message: string) => problems.push({ path, message });
  const micros = (v: unknown, path: PropertyKey[]): Micros => {
    const r = parseDurationResult(v);
    if (r.ok) return r.value;
    fail(path, `${r.error}, got ${show(v)}`);
    return 0;
  };

  const profile: ProfileName = input.profile ?? 'linux';
  const until = input.until === undefined ? DEFAULT_UNTIL : micros(input.until, ['until']);
  if (until <= 0) fail(['until'], `expected a positive duration, got ${show(input.until)}`);

  // Hosts, in declaration order; a host without an ip gets 10.0.0.<n>.
  const hosts: Record<string, HostSpec> = {};
  const ipOwner = new Map<string, string>();
  const hostNames = Object.keys(input.hosts);
  if (hostNames.length === 0) fail(['hosts'], 'expected at least one host, got none');
  hostNames.forEach((hostName, i) => {
    const raw = input.hosts[hostName];
    const spec = typeof raw === 'string' ? { ip: raw } : (raw ?? {});
    const path = typeof raw === 'string' ? ['hosts', hostName] : ['hosts', hostName, 'ip'];
    const ip = spec.ip ?? `10.0.0.${i + 1}`;
    checkIp(ip, path);
    const extraIps = spec.extraIps ?? [];
    for (const [j, extra] of extraIps.entries()) checkIp(extra, ['hosts', hostName, 'extraIps', j]);
    for (const [j, addr] of [ip, ...extraIps].entries()) {
      const owner = ipOwner.get(addr);
      if (owner !== undefined) {
        fail(
          j === 0 ? path : ['hosts', hostName, 'extraIps', j - 1],
          `address ${addr} is already used by host "${owner}"`,
        );
      } else ipOwner.set(addr, hostName);
    }
    const sysctl = normalizeSysctls(spec.sysctl ?? {}, ['hosts', hostName, 'sysctl'], profile, fail);
    hosts[hostName] = { ip, extraIps, sysctl, isn: spec.isn ?? 'rfc6528' };
  });
  const hostExists = (h: string, path: PropertyKey[]): boolean => {
    if (h in hosts) return true;
    fail(path, `expected a host (one of ${hostNames.join(', ')}), got ${show(h)}${suggest(h, hostNames)}`);
    return false;
  };

  function checkIp(ip: string, path: PropertyKey[]): void {
    if (!isIpv4(ip)) fail(path, `expected an IPv4 address like "10.0.0.1", got ${show(ip)}`);
  }

  function endpoint(text: string, path: PropertyKey[], allowZeroPort: boolean): Endpoint {
    const m = /^([^:]+):(\d+)$/.exec(text);
    if (!m) {
      fail(path, `expected an address "ip:port" like "10.0.0.2:80", got ${show(text)}`);
      return { ip: '0.0.0.0', port: 0 };
    }
    const ip = m[1] as string;
    const port = Number(m[2]);
    checkIp(ip, path);
    if (port > 65535 || (!allowZeroPort && port === 0)) {
      fail(path, `expected a port ${allowZeroPort ? '0' : '1'}–65535, got ${port}`);
    }
    return { ip, port };
  }

  // Links: the default, then each named pair (fields it leaves out come from the default).
  const linkOf = (
    raw: Partial<Record<keyof ReturnType<typeof linkFields>, unknown>>,
    base: Omit<LinkSpec, 'between'>,
    path: PropertyKey[],
  ) => ({
    delay: raw.delay === undefined ? base.delay : micros(raw.delay, [...path, 'delay']),
    jitter: raw.jitter === undefined ? base.jitter : micros(raw.jitter, [...path, 'jitter']),
    loss: (raw.loss as number | undefined) ?? base.loss,
    duplicate: (raw.duplicate as number | undefined) ?? base.duplicate,
    reorder: (raw.reorder as number | undefined) ?? base.reorder,
    bandwidth: (raw.bandwidth as number | undefined) ?? base.bandwidth,
    hops: (raw.hops as number | undefined) ?? base.hops,
  });
  const defaultLink = linkOf(input.network ?? {}, DEFAULT_LINK, ['network']);
  const pairs = new Map<string, number>();
  const links: LinkSpec[] = (input.links ?? []).map((raw, i) => {
    const [a, b] = raw.between;
    hostExists(a, ['links', i, 'between', 0]);
    hostExists(b, ['links', i, 'between', 1]);
    if (a === b) fail(['links', i, 'between'], `expected two different hosts, got "${a}" twice`);
    const key = [a, b].sort().join('\0');
    const earlier = pairs.get(key);
    if (earlier !== undefined)
      fail(['links', i, 'between'], `hosts "${a}" and "${b}" already have links[${earlier}]`);
    pairs.set(key, i);
    const { between: _between, ...fields } = raw;
    return { between: [a, b], ...linkOf(fields, defaultLink, ['links', i]) };
  });

  // NAT: several hosts behind one public address.
  const nat: NatSpec[] = (input.nat ?? []).map((raw, i) => {
    checkIp(raw.address, ['nat', i, 'address']);
    const owner = ipOwner.get(raw.address);
    if (owner !== undefined)
      fail(['nat', i, 'address'], `address ${raw.address} is already used by host "${owner}"`);
    raw.inside.forEach((h, j) => {
      hostExists(h, ['nat', i, 'inside', j]);
    });
    return { name: raw.name, address: raw.address, inside: [...raw.inside] };
  });

  // Script: stable-sorted by `at`; `index` keeps the position the author wrote (expectations use it).
  const rawSteps = (input.script ?? []).map((raw, index) => ({
    raw,
    index,
    at: micros(raw.at, ['script', index, 'at']),
  }));
  const ordered = [...rawSteps].sort((x, y) => x.at - y.at || x.index - y.index);
  const sockets = new Map<string, Map<string, number>>(); // host → socket name → creating step
  for (const h of hostNames) sockets.set(h, new Map());
  const script: ScriptStep[] = ordered.map(({ raw, index, at }) => normalizeStep(raw, index, at));

  function normalizeStep(
    raw: Parsed['script'] extends (infer T)[] | undefined ? T : never,
    index: number,
    at: Micros,
  ): ScriptStep {
    const path = (key: string): PropertyKey[] => ['script', index, key];
    if (at > until)
      fail(
        path('at'),
        `expected a time within the run (until ${show(input.until ?? '3min')}), got ${show(raw.at)}`,
      );
    const step: ScriptStep = { index, at, host: raw.host, call: raw.call };
    const known = hostExists(raw.host, path('host'));
    const names = sockets.get(raw.host);
    const needs = (key: keyof typeof raw, what: string) => {
      if (raw[key] === undefined) fail(path(key), `${raw.call} needs "${key}" (${what}), found nothing`);
    };
    const forbid = (...keys: (keyof typeof raw)[]) => {
      for (const key of keys) {
        if (raw[key] !== undefined && key !== 'note')
          fail(path(key), `${raw.call} takes no "${key}", got ${show(raw[key])}`);
      }
    };
    const call = raw.call;
    const isHostAction = call === 'crash' || call === 'reboot';
    if (isHostAction) {
      forbid('fd', 'as', 'addr', 'data', 'bytes', 'backlog', 'how', 'option', 'value');
      if (call === 'crash') forbid('quietTime');
      if (call === 'reboot') step.quietTime = raw.quietTime ?? false;
      return step;
    }
    forbid('quietTime');
    if (call === 'socket') {
      needs('as', 'a name for the new socket');
      forbid('fd', 'addr', 'data', 'bytes', 'backlog', 'how', 'option', 'value');
    } else {
      needs('fd', 'the socket it acts on');
      if (raw.fd !== undefined && known && names && !names.has(raw.fd)) {
        const all = [...names.keys()];
        fail(
          path('fd'),
          `expected a socket created earlier on "${raw.host}"${all.length ? ` (one of ${all.join(', ')})` : ' (none yet)'}, got ${show(raw.fd)}${suggest(raw.fd, all)}`,
        );
      }
      if (raw.fd !== undefined) step.fd = raw.fd;
    }
    if (call === 'accept') needs('as', 'a name for the accepted socket');
    else if (call !== 'socket') forbid('as');
    if (raw.as !== undefined) {
      step.as = raw.as;
      if (known && names) {
        const earlier = names.get(raw.as);
        if (earlier !== undefined)
          fail(path('as'), `socket name "${raw.as}" is already used on "${raw.host}" by script[${earlier}]`);
        else names.set(raw.as, index);
      }
    }
    if (call === 'bind' || call === 'connect') {
      needs(
        'addr',
        call === 'bind' ? 'the local address, port 0 for an ephemeral one' : 'the remote address',
      );
      if (raw.addr !== undefined) step.addr = endpoint(raw.addr, path('addr'), call === 'bind');
    } else forbid('addr');
    if (call === 'send') {
      needs('data', 'the bytes to send');
      if (raw.data !== undefined) step.data = raw.data;
    } else forbid('data');
    if (call === 'recv') {
      if (raw.bytes !== undefined) step.bytes = raw.bytes;
    } else forbid('bytes');
    if (call === 'listen') step.backlog = raw.backlog ?? 128;
    else forbid('backlog');
    if (call === 'shutdown') step.how = raw.how ?? 'SHUT_WR';
    else forbid('how');
    if (call === 'setsockopt') {
      needs('option', 'SO_REUSEADDR, SO_REUSEPORT, SO_LINGER, TCP_LINGER2 or IP_BIND_ADDRESS_NO_PORT');
      needs('value', 'the option value');
      if (raw.option !== undefined && raw.value !== undefined) {
        step.option = raw.option;
        const v = raw.value;
        if (raw.option === 'SO_LINGER') {
          if (typeof v === 'object') step.value = { onoff: v.onoff, linger: v.linger };
          else fail(path('value'), `SO_LINGER expects {"onoff": 0|1, "linger": seconds}, got ${show(v)}`);
        } else if (typeof v === 'object') {
          fail(path('value'), `${raw.option} expects a number or true/false, got ${show(v)}`);
        } else {
          step.value = typeof v === 'boolean' ? (v ? 1 : 0) : v;
          if (raw.option === 'TCP_LINGER2' && (step.value as number) > 120) {
            // Linux caps TCP_LINGER2 at TCP_FIN_TIMEOUT_MAX (120 s) in do_tcp_setsockopt().
            fail(path('value'), `TCP_LINGER2 is at most 120 seconds (TCP_FIN_TIMEOUT_MAX), got ${show(v)}`);
          }
        }
      }
    } else forbid('option', 'value');
    return step;
  }

  // Faults.
  const faults: FaultSpec[] = [];
  (input.faults ?? []).forEach((raw, i) => {
    const kinds = (['drop', 'delay', 'duplicate', 'loop'] as const).filter((k) => raw[k] !== undefined);
    if (kinds.length !== 1) {
      fail(
        ['faults', i],
        `expected exactly one of drop, delay, duplicate, loop, got ${kinds.length ? kinds.join(' and ') : 'none'}`,
      );
      return;
    }
    const kind = kinds[0] as (typeof kinds)[number];
    const path = ['faults', i, kind];
    const body = raw[kind] as Record<string, unknown>;
    const match: SegmentMatch = { nth: (body.nth as number | undefined) ?? 1 };
    if (body.id !== undefined) match.id = body.id as number;
    for (const key of ['from', 'to'] as const) {
      const h = body[key] as string | undefined;
      if (h !== undefined) {
        hostExists(h, [...path, key]);
        match[key] = h;
      }
    }
    if (body.flags !== undefined) {
      const f = body.flags as string;
      if (new Set(f).size !== f.length) fail([...path, 'flags'], `expected each flag once, got ${show(f)}`);
      match.flags = canonicalFlags(f);
    }
    if (body.hasData !== undefined) match.hasData = body.hasData as boolean;
    if (body.after !== undefined) match.after = micros(body.after, [...path, 'after']);
    if (kind === 'drop') faults.push({ kind, match });
    else if (kind === 'delay') faults.push({ kind, match, by: micros(body.by, [...path, 'by']) });
    else if (kind === 'duplicate') faults.push({ kind, match, after: micros(body.by, [...path, 'by']) });
    else
      faults.push({
        kind,
        match,
        hops: body.hops as number,
        perHop: micros(body.perHop, [...path, 'perHop']),
      });
  });

  // The load generator.
  let load: LoadSpec | undefined;
  if (input.load) {
    const raw = input.load;
    const client = raw.client ?? 'client';
    const server = raw.server ?? 'server';
    const clientOk = hostExists(client, ['load', 'client']);
    const serverOk = hostExists(server, ['load', 'server']);
    const serverIps = serverOk ? [hosts[server]?.ip ?? '', ...(hosts[server]?.extraIps ?? [])] : [];
    const clientIps = clientOk ? [hosts[client]?.ip ?? '', ...(hosts[client]?.extraIps ?? [])] : [];
    const dstIps = raw.dst?.ips ?? (serverOk ? [hosts[server]?.ip as string] : []);
    dstIps.forEach((ip, j) => {
      checkIp(ip, ['load', 'dst', 'ips', j]);
      if (serverOk && isIpv4(ip) && !serverIps.includes(ip)) {
        fail(
          ['load', 'dst', 'ips', j],
          `expected an address of "${server}" (${serverIps.join(', ')}), got ${show(ip)}`,
        );
      }
    });
    const dstPorts = raw.dst?.ports ?? [80];
    dstPorts.forEach((p, j) => {
      if (p < 1 || p > 65535) fail(['load', 'dst', 'ports', j], `expected a port 1–65535, got ${p}`);
    });
    const srcIps = raw.src?.ips ?? [];
    srcIps.forEach((ip, j) => {
      checkIp(ip, ['load', 'src', 'ips', j]);
      if (clientOk && isIpv4(ip) && !clientIps.includes(ip)) {
        fail(
          ['load', 'src', 'ips', j],
          `expected an address of "${client}" (${clientIps.join(', ')}), got ${show(ip)}`,
        );
      }
    });
    if (client === server) fail(['load', 'server'], `expected a host other than the client, got "${server}"`);
    const start = raw.start === undefined ? 0 : micros(raw.start, ['load', 'start']);
    const dur = micros(raw.duration, ['load', 'duration']);
    if (start > until) fail(['load', 'start'], `expected a time within the run, got ${show(raw.start)}`);
    load = {
      client,
      server,
      dstIps,
      dstPorts,
      srcIps,
      rate: raw.rate,
      start,
      duration: dur,
      requestBytes: raw.request ?? 100,
      responseBytes: raw.response ?? 100,
      closer: raw.closer ?? 'client',
      requestsPerConnection: raw.requestsPerConnection ?? 1,
      pool: raw.pool ?? 0,
      sampleEvery:
        raw.sampleEvery === undefined ? 1_000_000 : micros(raw.sampleEvery, ['load', 'sampleEvery']),
    };
    if (load.sampleEvery <= 0)
      fail(['load', 'sampleEvery'], `expected a positive duration, got ${show(raw.sampleEvery)}`);
  }

  const snapshots = (input.snapshots ?? []).map((s, i) => {
    const t = micros(s, ['snapshots', i]);
    if (t > until) fail(['snapshots', i], `expected a time within the run, got ${show(s)}`);
    return t;
  });

  // Expectations: the kind follows from which key is present.
  const expect: Expectation[] = [];
  const stepByIndex = new Map(script.map((s) => [s.index, s]));
  (input.expect ?? []).forEach((raw, i) => {
    const e = normalizeExpectation(raw, i);
    if (e) expect.push(e);
  });

  function normalizeExpectation(
    raw: Parsed['expect'] extends (infer T)[] | undefined ? T : never,
    i: number,
  ): Expectation | undefined {
    const path = (key?: string): PropertyKey[] => (key === undefined ? ['expect', i] : ['expect', i, key]);
    const kinds = (['state', 'count', 'step', 'counter', 'received'] as const).filter(
      (k) => raw[k] !== undefined,
    );
    const shape =
      'one of {at, host, state}, {at, host, count, equals|atLeast|atMost}, {step, result}, {at, host, counter, equals|atLeast|atMost}, {host, fd, received}';
    if (kinds.length !== 1) {
      fail(
        path(),
        `expected ${shape}, got ${kinds.length ? `keys ${kinds.join(' and ')} together` : 'none of state, count, step, counter, received'}`,
      );
      return undefined;
    }
    const kind = kinds[0] as (typeof kinds)[number];
    const allowed: Record<typeof kind, string[]> = {
      state: ['at', 'host', 'socket', 'state'],
      count: ['at', 'host', 'count', 'equals', 'atLeast', 'atMost'],
      step: ['step', 'result'],
      counter: ['at', 'host', 'counter', 'equals', 'atLeast', 'atMost'],
      received: ['host', 'fd', 'received'],
    };
    for (const key of Object.keys(raw)) {
      if (key !== 'note' && !allowed[kind].includes(key))
        fail(path(key), `a ${kind} expectation takes no "${key}" (it takes ${allowed[kind].join(', ')})`);
    }
    const need = (key: keyof typeof raw) => {
      if (raw[key] === undefined) fail(path(key), `a ${kind} expectation needs "${key}", found nothing`);
      return raw[key] !== undefined;
    };
    const at = (): Micros | 'end' => {
      if (!need('at')) return 0;
      if (raw.at === 'end') return 'end';
      const t = micros(raw.at, path('at'));
      if (t > until)
        fail(
          path('at'),
          `expected a time within the run (until ${show(input.until ?? '3min')}), got ${show(raw.at)}`,
        );
      return t;
    };
    const atMicros = (): Micros => {
      const t = at();
      return t === 'end' ? until : t;
    };
    const host = (): string => {
      if (need('host')) hostExists(raw.host as string, path('host'));
      return raw.host ?? '';
    };
    const comparison = (): { op: Comparison; value: number } => {
      const ops = (['equals', 'atLeast', 'atMost'] as const).filter((k) => raw[k] !== undefined);
      if (ops.length !== 1) {
        fail(
          path(),
          `expected exactly one of equals, atLeast, atMost, got ${ops.length ? ops.join(' and ') : 'none'}`,
        );
        return { op: 'equals', value: 0 };
      }
      const op = ops[0] as Comparison;
      return { op, value: raw[op] as number };
    };
    switch (kind) {
      case 'state': {
        const e: Expectation = {
          kind: 'state',
          at: atMicros(),
          host: host(),
          state: raw.state as TcpState | 'NONE',
        };
        if (raw.socket?.local !== undefined) {
          endpoint(raw.socket.local, [...path('socket'), 'local'], true);
          e.local = raw.socket.local;
        }
        if (raw.socket?.remote !== undefined) {
          endpoint(raw.socket.remote, [...path('socket'), 'remote'], true);
          e.remote = raw.socket.remote;
        }
        return e;
      }
      case 'count':
        return { kind: 'count', at: atMicros(), host: host(), state: raw.count as TcpState, ...comparison() };
      case 'step': {
        need('result');
        const step = raw.step as number;
        const target = stepByIndex.get(step);
        if (target === undefined)
          fail(path('step'), `expected a script step 0–${(input.script?.length ?? 0) - 1}, got ${step}`);
        else if (target.call === 'crash' || target.call === 'reboot')
          fail(path('step'), `script[${step}] is a ${target.call}, not a socket call`);
        const result: CallOutcome = raw.result === 0 || raw.result === undefined ? '0' : raw.result;
        return { kind: 'call', step, result };
      }
      case 'counter': {
        const counter = raw.counter as string;
        if (!(COUNTERS as readonly string[]).includes(counter)) {
          fail(
            path('counter'),
            `expected one of ${COUNTERS.join(', ')}, got ${show(counter)}${suggest(counter, COUNTERS)}`,
          );
        }
        return { kind: 'counter', at: at(), host: host(), counter, ...comparison() };
      }
      case 'received': {
        const h = host();
        if (need('fd') && h in hosts && !sockets.get(h)?.has(raw.fd as string)) {
          fail(path('fd'), `expected a socket the script names on "${h}", got ${show(raw.fd)}`);
        }
        return { kind: 'received', host: h, fd: raw.fd ?? '', data: raw.received as string };
      }
    }
  }

  const scenario: Scenario = {
    version: 1,
    name: input.name ?? defaultName(source),
    profile,
    seed: input.seed ?? 1,
    until,
    hosts,
    defaultLink,
    links,
    nat,
    script,
    faults,
    snapshots: [...snapshots].sort((a, b) => a - b),
    expect,
  };
  if (input.title) scenario.title = input.title;
  if (input.description) scenario.description = input.description;
  if (load) scenario.load = load;
  return scenario;
}

function normalizeSysctls(
  raw: Partial<Record<keyof Sysctls, unknown>>,
  path: PropertyKey[],
  profile: ProfileName,
  fail: (path: PropertyKey[], message: string) => void,
): Partial<Sysctls> {
  const out: Partial<Sysctls> = {};
  for (const [key, value] of Object.entries(raw) as [keyof Sysctls, unknown][]) {
    if (value === undefined) continue;
    const at = [...path, key];
    if (key === 'net.ipv4.ip_local_port_range') {
      let range: number[];
      if (typeof value === 'string') {
        const parts = value.trim().split(/\s+/);
        range = parts.length === 2 && parts.every((p) => /^\d+$/.test(p)) ? parts.map(Number) : [];
        if (range.length !== 2) {
          fail(at, `expected a port range like "32768 60999", got ${show(value)}`);
          continue;
        }
      } else range = value as number[];
      const [lo, hi] = range as [number, number];
      if (lo < 1 || hi > 65535) fail(at, `expected ports within 1–65535, got ${show(value)}`);
      else if (lo > hi) fail(at, `expected the first port ≤ the last, got ${show(value)}`);
      out[key] = [lo, hi];
    } else if (key === 'net.ipv4.tcp_tw_recycle') {
      if (profile !== 'linux-4.11') {
        fail(
          at,
          `tcp_tw_recycle exists only in profile "linux-4.11" (removed in Linux 4.12), got profile "${profile}"`,
        );
      }
      out[key] = value as 0 | 1;
    } else {
      (out as Record<string, unknown>)[key] = value;
    }
  }
  return out;
}

/** Flags in the order types.ts uses: S, F, R, P, A ('AF' → 'FA'). */
export function canonicalFlags(flags: string): string {
  return [...'SFRPA'].filter((f) => flags.includes(f)).join('');
}

function defaultName(source: string): string {
  const base = source.split(/[\\/]/).pop() ?? source;
  const n = base.replace(/\.json$/i, '');
  return /^[A-Za-z_][\w.-]*$/.test(n) ? n : 'scenario';
}

/** Parse 'ip:port' without validation (for views and expectations). */
export function splitAddress(text: string): Endpoint {
  const i = text.lastIndexOf(':');
  return { ip: text.slice(0, i), port: Number(text.slice(i + 1)) };
}
