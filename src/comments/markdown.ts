import type { Element, ElementContent, Root as HastRoot, Properties } from 'hast';
import type { Root as MdastRoot, Text } from 'mdast';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { cleanText } from './text.ts';

/**
 * Markdown for reader comments, rendered to HTML that cannot run script, load anything or restyle the
 * page. Three layers, each enough on its own for the common attacks:
 *   1. raw HTML in the Markdown becomes literal text (a reader sees `<script>` as typed);
 *   2. the HTML tree is rebuilt from an allow-list of elements and attributes (no style, no class,
 *      no id, no event handlers, no images, no iframes, no SVG);
 *   3. links keep only http(s), mailto, fragment and site-internal targets, and get
 *      rel="nofollow ugc noopener".
 * Site-internal links are written from the site root (`/understand/arises/`) and get the base path.
 */

export const LINK_REL = 'nofollow ugc noopener';
const REL = LINK_REL.split(' ');

const KEEP = new Set([
  'p',
  'br',
  'hr',
  'a',
  'em',
  'strong',
  'del',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
]);
/** Elements whose content is worthless or dangerous when unwrapped. */
const DROP = new Set(['script', 'style', 'iframe', 'object', 'embed', 'svg', 'math', 'input', 'template']);

/** An href a comment may keep, rewritten for the site's base path; `undefined` drops the link. */
export function safeHref(raw: unknown, base = '/'): string | undefined {
  if (typeof raw !== 'string') return undefined;
  // Browsers ignore ASCII whitespace and controls inside a URL scheme ("java\tscript:"): so do we.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point.
  const href = raw.replace(/[\u0000-\u0020\u007F-\u009F\u200B-\u200D\uFEFF]/g, '');
  if (href === '' || href.length > 2048) return undefined;
  if (href.startsWith('#')) return /^#[\w-]*$/.test(href) ? href : undefined;
  if (href.startsWith('/') && !href.startsWith('//') && !href.includes('\\')) {
    return base.replace(/\/$/, '') + href;
  }
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:' && url.protocol !== 'mailto:') return undefined;
  if (url.username || url.password) return undefined;
  return url.href;
}

/** Turns raw HTML nodes into text nodes before the tree reaches HTML: shown, never parsed. */
function remarkHtmlAsText() {
  return (tree: MdastRoot) => {
    visit(tree, 'html', (node, index, parent) => {
      if (!parent || index === undefined) return;
      const text: Text = { type: 'text', value: node.value, position: node.position };
      parent.children[index] = text as never;
    });
  };
}

function sanitizeChildren(children: ElementContent[], base: string): ElementContent[] {
  const out: ElementContent[] = [];
  for (const child of children) {
    if (child.type === 'text') out.push(child);
    else if (child.type === 'element') out.push(...sanitizeElement(child, base));
    // comments and anything else: dropped
  }
  return out;
}

function sanitizeElement(el: Element, base: string): ElementContent[] {
  const tag = el.tagName.toLowerCase();
  if (DROP.has(tag)) return [];
  if (tag === 'img') {
    // No third-party requests: an image becomes a link to it (or its alt text).
    const href = safeHref(el.properties.src, base);
    const alt = typeof el.properties.alt === 'string' && el.properties.alt ? el.properties.alt : href;
    if (!alt) return [];
    return href
      ? [
          {
            type: 'element',
            tagName: 'a',
            properties: { href, rel: REL },
            children: [{ type: 'text', value: alt }],
          },
        ]
      : [{ type: 'text', value: alt }];
  }
  if (/^h[1-6]$/.test(tag)) {
    // Headings in a comment would compete with the page's own outline: make them bold paragraphs.
    return [
      {
        type: 'element',
        tagName: 'p',
        properties: {},
        children: [
          {
            type: 'element',
            tagName: 'strong',
            properties: {},
            children: sanitizeChildren(el.children, base),
          },
        ],
      },
    ];
  }
  const children = sanitizeChildren(el.children, base);
  if (!KEEP.has(tag)) return children; // unwrap (section, sup, div, span…)
  const properties: Properties = {};
  if (tag === 'a') {
    const href = safeHref(el.properties.href, base);
    if (!href) return children;
    properties.href = href;
    properties.rel = REL;
  }
  if (tag === 'ol' && typeof el.properties.start === 'number' && Number.isSafeInteger(el.properties.start)) {
    properties.start = el.properties.start;
  }
  return [{ type: 'element', tagName: tag, properties, children }];
}

function rehypeAllowList(options: { base: string }) {
  return (tree: HastRoot) => {
    const kept: HastRoot['children'] = [];
    for (const child of tree.children) {
      if (child.type === 'text') kept.push(child);
      else if (child.type === 'element') kept.push(...sanitizeElement(child, options.base));
    }
    tree.children = kept;
  };
}

/** Renders a comment body (Markdown) to safe HTML. `base` is the site's base path (BASE_URL). */
export function renderCommentMarkdown(markdown: string, base = '/'): string {
  return String(
    unified()
      .use(remarkParse)
      .use(remarkGfm)
      .use(remarkHtmlAsText)
      .use(remarkRehype, { allowDangerousHtml: false })
      .use(rehypeAllowList, { base })
      .use(rehypeStringify)
      .processSync(cleanText(markdown)),
  );
}

/** The words of a comment body, for the search index and summaries. */
export function commentMarkdownToText(markdown: string): string {
  const tree = unified().use(remarkParse).use(remarkGfm).parse(cleanText(markdown));
  const parts: string[] = [];
  visit(tree, (node) => {
    if (node.type === 'text' || node.type === 'inlineCode' || node.type === 'code' || node.type === 'html') {
      parts.push((node as { value: string }).value);
    }
  });
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}
