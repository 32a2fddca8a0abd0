// The embed contract: URLs, element names and the messages an embedded iframe and its host page
// exchange. Posts written today must keep working, so everything here is versioned: a change that
// breaks an existing embed gets a new version (`v2`) beside the old one, never an edit to `v1`.
//
// URL scheme (relative to the site's base path):
//   embed/v1/<widget>/                 iframe page, English; zh-cn/embed/v1/<widget>/ in Chinese
//     ?theme=light|dark|auto           colour scheme (default auto: the reader's preference)
//     ?lang=en|zh-cn                   language; redirects to the page in that language
//     #<stateKey>=<base64url JSON>     the widget's state, exactly as on the chapter page
//   embed/v1/embed.js                  defines <tw-WIDGET> custom elements (loads each widget on use)
//   embed/v1/resize.js                 optional host-page script that sizes iframes to their content
//   embed/v1/oembed/<widget>.json      oEmbed response (zh-cn/embed/v1/oembed/<widget>.json in Chinese)
//   embed/v1/<widget>.svg              the widget's first frame as a static image
//
// Widgets with several experiments (the chapter labs, widget `lab`) have one page per experiment:
//   embed/v1/lab/<lab>/                iframe page of one lab (#<the chapter's lab id>=<state>)
//   embed/v1/lab/<lab>.svg             its first frame;  embed/v1/oembed/lab/<lab>.json  its oEmbed
//   embed/v1/lab/<lab>.js              its data (pre-parsed scenarios), loaded by <tw-lab lab="<lab>">

export const EMBED_VERSION = 'v1';

/** iframe → host: the content's height changed. */
export interface ResizeMessage {
  type: 'twg:resize';
  v: 1;
  height: number;
}

/** host → iframe: the resize script is present; the iframe replies to this origin only. */
export interface HelloMessage {
  type: 'twg:hello';
  v: 1;
}

/** Largest height an iframe may ask for, so a broken or hostile frame cannot grow a page without end. */
export const MAX_FRAME_HEIGHT = 4000;

export function isResizeMessage(data: unknown): data is ResizeMessage {
  if (typeof data !== 'object' || data === null) return false;
  const m = data as Record<string, unknown>;
  return (
    m.type === 'twg:resize' &&
    m.v === 1 &&
    typeof m.height === 'number' &&
    Number.isFinite(m.height) &&
    m.height > 0 &&
    m.height <= MAX_FRAME_HEIGHT
  );
}

export function isHelloMessage(data: unknown): data is HelloMessage {
  if (typeof data !== 'object' || data === null) return false;
  const m = data as Record<string, unknown>;
  return m.type === 'twg:hello' && m.v === 1;
}

export type EmbedLang = 'en' | 'zh-cn';
export type EmbedTheme = 'auto' | 'light' | 'dark';

export const THEMES: readonly EmbedTheme[] = ['auto', 'light', 'dark'];

const langPrefix = (lang: EmbedLang) => (lang === 'zh-cn' ? 'zh-cn/' : '');

/** `close-explorer`, or `lab/<lab>` for one experiment of a widget that has several. */
const slug = (widget: string, instance?: string) => (instance ? `${widget}/${instance}` : widget);

/** Path of a widget's iframe page below the base path, e.g. `embed/v1/close-explorer/`. */
export function framePath(widget: string, lang: EmbedLang, instance?: string): string {
  return `${langPrefix(lang)}embed/${EMBED_VERSION}/${slug(widget, instance)}/`;
}

export function oembedPath(widget: string, lang: EmbedLang, instance?: string): string {
  return `${langPrefix(lang)}embed/${EMBED_VERSION}/oembed/${slug(widget, instance)}.json`;
}

export const SCRIPT_PATH = `embed/${EMBED_VERSION}/embed.js`;
export const RESIZE_PATH = `embed/${EMBED_VERSION}/resize.js`;

export function imagePath(widget: string, instance?: string): string {
  return `embed/${EMBED_VERSION}/${slug(widget, instance)}.svg`;
}

/** Data file of one experiment (a classic script that registers it with `window.twgEmbed`). */
export function dataPath(widget: string, instance: string): string {
  return `embed/${EMBED_VERSION}/${slug(widget, instance)}.js`;
}
