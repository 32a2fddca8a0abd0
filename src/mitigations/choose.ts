// A pure function from the reader's answers to a ranked list of mitigations, driven by CATALOG. No DOM,
// no Node APIs: the Preact island, the tests and the build all call the same code.
import {
  type Answers,
  CATALOG,
  DEFAULT_ANSWERS,
  type Localized,
  type Mitigation,
  QUESTIONS,
  type QuestionId,
  type When,
} from './catalog.ts';

export interface Ranked {
  slug: string;
  title: Localized;
  score: number;
  /** The reasons of every rule that applied, strongest first. */
  reasons: Localized[];
  costs: Localized;
}

export interface Excluded {
  slug: string;
  title: Localized;
  why: Localized;
}

export interface Choice {
  ranked: Ranked[];
  excluded: Excluded[];
  notes: Localized[];
}

export function matches(when: When, answers: Answers): boolean {
  return Object.entries(when).every(([id, want]) => {
    const have = answers[id as QuestionId];
    return Array.isArray(want) ? want.includes(have) : want === have;
  });
}

/** Entries with a score of at least this are recommended; the rest are listed as "also possible". */
export const RECOMMEND_AT = 20;

export function choose(answers: Answers, catalog: readonly Mitigation[] = CATALOG): Choice {
  const ranked: Ranked[] = [];
  const excluded: Excluded[] = [];
  for (const m of catalog) {
    const never = m.never.find((x) => matches(x.when, answers));
    if (never) {
      excluded.push({ slug: m.slug, title: m.title, why: never.why });
      continue;
    }
    const applied = m.rules.filter((r) => matches(r.when, answers)).sort((a, b) => b.add - a.add);
    ranked.push({
      slug: m.slug,
      title: m.title,
      score: m.base + applied.reduce((s, r) => s + r.add, 0),
      reasons: applied.map((r) => r.why),
      costs: m.costs,
    });
  }
  // Stable sort: equal scores keep catalog order (the sidebar order of the pages).
  ranked.sort((a, b) => b.score - a.score);

  const notes: Localized[] = [];
  if (answers.symptom === 'many') {
    notes.push({
      en: 'Many TIME_WAIT entries without errors are usually harmless: each one is a few hundred bytes and no file descriptor. Act only when ports toward one destination run out.',
      zh: '大量 TIME_WAIT 条目但没有报错，通常无害：每个条目只有几百字节，也不占文件描述符。只有通往同一目的地的端口耗尽时才需要处理。',
    });
  }
  if (answers.symptom === 'eaddrnotavail' && answers.role === 'server') {
    notes.push({
      en: 'EADDRNOTAVAIL comes from connect(), so it is the host that opens connections: answer "client" for it, even if it is also a server.',
      zh: 'EADDRNOTAVAIL 来自 connect()，出问题的是发起连接的那台主机：即使它同时也是服务器，也请选"客户端"。',
    });
  }
  if (answers.symptom === 'eaddrnotavail' && answers.closer === 'peer') {
    notes.push({
      en: 'If the other side closes first, TIME_WAIT is on the other side: look for another holder of your ports (ss -tan), or check that your side really does not close first.',
      zh: '如果是对端先关闭，TIME_WAIT 就在对端：请用 ss -tan 查看端口被什么占着，或确认本端确实不是先关闭的一方。',
    });
  }
  return { ranked, excluded, notes };
}

/** Reads answers from a query string (`?symptom=eaddrinuse&role=server`); unknown or missing values fall back to the defaults. */
export function answersFromQuery(search: string): Answers {
  const params = new URLSearchParams(search);
  const out: Record<string, string> = { ...DEFAULT_ANSWERS };
  for (const q of QUESTIONS) {
    const v = params.get(q.id);
    if (v !== null && q.options.some((o) => o.value === v)) out[q.id] = v;
  }
  return out as Answers;
}

/** The query string for a set of answers, in question order. */
export function answersToQuery(answers: Answers): string {
  return `?${QUESTIONS.map((q) => `${q.id}=${encodeURIComponent(answers[q.id])}`).join('&')}`;
}
