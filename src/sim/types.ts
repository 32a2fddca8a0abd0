// The contracts between the simulator's layers, its scenario format and everything that observes a
// run (tests, the CLI, widgets, the kernel harness). Pure types: no code, no imports.
//
// Naming: TCP states use Linux's enum spelling (TCP_TIME_WAIT → 'TIME_WAIT'), which is also how the
// guide writes them; RFC 9293 spells the same states with hyphens (TIME-WAIT).

/** Simulated time: an integer number of microseconds since the start of the run. */
export type Micros = number;

export type TcpState =
  | 'CLOSED'
  | 'LISTEN'
  | 'SYN_SENT'
  | 'SYN_RECEIVED'
  | 'ESTABLISHED'
  | 'FIN_WAIT_1'
  | 'FIN_WAIT_2'
  | 'CLOSE_WAIT'
  | 'CLOSING'
  | 'LAST_ACK'
  | 'TIME_WAIT';

/** errno names a socket call can return, as in errno(3). */
export type Errno =
  | 'EADDRINUSE'
  | 'EADDRNOTAVAIL'
  | 'ECONNREFUSED'
  | 'ECONNRESET'
  | 'ETIMEDOUT'
  | 'EPIPE'
  | 'ENOTCONN'
  | 'EISCONN'
  | 'EINVAL'
  | 'EBADF'
  | 'EHOSTUNREACH';

/** '0' is success, as the C API reports it. 'pending' means the run ended before a blocking call returned. */
export type CallOutcome = '0' | Errno | 'pending';

export interface Endpoint {
  ip: string;
  port: number;
}

/**
 * TCP flags in tcpdump's canonical order, as a string of letters: S (SYN), F (FIN), R (RST), P (PSH),
 * A (ACK). 'S' is a SYN, 'SA' a SYN-ACK, 'FA' a FIN with ACK, 'A' a bare ACK, 'R' or 'RA' a reset.
 */
export type Flags = string;

export interface Segment {
  /** Unique within a run, in order of creation (a duplicate made by the network gets its own id). */
  id: number;
  src: Endpoint;
  dst: Endpoint;
  /** Sequence and acknowledgment numbers, unsigned 32-bit. */
  seq: number;
  ack: number;
  flags: Flags;
  wnd: number;
  /** Payload bytes as a binary string (one char per byte); '' when none. */
  data: string;
  /** IPv4 TTL as the receiver sees it (each router on the way subtracts one). */
  ttl: number;
  /** RFC 7323 timestamp option, when the connection negotiated it. */
  ts?: { val: number; ecr: number };
}

export type TimerKind = 'retransmit' | 'time-wait' | 'fin-wait-2' | 'delayed-ack' | 'tw-reuse';

export type DropReason =
  | 'loss' // random loss on a link
  | 'fault' // a scenario fault aimed at this segment
  | 'ttl' // TTL reached zero (routing loop)
  | 'no-listener' // arrived at a host with no socket for it (the host may answer with RST)
  | 'paws' // rejected by PAWS (RFC 7323 §5)
  | 'tw-recycle' // SYN rejected by the per-host timestamp cache of tcp_tw_recycle
  | 'unacceptable' // failed the RFC 9293 §3.10.7.4 acceptability test
  | 'quiet' // host in crash or quiet time
  | 'nat'; // no NAT mapping

export type SocketCall =
  | 'socket'
  | 'bind'
  | 'listen'
  | 'connect'
  | 'accept'
  | 'send'
  | 'recv'
  | 'shutdown'
  | 'close'
  | 'setsockopt';

/** Host-level actions a script can take besides socket calls. */
export type HostAction = 'crash' | 'reboot';

