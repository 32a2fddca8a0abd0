// The scenario format: durations, defaults, and error messages that name the JSON path.
import { describe, expect, it } from 'vitest';
import { formatDuration, formatSeconds, parseDuration, parseDurationResult } from '../../src/sim/duration.ts';
import { formatPath, parseScenario, ScenarioError } from '../../src/sim/scenario.ts';
import { COUNTER_NAMES } from '../../src/sim/tcp/counters.ts';

describe('durations', () => {
  it.each([
    [250, 250_000],
    [0.5, 500],
    ['500us', 500],
    ['500µs', 500],
    ['200ms', 200_000],
    ['1.5s', 1_500_000],
    ['60s', 60_000_000],
    ['2min', 120_000_000],
    ['1h', 3_600_000_000],
    ['0.001s', 1_000],
    [' 3 s ', 3_000_000],
  ])('%j is %i µs', (input, micros) => {
    expect(parseDuration(input)).toBe(micros);
  });

  it.each([['1x'], ['-1s'], [-5], ['s'], ['1.5'], [null], ['0.5us'], [{}]])('rejects %j', (input) => {
    expect(parseDurationResult(input).ok).toBe(false);
    expect(() => parseDuration(input)).toThrow(/expected/);
  });

  it('formats with the unit that fits', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(200)).toBe('200µs');
    expect(formatDuration(200_000)).toBe('200ms');
    expect(formatDuration(1_500_000)).toBe('1.5s');
    expect(formatDuration(60_000_000)).toBe('1min');
    expect(formatDuration(90_000_000)).toBe('1.5min');
    expect(formatDuration(61_000_000)).toBe('61s');
    expect(formatDuration(1_234_567)).toBe('1234.567ms');
    expect(formatSeconds(10_000)).toBe('0.010000');
    expect(formatSeconds(61_234_567)).toBe('61.234567');
  });

  it('round-trips every value through format and parse', () => {
    const values = [
      1, 7, 999, 1000, 1001, 12_345, 999_999, 1_000_000, 1_000_001, 59_999_999, 60_000_000, 61_500_000,
    ];
    let x = 1;
    for (let i = 0; i < 200; i++) {
      x = (x * 48271) % 2147483647;
      values.push(x % 500_000_000);
    }
    for (const v of values) expect(parseDuration(formatDuration(v)), `${v} → ${formatDuration(v)}`).toBe(v);
  });
});

const minimal = () => ({
  hosts: { client: '10.0.0.1', server: { ip: '10.0.0.2' } },
  script: [
    { at: 0, host: 'server', call: 'socket', as: 'l' },
    { at: 0, host: 'server', call: 'bind', fd: 'l', addr: '10.0.0.2:80' },
    { at: 0, host: 'server', call: 'listen', fd: 'l' },
    { at: '1ms', host: 'client', call: 'socket', as: 'c' },
    { at: '10ms', host: 'client', call: 'connect', fd: 'c', addr: '10.0.0.2:80' },
  ],
});

function problems(json: unknown, source = 'test.json'): string[] {
  try {
    parseScenario(json, source);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as ScenarioError).problems;
  }
  throw new Error('expected a ScenarioError');
}

