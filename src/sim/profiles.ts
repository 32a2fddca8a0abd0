// Named bundles of constants: which kernel (or specification) the simulator pretends to be. Every
// number says where it comes from; facts.md at /work/shared/research has the full citations.

import type { ProfileName, Sysctls } from './types.ts';

export interface Profile {
  name: ProfileName;
  /** How long an entry stays in TIME_WAIT. */
  timeWait: number;
  /** Maximum segment lifetime, used for RFC 793's quiet time after a reboot. */
  msl: number;
  /** RFC 6298 retransmission timer bounds. */
  rtoInit: number;
  rtoMin: number;
  rtoMax: number;
  /**
   * Linux floors the variance term, not the sum: RTO = SRTT + max(4·RTTVAR, TCP_RTO_MIN)
   * (`tcp_rtt_estimator()` / `__tcp_set_rto()` in net/ipv4/tcp_input.c). RFC 6298 §2.3/2.4 floors the sum.
   */
  rtoFloorOnVariance: boolean;
  /** Retransmissions of a FIN by a socket the application closed (Linux: tcp_orphan_retries 0 ⇒ 8). */
  orphanRetries: number;
  /** Retransmissions of data by a socket the application still owns (Linux tcp_retries2 = 15). */
  retries2: number;
  /** tcp_tw_reuse rule: 'delay-ms' is Linux ≥ 6.14 (`tcp_tw_reuse_delay`), 'seconds' the older one. */
  twReuseRule: 'delay-ms' | 'seconds';
  /** Linux ≥ 4.10 adds a keyed per-address-pair offset to TSval (`secure_tcp_ts_off()`). */
  tsRandomOffset: boolean;
  /** tcp_tw_recycle exists (Linux 2.4–4.11; removed in 4.12 by commit 4396e46187ca). */
  hasTwRecycle: boolean;
  /**
   * When TcpExtTW / TcpExtTWKilled count a timewait minisocket: 'schedule' = when it is first scheduled
   * (Linux 6.x `__inet_twsk_schedule()`: TWKilled if that timeout is ≤ 4 s), 'expiry' = when its
   * timer fires (Linux 4.x `tw_timer_handler()`, by `tw_kill`).
   */
  twCountedAt: 'schedule' | 'expiry';
  /**
   * Tail loss probe before the RTO (RFC 8985 §7; Linux `tcp_schedule_loss_probe()`, on by default
   * since 3.10 with tcp_early_retrans 3). Off: plain RFC 6298 retransmission timer.
   */
  tailLossProbe: boolean;
  /** Defaults of the sysctls (a scenario overrides some). */
  sysctl: Sysctls;
}

const S = 1_000_000;

const linuxSysctls: Sysctls = {
  // net/ipv4/af_inet.c: inet_init_net (32768–60999 since Linux 4.2, commit 07f4c90062f8).
  'net.ipv4.ip_local_port_range': [32768, 60999],
  // 2 = loopback only since Linux 4.18 (commit 79e9fed46038); tcp_sk_init.
  'net.ipv4.tcp_tw_reuse': 2,
  // Linux 6.14, commit ca6a6f93867a: default 1000 ms.
  'net.ipv4.tcp_tw_reuse_delay': 1000,
  'net.ipv4.tcp_timestamps': 1,
  // Half the established-hash size (tcp_set_hashinfo); RAM dependent. 262,144 hash entries → 131,072.
  'net.ipv4.tcp_max_tw_buckets': 131072,
  // TCP_FIN_TIMEOUT = TCP_TIMEWAIT_LEN = 60 s (include/net/tcp.h).
  'net.ipv4.tcp_fin_timeout': 60,
  'net.ipv4.tcp_rfc1337': 0,
  'net.ipv4.tcp_tw_recycle': 0,
  // Documentation/networking/ip-sysctl.rst: ip_default_ttl 64.
  'net.ipv4.ip_default_ttl': 64,
  'net.ipv4.tcp_syn_retries': 6,
};

const linux: Profile = {
  name: 'linux',
  // include/net/tcp.h: TCP_TIMEWAIT_LEN (60*HZ), a compile-time constant.
  timeWait: 60 * S,
  // Linux has no MSL; TCP_TIMEWAIT_LEN is its 2MSL, so one MSL is taken as 30 s (used only for quiet time,
  // which Linux does not implement: the scenario asks for it explicitly).
  msl: 30 * S,
  // include/net/tcp.h: TCP_TIMEOUT_INIT (1*HZ), TCP_RTO_MIN (HZ/5), TCP_RTO_MAX (120*HZ).
  rtoInit: 1 * S,
  rtoMin: 200_000,
  rtoMax: 120 * S,
  rtoFloorOnVariance: true,
  // net/ipv4/tcp_timer.c: tcp_orphan_retries() returns 8 when the sysctl is 0 (its default).
  orphanRetries: 8,
  retries2: 15,
  twReuseRule: 'delay-ms',
  tsRandomOffset: true,
  hasTwRecycle: false,
  twCountedAt: 'schedule',
  tailLossProbe: true,
  sysctl: linuxSysctls,
};

