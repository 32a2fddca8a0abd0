// The replies of every thread as Pagefind records, read and then deleted by the commentsSearch
// integration (src/comments/search.ts) when the build is done.
import type { APIRoute } from 'astro';
import type { SearchRecord } from '../src/comments/search.ts';
import { searchFilters, strings } from '../src/comments/strings.ts';
import { allThreads, langPrefix } from '../src/comments/threads.ts';

export const GET: APIRoute = async () => {
  const records: SearchRecord[] = [];
  for (const thread of await allThreads()) {
    const f = searchFilters(thread.lang);
    const t = strings(thread.lang);
    for (const reply of thread.replies) {
      const type = thread.kind === 'question' ? 'answer' : 'comment';
      const label =
        type === 'answer' ? (reply.accepted ? t.acceptedAnswer : f.values.answer) : f.values.comment;
      records.push({
        url: `/${langPrefix(thread.lang)}qa/${thread.chapter}/${thread.id}/#${reply.anchor}`,
        content: reply.bodyText,
        language: thread.lang,
        meta: { title: `${label}: ${thread.title}` },
        filters: { [f.type]: [f.values[type]], [f.chapter]: [thread.chapterTitle] },
      });
    }
  }
  return new Response(JSON.stringify(records), { headers: { 'content-type': 'application/json' } });
};
