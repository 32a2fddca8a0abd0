import { z } from 'astro/zod';

/**
 * Fields our chapters add to Starlight's frontmatter. Astro validates them at build time and names the
 * file and the field when one is wrong.
 */
export const chapterFields = z.object({
  /** Primary sources the chapter relies on, shown nowhere yet but checked for shape. */
  sources: z
    .array(
      z.string().min(3, 'a source is an RFC section, kernel file and identifier, man page or named article'),
    )
    .optional(),
});
