import type { Lang } from './schema.ts';

/** UI strings of the comment components, per language. */
const en = {
  hubTitle: 'Questions and answers',
  hubDescription:
    'Questions readers ask about TIME_WAIT, answered with sources, and comments on the chapters.',
  hubIntro:
    'Threads are part of the site: they are shown under their chapter and found by the search. The questions marked “Maintainers’ FAQ” were written by the project from the questions readers keep asking.',
  chapterHeading: 'Questions and comments',
  chapterEmpty: 'No threads on this chapter yet.',
  chapterAll: 'All questions and answers',
  general: 'General',
  question: 'Question',
  comment: 'Comment',
  answered: 'Answered',
  open: 'Open',
  faq: 'Maintainers’ FAQ',
  maintainer: 'maintainer',
  reader: 'reader',
  acceptedAnswer: 'Accepted answer',
  replies: (n: number) => (n === 1 ? '1 reply' : `${n} replies`),
  readThread: 'Read the thread',
  linkToReply: 'Link to this reply',
  linkToThread: 'Link to this thread',
  postedBy: 'by',
  inChapter: 'Chapter',
  backToHub: 'All questions and answers',
  filterChapter: 'Chapter',
  filterStatus: 'Status',
  filterKind: 'Kind',
  sort: 'Sort',
  all: 'All',
  newest: 'Newest first',
  oldest: 'Oldest first',
  mostReplies: 'Most replies',
  title: 'Title',
  shown: (n: number, total: number) => `Showing ${n} of ${total} threads`,
  noMatch: 'No thread matches these filters.',
  askHeading: 'Ask a question or leave a comment',
  askIntro:
    'This site is static: your thread is sent as a prefilled submission to the project’s repository, where the maintainers review it and add it here. Do not include secrets or personal data.',
  askKind: 'What is it?',
  askTitle: 'Title',
  askBody: 'Your question or comment (Markdown, no HTML)',
  askName: 'Display name (optional)',
  askChapter: 'About',
  askSubmit: 'Open the prefilled submission',
  askPreview: 'Submission link',
  askErrorTitle: 'Write a title of 8 to 200 characters.',
  askErrorBody: 'Write at least 20 characters (at most 5000).',
  askErrorName: 'Keep the name under 80 characters, on one line.',
  askReady: 'Ready. The link opens the repository’s form with your text filled in:',
  askNoScript: 'Without JavaScript the form goes straight to the repository’s form.',
  onlyIn: 'This thread exists only in 简体中文.',
  readOriginal: 'Read it in 简体中文',
  liveLoad: 'Load live comments',
  liveNotice: 'Loads a third-party widget',
};
type Strings = typeof en;

const zhCN: Strings = {
  hubTitle: '问答',
  hubDescription: '读者关于 TIME_WAIT 的常见问题（附出处的解答），以及对各章节的评论。',
  hubIntro:
    '这些讨论是网站内容的一部分：显示在对应章节下方，也能被站内搜索找到。标有“维护者 FAQ”的问题由本项目根据读者反复提出的疑问整理撰写。',
  chapterHeading: '问题与评论',
  chapterEmpty: '本章暂时还没有讨论。',
  chapterAll: '全部问答',
  general: '综合',
  question: '提问',
  comment: '评论',
  answered: '已解答',
  open: '待解答',
  faq: '维护者 FAQ',
  maintainer: '维护者',
  reader: '读者',
  acceptedAnswer: '采纳的回答',
  replies: (n: number) => `${n} 条回复`,
  readThread: '查看完整讨论',
  linkToReply: '本回复的链接',
  linkToThread: '本讨论的链接',
  postedBy: '作者',
  inChapter: '章节',
  backToHub: '全部问答',
  filterChapter: '章节',
  filterStatus: '状态',
  filterKind: '类型',
  sort: '排序',
  all: '全部',
  newest: '最新在前',
  oldest: '最早在前',
  mostReplies: '回复最多',
  title: '标题',
  shown: (n: number, total: number) => `显示 ${n} / ${total} 个讨论`,
  noMatch: '没有符合筛选条件的讨论。',
  askHeading: '提问或留言',
  askIntro:
    '本站是静态网站：你的内容会以预填好的表单形式提交到项目仓库，维护者审核后再加入本站。请勿填写密码、密钥或个人隐私。',
  askKind: '类型',
  askTitle: '标题',
  askBody: '问题或评论内容（支持 Markdown，不支持 HTML）',
  askName: '显示名称（可选）',
  askChapter: '相关章节',
  askSubmit: '打开预填好的提交表单',
  askPreview: '提交链接',
  askErrorTitle: '标题请写 8 到 200 个字符。',
  askErrorBody: '内容至少 20 个字符，最多 5000 个字符。',
  askErrorName: '名称请写在一行内，不超过 80 个字符。',
  askReady: '已准备好。下面的链接会打开仓库的表单，并填好你的内容：',
  askNoScript: '未启用 JavaScript 时，表单会直接跳转到仓库的提交页面。',
  onlyIn: '这个讨论只有英文版。',
  readOriginal: '阅读英文原帖',
  liveLoad: '加载实时评论',
  liveNotice: '会加载第三方组件',
};

export function strings(lang: Lang): Strings {
  return lang === 'zh-cn' ? zhCN : en;
}

/** Search filter names and values, in the language of each index. */
export function searchFilters(lang: Lang) {
  return lang === 'zh-cn'
    ? {
        type: '类型',
        chapter: '章节',
        status: '状态',
        values: { chapter: '章节', question: '提问', answer: '回答', comment: '评论' },
        statuses: { answered: '已解答', open: '待解答' },
      }
    : {
        type: 'type',
        chapter: 'chapter',
        status: 'status',
        values: { chapter: 'chapter', question: 'question', answer: 'answer', comment: 'comment' },
        statuses: { answered: 'answered', open: 'open' },
      };
}
