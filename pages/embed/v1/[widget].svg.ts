// embed/v1/<widget>.svg — the widget's first frame as a plain image, for hosts that accept only images
// (and for oEmbed thumbnails): the sequence diagram of the widget's default run, drawn at build time
// (src/embed/first-frame.ts). The labs' images are embed/v1/lab/<lab>.svg (./lab/[lab].svg.ts).
import type { APIRoute, GetStaticPaths } from 'astro';
import { sequenceSvg } from '../../../src/embed/first-frame.ts';
import { PLAYGROUND_DEFAULT } from '../../../src/embed/playground-meta.ts';
import { type EmbeddableWidget, WIDGETS } from '../../../src/embed/registry.ts';
import { parseScenario } from '../../../src/sim/scenario.ts';

export const getStaticPaths: GetStaticPaths = () =>
  WIDGETS.filter((w) => !w.instances).map((widget) => ({
    params: { widget: widget.name },
    props: { widget },
  }));

const scenarios = import.meta.glob<unknown>('../../../src/sim/scenarios/*.json', {
  eager: true,
  import: 'default',
});
/** The scenario each widget opens on. */
const FIRST_RUN: Record<string, string> = {
  'close-explorer': 'normal-close-client-first',
  playground: PLAYGROUND_DEFAULT,
};

export const GET: APIRoute = ({ props }) => {
  const widget = props.widget as EmbeddableWidget;
  const file = `../../../src/sim/scenarios/${FIRST_RUN[widget.name]}.json`;
  const json = scenarios[file];
  if (json === undefined) throw new Error(`${widget.name} first frame: no scenario ${file}`);
  const svg = sequenceSvg(widget.title.en, parseScenario(json, file));
  return new Response(svg, { headers: { 'content-type': 'image/svg+xml; charset=utf-8' } });
};
