import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  commentMarkdownToText,
  LINK_REL,
  renderCommentMarkdown,
  safeHref,
} from '../../src/comments/markdown.ts';
import { cleanLine, cleanText } from '../../src/comments/text.ts';

const { payloads } = JSON.parse(readFileSync('tests/fixtures/comments/xss-payloads.json', 'utf8')) as {
  payloads: string[];
};

/** Every tag and attribute name in an HTML string (the renderer's output is simple, well-formed HTML). */
function tagsAndAttributes(html: string): { tags: Set<string>; attrs: Set<string>; hrefs: string[] } {
  const tags = new Set<string>();
  const attrs = new Set<string>();
  const hrefs: string[] = [];
  for (const m of html.matchAll(/<([a-zA-Z][\w-]*)([^>]*)>/g)) {
    tags.add(m[1]!.toLowerCase());
    for (const a of m[2]!.matchAll(/([^\s=]+)(?:="([^"]*)")?/g)) {
      attrs.add(a[1]!.toLowerCase());
      if (a[1] === 'href') hrefs.push(a[2]!);
    }
  }
  return { tags, attrs, hrefs };
}

const ALLOWED_TAGS = new Set(
  'p br hr a em strong del code pre blockquote ul ol li table thead tbody tr th td'.split(' '),
);

describe('comment Markdown renders to HTML that cannot run script or load anything', () => {
  it.each(payloads.map((p, i) => [i, p]))('payload %i stays inert', (_i, payload) => {
    for (const base of ['/', '/twg-sub/']) {
      const html = renderCommentMarkdown(payload as string, base);
      const { tags, attrs, hrefs } = tagsAndAttributes(html);
      expect(
        [...tags].filter((t) => !ALLOWED_TAGS.has(t)),
        html,
      ).toEqual([]);
      expect(
        [...attrs].filter((a) => !['href', 'rel', 'start'].includes(a)),
        html,
      ).toEqual([]);
      for (const href of hrefs) {
        const decoded = href.replace(/&#x([0-9a-f]+);/gi, (_, h) =>
          String.fromCodePoint(Number.parseInt(h, 16)),
        );
        expect(decoded, html).toMatch(/^(https?:\/\/[^/]|mailto:|#|\/(?!\/))/);
        expect(decoded).not.toMatch(/^(https?:\/\/)[^/]*@/);
      }
      expect(html).not.toMatch(/<a [^>]*href(?![^>]*rel="nofollow ugc noopener")/);
    }
  });

  it('shows raw HTML as the text the reader typed', () => {
    expect(renderCommentMarkdown('a <b>bold</b> <script>x()</script>')).toBe(
      '<p>a &#x3C;b>bold&#x3C;/b> &#x3C;script>x()&#x3C;/script></p>',
    );
  });

  it('keeps ordinary Markdown: emphasis, code, lists, quotes, tables and safe links with rel', () => {
    const html = renderCommentMarkdown(
      '*a* **b** `c`\n\n- one\n- two\n\n> q\n\n[RFC 9293](https://www.rfc-editor.org/rfc/rfc9293#section-3.3.2)',
    );
    expect(html).toContain('<em>a</em> <strong>b</strong> <code>c</code>');
    expect(html).toContain('<li>one</li>');
    expect(html).toContain('<blockquote>');
    expect(html).toContain(
      `<a href="https://www.rfc-editor.org/rfc/rfc9293#section-3.3.2" rel="${LINK_REL}">RFC 9293</a>`,
    );
  });

  it('turns site links into base-aware links and images into plain links', () => {
    expect(renderCommentMarkdown('[c](/understand/arises/)', '/twg-sub/')).toContain(
      'href="/twg-sub/understand/arises/"',
    );
    expect(renderCommentMarkdown('![chart](https://example.org/c.png)')).toBe(
      `<p><a href="https://example.org/c.png" rel="${LINK_REL}">chart</a></p>`,
    );
    expect(renderCommentMarkdown('# Big')).toBe('<p><strong>Big</strong></p>');
  });

  it('accepts only http(s), mailto, fragment and site-internal hrefs', () => {
    expect(safeHref('https://example.org/a?b#c')).toBe('https://example.org/a?b#c');
    expect(safeHref('mailto:a@example.org')).toBe('mailto:a@example.org');
    expect(safeHref('#reply-a')).toBe('#reply-a');
    expect(safeHref('/zh-cn/qa/', '/base/')).toBe('/base/zh-cn/qa/');
    for (const bad of [
      'javascript:alert(1)',
      ' JAVASCRIPT:alert(1)',
      'java\tscript:alert(1)',
      'java\u0000script:alert(1)',
      'data:text/html,x',
      'vbscript:x',
      '//evil.example/',
      '/\\evil.example',
      'https://u:p@evil.example/',
      'file:///etc/passwd',
      '#"onmouseover',
      'relative/path',
    ]) {
      expect(safeHref(bad), bad).toBeUndefined();
    }
  });

  it('removes bidi overrides, controls, invisible tags and Zalgo stacks from text', () => {
    expect(cleanText('a\u202eb\u2066c\u2069\u0000d\u001b')).toBe('abcd');
    expect(cleanText('x\u{E0041}y\uFEFFz')).toBe('xyz');
    expect(cleanText('e\u0301\u0302\u0303\u0304\u0305').length).toBe(3);
    expect(cleanText('a\r\nb\rc')).toBe('a\nb\nc');
    expect(cleanText('\uD800x')).toBe('\uFFFDx');
    expect(cleanLine('  two\n lines  ')).toBe('two lines');
  });

  it('extracts the words of a body for the search index', () => {
    expect(commentMarkdownToText('Use **`SO_REUSEADDR`** on the [listener](https://x.org).')).toBe(
      'Use SO_REUSEADDR on the listener .',
    );
  });
});