/** The typed event log. Every event carries the simulated time `t`. */
export type SimEvent =
  | { t: Micros; type: 'seg-send'; host: string; seg: Segment }
  | { t: Micros; type: 'seg-recv'; host: string; seg: Segment }
  | { t: Micros; type: 'seg-drop'; host?: string; seg: Segment; reason: DropReason }
  | { t: Micros; type: 'seg-dup'; seg: Segment; copy: Segment }
  | {
      t: Micros;
      type: 'state';
      host: string;
      /** 'local ip:port → remote ip:port', stable for the connection's life. */
      conn: string;
      from: TcpState;
      to: TcpState;
      /** Short machine-readable reason, e.g. 'rcv FIN', 'close()', 'timeout', 'rcv RST'. */
      cause: string;
    }
  | {
      t: Micros;
      type: 'timer';
      host: string;
      conn: string;
      timer: TimerKind;
      action: 'set' | 'fire' | 'cancel';
      /** When it will fire (for 'set'). */
      at?: Micros;
    }
  | { t: Micros; type: 'call'; host: string; record: CallRecord }
  | { t: Micros; type: 'deliver'; host: string; fd: string; data: string }
  | { t: Micros; type: 'host'; host: string; action: HostAction | 'quiet-end' }
  | { t: Micros; type: 'counter'; host: string; name: string; value: number };

/** One socket call from the script (or the load generator) and what it returned. */
export interface CallRecord {
  /** Index in scenario.script; -1 for calls made by the load generator. */
  step: number;
  host: string;
  call: SocketCall | HostAction;
  fd?: string;
  /** When it was issued. */
  at: Micros;
  /** When it returned: equal to `at` unless it blocked (connect, accept, recv). */
  doneAt: Micros;
  result: CallOutcome;
  /** Local port after bind() or connect(). */
  port?: number;
  /** Bytes read by recv() ('' at end of stream). */
  data?: string;
}

/** One row of `ss -tan` at an instant. */
export interface SocketRow {
  local: string; // 'ip:port'
  remote: string; // 'ip:port', '*:*' for a listener
  state: TcpState;
  recvQ: number;
  sendQ: number;
  /** As `ss -o` shows it: on (retransmit), timewait (also orphaned FIN_WAIT_2), keepalive. */
  timer?: { kind: 'on' | 'timewait' | 'keepalive'; remaining: Micros; retries: number };
  /** The script's name for the socket that owns the row; absent for TIME_WAIT and orphans (no fd). */
  fd?: string;
}

/** What an outside observer can see of a run: the same shape from the simulator and from the kernel. */
export interface Observation {
  calls: CallRecord[];
  snapshots: { at: Micros; host: string; sockets: SocketRow[] }[];
  /** nstat-style counters per host at the end of the run (names as nstat prints them). */
  counters: Record<string, Record<string, number>>;
  /**
   * Everything recv() returned to the application through each named socket, in order, keyed
   * 'host/fd' ('' when it never read anything). Bytes that reached the receive queue but were never
   * read (then discarded by close() or a reset) are not included: an observer of the application
   * could not have seen them. `Simulation.received()` is the other reading: every byte delivered in
   * order to the socket's receive queue, read or not.
   */
  received: Record<string, string>;
}

/**
 * Counter names, as `nstat -az` prints them. TcpExtTW counts timewait minisockets when they are first
 * scheduled — on entry into TIME_WAIT, or when an orphaned FIN_WAIT_2 is parked as one (Linux 6.x
 * `__inet_twsk_schedule()`; the `linux-4.11` profile counts when the timer fires instead, as 4.x
 * `tw_timer_handler()` did); TcpExtTWKilled counts the same event instead when that timeout is at most
 * 4 s (tcp_tw_recycle's 3.5 × RTO, a short TCP_LINGER2) — a TIME_WAIT ended by a RST is counted
 * nowhere. TcpExtTWRecycled counts TIME_WAIT entries reused for a new outgoing connection
 * (tcp_tw_reuse). TcpExtTCPLossProbes counts tail loss probes (`tcp_send_loss_probe()`).
 */
