import type { AstroIntegration } from 'astro';
import type { Element, ElementContent, Root, RootContent } from 'hast';
import { SKIP, visit } from 'unist-util-visit';

/**
 * Expressive Code's stylesheet at the top of the page's content instead of inside its first code block.
 *
 * Expressive Code links its stylesheet (`_astro/ec.<hash>.css`) from the first code block of each
 * document. On a long chapter that block sits far down the page, so Chromium has usually styled and laid
 * out most of the page before the parser reaches the link. The sheet sets custom properties on `:root`,
 * and a change to `:root`'s custom properties makes every element inherit anew: the whole page is
 * restyled a second time in one task. On /zh-cn/understand/arises/ that was ~2,200 elements restyled in
 * one go, often the longest task of the load and a large part of its Lighthouse total blocking time
 * (issue 9: in 12 interleaved runs each, median TBT 666 → 471 ms in Chinese, 631 → 402 ms in English).
 *
 * Moved to the start of the content, the sheet is in place before almost anything is styled; the browser
 * still finds it as early (its preload scanner fetches it with the head's stylesheets). The link goes in
 * a hidden `<span>` because Starlight spaces each content block after a sibling that is not an inline
 * element (`.sl-markdown-content :not(a, strong, em, del, span, …) + :not(…)`): after a bare `<link>` the
 * first paragraph would move down, after a `<span>` it does not.
 */

const CODE_STYLESHEET = /(^|\/)ec\.[\w-]+\.css$/;

/** Expressive Code's stylesheet link: `<link rel="stylesheet" href="…/ec.<hash>.css">`. */
export function isCodeStylesheet(node: RootContent | ElementContent): node is Element {
  if (node.type !== 'element' || node.tagName !== 'link') return false;
  const rel = node.properties?.rel;
  const rels = Array.isArray(rel) ? rel.map(String) : String(rel ?? '').split(/\s+/);
  return rels.includes('stylesheet') && CODE_STYLESHEET.test(String(node.properties?.href ?? ''));
}

/** Rehype plugin: moves Expressive Code's stylesheet link(s) to the start of the document. */
export function rehypeCodeStylesheetFirst() {
  return (tree: Root) => {
    const links: Element[] = [];
    visit(tree, 'element', (node, index, parent) => {
      if (!parent || index === undefined || !isCodeStylesheet(node)) return;
      parent.children.splice(index, 1);
      if (!links.some((l) => l.properties?.href === node.properties?.href)) links.push(node);
      return [SKIP, index];
    });
    if (links.length === 0) return;
    // After MDX's import/export statements, which must stay first; before any content.
    let at = 0;
    while (at < tree.children.length && String(tree.children[at]?.type).startsWith('mdxjsEsm')) at++;
    tree.children.splice(at, 0, {
      type: 'element',
      tagName: 'span',
      properties: { hidden: true },
      children: links,
    });
  };
}

/** The processor's rehype plugin list, as `unified()` from @astrojs/markdown-remark keeps it. */
function rehypePluginsOf(processor: unknown): unknown[] | undefined {
  const options = (processor as { options?: { rehypePlugins?: unknown } } | undefined)?.options;
  return Array.isArray(options?.rehypePlugins) ? options.rehypePlugins : undefined;
}

/**
 * Registers {@link rehypeCodeStylesheetFirst} after Expressive Code's own rehype plugin. Starlight's
 * Expressive Code integration appends that plugin to `markdown.processor` in its `astro:config:setup`;
 * this appends in `astro:config:done`, when every setup hook has run, so the order holds wherever the
 * integration is listed. MDX compiles with the same processor, so MDX chapters are covered too.
 */
export function codeStylesheetFirst(): AstroIntegration {
  return {
    name: 'twg-code-stylesheet-first',
    hooks: {
      'astro:config:done': ({ config }) => {
        const plugins = rehypePluginsOf(config.markdown.processor);
        if (!plugins) {
          throw new Error(
            '[twg-code-stylesheet-first] markdown.processor is not unified() from @astrojs/markdown-remark: ' +
              'cannot register the rehype plugin that moves the code stylesheet (astro.config.mjs).',
          );
        }
        plugins.push(rehypeCodeStylesheetFirst);
      },
    },
  };
}
