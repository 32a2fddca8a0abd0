// Knobs: ranges and units shown and enforced, invalid values refused (typed, from a slider, from a
// URL), values written to the right JSON path, labels in both languages.
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { domId, Knobs, LOG_STEPS, logPosition, logValue } from '../../components/widgets/Knobs.tsx';
import {
  applyKnobs,
  crossProblems,
  fitPreset,
  groupLabel,
  knobsFor,
  knobValues,
  MAX_CONNECTIONS,
  normalizeScenario,
} from '../../components/widgets/knobs/scenario-knobs.ts';
import {
  checkKnobValue,
  type Knob,
  type NumberKnob,
  rangeText,
} from '../../components/widgets/knobs/spec.ts';
import { decodeState, encodeState, stateFromHash } from '../../components/widgets/knobs/url-state.ts';
import loadPreset from '../../src/sim/scenarios/load-10k-per-second.json' with { type: 'json' };
import portPreset from '../../src/sim/scenarios/port-exhaustion.json' with { type: 'json' };

const port = normalizeScenario(portPreset);
const portKnobs = knobsFor(port);
const load = normalizeScenario(loadPreset);
const loadKnobs = knobsFor(load);
const knob = (knobs: Knob[], id: string) => {
  const k = knobs.find((x) => x.id === id);
  if (!k) throw new Error(`no knob ${id}`);
  return k;
};
const portMax = knob(portKnobs, 'client.port_max') as NumberKnob;
const loss = knob(portKnobs, 'net.loss') as NumberKnob;

describe('checkKnobValue', () => {
  it('accepts values in range and on the step grid, typed or not', () => {
    expect(checkKnobValue(portMax, 40005)).toEqual({ ok: true, value: 40005 });
    expect(checkKnobValue(portMax, ' 40005 ')).toEqual({ ok: true, value: 40005 });
    expect(checkKnobValue(loss, '2.5')).toEqual({ ok: true, value: 2.5 });
  });

  it('refuses out-of-range, off-grid, non-numeric and wrongly typed values, saying what is valid', () => {
    for (const bad of [
      1023,
      65536,
      1e308,
      -1,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      '4e4',
      '0x9C45',
      '',
      'abc',
      '40000.5',
      null,
      true,
      {},
      [40000],
    ]) {
      const r = checkKnobValue(portMax, bad);
      expect(r.ok, String(bad)).toBe(false);
    }
    const r = checkKnobValue(portMax, 70000);
    expect(r.ok === false && r.error.en).toBe('expected a number from 1024–65535');
    expect(r.ok === false && r.error['zh-cn']).toBe('应为 1024–65535 之间的数');
    const step = checkKnobValue(loss, 2.25);
    expect(step.ok === false && step.error.en).toBe('expected a multiple of 0.5');
    const reuse = knob(portKnobs, 'client.tcp_tw_reuse');
    expect(checkKnobValue(reuse, '2').ok).toBe(true);
    expect(checkKnobValue(reuse, '3').ok).toBe(false);
    expect(checkKnobValue(reuse, 2).ok).toBe(false);
    const ts = knob(portKnobs, 'client.tcp_timestamps');
    expect(checkKnobValue(ts, false).ok).toBe(true);
    expect(checkKnobValue(ts, 0).ok).toBe(false);
  });

  it('shows ranges with units in both languages', () => {
    expect(rangeText(knob(portKnobs, 'net.delay') as NumberKnob, 'en')).toBe('0–1000 ms');
    expect(rangeText(knob(portKnobs, 'net.delay') as NumberKnob, 'zh-cn')).toBe('0–1000 毫秒');
    expect(rangeText(knob(portKnobs, 'client.tcp_max_tw_buckets') as NumberKnob, 'en')).toBe(
      '0–4,000,000 entries',
    );
    expect(rangeText(loss, 'en')).toBe('0–50 %');
  });
});

