// The .pcap writer (src/export/pcap.ts) read back by the real tcpdump: for several scenario files the
// decoded packets must match the simulator's segments one for one (time, addresses, ports, flags,
// absolute seq/ack, window, TCP options, payload length), and `tcpdump -vv` must find every IP and TCP
// checksum correct. Skipped, with a message, only where tcpdump is not installed (CI installs it).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ipPacket,
  LINKTYPE_RAW,
  PCAP_MAGIC,
  type PcapPacket,
  packetsOf,
  pcapFile,
} from '../../src/export/pcap.ts';
import { exportFileName, exportRun, RUN_FORMAT_VERSION } from '../../src/export/run-export.ts';
import { formatSeconds } from '../../src/sim/duration.ts';
import { parseScenario } from '../../src/sim/scenario.ts';
import type { Scenario, Segment } from '../../src/sim/types.ts';

const TCPDUMP = ['/usr/bin/tcpdump', '/usr/sbin/tcpdump', '/bin/tcpdump'].find((p) => existsSync(p));
if (!TCPDUMP)
  console.warn('pcap.test.ts: tcpdump is not installed; the tcpdump read-back tests are skipped.');

const dir = mkdtempSync(join(tmpdir(), 'twg-pcap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function scenario(file: string, edit?: (json: Record<string, unknown>) => void): Scenario {
  const json = JSON.parse(readFileSync(`src/sim/scenarios/${file}.json`, 'utf8')) as Record<string, unknown>;
  edit?.(json);
  return parseScenario(json, file);
}

function tcpdump(args: string[], pcap: Uint8Array, name: string): string[] {
  const path = join(dir, name);
  writeFileSync(path, pcap);
  const out = execFileSync(TCPDUMP as string, [...args, '-r', path], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return out.split('\n').filter((l) => l.trim() !== '');
}

/** tcpdump appends what it makes of a payload on a well-known port (": HTTP"); the TCP part is ours. */
const tcpPart = (line: string) => line.replace(/(, length \d+): .*$/, '$1');

/** What tcpdump -nn -tt -S prints for a segment (tcpdump 4.99 print-tcp.c layout). */
function expectedLine(p: PcapPacket): string {
  const s: Segment = p.seg;
  let flags = '';
  for (const f of 'FSRP') if (s.flags.includes(f)) flags += f;
  if (s.flags.includes('A')) flags += '.';
  const len = s.data.length;
  let line = `${formatSeconds(p.t)} IP ${s.src.ip}.${s.src.port} > ${s.dst.ip}.${s.dst.port}: Flags [${flags}]`;
  if (len > 0 || /[SFR]/.test(s.flags))
    line += `, seq ${s.seq >>> 0}${len > 0 ? `:${(s.seq + len) >>> 0}` : ''}`;
  if (s.flags.includes('A')) line += `, ack ${s.ack >>> 0}`;
  line += `, win ${s.wnd}`;
  const opts: string[] = [];
  if (s.flags.includes('S')) opts.push('mss 1460');
  if (s.ts) opts.push('nop', 'nop', `TS val ${s.ts.val >>> 0} ecr ${s.ts.ecr >>> 0}`);
  if (opts.length) line += `, options [${opts.join(',')}]`;
  line += `, length ${len}`;
  return line;
}

const CASES: {
  label: string;
  file: string;
  edit?: (j: Record<string, unknown>) => void;
  check: (s: Scenario, p: PcapPacket[]) => void;
}[] = [
  {
    label: 'normal close, client first (timestamps on)',
    file: 'normal-close-client-first',
    check: (_s, p) => {
      expect(p.some((x) => x.seg.flags === 'S')).toBe(true);
      expect(p.some((x) => x.seg.flags.includes('F'))).toBe(true);
      expect(p.every((x) => x.seg.ts !== undefined)).toBe(true);
    },
  },
  {
    label: 'lost final ACK (two drops, the sent copies are captured)',
    file: 'lost-final-ack',
    check: () => undefined,
  },
  {
    label: 'timestamps off',
    file: 'tw-reuse-no-timestamps',
    check: (_s, p) => expect(p.every((x) => x.seg.ts === undefined)).toBe(true),
  },
  {
    label: 'data on the wire (payload bytes)',
    file: 'close-with-unread-data',
    check: (_s, p) => expect(p.some((x) => x.seg.data.length > 0)).toBe(true),
  },
  {
    label: 'timestamps switched off by sysctl on both hosts',
    file: 'normal-close-server-first',
    edit: (j) => {
      const hosts = j.hosts as Record<string, unknown>;
      for (const [name, h] of Object.entries(hosts))
        hosts[name] = {
          ip: typeof h === 'string' ? h : (h as { ip: string }).ip,
          sysctl: { 'net.ipv4.tcp_timestamps': 0 },
        };
    },
    check: (_s, p) => expect(p.every((x) => x.seg.ts === undefined)).toBe(true),
  },
];

describe('pcap writer', () => {
  it('writes the libpcap global header: magic, version 2.4, snaplen 65535, LINKTYPE_RAW', () => {
    const f = pcapFile([]);
    const v = new DataView(f.buffer);
    expect(f.length).toBe(24);
    expect(v.getUint32(0, true)).toBe(PCAP_MAGIC);
    expect([v.getUint16(4, true), v.getUint16(6, true)]).toEqual([2, 4]);
    expect(v.getUint32(16, true)).toBe(65535);
    expect(v.getUint32(20, true)).toBe(LINKTYPE_RAW);
  });

  it('records simulated time as seconds + microseconds since epoch 0', () => {
    const seg: Segment = {
      id: 1,
      src: { ip: '10.0.0.1', port: 40000 },
      dst: { ip: '10.0.0.2', port: 80 },
      seq: 1,
      ack: 0,
      flags: 'S',
      wnd: 64240,
      data: '',
      ttl: 64,
    };
    const f = pcapFile([{ t: 61_400_123, seg }]);
    const v = new DataView(f.buffer);
    expect([v.getUint32(24, true), v.getUint32(28, true)]).toEqual([61, 400_123]);
    // An IPv4 header: version 4, IHL 5, protocol 6, TTL from the segment, addresses.
    const ip = f.subarray(40);
    expect([ip[0], ip[8], ip[9]]).toEqual([0x45, 64, 6]);
    expect([...ip.subarray(12, 20)]).toEqual([10, 0, 0, 1, 10, 0, 0, 2]);
  });

  it('says which segment has a bad address', () => {
    const seg = {
      id: 7,
      src: { ip: 'client', port: 1 },
      dst: { ip: '10.0.0.2', port: 80 },
      seq: 0,
      ack: 0,
      flags: 'S',
      wnd: 1,
      data: '',
      ttl: 64,
    };
    expect(() => ipPacket(seg)).toThrow('segment #7 source is not an IPv4 address: "client"');
  });

  it('exports a versioned JSON document and names files after the scenario and seed', () => {
    const s = scenario('lost-final-ack');
    const ex = exportRun({ name: 'x' }, s);
    expect(ex.document.version).toBe(RUN_FORMAT_VERSION);
    expect(ex.document.format).toBe('timewait-guide/run');
    expect(ex.document.events.filter((e) => e.type === 'seg-drop').length).toBe(2);
    expect(JSON.parse(JSON.stringify(ex.document)).seed).toBe(s.seed);
    expect(ex.text()).toContain('(dropped: fault)');
    expect(ex.text()).toContain('LISTEN');
    expect(ex.text()).toContain('Flags [F.]');
    expect(exportFileName('Port exhaustion!', 42, 'pcap')).toBe('timewait-port-exhaustion-seed42.pcap');
    expect(() => exportRun({}, scenario('load-10k-per-second'))).toThrow('load generator');
  });

  describe.skipIf(!TCPDUMP)('npm run sim -- run … --pcap', () => {
    const sim = (...args: string[]) =>
      spawnSync(join(process.cwd(), 'node_modules/.bin/node'), ['src/cli/sim.ts', ...args], {
        encoding: 'utf8',
        timeout: 60_000,
      });
    it('writes the capture beside the usual output; tcpdump reads as many packets as the log lists', () => {
      const out = join(dir, 'cli.pcap');
      const r = sim('run', 'src/sim/scenarios/lost-final-ack.json', '--format', 'tcpdump', '--pcap', out);
      expect(r.status, r.stderr).toBe(0);
      const logLines = r.stdout.split('\n').filter((l) => l !== '');
      const read = execFileSync(TCPDUMP as string, ['-nn', '-tt', '-r', out], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      })
        .split('\n')
        .filter((l) => l !== '');
      expect(read.length).toBe(logLines.length);
      // Same instants, same endpoints, same flags as the simulator's own tcpdump-style log.
      const key = (l: string) => /^(\S+) IP (\S+ > \S+: Flags \[[^\]]*\])/.exec(l)?.slice(1, 3).join(' ');
      expect(read.map(key)).toEqual(logLines.map(key));
    });
    it('refuses a load scenario and an unwritable path, with exit code 2', () => {
      const load = sim('run', 'src/sim/scenarios/load-10k-per-second.json', '--pcap', join(dir, 'x.pcap'));
      expect(load.status).toBe(2);
      expect(load.stderr).toContain('--pcap works for scripted scenarios only');
      const bad = sim(
        'run',
        'src/sim/scenarios/lost-final-ack.json',
        '--pcap',
        join(dir, 'no/such/dir/x.pcap'),
      );
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain('--pcap: cannot write');
    });
  });

  describe.skipIf(!TCPDUMP)('read back by tcpdump', () => {
    for (const c of CASES) {
      it(`${c.label}: every packet decodes as the simulator sent it`, () => {
        const s = scenario(c.file, c.edit);
        const ex = exportRun({}, s);
        const packets = packetsOf(ex.document.events);
        const sent = ex.document.events.filter((e) => e.type === 'seg-send' || e.type === 'seg-dup').length;
        expect(packets.length).toBe(sent);
        expect(packets.length).toBeGreaterThan(3);
        c.check(s, packets);
        const lines = tcpdump(['-nn', '-tt', '-S'], ex.pcap(), `${c.file}.pcap`);
        expect(lines.map(tcpPart)).toEqual(packets.map(expectedLine));
        // The payload bytes: tcpdump -A prints each packet's printable bytes after its headers.
        const ascii = tcpdump(['-nn', '-A'], ex.pcap(), `${c.file}-a.pcap`).join('\n');
        for (const p of packets)
          if (/^[\x20-\x7e]{3,}$/.test(p.seg.data)) expect(ascii).toContain(p.seg.data);
      });

      it(`${c.label}: tcpdump -vv finds every IP and TCP checksum correct`, () => {
        const ex = exportRun({}, scenario(c.file, c.edit));
        const n = packetsOf(ex.document.events).length;
        const out = tcpdump(['-nn', '-tt', '-vv'], ex.pcap(), `${c.file}-v.pcap`).join('\n');
        expect(out).not.toMatch(/bad cksum|incorrect|truncated|malformed/i);
        // -vv prints the TCP checksum of every packet and says whether it verified.
        expect(out.match(/cksum 0x[0-9a-f]+ \(correct\)/g)?.length).toBe(n);
        expect(out.match(/proto TCP \(6\)/g)?.length).toBe(n);
      });
    }
  });
});
