#!/usr/bin/env python3
"""Run a normalized simulator Scenario on the real Linux kernel and print what an observer saw.

Input (stdin): the Scenario as src/sim/types.ts defines it, after parseScenario() (times in µs).
Output (stdout): an Observation (types.ts) as JSON, plus `counterSnapshots` and a `kernel` object
with the facts of this run (release, namespace defaults, what the harness had to approximate).
Exit status: 0 ok, 3 the scenario asks for something the kernel harness cannot reproduce (the
reason is on stderr), 1 anything else.

How it works
- One network namespace per host, named `twg-<driver pid>-<host>`, plus one "wire" namespace
  `twg-<pid>-wire` holding a bridge that every host's veth joins. Segments between hosts cross the
  bridge, so a `drop` fault is an nftables rule in the wire namespace (bridge family, forward hook):
  the sender's TCP sees a normal transmit and the receiver never sees the segment, exactly like a
  loss on the link. Traffic never leaves these namespaces (nothing is connected to the root one).
- Each host's IPs are added as /24 on eth0 with a default route out of eth0 (so extra IPs in other
  subnets still reach each other by ARP on the bridge).
- Per-namespace sysctls are applied with `ip netns exec <ns> sysctl -w`.
- One worker per host (`ip netns exec <ns> python3 driver.py --worker`; os.setns is not in Python's
  stdlib) makes the socket calls. It keeps every socket non-blocking and emulates the blocking calls
  (connect, accept, recv) with poll(), so a call blocked on one socket never holds up another and a
  close() really closes (a thread blocked in recv() would keep the file alive and delay the FIN).
  Protocol: one JSON object per line each way.
- The driver steps through the scenario's timeline in real time: drop faults are installed at their
  `after` instant, script steps are sent at their `at`, and at every snapshot instant (scenario
  snapshots and the instants expectations look at) every worker dumps its sockets through
  NETLINK_SOCK_DIAG (what `ss -tanoe` shows, without the 5-10 ms of starting ss; ss is the fallback)
  and reads /proc/net/snmp and /proc/net/netstat (both per network namespace).
- `delay`, `duplicate` and `loop` faults go through the wire relay (class Wire, `--wire`).
- No netem here, so by default links have no delay: the kernel's round trips take tens of
  microseconds where the simulator's default link takes 5 ms each way. With {"linkDelay": true} in the
  input the relay carries every frame one link delay later (nftables drops the bridge's own copy).
  Compare timings loosely either way.

Input: the Scenario itself, or {"scenario": ..., "trace": bool, "linkDelay": bool}; `trace` adds
tcpdump's view of the bridge (kernel.trace). Also: `--probe` (namespace defaults), `--sweep`.

The nth-matching drop: nftables' `numgen inc` keeps a counter per expression that is advanced only
when evaluation reaches it, i.e. only for segments that matched every earlier expression of the rule.
So the rule `<match> jump fault_i` and the chain `fault_i { numgen inc mod 1000000000 == nth-1 drop }`
drop exactly the nth matching segment (the counter starts at 0; measured on Linux 6.18). `hasData`
needs payload length = ip length - 20 - 4*doff, which nft cannot compute, so one rule per TCP header
length (doff 5..15) compares `ip length` with the constant; they all jump to the same chain.
"""

import errno
import heapq
import json
import os
import queue
import re
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

SELF = os.path.abspath(__file__)
PREFIX = 'twg-'
UNSUPPORTED = 3

# ---------------------------------------------------------------------------------------------------
# Shared helpers


def errno_name(e: OSError) -> str:
    return errno.errorcode.get(e.errno or 0, f'E{e.errno}')


def us_since(t0: float) -> int:
    return int(round((time.monotonic() - t0) * 1_000_000))


# ss prints states the way iproute2's misc/ss.c `sstate_name` spells them.
SS_STATES = {
    'ESTAB': 'ESTABLISHED',
    'SYN-SENT': 'SYN_SENT',
    'SYN-RECV': 'SYN_RECEIVED',
    'FIN-WAIT-1': 'FIN_WAIT_1',
    'FIN-WAIT-2': 'FIN_WAIT_2',
    'TIME-WAIT': 'TIME_WAIT',
    'UNCONN': 'CLOSED',
    'CLOSE-WAIT': 'CLOSE_WAIT',
    'LAST-ACK': 'LAST_ACK',
    'LISTEN': 'LISTEN',
    'CLOSING': 'CLOSING',
    'CLOSED': 'CLOSED',
}

TIMER_RE = re.compile(r'timer:\((\w+),([^,]*),(\d+)\)')
INO_RE = re.compile(r'\bino:(\d+)')


def parse_ss_duration(text: str) -> int:
    """ss's print_ms_timer(): '1min', '1min5sec', '59sec', '5.123ms' (= 5.123 s), '200ms' → µs."""
    m = re.fullmatch(r'(?:(\d+)min)?(?:(\d+)(sec|\.))?(?:(\d+)ms)?', text.strip())
    if not m:
        return 0
    minutes = int(m.group(1) or 0)
    secs = int(m.group(2) or 0)
    ms = int(m.group(4) or 0)
    return ((minutes * 60 + secs) * 1000 + ms) * 1000


def parse_ss_line(line: str):
    parts = line.split()
    if len(parts) < 5:
        return None
    state = SS_STATES.get(parts[0])
    if state is None:
        return None
    local, remote = parts[3], parts[4]
    if local.startswith('*:'):
        local = '0.0.0.0:' + local[2:]
    if state == 'LISTEN' or remote in ('0.0.0.0:*', '*:*'):
        remote = '*:*'
    row = {'local': local, 'remote': remote, 'state': state, 'recvQ': int(parts[1]), 'sendQ': int(parts[2])}
    rest = ' '.join(parts[5:])
    m = TIMER_RE.search(rest)
    if m:
        kind = m.group(1)
        if kind in ('on', 'timewait', 'keepalive'):
            row['timer'] = {'kind': kind, 'remaining': parse_ss_duration(m.group(2)), 'retries': int(m.group(3))}
    ino = INO_RE.search(rest)
    return row, (int(ino.group(1)) if ino else 0)


