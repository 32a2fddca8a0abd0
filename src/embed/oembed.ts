// oEmbed responses (https://oembed.com/, §2.3.4 "Response parameters"): type "rich" with the iframe as
// `html`. A static site cannot answer `?url=` queries, so each widget has one response per language at a
// fixed URL, announced by a discovery <link> on the widget's iframe page and on the chapter that hosts it.
import { framePath, imagePath } from './protocol.ts';
import type { EmbeddableWidget } from './registry.ts';

export interface OEmbedRich {
  version: '1.0';
  type: 'rich';
  title: string;
  provider_name: string;
  provider_url: string;
  html: string;
  width: number;
  height: number;
  thumbnail_url: string;
  thumbnail_width: number;
  thumbnail_height: number;
  cache_age: number;
}

/** Text safe inside a double-quoted HTML attribute (the embed code we hand out). */
export const escapeAttr = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** One experiment of a widget that has several (a lab): its name and its title in the language. */
export interface Instance {
  name: string;
  title: string;
}

/** The iframe markup every embed form falls back to. `siteBase` is absolute and ends with '/'. */
export function iframeHtml(
  widget: EmbeddableWidget,
  lang: 'en' | 'zh-cn',
  siteBase: string,
  opts: { theme?: string; fragment?: string; width?: number; height?: number; instance?: Instance } = {},
): string {
  const q = opts.theme && opts.theme !== 'auto' ? `?theme=${encodeURIComponent(opts.theme)}` : '';
  const src = `${siteBase}${framePath(widget.name, lang, opts.instance?.name)}${q}${opts.fragment ? `#${opts.fragment}` : ''}`;
  const width = opts.width ?? widget.width;
  const height = opts.height ?? widget.height;
  const title = opts.instance?.title ?? widget.title[lang];
  return (
    `<iframe src="${escapeAttr(src)}" title="${escapeAttr(title)}" width="${width}" height="${height}" ` +
    `style="border:0;width:100%;max-width:${width}px" loading="lazy" data-twg-embed></iframe>`
  );
}

export function oembedResponse(
  widget: EmbeddableWidget,
  lang: 'en' | 'zh-cn',
  siteBase: string,
  instance?: Instance,
): OEmbedRich {
  return {
    version: '1.0',
    type: 'rich',
    title: instance?.title ?? widget.title[lang],
    provider_name: lang === 'zh-cn' ? 'TIME_WAIT 详解' : 'TIME_WAIT, Explained',
    provider_url: siteBase,
    html: iframeHtml(widget, lang, siteBase, instance ? { instance } : {}),
    width: widget.width,
    height: widget.height,
    thumbnail_url: `${siteBase}${imagePath(widget.name, instance?.name)}`,
    thumbnail_width: widget.width,
    thumbnail_height: widget.height,
    cache_age: 86_400,
  };
}
