// A chart of counters over time (TIME_WAIT count, ports in use, failed connects), hand-written SVG.
//
// Why no library: the chart needs one kind of plot (a few counters against time) that must stay smooth
// with 10⁵ samples. Min/max-per-pixel decimation (chart/decimate.ts) bounds every path to ≈2 points
// per pixel column, so plain SVG draws 10⁵ points as ≈1,100. The component is 5.9 KB minified,
// 2.6 KB gzipped (esbuild, Preact external) — uPlot (≈50 KB minified) and Chart.js (≈200 KB) are
// several times larger, and draw on canvas, while SVG gives a server-rendered first frame, CSS dark mode
// and text that screen readers and Pagefind can reach.
//
// Props:
//   id       unique on the page (SVG title/desc ids derive from it; stable for hydration)
//   lang     'en' | 'zh-cn' (axis and table labels)
//   title    the chart's accessible name
//   series   [{ id, label, t: microseconds[], v: values[] }] drawn as steps (counters hold their value
//            until the next sample) or, once denser than the pixels, as min/max-decimated lines
//   overlay  optional dashed reference line (e.g. Little's law), same shape as a series
//   start, end  the time window in microseconds (default: the data's extent)
//   yLabel   the value axis' label with its unit

import {
  formatCount,
  formatExact,
  formatTime,
  type Lang,
  niceMax,
  niceTicks,
  timeUnit,
} from './chart/axis.ts';
import { type Decimated, decimate } from './chart/decimate.ts';
import './chart/chart.css';

export interface ChartSeries {
  id: string;
  label: string;
  /** Sample times in microseconds, ascending. */
  t: ArrayLike<number>;
  v: ArrayLike<number>;
  /** 'step' (default) for counters; 'line' joins the points directly (a computed curve). */
  shape?: 'step' | 'line';
}

export interface ChartProps {
  id: string;
  lang: Lang;
  title: string;
  series: ChartSeries[];
  overlay?: ChartSeries;
  start?: number;
  end?: number;
  yLabel: string;
}

export const CHART_WIDTH = 640;
export const CHART_HEIGHT = 260;
const M = { left: 60, right: 14, top: 12, bottom: 40 };
export const PLOT_WIDTH = CHART_WIDTH - M.left - M.right;
const PLOT_HEIGHT = CHART_HEIGHT - M.top - M.bottom;
/** Rows in the text alternative's table. */
const TABLE_ROWS = 12;

const TEXT = {
  en: {
    time: 'time',
    table: 'Data table',
    at: 'Time',
    summary: (label: string, max: string, at: string, last: string) =>
      `${label}: highest ${max} at ${at}, ${last} at the end.`,
    empty: 'No data yet.',
    overlay: 'dashed',
  },
  'zh-cn': {
    time: '时间',
    table: '数据表',
    at: '时间',
    summary: (label: string, max: string, at: string, last: string) =>
      `${label}：最高 ${max}（${at}），结束时 ${last}。`,
    empty: '尚无数据。',
    overlay: '虚线',
  },
} as const;

/** The SVG path of one series: steps while sparse, a decimated line once denser than the plot. */
export function seriesPath(
  s: Pick<ChartSeries, 't' | 'v' | 'shape'>,
  x0: number,
  x1: number,
  yMax: number,
  columns = PLOT_WIDTH,
): { d: string; points: number } {
  const n = Math.min(s.t.length, s.v.length);
  if (n === 0 || !(x1 > x0)) return { d: '', points: 0 };
  const sx = (t: number) => M.left + ((t - x0) / (x1 - x0)) * PLOT_WIDTH;
  const sy = (v: number) => M.top + PLOT_HEIGHT - (Math.max(0, v) / yMax) * PLOT_HEIGHT;
  const r = (x: number) => Math.round(Math.min(Math.max(x, -1e4), 1e4) * 10) / 10;
  const dense = n > columns;
  const pts: Decimated = dense ? decimate(s.t, s.v, x0, x1, columns) : { xs: [], ys: [] };
  if (!dense) {
    for (let i = 0; i < n; i++) {
      pts.xs.push(s.t[i] as number);
      pts.ys.push(s.v[i] as number);
    }
  }
  const parts: string[] = [];
  let points = 0;
  for (let i = 0; i < pts.xs.length; i++) {
    const x = r(sx(Math.min(Math.max(pts.xs[i] as number, x0), x1)));
    const y = r(sy(pts.ys[i] as number));
    if (i === 0) parts.push(`M${x} ${y}`);
    else if (dense || s.shape === 'line') parts.push(`L${x} ${y}`);
    else parts.push(`H${x}V${y}`);
    points++;
  }
  // A counter keeps its last value until the end of the window.
  if (!dense && s.shape !== 'line' && pts.xs.length > 0) {
    parts.push(`H${r(sx(x1))}`);
    points++;
  }
  return { d: parts.join(''), points };
}

function extent(series: readonly ChartSeries[]): { lo: number; hi: number; vMax: number } {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  let vMax = 0;
  for (const s of series) {
    const n = Math.min(s.t.length, s.v.length);
    if (n === 0) continue;
    lo = Math.min(lo, s.t[0] as number);
    hi = Math.max(hi, s.t[n - 1] as number);
    for (let i = 0; i < n; i++) if ((s.v[i] as number) > vMax) vMax = s.v[i] as number;
  }
  if (lo === Number.POSITIVE_INFINITY) return { lo: 0, hi: 1_000_000, vMax };
  return { lo, hi, vMax };
}

