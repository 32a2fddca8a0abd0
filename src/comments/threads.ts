import { type CollectionEntry, getCollection, getEntry } from 'astro:content';
import { GENERAL_CHAPTER } from './loader.ts';
import { commentMarkdownToText, renderCommentMarkdown } from './markdown.ts';
import { type Lang, parseEntryId } from './schema.ts';
import { strings } from './strings.ts';
import { cleanLine } from './text.ts';

/** A reply as the components show it: text cleaned, body rendered to safe HTML. */
export interface ReplyView {
  id: string;
  anchor: string;
  author: string;
  role: 'maintainer' | 'reader';
  date: Date;
  bodyHtml: string;
  bodyText: string;
  accepted: boolean;
}

/** A thread as the components show it. */
export interface ThreadView {
  /** Collection entry id, unique across languages. */
  key: string;
  /** Thread id, unique within a language. */
  id: string;
  anchor: string;
  chapter: string;
  chapterTitle: string;
  /** The chapter page, or undefined for hub-only threads. */
  chapterUrl: string | undefined;
  lang: Lang;
  kind: 'question' | 'comment';
  faq: boolean;
  title: string;
  author: string;
  role: 'maintainer' | 'reader';
  date: Date;
  tags: string[];
  bodyHtml: string;
  bodyText: string;
  replies: ReplyView[];
  accepted: ReplyView | undefined;
  answered: boolean;
  /** The thread's own page. */
  url: string;
  /** Path of the thread page under the base and language, e.g. `qa/understand/arises/x/`. */
  path: string;
}

const BASE = import.meta.env.BASE_URL.replace(/\/?$/, '/');

/** `''` for English (the root locale), `zh-cn/` for Chinese. */
export function langPrefix(lang: Lang): string {
  return lang === 'en' ? '' : `${lang}/`;
}
export function hubUrl(lang: Lang): string {
  return `${BASE}${langPrefix(lang)}qa/`;
}
export function chapterUrl(lang: Lang, chapter: string): string | undefined {
  return chapter === GENERAL_CHAPTER ? undefined : `${BASE}${langPrefix(lang)}${chapter}/`;
}
export function threadUrl(lang: Lang, chapter: string, id: string): string {
  return `${BASE}${langPrefix(lang)}qa/${chapter}/${id}/`;
}

export async function chapterTitle(lang: Lang, chapter: string): Promise<string> {
  if (chapter === GENERAL_CHAPTER) return strings(lang).general;
  const entry = await getEntry('docs', `${langPrefix(lang)}${chapter}`);
  return entry?.data.title ?? chapter;
}

async function toView(entry: CollectionEntry<'comments'>): Promise<ThreadView> {
  const t = entry.data;
  const parts = parseEntryId(entry.id);
  if (!parts) throw new Error(`content/comments/${entry.id}: file name: expected <id>.<lang>.yaml`);
  const replies: ReplyView[] = t.replies.map((r) => ({
    id: r.id,
    anchor: `reply-${r.id}`,
    author: cleanLine(r.author),
    role: r.role,
    date: r.date,
    bodyHtml: renderCommentMarkdown(r.body, BASE),
    bodyText: commentMarkdownToText(r.body),
    accepted: r.id === t.accepted,
  }));
  const accepted = replies.find((r) => r.accepted);
  return {
    key: entry.id,
    id: parts.id,
    anchor: `thread-${parts.id}`,
    chapter: t.chapter,
    chapterTitle: await chapterTitle(t.lang, t.chapter),
    chapterUrl: chapterUrl(t.lang, t.chapter),
    lang: t.lang,
    kind: t.kind,
    faq: t.faq,
    title: cleanLine(t.title),
    author: cleanLine(t.author),
    role: t.role,
    date: t.date,
    tags: t.tags,
    bodyHtml: renderCommentMarkdown(t.body, BASE),
    bodyText: commentMarkdownToText(t.body),
    replies,
    accepted,
    answered: accepted !== undefined,
    url: threadUrl(t.lang, t.chapter, parts.id),
    path: `${langPrefix(t.lang)}qa/${t.chapter}/${parts.id}/`,
  };
}

/**
 * Threads in the order the chapter and the hub show them by default: questions before comments,
 * answered questions before open ones, then FAQ first, then newest first, then by title.
 */
export function defaultOrder(a: ThreadView, b: ThreadView): number {
  const rank = (t: ThreadView) => (t.kind === 'question' ? (t.answered ? 0 : 1) : 2);
  return (
    rank(a) - rank(b) ||
    Number(b.faq) - Number(a.faq) ||
    b.date.getTime() - a.date.getTime() ||
    a.title.localeCompare(b.title)
  );
}

let cache: Promise<ThreadView[]> | undefined;

/** Every thread of every language. */
export function allThreads(): Promise<ThreadView[]> {
  cache ??= getCollection('comments').then((entries) => Promise.all(entries.map(toView)));
  return cache;
}

export async function threadsFor(lang: Lang, chapter?: string): Promise<ThreadView[]> {
  return (await allThreads())
    .filter((t) => t.lang === lang && (chapter === undefined || t.chapter === chapter))
    .sort(defaultOrder);
}

/** Chapters (slug and title) a reader can ask about, in sidebar-independent alphabetical order. */
export async function askableChapters(lang: Lang): Promise<{ slug: string; title: string }[]> {
  const docs = await getCollection('docs');
  const prefix = langPrefix(lang);
  const chapters = docs
    .map((d) => d.id)
    .filter((id) => (lang === 'en' ? !id.startsWith('zh-cn/') : id.startsWith(prefix)))
    .map((id) => id.slice(prefix.length))
    .filter((slug) => slug.includes('/'));
  const out = await Promise.all(
    chapters.map(async (slug) => ({ slug, title: await chapterTitle(lang, slug) })),
  );
  return [
    ...out.sort((a, b) => a.slug.localeCompare(b.slug)),
    { slug: GENERAL_CHAPTER, title: strings(lang).general },
  ];
}

/** Dates as ISO 8601 days (2026-11-20), readable in both languages. */
export function formatDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}
