// embed/v1/<widget>.svg — the widget's first frame as a plain image, for hosts that accept only images
// (and for oEmbed thumbnails): the sequence diagram of the widget's default run, drawn at build time.
import type { APIRoute, GetStaticPaths } from 'astro';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { runScenario } from '../../../components/widgets/runtime/run.ts';
import { timeAxis } from '../../../components/widgets/runtime/time.ts';
import { SequenceDiagram } from '../../../components/widgets/SequenceDiagram.tsx';
import widgetCss from '../../../components/widgets/widgets.css?raw';
import { type EmbeddableWidget, WIDGETS } from '../../../src/embed/registry.ts';
import { themeCss } from '../../../src/embed/theme.ts';
import { parseScenario } from '../../../src/sim/scenario.ts';
import client from '../../../src/sim/scenarios/normal-close-client-first.json';

export const getStaticPaths: GetStaticPaths = () =>
  WIDGETS.map((widget) => ({ params: { widget: widget.name }, props: { widget } }));

const FIRST_RUN: Record<string, unknown> = { 'close-explorer': client };

export const GET: APIRoute = ({ props }) => {
  const widget = props.widget as EmbeddableWidget;
  const run = runScenario(parseScenario(FIRST_RUN[widget.name], `${widget.name} first frame`));
  const axis = timeAxis(run.instants, run.end);
  const diagram = renderToString(h(SequenceDiagram, { run, axis, t: run.end, lang: 'en' }));
  const width = Number(/width="(\d+)"/.exec(diagram)?.[1] ?? 600);
  const height = Number(/height="(\d+)"/.exec(diagram)?.[1] ?? 400);
  const pad = 16;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" data-theme="light" viewBox="0 0 ${width + 2 * pad} ${height + 2 * pad}" width="${width + 2 * pad}" height="${height + 2 * pad}" font-family="ui-monospace, monospace">
<title>${widget.title.en} — TIME_WAIT, Explained</title>
<style>${themeCss(':root')}${widgetCss}</style>
<rect width="100%" height="100%" fill="hsl(0, 0%, 100%)"/>
<g class="twg" transform="translate(${pad} ${pad})">${diagram.replace('<svg', '<svg xmlns="http://www.w3.org/2000/svg"')}</g>
</svg>`;
  return new Response(svg, { headers: { 'content-type': 'image/svg+xml; charset=utf-8' } });
};
