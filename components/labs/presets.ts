// The labs the chapters place, by name (the name of the chapter's lab marker). Used at build time only
// (ScenarioLab.astro), so both languages' variant labels live here without reaching a page's
// JavaScript: the wrapper passes the page's language only.
//
// A lab is a set of variants — scenario files that differ in one knob, the before/after of a chapter's
// point — plus the variant and instant it opens on, so the reader sees the point without clicking.

import type { ProfileName } from '../../src/sim/types.ts';

export type Text = { en: string; zh: string };

export interface VariantSpec {
  /** Key in the URL state; stable. */
  key: string;
  /** A scenario in src/sim/scenarios (without .json), or 'labs:<name>' for components/labs/scenarios. */
  file: string;
  label: Text;
  /** Run the scenario under another OS profile (TIME_WAIT length, RTO…). */
  profile?: ProfileName;
  /** Per-host sysctl overrides applied to the parsed scenario (the one knob the variant turns). */
  sysctl?: Record<string, Record<string, number>>;
  /** Run longer than the file says (µs): a longer TIME_WAIT must fit in the run. */
  until?: number;
}

/** What the lab opens on: the last segment's arrival (timers still running), the run's end, or µs. */
export type At = 'last' | 'end' | number;

export interface ScenarioPreset {
  kind: 'scenario';
  title: Text;
  legend: Text;
  variants: VariantSpec[];
  initial: string;
  at?: At;
  /** Extra views: what the application read (bytes), counters over time with a connect log. */
  bytes?: boolean;
  counters?: boolean;
}

export interface LoadPreset {
  kind: 'load';
  title: Text;
  /** components/labs/scenarios/<file>.json: a load-generator scenario whose rate and range are knobs. */
  file: string;
  rates: number[];
  ranges: number[];
  rate: number;
  range: number;
  /** Draw the Little's-law line (TIME_WAIT ≈ rate × TIME_WAIT length, capped by the port range). */
  little: boolean;
  /** Connection reuse knob: 0 = one connection per request, N = a pool of N persistent connections. */
  pools?: number[];
  pool?: number;
}

export type LabPreset = ScenarioPreset | LoadPreset;

const LOST_ACK: VariantSpec[] = [
  {
    key: 'tw',
    file: 'lost-final-ack',
    label: { en: 'With TIME_WAIT (Linux, 60 s)', zh: '有 TIME_WAIT（Linux，60 秒）' },
  },
  {
    key: 'none',
    file: 'lost-final-ack-no-timewait',
    label: { en: 'Without TIME_WAIT', zh: '没有 TIME_WAIT' },
  },
];
const LOST_ACK_TITLE: Text = { en: 'Lab: the lost last ACK', zh: '实验：丢失的最后一个 ACK' };
const LOST_ACK_LEGEND: Text = { en: 'The client after its last ACK', zh: '客户端发出最后一个 ACK 之后' };

const INCARNATION: VariantSpec[] = [
  {
    key: 'none',
    file: 'incarnation-corruption',
    label: { en: 'No TIME_WAIT, no timestamps', zh: '无 TIME_WAIT，无时间戳' },
  },
  {
    key: 'tw',
    file: 'incarnation-protected-by-timewait',
    label: { en: 'TIME_WAIT on', zh: '开启 TIME_WAIT' },
  },
  {
    key: 'paws',
    file: 'incarnation-protected-by-paws',
    label: { en: 'No TIME_WAIT, timestamps (PAWS) on', zh: '无 TIME_WAIT，开启时间戳（PAWS）' },
  },
];
const INCARNATION_TITLE: Text = {
  en: 'Lab: an old duplicate meets a new incarnation',
  zh: '实验：旧的重复报文段遇上新化身',
};
const INCARNATION_LEGEND: Text = { en: 'What protects the new connection', zh: '新连接靠什么保护' };

const CRASH: VariantSpec[] = [
  {
    key: 'none',
    file: 'crash-reboot-no-quiet-time',
    label: { en: 'Reboot without quiet time', zh: '重启后不等静默时间' },
  },
  {
    key: 'quiet',
    file: 'crash-reboot-quiet-time',
    label: { en: 'Reboot with quiet time (one MSL)', zh: '重启后静默一个 MSL' },
  },
];
const CRASH_TITLE: Text = { en: 'Lab: crash and reboot', zh: '实验：崩溃与重启' };
const CRASH_LEGEND: Text = { en: 'After the reboot', zh: '重启之后' };

