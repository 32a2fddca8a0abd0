import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { load } from 'js-yaml';
import { chapterExists, GENERAL_CHAPTER } from './loader.ts';
import { describeIssues, ID, type Thread, threadPath, threadSchema } from './schema.ts';
import { cleanLine, cleanText } from './text.ts';

/**
 * `npm run comments:import -- <export.json>`: turns an export (an array of thread records, or
 * `{ "threads": [...] }`) into thread files under content/comments/. Every record is sanitised, then
 * validated with the collection's own schema; valid ones are written, merged by id with what is already
 * there (new replies are added, nothing is removed or rewritten); every record that is set aside is
 * listed in the report with its reason. Importing the same export again changes no file.
 */

export type Outcome =
  | {
      status: 'created' | 'updated' | 'unchanged';
      id: string;
      lang: string;
      file: string;
      newReplies?: number;
      /**
       * Fields where the record differs from the thread file that already holds its id. The import only
       * adds replies to an existing thread, so these changes were not applied; they are listed here (and
       * printed) so that an edit made at the source is never lost without a word.
       */
      notApplied?: string[];
    }
  | { status: 'duplicate'; index: number; id: string; of: number }
  | { status: 'rejected'; index: number; id: string | undefined; reasons: string[] };

export interface ImportReport {
  source: string;
  records: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Records identical to an earlier record of the same export: imported once. */
  duplicate: number;
  /** Records merged into an existing thread whose other changes were not applied (see `notApplied`). */
  notApplied: number;
  rejected: number;
  outcomes: Outcome[];
}

const STRING_FIELDS = ['title', 'author', 'chapter', 'lang', 'kind', 'role', 'accepted', 'id'] as const;

/** Cleans the text of a raw record without judging it (judging is the schema's job). */
export function sanitizeRecord(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const out: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  for (const key of STRING_FIELDS) if (typeof out[key] === 'string') out[key] = cleanLine(out[key] as string);
  if (typeof out.body === 'string') out.body = cleanText(out.body).trim();
  if (Array.isArray(out.tags)) out.tags = out.tags.map((t) => (typeof t === 'string' ? cleanLine(t) : t));
  if (Array.isArray(out.replies)) {
    out.replies = out.replies.map((r) => {
      if (typeof r !== 'object' || r === null) return r;
      const reply: Record<string, unknown> = { ...(r as Record<string, unknown>) };
      for (const key of ['id', 'author', 'role'] as const) {
        if (typeof reply[key] === 'string') reply[key] = cleanLine(reply[key] as string);
      }
      if (typeof reply.body === 'string') reply.body = cleanText(reply.body).trim();
      return reply;
    });
  }
  return out;
}

function dateString(d: Date): string {
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
}

/**
 * A quoted YAML string: double-quoted (JSON escapes are valid YAML), or single-quoted when that avoids
 * escaping double quotes, the way Biome's YAML formatter writes it (so imported files pass `biome check`).
 */
