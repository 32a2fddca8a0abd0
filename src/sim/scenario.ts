// The scenario format: the JSON a person writes (its shape described once, in ./scenario/shape.ts
// terms: that description is both the validator and the JSON Schema editors use) and its translation
// into the normalized `Scenario` of types.ts that the runtime consumes.
//
// Parsing happens in two passes. The shape pass checks keys, types, enums, duration syntax. The
// semantic pass then checks meaning: names refer to hosts and sockets that exist, addresses are IPv4,
// port ranges are ordered, sysctls exist in the chosen profile. Each pass reports every problem it
// finds, as `<source> at <json.path>: <expected>, got <found>`, in one ScenarioError.

import { DURATION_HINT, DURATION_PATTERN, parseDurationResult } from './duration.ts';
import { PROFILES } from './profiles.ts';
import {
  anyOf,
  array,
  boolean,
  check,
  doc,
  type Found,
  formatPath,
  type Infer,
  integer,
  isRecord,
  number,
  object,
  oneOf,
  optional as opt,
  type Problem,
  record,
  reference,
  show,
  string,
  suggest,
  tuple,
} from './scenario/shape.ts';
import { COUNTER_NAMES } from './tcp/counters.ts';
import { STATE_NAMES } from './tcp/tcb.ts';
import type {
  CallOutcome,
  Comparison,
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

export { formatPath };

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
// Vocabulary (profile names, TCP states and counters come from the runtime that implements them)

const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];
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
export const OPTIONS = [
  'SO_REUSEADDR',
  'SO_REUSEPORT',
  'SO_LINGER',
  'TCP_LINGER2',
  'IP_BIND_ADDRESS_NO_PORT',
] as const;
const SHUTDOWN_HOW = ['SHUT_RD', 'SHUT_WR', 'SHUT_RDWR'] as const;

const FD = 'the socket it acts on';
/**
 * The keys each call takes besides at, host, call and note: those it needs say what they are; those
 * with '' are optional.
 */
const CALL_KEYS: Record<(typeof CALLS)[number], Partial<Record<keyof RawStep, string>>> = {
  socket: { as: 'a name for the new socket' },
  bind: { fd: FD, addr: 'the local address, port 0 for an ephemeral one' },
  listen: { fd: FD, backlog: '' },
  connect: { fd: FD, addr: 'the remote address' },
  accept: { fd: FD, as: 'a name for the accepted socket' },
  send: { fd: FD, data: 'the bytes to send' },
  recv: { fd: FD, bytes: '' },
  shutdown: { fd: FD, how: '' },
  close: { fd: FD },
  setsockopt: {
    fd: FD,
    option: 'SO_REUSEADDR, SO_REUSEPORT, SO_LINGER, TCP_LINGER2 or IP_BIND_ADDRESS_NO_PORT',
    value: 'the option value',
  },
  crash: {},
  reboot: { quietTime: '' },
};

// ---------------------------------------------------------------------------------------------------
// The written form. Only shape here; meaning is checked in `normalize`. Descriptions and examples are
// for editors (they end up in the JSON Schema).

const durationString = () => string({ pattern: DURATION_PATTERN, errorMessage: `expected ${DURATION_HINT}` });
const duration = (description = DURATION_HINT) =>
  doc(anyOf([number({ minimum: 0 }), durationString()], `expected ${DURATION_HINT}`), {
    description,
    examples: ['200ms', '1.5s', '2min', 500],
  });

const instant = () =>
  doc(
    anyOf([number({ minimum: 0 }), durationString(), oneOf(['end'])], `expected ${DURATION_HINT}, or "end"`),
    {
      description: 'time since the start of the run, or "end" (the scenario\'s until)',
    },
  );

const address = () =>
  string({
    description: 'IPv4 address and port, e.g. "10.0.0.2:80"; port 0 asks for an ephemeral port',
    errorMessage: 'expected an address "ip:port"',
  });

const ipv4 = () =>
  string({ description: 'IPv4 address, e.g. "10.0.0.1"', errorMessage: 'expected an IPv4 address' });

const name = () =>
  string({
    pattern: '^[A-Za-z_][\\w.-]*$',
    errorMessage: 'expected a name of letters, digits, "_", "-" or "." starting with a letter',
  });

