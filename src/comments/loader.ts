import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Loader } from 'astro/loaders';
import { glob } from 'astro/loaders';
import { LANGS, parseEntryId } from './schema.ts';

/** Hub-only threads that belong to no chapter. */
export const GENERAL_CHAPTER = 'general';

/** Does content/docs hold this chapter in this language? */
export function chapterExists(root: string, chapter: string, lang: string): boolean {
  const dir = lang === 'en' ? join(root, 'content/docs') : join(root, 'content/docs', lang);
  return ['.md', '.mdx', '/index.md', '/index.mdx'].some((ext) => existsSync(join(dir, chapter + ext)));
}

/**
 * The `comments` collection: `content/comments/<chapter>/<id>.<lang>.yaml`, validated by the schema
 * (Astro names the file and field of every schema error). After loading, checks what the schema cannot
 * see: that the file's folder and name agree with its `chapter` and `lang` fields, and that the
 * chapter exists in that language. Any mismatch fails the build with every offending file listed.
 */
export function commentsLoader(): Loader {
  const inner = glob({
    pattern: '**/*.{yaml,yml}',
    base: './content/comments',
    generateId: ({ entry }) => entry.replace(/\.ya?ml$/, ''),
  });
  return {
    name: 'twg-comments',
    load: async (context) => {
      await inner.load(context);
      const root = fileURLToPath(context.config.root);
      const problems: string[] = [];
      for (const entry of context.store.values()) {
        const file = entry.filePath ?? `content/comments/${entry.id}.yaml`;
        const parts = parseEntryId(entry.id);
        const data = entry.data as { chapter: string; lang: string };
        if (!parts || !(LANGS as readonly string[]).includes(parts.lang)) {
          problems.push(`${file}: file name: expected <id>.<lang>.yaml with lang one of ${LANGS.join(', ')}`);
          continue;
        }
        if (parts.chapter !== data.chapter) {
          problems.push(
            `${file}: chapter: the file is under "${parts.chapter}/" but its chapter field says "${data.chapter}"`,
          );
        }
        if (parts.lang !== data.lang) {
          problems.push(
            `${file}: lang: the file name says "${parts.lang}" but its lang field says "${data.lang}"`,
          );
        }
        if (data.chapter !== GENERAL_CHAPTER && !chapterExists(root, data.chapter, data.lang)) {
          problems.push(
            `${file}: chapter: no chapter "${data.chapter}" in language "${data.lang}" under content/docs (use "${GENERAL_CHAPTER}" for hub-only threads)`,
          );
        }
      }
      if (problems.length) {
        throw new Error(`Invalid comment threads:\n  ${problems.join('\n  ')}`);
      }
    },
  };
}
