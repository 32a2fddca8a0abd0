// The rehype step that moves Expressive Code's stylesheet link from a document's first code block to the
// start of the document (src/markdown/code-stylesheet.ts; why: issue 9, Lighthouse total blocking time).
import type { Element, Root } from 'hast';
import { describe, expect, it } from 'vitest';
import { isCodeStylesheet, rehypeCodeStylesheetFirst } from '../../src/markdown/code-stylesheet.ts';

const el = (
  tagName: string,
  properties: Element['properties'] = {},
  children: Element['children'] = [],
): Element => ({
  type: 'element',
  tagName,
  properties,
  children,
});
const ecLink = (href = '/_astro/ec.ynj54.css') => el('link', { rel: ['stylesheet'], href });
const run = (tree: Root) => {
  rehypeCodeStylesheetFirst()(tree);
  return tree;
};

describe('rehypeCodeStylesheetFirst', () => {
  it('moves the link out of the code block into a hidden span before the first paragraph', () => {
    const code = el('div', { className: ['expressive-code'] }, [
      ecLink(),
      el('figure'),
      el('script', { type: 'module' }),
    ]);
    const tree = run({
      type: 'root',
      children: [el('p', {}, [{ type: 'text', value: 'Intro' }]), el('h2'), code],
    });
    const [first, second] = tree.children as Element[];
    expect(first?.tagName).toBe('span');
    expect(first?.properties?.hidden).toBe(true);
    expect(first?.children).toEqual([ecLink()]);
    expect(second?.tagName).toBe('p');
    // The code block keeps everything else, its script included.
    expect(code.children.map((c) => (c as Element).tagName)).toEqual(['figure', 'script']);
  });

  it('keeps MDX import/export statements first', () => {
    const esm = { type: 'mdxjsEsm', value: "import X from './x'" } as unknown as Element;
    const tree = run({ type: 'root', children: [esm, el('p'), el('div', {}, [ecLink()])] });
    expect(tree.children.map((c) => (c.type === 'element' ? c.tagName : c.type))).toEqual([
      'mdxjsEsm',
      'span',
      'p',
      'div',
    ]);
  });

  it('links each stylesheet once, and leaves documents without one unchanged', () => {
    const tree = run({ type: 'root', children: [el('div', {}, [ecLink()]), el('div', {}, [ecLink()])] });
    expect((tree.children[0] as Element).children).toHaveLength(1);
    const plain: Root = {
      type: 'root',
      children: [el('p'), el('link', { rel: ['stylesheet'], href: '/site.css' })],
    };
    expect(run(structuredClone(plain))).toEqual(plain);
  });

  it('recognises only Expressive Code stylesheets', () => {
    expect(isCodeStylesheet(ecLink('/twg-sub/_astro/ec.a-b_1.css'))).toBe(true);
    // A space-separated string, as hand-written hast may carry it.
    const relString = { rel: 'stylesheet', href: 'ec.abcde.css' } as unknown as Element['properties'];
    expect(isCodeStylesheet(el('link', relString))).toBe(true);
    expect(isCodeStylesheet(el('link', { rel: ['preload'], href: '/_astro/ec.abcde.css' }))).toBe(false);
    expect(isCodeStylesheet(el('link', { rel: ['stylesheet'], href: '/_astro/spec.abcde.css' }))).toBe(false);
    expect(isCodeStylesheet(el('script', { src: '/_astro/ec.abcde.js' }))).toBe(false);
  });
});
