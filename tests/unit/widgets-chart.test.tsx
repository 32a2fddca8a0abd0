// The counter chart: decimation keeps every column's extremes, 10⁵ samples become a path of fewer
// than 2,000 points, and the chart carries its text alternative, legend and axis units.
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { Chart, PLOT_WIDTH, seriesPath, valueAt } from '../../components/widgets/Chart.tsx';
import { formatCount, niceTicks, timeUnit } from '../../components/widgets/chart/axis.ts';
import { decimate } from '../../components/widgets/chart/decimate.ts';
import { expectedTimeWait, littleCurve } from '../../components/widgets/chart/littles-law.ts';

/** A deterministic noisy series of n points over 100 s with a few one-sample spikes and dips. */
function noisy(n: number): { t: number[]; v: number[] } {
  const t: number[] = [];
  const v: number[] = [];
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    t.push(Math.round((i * 100e6) / n));
    v.push(1000 + (x % 200));
  }
  v[31_337] = 9_999; // a spike
  v[77_777] = 0; // a dip
  return { t, v };
}

const pathPoints = (d: string) => (d.match(/[MLHV]/g) ?? []).length;

describe('decimate', () => {
  const s = noisy(100_000);
  const d = decimate(s.t, s.v, 0, 100e6, 500);

  it('bounds the output to two points per column', () => {
    expect(d.xs.length).toBeLessThanOrEqual(2 * 500 + 2);
    expect(d.xs.length).toBeGreaterThan(500);
  });

  it('keeps the lowest and highest point of every column, in time order', () => {
    const width = 100e6 / 500;
    for (let c = 0; c < 500; c++) {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < s.t.length; i++) {
        const col = Math.min(499, Math.floor((s.t[i] as number) / width));
        if (col !== c) continue;
        lo = Math.min(lo, s.v[i] as number);
        hi = Math.max(hi, s.v[i] as number);
      }
      const kept = d.ys.filter((_, i) => Math.min(499, Math.floor((d.xs[i] as number) / width)) === c);
      expect(Math.min(...kept), `column ${c} min`).toBe(lo);
      expect(Math.max(...kept), `column ${c} max`).toBe(hi);
    }
    expect(d.ys).toContain(9_999);
    expect(d.ys).toContain(0);
    for (let i = 1; i < d.xs.length; i++) expect(d.xs[i]).toBeGreaterThanOrEqual(d.xs[i - 1] as number);
  });

  it('keeps one point beyond each edge of the window so the line reaches the edges', () => {
    const w = decimate([0, 10, 20, 30, 40], [1, 2, 3, 4, 5], 15, 25, 10);
    expect(w.xs).toEqual([10, 20, 30]);
  });
});