# Socket table through NETLINK_SOCK_DIAG, the interface `ss` itself uses (inet_diag_req_v2 →
# inet_diag_msg): a few hundred µs instead of the ~5–10 ms of starting `ss`, which matters for
# snapshots a few ms apart. Same numbers as `ss -tanoe`: Recv-Q/Send-Q are idiag_rqueue/wqueue, the
# timer is idiag_timer (1 on, 2 keepalive, 3 timewait, 4 persist) with idiag_expires in ms.
DIAG_STATES = {1: 'ESTABLISHED', 2: 'SYN_SENT', 3: 'SYN_RECEIVED', 4: 'FIN_WAIT_1', 5: 'FIN_WAIT_2',
               6: 'TIME_WAIT', 8: 'CLOSE_WAIT', 9: 'LAST_ACK', 10: 'LISTEN', 11: 'CLOSING',
               12: 'SYN_RECEIVED'}
DIAG_TIMERS = {1: 'on', 2: 'keepalive', 3: 'timewait'}


def diag_dump():
    """[(row, inode)] for every TCP socket of this network namespace except closed/bound-only ones."""
    nl = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 4)  # NETLINK_SOCK_DIAG
    try:
        states = sum(1 << st for st in DIAG_STATES)
        req = struct.pack('=BBBBI', socket.AF_INET, socket.IPPROTO_TCP, 0, 0, states) + b'\x00' * 48
        hdr = struct.pack('=IHHII', 16 + len(req), 20, 0x301, 1, 0)  # SOCK_DIAG_BY_FAMILY, REQUEST|DUMP
        nl.sendto(hdr + req, (0, 0))
        out = []
        while True:
            data = nl.recv(1 << 20)
            off = 0
            while off + 16 <= len(data):
                length, kind = struct.unpack_from('=IH', data, off)
                if kind == 3:  # NLMSG_DONE
                    return out
                if kind == 2:  # NLMSG_ERROR
                    raise OSError('inet_diag dump failed')
                body = off + 16
                _, state, timer, retrans = struct.unpack_from('=BBBB', data, body)
                sport, dport = struct.unpack_from('!HH', data, body + 4)
                src = socket.inet_ntoa(data[body + 8:body + 12])
                dst = socket.inet_ntoa(data[body + 24:body + 28])
                expires, rq, wq, _uid, inode = struct.unpack_from('=IIIII', data, body + 52)
                name = DIAG_STATES.get(state)
                if name is not None:
                    row = {'local': f'{src}:{sport}', 'remote': '*:*' if name == 'LISTEN' else f'{dst}:{dport}',
                           'state': name, 'recvQ': rq, 'sendQ': wq}
                    if timer in DIAG_TIMERS:
                        row['timer'] = {'kind': DIAG_TIMERS[timer], 'remaining': expires * 1000, 'retries': retrans}
                    out.append((row, inode))
                off += (length + 3) & ~3
    finally:
        nl.close()


def read_counters() -> dict:
    """nstat names: 'Tcp' + field from /proc/net/snmp, 'TcpExt' + field from /proc/net/netstat."""
    out = {}
    for path in ('/proc/net/snmp', '/proc/net/netstat'):
        with open(path) as f:
            lines = f.read().splitlines()
        for i in range(0, len(lines) - 1, 2):
            head, values = lines[i].split(), lines[i + 1].split()
            prefix = head[0].rstrip(':')
            if prefix not in ('Tcp', 'TcpExt', 'Ip', 'IpExt'):
                continue
            for k, v in zip(head[1:], values[1:]):
                try:
                    out[prefix + k] = int(v)
                except ValueError:
                    pass
    return out


# ---------------------------------------------------------------------------------------------------
# Worker: lives in one host's namespace and makes its socket calls.

SOCKOPTS = {
    'SO_REUSEADDR': (socket.SOL_SOCKET, socket.SO_REUSEADDR),
    'SO_REUSEPORT': (socket.SOL_SOCKET, getattr(socket, 'SO_REUSEPORT', 15)),
    'SO_LINGER': (socket.SOL_SOCKET, socket.SO_LINGER),
    'TCP_LINGER2': (socket.IPPROTO_TCP, getattr(socket, 'TCP_LINGER2', 8)),
    'IP_BIND_ADDRESS_NO_PORT': (socket.IPPROTO_IP, getattr(socket, 'IP_BIND_ADDRESS_NO_PORT', 24)),
}
SHUT = {'SHUT_RD': socket.SHUT_RD, 'SHUT_WR': socket.SHUT_WR, 'SHUT_RDWR': socket.SHUT_RDWR}


