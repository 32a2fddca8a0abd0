// The labs' view logic: the bytes view (which received bytes came from an old incarnation), the
// counters read off a scripted run, the load lab's Little's-law numbers and connect() log, the URL
// state validators, and the presets (every variant names a scenario that parses and runs).
import '../../components/widgets/runtime/i18n-all.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { byteStreams } from '../../components/labs/bytes.ts';
import { countersOf, portsInUse } from '../../components/labs/counter-series.ts';
import { littleSteady, notableCalls } from '../../components/labs/counters.ts';
import { validateLabState } from '../../components/labs/lab-url.ts';
import { runLoad, withKnobs } from '../../components/labs/load.ts';
import { validateLoadState } from '../../components/labs/load-url.ts';
import { connectLog, type LoadResult } from '../../components/labs/load-view.ts';
import { LABS } from '../../components/labs/presets.ts';
import { instantOf } from '../../components/labs/ScenarioLab.tsx';
import { runScenario } from '../../components/widgets/runtime/run.ts';
import { encodeState, readUrlState } from '../../components/widgets/runtime/urlState.ts';
import { parseScenario } from '../../src/sim/scenario.ts';
import type { Scenario } from '../../src/sim/types.ts';

function load(file: string): Scenario {
  const path = file.startsWith('labs:')
    ? join(import.meta.dirname, '../../components/labs/scenarios', `${file.slice(5)}.json`)
    : join(import.meta.dirname, '../../src/sim/scenarios', `${file}.json`);
  return parseScenario(JSON.parse(readFileSync(path, 'utf8')), path);
}

describe('bytes view', () => {
  it('marks the old incarnation’s bytes in the new stream (incarnation-corruption)', () => {
    const run = runScenario(load('incarnation-corruption'));
    const streams = byteStreams(run.events, run.end);
    const c2 = streams.find((s) => s.host === 'client' && s.fd === 'c2');
    expect(c2).toBeDefined();
    expect(c2?.chunks.map((c) => [c.text, c.old])).toEqual([
      ['new:', false],
      ['world', true],
    ]);
    expect(c2?.corrupted).toBe(true);
    expect(c2?.read).toBe('new:world');
    expect(c2?.sent).toBe('new:fresh');
    // The first connection's own stream is clean, although "world" arrived late there too.
    const c1 = streams.find((s) => s.host === 'client' && s.fd === 'c1');
    expect(c1?.corrupted).toBe(false);
    expect(c1?.read).toBe('helloworld');
  });

  it('shows clean bytes when TIME_WAIT or PAWS protects the new connection', () => {
    for (const f of ['incarnation-protected-by-timewait', 'incarnation-protected-by-paws']) {
      const run = runScenario(load(f));
      const streams = byteStreams(run.events, run.end);
      const c2 = streams.find((s) => s.host === 'client' && s.fd === 'c2');
      expect(c2?.read, f).toBe('new:fresh');
      expect(
        streams.some((s) => s.corrupted),
        f,
      ).toBe(false);
    }
  });

  it('shows only what had arrived by the instant', () => {
    const run = runScenario(load('incarnation-corruption'));
    const early = byteStreams(run.events, 1_200_000).find((s) => s.fd === 'c2');
    expect(early?.chunks.map((c) => c.text)).toEqual(['new:']);
    expect(early?.corrupted).toBe(false);
    expect(byteStreams(run.events, 0)).toEqual([]);
  });
});