describe('scenario knobs', () => {
  it('reads every value from the scenario or its profile', () => {
    const v = knobValues(port, portKnobs);
    expect(v['client.port_min']).toBe(40000);
    expect(v['client.port_max']).toBe(40003);
    // Not set in the file: Linux's defaults (include/net/tcp.h, ip-sysctl).
    expect(v['server.port_max']).toBe(60999);
    expect(v['client.tcp_tw_reuse']).toBe('2');
    expect(v['client.tcp_timestamps']).toBe(true);
    expect(v['net.delay']).toBe(5);
    expect(v.until).toBe(90);
    expect(v.profile).toBe('linux');
  });

  it('writes a changed value to its JSON path and leaves the preset alone', () => {
    const s = applyKnobs(port, portKnobs, {
      'client.port_max': 40005,
      'net.loss': 2.5,
      'net.delay': 20,
      until: 30,
    });
    expect(
      (s.hosts as Record<string, { sysctl: Record<string, unknown> }>).client?.sysctl[
        'net.ipv4.ip_local_port_range'
      ],
    ).toEqual([40000, 40005]);
    expect(s.network).toEqual({ delay: '20ms', loss: 0.025 });
    expect(s.until).toBe('30s');
    expect(
      (port.hosts as Record<string, { sysctl: Record<string, unknown> }>).client?.sysctl[
        'net.ipv4.ip_local_port_range'
      ],
    ).toEqual([40000, 40003]);
  });

  it('refuses an invalid value when applying, naming the knob', () => {
    expect(() => applyKnobs(port, portKnobs, { 'client.port_max': 99999 })).toThrow(
      /client\.port_max: expected a number from 1024–65535/,
    );
  });

  it('offers load knobs for a load preset and spreads destinations over ports and addresses', () => {
    expect(loadKnobs.map((k) => k.id)).toEqual(
      expect.arrayContaining(['load.rate', 'load.duration', 'load.closer', 'load.dstPorts', 'load.dstIps']),
    );
    expect(portKnobs.some((k) => k.group === 'load')).toBe(false);
    const s = applyKnobs(load, loadKnobs, { 'load.dstPorts': 2, 'load.dstIps': 3, 'load.closer': 'server' });
    const l = s.load as { dst: { ports: number[]; ips: string[] }; closer: string };
    expect(l.dst.ports).toEqual([8080, 8081]);
    expect(l.dst.ips).toEqual(['10.0.0.2', '10.0.0.3', '10.0.0.4']);
    expect((s.hosts as Record<string, { extraIps?: string[] }>).server?.extraIps).toEqual([
      '10.0.0.3',
      '10.0.0.4',
    ]);
    expect(l.closer).toBe('server');
  });

  it('offers tcp_tw_recycle only with the linux-4.11 profile', () => {
    expect(portKnobs.some((k) => k.id === 'client.tcp_tw_recycle')).toBe(false);
    const old = applyKnobs(port, portKnobs, { profile: 'linux-4.11' });
    expect(knobsFor(old).some((k) => k.id === 'client.tcp_tw_recycle')).toBe(true);
  });

  it('keeps a load within what a browser tab can hold', () => {
    const fitted = normalizeScenario(loadPreset);
    const note = fitPreset(fitted);
    expect(note?.en).toContain('1,200,000 connections');
    expect((fitted.load as { duration: string }).duration).toBe('30s');
    expect(crossProblems(fitted)).toEqual([]);
    const big = applyKnobs(fitted, knobsFor(fitted), { 'load.duration': 300 });
    expect(crossProblems(big)[0]?.en).toContain(`limited to ${MAX_CONNECTIONS.toLocaleString('en-US')}`);
  });
});

describe('log sliders', () => {
  it('cover the whole range and come back to the same value', () => {
    const rate = knob(loadKnobs, 'load.rate') as NumberKnob;
    expect(logValue(rate, 0)).toBe(1);
    expect(logValue(rate, LOG_STEPS)).toBe(20000);
    for (const v of [1, 10, 470, 1000, 20000]) {
      const back = logValue(rate, logPosition(rate, v));
      expect(Math.abs(back - v) / v, String(v)).toBeLessThan(0.011);
    }
  });
});