/** A host's name, as declared in "hosts". */
const hostName = () => reference(doc(name(), { description: 'a host declared in "hosts"' }));

const bit = () => oneOf([0, 1], { errorMessage: 'expected 0 or 1' });
const probability = () => number({ minimum: 0, maximum: 1 });

const bilingual = object({ en: string(), 'zh-cn': string() });

const sysctlSchema = object(
  {
    'net.ipv4.ip_local_port_range': opt(
      doc(
        anyOf(
          [string(), tuple([integer(), integer()])],
          'expected a port range like "32768 60999" or [32768, 60999]',
        ),
        { description: 'first and last ephemeral port, e.g. "32768 60999" or [32768, 60999]' },
      ),
    ),
    'net.ipv4.tcp_tw_reuse': opt(oneOf([0, 1, 2], { errorMessage: 'expected 0, 1 or 2' })),
    'net.ipv4.tcp_tw_reuse_delay': opt(
      integer({ minimum: 1, maximum: 60_000, description: 'milliseconds (Linux ≥ 6.14)' }),
    ),
    'net.ipv4.tcp_timestamps': opt(bit()),
    'net.ipv4.tcp_max_tw_buckets': opt(integer({ minimum: 0 })),
    'net.ipv4.tcp_fin_timeout': opt(integer({ minimum: 1, description: 'seconds' })),
    'net.ipv4.tcp_rfc1337': opt(bit()),
    'net.ipv4.tcp_tw_recycle': opt(
      doc(bit(), { description: 'only in the linux-4.11 profile (removed in Linux 4.12)' }),
    ),
    'net.ipv4.ip_default_ttl': opt(integer({ minimum: 1, maximum: 255 })),
    'net.ipv4.tcp_syn_retries': opt(integer({ minimum: 1, maximum: 127 })),
  },
  { description: 'sysctls this host sets; the profile supplies the rest' },
);

const hostSchema = anyOf(
  [
    ipv4(),
    object({
      ip: opt(ipv4()),
      extraIps: opt(array(ipv4())),
      sysctl: opt(sysctlSchema),
      isn: opt(oneOf(['rfc6528', 'naive'])),
    }),
  ],
  'expected a host: an IPv4 address, or an object with ip, extraIps, sysctl, isn',
);

const linkFields = () => ({
  delay: opt(duration('one-way delay')),
  jitter: opt(duration('uniform ± jitter on the delay')),
  loss: opt(probability()),
  duplicate: opt(probability()),
  reorder: opt(probability()),
  bandwidth: opt(number({ minimum: 0, description: 'bits per second; 0 = no serialisation delay' })),
  hops: opt(integer({ minimum: 0, description: 'routers on the path (each takes one off the TTL)' })),
});

const networkSchema = object(linkFields(), { description: 'the link between any two hosts no link names' });
const linkSchema = object({ between: tuple([hostName(), hostName()]), ...linkFields() });

const natSchema = object({
  name: name(),
  address: ipv4(),
  inside: array(hostName(), { minItems: 1 }),
});

const sockoptValue = anyOf(
  [number(), boolean(), object({ onoff: bit(), linger: integer({ minimum: 0 }) })],
  'expected a number, true/false, or {"onoff": 0|1, "linger": seconds}',
);

const note = () => opt(string({ description: 'free text for the reader; ignored by the simulator' }));

const stepSchema = object({
  at: duration('when the call is made'),
  host: hostName(),
  call: oneOf(CALLS),
  fd: opt(
    doc(name(), { description: 'the socket this call acts on (a name given by socket or accept "as")' }),
  ),
  as: opt(doc(name(), { description: 'name for the new socket (socket, accept)' })),
  addr: opt(address()),
  data: opt(string()),
  bytes: opt(integer({ exclusiveMinimum: 0 })),
  backlog: opt(integer({ minimum: 0 })),
  how: opt(oneOf(SHUTDOWN_HOW)),
  option: opt(oneOf(OPTIONS)),
  value: opt(sockoptValue),
  quietTime: opt(boolean()),
  note: note(),
});

