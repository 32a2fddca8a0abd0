// Reads the parts of a mitigation page that the tests check: fenced code blocks, `##`/`###` headings and
// lab markers. Plain string parsing (no MDX compiler), so a failure can name the exact line.

export interface CodeBlock {
  /** Language as written after the opening fence (`c`, `go`, `python`…), lower-cased. */
  lang: string;
  /** The rest of the info string, e.g. `title="reuseaddr.c"`. */
  meta: string;
  /** `title="…"` from the meta, if any. */
  title: string | undefined;
  /** 1-based line of the opening fence. */
  line: number;
  code: string;
}

export interface Heading {
  depth: 2 | 3;
  text: string;
  line: number;
}

export interface LabMarker {
  scenario: string;
  caption: string;
  line: number;
}

const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)\s*(.*)$/;

/** Every fenced code block of a Markdown/MDX text, in order. An unclosed fence is an error. */
export function codeBlocks(text: string, file = '<text>'): CodeBlock[] {
  const lines = text.split('\n');
  const out: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE_OPEN.exec(lines[i] ?? '');
    if (!open) continue;
    const fence = open[2] ?? '```';
    const start = i;
    const body: string[] = [];
    i++;
    // CommonMark: the closing fence uses the same character, at least as long, and nothing after it.
    while (
      i < lines.length &&
      !new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`).test(lines[i] ?? '')
    ) {
      body.push(lines[i] ?? '');
      i++;
    }
    if (i >= lines.length) throw new Error(`${file}:${start + 1}: code fence ${fence} is never closed`);
    const meta = (open[4] ?? '').trim();
    out.push({
      lang: (open[3] ?? '').toLowerCase(),
      meta,
      title: /title="([^"]*)"/.exec(meta)?.[1],
      line: start + 1,
      code: `${body.join('\n')}\n`,
    });
  }
  return out;
}

/** The text with fenced code blocks blanked out (line numbers kept), so `#` comments are not headings. */
function withoutCode(text: string): string[] {
  const lines = text.split('\n');
  let fence: string | undefined;
  return lines.map((l) => {
    if (fence === undefined) {
      const open = FENCE_OPEN.exec(l);
      if (open) fence = open[2];
      return open ? '' : l;
    }
    if (new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`).test(l)) fence = undefined;
    return '';
  });
}

/** `##` and `###` headings outside code blocks, in order. */
export function headings(text: string): Heading[] {
  const out: Heading[] = [];
  withoutCode(text).forEach((l, i) => {
    const m = /^(#{2,3})\s+(.+?)\s*#*\s*$/.exec(l);
    if (m) out.push({ depth: (m[1] ?? '').length as 2 | 3, text: m[2] ?? '', line: i + 1 });
  });
  return out;
}

const LAB = /\{\/\*\s*lab:\s*([^|*]+?)\s*\|\s*caption:\s*(.+?)\s*\*\/\}/g;
const LAB_COMPONENT = /<ScenarioLab\b[^>]*?\blab="([^"]+)"[^>]*?\/>/g;

/**
 * Labs, in order, outside code blocks: markers `{/* lab: <name> | caption: <sentence> *\/}` and the
 * `<ScenarioLab lab="<name>" caption="…" />` components that replace them (components/labs/).
 */
export function labMarkers(text: string): LabMarker[] {
  const out: LabMarker[] = [];
  withoutCode(text).forEach((l, i) => {
    const found = [
      ...[...l.matchAll(LAB)].map((m) => ({ at: m.index, scenario: m[1] ?? '', caption: m[2] ?? '' })),
      ...[...l.matchAll(LAB_COMPONENT)].map((m) => ({
        at: m.index,
        scenario: m[1] ?? '',
        caption: /\bcaption="([^"]*)"/.exec(m[0])?.[1] ?? '',
      })),
    ].sort((a, b) => a.at - b.at);
    for (const f of found) out.push({ scenario: f.scenario, caption: f.caption, line: i + 1 });
  });
  return out;
}

/** The nine `##` sections of every mitigation page (not the chooser), English → 简体中文. */
export const SECTIONS: ReadonlyArray<readonly [en: string, zh: string]> = [
  ['Verdict', '结论'],
  ['What it does', '它做什么'],
  ['Which side it helps', '帮助哪一端'],
  ['What it costs', '代价'],
  ['Linux versions', 'Linux 版本'],
  ['Other systems', '其他系统'],
  ['Apply it', '如何使用'],
  ['Lab', '实验'],
  ['Sources', '来源'],
];

/** `###` subsections of "Apply it"; the same words in both languages. */
export const APPLY_SUBSECTIONS = ['C', 'Go', 'Python', 'Java', 'Node.js', 'sysctl'] as const;