/** The value of a step series at time t (the last sample at or before t; 0 before the first). */
export function valueAt(s: Pick<ChartSeries, 't' | 'v'>, t: number): number {
  let lo = 0;
  let hi = Math.min(s.t.length, s.v.length) - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((s.t[mid] as number) <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found < 0 ? 0 : (s.v[found] as number);
}

function peak(s: ChartSeries): { v: number; t: number; last: number } {
  const n = Math.min(s.t.length, s.v.length);
  let v = 0;
  let t = n > 0 ? (s.t[0] as number) : 0;
  for (let i = 0; i < n; i++) {
    if ((s.v[i] as number) > v) {
      v = s.v[i] as number;
      t = s.t[i] as number;
    }
  }
  return { v, t, last: n > 0 ? (s.v[n - 1] as number) : 0 };
}

export function Chart(props: ChartProps) {
  const { id, lang, title, series, overlay, yLabel } = props;
  const text = TEXT[lang];
  const all = overlay ? [...series, overlay] : series;
  const ext = extent(all);
  const x0 = props.start ?? Math.min(ext.lo, 0);
  const x1 = Math.max(props.end ?? ext.hi, x0 + 1);
  const yMax = niceMax(ext.vMax);
  const unit = timeUnit(x1 - x0);
  const xTicks = niceTicks(x0 / unit.size, x1 / unit.size, 6);
  const yTicks = niceTicks(0, yMax, 4);
  const round = (v: number) => Math.round(v * 10) / 10;
  const sx = (t: number) => round(M.left + ((t - x0) / (x1 - x0)) * PLOT_WIDTH);
  const sy = (v: number) => round(M.top + PLOT_HEIGHT - (v / yMax) * PLOT_HEIGHT);
  const hasData = series.some((s) => Math.min(s.t.length, s.v.length) > 0);
  const summary = hasData
    ? all
        .map((s) => {
          const p = peak(s);
          return text.summary(
            s === overlay ? `${s.label} (${text.overlay})` : s.label,
            formatExact(p.v),
            `${formatTime(p.t, unit)} ${unit.label}`,
            formatExact(p.last),
          );
        })
        .join(' ')
    : text.empty;
  const rows: number[] = [];
  if (hasData) for (let i = 0; i <= TABLE_ROWS; i++) rows.push(x0 + ((x1 - x0) * i) / TABLE_ROWS);

  return (
    <figure class="twg-chart" id={id}>
      <svg
        viewBox={`0 0 ${CHART_WIDTH} ${CHART_HEIGHT}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        preserveAspectRatio="xMidYMid meet"
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{summary}</desc>
        <g class="twg-chart__grid">
          {yTicks.map((v) => (
            <g key={`y${v}`}>
              <line x1={M.left} x2={M.left + PLOT_WIDTH} y1={sy(v)} y2={sy(v)} />
              <text x={M.left - 6} y={sy(v)} dy="0.32em" text-anchor="end">
                {formatCount(v, lang)}
              </text>
            </g>
          ))}
          {xTicks.map((v) => (
            <g key={`x${v}`}>
              <line
                class="twg-chart__tick"
                x1={sx(v * unit.size)}
                x2={sx(v * unit.size)}
                y1={M.top + PLOT_HEIGHT}
                y2={M.top + PLOT_HEIGHT + 4}
              />
              <text x={sx(v * unit.size)} y={M.top + PLOT_HEIGHT + 16} text-anchor="middle">
                {v}
              </text>
            </g>
          ))}
          <line
            class="twg-chart__axis"
            x1={M.left}
            x2={M.left + PLOT_WIDTH}
            y1={M.top + PLOT_HEIGHT}
            y2={M.top + PLOT_HEIGHT}
          />
          <text x={M.left + PLOT_WIDTH / 2} y={CHART_HEIGHT - 4} text-anchor="middle">
            {`${text.time} (${unit.label})`}
          </text>
          <text
            x={12}
            y={M.top + PLOT_HEIGHT / 2}
            text-anchor="middle"
            transform={`rotate(-90 12 ${M.top + PLOT_HEIGHT / 2})`}
          >
            {yLabel}
          </text>
        </g>
        <g>
          {series.map((s, i) => (
            <path
              key={s.id}
              class={`twg-chart__line twg-chart__s${i % 5}`}
              data-series={s.id}
              d={seriesPath(s, x0, x1, yMax).d}
            />
          ))}
          {overlay && (
            <path
              class="twg-chart__line twg-chart__overlay"
              data-series={overlay.id}
              d={seriesPath(overlay, x0, x1, yMax).d}
            />
          )}
        </g>
      </svg>
      <figcaption>
        <ul class="twg-chart__legend">
          {series.map((s, i) => (
            <li key={s.id}>
              <svg class="twg-chart__swatch" viewBox="0 0 24 8" aria-hidden="true">
                <line class={`twg-chart__line twg-chart__s${i % 5}`} x1="0" x2="24" y1="4" y2="4" />
              </svg>
              {s.label}
            </li>
          ))}
          {overlay && (
            <li>
              <svg class="twg-chart__swatch" viewBox="0 0 24 8" aria-hidden="true">
                <line class="twg-chart__line twg-chart__overlay" x1="0" x2="24" y1="4" y2="4" />
              </svg>
              {overlay.label}
            </li>
          )}
        </ul>
        {hasData && (
          <details class="twg-chart__data">
            <summary>{text.table}</summary>
            <table>
              <thead>
                <tr>
                  <th scope="col">{`${text.at} (${unit.label})`}</th>
                  {all.map((s) => (
                    <th scope="col" key={s.id}>
                      {s.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((t) => (
                  <tr key={t}>
                    <th scope="row">{formatTime(t, unit)}</th>
                    {all.map((s) => (
                      <td key={s.id}>{formatExact(valueAt(s, t))}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        )}
      </figcaption>
    </figure>
  );
}

export default Chart;