const flags = () =>
  string({
    pattern: '^[SFRPA]+$',
    errorMessage: 'expected TCP flags as letters S, F, R, P, A (e.g. "A", "FA", "SA")',
  });

const matchFields = () => ({
  id: opt(integer({ exclusiveMinimum: 0 })),
  from: opt(hostName()),
  to: opt(hostName()),
  flags: opt(flags()),
  hasData: opt(boolean()),
  after: opt(duration('only segments sent at or after this time')),
  nth: opt(integer({ exclusiveMinimum: 0, description: 'the nth matching segment (1-based, default 1)' })),
});

// Exactly one kind per fault: the JSON Schema says so for editors; `normalize` says so for the parser.
const faultSchema = object(
  {
    drop: opt(object(matchFields())),
    delay: opt(object({ ...matchFields(), by: duration('extra delay') })),
    duplicate: opt(object({ ...matchFields(), by: duration('the copy arrives this much later') })),
    loop: opt(
      object({ ...matchFields(), hops: integer({ exclusiveMinimum: 0 }), perHop: duration('time per hop') }),
    ),
  },
  { description: 'exactly one of drop, delay, duplicate, loop', minProperties: 1, maxProperties: 1 },
);

const loadSchema = object({
  client: opt(hostName()),
  server: opt(hostName()),
  rate: number({ exclusiveMinimum: 0, description: 'new requests per second' }),
  start: opt(duration('when the load starts (default 0)')),
  duration: duration('how long the load lasts'),
  request: opt(integer({ minimum: 0, description: 'request bytes (default 100)' })),
  response: opt(integer({ minimum: 0, description: 'response bytes (default 100)' })),
  closer: opt(oneOf(['client', 'server'])),
  requestsPerConnection: opt(integer({ exclusiveMinimum: 0 })),
  pool: opt(integer({ minimum: 0 })),
  dst: opt(
    object({
      ips: opt(array(ipv4(), { minItems: 1 })),
      ports: opt(array(integer(), { minItems: 1 })),
    }),
  ),
  src: opt(object({ ips: opt(array(ipv4())) })),
  sampleEvery: opt(duration('sampling interval (default 1s)')),
});

/** The kinds of expectation (the kind follows from which of these keys is present) and the keys each takes. */
const EXPECTATION_KEYS = {
  state: ['at', 'host', 'socket', 'state'],
  count: ['at', 'host', 'count', 'equals', 'atLeast', 'atMost'],
  step: ['step', 'result'],
  counter: ['at', 'host', 'counter', 'equals', 'atLeast', 'atMost'],
  received: ['host', 'fd', 'received'],
} as const;
const EXPECTATION_FORMS =
  'one of {at, host, socket?, state} | {at, host, count, equals|atLeast|atMost} | {step, result} | {at, host, counter, equals|atLeast|atMost} | {host, fd, received}';

const expectSchema = object(
  {
    at: opt(instant()),
    host: opt(hostName()),
    socket: opt(object({ local: opt(address()), remote: opt(address()) })),
    state: opt(oneOf([...STATE_NAMES, 'NONE'])),
    count: opt(oneOf(STATE_NAMES)),
    step: opt(integer({ minimum: 0 })),
    result: opt(oneOf([0, '0', ...ERRNOS, 'pending'])),
    counter: opt(string()),
    fd: opt(name()),
    received: opt(string()),
    equals: opt(number()),
    atLeast: opt(number()),
    atMost: opt(number()),
    note: note(),
  },
  { description: EXPECTATION_FORMS },
);

export const scenarioInputSchema = object(
  {
    $schema: opt(string()),
    version: opt(oneOf([1])),
    name: opt(name()),
    title: opt(bilingual),
    description: opt(bilingual),
    profile: opt(oneOf(PROFILE_NAMES)),
    seed: opt(integer({ minimum: 0 })),
    until: opt(duration('the run stops here (default 3min)')),
    hosts: record(name(), hostSchema, {
      errorMessage: 'expected an object of hosts by name, e.g. {"client": "10.0.0.1"}',
    }),
    network: opt(networkSchema),
    links: opt(array(linkSchema)),
    nat: opt(array(natSchema)),
    script: opt(array(stepSchema)),
    faults: opt(array(faultSchema)),
    load: opt(loadSchema),
    snapshots: opt(array(duration('an instant at which to record every socket table'))),
    expect: opt(array(expectSchema)),
  },
  { title: 'TIME_WAIT simulator scenario', description: 'A scenario for the TIME_WAIT, Explained simulator' },
);

