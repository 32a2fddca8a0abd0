// Where each profile's constants come from. Kept apart from profiles.ts so that pages running the
// simulator do not download these strings; the CLI and the docs import them.

import type { ProfileName } from './types.ts';

const LINUX: string[] = [
  'include/net/tcp.h: TCP_TIMEWAIT_LEN, TCP_TIMEOUT_INIT, TCP_RTO_MIN, TCP_RTO_MAX, TCP_FIN_TIMEOUT',
  'net/ipv4/af_inet.c: inet_init_net (ip_local_port_range 32768–60999, commit 07f4c90062f8)',
  'net/ipv4/tcp_ipv4.c: tcp_sk_init (tcp_timestamps 1, tcp_tw_reuse 2 since commit 79e9fed46038)',
  'net/ipv4/tcp_ipv4.c: tcp_set_hashinfo (tcp_max_tw_buckets = ehash entries / 2)',
  'commit ca6a6f93867a (Linux 6.14): tcp_tw_reuse_delay 1000 ms',
  'net/ipv4/tcp_timer.c: tcp_orphan_retries (0 means 8)',
  'Documentation/networking/ip-sysctl.rst: ip_default_ttl 64, tcp_fin_timeout 60, tcp_rfc1337 0',
];

export const PROFILE_SOURCES: Record<ProfileName, string[]> = {
  linux: LINUX,
  'linux-4.11': [
    ...LINUX,
    'commit 4396e46187ca (Linux 4.12) removed tcp_tw_recycle; 4.11 still has it (default 0)',
    'commit 79e9fed46038 (Linux 4.18) made tcp_tw_reuse 0/1/2; before, a boolean defaulting to 0',
    'tcp_twsk_unique() before commit ca6a6f93867a: reuse once get_seconds() − tw_ts_recent_stamp > 1',
  ],
  rfc793: [
    'RFC 793 §3.3 (MSL 2 minutes), RFC 9293 §3.4.2 (TIME-WAIT = 2 MSL)',
    'RFC 6298 §2.1, §2.4, §2.5 (RTO 1 s initial, 1 s floor, cap 60 s)',
    'IANA dynamic ports 49152–65535 (RFC 6335 §6)',
  ],
  freebsd: [
    'sys/netinet/tcp_timer.h: TCPTV_MSL 30 s (sysctl net.inet.tcp.msl 30000 ms); TIME_WAIT = 2 MSL',
    'sys/netinet/tcp_timer.h: TCPTV_MIN, TCPTV_REXMTMAX (not in facts.md, unverified here)',
    'net.inet.ip.portrange.first/last 10000–65535 (not in facts.md, unverified here)',
  ],
  macos: [
    'apple-oss-distributions/xnu bsd/netinet/tcp_timer.h: TCPTV_MSL (15*TCP_RETRANSHZ)',
    'xnu bsd/netinet/tcp_input.c: add_to_time_wait(tp, 2 * tcp_msl)',
    'net.inet.ip.portrange.first/last 49152–65535 (not in facts.md, unverified here)',
  ],
  windows: [
    'TcpTimedWaitDelay: Windows Server 2003 docs (TechNet cc757512) default 120 s, range 0–300 s',
    'Windows 2000 docs (TechNet cc938217): 240 s; the Vista+ default is uncertain (no primary source)',
    'Dynamic port range 49152–65535 since Vista (Microsoft KB 929851; not in facts.md)',
  ],
};
