// The chooser's answers for a table of situations, each taken from the pages' own verdicts. The cases
// marked "tree" are the leaves of the Mermaid decision tree on content/docs/mitigate/choose.mdx, so the
// tree and the island cannot drift apart silently.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Answers, CATALOG, DEFAULT_ANSWERS, QUESTIONS } from '../../src/mitigations/catalog.ts';
import {
  answersFromQuery,
  answersToQuery,
  choose,
  matches,
  RECOMMEND_AT,
} from '../../src/mitigations/choose.ts';

const a = (over: Partial<Answers>): Answers => ({ ...DEFAULT_ANSWERS, ...over });

interface Case {
  name: string;
  answers: Partial<Answers>;
  /** The first recommendations, in order (a prefix of the ranking). */
  top: string[];
  /** Must be listed as "not for you". */
  excluded?: string[];
  /** Must not be recommended (score below RECOMMEND_AT, or excluded). */
  notRecommended?: string[];
}

const CASES: Case[] = [
  {
    name: 'tree: restarted server, bind() fails with EADDRINUSE',
    answers: { symptom: 'eaddrinuse', role: 'server' },
    top: ['reuseaddr'],
    excluded: ['tw-reuse', 'tw-recycle'],
  },
  {
    name: 'tree: client that binds a fixed port, EADDRINUSE',
    answers: { symptom: 'eaddrinuse', role: 'client' },
    top: ['reuseaddr', 'more-tuples'],
  },
  {
    name: 'tree: Linux client out of ports, application can change',
    answers: { symptom: 'eaddrnotavail', role: 'client', closer: 'me', protocol: 'yes', os: 'linux' },
    top: ['keepalive-pooling', 'who-closes-first', 'more-tuples', 'tw-reuse'],
    excluded: ['shorter-timewait', 'tw-recycle'],
  },
  {
    name: 'tree: Linux client out of ports, only system settings can change',
    answers: { symptom: 'eaddrnotavail', role: 'client', protocol: 'no', os: 'linux' },
    top: ['more-tuples', 'tw-reuse'],
    excluded: ['keepalive-pooling', 'who-closes-first', 'shorter-timewait'],
  },
  {
    name: 'tree: FreeBSD client out of ports, only system settings can change',
    answers: { symptom: 'eaddrnotavail', role: 'client', protocol: 'no', os: 'freebsd' },
    top: ['more-tuples', 'shorter-timewait'],
    excluded: ['tw-reuse', 'max-tw-buckets'],
  },
  {
    name: 'Windows client out of ports, only system settings can change',
    answers: { symptom: 'eaddrnotavail', role: 'client', protocol: 'no', os: 'windows' },
    top: ['more-tuples', 'shorter-timewait'],
    excluded: ['tw-reuse'],
  },
  {
    name: 'tree: server that closes first, many TIME_WAIT, no errors',
    answers: { symptom: 'many', role: 'server', closer: 'me' },
    top: ['timestamps-paws'],
    excluded: ['tw-reuse'],
    notRecommended: ['linger-zero', 'max-tw-buckets'],
  },
  {
    name: 'tree: client with many TIME_WAIT, no errors, application can change',
    answers: { symptom: 'many', role: 'client', protocol: 'yes' },
    top: ['keepalive-pooling'],
    notRecommended: ['linger-zero', 'tw-reuse'],
  },
  {
    name: 'tree: client with many TIME_WAIT, nothing can change: nothing stands out',
    answers: { symptom: 'many', role: 'client', protocol: 'no' },
    top: [],
  },
  {
    name: 'loopback client on Linux: tcp_tw_reuse is already on there, pools still first',
    answers: { symptom: 'eaddrnotavail', role: 'client', loopback: 'yes', os: 'linux' },
    top: ['keepalive-pooling', 'more-tuples'],
  },
  {
    name: 'the other side closes first: zero linger cannot help here',
    answers: { symptom: 'eaddrnotavail', role: 'client', closer: 'peer' },
    top: ['keepalive-pooling', 'more-tuples'],
    excluded: ['linger-zero'],
    notRecommended: ['who-closes-first'],
  },
  {
    name: 'server behind NAT with many TIME_WAIT: timestamps help less',
    answers: { symptom: 'many', role: 'server', closer: 'me', nat: 'yes' },
    top: ['keepalive-pooling', 'timestamps-paws'],
  },
  {
    name: 'macOS server restart',
    answers: { symptom: 'eaddrinuse', role: 'server', os: 'macos' },
    top: ['reuseaddr'],
    excluded: ['tw-reuse', 'max-tw-buckets', 'tw-recycle'],
  },
];