describe('counters of a scripted run', () => {
  it('port-exhaustion: four TIME_WAIT entries, four ports, one failed connect()', () => {
    const run = runScenario(load('port-exhaustion'));
    const series = countersOf(run);
    const tw = series.find((s) => s.id === 'tw-client');
    const fails = series.find((s) => s.id === 'fails');
    expect(Math.max(...(tw?.v ?? []))).toBe(4);
    expect(series.find((s) => s.id === 'tw-server')).toBeUndefined();
    expect(Math.max(...(series.find((s) => s.id === 'ports-client')?.v ?? []))).toBe(4);
    expect(fails?.v[fails.v.length - 1]).toBe(1);
    expect(fails?.t[1]).toBe(400_000);
    const failed = notableCalls(run, run.end).filter((c) => c.result === 'EADDRNOTAVAIL');
    expect(failed).toHaveLength(1);
  });

  it('server closes first: TIME_WAIT on the server, no failed connect()', () => {
    const run = runScenario(load('port-exhaustion-server-closes-first'));
    const series = countersOf(run);
    expect(series.find((s) => s.id === 'tw-client')).toBeUndefined();
    expect(Math.max(...(series.find((s) => s.id === 'tw-server')?.v ?? [0]))).toBeGreaterThan(0);
    expect(series.find((s) => s.id === 'fails')?.v).toEqual([0]);
  });

  it('counts local ports, not listeners', () => {
    expect(
      portsInUse([
        { local: '10.0.0.2:80', remote: '*:*', state: 'LISTEN', recvQ: 0, sendQ: 0 },
        { local: '10.0.0.1:40000', remote: '10.0.0.2:80', state: 'TIME_WAIT', recvQ: 0, sendQ: 0 },
        { local: '10.0.0.1:40000', remote: '10.0.0.2:81', state: 'ESTABLISHED', recvQ: 0, sendQ: 0 },
        { local: '10.0.0.1:40001', remote: '10.0.0.2:80', state: 'TIME_WAIT', recvQ: 0, sendQ: 0 },
      ]),
    ).toBe(2);
  });
});

describe("Little's law", () => {
  it('is rate × TIME_WAIT length, capped by the ports', () => {
    expect(littleSteady({ rate: 5, timeWait: 60_000_000, cap: 1024 })).toBe(300);
    expect(littleSteady({ rate: 10, timeWait: 60_000_000, cap: 256 })).toBe(256);
    expect(littleSteady({ rate: 2, timeWait: 30_000_000, cap: 64 })).toBe(60);
  });

  it('matches the simulated steady state, and exhaustion when the ports are fewer', () => {
    const base = load('labs:port-exhaustion-load');
    const under = runLoad(base, 2, 256);
    // After 60 s of load the count holds near λ·W = 120 (±1 for the sample falling between events).
    const at = (r: LoadResult, t: number) => r.tw[r.t.indexOf(t)] as number;
    expect(Math.abs(at(under, 80_000_000) - 120)).toBeLessThanOrEqual(1);
    expect(under.fails[under.fails.length - 1]).toBe(0);
    const over = runLoad(base, 5, 64);
    expect(Math.max(...over.tw)).toBeLessThanOrEqual(64);
    expect(over.fails[over.fails.length - 1]).toBeGreaterThan(0);
    // 64 ports at 5/s last 12.8 s.
    expect(over.firstFailure).toBeGreaterThanOrEqual(12_000_000);
    expect(over.firstFailure).toBeLessThanOrEqual(14_000_000);
  }, 60_000);

  it('a pool of persistent connections leaves no TIME_WAIT and never fails', () => {
    const base = load('labs:port-exhaustion-load');
    const perRequest = runLoad(base, 10, 256, 0);
    const pooled = runLoad(base, 10, 256, 4);
    expect(Math.max(...perRequest.tw)).toBe(256);
    expect(perRequest.fails[perRequest.fails.length - 1]).toBeGreaterThan(0);
    expect(Math.max(...pooled.tw)).toBe(0);
    expect(pooled.fails[pooled.fails.length - 1]).toBe(0);
    expect(pooled.connects[pooled.connects.length - 1]).toBeLessThanOrEqual(4);
  }, 60_000);

  it('withKnobs sets the rate and the client range without touching the template', () => {
    const base = load('labs:port-exhaustion-load');
    const s = withKnobs(base, 20, 64);
    expect(s.load?.rate).toBe(20);
    expect(s.hosts.client?.sysctl['net.ipv4.ip_local_port_range']).toEqual([40000, 40063]);
    expect(base.hosts.client?.sysctl['net.ipv4.ip_local_port_range']).toEqual([40000, 40255]);
  });

  it('folds identical seconds in the connect() log', () => {
    const r = {
      t: [0, 1e6, 2e6, 3e6, 4e6],
      connects: [0, 5, 10, 15, 20],
      fails: [0, 0, 0, 2, 7],
    } as unknown as LoadResult;
    expect(connectLog(r)).toEqual([
      { at: 1e6, n: 5, failed: 0, repeat: 1 },
      { at: 3e6, n: 5, failed: 2, repeat: 0 },
      { at: 4e6, n: 5, failed: 5, repeat: 0 },
    ]);
  });
});