describe('parseScenario', () => {
  it('fills in defaults', () => {
    const s = parseScenario(minimal(), 'dir/my-scenario.json');
    expect(s.name).toBe('my-scenario');
    expect(s.profile).toBe('linux');
    expect(s.seed).toBe(1);
    expect(s.until).toBe(180_000_000);
    expect(s.hosts.client).toEqual({ ip: '10.0.0.1', extraIps: [], sysctl: {}, isn: 'rfc6528' });
    expect(s.defaultLink.delay).toBe(5_000);
    expect(s.script[4]).toEqual({
      index: 4,
      at: 10_000,
      host: 'client',
      call: 'connect',
      fd: 'c',
      addr: { ip: '10.0.0.2', port: 80 },
    });
    expect(s.script[2]?.backlog).toBe(128);
  });

  it('reads sysctls, links, faults, load and expectations in their readable forms', () => {
    const s = parseScenario({
      ...minimal(),
      profile: 'linux-4.11',
      hosts: {
        client: {
          ip: '10.0.0.1',
          sysctl: { 'net.ipv4.ip_local_port_range': '40000 40003', 'net.ipv4.tcp_tw_reuse': 1 },
        },
        server: { sysctl: { 'net.ipv4.ip_local_port_range': [1024, 65535], 'net.ipv4.tcp_tw_recycle': 1 } },
      },
      network: { delay: '2ms' },
      links: [{ between: ['client', 'server'], jitter: '1ms' }],
      faults: [
        { drop: { from: 'client', flags: 'AF', nth: 2 } },
        { delay: { from: 'server', hasData: true, by: '30s' } },
        { loop: { to: 'server', hops: 70, perHop: '1ms' } },
        { duplicate: { from: 'client', after: '1s', by: '2s' } },
      ],
      load: { rate: 100, duration: '10s', dst: { ports: [80, 81] } },
      expect: [
        { at: '1s', host: 'client', socket: { remote: '10.0.0.2:80' }, state: 'TIME_WAIT' },
        { at: '30s', host: 'client', count: 'TIME_WAIT', equals: 4 },
        { step: 4, result: 'EADDRNOTAVAIL' },
        { step: 4, result: 0 },
        { at: 'end', host: 'client', counter: 'TcpExtTWRecycled', atLeast: 1 },
        { host: 'server', fd: 'l', received: 'hello' },
      ],
    });
    expect(s.hosts.client?.sysctl['net.ipv4.ip_local_port_range']).toEqual([40000, 40003]);
    expect(s.hosts.server?.ip).toBe('10.0.0.2');
    expect(s.hosts.server?.sysctl['net.ipv4.ip_local_port_range']).toEqual([1024, 65535]);
    expect(s.links[0]).toEqual({
      between: ['client', 'server'],
      delay: 2_000,
      jitter: 1_000,
      loss: 0,
      duplicate: 0,
      reorder: 0,
      bandwidth: 0,
      hops: 0,
    });
    expect(s.faults).toEqual([
      { kind: 'drop', match: { nth: 2, from: 'client', flags: 'FA' } },
      { kind: 'delay', match: { nth: 1, from: 'server', hasData: true }, by: 30_000_000 },
      { kind: 'loop', match: { nth: 1, to: 'server' }, hops: 70, perHop: 1_000 },
      { kind: 'duplicate', match: { nth: 1, from: 'client', after: 1_000_000 }, after: 2_000_000 },
    ]);
    expect(s.load).toMatchObject({
      client: 'client',
      server: 'server',
      dstIps: ['10.0.0.2'],
      dstPorts: [80, 81],
      rate: 100,
      duration: 10_000_000,
      requestBytes: 100,
      closer: 'client',
      sampleEvery: 1_000_000,
    });
    expect(s.expect).toEqual([
      { kind: 'state', at: 1_000_000, host: 'client', remote: '10.0.0.2:80', state: 'TIME_WAIT' },
      { kind: 'count', at: 30_000_000, host: 'client', state: 'TIME_WAIT', op: 'equals', value: 4 },
      { kind: 'call', step: 4, result: 'EADDRNOTAVAIL' },
      { kind: 'call', step: 4, result: '0' },
      { kind: 'counter', at: 'end', host: 'client', counter: 'TcpExtTWRecycled', op: 'atLeast', value: 1 },
      { kind: 'received', host: 'server', fd: 'l', data: 'hello' },
    ]);
  });

  it("stable-sorts the script by time and keeps each step's written index", () => {
    const s = parseScenario({
      hosts: { a: '10.0.0.1' },
      script: [
        { at: '2s', host: 'a', call: 'close', fd: 'x' },
        { at: '1s', host: 'a', call: 'socket', as: 'x' },
        { at: '1s', host: 'a', call: 'setsockopt', fd: 'x', option: 'SO_REUSEADDR', value: true },
      ],
    });
    expect(s.script.map((st) => st.index)).toEqual([1, 2, 0]);
    expect(s.script[1]?.value).toBe(1);
  });

  it('names the JSON path and what it expected', () => {
    const json = minimal();
    (json.script[3] as Record<string, unknown>).call = 'conect';
    expect(problems(json, 'lost-final-ack.json')).toEqual([
      'lost-final-ack.json at script[3].call: expected one of socket, bind, listen, connect, accept, send, recv, shutdown, close, setsockopt, crash, reboot, got "conect" (did you mean "connect"?)',
    ]);
  });

  it('reports every shape problem at once', () => {
    const json = {
      ...minimal(),
      until: '1 fortnight',
      hosts: { client: '10.0.0.1', server: { ip: '10.0.0.2', sysctls: {} } },
      faults: [{ drop: { from: 'client', flags: 'X' } }],
      expect: [{ at: '1s', host: 'client', state: 'TIMEWAIT' }],
    };
    const p = problems(json);
    expect(p).toHaveLength(4);
    expect(p).toContain(
      'test.json at until: expected a duration like "500us", "200ms", "1.5s", "2min", "1h" or a number of milliseconds, got "1 fortnight"',
    );
    expect(p.find((m) => m.startsWith('test.json at hosts.server.sysctls:'))).toMatch(
      /unknown key "sysctls".*did you mean "sysctl"/,
    );
    expect(p.find((m) => m.startsWith('test.json at faults[0].drop.flags:'))).toMatch(
      /expected TCP flags.*got "X"/,
    );
    expect(p.find((m) => m.startsWith('test.json at expect[0].state:'))).toMatch(/did you mean "TIME_WAIT"/);
  });

  it('reports misspelt host names together with shape problems', () => {
    const json = minimal();
    (json.script[3] as Record<string, unknown>).call = 'conect';
    (json.script[4] as Record<string, unknown>).host = 'clinet';
    expect(problems(json)).toEqual([
      expect.stringMatching(/^test.json at script\[3\].call: expected one of/),
      'test.json at script[4].host: expected a host (one of client, server), got "clinet" (did you mean "client"?)',
    ]);
  });

  it('reports every meaning problem at once', () => {
    const json = {
      ...minimal(),
      hosts: {
        client: {
          ip: '10.0.0.1',
          sysctl: { 'net.ipv4.ip_local_port_range': '60999 32768', 'net.ipv4.tcp_tw_recycle': 1 },
        },
        server: '10.0.0.300',
      },
      links: [{ between: ['client', 'sever'] }],
      script: [
        ...minimal().script,
        { at: '20ms', host: 'client', call: 'send', fd: 'd', data: 'x' },
        { at: '30ms', host: 'clinet', call: 'close', fd: 'c' },
        { at: '40ms', host: 'client', call: 'connect', fd: 'c' },
      ],
      expect: [
        { step: 42, result: '0' },
        { at: 'end', host: 'client', counter: 'TWRecycled', atLeast: 1 },
      ],
    };
    const p = problems(json);
    const at = (path: string) => p.find((m) => m.startsWith(`test.json at ${path}:`));
    expect(at('hosts.client.sysctl["net.ipv4.ip_local_port_range"]')).toMatch(/first port ≤ the last/);
    expect(at('hosts.client.sysctl["net.ipv4.tcp_tw_recycle"]')).toMatch(/linux-4.11/);
    expect(at('hosts.server')).toMatch(/IPv4 address.*"10.0.0.300"/);
    expect(at('links[0].between[1]')).toMatch(/got "sever" \(did you mean "server"\?\)/);
    expect(at('script[5].fd')).toMatch(/socket created earlier on "client" \(one of c\), got "d"/);
    expect(at('script[6].host')).toMatch(/did you mean "client"/);
    expect(at('script[7].addr')).toMatch(/connect needs "addr"/);
    expect(at('expect[0].step')).toMatch(/got 42/);
    expect(at('expect[1].counter')).toMatch(/did you mean "TcpExtTWRecycled"/);
    expect(p).toHaveLength(9);
  });

  it('checks that a socket is created before it is used', () => {
    const p = problems({
      hosts: { a: '10.0.0.1' },
      script: [
        { at: '1s', host: 'a', call: 'close', fd: 'x' },
        { at: '2s', host: 'a', call: 'socket', as: 'x' },
        { at: '3s', host: 'a', call: 'socket', as: 'x' },
      ],
    });
    expect(p).toEqual([
      'test.json at script[0].fd: expected a socket created earlier on "a" (none yet), got "x"',
      'test.json at script[2].as: socket name "x" is already used on "a" by script[1]',
    ]);
  });

  it('rejects an expectation that mixes kinds', () => {
    const p = problems({
      ...minimal(),
      expect: [{ at: '1s', host: 'client', state: 'CLOSED', count: 'CLOSED' }],
    });
    expect(p[0]).toMatch(/^test.json at expect\[0\]: expected one of .* got keys state and count together$/);
  });

  it('points inside a host object at the value that is wrong', () => {
    const json = minimal();
    (json.hosts as Record<string, unknown>).server = {
      ip: 7,
      isn: 'random',
      sysctl: { 'net.ipv4.tcp_tw_reuse': 3, 'net.ipv4.ip_local_port_range': [1024, 2048.5] },
    };
    expect(problems(json)).toEqual([
      'test.json at hosts.server.ip: expected an IPv4 address, got 7',
      'test.json at hosts.server.sysctl["net.ipv4.ip_local_port_range"][1]: expected an integer, got 2048.5',
      'test.json at hosts.server.sysctl["net.ipv4.tcp_tw_reuse"]: expected 0, 1 or 2, got 3',
      'test.json at hosts.server.isn: expected one of rfc6528, naive, got "random"',
    ]);
  });

  it('names each unknown key at its own path, and bad host names as keys', () => {
    expect(problems({ ...minimal(), scrip: [], hosts: { client: '10.0.0.1', '2nd': '10.0.0.2' } })).toEqual([
      'test.json at hosts["2nd"]: expected a name of letters, digits, "_", "-" or "." starting with a letter, got the key "2nd"',
      'test.json at scrip: unknown key "scrip" (expected one of $schema, version, name, title, description, profile, seed, until, hosts, network, links, nat, script, faults, load, snapshots, expect) (did you mean "script"?)',
      'test.json at script[0].host: expected a host (one of client, 2nd), got "server"',
      'test.json at script[1].host: expected a host (one of client, 2nd), got "server"',
      'test.json at script[2].host: expected a host (one of client, 2nd), got "server"',
    ]);
    // Keys that objects inherit are unknown keys too.
    expect(problems({ ...minimal(), toString: 1 })).toEqual([
      expect.stringMatching(/^test.json at toString: unknown key/),
    ]);
  });

  it('rejects a document that is not an object', () => {
    for (const json of [null, [], 'hosts', 5, undefined]) {
      expect(problems(json)).toEqual([
        `test.json at (top level): expected an object, ${json === undefined ? 'found nothing' : `got ${JSON.stringify(json)}`}`,
      ]);
    }
  });

  it('says what is missing', () => {
    const json = minimal() as Record<string, unknown>;
    delete json.hosts;
    (json.script as Record<string, unknown>[])[0] = { host: 'server', as: 'l' };
    expect(problems(json)).toEqual([
      'test.json at hosts: expected an object of hosts by name, e.g. {"client": "10.0.0.1"}, found nothing',
      'test.json at script[0].at: expected a duration like "500us", "200ms", "1.5s", "2min", "1h" or a number of milliseconds, found nothing',
      expect.stringMatching(
        /^test.json at script\[0\].call: expected one of socket, bind, .*, found nothing$/,
      ),
    ]);
  });

  it('accepts every counter the simulator keeps', () => {
    const s = parseScenario({
      ...minimal(),
      expect: COUNTER_NAMES.map((counter) => ({ at: 'end', host: 'client', counter, atLeast: 0 })),
    });
    expect(s.expect).toHaveLength(COUNTER_NAMES.length);
  });

  it('returns a scenario that shares nothing with the JSON it was given', () => {
    const json = {
      ...minimal(),
      title: { en: 'T', 'zh-cn': 'T' },
      hosts: { client: { ip: '10.0.0.1', extraIps: ['10.0.0.3'] }, server: '10.0.0.2' },
      load: { rate: 1, duration: '1s', dst: { ips: ['10.0.0.2'], ports: [80] } },
    };
    const before = JSON.stringify(parseScenario(json));
    const s = parseScenario(json);
    json.title.en = 'changed';
    json.hosts.client.extraIps.push('10.0.0.4');
    json.load.dst.ips.push('10.0.0.9');
    json.load.dst.ports.push(81);
    expect(JSON.stringify(s)).toBe(before);
  });

  it('formats paths', () => {
    expect(formatPath(['script', 3, 'call'])).toBe('script[3].call');
    expect(formatPath(['hosts', 'a-b', 'ip'])).toBe('hosts["a-b"].ip');
    expect(formatPath([])).toBe('(top level)');
  });
});
