import { existsSync } from 'node:fs';
import type { Element, ElementContent, Root } from 'hast';
import rehypeMermaid, { type RehypeMermaidOptions } from 'rehype-mermaid';
import { visit } from 'unist-util-visit';

/**
 * Build-time Mermaid rendering.
 *
 * Diagrams become inline SVG through rehype-mermaid, which drives a headless Chromium. We never ship
 * Mermaid's JavaScript (hundreds of KB gzipped) to readers. Chromium comes from Debian at
 * /usr/bin/chromium, or wherever `TWG_CHROMIUM` points. Without it the build still succeeds: it warns
 * once and each diagram is shown as its Mermaid source, which reads as a plain-text diagram.
 */
export const chromiumPath = process.env.TWG_CHROMIUM ?? '/usr/bin/chromium';

// Debian's Chromium as root in a container needs these; the rest keep it from calling home.
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

function figure(children: ElementContent[], className: string, extra: Element['properties'] = {}): Element {
  return {
    type: 'element',
    tagName: 'figure',
    properties: { className: ['diagram', className], ...extra },
    children,
  };
}

function sourceFallback(diagram: string): Element {
  return figure(
    [
      {
        type: 'element',
        tagName: 'pre',
        properties: { className: ['diagram-source'] },
        children: [{ type: 'text', value: diagram }],
      },
    ],
    'diagram-text',
    { dataDiagramFallback: 'source' },
  );
}

/** Wraps every rendered SVG in a figure so styling (dark mode, scrolling) has one hook. */
function rehypeWrapDiagrams() {
  return (tree: Root) => {
    visit(tree, 'element', (node, index, parent) => {
      if (!parent || index === undefined || node.tagName !== 'svg') return;
      const id = String(node.properties?.id ?? '');
      if (!id.startsWith('mermaid-')) return;
      if (parent.type === 'element' && parent.tagName === 'figure') return;
      parent.children[index] = figure([node], 'diagram-svg');
    });
  };
}

/** Replaces every `pre.mermaid` with its source in a figure: the no-Chromium path. */
function rehypeMermaidAsText() {
  return (tree: Root) => {
    visit(tree, 'element', (node, index, parent) => {
      if (!parent || index === undefined || node.tagName !== 'pre') return;
      const classes = node.properties?.className;
      if (!Array.isArray(classes) || !classes.includes('mermaid')) return;
      const text = node.children.map((c) => (c.type === 'text' ? c.value : '')).join('');
      parent.children[index] = sourceFallback(text);
    });
  };
}

// Mermaid's bookkeeping attributes: the browser never reads them (no Mermaid JS runs on the page) and
// `data-points` alone is a base64 copy of every edge's geometry, which gzip cannot shrink.
const UNUSED_SVG_PROPS = [
  'dataEt',
  'dataId',
  'dataFrom',
  'dataTo',
  'dataType',
  'datatype',
  'name',
  'dataPoints',
  'dataEdge',
];
// Geometry Mermaid writes with 10+ decimals; 0.01 px is below anything a screen or printer can show.
const GEOMETRY_PROPS = [
  'd',
  'points',
  'transform',
  'x',
  'y',
  'x1',
  'y1',
  'x2',
  'y2',
  'cx',
  'cy',
  'r',
  'rx',
  'ry',
  'dx',
  'dy',
  'width',
  'height',
  'viewBox',
];
const roundNumbers = (v: string) => v.replace(/(-?\d+\.\d\d)\d+/g, '$1');

/**
 * Slims each build-time SVG: about 2–3 KB gzipped off a chapter with three diagrams (the size-budget
 * gate, tests/e2e/gates-budget.test.ts, watches the result). Rendering is unchanged.
 */
function rehypeSlimDiagrams() {
  return (tree: Root) => {
    visit(tree, 'element', (svg) => {
      if (svg.tagName !== 'svg' || !String(svg.properties?.id ?? '').startsWith('mermaid-')) return;
      visit(svg, 'element', (node) => {
        const props = node.properties;
        if (!props) return;
        for (const key of UNUSED_SVG_PROPS) delete props[key];
        for (const key of GEOMETRY_PROPS) {
          const value = props[key];
          if (typeof value === 'string') props[key] = roundNumbers(value);
          else if (typeof value === 'number') props[key] = Math.round(value * 100) / 100;
        }
      });
      return 'skip';
    });
  };
}

let warned = false;

/** The rehype plugins to register, chosen once per build by whether Chromium is there. */
export function mermaidRehypePlugins(): unknown[] {
  if (!existsSync(chromiumPath)) {
    if (!warned) {
      warned = true;
      console.warn(
        `\n[timewait-guide] WARNING: no Chromium at ${chromiumPath} (set TWG_CHROMIUM, or apt-get install chromium).` +
          '\n[timewait-guide] Mermaid diagrams will be shown as their text source instead of SVG.\n',
      );
    }
    return [rehypeMermaidAsText];
  }
  const options: RehypeMermaidOptions = {
    strategy: 'inline-svg',
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
    mermaidConfig: { theme: 'neutral', fontFamily: 'system-ui, "Noto Sans CJK SC", sans-serif' },
    // A diagram that fails to render must not fail silently: print it and keep its source on the page.
    errorFallback: (_element, diagram, error, file) => {
      console.warn(`[timewait-guide] Mermaid diagram in ${file.path} failed to render: ${String(error)}`);
      return sourceFallback(diagram);
    },
  };
  return [[rehypeMermaid, options], rehypeWrapDiagrams, rehypeSlimDiagrams];
}