export type ScenarioInput = Infer<typeof scenarioInputSchema>;
type Parsed = ScenarioInput;
type RawStep = Infer<typeof stepSchema>;

/** The JSON Schema editors use (scenario files point at it with "$schema"). */
export function scenarioJsonSchema(): Record<string, unknown> {
  // The description is JSON Schema already; the round trip drops the type-level markers.
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    ...JSON.parse(JSON.stringify(scenarioInputSchema)),
  };
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
  const format = (p: Problem) => `${source} at ${formatPath(p.path)}: ${p.message}`;
  const shape: Problem[] = [];
  const hostRefs: Found[] = [];
  check(scenarioInputSchema, json, [], shape, hostRefs);
  if (shape.length > 0) {
    // The meaning pass needs a well-formed document, but misspelt host names are worth reporting
    // together with shape problems, so check the names the shape pass found against `hosts`.
    const hosts = isRecord(json) ? json.hosts : undefined;
    const declared = isRecord(hosts) ? Object.keys(hosts) : [];
    const taken = new Set(shape.map((p) => formatPath(p.path)));
    for (const { path, value } of hostRefs) {
      if (
        declared.length &&
        typeof value === 'string' &&
        !declared.includes(value) &&
        !taken.has(formatPath(path))
      )
        shape.push({ path, message: unknownHost(value, declared) });
    }
    throw new ScenarioError(shape.map(format));
  }
  const problems: Problem[] = [];
  const scenario = normalize(json as Parsed, source, problems);
  if (problems.length > 0) throw new ScenarioError(problems.map(format));
  return scenario;
}

const unknownHost = (name: string, declared: string[]) =>
  `expected a host (one of ${declared.join(', ')}), got ${show(name)}${suggest(name, declared)}`;

// ---------------------------------------------------------------------------------------------------
// The semantic pass