class Worker:
    def __init__(self) -> None:
        self.t0 = time.monotonic()
        self.socks: dict = {}  # script name → socket
        self.pending: list = []  # blocking calls not yet returned
        self.received: dict = {}
        self.issued: dict = {}  # step index → when a call that blocked was really issued (µs)
        self.out = sys.stdout

    def send(self, obj) -> None:
        self.out.write(json.dumps(obj) + '\n')
        self.out.flush()

    def record(self, step, result: str, **extra):
        # `at` is the scripted instant. A call that returned at once has doneAt == at, like the
        # simulator's; a call that blocked reports how long it blocked, counted from when it was
        # really issued, so a driver running a little behind schedule does not show up as blocking.
        issued = self.issued.get(step['index'])
        waited = 0 if issued is None else max(0, us_since(self.t0) - issued)
        rec = {'step': step['index'], 'host': step['host'], 'call': step['call'], 'at': step['at'],
               'doneAt': step['at'] + waited, 'result': result}
        if step.get('fd') is not None:
            rec['fd'] = step['fd']
        elif step.get('as') is not None:
            rec['fd'] = step['as']
        rec.update({k: v for k, v in extra.items() if v is not None})
        return rec

    # One socket call. Returns a CallRecord, or None when the call blocks (it finishes later in poll).
    def call(self, step):
        c = step['call']
        name = step.get('fd')
        if c == 'socket':
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            self.socks[step['as']] = s
            self.received.setdefault(step['as'], '')
            return self.record(step, '0')
        s = self.socks.get(name)
        if s is None:
            return self.record(step, 'EBADF')
        try:
            if c == 'bind':
                a = step['addr']
                s.bind((a['ip'], a['port']))
                return self.record(step, '0', port=s.getsockname()[1])
            if c == 'listen':
                s.listen(step.get('backlog') if step.get('backlog') is not None else 128)
                return self.record(step, '0')
            if c == 'setsockopt':
                level, opt = SOCKOPTS[step['option']]
                v = step.get('value')
                if isinstance(v, dict):
                    s.setsockopt(level, opt, struct.pack('ii', int(v['onoff']), int(v['linger'])))
                else:
                    s.setsockopt(level, opt, int(v if v is not None else 1))
                return self.record(step, '0')
            if c == 'shutdown':
                s.shutdown(SHUT[step.get('how') or 'SHUT_RDWR'])
                return self.record(step, '0')
            if c == 'close':
                s.close()
                del self.socks[name]
                # A call still blocked on this socket stays 'pending' (a blocked thread would too).
                self.pending = [p for p in self.pending if p['sock'] is not s]
                return self.record(step, '0')
            if c == 'send':
                data = (step.get('data') or '').encode('latin-1')
                sent = 0
                while sent < len(data):
                    try:
                        sent += s.send(data[sent:], socket.MSG_NOSIGNAL)
                    except BlockingIOError:
                        select.select([], [s], [], 1.0)
                return self.record(step, '0')
            if c == 'connect':
                a = step['addr']
                try:
                    s.connect((a['ip'], a['port']))
                except BlockingIOError:
                    # EINPROGRESS: the port is chosen (and the SYN sent) already.
                    self.pending.append({'step': step, 'sock': s, 'events': select.POLLOUT,
                                         'port': s.getsockname()[1]})
                    return None
                return self.record(step, '0', port=s.getsockname()[1])
            if c == 'accept':
                return self.try_accept(step, s)
            if c == 'recv':
                return self.try_recv(step, s)
        except OSError as e:
            return self.record(step, errno_name(e))
        return self.record(step, 'EINVAL')

    def try_accept(self, step, s):
        try:
            conn, _ = s.accept()
        except BlockingIOError:
            self.pending.append({'step': step, 'sock': s, 'events': select.POLLIN})
            return None
        except OSError as e:
            return self.record(step, errno_name(e))
        conn.setblocking(False)
        self.socks[step['as']] = conn
        self.received.setdefault(step['as'], '')
        return self.record(step, '0', port=conn.getsockname()[1])

    def try_recv(self, step, s):
        """One recv() call, as an application makes it: everything queued now (at most `bytes`),
        '' at end of stream, an errno (ECONNRESET) once the data before it has been read. Blocks
        only while there is nothing to return."""
        limit = step.get('bytes') or (1 << 20)
        try:
            b = s.recv(limit)
        except BlockingIOError:
            self.pending.append({'step': step, 'sock': s, 'events': select.POLLIN})
            return None
        except OSError as e:
            return self.record(step, errno_name(e))
        text = b.decode('latin-1')
        self.received[step['fd']] = self.received.get(step['fd'], '') + text
        return self.record(step, '0', data=text)

    def poll_pending(self, ready: set) -> list:
        done = []
        for item in list(self.pending):
            if item['sock'].fileno() not in ready:
                continue
            step, s = item['step'], item['sock']
            self.pending.remove(item)
            if step['call'] == 'connect':
                err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                result = '0' if err == 0 else errno.errorcode.get(err, f'E{err}')
                done.append(self.record(step, result, port=item['port']))
                continue
            rec = self.try_accept(step, s) if step['call'] == 'accept' else self.try_recv(step, s)
            if rec is not None:
                done.append(rec)
            # else: a spurious wake-up; try_* queued the call again
        return done

    def snapshot(self):
        by_ino = {}
        for name, s in self.socks.items():
            try:
                by_ino[os.fstat(s.fileno()).st_ino] = name
            except OSError:
                pass
        try:
            parsed_rows = diag_dump()
        except OSError:
            r = subprocess.run(['ss', '-tanoeH'], capture_output=True, text=True, timeout=20)
            parsed_rows = [p for p in map(parse_ss_line, r.stdout.splitlines()) if p is not None]
        rows = []
        for row, ino in parsed_rows:
            if row['state'] == 'CLOSED':
                continue  # bound-only sockets; the simulator's table shows connections and listeners
            if ino and ino in by_ino:
                row['fd'] = by_ino[ino]
            rows.append(row)
        rows.sort(key=lambda r: (r['local'], r['remote']))
        return rows

    def run(self) -> None:
        buf = b''
        stdin = sys.stdin.fileno()
        self.send({'kind': 'ready', 'counters': read_counters()})
        while True:
            # One poll over the driver's pipe and every blocked call: no busy waiting.
            p = select.poll()
            p.register(stdin, select.POLLIN | select.POLLHUP)
            for item in self.pending:
                p.register(item['sock'].fileno(), item['events'] | select.POLLERR | select.POLLHUP)
            ready = {fd for fd, _ in p.poll()}
            for rec in self.poll_pending(ready - {stdin}):
                self.send({'kind': 'done', 'record': rec})
            if stdin not in ready:
                continue
            chunk = os.read(stdin, 65536)
            if not chunk:
                return
            buf += chunk
            while b'\n' in buf:
                line, buf = buf.split(b'\n', 1)
                if not line.strip():
                    continue
                msg = json.loads(line)
                op = msg['op']
                if op == 'init':
                    self.t0 = msg['t0']
                    self.send({'kind': 'ok'})
                elif op == 'step':
                    self.issued[msg['step']['index']] = us_since(self.t0)
                    rec = self.call(msg['step'])
                    if rec is not None:
                        rec['doneAt'] = rec['at']  # it did not block
                    self.send({'kind': 'issued', 'record': rec})
                elif op == 'snapshot':
                    # The time is read after the dump, so that a dump that was itself slow (a loaded
                    # machine) counts as lateness: the table may show what happened up to that moment.
                    sockets = self.snapshot()
                    counters = read_counters()
                    self.send({'kind': 'snapshot', 'sockets': sockets, 'counters': counters,
                               'takenAt': us_since(self.t0)})
                elif op == 'end':
                    self.send({'kind': 'end', 'counters': read_counters(), 'received': self.received})
                elif op == 'exit':
                    return