const RST: VariantSpec[] = [
  {
    key: '0',
    file: 'rst-in-timewait-rfc1337-0',
    label: { en: 'tcp_rfc1337 = 0 (default)', zh: 'tcp_rfc1337 = 0（默认）' },
  },
  { key: '1', file: 'rst-in-timewait-rfc1337-1', label: { en: 'tcp_rfc1337 = 1', zh: 'tcp_rfc1337 = 1' } },
];

const PROFILES_2MSL: VariantSpec[] = [
  {
    key: 'linux',
    file: 'normal-close-client-first',
    profile: 'linux',
    label: { en: 'Linux: 60 s', zh: 'Linux：60 秒' },
  },
  {
    key: 'freebsd',
    file: 'normal-close-client-first',
    profile: 'freebsd',
    label: { en: 'FreeBSD: 2 × 30 s', zh: 'FreeBSD：2 × 30 秒' },
  },
  {
    key: 'macos',
    file: 'normal-close-client-first',
    profile: 'macos',
    label: { en: 'macOS: 30 s', zh: 'macOS：30 秒' },
  },
  {
    key: 'windows',
    file: 'normal-close-client-first',
    profile: 'windows',
    until: 150_000_000,
    label: { en: 'Windows: 120 s', zh: 'Windows：120 秒' },
  },
  {
    key: 'rfc793',
    file: 'normal-close-client-first',
    profile: 'rfc793',
    until: 260_000_000,
    label: { en: 'RFC 793: 2 × 2 min', zh: 'RFC 793：2 × 2 分钟' },
  },
];

const EXHAUST = (other: VariantSpec): VariantSpec[] => [
  {
    key: 'one',
    file: 'port-exhaustion',
    label: { en: 'Client closes first, one server port', zh: '客户端先关闭，一个服务器端口' },
  },
  other,
];
const EXHAUST_TITLE: Text = { en: 'Lab: four client ports', zh: '实验：四个客户端端口' };
const EXHAUST_LEGEND: Text = { en: 'Setup', zh: '设置' };

const TW_REUSE: VariantSpec[] = [
  {
    key: 'off',
    file: 'tw-reuse-on',
    sysctl: { client: { 'net.ipv4.tcp_tw_reuse': 0 } },
    label: { en: 'tcp_tw_reuse = 0', zh: 'tcp_tw_reuse = 0' },
  },
  { key: 'on', file: 'tw-reuse-on', label: { en: 'tcp_tw_reuse = 1', zh: 'tcp_tw_reuse = 1' } },
  {
    key: 'nots',
    file: 'tw-reuse-no-timestamps',
    label: { en: 'tcp_tw_reuse = 1, timestamps off', zh: 'tcp_tw_reuse = 1，关闭时间戳' },
  },
  {
    key: 'early',
    file: 'tw-reuse-before-delay',
    label: { en: 'tcp_tw_reuse = 1, connect() after 400 ms', zh: 'tcp_tw_reuse = 1，400 毫秒后 connect()' },
  },
];

const LOAD_RATES = [2, 5, 10, 20];
const LOAD_RANGES = [64, 256, 1024];