export function quote(value: string): string {
  const json = JSON.stringify(value);
  const otherEscapes = json.slice(1, -1).replace(/\\"/g, '').includes('\\');
  const doubles = value.split('"').length - 1;
  const singles = value.split("'").length - 1;
  if (!otherEscapes && doubles > singles) return `'${value.replaceAll("'", "''")}'`;
  return json;
}

/** A YAML scalar: a block literal for multi-line text when that is unambiguous, JSON-quoted otherwise. */
function scalar(value: string, indent: string): string {
  const lines = value.split('\n');
  if (lines.length > 1 && !/^\s/.test(value) && lines.every((l) => !/\s$/.test(l) || l.trim() === '')) {
    return `|-\n${lines.map((l) => (l === '' ? '' : indent + l)).join('\n')}`;
  }
  return quote(value);
}

/** The file text of a thread, with its fields in a fixed order (so output is stable). */
export function threadToYaml(t: Thread): string {
  const out: string[] = [`chapter: ${quote(t.chapter)}`, `lang: ${quote(t.lang)}`, `kind: ${quote(t.kind)}`];
  if (t.faq) out.push('faq: true');
  out.push(
    `title: ${quote(t.title)}`,
    `author: ${quote(t.author)}`,
    `role: ${quote(t.role)}`,
    `date: ${quote(dateString(t.date))}`,
  );
  if (t.tags.length) out.push(`tags: [${t.tags.map((x) => quote(x)).join(', ')}]`);
  out.push(`body: ${scalar(t.body, '  ')}`);
  if (t.replies.length) {
    out.push('replies:');
    for (const r of t.replies) {
      out.push(
        `  - id: ${quote(r.id)}`,
        `    author: ${quote(r.author)}`,
        `    role: ${quote(r.role)}`,
        `    date: ${quote(dateString(r.date))}`,
        `    body: ${scalar(r.body, '      ')}`,
      );
    }
  }
  if (t.accepted !== undefined) out.push(`accepted: ${quote(t.accepted)}`);
  return `${out.join('\n')}\n`;
}

/** Every existing thread file, by `<lang>/<id>`. */
function existingThreads(commentsDir: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const m = /^(.+)\.([a-z]{2}(?:-[a-z]{2})?)\.ya?ml$/.exec(entry.name);
        if (m) found.set(`${m[2]}/${m[1]}`, full);
      }
    }
  };
  walk(commentsDir);
  return found;
}

function parseThreadFile(file: string): Thread {
  const parsed = threadSchema.safeParse(load(readFileSync(file, 'utf8'), { filename: file }));
  if (!parsed.success) throw new Error(`${file}: ${describeIssues(parsed.error).join('; ')}`);
  return parsed.data;
}

/** A field's value in a comparable form (dates as ISO strings). */
function comparable(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (x instanceof Date ? x.toISOString() : x));
}

/**
 * What an incoming record would change in an existing thread besides adding replies: thread fields,
 * and replies the file already has under the same id but with other content. Returned as report lines.
 */
export function differences(existing: Thread, incoming: Thread): string[] {
  const out: string[] = [];
  for (const field of ['kind', 'faq', 'title', 'author', 'role', 'date', 'body', 'tags'] as const) {
    if (comparable(existing[field]) !== comparable(incoming[field])) {
      out.push(`${field}: differs from the existing file; the file's version was kept`);
    }
  }
  if (
    existing.accepted !== undefined &&
    incoming.accepted !== undefined &&
    existing.accepted !== incoming.accepted
  ) {
    out.push(
      `accepted: the record says "${incoming.accepted}", the file "${existing.accepted}"; the file's was kept`,
    );
  }
  const byId = new Map(existing.replies.map((r) => [r.id, r]));
  for (const r of incoming.replies) {
    const had = byId.get(r.id);
    if (had && comparable(had) !== comparable(r)) {
      out.push(
        `replies.${r.id}: differs from the reply with this id in the file; the file's version was kept`,
      );
    }
  }
  return out;
}

