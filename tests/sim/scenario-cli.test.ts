// `npm run sim`: exit codes and messages, run as a child process the way a reader runs it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema } from '../../src/sim/scenario.ts';
import { RUNTIME_GAPS } from './scenario-gaps.ts';

const ROOT = join(import.meta.dirname, '../..');
const NODE = join(ROOT, 'node_modules/.bin/node');
const HAS_RUNTIME = existsSync(join(ROOT, 'src/sim/simulation.ts'));
const tmp = mkdtempSync(join(tmpdir(), 'sim-cli-'));

function sim(...args: string[]) {
  const r = spawnSync(NODE, ['src/cli/sim.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, content: unknown): string {
  const path = join(tmp, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const small = {
  hosts: { client: '10.0.0.1', server: '10.0.0.2' },
  until: '5s',
  script: [
    { at: 0, host: 'server', call: 'socket', as: 'l' },
    { at: 0, host: 'server', call: 'bind', fd: 'l', addr: '10.0.0.2:80' },
    { at: 0, host: 'server', call: 'listen', fd: 'l' },
    { at: 0, host: 'server', call: 'accept', fd: 'l', as: 's' },
    { at: 0, host: 'client', call: 'socket', as: 'c' },
    { at: '10ms', host: 'client', call: 'connect', fd: 'c', addr: '10.0.0.2:80' },
    { at: '1s', host: 'client', call: 'close', fd: 'c' },
    { at: '1.1s', host: 'server', call: 'close', fd: 's' },
  ],
  expect: [{ at: '2s', host: 'client', socket: { remote: '10.0.0.2:80' }, state: 'TIME_WAIT' }],
};

describe('sim CLI', () => {
  it('prints help with exit 0', () => {
    const r = sim('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: npm run sim -- <command>/);
  });

  it('exits 2 without a command or with an unknown one', () => {
    expect(sim().code).toBe(2);
    const r = sim('frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command "frobnicate"/);
  });

  it('exits 2 with the path and the problem for a bad scenario', () => {
    const bad = file('lost-final-ack.json', {
      ...small,
      script: [{ at: 0, host: 'client', call: 'conect' }],
    });
    const r = sim('run', bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('lost-final-ack.json at script[0].call: expected one of socket, bind,');
    expect(r.stderr).toContain('got "conect" (did you mean "connect"?)');
    expect(r.stdout).toBe('');
  });

  it('exits 2 for a missing file and for invalid JSON', () => {
    const missing = sim('run', join(tmp, 'nope.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.json: cannot read the file \(ENOENT\)/);
    const broken = sim('check', file('broken.json', '{"hosts": '));
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/broken\.json: not valid JSON/);
  });

  it('exits 2 for bad options', () => {
    const ok = file('ok.json', small);
    expect(sim('run', ok, '--format', 'xml').stderr).toMatch(/--format must be one of/);
    expect(sim('run', ok, '--format', 'xml').code).toBe(2);
    expect(sim('run', ok, '--until', 'soon').code).toBe(2);
    expect(sim('run', ok, '--bogus').code).toBe(2);
  });

  it('prints the JSON Schema', () => {
    const r = sim('schema');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(scenarioJsonSchema());
  });

  it.skipIf(!HAS_RUNTIME)('runs a scenario in every format', () => {
    const ok = file('ok.json', small);
    const text = sim('run', ok);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/TIME-WAIT/);
    expect(text.stdout).toMatch(/Expectations: all 1 met/);
    const tcpdump = sim('run', ok, '--format', 'tcpdump');
    expect(tcpdump.code).toBe(0);
    expect(tcpdump.stdout.split('\n')[0]).toMatch(
      /^0\.010000 IP 10\.0\.0\.1\.\d+ > 10\.0\.0\.2\.80: Flags \[S\], seq \d+/,
    );
    const json = sim('run', ok, '--format', 'json', '--seed', '7');
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.seed).toBe(7);
    expect(parsed.observation.calls.length).toBe(8);
    const ss = sim('run', ok, '--format', 'ss', '--until', '1500');
    expect(ss.code).toBe(0);
    expect(ss.stdout).toMatch(/# client at 1\.5s\nState/);
  });

  it.skipIf(!HAS_RUNTIME)('check exits 0 when expectations hold and 1 when one fails', () => {
    const ok = file('ok.json', small);
    const pass = sim('check', ok);
    expect(pass.code, pass.stdout + pass.stderr).toBe(0);
    expect(pass.stdout).toMatch(/^ok {3}.*ok\.json/);
    const wrong = file('wrong.json', {
      ...small,
      expect: [{ at: '2s', host: 'client', count: 'TIME_WAIT', equals: 5 }],
    });
    const fail = sim('check', ok, wrong);
    expect(fail.code).toBe(1);
    expect(fail.stdout).toContain('expect[0] client at 2s: TIME_WAIT count = 5: counted 1');
  });

  it.skipIf(!HAS_RUNTIME)('checks every scenario file the runtime supports with exit 0', () => {
    const dir = join(ROOT, 'src/sim/scenarios');
    const files = readdirSync(dir)
      // The load run is checked in scenario-files.test.ts; here it would only make the test slow.
      .filter(
        (f) => f.endsWith('.json') && !(f.replace(/\.json$/, '') in RUNTIME_GAPS) && !f.startsWith('load-'),
      )
      .map((f) => join('src/sim/scenarios', f));
    const r = sim('check', ...files);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('ok ')).length).toBe(files.length);
  });

  it('keeps the sim script in package.json', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts.sim).toBe('node src/cli/sim.ts');
  });
});
