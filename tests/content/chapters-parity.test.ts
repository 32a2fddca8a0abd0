// Every page exists in both languages with the same skeleton: sections, diagrams, code blocks (by
// language, in order), thinking questions, labs (by name, in order) and glossary anchors. The build's
// translation-parity integration only checks that both files exist; this catches a translation that
// dropped a section, a diagram or a lab.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const DOCS = 'content/docs';
const ZH = join(DOCS, 'zh-cn');

function mdxFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return path === ZH && dir === DOCS ? [] : mdxFiles(path);
    return /\.mdx?$/.test(name) ? [path] : [];
  });
}

/** What a translation must keep. Code inside fences is skipped so that a `## ` in a shell sample doesn't count. */
function skeleton(source: string): Record<string, unknown> {
  const body = source.replace(/^---\n[\s\S]*?\n---\n/, '');
  const outside: string[] = [];
  const fences: string[] = [];
  let fence: string | undefined;
  for (const line of body.split('\n')) {
    const open = /^(\s*)(`{3,}|~{3,})(\w[\w+-]*)?/.exec(line);
    if (fence === undefined && open) {
      fence = open[2];
      fences.push(open[3] ?? 'text');
    } else if (
      fence !== undefined &&
      line.trim().startsWith(fence) &&
      line.trim().replace(/[`~]/g, '') === ''
    ) {
      fence = undefined;
    } else if (fence === undefined) {
      outside.push(line);
    }
  }
  const text = outside.join('\n');
  return {
    h2: outside.filter((l) => l.startsWith('## ')).length,
    h3: outside.filter((l) => l.startsWith('### ')).length,
    fences,
    details: (text.match(/<details/g) ?? []).length,
    labMarkers: [...text.matchAll(/\{\/\*\s*lab:\s*([\w-]+)/g)].map((m) => m[1]),
    labs: [...text.matchAll(/<(\w+)[^>]*\bclient:(?:visible|load|idle|only)/g)].map((m) => m[1]),
    // Labs placed through an .astro wrapper carry no client: directive in the MDX: compare them by id and lab.
    scenarioLabs: [...text.matchAll(/<ScenarioLab\b[^>]*?\bid="([^"]+)"[^>]*?\blab="([^"]+)"/g)].map(
      (m) => `${m[1]}:${m[2]}`,
    ),
    headingIds: [...text.matchAll(/<h[2-6] id="([^"]+)"/g)].map((m) => m[1]),
  };
}

const english = mdxFiles(DOCS).sort();

describe('every page in both languages with the same skeleton', () => {
  it('finds the chapters', () => {
    expect(english.length).toBeGreaterThanOrEqual(12);
  });

  it('has no Chinese page without an English one', () => {
    const orphans = mdxFiles(ZH)
      .map((zh) => join(DOCS, relative(ZH, zh)))
      .filter((en) => !english.includes(en));
    expect(orphans, 'Chinese pages whose English twin is missing').toEqual([]);
  });

  for (const en of english) {
    const zh = join(ZH, relative(DOCS, en));
    it(relative(DOCS, en), () => {
      let zhSource: string;
      try {
        zhSource = readFileSync(zh, 'utf8');
      } catch {
        throw new Error(`${en} has no Chinese twin at ${zh}`);
      }
      expect(skeleton(zhSource), `${zh} differs from ${en}`).toEqual(skeleton(readFileSync(en, 'utf8')));
    });
  }
});

describe('skeleton', () => {
  it('sees a dropped section, diagram or lab', () => {
    const page =
      '---\ntitle: x\n---\n## A\n```mermaid\ngraph\n```\n{/* lab: lost-final-ack */}\n<details>q</details>\n';
    const base = skeleton(page);
    expect(skeleton(page.replace('## A\n', ''))).not.toEqual(base);
    expect(skeleton(page.replace('```mermaid\ngraph\n```\n', ''))).not.toEqual(base);
    expect(skeleton(page.replace('lost-final-ack', 'other'))).not.toEqual(base);
    expect(skeleton(page.replace('<details>q</details>', ''))).not.toEqual(base);
    expect(skeleton(`${page}\`\`\`sh\n## not a heading\n\`\`\`\n`)).toMatchObject({
      h2: 1,
      fences: ['mermaid', 'sh'],
    });
  });
});