export const LABS: Record<string, LabPreset> = {
  'lost-final-ack': {
    kind: 'scenario',
    title: LOST_ACK_TITLE,
    legend: LOST_ACK_LEGEND,
    variants: LOST_ACK,
    initial: 'tw',
  },
  'lost-final-ack-no-timewait': {
    kind: 'scenario',
    title: LOST_ACK_TITLE,
    legend: LOST_ACK_LEGEND,
    variants: LOST_ACK,
    initial: 'none',
  },
  'incarnation-corruption': {
    kind: 'scenario',
    title: INCARNATION_TITLE,
    legend: INCARNATION_LEGEND,
    variants: INCARNATION,
    initial: 'none',
    at: 'end',
    bytes: true,
  },
  'incarnation-protected-by-timewait': {
    kind: 'scenario',
    title: INCARNATION_TITLE,
    legend: INCARNATION_LEGEND,
    variants: INCARNATION,
    initial: 'tw',
    at: 'end',
    bytes: true,
  },
  'crash-reboot-no-quiet-time': {
    kind: 'scenario',
    title: CRASH_TITLE,
    legend: CRASH_LEGEND,
    variants: CRASH,
    initial: 'none',
  },
  'crash-reboot-quiet-time': {
    kind: 'scenario',
    title: CRASH_TITLE,
    legend: CRASH_LEGEND,
    variants: CRASH,
    initial: 'quiet',
  },
  'rst-in-timewait-rfc1337-0': {
    kind: 'scenario',
    title: { en: 'Lab: a RST meets TIME_WAIT', zh: '实验：RST 遇上 TIME_WAIT' },
    legend: { en: 'The client’s tcp_rfc1337', zh: '客户端的 tcp_rfc1337' },
    variants: RST,
    initial: '0',
  },
  'normal-close-client-first': {
    kind: 'scenario',
    title: { en: 'Lab: the 2MSL timer', zh: '实验：2MSL 定时器' },
    legend: { en: 'Operating system (TIME_WAIT length)', zh: '操作系统（TIME_WAIT 时长）' },
    variants: PROFILES_2MSL,
    initial: 'linux',
  },
  'port-exhaustion-second-dst-port': {
    kind: 'scenario',
    title: EXHAUST_TITLE,
    legend: EXHAUST_LEGEND,
    variants: EXHAUST({
      key: 'two',
      file: 'port-exhaustion-second-dst-port',
      label: { en: 'A second server port (81)', zh: '第二个服务器端口（81）' },
    }),
    initial: 'two',
    at: 'end',
    counters: true,
  },
  'port-exhaustion-server-closes-first': {
    kind: 'scenario',
    title: EXHAUST_TITLE,
    legend: EXHAUST_LEGEND,
    variants: EXHAUST({
      key: 'server',
      file: 'port-exhaustion-server-closes-first',
      label: { en: 'Server closes first', zh: '服务器先关闭' },
    }),
    initial: 'server',
    at: 'end',
    counters: true,
  },
  'port-exhaustion-second-dst-ip': {
    kind: 'scenario',
    title: EXHAUST_TITLE,
    legend: EXHAUST_LEGEND,
    variants: EXHAUST({
      key: 'ip',
      file: 'port-exhaustion-second-dst-ip',
      label: { en: 'A second server address', zh: '第二个服务器地址' },
    }),
    initial: 'ip',
    at: 'end',
    counters: true,
  },
  'port-exhaustion-timewait-length': {
    kind: 'scenario',
    title: EXHAUST_TITLE,
    legend: { en: 'TIME_WAIT length', zh: 'TIME_WAIT 时长' },
    variants: [
      { key: 'linux', file: 'port-exhaustion', label: { en: 'Linux: 60 s', zh: 'Linux：60 秒' } },
      {
        key: 'macos',
        file: 'port-exhaustion',
        profile: 'macos',
        label: { en: 'macOS: 30 s', zh: 'macOS：30 秒' },
      },
    ],
    initial: 'linux',
    at: 'end',
    counters: true,
  },
  'tw-reuse-on': {
    kind: 'scenario',
    title: { en: 'Lab: tcp_tw_reuse', zh: '实验：tcp_tw_reuse' },
    legend: { en: 'The client’s settings', zh: '客户端的设置' },
    variants: TW_REUSE,
    initial: 'off',
    at: 'end',
    counters: true,
  },
  'reuseaddr-timewait-holder': {
    kind: 'scenario',
    title: { en: 'Lab: restarting a server over TIME_WAIT', zh: '实验：在 TIME_WAIT 之上重启服务器' },
    legend: { en: 'Scenario', zh: '场景' },
    variants: [
      {
        key: 'tw',
        file: 'reuseaddr-timewait-holder',
        label: { en: 'TIME_WAIT holders on ports 80–82', zh: '80–82 端口上的 TIME_WAIT 占用者' },
      },
      {
        key: 'listen',
        file: 'reuseaddr-listen-holder',
        label: { en: 'A listener holds the port', zh: '监听套接字占着端口' },
      },
    ],
    initial: 'tw',
    at: 'end',
  },
  'linger-zero': {
    kind: 'scenario',
    title: { en: 'Lab: SO_LINGER with a zero timeout', zh: '实验：超时为零的 SO_LINGER' },
    legend: { en: 'Scenario', zh: '场景' },
    variants: [
      { key: 'linger', file: 'linger-zero', label: { en: 'SO_LINGER {1, 0}', zh: 'SO_LINGER {1, 0}' } },
      {
        key: 'normal',
        file: 'normal-close-client-first',
        label: { en: 'Normal close (for comparison)', zh: '正常关闭（对照）' },
      },
    ],
    initial: 'linger',
    at: 'end',
  },
  'max-tw-buckets-overflow': {
    kind: 'scenario',
    title: { en: 'Lab: tcp_max_tw_buckets', zh: '实验：tcp_max_tw_buckets' },
    legend: { en: 'The client’s tcp_max_tw_buckets', zh: '客户端的 tcp_max_tw_buckets' },
    variants: [
      { key: '2', file: 'max-tw-buckets-overflow', label: { en: '2', zh: '2' } },
      {
        key: 'default',
        file: 'max-tw-buckets-overflow',
        sysctl: { client: { 'net.ipv4.tcp_max_tw_buckets': 262144 } },
        label: { en: '262144 (a typical default)', zh: '262144（常见默认值）' },
      },
    ],
    initial: '2',
    at: 'last',
  },
  'tw-recycle-nat': {
    kind: 'scenario',
    title: { en: 'Lab: tcp_tw_recycle behind NAT', zh: '实验：NAT 之后的 tcp_tw_recycle' },
    legend: { en: 'The server’s tcp_tw_recycle (Linux 4.11)', zh: '服务器的 tcp_tw_recycle（Linux 4.11）' },
    variants: [
      { key: '1', file: 'tw-recycle-nat', label: { en: '1', zh: '1' } },
      {
        key: '0',
        file: 'tw-recycle-nat',
        sysctl: { server: { 'net.ipv4.tcp_tw_recycle': 0 } },
        label: { en: '0', zh: '0' },
      },
    ],
    initial: '1',
    at: 'end',
  },
  'syn-over-server-timewait-accepted': {
    kind: 'scenario',
    title: { en: 'Lab: a SYN over the server’s TIME_WAIT', zh: '实验：落在服务器 TIME_WAIT 上的 SYN' },
    legend: { en: 'Scenario', zh: '场景' },
    variants: [
      {
        key: 'ts',
        file: 'syn-over-server-timewait-accepted',
        label: { en: 'Timestamps on', zh: '开启时间戳' },
      },
    ],
    initial: 'ts',
    at: 'end',
  },
  'segment-journey': {
    kind: 'scenario',
    title: { en: 'Lab: one segment’s journey', zh: '实验：一个报文段的旅程' },
    legend: { en: 'The path', zh: '路径' },
    variants: [
      { key: 'path', file: 'labs:segment-journey', label: { en: '8 routers', zh: '8 个路由器' } },
      { key: 'loop', file: 'labs:segment-journey-loop', label: { en: 'A routing loop', zh: '路由环路' } },
    ],
    initial: 'path',
    at: 'last',
  },
  'port-exhaustion': {
    kind: 'load',
    title: { en: 'Lab: ports under load', zh: '实验：负载下的端口' },
    file: 'port-exhaustion-load',
    rates: LOAD_RATES,
    ranges: LOAD_RANGES,
    rate: 10,
    range: 256,
    little: false,
  },
  'keepalive-pool': {
    kind: 'load',
    title: { en: 'Lab: one connection per request, or a pool', zh: '实验：每个请求一条连接，还是连接池' },
    file: 'port-exhaustion-load',
    rates: [5, 10, 20],
    ranges: [256],
    rate: 10,
    range: 256,
    little: false,
    pools: [0, 4],
    pool: 0,
  },
  'port-exhaustion-little': {
    kind: 'load',
    title: { en: 'Lab: TIME_WAIT under load, and Little’s law', zh: '实验：负载下的 TIME_WAIT 与利特尔法则' },
    file: 'port-exhaustion-load',
    rates: LOAD_RATES,
    ranges: LOAD_RANGES,
    rate: 5,
    range: 1024,
    little: true,
  },
};
