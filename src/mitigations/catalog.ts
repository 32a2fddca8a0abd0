// The data behind "Which fix is mine?" (content/docs/mitigate/choose.mdx): the questions, and one entry
// per mitigation page with the rules that rank it. choose.ts turns answers into a ranked list; the pages
// and this catalog are kept in step by tests/content/mitigations-parity.test.ts.

export interface Localized {
  en: string;
  zh: string;
}
export type Lang = keyof Localized;

export const QUESTIONS = [
  {
    id: 'symptom',
    label: { en: 'What do you see?', zh: '你看到的现象是？' },
    options: [
      {
        value: 'eaddrnotavail',
        label: {
          en: 'connect() fails: EADDRNOTAVAIL, "Cannot assign requested address"',
          zh: 'connect() 失败：EADDRNOTAVAIL（Cannot assign requested address）',
        },
      },
      {
        value: 'eaddrinuse',
        label: {
          en: 'bind() fails on restart: EADDRINUSE, "Address already in use"',
          zh: '重启时 bind() 失败：EADDRINUSE（Address already in use）',
        },
      },
      {
        value: 'many',
        label: {
          en: 'Many TIME_WAIT entries in ss, but no errors',
          zh: 'ss 里有大量 TIME_WAIT，但没有报错',
        },
      },
    ],
  },
  {
    id: 'role',
    label: {
      en: 'Is the host with the problem the client or the server?',
      zh: '出问题的主机是客户端还是服务器？',
    },
    options: [
      {
        value: 'client',
        label: {
          en: 'Client: it opens the connections (also a proxy or load balancer toward its backends)',
          zh: '客户端：由它发起连接（也包括连往后端的代理、负载均衡器）',
        },
      },
      { value: 'server', label: { en: 'Server: it accepts the connections', zh: '服务器：由它接受连接' } },
    ],
  },
  {
    id: 'closer',
    label: { en: 'Which side closes first?', zh: '哪一端先关闭连接？' },
    options: [
      { value: 'me', label: { en: 'This host closes first', zh: '这台主机先关闭' } },
      { value: 'peer', label: { en: 'The other side closes first', zh: '对端先关闭' } },
    ],
  },
  {
    id: 'nat',
    label: {
      en: 'Is there NAT between the two sides (many clients share one address)?',
      zh: '两端之间有 NAT 吗（许多客户端共用一个地址）？',
    },
    options: [
      { value: 'no', label: { en: 'No', zh: '没有' } },
      { value: 'yes', label: { en: 'Yes', zh: '有' } },
    ],
  },
  {
    id: 'loopback',
    label: {
      en: 'Are the connections over loopback (127.0.0.1, ::1)?',
      zh: '连接走的是回环地址（127.0.0.1、::1）吗？',
    },
    options: [
      { value: 'no', label: { en: 'No', zh: '不是' } },
      { value: 'yes', label: { en: 'Yes', zh: '是' } },
    ],
  },
  {
    id: 'protocol',
    label: {
      en: 'Can you change how the application uses connections (protocol, client code)?',
      zh: '能否修改应用使用连接的方式（协议、客户端代码）？',
    },
    options: [
      { value: 'yes', label: { en: 'Yes', zh: '能' } },
      { value: 'no', label: { en: 'No, only system settings', zh: '不能，只能改系统设置' } },
    ],
  },
  {
    id: 'os',
    label: { en: 'Which operating system is that host running?', zh: '这台主机运行什么操作系统？' },
    options: [
      { value: 'linux', label: { en: 'Linux', zh: 'Linux' } },
      { value: 'freebsd', label: { en: 'FreeBSD', zh: 'FreeBSD' } },
      { value: 'macos', label: { en: 'macOS', zh: 'macOS' } },
      { value: 'windows', label: { en: 'Windows', zh: 'Windows' } },
    ],
  },
] as const;

type Question = (typeof QUESTIONS)[number];
export type QuestionId = Question['id'];
export type Answers = { [Q in Question as Q['id']]: Q['options'][number]['value'] };

/** The first option of every question: what the chooser shows before the reader answers anything. */
export const DEFAULT_ANSWERS = Object.fromEntries(
  QUESTIONS.map((q) => [q.id, q.options[0].value]),
) as unknown as Answers;

/** A condition on the answers: every named question must have (one of) the given value(s). */
export type When = { [K in keyof Answers]?: Answers[K] | readonly Answers[K][] };

export interface Rule {
  when: When;
  /** Points added to the entry's score when `when` holds (may be negative). */
  add: number;
  why: Localized;
}

export interface Exclusion {
  when: When;
  why: Localized;
}