# ---------------------------------------------------------------------------------------------------
# Wire relay: lives in the wire namespace and carries out `delay`, `duplicate` and `loop` faults.
#
# nftables cannot hold a segment back, so the relay keeps a copy of every frame entering the bridge
# from a host port (an AF_PACKET tap on that port sees it before the bridge does), counts the frames
# matching each fault exactly as the nftables rule does, and re-sends the nth one later straight out of
# the destination host's port (bypassing the bridge and its rules). For `delay` and `loop` the nftables
# rule drops the original; for `duplicate` the original goes through and the copy follows. A `loop`
# copy has its TTL lowered by the number of hops (and dies if that reaches 0), as routers would.

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
TCP_FLAG_BITS = {'F': 0x01, 'S': 0x02, 'R': 0x04, 'P': 0x08, 'A': 0x10}


def ip_checksum(header: bytes) -> int:
    total = 0
    for i in range(0, len(header), 2):
        total += (header[i] << 8) + header[i + 1]
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


class Wire:
    def __init__(self) -> None:
        self.t0 = time.monotonic()
        self.out = sys.stdout
        self.socks: dict = {}  # ifname → packet socket
        self.port_of_ip: dict = {}
        self.ips_of_host: dict = {}
        self.faults: list = []
        self.seen: dict = {}
        self.stats: dict = {}
        self.queue: list = []  # (due, seq, ifname, frame, fault index)
        self.max_late = 0  # µs: how late the relay sent a frame at worst
        self.seq = 0

    def send(self, obj) -> None:
        self.out.write(json.dumps(obj) + '\n')
        self.out.flush()

    def configure(self, cfg) -> None:
        for host, port in cfg['ports'].items():
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
            s.bind((port['ifname'], 0))
            s.setblocking(False)
            self.socks[port['ifname']] = s
            self.ips_of_host[host] = set(port['ips'])
            for ip in port['ips']:
                self.port_of_ip[ip] = port['ifname']
        self.faults = cfg['faults']
        self.delay_all = bool(cfg.get('linkDelay'))
        self.delays = cfg.get('delays', {})
        self.default_delay = cfg.get('defaultDelay', 0)
        self.host_of_ip = {ip: h for h, port in cfg['ports'].items() for ip in port['ips']}
        for f in self.faults:
            self.seen[f['index']] = 0
            self.stats[f['index']] = {'fault': f['index'], 'kind': f['kind'], 'captured': 0, 'sent': 0}

    def matches(self, m, src: str, dst: str, flags: int, has_data: bool, now_us: int) -> bool:
        if m.get('from') and src not in self.ips_of_host.get(m['from'], ()):
            return False
        if m.get('to') and dst not in self.ips_of_host.get(m['to'], ()):
            return False
        if m.get('flags'):
            want = 0
            for c in m['flags']:
                want |= TCP_FLAG_BITS[c]
            if flags & 0x1F != want:
                return False
        if m.get('hasData') is not None and bool(m['hasData']) != has_data:
            return False
        if now_us < (m.get('after') or 0):
            return False
        return True

    def frame_in(self, frame: bytes) -> None:
        if len(frame) < 34 or frame[12:14] != b'\x08\x00':
            return
        ihl = (frame[14] & 0x0F) * 4
        if frame[23] != 6 or len(frame) < 14 + ihl + 20:
            return
        total = struct.unpack('!H', frame[16:18])[0]
        src = socket.inet_ntoa(frame[26:30])
        dst = socket.inet_ntoa(frame[30:34])
        out = self.port_of_ip.get(dst)
        tcp = 14 + ihl
        doff = (frame[tcp + 12] >> 4) * 4
        flags = frame[tcp + 13]
        has_data = total - ihl - doff > 0
        now_us = us_since(self.t0)
        # In link-delay mode nftables drops every IPv4 frame on the bridge and the relay carries them
        # all, one link delay later; otherwise it carries only the copies faults ask for.
        link = self.link_delay(src, dst) if self.delay_all else None
        forward_original = link is not None
        copies = []  # (extra wait µs, frame, fault index)
        for f in self.faults:
            m = f['match']
            if not self.matches(m, src, dst, flags, has_data, now_us):
                continue
            self.seen[f['index']] += 1
            if self.seen[f['index']] != int(m.get('nth', 1)):
                continue
            self.stats[f['index']]['captured'] += 1
            if f['kind'] == 'drop':
                forward_original = False
                continue
            copy = bytearray(frame)
            if f['kind'] == 'delay':
                wait = f['by']
                forward_original = False
            elif f['kind'] == 'duplicate':
                wait = f['after']
            else:  # loop: every router on the way takes one off the TTL
                forward_original = False
                wait = f['hops'] * f['perHop']
                ttl = copy[22] - f['hops']
                if ttl <= 0:
                    self.stats[f['index']]['ttlExpired'] = True
                    continue
                copy[22] = ttl
                copy[24:26] = b'\x00\x00'
                copy[24:26] = struct.pack('!H', ip_checksum(bytes(copy[14:14 + ihl])))
            copies.append((wait, copy, f['index']))
        if out is None:
            return
        if forward_original:
            copies.append((0, bytearray(frame), -1))
        for wait, copy, index in copies:
            # veth hands frames over with the TCP checksum left to offload (CHECKSUM_PARTIAL); a frame
            # sent again from userspace is checked for real, so compute it now (RFC 9293 §3.1).
            pseudo = bytes(copy[26:34]) + struct.pack('!BBH', 0, 6, total - ihl)
            copy[tcp + 16:tcp + 18] = b'\x00\x00'
            segment = bytes(copy[tcp:14 + total])
            csum = ip_checksum(pseudo + segment + b'\x00' * (len(segment) % 2))
            copy[tcp + 16:tcp + 18] = struct.pack('!H', csum)
            self.seq += 1
            due = time.monotonic() + (wait + (link or 0)) / 1e6
            heapq.heappush(self.queue, (due, self.seq, out, bytes(copy), index))

    def link_delay(self, src: str, dst: str):
        a = self.host_of_ip.get(src)
        b = self.host_of_ip.get(dst)
        if a is None or b is None:
            return None
        return self.delays.get(f'{a}|{b}', self.default_delay)

    def run(self) -> None:
        buf = b''
        stdin = sys.stdin.fileno()
        self.send({'kind': 'ready'})
        while True:
            p = select.poll()
            p.register(stdin, select.POLLIN | select.POLLHUP)
            by_fd = {}
            for s in self.socks.values():
                p.register(s.fileno(), select.POLLIN)
                by_fd[s.fileno()] = s
            timeout = None
            if self.queue:
                timeout = max(0, int((self.queue[0][0] - time.monotonic()) * 1000))
            ready = {fd for fd, _ in p.poll(timeout)}
            while self.queue and self.queue[0][0] <= time.monotonic():
                due, _, ifname, frame, index = heapq.heappop(self.queue)
                self.max_late = max(self.max_late, int((time.monotonic() - due) * 1e6))
                try:
                    self.socks[ifname].send(frame)
                    if index >= 0:
                        self.stats[index]['sent'] += 1
                except OSError as e:
                    if index >= 0:
                        self.stats[index]['error'] = errno_name(e)
            for fd in ready:
                s = by_fd.get(fd)
                if s is None:
                    continue
                while True:
                    try:
                        frame, addr = s.recvfrom(65535)
                    except BlockingIOError:
                        break
                    if addr[2] == PACKET_OUTGOING:
                        continue  # what the bridge (or we) sent out of this port
                    self.frame_in(frame)
            if stdin not in ready:
                continue
            chunk = os.read(stdin, 65536)
            if not chunk:
                return
            buf += chunk
            while b'\n' in buf:
                line, buf = buf.split(b'\n', 1)
                if not line.strip():
                    continue
                msg = json.loads(line)
                if msg['op'] == 'configure':
                    self.configure(msg)
                    self.send({'kind': 'ok'})
                elif msg['op'] == 'init':
                    self.t0 = msg['t0']
                    self.send({'kind': 'ok'})
                elif msg['op'] == 'end':
                    self.send({'kind': 'end', 'faults': list(self.stats.values()), 'lateBy': self.max_late})
                elif msg['op'] == 'exit':
                    return



