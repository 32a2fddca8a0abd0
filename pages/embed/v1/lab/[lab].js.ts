// embed/v1/lab/<lab>.js — what <tw-lab lab="<lab>"> needs to run the lab (src/embed/lab-data.ts: the
// scenarios parsed at build time, a load lab's first run, labels in both languages, the chapter it
// links back to), as a classic script that hands it to embed.js (`twgEmbed.data`, see
// src/embed/embed.ts: a script, not JSON, because fetching JSON from another origin needs CORS).
import type { APIRoute, GetStaticPaths } from 'astro';
import { labData } from '../../../../src/embed/lab-data.ts';
import { EMBEDDABLE_LABS, LAB_PLACES } from '../../../../src/embed/places.ts';

export const getStaticPaths: GetStaticPaths = () =>
  EMBEDDABLE_LABS.map((name) => ({ params: { lab: name } }));

export const GET: APIRoute = ({ params }) => {
  const name = params.lab as string;
  const value = { ...labData(name), place: LAB_PLACES[name] ?? null };
  const path = JSON.stringify(`lab/${name}`);
  // JSON is a JavaScript expression; U+2028/9 are escaped for engines before ES2019.
  const json = JSON.stringify(value)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return new Response(`window.twgEmbed&&window.twgEmbed.data(${path},${json});\n`, {
    headers: { 'content-type': 'text/javascript; charset=utf-8' },
  });
};