describe('Chart', () => {
  const s = noisy(100_000);

  it('draws 10⁵ samples as a path of fewer than 2,000 points that still reaches the spike', () => {
    const { d, points } = seriesPath(s, 0, 100e6, 10_000);
    expect(points).toBeLessThan(2_000);
    expect(pathPoints(d)).toBeLessThan(2_000);
    // The spike (9,999 of a 10,000 axis) is drawn near the top of the plot area (y = 12).
    const ys = [...d.matchAll(/[ML][\d.]+ ([\d.]+)/g)].map((m) => Number(m[1]));
    expect(Math.min(...ys)).toBeLessThan(13);

    const html = renderToString(
      <Chart
        id="c"
        lang="en"
        title="Counters"
        series={[{ id: 'tw', label: 'TIME_WAIT', ...s }]}
        yLabel="count"
      />,
    );
    const drawn = html.match(/data-series="tw" d="([^"]*)"/)?.[1] ?? '';
    expect(pathPoints(drawn)).toBeGreaterThan(PLOT_WIDTH / 2);
    expect(pathPoints(drawn)).toBeLessThan(2_000);
  });

  it('draws a sparse counter as steps held until the end of the window', () => {
    const { d } = seriesPath({ t: [0, 10e6, 20e6], v: [0, 4, 0] }, 0, 90e6, 4);
    expect(d).toMatch(/^M[\d.]+ [\d.]+H[\d.]+V[\d.]+H[\d.]+V[\d.]+H[\d.]+$/);
    expect(d.endsWith('H626')).toBe(true); // the right edge of the plot
  });

  it('labels both axes with units, has a legend, a text alternative and a data table', () => {
    const html = renderToString(
      <Chart
        id="c2"
        lang="en"
        title="TIME_WAIT over time"
        series={[
          { id: 'tw', label: 'TIME_WAIT (client)', t: [0, 10e6, 70e6], v: [0, 4, 0] },
          { id: 'f', label: 'failed connect()', t: [0, 400e3], v: [0, 1] },
        ]}
        overlay={{ id: 'l', label: 'Little’s law', t: [0, 90e6], v: [2, 2], shape: 'line' }}
        start={0}
        end={90e6}
        yLabel="count"
      />,
    );
    expect(html).toContain('role="img"');
    expect(html).toContain('aria-labelledby="c2-title c2-desc"');
    expect(html).toMatch(/<title id="c2-title">TIME_WAIT over time<\/title>/);
    expect(html).toContain('TIME_WAIT (client): highest 4 at 10 s, 0 at the end.');
    expect(html).toContain('time (s)');
    expect(html).toContain('>count<');
    expect(html).toContain('twg-chart__legend');
    expect(html).toContain('twg-chart__overlay');
    expect(html).toMatch(/<th scope="col">Time \(s\)<\/th>/);
    // 13 rows: every 7.5 s from 0 to 90 s; at 15 s TIME_WAIT is 4, at 75 s it is 0.
    expect((html.match(/<th scope="row">/g) ?? []).length).toBe(13);
    expect(html).toMatch(/<th scope="row">15<\/th><td>4<\/td><td>1<\/td><td>2<\/td>/);
    expect(html).toMatch(/<th scope="row">75<\/th><td>0<\/td>/);
  });

  it('speaks Chinese on a Chinese page', () => {
    const html = renderToString(
      <Chart
        id="c3"
        lang="zh-cn"
        title="计数"
        series={[{ id: 'tw', label: 'TIME_WAIT', t: [0, 1e6], v: [0, 50_000] }]}
        yLabel="数量"
      />,
    );
    expect(html).toContain('时间 (ms)');
    expect(html).toContain('最高 50,000');
    expect(html).toContain('数据表');
    expect(html).toContain('>2万<');
    expect(html).not.toMatch(/\d\.\d{5,}/);
  });

  it('says so when there is no data instead of drawing an empty table', () => {
    const html = renderToString(<Chart id="c4" lang="en" title="x" series={[]} yLabel="count" />);
    expect(html).toContain('No data yet.');
    expect(html).not.toContain('<table');
  });
});

describe('axis helpers', () => {
  it('picks 1/2/5 steps and a time unit that fits the span', () => {
    expect(niceTicks(0, 90, 6)).toEqual([0, 20, 40, 60, 80]);
    expect(niceTicks(0, 600_000, 4)).toEqual([0, 200_000, 400_000, 600_000]);
    expect(timeUnit(500_000).label).toBe('ms');
    expect(timeUnit(90e6).label).toBe('s');
    expect(timeUnit(300e6).label).toBe('min');
    expect(formatCount(600_000)).toBe('600k');
    expect(formatCount(1_200_000)).toBe('1.2M');
  });

  it('finds the value of a step series at any instant', () => {
    const s = { t: [0, 10, 20], v: [1, 2, 3] };
    expect(valueAt(s, -1)).toBe(0);
    expect(valueAt(s, 0)).toBe(1);
    expect(valueAt(s, 15)).toBe(2);
    expect(valueAt(s, 99)).toBe(3);
  });
});

describe("Little's law overlay", () => {
  const p = { rate: 10_000, start: 0, duration: 120e6, timeWait: 60e6, cap: 1e9, until: 190e6 };

  it('rises at the rate, levels at rate × 60 s, drains after the load', () => {
    expect(expectedTimeWait(p, 30e6)).toBe(300_000);
    expect(expectedTimeWait(p, 90e6)).toBe(600_000);
    expect(expectedTimeWait(p, 150e6)).toBe(300_000);
    expect(expectedTimeWait(p, 185e6)).toBe(0);
  });

  it('is capped by the 4-tuples (or tcp_max_tw_buckets)', () => {
    const capped = { ...p, rate: 1000, cap: 28_232 };
    expect(expectedTimeWait(capped, 90e6)).toBe(28_232);
    const curve = littleCurve(capped);
    expect(Math.max(...curve.v)).toBe(28_232);
    // The corner where the rising edge meets the cap is a point of the curve.
    expect(curve.t).toContain(28_232_000);
  });
});
