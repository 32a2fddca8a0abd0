import { describe, expect, it } from 'vitest';
import { commentsConfig, submissionUrl } from '../../src/comments/config.ts';
import { buildSubmission, type SubmissionDraft, validateSubmission } from '../../src/comments/submission.ts';

const draft: SubmissionDraft = {
  kind: 'question',
  chapter: 'understand/arises',
  lang: 'zh-cn',
  title: '为什么是 2MSL 而不是 3MSL？',
  body: '我想知道 2MSL 这个时长是怎么来的，和 TTL 有什么关系。',
  name: '读者',
};

describe('the ask form', () => {
  it('validates title, body and name lengths', () => {
    expect(validateSubmission(draft)).toEqual([]);
    expect(validateSubmission({ ...draft, title: 'short', body: 'too short', name: 'a\nb' })).toEqual([
      'title',
      'body',
      'name',
    ]);
    expect(validateSubmission({ ...draft, body: 'x'.repeat(5001) })).toEqual(['body']);
  });

  it('builds a prefilled issue link with the thread fields the importer needs', () => {
    const url = new URL(buildSubmission(commentsConfig.submit, { ...draft, name: 'x-->y' }));
    expect(url.origin + url.pathname).toBe(
      `https://github.com/${commentsConfig.submit.repository}/${commentsConfig.submit.kind === 'issues' ? 'issues' : 'discussions'}/new`,
    );
    expect(url.searchParams.get('title')).toBe(draft.title);
    const body = url.searchParams.get('body')!;
    expect(body.startsWith(draft.body)).toBe(true);
    const meta = /<!-- twg-thread (.*) -->/.exec(body)!;
    expect(JSON.parse(meta[1]!)).toEqual({
      chapter: 'understand/arises',
      lang: 'zh-cn',
      kind: 'question',
      author: 'x-->y',
    });
  });

  it('can target a discussion category instead', () => {
    const url = new URL(
      submissionUrl(
        { kind: 'discussions', repository: 'o/r', origin: 'https://github.com', labels: [], category: 'q-a' },
        't',
        'b',
      ),
    );
    expect(url.pathname).toBe('/o/r/discussions/new');
    expect(url.searchParams.get('category')).toBe('q-a');
  });
});