describe('Knobs component', () => {
  const render = (lang: 'en' | 'zh-cn') =>
    renderToString(
      <Knobs
        idPrefix="k"
        lang={lang}
        knobs={portKnobs}
        values={knobValues(port, portKnobs)}
        onChange={() => {}}
        groupLabel={groupLabel}
      />,
    );

  it('renders each number knob as a labelled slider and field with its range and unit', () => {
    const html = render('en');
    const id = domId('k', 'net.delay');
    expect(id).toBe('k-net_delay');
    expect(html).toContain(`<label id="${id}-label" for="${id}">One-way delay</label>`);
    expect(html).toMatch(
      new RegExp(
        `<input type="range" aria-labelledby="${id}-label" aria-describedby="${id}-range" aria-valuetext="5 ms" min="0" max="1000" step="1" value="5"`,
      ),
    );
    expect(html).toMatch(
      new RegExp(
        `id="${id}" class="twg-knob__field"[^>]*value="5"[^>]*aria-invalid="false" aria-describedby="${id}-range"`,
      ),
    );
    expect(html).toContain(`<span id="${id}-range" class="twg-knob__range">0–1000 ms</span>`);
    expect(html).toContain('<legend>Host “client”: sysctls</legend>');
  });

  it('renders toggles as switches and selects with every option', () => {
    const html = render('en');
    expect(html).toMatch(
      /<input type="checkbox" role="switch" aria-checked="true" id="k-client_tcp_timestamps" checked/,
    );
    expect(html).toContain('<option selected value="2">2: loopback only</option>');
  });

  it('speaks Chinese on a Chinese page', () => {
    const html = render('zh-cn');
    expect(html).toContain('>单向时延</label>');
    expect(html).toContain('0–1000 毫秒');
    expect(html).toContain('<legend>网络</legend>');
    expect(html).toContain('2：仅回环');
  });
});

describe('URL state', () => {
  const knobsOf = (name: string) => (name === 'port-exhaustion' ? portKnobs : undefined);
  const b64 = (s: string) => Buffer.from(s).toString('base64url');

  it('round-trips a setup', () => {
    const encoded = encodeState({
      preset: 'port-exhaustion',
      values: { 'client.port_max': 40005, 'net.loss': 2.5 },
    });
    expect(stateFromHash(`#other=1&pg=${encoded}`)).toBe(encoded);
    expect(decodeState(encoded, knobsOf)).toEqual({
      ok: true,
      state: { preset: 'port-exhaustion', values: { 'client.port_max': 40005, 'net.loss': 2.5 } },
    });
  });

  it('refuses hostile or malformed states with a short reason that does not echo them', () => {
    const cases: [string, RegExp][] = [
      ['<script>alert(1)</script>', /not valid base64url/],
      [b64('{not json'), /not valid JSON/],
      [b64('[1,2]'), /not an object/],
      [b64('{"v":2,"p":"port-exhaustion"}'), /unknown version/],
      [b64('{"v":1,"p":"<img src=x onerror=alert(1)>"}'), /preset that does not exist/],
      [
        b64('{"v":1,"p":"port-exhaustion","k":{"client.port_max":1e999}}'),
        /“ip_local_port_range: last port” is invalid/,
      ],
      [b64('{"v":1,"p":"port-exhaustion","k":{"client.port_max":"<b>40005</b>"}}'), /is invalid/],
      [
        b64('{"v":1,"p":"port-exhaustion","k":{"__proto__":{"polluted":1}}}'),
        /knob this preset does not have/,
      ],
      [b64('{"v":1,"p":"port-exhaustion","k":{"net.loss":"NaN"}}'), /is invalid/],
      ['A'.repeat(5000), /too long/],
    ];
    for (const [state, why] of cases) {
      const r = decodeState(state, knobsOf);
      expect(r.ok, state.slice(0, 40)).toBe(false);
      if (r.ok) continue;
      expect(r.error.en).toMatch(why);
      expect(r.error.en).not.toMatch(/<|script|img/);
      expect(r.error['zh-cn'].length).toBeGreaterThan(4);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
