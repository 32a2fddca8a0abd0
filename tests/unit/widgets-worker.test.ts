// The playground's run: what it reports for a scripted and a load scenario, progress and cancel, the
// same result in the worker as on the main thread, and scenario problems as located messages.
import { describe, expect, it } from 'vitest';
import { applyKnobs, knobsFor, normalizeScenario } from '../../components/widgets/knobs/scenario-knobs.ts';
import { CancelledError, runPlayground } from '../../components/widgets/worker/run.ts';
import { isHeavy, startRun } from '../../components/widgets/worker/runner.ts';
import loadPreset from '../../src/sim/scenarios/load-10k-per-second.json' with { type: 'json' };
import portPreset from '../../src/sim/scenarios/port-exhaustion.json' with { type: 'json' };

const port = normalizeScenario(portPreset);
const load = normalizeScenario(loadPreset);
const loadWith = (values: Record<string, number | string>) => applyKnobs(load, knobsFor(load), values);

function ok(outcome: ReturnType<typeof runPlayground>) {
  if (!outcome.ok) throw new Error(outcome.problems.join('\n'));
  return outcome.result;
}

describe('a scripted run', () => {
  const r = ok(runPlayground(port));

  it('charts TIME_WAIT, ports in use and failed connects from the trace', () => {
    const tw = r.series.find((s) => s.kind === 'timeWait' && s.host === 'client');
    expect(Math.max(...(tw?.v ?? []))).toBe(4);
    expect(r.series.some((s) => s.kind === 'timeWait' && s.host === 'server')).toBe(false);
    const ports = r.series.find((s) => s.kind === 'portsInUse' && s.host === 'client');
    expect(Math.max(...(ports?.v ?? []))).toBe(4);
    const fails = r.series.find((s) => s.kind === 'failures');
    expect(fails?.v.at(-1)).toBe(1);
    // The failure happens at 400 ms; the TIME_WAIT entries expire 60 s after the closes.
    expect(fails?.t[fails.v.indexOf(1)]).toBe(400_000);
    expect(tw?.v.at(-1)).toBe(0);
  });

  it('logs every connect() with its result and the ss summary per host', () => {
    expect(r.connects.map((c) => c.result)).toEqual(['0', '0', '0', '0', 'EADDRNOTAVAIL', '0']);
    expect(r.connects[4]).toMatchObject({ at: 400_000, host: 'client', fd: 'c5' });
    expect(r.connects[0]?.port).toBeGreaterThanOrEqual(40000);
    const client = r.ss.find((s) => s.host === 'client');
    expect(client?.counts.ESTABLISHED).toBe(1);
    expect(client?.head).toMatch(/^State\s+Recv-Q/);
  });

  it('changes with a knob: two more ports and the fifth connect() succeeds', () => {
    const more = ok(runPlayground(applyKnobs(port, knobsFor(port), { 'client.port_max': 40005 })));
    expect(more.connects.map((c) => c.result)).not.toContain('EADDRNOTAVAIL');
    // c5 stays open (the script never closes it): 4 TIME_WAIT entries and 5 ports in use.
    expect(Math.max(...(more.series.find((s) => s.kind === 'timeWait')?.v ?? []))).toBe(4);
    expect(Math.max(...(more.series.find((s) => s.kind === 'portsInUse')?.v ?? []))).toBe(5);
  });

  it('reports scenario problems with their JSON path instead of throwing', () => {
    const bad = applyKnobs(port, knobsFor(port), { 'client.port_min': 50000 });
    const out = runPlayground(bad);
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.problems.join('\n')).toMatch(/hosts\.client\.sysctl/);
  });
});

describe('a load run', () => {
  it('counts connects and failures, finds when the 4-tuples ran out, and reports progress', () => {
    // 1,000 per second to one port with 1,000 local ports: 1,000 4-tuples, gone after ≈1 s.
    const s = loadWith({
      'load.rate': 1000,
      'load.duration': 5,
      'load.dstPorts': 1,
      'client.port_min': 40000,
      'client.port_max': 40999,
      until: 10,
    });
    const fractions: number[] = [];
    const r = ok(runPlayground(s, { onProgress: (p) => fractions.push(p.fraction), slices: 20 }));
    expect(fractions).toHaveLength(20);
    expect(fractions.at(-1)).toBe(1);
    expect(r.load?.connects).toBe(5000);
    expect(r.load?.tuples).toBe(1000);
    expect(r.load?.failures).toBeGreaterThan(3000);
    expect(r.load?.firstFailure).toBeGreaterThanOrEqual(1_000_000);
    expect(r.load?.firstFailure).toBeLessThanOrEqual(2_000_000);
    const tw = r.series.find((x) => x.kind === 'timeWait' && x.host === 'client');
    expect(Math.max(...(tw?.v ?? []))).toBeLessThanOrEqual(1000);
    expect(r.series.map((x) => `${x.kind}:${x.host}`)).toEqual([
      'timeWait:client',
      'timeWait:server',
      'portsInUse:client',
      'failures:client',
    ]);
  });

  it('moves TIME_WAIT to the server when the server closes first', () => {
    const r = ok(
      runPlayground(loadWith({ 'load.rate': 500, 'load.duration': 4, 'load.closer': 'server', until: 6 })),
    );
    const on = (host: string) =>
      Math.max(...(r.series.find((x) => x.kind === 'timeWait' && x.host === host)?.v ?? [0]));
    expect(on('client')).toBe(0);
    expect(on('server')).toBeGreaterThan(1500);
  });

  it('stops between slices when asked', () => {
    let calls = 0;
    expect(() =>
      runPlayground(loadWith({ 'load.rate': 1000, 'load.duration': 5, until: 10 }), {
        onProgress: () => calls++,
        shouldStop: () => calls >= 3,
      }),
    ).toThrow(CancelledError);
    expect(calls).toBe(3);
  });
});

describe('runner', () => {
  it('sends load runs to the worker and scripted runs to the main thread', () => {
    expect(isHeavy(load)).toBe(true);
    expect(isHeavy(port)).toBe(false);
  });

  it('runs on the main thread when there is no Worker, with the same result, and can be cancelled', async () => {
    const s = loadWith({ 'load.rate': 200, 'load.duration': 2, until: 3 });
    const h = startRun(s);
    expect(h.where).toBe('main');
    const out = await h.promise;
    expect(out.ok && out.result.load?.connects).toBe(400);
    const direct = ok(runPlayground(s));
    expect(out.ok && out.result.series).toEqual(direct.series);

    const c = startRun(s);
    c.cancel();
    await expect(c.promise).rejects.toBeInstanceOf(CancelledError);
  });
});
