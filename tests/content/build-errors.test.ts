import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFixture, MINIMAL_HOME } from './fixture-site.ts';

const chapter = (frontmatter: string, body = 'Body.') => `---\n${frontmatter}\n---\n\n${body}\n`;

describe('the build refuses broken chapters and names the file and the field', () => {
  it('fails on bad frontmatter', () => {
    const build = buildFixture({
      ...MINIMAL_HOME,
      'understand/broken.mdx': chapter('title: Broken\ndescription: A page.\nsidebar:\n  order: first'),
      'zh-cn/understand/broken.mdx': chapter('title: 坏页面\ndescription: 一页。'),
    });
    try {
      expect(build.status).not.toBe(0);
      expect(build.output).toMatch(/understand\/broken\.mdx/);
      expect(build.output).toMatch(/sidebar\.order/);
      expect(build.output).toMatch(/number/i);
    } finally {
      build.cleanup();
    }
  }, 180_000);

  it('fails on a missing title', () => {
    const build = buildFixture({
      ...MINIMAL_HOME,
      'understand/untitled.mdx': chapter('description: No title here.'),
      'zh-cn/understand/untitled.mdx': chapter('title: 有标题\ndescription: 一页。'),
    });
    try {
      expect(build.status).not.toBe(0);
      expect(build.output).toMatch(/understand\/untitled\.mdx/);
      expect(build.output).toMatch(/\btitle\b/);
    } finally {
      build.cleanup();
    }
  }, 180_000);

  it('fails when a chapter has no 简体中文 translation, naming both files', () => {
    const build = buildFixture({
      ...MINIMAL_HOME,
      'understand/lonely.mdx': chapter('title: Lonely\ndescription: English only.'),
    });
    try {
      expect(build.status).not.toBe(0);
      expect(build.output).toMatch(
        /content\/docs\/understand\/lonely\.mdx: translation required but missing/,
      );
      expect(build.output).toMatch(/content\/docs\/zh-cn\/understand\/lonely\.mdx/);
    } finally {
      build.cleanup();
    }
  }, 180_000);

  it('builds without Chromium, warns once, and shows each diagram as text', () => {
    const diagram = '```mermaid\nsequenceDiagram\n  A->>B: FIN\n  B->>A: ACK\n```\n';
    const build = buildFixture(
      {
        ...MINIMAL_HOME,
        'understand/d.mdx': chapter('title: Diagrams\ndescription: Two diagrams.', `${diagram}\n${diagram}`),
        'zh-cn/understand/d.mdx': chapter('title: 图\ndescription: 两张图。', diagram),
      },
      { TWG_CHROMIUM: '/nonexistent/chromium' },
    );
    try {
      expect(build.status, build.output).toBe(0);
      expect(build.output.match(/WARNING: no Chromium at \/nonexistent\/chromium/g)?.length).toBe(1);
      const html = readFileSync(join(build.dir, 'dist/understand/d/index.html'), 'utf8');
      expect(html.match(/data-diagram-fallback="source"/g)?.length).toBe(2);
      expect(html).toContain('A-&gt;&gt;B: FIN');
    } finally {
      build.cleanup();
    }
  }, 180_000);
});