describe('choose(): the ranking for a table of situations', () => {
  it('has at least ten cases', () => expect(CASES.length).toBeGreaterThanOrEqual(10));

  for (const c of CASES) {
    it(c.name, () => {
      const r = choose(a(c.answers));
      const recommended = r.ranked.filter((x) => x.score >= RECOMMEND_AT).map((x) => x.slug);
      const shown = r.ranked.map((x) => `${x.slug}=${x.score}`).join(', ');
      expect(recommended.slice(0, c.top.length), `ranking: ${shown}`).toEqual(c.top);
      if (c.top.length === 0) expect(recommended, `ranking: ${shown}`).toEqual([]);
      const excluded = r.excluded.map((x) => x.slug);
      for (const slug of c.excluded ?? []) expect(excluded, `${slug} should be excluded`).toContain(slug);
      for (const slug of c.notRecommended ?? []) expect(recommended, `ranking: ${shown}`).not.toContain(slug);
    });
  }

  it('never recommends tcp_tw_recycle, for any combination of answers', () => {
    const all: Answers[] = [DEFAULT_ANSWERS];
    for (const q of QUESTIONS) {
      const next: Answers[] = [];
      for (const base of all) for (const o of q.options) next.push({ ...base, [q.id]: o.value } as Answers);
      all.splice(0, all.length, ...next);
    }
    expect(all.length).toBe(QUESTIONS.reduce((n, q) => n * q.options.length, 1));
    for (const ans of all) {
      const r = choose(ans);
      expect(r.ranked.map((x) => x.slug)).not.toContain('tw-recycle');
      // Every entry appears exactly once, ranked or excluded.
      expect([...r.ranked.map((x) => x.slug), ...r.excluded.map((x) => x.slug)].sort()).toEqual(
        CATALOG.map((m) => m.slug).sort(),
      );
    }
  });

  it('gives every exclusion and every applied rule a reason in both languages', () => {
    for (const m of CATALOG) {
      for (const r of [...m.rules, ...m.never]) {
        expect(r.why.en.length, m.slug).toBeGreaterThan(10);
        expect(r.why.zh.length, m.slug).toBeGreaterThan(4);
      }
      for (const rule of m.rules) {
        for (const [id, want] of Object.entries(rule.when)) {
          const q = QUESTIONS.find((x) => x.id === id);
          expect(q, `${m.slug}: unknown question ${id}`).toBeDefined();
          for (const v of [want].flat()) {
            expect(
              q?.options.some((o) => o.value === v),
              `${m.slug}: ${id}=${String(v)} is not an answer`,
            ).toBe(true);
          }
        }
      }
    }
  });

  it('matches() needs every named question to agree', () => {
    expect(matches({}, DEFAULT_ANSWERS)).toBe(true);
    expect(matches({ role: 'client', os: ['linux', 'macos'] }, a({ os: 'macos' }))).toBe(true);
    expect(matches({ role: 'client', os: ['linux', 'macos'] }, a({ os: 'windows' }))).toBe(false);
  });
});

describe('answers in the URL', () => {
  it('round-trips through the query string', () => {
    const ans = a({ symptom: 'many', role: 'server', nat: 'yes', os: 'windows' });
    expect(answersFromQuery(answersToQuery(ans))).toEqual(ans);
  });

  it('ignores unknown questions and values, keeping the defaults', () => {
    expect(answersFromQuery('?role=router&os=plan9&colour=blue&symptom=eaddrinuse')).toEqual(
      a({ symptom: 'eaddrinuse' }),
    );
  });
});

describe('the decision tree on the page', () => {
  it('names the recommendation of every "tree:" case in both languages', () => {
    const en = readFileSync('content/docs/mitigate/choose.mdx', 'utf8');
    const zh = readFileSync('content/docs/zh-cn/mitigate/choose.mdx', 'utf8');
    for (const text of [en, zh]) {
      expect(text).toMatch(/```mermaid\nflowchart TD/);
      expect(text).toMatch(/<Chooser client:visible lang="(en|zh-cn)" \/>/);
    }
    // Leaves name their first recommendation by a term both languages share.
    const term: Record<string, string> = {
      reuseaddr: 'SO_REUSEADDR',
      'keepalive-pooling': 'Keep-alive',
      'more-tuples': 'IP_BIND_ADDRESS_NO_PORT',
      'timestamps-paws': 'RFC 6191',
    };
    for (const c of CASES.filter((x) => x.name.startsWith('tree:') && x.top[0])) {
      const first = c.top[0] ?? '';
      const want = term[first];
      if (want) for (const text of [en, zh]) expect(text.toLowerCase()).toContain(want.toLowerCase());
    }
  });
});