export type CounterName =
  | 'TcpActiveOpens'
  | 'TcpPassiveOpens'
  | 'TcpAttemptFails'
  | 'TcpEstabResets'
  | 'TcpRetransSegs'
  | 'TcpOutRsts'
  | 'TcpOutSegs'
  | 'TcpInSegs'
  | 'TcpExtTW'
  | 'TcpExtTWRecycled'
  | 'TcpExtTWKilled'
  | 'TcpExtTCPTimeWaitOverflow'
  | 'TcpExtTCPAbortOnData'
  | 'TcpExtTCPAbortOnClose'
  | 'TcpExtPAWSActive'
  | 'TcpExtPAWSEstab'
  | 'TcpExtPAWSPassive'
  | 'TcpExtTCPLossProbes';

// ---------------------------------------------------------------------------------------------------
// The scenario, after parsing (src/sim/scenario.ts turns the JSON a person writes into this: every
// duration in microseconds, every default filled in, every name checked).

export type ProfileName = 'linux' | 'linux-4.11' | 'rfc793' | 'freebsd' | 'macos' | 'windows';

export interface Sysctls {
  'net.ipv4.ip_local_port_range': [number, number];
  'net.ipv4.tcp_tw_reuse': 0 | 1 | 2;
  /** Milliseconds (Linux ≥ 6.14). */
  'net.ipv4.tcp_tw_reuse_delay': number;
  'net.ipv4.tcp_timestamps': 0 | 1;
  'net.ipv4.tcp_max_tw_buckets': number;
  /** Seconds. */
  'net.ipv4.tcp_fin_timeout': number;
  'net.ipv4.tcp_rfc1337': 0 | 1;
  /** Only in the linux-4.11 profile (removed in Linux 4.12). */
  'net.ipv4.tcp_tw_recycle': 0 | 1;
  'net.ipv4.ip_default_ttl': number;
  'net.ipv4.tcp_syn_retries': number;
}

export interface HostSpec {
  /** Primary IPv4 address. */
  ip: string;
  /** Further local addresses (for "more source addresses"). */
  extraIps: string[];
  /** Only the values the scenario sets; the profile supplies the rest. */
  sysctl: Partial<Sysctls>;
  /** 'rfc6528' (clock plus keyed hash of the 4-tuple) or 'naive' (a counter, for lessons). */
  isn: 'rfc6528' | 'naive';
}

export interface LinkSpec {
  between: [string, string];
  /** One-way delay and its jitter (uniform ±). */
  delay: Micros;
  jitter: Micros;
  /** Probabilities in [0, 1] per segment. */
  loss: number;
  duplicate: number;
  reorder: number;
  /** Bits per second; 0 means no serialisation delay. */
  bandwidth: number;
  /** Routers on the path: each subtracts one from the TTL. */
  hops: number;
}

/** Several hosts behind one public address (the tcp_tw_recycle story). */
export interface NatSpec {
  name: string;
  address: string;
  inside: string[];
}

export interface ScriptStep {
  /** Position in the scenario's script (0-based); errors and expectations refer to it. */
  index: number;
  at: Micros;
  host: string;
  call: SocketCall | HostAction;
  /** The socket this call acts on, by the name a socket() or accept() gave it. */
  fd?: string;
  /** Name for the new socket (socket, accept). */
  as?: string;
  /** bind/connect address; port 0 asks for an ephemeral port. */
  addr?: Endpoint;
  data?: string;
  /** recv: at most this many bytes (default: everything available). */
  bytes?: number;
  backlog?: number;
  how?: 'SHUT_RD' | 'SHUT_WR' | 'SHUT_RDWR';
  option?: 'SO_REUSEADDR' | 'SO_REUSEPORT' | 'SO_LINGER' | 'TCP_LINGER2' | 'IP_BIND_ADDRESS_NO_PORT';
  /** SO_LINGER takes {onoff, linger}; the others a number (TCP_LINGER2 in seconds). */
  value?: number | { onoff: 0 | 1; linger: number };
  /** reboot: honour RFC 793's quiet time (stay silent for one MSL). */
  quietTime?: boolean;
}

/** Which segments a fault applies to. Every given field must match. */
export interface SegmentMatch {
  /** Segment id in this run (what a widget's "drop this segment" uses). */
  id?: number;
  from?: string;
  to?: string;
  flags?: Flags;
  hasData?: boolean;
  /** Only segments sent at or after this time. */
  after?: Micros;
  /** Apply to the nth matching segment (1-based). */
  nth: number;
}

