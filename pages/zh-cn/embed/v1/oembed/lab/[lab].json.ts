// embed/v1/oembed/lab/<lab>.json — the oEmbed response of one chapter lab (src/embed/oembed.ts).
import type { APIRoute, GetStaticPaths } from 'astro';
import { LAB_META } from '../../../../../../src/embed/labs.ts';
import { oembedResponse } from '../../../../../../src/embed/oembed.ts';
import { EMBEDDABLE_LABS } from '../../../../../../src/embed/places.ts';
import { lab } from '../../../../../../src/embed/registry.ts';

export const getStaticPaths: GetStaticPaths = () =>
  EMBEDDABLE_LABS.map((name) => ({ params: { lab: name } }));

export const GET: APIRoute = ({ params, site, url }) => {
  const name = params.lab as string;
  const meta = LAB_META[name];
  if (!meta) throw new Error(`oEmbed: no lab named "${name}"`);
  const siteBase = new URL(import.meta.env.BASE_URL.replace(/\/?$/, '/'), site ?? url).href;
  const body = oembedResponse(lab, 'zh-cn', siteBase, { name, title: meta.title['zh-cn'] });
  return new Response(JSON.stringify(body, null, 2), {
    headers: { 'content-type': 'application/json+oembed; charset=utf-8' },
  });
};
