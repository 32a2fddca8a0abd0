import { type SubmitTarget, submissionUrl } from './config.ts';
import { cleanLine, cleanText } from './text.ts';

/** What the "ask a question / leave a comment" form collects. */
export interface SubmissionDraft {
  kind: 'question' | 'comment';
  chapter: string;
  lang: 'en' | 'zh-cn';
  title: string;
  body: string;
  name: string;
}

/** The fields that fail the form's rules (the same limits the schema and the importer apply). */
export function validateSubmission(d: SubmissionDraft): ('title' | 'body' | 'name')[] {
  const errors: ('title' | 'body' | 'name')[] = [];
  const title = cleanLine(d.title);
  if ([...title].length < 8 || [...title].length > 200) errors.push('title');
  const body = cleanText(d.body).trim();
  if ([...body].length < 20 || [...body].length > 5000) errors.push('body');
  const name = d.name.trim();
  if (name.length > 80 || /[\r\n]/.test(name)) errors.push('name');
  return errors;
}

/**
 * The prefilled submission link. The body ends with a machine-readable line (an HTML comment, hidden
 * by GitHub) carrying the fields `npm run comments:import` needs, so a maintainer can export accepted
 * submissions without retyping them.
 */
export function buildSubmission(target: SubmitTarget, d: SubmissionDraft): string {
  const meta = {
    chapter: d.chapter,
    lang: d.lang,
    kind: d.kind,
    author: cleanLine(d.name) || undefined,
  };
  const body = `${cleanText(d.body).trim()}\n\n<!-- twg-thread ${JSON.stringify(meta).replace(/>/g, '\\u003e')} -->\n`;
  return submissionUrl(target, cleanLine(d.title), body);
}