const linux411: Profile = {
  ...linux,
  name: 'linux-4.11',
  twReuseRule: 'seconds',
  hasTwRecycle: true,
  twCountedAt: 'expiry',
  sysctl: {
    ...linuxSysctls,
    // Before 4.18 tcp_tw_reuse was a boolean with default 0.
    'net.ipv4.tcp_tw_reuse': 0,
  },
};

const rfc793: Profile = {
  ...linux,
  name: 'rfc793',
  tailLossProbe: false,
  // RFC 793 §3.3: MSL 2 minutes; TIME-WAIT = 2 MSL (RFC 9293 §3.4.2).
  timeWait: 240 * S,
  msl: 120 * S,
  // RFC 6298 §2.1 (initial 1 s), §2.4 (floor 1 s), §2.5 (cap ≥ 60 s).
  rtoInit: 1 * S,
  rtoMin: 1 * S,
  rtoMax: 60 * S,
  rtoFloorOnVariance: false,
  twReuseRule: 'seconds',
  tsRandomOffset: false,
  sysctl: {
    ...linuxSysctls,
    // RFC 793 predates timestamps (RFC 1323, 1992) and tw_reuse; no ephemeral-range rule (IANA's 49152–65535).
    'net.ipv4.ip_local_port_range': [49152, 65535],
    'net.ipv4.tcp_tw_reuse': 0,
    'net.ipv4.tcp_timestamps': 0,
    'net.ipv4.tcp_max_tw_buckets': 1 << 30,
  },
};

const freebsd: Profile = {
  ...linux,
  name: 'freebsd',
  tailLossProbe: false,
  // sys/netinet/tcp_timer.h: TCPTV_MSL 30 s (sysctl net.inet.tcp.msl 30000 ms) → TIME_WAIT 2·MSL = 60 s.
  timeWait: 60 * S,
  msl: 30 * S,
  // sys/netinet/tcp_timer.h: TCPTV_MIN 30 ms (net.inet.tcp.rexmit_min), TCPTV_REXMTMAX 64 s. Not in facts.md.
  rtoMin: 30_000,
  rtoMax: 64 * S,
  rtoFloorOnVariance: false,
  twReuseRule: 'seconds',
  tsRandomOffset: true,
  sysctl: {
    ...linuxSysctls,
    // net.inet.ip.portrange.first/last 10000–65535 (FreeBSD default; not in facts.md, unverified here).
    'net.ipv4.ip_local_port_range': [10000, 65535],
    'net.ipv4.tcp_tw_reuse': 0,
    'net.ipv4.tcp_max_tw_buckets': 1 << 30,
  },
};

const macos: Profile = {
  ...freebsd,
  name: 'macos',
  // xnu bsd/netinet/tcp_timer.h: TCPTV_MSL (15*TCP_RETRANSHZ) = 15 s; add_to_time_wait(tp, 2 * tcp_msl) → 30 s.
  timeWait: 30 * S,
  msl: 15 * S,
  sysctl: {
    ...freebsd.sysctl,
    // net.inet.ip.portrange.first/last 49152–65535 (IANA range; not in facts.md).
    'net.ipv4.ip_local_port_range': [49152, 65535],
  },
};

const windows: Profile = {
  ...linux,
  name: 'windows',
  tailLossProbe: false,
  // TcpTimedWaitDelay: default 120 s per the Windows Server 2003 docs (TechNet cc757512); Windows 2000
  // documented 240 s. The Vista+ default is UNCERTAIN (no primary source found; 120 s is widely quoted).
  timeWait: 120 * S,
  msl: 60 * S,
  // Windows RTO constants are not documented in our sources: a 300 ms floor and a 60 s cap are
  // assumptions (RFC 6298 §2.4 would floor at 1 s), not measured values.
  rtoMin: 300_000,
  rtoMax: 60 * S,
  rtoFloorOnVariance: false,
  twReuseRule: 'seconds',
  tsRandomOffset: true,
  sysctl: {
    ...linuxSysctls,
    // Dynamic port range 49152–65535 since Vista (Microsoft KB 929851; not in facts.md).
    'net.ipv4.ip_local_port_range': [49152, 65535],
    'net.ipv4.tcp_tw_reuse': 0,
    // Windows negotiates timestamps only when the peer asks (Tcp1323Opts); modelled as on.
    'net.ipv4.tcp_max_tw_buckets': 1 << 30,
  },
};

export const PROFILES: Record<ProfileName, Profile> = {
  linux,
  'linux-4.11': linux411,
  rfc793,
  freebsd,
  macos,
  windows,
};

export function getProfile(name: ProfileName): Profile {
  return PROFILES[name];
}
