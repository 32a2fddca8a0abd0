// embed/v1/lab/<lab>.svg — a chapter lab's first frame as a plain image (src/embed/first-frame.ts).
import type { APIRoute, GetStaticPaths } from 'astro';
import { labSvg } from '../../../../src/embed/first-frame.ts';
import { labData } from '../../../../src/embed/lab-data.ts';
import { EMBEDDABLE_LABS } from '../../../../src/embed/places.ts';

export const getStaticPaths: GetStaticPaths = () =>
  EMBEDDABLE_LABS.map((name) => ({ params: { lab: name } }));

export const GET: APIRoute = ({ params }) =>
  new Response(labSvg(labData(params.lab as string)), {
    headers: { 'content-type': 'image/svg+xml; charset=utf-8' },
  });