export type FaultSpec =
  | { kind: 'drop'; match: SegmentMatch }
  | { kind: 'delay'; match: SegmentMatch; by: Micros }
  | { kind: 'duplicate'; match: SegmentMatch; after: Micros }
  | { kind: 'loop'; match: SegmentMatch; hops: number; perHop: Micros };

/** The load generator: "10,000 connections per second for 2 minutes" in one object. */
export interface LoadSpec {
  client: string;
  server: string;
  /** Destination addresses and ports to spread connections over (round robin). */
  dstIps: string[];
  dstPorts: number[];
  /** Source addresses the client binds to (IP_BIND_ADDRESS_NO_PORT); empty means its primary ip. */
  srcIps: string[];
  /** New requests per second, evenly spaced. */
  rate: number;
  start: Micros;
  duration: Micros;
  requestBytes: number;
  responseBytes: number;
  closer: 'client' | 'server';
  /** Requests a connection serves before it is closed (1 = no keep-alive). */
  requestsPerConnection: number;
  /** Most connections open at once (0 = no limit): requests wait for an idle pooled connection. */
  pool: number;
  /** Sample counters (TIME_WAIT count, ports in use, failures) every this often. */
  sampleEvery: Micros;
}

export type Expectation =
  | { kind: 'state'; at: Micros; host: string; local?: string; remote?: string; state: TcpState | 'NONE' }
  | { kind: 'count'; at: Micros; host: string; state: TcpState; op: Comparison; value: number }
  | { kind: 'call'; step: number; result: CallOutcome }
  | { kind: 'counter'; at: Micros | 'end'; host: string; counter: string; op: Comparison; value: number }
  | { kind: 'received'; host: string; fd: string; data: string };

export type Comparison = 'equals' | 'atLeast' | 'atMost';

export interface Scenario {
  version: 1;
  name: string;
  title?: { en: string; 'zh-cn': string };
  description?: { en: string; 'zh-cn': string };
  profile: ProfileName;
  seed: number;
  /** The run stops here. */
  until: Micros;
  /** In declaration order. */
  hosts: Record<string, HostSpec>;
  /** Used between any two hosts that no link names. */
  defaultLink: Omit<LinkSpec, 'between'>;
  links: LinkSpec[];
  nat: NatSpec[];
  script: ScriptStep[];
  faults: FaultSpec[];
  load?: LoadSpec;
  /** Instants at which observe() records every host's socket table (expectations add theirs). */
  snapshots: Micros[];
  expect: Expectation[];
}

/** One sample of the counters the load lab charts. */
export interface Sample {
  t: Micros;
  host: string;
  timeWait: number;
  established: number;
  portsInUse: number;
  connects: number;
  connectFailures: number;
}

// ---------------------------------------------------------------------------------------------------
// The runtime (src/sim/simulation.ts exports `createSimulation(scenario, options?)`).

export interface SimulationOptions {
  /** Receives every event as it happens. Leave it out for speed (the benchmark does). */
  onEvent?: (e: SimEvent) => void;
}

export interface Simulation {
  readonly scenario: Scenario;
  /** Current simulated time. */
  readonly now: Micros;
  /** Run every event up to and including instant `t` (default: scenario.until); `now` becomes `t`. */
  runUntil(t?: Micros): void;
  /** Run all events of the next instant that has any; false when none is left before `until`. */
  step(): boolean;
  /** `ss -tan` rows of one host at `now`, sorted by local then remote address. */
  sockets(host: string): SocketRow[];
  counters(host: string): Record<string, number>;
  /** Every call so far, in the order they were issued. */
  readonly calls: readonly CallRecord[];
  /**
   * All bytes delivered in order to a named socket's receive queue so far, whether or not the
   * application has read them yet (Observation.received counts only what recv() returned).
   */
  received(host: string, fd: string): string;
  /** Load-generator samples so far (empty without `load`). */
  readonly samples: readonly Sample[];
  readonly stats: { events: number; segments: number; connections: number };
}
