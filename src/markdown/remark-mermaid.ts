import type { Code, Root } from 'mdast';
import { visit } from 'unist-util-visit';

/**
 * Turns ```mermaid fences into `<pre class="mermaid">` before any rehype plugin runs.
 *
 * Expressive Code highlights every `pre > code` it meets; a bare `pre.mermaid` has no `code` child, so it
 * passes through untouched and rehype-mermaid (or the text fallback) picks it up.
 */
export function remarkMermaid() {
  return (tree: Root) => {
    visit(tree, 'code', (node: Code) => {
      if (node.lang !== 'mermaid') return;
      node.data = {
        hName: 'pre',
        hProperties: { className: ['mermaid'] },
        hChildren: [{ type: 'text', value: node.value }],
      };
    });
  };
}
