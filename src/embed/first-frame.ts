// Build-time only: a widget's first frame as a standalone SVG image (embed/v1/<widget>.svg and
// embed/v1/lab/<lab>.svg), for hosts that accept only images and for oEmbed thumbnails. It is the
// widget's own drawing (the sequence diagram, or a load lab's counters chart) rendered to a string,
// with the widget CSS and the light theme's variables inlined, since an <img> loads nothing else. The
// CSS goes in CDATA: an SVG file is XML, and a `<` in a stylesheet comment would open a tag.
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { instantOf } from '../../components/labs/ScenarioLab.tsx';
import { CHART_HEIGHT, CHART_WIDTH, Chart } from '../../components/widgets/Chart.tsx';
import chartCss from '../../components/widgets/chart/chart.css?raw';
import { runScenario } from '../../components/widgets/runtime/run.ts';
import { timeAxis } from '../../components/widgets/runtime/time.ts';
import { SequenceDiagram } from '../../components/widgets/SequenceDiagram.tsx';
import widgetCss from '../../components/widgets/widgets.css?raw';
import type { Scenario } from '../sim/types.ts';
import type { LabData } from './lab-data.ts';
import { themeCss } from './theme.ts';

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function document(title: string, inner: string, width: number, height: number, css: string): string {
  const pad = 16;
  const w = width + 2 * pad;
  const hh = height + 2 * pad;
  return `<svg xmlns="http://www.w3.org/2000/svg" data-theme="light" viewBox="0 0 ${w} ${hh}" width="${w}" height="${hh}" font-family="ui-monospace, monospace">
<title>${escapeText(title)} — TIME_WAIT, Explained</title>
<style><![CDATA[${themeCss(':root')}${css.replace(/]]>/g, ']] >')}]]></style>
<rect width="100%" height="100%" fill="hsl(0, 0%, 100%)"/>
<g class="twg" transform="translate(${pad} ${pad})">${inner}</g>
</svg>`;
}

/** The sequence diagram of a scenario's run at `t` (default: the run's end). */
export function sequenceSvg(title: string, scenario: Scenario, at: 'last' | 'end' | number = 'end'): string {
  const run = runScenario(scenario);
  const axis = timeAxis(run.instants, run.end);
  const diagram = renderToString(h(SequenceDiagram, { run, axis, t: instantOf(run, at), lang: 'en' }));
  const width = Number(/width="(\d+)"/.exec(diagram)?.[1] ?? 600);
  const height = Number(/height="(\d+)"/.exec(diagram)?.[1] ?? 400);
  return document(
    title,
    diagram.replace('<svg', '<svg xmlns="http://www.w3.org/2000/svg"'),
    width,
    height,
    widgetCss,
  );
}

/** A lab's first frame: its opening variant's diagram, or a load lab's counters over time. */
export function labSvg(data: LabData): string {
  const title = data.title.en;
  if (data.kind === 'scenario') {
    const v = data.variants.find((x) => x.key === data.initial) ?? data.variants[0];
    if (!v) throw new Error(`lab "${data.name}" has no variants`);
    return sequenceSvg(title, v.scenario, data.at);
  }
  const r = data.initialResult;
  const series = [
    { id: 'tw', label: 'TIME_WAIT', t: r.t, v: r.tw },
    { id: 'ports', label: 'ports in use', t: r.t, v: r.ports },
    { id: 'fails', label: 'failed connect() (total)', t: r.t, v: r.fails },
  ];
  const figure = renderToString(
    h(Chart, {
      id: `${data.name}-chart`,
      lang: 'en',
      title,
      yLabel: 'count',
      start: 0,
      end: r.until,
      series,
    }),
  );
  const svg = /<svg\b[\s\S]*?<\/svg>/.exec(figure)?.[0];
  if (!svg) throw new Error(`lab "${data.name}": the chart rendered no SVG`);
  const sized = svg.replace(
    '<svg',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${CHART_HEIGHT}"`,
  );
  // The chart's legend is HTML beside its SVG: draw it in SVG, one swatch and label per series.
  const legend = series
    .map((x, i) => {
      const left = 60 + i * 190;
      return `<line class="twg-chart__line twg-chart__s${i}" x1="${left}" x2="${left + 24}" y1="${CHART_HEIGHT + 14}" y2="${CHART_HEIGHT + 14}"/><text x="${left + 30}" y="${CHART_HEIGHT + 18}" font-size="12" fill="currentColor">${escapeText(x.label)}</text>`;
    })
    .join('');
  return document(
    title,
    `<g class="twg-chart">${sized}${legend}</g>`,
    CHART_WIDTH,
    CHART_HEIGHT + 28,
    `${widgetCss}${chartCss}`,
  );
}
