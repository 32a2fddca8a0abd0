import { getCollection } from 'astro:content';
import { GENERAL_CHAPTER } from './loader.ts';
import type { Lang } from './schema.ts';

let docs: Promise<Map<string, { data: { template?: string } }>> | undefined;

/** The language of a Starlight route from its locale (`undefined` is the English root). */
export function langOfLocale(locale: string | undefined): Lang {
  return locale === 'zh-cn' ? 'zh-cn' : 'en';
}

/**
 * The chapter slug a Starlight route shows, or undefined when it is not a chapter: a docs page in a
 * section folder (`understand/arises`), in its own language (not fallback content), not a splash page.
 * Hub and thread pages (StarlightPage) have no docs entry and so are never chapters.
 */
export async function chapterOfRoute(route: {
  id: string;
  locale: string | undefined;
  isFallback?: boolean;
}): Promise<string | undefined> {
  if (route.isFallback || !route.id) return undefined;
  docs ??= getCollection('docs').then((all) => new Map(all.map((d) => [d.id, d])));
  const entry = (await docs).get(route.id);
  if (!entry || entry.data.template === 'splash') return undefined;
  const slug =
    route.locale && route.id.startsWith(`${route.locale}/`)
      ? route.id.slice(route.locale.length + 1)
      : route.id;
  if (!slug.includes('/') || slug.startsWith(`${GENERAL_CHAPTER}/`)) return undefined;
  return slug;
}
