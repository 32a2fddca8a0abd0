// The playground's raw scenario editor checks (components/widgets/playground/editor.ts), the edited
// scenario's URL encoding (url-scenario.ts) and the downloads built from a run (downloads.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildDownload } from '../../components/widgets/playground/downloads.ts';
import { checkText, scenarioText, splitProblem } from '../../components/widgets/playground/editor.ts';
import {
  decodeScenarioState,
  encodeScenarioState,
  MAX_SCENARIO_STATE,
} from '../../components/widgets/playground/url-scenario.ts';
import { runPlayground } from '../../components/widgets/worker/run.ts';
import { parseScenario } from '../../src/sim/scenario.ts';

const file = (name: string) =>
  JSON.parse(readFileSync(`src/sim/scenarios/${name}.json`, 'utf8')) as Record<string, unknown>;

describe('scenario editor checks', () => {
  it('accepts a scenario file and normalises it for the knobs', () => {
    const c = checkText(JSON.stringify(file('lost-final-ack')), 'en');
    expect(c.ok).toBe(true);
    if (c.ok) {
      expect(c.json.expect).toBeUndefined();
      expect(c.scenario.name).toBe('lost-final-ack');
    }
  });

  it('names the JSON path of each problem', () => {
    const j = file('lost-final-ack');
    (j.script as Record<string, unknown>[])[3] = {
      ...(j.script as Record<string, unknown>[])[3],
      at: 'soon',
    };
    const c = checkText(scenarioText(j), 'en');
    expect(c.ok).toBe(false);
    if (!c.ok) {
      expect(c.problems).toHaveLength(1);
      expect(c.problems[0]?.path).toBe('script[3].at');
      expect(c.problems[0]?.message).toMatch(/^expected a duration like "500us"/);
    }
  });

  it('reports a JSON syntax error with its line and column, in both languages', () => {
    const en = checkText('{\n  "version": 1,\n}', 'en');
    expect(en.ok).toBe(false);
    if (!en.ok)
      expect(en.problems[0]).toMatchObject({
        path: '(text)',
        message: expect.stringMatching(/line 3, column 1/),
      });
    const zh = checkText('{', 'zh-cn');
    if (!zh.ok) expect(zh.problems[0]?.message).toContain('不是有效的 JSON');
    expect(zh.ok).toBe(false);
  });

  it('refuses non-objects, hostile keys and loads beyond the browser limit', () => {
    for (const text of ['[]', '5', 'null', '"x"', '{"__proto__":{"polluted":1}}']) {
      const c = checkText(text, 'en');
      expect(c.ok, text).toBe(false);
      if (!c.ok) expect(c.problems.length, text).toBeGreaterThan(0);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const big = file('load-10k-per-second');
    (big.load as Record<string, unknown>).rate = 100_000;
    (big.load as Record<string, unknown>).duration = '100s';
    const c = checkText(JSON.stringify(big), 'en');
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.problems[0]?.path).toBe('load');
    expect(checkText('x'.repeat(300_000), 'en').ok).toBe(false);
  });

  it('splits parser messages into path and message', () => {
    expect(splitProblem('scenario at hosts.x: expected a host')).toEqual({
      path: 'hosts.x',
      message: 'expected a host',
    });
    expect(splitProblem('scenario: boom')).toEqual({ path: '(top level)', message: 'boom' });
  });
});

describe('edited scenario in the URL', () => {
  it('round-trips, and refuses what is too long, not base64url, not JSON or not an object', () => {
    const j = file('lost-final-ack');
    const enc = encodeScenarioState(j);
    expect(enc).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeScenarioState(enc)).toEqual({ ok: true, json: j });
    expect(decodeScenarioState('A'.repeat(MAX_SCENARIO_STATE + 1))).toEqual({ ok: false, reason: 'length' });
    expect(decodeScenarioState('<script>')).toEqual({ ok: false, reason: 'encoding' });
    expect(decodeScenarioState(Buffer.from('{nope').toString('base64url'))).toEqual({
      ok: false,
      reason: 'json',
    });
    expect(decodeScenarioState(Buffer.from('[1]').toString('base64url'))).toEqual({
      ok: false,
      reason: 'shape',
    });
  });
});

describe('downloads', () => {
  it('a scripted run: JSON with version and events, text with tcpdump lines and transcript, pcap', () => {
    const j = file('lost-final-ack');
    const s = parseScenario(j, 'x');
    const json = buildDownload('json', j, s, 'en');
    expect(json.name).toBe(`timewait-lost-final-ack-seed${s.seed}.json`);
    const doc = JSON.parse(json.data as string);
    expect(doc).toMatchObject({ format: 'timewait-guide/run', version: 1, kind: 'trace', seed: s.seed });
    expect(doc.events.length).toBeGreaterThan(10);
    const text = buildDownload('text', j, s, 'zh-cn').data as string;
    expect(text).toContain('Flags [F.]');
    expect(text).toContain('## 发生了什么');
    const pcap = buildDownload('pcap', j, s, 'en');
    expect(pcap.name).toMatch(/\.pcap$/);
    expect(new DataView((pcap.data as Uint8Array).buffer).getUint32(0, true)).toBe(0xa1b2c3d4);
  });

  it('a load run: counters only, no capture', () => {
    const load = file('load-10k-per-second');
    delete load.expect;
    (load.load as Record<string, unknown>).duration = '1s';
    load.until = '5s';
    const s = parseScenario(load, 'x');
    const outcome = runPlayground(load);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const doc = JSON.parse(buildDownload('json', load, s, 'en', outcome.result).data as string);
    expect(doc).toMatchObject({ version: 1, kind: 'counters' });
    expect(doc.result.load.connects).toBeGreaterThan(0);
    expect(buildDownload('text', load, s, 'en', outcome.result).data).toContain('## Load');
    expect(() => buildDownload('pcap', load, s, 'en', outcome.result)).toThrow('counters only');
  });
});