# ---------------------------------------------------------------------------------------------------
# Driver


class Unsupported(Exception):
    pass


def sh(*args, check=True, inp=None):
    r = subprocess.run(list(args), capture_output=True, text=True, input=inp, timeout=30)
    if check and r.returncode != 0:
        raise RuntimeError(f'{" ".join(args)}: {r.stderr.strip() or r.stdout.strip()}')
    return r


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def list_netns() -> list:
    r = sh('ip', 'netns', 'list', check=False)
    return [line.split()[0] for line in r.stdout.splitlines() if line.strip()]


def sweep_stale() -> None:
    """Delete `twg-<pid>-*` namespaces whose driver is gone (killed with SIGKILL, say)."""
    for ns in list_netns():
        m = re.match(r'^twg-(\d+)-', ns)
        if m and not pid_alive(int(m.group(1))):
            kill_ns_pids(ns)
            sh('ip', 'netns', 'del', ns, check=False)


def kill_ns_pids(ns: str) -> None:
    r = sh('ip', 'netns', 'pids', ns, check=False)
    for p in r.stdout.split():
        try:
            os.kill(int(p), signal.SIGKILL)
        except (ProcessLookupError, ValueError):
            pass


SYSCTL_KEYS = {
    'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_tw_reuse', 'net.ipv4.tcp_tw_reuse_delay',
    'net.ipv4.tcp_timestamps', 'net.ipv4.tcp_max_tw_buckets', 'net.ipv4.tcp_fin_timeout',
    'net.ipv4.tcp_rfc1337', 'net.ipv4.ip_default_ttl', 'net.ipv4.tcp_syn_retries',
}
NS_DEFAULTS = ['net.ipv4.ip_local_port_range', 'net.ipv4.tcp_tw_reuse', 'net.ipv4.tcp_tw_reuse_delay',
               'net.ipv4.tcp_timestamps', 'net.ipv4.tcp_max_tw_buckets', 'net.ipv4.tcp_fin_timeout',
               'net.ipv4.tcp_rfc1337', 'net.ipv4.ip_default_ttl', 'net.ipv4.tcp_syn_retries',
               'net.ipv4.tcp_syn_linear_timeouts', 'net.ipv4.tcp_orphan_retries', 'net.ipv4.tcp_ecn']


