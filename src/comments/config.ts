/**
 * The one place that says where new threads go and whether a live widget exists. Reading the site
 * never needs an account or a server: the form only builds a prefilled link that the reader opens.
 */
export interface SubmitTarget {
  /** `issues`: GitHub's new-issue form. `discussions`: GitHub's new-discussion form (needs `category`). */
  kind: 'issues' | 'discussions';
  /** The repository that receives submissions, `owner/name`. */
  repository: string;
  /** GitHub's origin; change it for a GitHub Enterprise server or a mirror. */
  origin: string;
  /** Labels added to new issues (ignored for discussions). */
  labels: string[];
  /** Discussion category slug (only for `discussions`). */
  category?: string;
}

export interface LiveWidget {
  provider: 'giscus';
  /** The script URL; giscus.app by default, or a self-hosted instance readers in mainland China reach. */
  script: string;
  repo: string;
  repoId: string;
  category: string;
  categoryId: string;
}

export const commentsConfig: { submit: SubmitTarget; live: LiveWidget | null } = {
  submit: {
    kind: 'issues',
    repository: 'timewait-guide/timewait-guide',
    origin: 'https://github.com',
    labels: ['reader-thread'],
  },
  // Off by default: no third-party request unless a reader asks for the widget. To turn it on, fill
  // in a giscus configuration (https://giscus.app) here.
  live: null,
};

/** The URL of the prefilled submission form for a title and a body. */
export function submissionUrl(target: SubmitTarget, title: string, body: string): string {
  const repo = `${target.origin.replace(/\/$/, '')}/${target.repository}`;
  const url = new URL(target.kind === 'issues' ? `${repo}/issues/new` : `${repo}/discussions/new`);
  url.searchParams.set('title', title);
  url.searchParams.set('body', body);
  if (target.kind === 'issues' && target.labels.length)
    url.searchParams.set('labels', target.labels.join(','));
  if (target.kind === 'discussions' && target.category) url.searchParams.set('category', target.category);
  return url.href;
}