describe('URL state', () => {
  const keys = ['tw', 'none'];
  it('accepts a lab state and names the bad field otherwise', () => {
    expect(validateLabState({ v: 'none', s: 1, t: 5, d: [3] }, keys)).toEqual({
      ok: true,
      value: { v: 'none', s: 1, t: 5, d: [3] },
    });
    const bad = validateLabState({ v: 'other', s: 1, t: 5 }, keys);
    expect(bad).toEqual({ ok: false, problem: { kind: 'field', field: 'v', expected: 'tw | none' } });
    expect(validateLabState({ v: 'tw', s: -1, t: 0 }, keys).ok).toBe(false);
    expect(validateLabState({ v: 'tw', s: 1, t: 0, d: new Array(17).fill(1) }, keys).ok).toBe(false);
    expect(validateLabState([], keys).ok).toBe(false);
  });

  it('reads hostile fragments without throwing', () => {
    const v = (raw: unknown) => validateLabState(raw, keys);
    expect(readUrlState('x', v, '#x=%%%')).toMatchObject({ problem: { kind: 'encoding' } });
    expect(readUrlState('x', v, `#x=${encodeState({ v: 'tw', s: 1, t: 1e18 })}`)).toMatchObject({
      problem: { kind: 'field', field: 't' },
    });
    expect(
      readUrlState(
        'x',
        (raw) => validateLoadState(raw, [2, 5], [64], [0, 4]),
        `#x=${encodeState({ r: 3, p: 64 })}`,
      ),
    ).toMatchObject({
      problem: { kind: 'field', field: 'r' },
    });
  });
});

describe('presets', () => {
  for (const [name, preset] of Object.entries(LABS)) {
    it(`${name}: every variant parses and runs`, () => {
      if (preset.kind === 'load') {
        expect(load(`labs:${preset.file}`).load).toBeDefined();
        expect(preset.rates).toContain(preset.rate);
        expect(preset.ranges).toContain(preset.range);
        return;
      }
      expect(preset.variants.map((v) => v.key)).toContain(preset.initial);
      for (const v of preset.variants) {
        const s = load(v.file);
        for (const host of Object.keys(v.sysctl ?? {}))
          expect(s.hosts[host], `${name}/${v.key}: ${host}`).toBeDefined();
        const run = runScenario({
          ...s,
          ...(v.profile ? { profile: v.profile } : {}),
          ...(v.until ? { until: v.until } : {}),
        });
        expect(run.truncated, `${name}/${v.key}`).toBe(false);
        const t = instantOf(run, preset.at ?? 'last');
        expect(t).toBeGreaterThan(0);
        expect(t).toBeLessThanOrEqual(run.end);
      }
    });
  }

  it('the 2MSL variants run TIME_WAIT for each profile’s length', () => {
    const p = LABS['normal-close-client-first'];
    if (p?.kind !== 'scenario') throw new Error('not a scenario lab');
    const lengths: Record<string, number> = {};
    for (const v of p.variants) {
      const run = runScenario({
        ...load(v.file),
        profile: v.profile ?? 'linux',
        ...(v.until ? { until: v.until } : {}),
      });
      const tw = run.seq.states.filter((s) => s.to === 'TIME_WAIT' || s.from === 'TIME_WAIT');
      lengths[v.key] = Math.round(((tw[1]?.t ?? 0) - (tw[0]?.t ?? 0)) / 1e6);
    }
    expect(lengths).toEqual({ linux: 60, freebsd: 60, macos: 30, windows: 120, rfc793: 240 });
  });
});

describe('load lab URL state', () => {
  it('accepts the knobs it offers and defaults the pool to none', () => {
    expect(validateLoadState({ r: 5, p: 64 }, [5], [64])).toEqual({ ok: true, value: { r: 5, p: 64, k: 0 } });
    expect(validateLoadState({ r: 5, p: 64, k: 4 }, [5], [64], [0, 4])).toEqual({
      ok: true,
      value: { r: 5, p: 64, k: 4 },
    });
    expect(validateLoadState({ r: 5, p: 64, k: 3 }, [5], [64], [0, 4])).toEqual({
      ok: false,
      problem: { kind: 'field', field: 'k', expected: '0 | 4' },
    });
    expect(validateLoadState({ r: 5, p: 65 }, [5], [64]).ok).toBe(false);
    expect(validateLoadState('x', [5], [64]).ok).toBe(false);
  });
});
