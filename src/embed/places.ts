// Build-time only (Vite: import.meta.glob): where each lab lives in the chapters (src/embed/labs.ts),
// from the English MDX. Pages and the Embed page's islands get it as data; embed.js never imports this.
import { type LabPlace, labPlaces } from './labs.ts';

const files = import.meta.glob<string>('../../content/docs/**/*.mdx', {
  query: '?raw',
  import: 'default',
  eager: true,
});

export const LAB_PLACES: Record<string, LabPlace> = labPlaces(files);

/** The labs a reader can embed: those a chapter places (a lab no chapter uses has nowhere to link back). */
export const EMBEDDABLE_LABS: readonly string[] = Object.keys(LAB_PLACES);