def check_supported(sc) -> None:
    """What this harness cannot reproduce on a real kernel (the caller gets exit status 3)."""
    if sc.get('profile', 'linux') != 'linux':
        raise Unsupported(f"profile {sc.get('profile')}: only the linux profile is a current kernel")
    if sc.get('nat'):
        raise Unsupported('NAT is not built by the kernel harness')
    if sc.get('load'):
        raise Unsupported('the load generator is not run by the kernel harness')
    links = [sc.get('defaultLink', {})] + list(sc.get('links', []))
    for link in links:
        for k in ('loss', 'duplicate', 'reorder'):
            if link.get(k, 0):
                raise Unsupported(f'random link {k} is not reproduced on the kernel (no netem)')
    for host, spec in sc['hosts'].items():
        for k in spec.get('sysctl', {}):
            if k not in SYSCTL_KEYS:
                raise Unsupported(f'sysctl {k} on {host} does not exist on this kernel')
    for host, spec in sc['hosts'].items():
        if spec.get('isn', 'rfc6528') != 'rfc6528':
            raise Unsupported(f"{host} uses {spec.get('isn')} ISNs; Linux's are RFC 6528 (secure_tcp_seq)")
    for step in sc.get('script', []):
        if step['call'] in ('crash', 'reboot'):
            raise Unsupported(f"step {step['index']}: {step['call']} is not reproduced on the kernel")
    for f in sc.get('faults', []):
        if f['kind'] not in ('drop', 'delay', 'duplicate', 'loop'):
            raise Unsupported(f"fault {f['kind']} is not reproduced on the kernel")
        if f['match'].get('id') is not None:
            raise Unsupported('a drop by segment id has no meaning on the kernel (use from/to/flags/nth)')


def ns_name(pid: int, host: str) -> str:
    return f'{PREFIX}{pid}-{host}'


