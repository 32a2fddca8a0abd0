// "Which fix is mine?": radio questions on the left, the ranked mitigations on the right. The first
// frame is rendered at build time with the default answers; once hydrated, the answers come from and
// go to the URL's query string, so a link reproduces what the reader chose. Plain radio groups keep it
// keyboard operable (Tab between questions, arrow keys within one).
import { useEffect, useMemo, useState } from 'preact/hooks';
import { type Answers, DEFAULT_ANSWERS, type Localized, QUESTIONS } from '../../src/mitigations/catalog.ts';
import { answersFromQuery, answersToQuery, choose, RECOMMEND_AT } from '../../src/mitigations/choose.ts';
import './chooser.css';

interface Props {
  /** Page language, as Starlight names it. */
  lang: 'en' | 'zh-cn';
}

const UI = {
  questions: { en: 'Your situation', zh: '你的情况' },
  recommended: { en: 'Try these, in this order', zh: '按这个顺序尝试' },
  none: {
    en: 'Nothing stands out for these answers: see the list below.',
    zh: '按这些回答，没有特别合适的方案：请看下面的列表。',
  },
  also: { en: 'Also possible', zh: '也可以考虑' },
  excluded: { en: 'Not for you', zh: '不适合你' },
  cost: { en: 'Cost', zh: '代价' },
  share: { en: 'Link to these answers', zh: '这组回答的链接' },
} satisfies Record<string, Localized>;

export default function Chooser({ lang }: Props) {
  const l = lang === 'zh-cn' ? 'zh' : 'en';
  const colon = l === 'zh' ? '：' : ': ';
  const [answers, setAnswers] = useState<Answers>(DEFAULT_ANSWERS);
  const [hydrated, setHydrated] = useState(false);

  useEffect(() => {
    setAnswers(answersFromQuery(window.location.search));
    setHydrated(true);
  }, []);
  useEffect(() => {
    if (!hydrated) return;
    const url = `${window.location.pathname}${answersToQuery(answers)}${window.location.hash}`;
    window.history.replaceState(window.history.state, '', url);
  }, [answers, hydrated]);

  const result = useMemo(() => choose(answers), [answers]);
  const top = result.ranked.filter((r) => r.score >= RECOMMEND_AT);
  const rest = result.ranked.filter((r) => r.score < RECOMMEND_AT);
  const set = (id: string, value: string) => setAnswers((a) => ({ ...a, [id]: value }) as Answers);

  return (
    <div class="twg-chooser not-content" data-hydrated={hydrated ? 'true' : 'false'}>
      <form class="twg-chooser-questions" aria-label={UI.questions[l]} onSubmit={(e) => e.preventDefault()}>
        {QUESTIONS.map((q) => (
          <fieldset key={q.id} data-question={q.id}>
            <legend>{q.label[l]}</legend>
            {q.options.map((o) => (
              <label key={o.value}>
                <input
                  type="radio"
                  name={`twg-chooser-${q.id}`}
                  value={o.value}
                  checked={answers[q.id] === o.value}
                  onChange={() => set(q.id, o.value)}
                />{' '}
                {o.label[l]}
              </label>
            ))}
          </fieldset>
        ))}
      </form>
      <section class="twg-chooser-result" aria-live="polite">
        {result.notes.map((n) => (
          <p class="twg-chooser-note" key={n.en}>
            {n[l]}
          </p>
        ))}
        <h3>{UI.recommended[l]}</h3>
        {top.length === 0 ? (
          <p>{UI.none[l]}</p>
        ) : (
          <ol class="twg-chooser-ranked">
            {top.map((r) => (
              <li key={r.slug} data-slug={r.slug}>
                <a href={`../${r.slug}/`}>{r.title[l]}</a>
                <ul>
                  {r.reasons.map((why) => (
                    <li key={why.en}>{why[l]}</li>
                  ))}
                  <li>
                    <strong>
                      {UI.cost[l]}
                      {colon}
                    </strong>
                    {r.costs[l]}
                  </li>
                </ul>
              </li>
            ))}
          </ol>
        )}
        {rest.length > 0 && (
          <>
            <h3>{UI.also[l]}</h3>
            <ul class="twg-chooser-also">
              {rest.map((r) => (
                <li key={r.slug} data-slug={r.slug}>
                  <a href={`../${r.slug}/`}>{r.title[l]}</a>
                  {colon}
                  {r.costs[l]}
                </li>
              ))}
            </ul>
          </>
        )}
        {result.excluded.length > 0 && (
          <>
            <h3>{UI.excluded[l]}</h3>
            <ul class="twg-chooser-excluded">
              {result.excluded.map((x) => (
                <li key={x.slug} data-slug={x.slug}>
                  <a href={`../${x.slug}/`}>{x.title[l]}</a>
                  {colon}
                  {x.why[l]}
                </li>
              ))}
            </ul>
          </>
        )}
        <p class="twg-chooser-share">
          <a href={answersToQuery(answers)}>{UI.share[l]}</a>
        </p>
      </section>
    </div>
  );
}
