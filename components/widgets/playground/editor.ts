// The raw scenario editor's checks: the text a person typed → either a scenario the playground can run
// or a list of problems, each "JSON path: message" (the path in the notation the simulator's parser
// uses, e.g. `script[3].at`). Nothing here throws, whatever the text: invalid input is the normal case
// while someone types.

import type { Scenario } from '../../../src/sim/types.ts';
import { crossProblems, normalizeScenario } from '../knobs/scenario-knobs.ts';
import type { Lang, ScenarioJson } from '../knobs/spec.ts';
import { tryParseScenario } from '../runtime/parse.ts';

export interface EditorProblem {
  /** The JSON path ("(top level)" for the whole document, "(text)" for a syntax error). */
  path: string;
  message: string;
}

export type Checked =
  | { ok: true; json: ScenarioJson; scenario: Scenario }
  | { ok: false; problems: EditorProblem[] };

/** Longer texts are refused without parsing (the longest scenario file is about 10 KB). */
export const MAX_EDITOR_CHARS = 200_000;

/** The text the editor shows for a scenario: two-space JSON, as the scenario files are written. */
export function scenarioText(json: ScenarioJson): string {
  return `${JSON.stringify(json, null, 2)}\n`;
}

/** "line 3, column 2" from a character offset. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

const SYNTAX: Record<Lang, (where: string, detail: string) => string> = {
  en: (where, detail) => `not valid JSON at ${where} (${detail})`,
  'zh-cn': (where, detail) => `不是有效的 JSON，位置：${where}（${detail}）`,
};

/** A parser problem "scenario at script[3].at: expected …" split into its path and message. */
export function splitProblem(p: string): EditorProblem {
  const m = /^[^:]*? at ([^:]+?): ([\s\S]*)$/.exec(p);
  if (m) return { path: m[1] as string, message: m[2] as string };
  const colon = p.indexOf(': ');
  return colon > 0
    ? { path: '(top level)', message: p.slice(colon + 2) }
    : { path: '(top level)', message: p };
}

/** Check the editor's text: JSON syntax, then the scenario format, then the playground's own limits. */
export function checkText(text: string, lang: Lang): Checked {
  if (text.length > MAX_EDITOR_CHARS)
    return {
      ok: false,
      problems: [
        {
          path: '(text)',
          message:
            lang === 'en'
              ? `the text is ${text.length.toLocaleString('en-US')} characters; the editor takes at most ${MAX_EDITOR_CHARS.toLocaleString('en-US')}`
              : `文本有 ${text.length.toLocaleString('en-US')} 个字符；编辑器最多接受 ${MAX_EDITOR_CHARS.toLocaleString('en-US')} 个`,
        },
      ],
    };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(detail);
    const where = pos ? lineColumn(text, Number(pos[1])) : lang === 'en' ? 'the end' : '末尾';
    // V8 appends "(line …)" itself; keep only its description of the problem.
    const short = detail.replace(/\s*(in JSON )?at position \d+.*$/, '').replace(/^JSON\.parse: /, '');
    return { ok: false, problems: [{ path: '(text)', message: SYNTAX[lang](where, short) }] };
  }
  const parsed = tryParseScenario(raw, 'scenario');
  if (!parsed.ok) return { ok: false, problems: parsed.problems.map(splitProblem) };
  let json: ScenarioJson;
  try {
    json = normalizeScenario(raw);
  } catch (e) {
    return { ok: false, problems: [{ path: '(top level)', message: String(e) }] };
  }
  const cross = crossProblems(json);
  if (cross.length > 0)
    return { ok: false, problems: cross.map((c) => ({ path: 'load', message: c[lang] })) };
  return { ok: true, json, scenario: parsed.scenario };
}