const IPV4_RE = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIpv4(s: string): boolean {
  return IPV4_RE.test(s);
}

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
    const extraIps = [...(spec.extraIps ?? [])];
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
    if (Object.hasOwn(hosts, h)) return true;
    fail(path, unknownHost(h, hostNames));
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

  function normalizeStep(raw: RawStep, index: number, at: Micros): ScriptStep {
    const path = (key: string): PropertyKey[] => ['script', index, key];
    if (at > until)
      fail(
        path('at'),
        `expected a time within the run (until ${show(input.until ?? '3min')}), got ${show(raw.at)}`,
      );
    const { call } = raw;
    const step: ScriptStep = { index, at, host: raw.host, call };
    const known = hostExists(raw.host, path('host'));
    const names = sockets.get(raw.host);
    const takes = CALL_KEYS[call];
    for (const [key, value] of Object.entries(raw)) {
      if (!Object.hasOwn(takes, key) && !['at', 'host', 'call', 'note'].includes(key))
        fail(path(key), `${call} takes no "${key}", got ${show(value)}`);
    }
    for (const [key, what] of Object.entries(takes)) {
      if (what && raw[key as keyof RawStep] === undefined)
        fail(path(key), `${call} needs "${key}" (${what}), found nothing`);
    }
    if (call === 'reboot') step.quietTime = raw.quietTime ?? false;
    if (raw.fd !== undefined && takes.fd) {
      if (known && names && !names.has(raw.fd)) {
        const all = [...names.keys()];
        fail(
          path('fd'),
          `expected a socket created earlier on "${raw.host}"${all.length ? ` (one of ${all.join(', ')})` : ' (none yet)'}, got ${show(raw.fd)}${suggest(raw.fd, all)}`,
        );
      }
      step.fd = raw.fd;
    }
    if (raw.as !== undefined && takes.as) {
      step.as = raw.as;
      if (known && names) {
        const earlier = names.get(raw.as);
        if (earlier !== undefined)
          fail(path('as'), `socket name "${raw.as}" is already used on "${raw.host}" by script[${earlier}]`);
        else names.set(raw.as, index);
      }
    }
    if (raw.addr !== undefined && takes.addr) step.addr = endpoint(raw.addr, path('addr'), call === 'bind');
    if (raw.data !== undefined && takes.data) step.data = raw.data;
    if (raw.bytes !== undefined && takes.bytes !== undefined) step.bytes = raw.bytes;
    if (call === 'listen') step.backlog = raw.backlog ?? 128;
    if (call === 'shutdown') step.how = raw.how ?? 'SHUT_WR';
    if (call === 'setsockopt' && raw.option !== undefined && raw.value !== undefined) {
      step.option = raw.option;
      const v = raw.value;
      if (raw.option === 'SO_LINGER') {
        if (typeof v === 'object') step.value = { onoff: v.onoff, linger: v.linger };
        else fail(path('value'), `SO_LINGER expects {"onoff": 0|1, "linger": seconds}, got ${show(v)}`);
      } else if (typeof v === 'object') {
        fail(path('value'), `${raw.option} expects a number or true/false, got ${show(v)}`);
      } else {
        step.value = typeof v === 'boolean' ? (v ? 1 : 0) : v;
        if (raw.option === 'TCP_LINGER2' && step.value > 120) {
          // Linux caps TCP_LINGER2 at TCP_FIN_TIMEOUT_MAX (120 s) in do_tcp_setsockopt().
          fail(path('value'), `TCP_LINGER2 is at most 120 seconds (TCP_FIN_TIMEOUT_MAX), got ${show(v)}`);
        }
      }
    }
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
    const dstIps = [...(raw.dst?.ips ?? (serverOk ? [hosts[server]?.ip as string] : []))];
    dstIps.forEach((ip, j) => {
      checkIp(ip, ['load', 'dst', 'ips', j]);
      if (serverOk && isIpv4(ip) && !serverIps.includes(ip)) {
        fail(
          ['load', 'dst', 'ips', j],
          `expected an address of "${server}" (${serverIps.join(', ')}), got ${show(ip)}`,
        );
      }
    });
    const dstPorts = [...(raw.dst?.ports ?? [80])];
    dstPorts.forEach((p, j) => {
      if (p < 1 || p > 65535) fail(['load', 'dst', 'ports', j], `expected a port 1–65535, got ${p}`);
    });
    const srcIps = [...(raw.src?.ips ?? [])];
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
    const all = Object.keys(EXPECTATION_KEYS) as (keyof typeof EXPECTATION_KEYS)[];
    const kinds = all.filter((k) => raw[k] !== undefined);
    if (kinds.length !== 1) {
      fail(
        path(),
        `expected ${EXPECTATION_FORMS}, got ${kinds.length ? `keys ${kinds.join(' and ')} together` : `none of ${all.join(', ')}`}`,
      );
      return undefined;
    }
    const kind = kinds[0] as (typeof kinds)[number];
    const allowed: readonly string[] = EXPECTATION_KEYS[kind];
    for (const key of Object.keys(raw)) {
      if (key !== 'note' && !allowed.includes(key))
        fail(path(key), `a ${kind} expectation takes no "${key}" (it takes ${allowed.join(', ')})`);
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
        return {
          kind: 'count',
          at: atMicros(),
          host: host(),
          state: raw.count as TcpState,
          ...comparison(),
        };
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
        if (!(COUNTER_NAMES as readonly string[]).includes(counter)) {
          fail(
            path('counter'),
            `expected one of ${COUNTER_NAMES.join(', ')}, got ${show(counter)}${suggest(counter, COUNTER_NAMES)}`,
          );
        }
        return { kind: 'counter', at: at(), host: host(), counter, ...comparison() };
      }
      case 'received': {
        const h = host();
        if (need('fd') && Object.hasOwn(hosts, h) && !sockets.get(h)?.has(raw.fd as string)) {
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
  // Copies, like every array above: the Scenario never shares objects with the caller's JSON.
  if (input.title) scenario.title = { ...input.title };
  if (input.description) scenario.description = { ...input.description };
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
  // In the order the format lists them, whatever order the file uses.
  for (const key of Object.keys(sysctlSchema.properties ?? {}) as (keyof Sysctls)[]) {
    const value = raw[key];
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
