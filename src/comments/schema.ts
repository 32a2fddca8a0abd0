import { z } from 'astro/zod';

/**
 * The shape of a reader thread (DESIGN §5). One file per thread:
 * `content/comments/<chapter>/<id>.<lang>.yaml`. The same schema checks the content collection at build
 * time and every record `npm run comments:import` reads, so both reject the same things with the same
 * field names. Nothing here is trusted for rendering: bodies are Markdown and go through
 * `src/comments/markdown.ts`, which drops raw HTML and unsafe links.
 */

export const LANGS = ['en', 'zh-cn'] as const;
export type Lang = (typeof LANGS)[number];

/** A chapter slug as in content/docs (`understand/arises`), or `general` for hub-only threads. */
export const CHAPTER_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\/[a-z0-9]+(?:-[a-z0-9]+)*)*$/;
/** Thread and reply ids: lowercase letters, digits and dashes; they become URL segments and anchors. */
export const ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** Dates: a YAML date (parsed to Date) or an ISO 8601 string; never in the far future or past. */
const date = z
  .union(
    [
      z.date(),
      z
        .string()
        .regex(
          /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/,
          'expected a date like 2026-11-20 or 2026-11-20T08:00:00Z',
        ),
    ],
    { error: 'expected a date like 2026-11-20 or 2026-11-20T08:00:00Z' },
  )
  .transform((v) => (v instanceof Date ? v : new Date(v)))
  .refine((d) => !Number.isNaN(d.getTime()), 'expected a valid calendar date')
  .refine(
    (d) => d.getUTCFullYear() >= 1990 && d.getTime() < Date.now() + 2 * 86_400_000,
    'expected a date between 1990 and today',
  );

/** A single-line name: no line breaks, 1–80 characters. */
const name = z
  .string({ error: 'expected a display name (text)' })
  .trim()
  .min(1, 'expected a display name, at least 1 character')
  .max(80, 'expected a display name of at most 80 characters')
  .regex(/^[^\r\n]*$/, 'expected a display name on one line');

/** Markdown text. Raw HTML is allowed in the file but shown as text, never interpreted. */
const markdown = z
  .string({ error: 'expected Markdown text' })
  .trim()
  .min(1, 'expected a non-empty Markdown body')
  .max(20_000, 'expected a body of at most 20000 characters');

/** Names unknown fields (typos such as `auther`) and lists the allowed ones. */
const unknownFields = (allowed: string) => (issue: { code?: string; keys?: string[] }) =>
  issue.code === 'unrecognized_keys'
    ? `unknown field ${issue.keys?.map((k) => `"${k}"`).join(', ')}: expected only ${allowed}`
    : undefined;

export const replySchema = z
  .object(
    {
      id: z.string({ error: 'expected a reply id' }).regex(ID, 'expected a reply id like "r1" (a-z, 0-9, -)'),
      author: name,
      role: z.enum(['maintainer', 'reader'], { error: 'expected role "maintainer" or "reader"' }),
      date,
      body: markdown,
    },
    { error: unknownFields('id, author, role, date, body') },
  )
  .strict();

export const threadSchema = z
  .object(
    {
      chapter: z
        .string({ error: 'expected a chapter slug such as "understand/arises" or "general"' })
        .regex(CHAPTER_SLUG, 'expected a chapter slug such as "understand/arises" or "general"'),
      lang: z.enum(LANGS, { error: 'expected language "en" or "zh-cn"' }),
      kind: z.enum(['question', 'comment'], { error: 'expected kind "question" or "comment"' }),
      /** Written by the project as part of its FAQ (shown with a "Maintainers' FAQ" label). */
      faq: z.boolean({ error: 'expected true or false' }).default(false),
      title: z
        .string({ error: 'expected a title (text)' })
        .trim()
        .min(3, 'expected a title of at least 3 characters')
        .max(200, 'expected a title of at most 200 characters')
        .regex(/^[^\r\n]*$/, 'expected a title on one line'),
      author: name,
      role: z
        .enum(['maintainer', 'reader'], { error: 'expected role "maintainer" or "reader"' })
        .default('reader'),
      date,
      body: markdown,
      tags: z
        .array(
          z
            .string()
            .regex(/^[\p{L}\p{N}][\p{L}\p{N}_.+-]{0,31}$/u, 'expected a tag of letters, digits, _ . + -'),
          { error: 'expected a list of tags' },
        )
        .max(8, 'expected at most 8 tags')
        .default([]),
      replies: z.array(replySchema, { error: 'expected a list of replies' }).max(500).default([]),
      /** The id of the reply that answers the question. */
      accepted: z.string({ error: 'expected the id of a reply' }).optional(),
    },
    {
      error: unknownFields(
        'chapter, lang, kind, faq, title, author, role, date, body, tags, replies, accepted',
      ),
    },
  )
  .strict()
  .superRefine((t, ctx) => {
    const ids = new Set<string>();
    t.replies.forEach((r, i) => {
      if (ids.has(r.id)) {
        ctx.addIssue({ code: 'custom', path: ['replies', i, 'id'], message: `duplicate reply id "${r.id}"` });
      }
      ids.add(r.id);
    });
    if (t.accepted !== undefined) {
      if (t.kind !== 'question') {
        ctx.addIssue({
          code: 'custom',
          path: ['accepted'],
          message: 'only a question can have an accepted answer',
        });
      } else if (!ids.has(t.accepted)) {
        ctx.addIssue({
          code: 'custom',
          path: ['accepted'],
          message: `expected the id of one of this thread's replies, got "${t.accepted}"`,
        });
      }
    }
  });

export type Thread = z.output<typeof threadSchema>;
export type ThreadInput = z.input<typeof threadSchema>;
export type Reply = z.output<typeof replySchema>;

/** `path.to.field: message` for each issue, the way the build and the importer report them. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(record)'}: ${i.message}`);
}

/**
 * Where a thread lives: `content/comments/<chapter>/<id>.<lang>.yaml`. The collection entry id is the
 * path without the extension, so it is unique even when both languages use the same thread id.
 */
export function threadPath(t: { chapter: string; lang: Lang }, id: string): string {
  return `${t.chapter}/${id}.${t.lang}.yaml`;
}

/** Splits a collection entry id (`understand/arises/so-reuseaddr.en`) into its parts. */
export function parseEntryId(entryId: string): { chapter: string; id: string; lang: string } | undefined {
  const m = /^(.+)\/([^/]+)\.([a-z]{2}(?:-[a-z]{2})?)$/.exec(entryId);
  return m ? { chapter: m[1]!, id: m[2]!, lang: m[3]! } : undefined;
}
