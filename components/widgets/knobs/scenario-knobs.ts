// Every knob a scenario offers: the run (profile, seed, length), each host's sysctls, the network
// (delay, jitter, loss, duplication, reordering), the socket options its script sets, and the load
// generator (rate, duration, who closes first, destination ports and addresses). The knob set is
// derived from the scenario itself, so every preset gets the knobs that mean something for it.

import type { ProfileName } from '../../../src/sim/index.ts';
import { PROFILES } from '../../../src/sim/index.ts';
import {
  checkKnobValue,
  getPath,
  type Knob,
  type KnobValue,
  numberAt,
  type ScenarioJson,
  setPath,
  type Text,
} from './spec.ts';

/**
 * The most connections one playground run may open (rate × duration). A load run keeps every
 * TIME_WAIT entry in memory: 10⁶ of them need ≈1.2 GB (BENCHMARKS.md), more than a browser tab should
 * take; 3 × 10⁵ stays near 400 MB and 5 s. The CLI (`npm run sim`) runs any size.
 */
export const MAX_CONNECTIONS = 300_000;

export const GROUPS: Record<string, Text> = {
  run: { en: 'Run', 'zh-cn': '运行' },
  net: { en: 'Network', 'zh-cn': '网络' },
  load: { en: 'Load generator', 'zh-cn': '负载生成器' },
  sockopt: { en: 'Socket options', 'zh-cn': '套接字选项' },
};

export function groupLabel(group: string): Text {
  const known = GROUPS[group];
  if (known) return known;
  if (group.startsWith('host:')) {
    const name = group.slice(5);
    return { en: `Host “${name}”: sysctls`, 'zh-cn': `主机“${name}”：sysctl` };
  }
  return { en: group, 'zh-cn': group };
}

const UNIT = {
  ms: { en: 'ms', 'zh-cn': '毫秒' },
  s: { en: 's', 'zh-cn': '秒' },
  pct: { en: '%', 'zh-cn': '%' },
  perS: { en: 'per s', 'zh-cn': '个/秒' },
  port: { en: '', 'zh-cn': '' },
  entries: { en: 'entries', 'zh-cn': '个' },
  bytes: { en: 'bytes', 'zh-cn': '字节' },
  hops: { en: 'hops', 'zh-cn': '跳' },
  conns: { en: 'connections', 'zh-cn': '个连接' },
} satisfies Record<string, Text>;

const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s|sec|min|h)\s*$/;
const MICROS: Record<string, number> = { us: 1, µs: 1, ms: 1e3, s: 1e6, sec: 1e6, min: 6e7, h: 3.6e9 };

/** A scenario duration (a number of milliseconds or "200ms", "1.5s", "2min") in microseconds. */
export function durationMicros(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) && raw >= 0 ? raw * 1e3 : undefined;
  if (typeof raw !== 'string') return undefined;
  const m = DURATION.exec(raw);
  if (!m) return undefined;
  return Math.round(Number(m[1]) * (MICROS[m[2] as string] as number));
}