class Driver:
    def __init__(self, sc, trace: bool, link_delay: bool = False) -> None:
        self.sc = sc
        self.link_delay = link_delay
        self.pid = os.getpid()
        self.trace = trace
        self.namespaces: list = []
        self.workers: dict = {}
        self.replies: dict = {}
        self.done: dict = {}  # step index → CallRecord completed later
        self.tcpdump = None
        self.relay = None
        self.trace_lines: list = []
        self.lock = threading.Lock()
        self.wire = ns_name(self.pid, 'wire')
        self.notes: list = []

    def ips(self, host: str) -> list:
        spec = self.sc['hosts'][host]
        return [spec['ip']] + list(spec.get('extraIps', []))

    # --- topology
    def build(self) -> None:
        hosts = list(self.sc['hosts'])
        for name in [self.wire] + [ns_name(self.pid, h) for h in hosts]:
            sh('ip', 'netns', 'add', name)
            self.namespaces.append(name)
        sh('ip', '-n', self.wire, 'link', 'add', 'br0', 'type', 'bridge')
        sh('ip', '-n', self.wire, 'link', 'set', 'br0', 'up')
        for i, h in enumerate(hosts):
            ns = ns_name(self.pid, h)
            # Created directly inside the two namespaces, so names never clash between parallel runs.
            sh('ip', 'link', 'add', f'h{i}', 'netns', self.wire, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns)
            sh('ip', '-n', self.wire, 'link', 'set', f'h{i}', 'master', 'br0', 'up')
            sysctl = ['net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']
            for k, v in self.sc['hosts'][h].get('sysctl', {}).items():
                sysctl.append(f'{k}={" ".join(str(x) for x in v) if isinstance(v, list) else v}')
            sh('ip', 'netns', 'exec', ns, 'sysctl', '-q', '-w', *sysctl)
            sh('ip', '-n', ns, 'link', 'set', 'lo', 'up')
            sh('ip', '-n', ns, 'link', 'set', 'eth0', 'up')
            for ip in self.ips(h):
                if not ip.startswith('127.'):  # loopback addresses are on lo already
                    sh('ip', '-n', ns, 'addr', 'add', f'{ip}/24', 'dev', 'eth0')
            sh('ip', '-n', ns, 'route', 'add', 'default', 'dev', 'eth0')
        sh('ip', 'netns', 'exec', self.wire, 'nft', '-f', '-', inp=(
            'table bridge twg {\n'
            '  chain wire { type filter hook forward priority 0; policy accept; }\n'
            '  chain verdict { type filter hook forward priority 10; policy accept; meta mark != 0 drop;'
            + (' ether type ip drop;' if self.link_delay else '') + ' }\n'
            '}\n'))
        if self.trace:
            self.tcpdump = subprocess.Popen(
                ['ip', 'netns', 'exec', self.wire, 'tcpdump', '-i', 'br0', '-nn', '-l', '-tt', '-S', 'tcp'],
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            threading.Thread(target=self._read_trace, daemon=True).start()

    def _read_trace(self) -> None:
        assert self.tcpdump and self.tcpdump.stdout
        for line in self.tcpdump.stdout:
            self.trace_lines.append(line.rstrip('\n'))

    def install_fault(self, i: int, f) -> None:
        m = f['match']
        conds = []
        if m.get('from'):
            conds.append('ip saddr { ' + ', '.join(self.ips(m['from'])) + ' }')
        if m.get('to'):
            conds.append('ip daddr { ' + ', '.join(self.ips(m['to'])) + ' }')
        conds.append('ip protocol tcp')
        if m.get('flags'):
            names = {'S': 'syn', 'F': 'fin', 'R': 'rst', 'P': 'psh', 'A': 'ack'}
            want = '|'.join(names[c] for c in m['flags'])
            conds.append(f'tcp flags & (fin|syn|rst|psh|ack) == {want}')
        base = ' '.join(conds)
        rules = []
        if m.get('hasData') is None:
            rules.append(f'{base} jump fault{i}')
        else:
            for doff in range(5, 16):
                hdr = 20 + 4 * doff
                cmp = f'> {hdr}' if m['hasData'] else f'== {hdr}'
                rules.append(f'{base} ip hdrlength 5 tcp doff {doff} ip length {cmp} jump fault{i}')
        if f['kind'] == 'duplicate':
            return  # the original goes through; the wire relay sends the copy
        nth = int(m.get('nth', 1))
        # Each fault counts matching segments on its own (two faults 'nth 1' and 'nth 2' drop the first
        # two), so a fault only marks its segment; the wire chain's last rule drops marked segments.
        script = f'add chain bridge twg fault{i}\n'
        script += (f'add rule bridge twg fault{i} numgen inc mod 1000000000 == {nth - 1} '
                   f'counter meta mark set meta mark or {1 << i:#x}\n')
        for r in rules:
            script += f'add rule bridge twg wire {r}\n'
        sh('ip', 'netns', 'exec', self.wire, 'nft', '-f', '-', inp=script)

    def fault_counts(self) -> list:
        r = sh('ip', 'netns', 'exec', self.wire, 'nft', '-j', 'list', 'table', 'bridge', 'twg', check=False)
        counts = []
        try:
            for item in json.loads(r.stdout)['nftables']:
                rule = item.get('rule')
                if rule and rule['chain'].startswith('fault') and rule['chain'][5:].isdigit():
                    for e in rule['expr']:
                        if 'counter' in e:
                            counts.append({'fault': int(rule['chain'][5:]), 'dropped': e['counter']['packets']})
        except (ValueError, KeyError):
            pass
        return counts

    # --- workers
    def start_workers(self) -> None:
        for h in self.sc['hosts']:
            p = subprocess.Popen(['ip', 'netns', 'exec', ns_name(self.pid, h), sys.executable, SELF, '--worker'],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
            self.workers[h] = p
            self.replies[h] = queue.Queue()
            threading.Thread(target=self._reader, args=(h, p), daemon=True).start()
        self.start_counters = {h: self.reply(h, 'ready')['counters'] for h in self.workers}
        faults = [dict(f, index=i) for i, f in enumerate(self.sc.get('faults', []))]
        relayed = faults if self.link_delay else [f for f in faults if f['kind'] != 'drop']
        if relayed or self.link_delay:
            hosts = list(self.sc['hosts'])
            p = subprocess.Popen(['ip', 'netns', 'exec', self.wire, sys.executable, SELF, '--wire'],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
            self.relay = p
            self.replies['#wire'] = queue.Queue()
            threading.Thread(target=self._reader, args=('#wire', p), daemon=True).start()
            self.reply('#wire', 'ready')
            ports = {h: {'ifname': f'h{i}', 'ips': self.ips(h)} for i, h in enumerate(hosts)}
            delays = {}
            for link in self.sc.get('links', []):
                a, b = link['between']
                delays[f'{a}|{b}'] = delays[f'{b}|{a}'] = link['delay']
            self.tell_proc(p, {'op': 'configure', 'ports': ports, 'faults': relayed, 'linkDelay': self.link_delay,
                               'delays': delays, 'defaultDelay': self.sc.get('defaultLink', {}).get('delay', 0)})
            self.reply('#wire', 'ok')

    def _reader(self, host: str, p) -> None:
        assert p.stdout
        for line in p.stdout:
            msg = json.loads(line)
            if msg['kind'] == 'done':
                with self.lock:
                    self.done[msg['record']['step']] = msg['record']
            else:
                self.replies[host].put(msg)
        self.replies[host].put({'kind': 'eof'})

    def reply(self, host: str, kind: str, timeout=30.0):
        msg = self.replies[host].get(timeout=timeout)
        if msg['kind'] != kind:
            raise RuntimeError(f'worker {host}: expected {kind}, got {msg}')
        return msg

    def tell(self, host: str, msg) -> None:
        self.tell_proc(self.workers[host], msg)

    def tell_proc(self, p, msg) -> None:
        assert p.stdin
        p.stdin.write(json.dumps(msg) + '\n')
        p.stdin.flush()

    # --- the run
    def run(self):
        sc = self.sc
        until = sc['until']
        instants = set(sc.get('snapshots', []))
        counter_instants = set()
        for e in sc.get('expect', []):
            if e['kind'] in ('state', 'count'):
                instants.add(e['at'])
            if e['kind'] == 'counter' and e['at'] != 'end':
                counter_instants.add(e['at'])
        # At one instant: faults first, then script steps, then the observer (as observe() does).
        timeline = []
        for i, f in enumerate(sc.get('faults', [])):
            timeline.append((f['match'].get('after', 0) or 0, 0, 'fault', (i, f)))
        for step in sc.get('script', []):
            timeline.append((step['at'], 1, 'step', step))
        for t in sorted(instants | counter_instants):
            if t <= until:
                timeline.append((t, 2, 'snapshot', t))
        timeline.sort(key=lambda x: (x[0], x[1], x[3]['index'] if x[2] == 'step' else 0))

        # A margin so that the first steps are not late on a busy machine.
        t0 = time.monotonic() + 0.3
        for h in self.workers:
            self.tell(h, {'op': 'init', 't0': t0})
            self.reply(h, 'ok')
        if self.relay:
            self.tell_proc(self.relay, {'op': 'init', 't0': t0})
            self.reply('#wire', 'ok')
        calls = {}
        snapshots = []
        counter_snaps = []
        late = 0
        last_t = -1
        for t, _, kind, payload in timeline:
            if t > until:
                break  # steps after the end never run (as in the simulator's runUntil(until))
            delay = t0 + t / 1e6 - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            # How far behind schedule each instant starts (sleep overshoot and a busy machine included;
            # events of one instant run one after another, ~0.2 ms each, which is not counted).
            if t != last_t:
                late = max(late, us_since(t0) - t)
                last_t = t
            if kind == 'fault':
                self.install_fault(*payload)
            elif kind == 'step':
                self.tell(payload['host'], {'op': 'step', 'step': payload})
                rec = self.reply(payload['host'], 'issued')['record']
                if rec is not None:
                    calls[payload['index']] = rec
            else:
                for h in self.workers:
                    self.tell(h, {'op': 'snapshot'})
                for h in self.workers:
                    snap = self.reply(h, 'snapshot')
                    late = max(late, snap['takenAt'] - t)
                    if payload in instants:
                        snapshots.append({'at': payload, 'host': h, 'sockets': snap['sockets']})
                    if payload in counter_instants:
                        counter_snaps.append({'at': payload, 'host': h,
                                              'counters': diff(snap['counters'], self.start_counters[h])})
        delay = t0 + until / 1e6 - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        counters = {}
        received = {}
        for h in self.workers:
            self.tell(h, {'op': 'end'})
        for h in self.workers:
            end = self.reply(h, 'end')
            counters[h] = diff(end['counters'], self.start_counters[h])
            for fd, data in end['received'].items():
                received[f'{h}/{fd}'] = data
        relay_stats = []
        if self.relay:
            self.tell_proc(self.relay, {'op': 'end'})
            relay_end = self.reply('#wire', 'end')
            relay_stats = relay_end['faults']
            late = max(late, relay_end['lateBy'])
        with self.lock:
            calls.update(self.done)
        records = []
        for step in sc.get('script', []):
            if step['at'] > until:
                continue
            rec = calls.get(step['index'])
            if rec is None:
                rec = {'step': step['index'], 'host': step['host'], 'call': step['call'], 'at': step['at'],
                       'doneAt': until, 'result': 'pending'}
                if step.get('fd') or step.get('as'):
                    rec['fd'] = step.get('fd') or step.get('as')
            records.append(rec)
        for step in sc.get('script', []):
            if step.get('as') is not None:
                received.setdefault(f"{step['host']}/{step['as']}", '')
        obs = {'calls': records, 'snapshots': snapshots, 'counters': counters, 'received': received,
               'counterSnapshots': counter_snaps}
        obs['kernel'] = {
            'release': os.uname().release,
            'faults': self.fault_counts() if sc.get('faults') else [],
            'relayed': relay_stats,
            'lateBy': late,
            'notes': self.notes,
        }
        if self.trace:
            time.sleep(0.2)
            obs['kernel']['trace'] = self.trace_lines
        return obs

    def cleanup(self) -> None:
        procs = list(self.workers.values()) + ([self.relay] if self.relay else [])
        for p in procs:
            try:
                if p.stdin:
                    p.stdin.close()
            except OSError:
                pass
        for p in procs:
            try:
                p.wait(timeout=2)
            except subprocess.TimeoutExpired:
                p.kill()
        if self.tcpdump:
            self.tcpdump.terminate()
            try:
                self.tcpdump.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self.tcpdump.kill()
        for ns in reversed(self.namespaces):
            kill_ns_pids(ns)
            sh('ip', 'netns', 'del', ns, check=False)
        self.namespaces = []


def diff(end: dict, start: dict) -> dict:
    return {k: v - start.get(k, 0) for k, v in end.items() if v - start.get(k, 0) != 0}


def ns_defaults():
    """The kernel's per-namespace defaults, read from a fresh namespace."""
    name = f'{PREFIX}{os.getpid()}-probe'
    sh('ip', 'netns', 'add', name)
    try:
        out = {}
        for k in NS_DEFAULTS:
            r = sh('ip', 'netns', 'exec', name, 'sysctl', '-n', k, check=False)
            out[k] = r.stdout.strip().replace('\t', ' ') if r.returncode == 0 else None
        r = sh('ip', 'netns', 'exec', name, 'nft', 'add', 'table', 'bridge', 'probe', check=False)
        out['nftables'] = r.returncode == 0
        return {'release': os.uname().release, 'defaults': out}
    finally:
        sh('ip', 'netns', 'del', name, check=False)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == '--worker':
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        Worker().run()
        return 0
    if len(sys.argv) > 1 and sys.argv[1] == '--wire':
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        Wire().run()
        return 0
    if len(sys.argv) > 1 and sys.argv[1] == '--probe':
        sweep_stale()
        print(json.dumps(ns_defaults()))
        return 0
    if len(sys.argv) > 1 and sys.argv[1] == '--sweep':
        sweep_stale()
        return 0
    doc = json.load(sys.stdin)
    sc = doc['scenario'] if 'scenario' in doc else doc
    trace = bool(doc.get('trace')) if 'scenario' in doc else os.environ.get('TWG_TRACE') == '1'
    try:
        check_supported(sc)
    except Unsupported as e:
        print(f'unsupported: {e}', file=sys.stderr)
        return UNSUPPORTED

    def on_signal(signum, _frame):
        raise SystemExit(128 + signum)

    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGALRM):
        signal.signal(s, on_signal)
    # Hard bound: the scenario's length plus a margin for setup and teardown.
    signal.alarm(int(sc['until'] / 1e6) + 60)
    sweep_stale()
    link_delay = bool(doc.get('linkDelay')) if 'scenario' in doc else False
    d = Driver(sc, trace, link_delay)
    try:
        d.build()
        d.start_workers()
        obs = d.run()
    finally:
        signal.alarm(0)
        d.cleanup()
    json.dump(obs, sys.stdout)
    sys.stdout.write('\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
