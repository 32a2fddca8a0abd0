/**
 * Plain-text hygiene for anything a reader wrote (titles, names, bodies before Markdown parsing).
 * It removes what can reorder or hide text rather than escape it (escaping is the renderer's job):
 * bidirectional overrides and isolates, C0/C1 controls other than tab and newline, invisible
 * "tag" characters, and runs of combining marks long enough to spill over neighbouring lines.
 */

// U+202A–U+202E (embeddings, overrides), U+2066–U+2069 (isolates), U+200E/F and U+061C (marks).
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
// C0 and C1 controls except tab and line feed; DEL; the line/paragraph separators.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u2028\u2029]/g;
// Invisible "tag" characters (used to smuggle hidden text), interlinear annotation marks, stray BOMs.
const INVISIBLE = /[\u{E0000}-\u{E007F}\uFFF9-\uFFFB\uFEFF]/gu;
// More than two combining marks in a row ("Zalgo" text) are cut to two.
const COMBINING_RUN = /(\p{M}{2})\p{M}+/gu;
// A UTF-16 surrogate without its pair cannot be written as UTF-8: make it U+FFFD now, not on disk.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function cleanText(s: string): string {
  return s
    .replace(/\r\n?/g, '\n')
    .replace(LONE_SURROGATE, '\uFFFD')
    .normalize('NFC')
    .replace(BIDI, '')
    .replace(CONTROLS, '')
    .replace(INVISIBLE, '')
    .replace(COMBINING_RUN, '$1');
}

/** Single-line text (titles, names): `cleanText` plus collapsed whitespace. */
export function cleanLine(s: string): string {
  return cleanText(s).replace(/\s+/g, ' ').trim();
}
