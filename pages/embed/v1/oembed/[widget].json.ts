import type { APIRoute, GetStaticPaths } from 'astro';
import { oembedResponse } from '../../../../src/embed/oembed.ts';
import { type EmbeddableWidget, WIDGETS } from '../../../../src/embed/registry.ts';

export const getStaticPaths: GetStaticPaths = () =>
  WIDGETS.filter((w) => !w.instances).map((widget) => ({
    params: { widget: widget.name },
    props: { widget },
  }));

export const GET: APIRoute = ({ props, site, url }) => {
  const siteBase = new URL(import.meta.env.BASE_URL.replace(/\/?$/, '/'), site ?? url).href;
  return new Response(
    JSON.stringify(oembedResponse(props.widget as EmbeddableWidget, 'en', siteBase), null, 2),
    {
      headers: { 'content-type': 'application/json+oembed; charset=utf-8' },
    },
  );
};