const inMs = {
  read: (raw: unknown) => {
    const us = durationMicros(raw);
    return us === undefined ? undefined : us / 1e3;
  },
  write: (v: number) => `${v}ms`,
};
const inS = {
  read: (raw: unknown) => {
    const us = durationMicros(raw);
    return us === undefined ? undefined : us / 1e6;
  },
  write: (v: number) => `${v}s`,
};
const percent = {
  read: (raw: unknown) => (typeof raw === 'number' ? Math.round(raw * 1000) / 10 : undefined),
  write: (v: number) => Math.round(v * 10) / 1000,
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * A deep copy of a scenario in the shape the knobs expect: every host an object with a sysctl object,
 * the port range as [first, last]. The simulator accepts both forms; the knobs need one.
 */
export function normalizeScenario(json: unknown): ScenarioJson {
  const s = structuredClone(json) as ScenarioJson;
  delete s.$schema;
  // Expectations are the scenario's test assertions; in the playground they would only forbid
  // legitimate changes (a shorter run than an expectation's instant is rejected by the parser).
  delete s.expect;
  const hosts = isObject(s.hosts) ? s.hosts : {};
  for (const [name, h] of Object.entries(hosts)) {
    const host = typeof h === 'string' ? { ip: h } : isObject(h) ? h : {};
    if (!isObject(host.sysctl)) host.sysctl = {};
    const sys = host.sysctl as Record<string, unknown>;
    const range = sys['net.ipv4.ip_local_port_range'];
    if (typeof range === 'string') {
      const parts = range.trim().split(/\s+/).map(Number);
      if (parts.length === 2 && parts.every(Number.isInteger)) sys['net.ipv4.ip_local_port_range'] = parts;
    }
    hosts[name] = host;
  }
  s.hosts = hosts;
  return s;
}

function profileOf(s: ScenarioJson): ProfileName {
  const p = s.profile;
  return typeof p === 'string' && p in PROFILES ? (p as ProfileName) : 'linux';
}

function sysctlDefault(s: ScenarioJson, key: string): number {
  const sys = PROFILES[profileOf(s)].sysctl as unknown as Record<string, number | [number, number]>;
  const v = sys[key];
  return typeof v === 'number' ? v : 0;
}

function portRangeDefault(s: ScenarioJson, i: 0 | 1): number {
  return PROFILES[profileOf(s)].sysctl['net.ipv4.ip_local_port_range'][i];
}

function toggleAt(
  id: string,
  group: string,
  path: readonly (string | number)[],
  label: Text,
  fallback: (s: ScenarioJson) => boolean,
  help?: Text,
): Knob {
  return {
    id,
    group,
    path,
    label,
    ...(help ? { help } : {}),
    kind: 'toggle',
    get(s) {
      const v = getPath(s, path);
      if (typeof v === 'number') return v !== 0;
      if (typeof v === 'boolean') return v;
      return fallback(s);
    },
    set(s, v) {
      setPath(s, path, v ? 1 : 0);
    },
  };
}

function hostKnobs(s: ScenarioJson, host: string): Knob[] {
  const g = `host:${host}`;
  const sys = (key: string) => ['hosts', host, 'sysctl', key] as const;
  const id = (name: string) => `${host}.${name}`;
  const knobs: Knob[] = [
    numberAt(
      {
        id: id('port_min'),
        group: g,
        path: [...sys('net.ipv4.ip_local_port_range'), 0],
        label: { en: 'ip_local_port_range: first port', 'zh-cn': 'ip_local_port_range：起始端口' },
        min: 1024,
        max: 65535,
        step: 1,
      },
      portRangeDefault(s, 0),
    ),
    numberAt(
      {
        id: id('port_max'),
        group: g,
        path: [...sys('net.ipv4.ip_local_port_range'), 1],
        label: { en: 'ip_local_port_range: last port', 'zh-cn': 'ip_local_port_range：结束端口' },
        min: 1024,
        max: 65535,
        step: 1,
      },
      portRangeDefault(s, 1),
    ),
    {
      id: id('tcp_tw_reuse'),
      group: g,
      path: sys('net.ipv4.tcp_tw_reuse'),
      label: { en: 'tcp_tw_reuse', 'zh-cn': 'tcp_tw_reuse' },
      kind: 'select',
      options: [
        { value: '0', label: { en: '0: off', 'zh-cn': '0：关闭' } },
        { value: '1', label: { en: '1: on', 'zh-cn': '1：开启' } },
        { value: '2', label: { en: '2: loopback only', 'zh-cn': '2：仅回环' } },
      ],
      get(x) {
        const v = getPath(x, sys('net.ipv4.tcp_tw_reuse'));
        return String(typeof v === 'number' ? v : sysctlDefault(x, 'net.ipv4.tcp_tw_reuse'));
      },
      set(x, v) {
        setPath(x, sys('net.ipv4.tcp_tw_reuse'), Number(v));
      },
    },
    numberAt(
      {
        id: id('tcp_tw_reuse_delay'),
        group: g,
        path: sys('net.ipv4.tcp_tw_reuse_delay'),
        label: { en: 'tcp_tw_reuse_delay', 'zh-cn': 'tcp_tw_reuse_delay' },
        min: 1,
        max: 60000,
        step: 1,
        log: true,
        unit: UNIT.ms,
      },
      sysctlDefault(s, 'net.ipv4.tcp_tw_reuse_delay'),
    ),
    toggleAt(
      id('tcp_timestamps'),
      g,
      sys('net.ipv4.tcp_timestamps'),
      { en: 'tcp_timestamps', 'zh-cn': 'tcp_timestamps' },
      (x) => sysctlDefault(x, 'net.ipv4.tcp_timestamps') !== 0,
    ),
    numberAt(
      {
        id: id('tcp_max_tw_buckets'),
        group: g,
        path: sys('net.ipv4.tcp_max_tw_buckets'),
        label: { en: 'tcp_max_tw_buckets', 'zh-cn': 'tcp_max_tw_buckets' },
        min: 0,
        max: 4_000_000,
        step: 1,
        log: true,
        unit: UNIT.entries,
      },
      sysctlDefault(s, 'net.ipv4.tcp_max_tw_buckets'),
    ),
    numberAt(
      {
        id: id('tcp_fin_timeout'),
        group: g,
        path: sys('net.ipv4.tcp_fin_timeout'),
        label: { en: 'tcp_fin_timeout (FIN_WAIT_2 only)', 'zh-cn': 'tcp_fin_timeout（仅 FIN_WAIT_2）' },
        min: 1,
        max: 600,
        step: 1,
        unit: UNIT.s,
      },
      sysctlDefault(s, 'net.ipv4.tcp_fin_timeout'),
    ),
    toggleAt(
      id('tcp_rfc1337'),
      g,
      sys('net.ipv4.tcp_rfc1337'),
      { en: 'tcp_rfc1337', 'zh-cn': 'tcp_rfc1337' },
      (x) => sysctlDefault(x, 'net.ipv4.tcp_rfc1337') !== 0,
    ),
    numberAt(
      {
        id: id('ip_default_ttl'),
        group: g,
        path: sys('net.ipv4.ip_default_ttl'),
        label: { en: 'ip_default_ttl', 'zh-cn': 'ip_default_ttl' },
        min: 1,
        max: 255,
        step: 1,
        unit: UNIT.hops,
      },
      sysctlDefault(s, 'net.ipv4.ip_default_ttl'),
    ),
    numberAt(
      {
        id: id('tcp_syn_retries'),
        group: g,
        path: sys('net.ipv4.tcp_syn_retries'),
        label: { en: 'tcp_syn_retries', 'zh-cn': 'tcp_syn_retries' },
        min: 1,
        max: 10,
        step: 1,
      },
      sysctlDefault(s, 'net.ipv4.tcp_syn_retries'),
    ),
  ];
  // tcp_tw_recycle exists only in the linux-4.11 profile (removed in Linux 4.12, commit 4396e46187ca).
  if (profileOf(s) === 'linux-4.11') {
    knobs.push(
      toggleAt(
        id('tcp_tw_recycle'),
        g,
        sys('net.ipv4.tcp_tw_recycle'),
        { en: 'tcp_tw_recycle', 'zh-cn': 'tcp_tw_recycle' },
        () => false,
      ),
    );
  }
  return knobs;
}

function sockoptKnobs(s: ScenarioJson): Knob[] {
  const script = Array.isArray(s.script) ? s.script : [];
  const knobs: Knob[] = [];
  script.forEach((step: unknown, i: number) => {
    if (!isObject(step) || step.call !== 'setsockopt' || typeof step.option !== 'string') return;
    const where = `${String(step.host)}/${String(step.fd)}`;
    if (step.option === 'SO_LINGER') {
      knobs.push(
        toggleAt(
          `step${i}.linger_on`,
          'sockopt',
          ['script', i, 'value', 'onoff'],
          { en: `SO_LINGER on (${where})`, 'zh-cn': `SO_LINGER 开启（${where}）` },
          () => false,
        ),
        numberAt(
          {
            id: `step${i}.linger`,
            group: 'sockopt',
            path: ['script', i, 'value', 'linger'],
            label: { en: `SO_LINGER linger time (${where})`, 'zh-cn': `SO_LINGER 逗留时间（${where}）` },
            help: {
              en: '0 with SO_LINGER on: close() sends RST and skips TIME_WAIT',
              'zh-cn': '开启 SO_LINGER 且为 0：close() 发送 RST，跳过 TIME_WAIT',
            },
            min: 0,
            max: 60,
            step: 1,
            unit: UNIT.s,
          },
          0,
        ),
      );
    } else if (step.option === 'TCP_LINGER2') {
      knobs.push(
        numberAt(
          {
            id: `step${i}.value`,
            group: 'sockopt',
            path: ['script', i, 'value'],
            label: { en: `TCP_LINGER2 (${where})`, 'zh-cn': `TCP_LINGER2（${where}）` },
            min: 0,
            max: 600,
            step: 1,
            unit: UNIT.s,
          },
          0,
        ),
      );
    } else {
      knobs.push(
        toggleAt(
          `step${i}.value`,
          'sockopt',
          ['script', i, 'value'],
          { en: `${step.option} (${where})`, 'zh-cn': `${step.option}（${where}）` },
          () => true,
        ),
      );
    }
  });
  return knobs;
}

function serverIp(s: ScenarioJson): string {
  const server = getPath(s, ['load', 'server']);
  const name = typeof server === 'string' ? server : 'server';
  const ip = getPath(s, ['hosts', name, 'ip']);
  return typeof ip === 'string' ? ip : '10.0.0.2';
}

/** n consecutive IPv4 addresses starting at `first` (for "more destination addresses"). */
export function ipRange(first: string, n: number): string[] {
  const parts = first.split('.').map(Number);
  const base =
    (((parts[0] ?? 0) << 24) >>> 0) + ((parts[1] ?? 0) << 16) + ((parts[2] ?? 0) << 8) + (parts[3] ?? 0);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const v = base + i;
    out.push([v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.'));
  }
  return out;
}

function loadKnobs(): Knob[] {
  const g = 'load';
  return [
    numberAt(
      {
        id: 'load.rate',
        group: g,
        path: ['load', 'rate'],
        label: { en: 'New connections per second', 'zh-cn': '每秒新建连接数' },
        min: 1,
        max: 20000,
        step: 1,
        log: true,
        unit: UNIT.perS,
      },
      1000,
    ),
    numberAt(
      {
        id: 'load.duration',
        group: g,
        path: ['load', 'duration'],
        label: { en: 'Load duration', 'zh-cn': '负载持续时间' },
        min: 1,
        max: 300,
        step: 1,
        unit: UNIT.s,
      },
      10,
      inS,
    ),
    {
      id: 'load.closer',
      group: g,
      path: ['load', 'closer'],
      label: { en: 'Who closes first', 'zh-cn': '谁先关闭' },
      kind: 'select',
      options: [
        {
          value: 'client',
          label: { en: 'client (TIME_WAIT on the client)', 'zh-cn': '客户端（TIME_WAIT 在客户端）' },
        },
        {
          value: 'server',
          label: { en: 'server (TIME_WAIT on the server)', 'zh-cn': '服务器（TIME_WAIT 在服务器）' },
        },
      ],
      get(s) {
        const v = getPath(s, ['load', 'closer']);
        return v === 'server' ? 'server' : 'client';
      },
      set(s, v) {
        setPath(s, ['load', 'closer'], v);
      },
    },
    numberAt(
      {
        id: 'load.rpc',
        group: g,
        path: ['load', 'requestsPerConnection'],
        label: { en: 'Requests per connection (keep-alive)', 'zh-cn': '每个连接的请求数（keep-alive）' },
        min: 1,
        max: 1000,
        step: 1,
        log: true,
      },
      1,
    ),
    numberAt(
      {
        id: 'load.pool',
        group: g,
        path: ['load', 'pool'],
        label: { en: 'Connection pool size (0 = none)', 'zh-cn': '连接池大小（0 = 不用）' },
        min: 0,
        max: 10000,
        step: 1,
        unit: UNIT.conns,
      },
      0,
    ),
    {
      id: 'load.dstPorts',
      group: g,
      path: ['load', 'dst', 'ports'],
      label: { en: 'Destination ports', 'zh-cn': '目标端口数' },
      help: { en: 'consecutive server ports from the first one', 'zh-cn': '从第一个端口起连续的服务器端口' },
      kind: 'number',
      min: 1,
      max: 64,
      step: 1,
      get(s) {
        const v = getPath(s, ['load', 'dst', 'ports']);
        return Array.isArray(v) && v.length > 0 ? v.length : 1;
      },
      set(s, n) {
        const v = getPath(s, ['load', 'dst', 'ports']);
        const first = Array.isArray(v) && typeof v[0] === 'number' ? v[0] : 80;
        setPath(
          s,
          ['load', 'dst', 'ports'],
          Array.from({ length: n }, (_, i) => Math.min(65535, first + i)),
        );
      },
    },
    {
      id: 'load.dstIps',
      group: g,
      path: ['load', 'dst', 'ips'],
      label: { en: 'Destination addresses', 'zh-cn': '目标地址数' },
      help: { en: 'the server gets this many consecutive addresses', 'zh-cn': '服务器获得这么多个连续地址' },
      kind: 'number',
      min: 1,
      max: 8,
      step: 1,
      get(s) {
        const v = getPath(s, ['load', 'dst', 'ips']);
        return Array.isArray(v) && v.length > 0 ? v.length : 1;
      },
      set(s, n) {
        const server = getPath(s, ['load', 'server']);
        const name = typeof server === 'string' ? server : 'server';
        const ips = ipRange(serverIp(s), n);
        setPath(s, ['load', 'dst', 'ips'], ips);
        setPath(s, ['hosts', name, 'extraIps'], ips.slice(1));
      },
    },
  ];
}

/** Every knob for this scenario, in display order. */
export function knobsFor(s: ScenarioJson): Knob[] {
  const knobs: Knob[] = [
    {
      id: 'profile',
      group: 'run',
      path: ['profile'],
      label: { en: 'Profile (which TCP stack)', 'zh-cn': '配置（哪种 TCP 实现）' },
      kind: 'select',
      options: (Object.keys(PROFILES) as ProfileName[]).map((p) => ({
        value: p,
        label: { en: p, 'zh-cn': p },
      })),
      get: (x) => profileOf(x),
      set(x, v) {
        x.profile = v;
      },
    },
    numberAt(
      {
        id: 'seed',
        group: 'run',
        path: ['seed'],
        label: { en: 'Random seed', 'zh-cn': '随机种子' },
        min: 0,
        max: 999999,
        step: 1,
      },
      1,
    ),
    numberAt(
      {
        id: 'until',
        group: 'run',
        path: ['until'],
        label: { en: 'Run length', 'zh-cn': '运行时长' },
        min: 1,
        max: 600,
        step: 1,
        unit: UNIT.s,
      },
      180,
      inS,
    ),
    numberAt(
      {
        id: 'net.delay',
        group: 'net',
        path: ['network', 'delay'],
        label: { en: 'One-way delay', 'zh-cn': '单向时延' },
        min: 0,
        max: 1000,
        step: 1,
        unit: UNIT.ms,
      },
      5,
      inMs,
    ),
    numberAt(
      {
        id: 'net.jitter',
        group: 'net',
        path: ['network', 'jitter'],
        label: { en: 'Jitter (±)', 'zh-cn': '抖动（±）' },
        min: 0,
        max: 500,
        step: 1,
        unit: UNIT.ms,
      },
      0,
      inMs,
    ),
    numberAt(
      {
        id: 'net.loss',
        group: 'net',
        path: ['network', 'loss'],
        label: { en: 'Loss', 'zh-cn': '丢包率' },
        min: 0,
        max: 50,
        step: 0.5,
        unit: UNIT.pct,
      },
      0,
      percent,
    ),
    numberAt(
      {
        id: 'net.duplicate',
        group: 'net',
        path: ['network', 'duplicate'],
        label: { en: 'Duplication', 'zh-cn': '重复率' },
        min: 0,
        max: 50,
        step: 0.5,
        unit: UNIT.pct,
      },
      0,
      percent,
    ),
    numberAt(
      {
        id: 'net.reorder',
        group: 'net',
        path: ['network', 'reorder'],
        label: { en: 'Reordering', 'zh-cn': '乱序率' },
        min: 0,
        max: 50,
        step: 0.5,
        unit: UNIT.pct,
      },
      0,
      percent,
    ),
  ];
  const hosts = isObject(s.hosts) ? Object.keys(s.hosts) : [];
  for (const h of hosts) knobs.push(...hostKnobs(s, h));
  knobs.push(...sockoptKnobs(s));
  if (isObject(s.load)) knobs.push(...loadKnobs());
  return knobs;
}

/** The knob values a scenario has now (defaults filled in from its profile). */
export function knobValues(s: ScenarioJson, knobs: readonly Knob[]): Record<string, KnobValue> {
  const out: Record<string, KnobValue> = {};
  for (const k of knobs) out[k.id] = k.get(s);
  return out;
}

/**
 * Apply changed knob values to a copy of the scenario. Values are checked again here (they may come
 * from a URL); an invalid one throws, naming the knob.
 */
export function applyKnobs(
  base: ScenarioJson,
  knobs: readonly Knob[],
  values: Record<string, KnobValue>,
): ScenarioJson {
  const s = structuredClone(base);
  // The profile first: the sysctl knobs' defaults depend on it.
  const ordered = [...knobs].sort((a, b) => (a.id === 'profile' ? -1 : b.id === 'profile' ? 1 : 0));
  for (const k of ordered) {
    if (!(k.id in values)) continue;
    const checked = checkKnobValue(k, values[k.id]);
    if (!checked.ok) throw new RangeError(`${k.id}: ${checked.error.en}`);
    if (checked.value === k.get(s)) continue;
    (k.set as (s: ScenarioJson, v: KnobValue) => void)(s, checked.value);
  }
  return s;
}

/** Problems the knobs can't catch one by one (they involve two fields). */
export function crossProblems(s: ScenarioJson): Text[] {
  const out: Text[] = [];
  const rate = getPath(s, ['load', 'rate']);
  const dur = durationMicros(getPath(s, ['load', 'duration']));
  if (typeof rate === 'number' && dur !== undefined) {
    const n = Math.round((rate * dur) / 1e6);
    if (n > MAX_CONNECTIONS) {
      const max = MAX_CONNECTIONS.toLocaleString('en-US');
      const got = n.toLocaleString('en-US');
      out.push({
        en: `rate × duration is ${got} connections; a run in the browser is limited to ${max}. Lower the rate or the duration.`,
        'zh-cn': `速率 × 持续时间 = ${got} 个连接；浏览器中一次运行最多 ${max} 个。请降低速率或缩短时间。`,
      });
    }
  }
  return out;
}

/** Connections a load run will open (0 without a load generator). */
export function plannedConnections(s: ScenarioJson): number {
  const rate = getPath(s, ['load', 'rate']);
  const dur = durationMicros(getPath(s, ['load', 'duration']));
  return typeof rate === 'number' && dur !== undefined ? Math.round((rate * dur) / 1e6) : 0;
}

/**
 * Fit a preset into the browser's limit: a load longer than MAX_CONNECTIONS allows is shortened
 * (same rate, so the steady state it reaches is the same) and the run length follows. Returns the
 * note to show, in both languages, when it changed anything.
 */
export function fitPreset(s: ScenarioJson): Text | undefined {
  const n = plannedConnections(s);
  if (n <= MAX_CONNECTIONS) return undefined;
  const rate = getPath(s, ['load', 'rate']) as number;
  const seconds = Math.max(1, Math.floor(MAX_CONNECTIONS / rate));
  const start = (durationMicros(getPath(s, ['load', 'start'])) ?? 0) / 1e6;
  setPath(s, ['load', 'duration'], `${seconds}s`);
  const until = (durationMicros(s.until) ?? 0) / 1e6;
  // Keep 70 s after the load so every TIME_WAIT entry (60 s on Linux) is seen expiring.
  s.until = `${Math.min(until, Math.ceil(start + seconds + 70))}s`;
  const was = n.toLocaleString('en-US');
  return {
    en: `This preset opens ${was} connections; the playground runs its first ${seconds} s (≤ ${MAX_CONNECTIONS.toLocaleString('en-US')} connections) to stay within a browser tab's memory. \`npm run sim\` runs it in full.`,
    'zh-cn': `此预设会打开 ${was} 个连接；为了不超出浏览器标签页的内存，实验场只运行前 ${seconds} 秒（不超过 ${MAX_CONNECTIONS.toLocaleString('en-US')} 个连接）。\`npm run sim\` 可完整运行。`,
  };
}