export function importThreads(
  input: unknown,
  options: { root: string; source?: string; dryRun?: boolean },
): ImportReport {
  const commentsDir = join(options.root, 'content/comments');
  const rel = (f: string) => relative(options.root, f).split(sep).join('/');
  const report: ImportReport = {
    source: options.source ?? '(input)',
    records: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    duplicate: 0,
    notApplied: 0,
    rejected: 0,
    outcomes: [],
  };
  const list = Array.isArray(input)
    ? input
    : typeof input === 'object' && input !== null && Array.isArray((input as { threads?: unknown }).threads)
      ? (input as { threads: unknown[] }).threads
      : undefined;
  if (!list) throw new Error('expected a JSON array of thread records, or an object with a "threads" array');
  report.records = list.length;

  const existing = existingThreads(commentsDir);
  /** What this run has accepted so far, by `<lang>/<id>`, to catch duplicates inside the export. */
  const seen = new Map<string, { index: number; text: string }>();

  list.forEach((raw, index) => {
    const reject = (reasons: string[], id?: string) => {
      report.rejected++;
      report.outcomes.push({ status: 'rejected', index, id, reasons });
    };
    const clean = sanitizeRecord(raw);
    if (typeof clean !== 'object' || clean === null || Array.isArray(clean)) {
      reject(['(record): expected an object']);
      return;
    }
    const { id, ...fields } = clean as Record<string, unknown>;
    const idText = typeof id === 'string' ? id : undefined;
    const reasons: string[] = [];
    if (idText === undefined) reasons.push('id: expected a thread id (text)');
    else if (!ID.test(idText))
      reasons.push('id: expected a thread id like "gh-123" (a-z, 0-9, -; at most 64)');
    const parsed = threadSchema.safeParse(fields);
    if (!parsed.success) reasons.push(...describeIssues(parsed.error));
    if (reasons.length || !parsed.success || idText === undefined) {
      reject(reasons, idText);
      return;
    }
    const thread = parsed.data;
    if (thread.chapter !== GENERAL_CHAPTER && !chapterExists(options.root, thread.chapter, thread.lang)) {
      reject(
        [
          `chapter: no chapter "${thread.chapter}" in language "${thread.lang}" (or use "${GENERAL_CHAPTER}")`,
        ],
        idText,
      );
      return;
    }
    const key = `${thread.lang}/${idText}`;
    const text = threadToYaml(thread);
    const earlier = seen.get(key);
    if (earlier) {
      if (earlier.text === text) {
        report.duplicate++;
        report.outcomes.push({ status: 'duplicate', index, id: idText, of: earlier.index });
      } else {
        reject(
          [
            `id: "${idText}" (${thread.lang}) already appears in record ${earlier.index} with different content`,
          ],
          idText,
        );
      }
      return;
    }
    seen.set(key, { index, text });

    const target = join(commentsDir, threadPath(thread, idText));
    const current = existing.get(key);
    if (current && current !== target) {
      reject([`id: "${idText}" (${thread.lang}) is already used by ${rel(current)}`], idText);
      return;
    }
    let next = thread;
    let newReplies = 0;
    let notApplied: string[] = [];
    if (current) {
      // Merge: keep the thread as it is, add the replies it does not have yet.
      const old = parseThreadFile(current);
      const have = new Set(old.replies.map((r) => r.id));
      const added = thread.replies.filter((r) => !have.has(r.id));
      newReplies = added.length;
      notApplied = differences(old, thread);
      next = {
        ...old,
        replies: [...old.replies, ...added],
        accepted: old.accepted ?? thread.accepted,
      };
      if (newReplies === 0 && next.accepted === old.accepted) {
        // Nothing to add: leave the file byte for byte as it is, even if it was written by hand in
        // another layout than threadToYaml's (re-importing must change nothing).
        report.unchanged++;
        if (notApplied.length) report.notApplied++;
        report.outcomes.push({
          status: 'unchanged',
          id: idText,
          lang: thread.lang,
          file: rel(current),
          newReplies: 0,
          ...(notApplied.length ? { notApplied } : {}),
        });
        return;
      }
    }
    const nextText = threadToYaml(next);
    // The merged thread must still be valid (e.g. an accepted answer that exists).
    const check = threadSchema.safeParse(load(nextText));
    if (!check.success) {
      reject(describeIssues(check.error), idText);
      return;
    }
    const before = current ? readFileSync(current, 'utf8') : undefined;
    const status = before === nextText ? 'unchanged' : current ? 'updated' : 'created';
    if (status !== 'unchanged' && !options.dryRun) {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, nextText);
      existing.set(key, target);
    }
    if (notApplied.length) report.notApplied++;
    report[status]++;
    report.outcomes.push({
      status,
      id: idText,
      lang: thread.lang,
      file: rel(target),
      ...(current ? { newReplies } : {}),
      ...(notApplied.length ? { notApplied } : {}),
    });
  });
  return report;
}