export interface Mitigation {
  /** The page: content/docs/mitigate/<slug>.mdx and content/docs/zh-cn/mitigate/<slug>.mdx. */
  slug: string;
  title: Localized;
  /** Which end of the connection it is applied on. */
  side: 'client' | 'server' | 'both';
  /** What the reader changes: a socket option, a sysctl, application design, or nothing any more. */
  kind: 'socket-option' | 'sysctl' | 'design' | 'kernel' | 'removed';
  costs: Localized;
  base: number;
  rules: readonly Rule[];
  /** When any of these holds, the entry is listed as "not for you" with the reason, never ranked. */
  never: readonly Exclusion[];
}

const NOT_LINUX = ['freebsd', 'macos', 'windows'] as const;

export const CATALOG: readonly Mitigation[] = [
  {
    slug: 'reuseaddr',
    title: { en: 'SO_REUSEADDR and SO_REUSEPORT', zh: 'SO_REUSEADDR 与 SO_REUSEPORT' },
    side: 'server',
    kind: 'socket-option',
    costs: {
      en: 'Almost none for a listener; it does not remove or shorten TIME_WAIT.',
      zh: '对监听 socket 几乎没有代价；它不会删除或缩短 TIME_WAIT。',
    },
    base: 0,
    rules: [
      {
        when: { symptom: 'eaddrinuse', role: 'server' },
        add: 100,
        why: {
          en: 'A restarted server cannot bind() while its old connections sit in TIME_WAIT: SO_REUSEADDR is exactly the fix.',
          zh: '服务器重启时旧连接还在 TIME_WAIT，bind() 失败：这正是 SO_REUSEADDR 要解决的问题。',
        },
      },
      {
        when: { symptom: 'eaddrinuse', role: 'client' },
        add: 65,
        why: {
          en: 'A client that bind()s a fixed local port needs SO_REUSEADDR to rebind it.',
          zh: '绑定固定本地端口的客户端需要 SO_REUSEADDR 才能再次绑定。',
        },
      },
    ],
    never: [],
  },
  {
    slug: 'linger-zero',
    title: { en: 'SO_LINGER with a zero timeout', zh: 'SO_LINGER 零超时' },
    side: 'both',
    kind: 'socket-option',
    costs: {
      en: 'Sends RST instead of FIN: unsent data is lost and the peer sees ECONNRESET.',
      zh: '用 RST 代替 FIN：未发送的数据丢失，对端收到 ECONNRESET。',
    },
    base: 2,
    rules: [
      {
        when: { closer: 'me', protocol: 'no' },
        add: 15,
        why: {
          en: 'A last resort when nothing else can change: it skips TIME_WAIT by resetting the connection.',
          zh: '别的都改不了时的最后手段：以复位连接为代价跳过 TIME_WAIT。',
        },
      },
    ],
    never: [
      {
        when: { closer: 'peer' },
        why: {
          en: 'TIME_WAIT is on the other side: an abortive close here does not remove it there.',
          zh: 'TIME_WAIT 在对端：本端的中止式关闭去不掉它。',
        },
      },
    ],
  },
  {
    slug: 'tw-reuse',
    title: { en: 'net.ipv4.tcp_tw_reuse', zh: 'net.ipv4.tcp_tw_reuse' },
    side: 'client',
    kind: 'sysctl',
    costs: {
      en: 'Needs timestamps on both ends; small risk if the peer is still in LAST_ACK (one SYN retry).',
      zh: '两端都要开启时间戳；若对端仍在 LAST_ACK，会多一次 SYN 重试。',
    },
    base: 5,
    rules: [
      {
        when: { symptom: 'eaddrnotavail', role: 'client' },
        add: 55,
        why: {
          en: 'Lets connect() take over a TIME_WAIT entry about a second old, when timestamps are on.',
          zh: '在开启时间戳的前提下，让 connect() 接管已存在约一秒的 TIME_WAIT 条目。',
        },
      },
      {
        when: { loopback: 'yes', role: 'client' },
        add: 10,
        why: {
          en: 'On loopback it is already on by default (value 2, since Linux 4.18): check it was not set to 0.',
          zh: '回环连接上它默认已开启（值为 2，Linux 4.18 起）：检查是否被改成了 0。',
        },
      },
    ],
    never: [
      {
        when: { role: 'server' },
        why: {
          en: 'It applies only to outgoing connect(); it never touches incoming connections.',
          zh: '它只作用于主动发起的 connect()，从不影响入站连接。',
        },
      },
      {
        when: { os: NOT_LINUX },
        why: {
          en: 'A Linux sysctl; your system has no equivalent.',
          zh: '这是 Linux 的 sysctl，你的系统没有对应项。',
        },
      },
    ],
  },
  {
    slug: 'tw-recycle',
    title: { en: 'net.ipv4.tcp_tw_recycle (removed)', zh: 'net.ipv4.tcp_tw_recycle（已移除）' },
    side: 'server',
    kind: 'removed',
    costs: {
      en: 'Dropped SYNs from clients behind NAT; removed in Linux 4.12.',
      zh: '会丢弃 NAT 后客户端的 SYN；Linux 4.12 已将其移除。',
    },
    base: 0,
    rules: [],
    never: [
      {
        when: {},
        why: {
          en: 'Removed in Linux 4.12; before that it silently dropped connections from clients behind NAT.',
          zh: 'Linux 4.12 已移除；在此之前它会悄悄丢掉 NAT 后面客户端的连接。',
        },
      },
    ],
  },
  {
    slug: 'max-tw-buckets',
    title: { en: 'net.ipv4.tcp_max_tw_buckets', zh: 'net.ipv4.tcp_max_tw_buckets' },
    side: 'both',
    kind: 'sysctl',
    costs: {
      en: 'A DoS guard, not a fix: lowering it makes new closers skip TIME_WAIT unprotected.',
      zh: '这是防 DoS 的上限，不是修复手段：调低它会让新关闭的连接不受保护地跳过 TIME_WAIT。',
    },
    base: 1,
    rules: [
      {
        when: { symptom: 'many' },
        add: 12,
        why: {
          en: 'Check that the TCPTimeWaitOverflow counter stays at 0; raise the cap only if it grows.',
          zh: '确认 TCPTimeWaitOverflow 计数器保持为 0；只有它在增长时才调高上限。',
        },
      },
    ],
    never: [
      {
        when: { os: NOT_LINUX },
        why: {
          en: 'A Linux sysctl; your system has no equivalent.',
          zh: '这是 Linux 的 sysctl，你的系统没有对应项。',
        },
      },
    ],
  },
  {
    slug: 'shorter-timewait',
    title: { en: 'A shorter TIME_WAIT', zh: '缩短 TIME_WAIT' },
    side: 'both',
    kind: 'kernel',
    costs: {
      en: 'Weakens both protections of TIME_WAIT: a lost last ACK, and old duplicates.',
      zh: '同时削弱 TIME_WAIT 的两项保护：最后一个 ACK 丢失，以及旧的重复报文段。',
    },
    base: 3,
    rules: [
      {
        when: { os: NOT_LINUX, closer: 'me' },
        add: 30,
        why: {
          en: 'Your system has a tunable (net.inet.tcp.msl or TcpTimedWaitDelay); keep it well above the RTT.',
          zh: '你的系统有可调参数（net.inet.tcp.msl 或 TcpTimedWaitDelay）；务必远大于 RTT。',
        },
      },
      {
        when: { os: 'freebsd', loopback: 'yes' },
        add: 20,
        why: {
          en: 'FreeBSD skips TIME_WAIT for local connections (net.inet.tcp.nolocaltimewait, on by default since 14.0).',
          zh: 'FreeBSD 对本地连接跳过 TIME_WAIT（net.inet.tcp.nolocaltimewait，14.0 起默认开启）。',
        },
      },
    ],
    never: [
      {
        when: { os: 'linux' },
        why: {
          en: 'Linux has no knob: TIME_WAIT is the compile-time constant TCP_TIMEWAIT_LEN (60 s); tcp_fin_timeout is something else.',
          zh: 'Linux 没有可调项：TIME_WAIT 是编译期常量 TCP_TIMEWAIT_LEN（60 秒）；tcp_fin_timeout 管的是别的。',
        },
      },
    ],
  },
  {
    slug: 'who-closes-first',
    title: { en: 'Who closes first', zh: '谁先关闭' },
    side: 'both',
    kind: 'design',
    costs: {
      en: 'A protocol or application change; TIME_WAIT moves to the other side rather than vanishing.',
      zh: '需要修改协议或应用；TIME_WAIT 只是换到另一端，并不会消失。',
    },
    base: 5,
    rules: [
      {
        when: { symptom: 'eaddrnotavail', role: 'client', closer: 'me' },
        add: 65,
        why: {
          en: 'Let the server close first: its TIME_WAIT costs it no ephemeral ports, yours costs one each.',
          zh: '让服务器先关闭：TIME_WAIT 在服务器上不占临时端口，在你这边每个都占一个。',
        },
      },
      {
        when: { role: 'server', closer: 'me', symptom: 'many' },
        add: 25,
        why: {
          en: 'If the entries bother you, let clients close first (for example with keep-alive and client-side idle timeouts).',
          zh: '如果这些条目确实碍事，可以让客户端先关闭（例如配合 keep-alive 与客户端空闲超时）。',
        },
      },
    ],
    never: [
      {
        when: { protocol: 'no' },
        why: {
          en: 'Needs a change to the protocol or the application.',
          zh: '需要修改协议或应用。',
        },
      },
    ],
  },
  {
    slug: 'keepalive-pooling',
    title: { en: 'Keep-alive and connection pools', zh: 'Keep-alive 与连接池' },
    side: 'client',
    kind: 'design',
    costs: {
      en: 'Idle connections hold memory and a file descriptor on both ends; stale ones need retry logic.',
      zh: '空闲连接在两端都占内存和文件描述符；失效的连接需要重试逻辑。',
    },
    base: 10,
    rules: [
      {
        when: { symptom: 'eaddrnotavail', role: 'client' },
        add: 70,
        why: {
          en: 'Reuse connections instead of opening one per request: fewer closes, fewer TIME_WAIT entries.',
          zh: '复用连接而不是每个请求新建一个：关闭得少，TIME_WAIT 条目就少。',
        },
      },
      {
        when: { symptom: 'many' },
        add: 30,
        why: {
          en: 'The count of TIME_WAIT entries is the close rate × 60 s; reusing connections lowers the close rate.',
          zh: 'TIME_WAIT 条目数 ≈ 关闭速率 × 60 秒；复用连接能降低关闭速率。',
        },
      },
    ],
    never: [
      {
        when: { protocol: 'no' },
        why: {
          en: 'Needs a change to the client code or its configuration.',
          zh: '需要修改客户端代码或其配置。',
        },
      },
    ],
  },
  {
    slug: 'more-tuples',
    title: { en: 'More 4-tuples', zh: '更多四元组' },
    side: 'client',
    kind: 'sysctl',
    costs: {
      en: 'A wider port range can collide with services listening in it; extra addresses need configuration.',
      zh: '扩大端口范围可能与在该范围内监听的服务冲突；增加地址需要额外配置。',
    },
    base: 10,
    rules: [
      {
        when: { symptom: 'eaddrnotavail', role: 'client' },
        add: 60,
        why: {
          en: 'Each extra port, destination port or address multiplies the connections you can open toward one server.',
          zh: '每多一个端口、目的端口或地址，连往同一服务器的可用连接数就成倍增加。',
        },
      },
      {
        when: { symptom: 'eaddrnotavail', role: 'client', protocol: 'no' },
        add: 25,
        why: {
          en: 'Works with system settings alone (ip_local_port_range, more addresses).',
          zh: '只靠系统设置即可（ip_local_port_range、更多地址）。',
        },
      },
      {
        when: { symptom: 'eaddrinuse', role: 'client' },
        add: 50,
        why: {
          en: 'Let the kernel pick the port at connect() (IP_BIND_ADDRESS_NO_PORT) instead of bind()ing one.',
          zh: '让内核在 connect() 时再选端口（IP_BIND_ADDRESS_NO_PORT），不要自己 bind() 端口。',
        },
      },
      {
        when: { loopback: 'yes', role: 'client' },
        add: 10,
        why: {
          en: 'Loopback has all of 127.0.0.0/8: more addresses cost nothing there.',
          zh: '回环有整个 127.0.0.0/8：在那里多用几个地址毫无成本。',
        },
      },
    ],
    never: [],
  },
  {
    slug: 'timestamps-paws',
    title: { en: 'Timestamps, PAWS and RFC 6191', zh: '时间戳、PAWS 与 RFC 6191' },
    side: 'server',
    kind: 'sysctl',
    costs: {
      en: '10–12 bytes of options per segment; keep net.ipv4.tcp_timestamps at its default 1.',
      zh: '每个报文段多 10–12 字节选项；保持 net.ipv4.tcp_timestamps 为默认值 1。',
    },
    base: 5,
    rules: [
      {
        when: { role: 'server', closer: 'me' },
        add: 55,
        why: {
          en: 'A server-side TIME_WAIT entry accepts a newer SYN for its 4-tuple (RFC 6191): usually nothing to fix.',
          zh: '服务器端的 TIME_WAIT 条目会接受同一四元组上更新的 SYN（RFC 6191）：通常无需处理。',
        },
      },
      {
        when: { role: 'client', symptom: 'eaddrnotavail', os: 'linux' },
        add: 15,
        why: {
          en: 'tcp_tw_reuse works only if the old connection used timestamps.',
          zh: 'tcp_tw_reuse 只在旧连接用过时间戳时才生效。',
        },
      },
      {
        when: { role: 'server', nat: 'yes' },
        add: -20,
        why: {
          en: 'Behind NAT, clients sharing one address have unrelated timestamp clocks, so the newer-SYN test can fail for some.',
          zh: '在 NAT 后面，共用一个地址的客户端时间戳时钟互不相关，"更新的 SYN" 判断可能对其中一些失败。',
        },
      },
      {
        when: { os: NOT_LINUX },
        add: -30,
        why: {
          en: 'The page describes Linux; check how your system treats a SYN that meets TIME_WAIT.',
          zh: '该页描述的是 Linux；请核实你的系统如何处理撞上 TIME_WAIT 的 SYN。',
        },
      },
    ],
    never: [],
  },
];
