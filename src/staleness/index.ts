import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';

// Translation staleness, like Lunaria: a page's "last updated" is the commit time of its source file
// (`git log -1 --format=%ct -- <file>`); a file with uncommitted changes counts as updated now. When a
// page's twin in the other language was updated later, the page says so. Without usable history
// (no git, not a repository, a shallow clone whose dates are all the clone's) nothing is shown and the
// reason is logged once.

export const DOCS_DIR = 'content/docs';
/** The one translated locale: its folder under content/docs and its BCP 47 tag. */
export const LOCALE = { dir: 'zh-cn', lang: 'zh-CN' } as const;

export type Lang = 'en' | 'zh-CN';

export interface Staleness {
  /** Language of the page being read. */
  lang: Lang;
  /** Language of the newer twin. */
  newerLang: Lang;
  /** When the twin was last updated (seconds since the epoch, from git; now if uncommitted). */
  newerAt: number;
  /** When this page was last updated. */
  thisAt: number;
  /** The twin's source file, relative to the repository root given. */
  newerFile: string;
}

export interface StalenessOptions {
  /** Project root: where content/docs is. Defaults to the working directory. */
  root?: string;
  /** "Now" in seconds, for uncommitted files. Defaults to the time of the first call. */
  now?: number;
  /** Where the one-time "no history" message goes. */
  log?: (message: string) => void;
}

interface GitState {
  ok: boolean;
  reason?: string;
  times: Map<string, number>;
}

const states = new Map<string, GitState>();
const startedAt = Math.floor(Date.now() / 1000);

function git(root: string, args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function stateFor(root: string, log: (message: string) => void): GitState {
  let state = states.get(root);
  if (state) return state;
  state = { ok: true, times: new Map() };
  try {
    const shallow = git(root, ['rev-parse', '--is-shallow-repository']).trim();
    if (shallow === 'true') {
      state = { ok: false, reason: 'the repository is a shallow clone', times: new Map() };
    }
  } catch (err) {
    const why = err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err);
    state = {
      ok: false,
      reason: `git is unavailable or this is not a repository (${why})`,
      times: new Map(),
    };
  }
  if (!state.ok) {
    log(
      `translation staleness: no git history in ${root}: ${state.reason}. Pages will not say when their other-language version is newer.`,
    );
  }
  states.set(root, state);
  return state;
}

/** Last update of a file, in seconds: its last commit, or now if it has uncommitted changes. */
function updatedAt(root: string, file: string, state: GitState, now: number): number {
  const known = state.times.get(file);
  if (known !== undefined) return known;
  const dirty = git(root, ['status', '--porcelain', '--', file]).trim() !== '';
  const committed = git(root, ['log', '-1', '--format=%ct', '--', file]).trim();
  const at = dirty || committed === '' ? now : Number(committed);
  state.times.set(file, at);
  return at;
}

/** The same page in the other language, if its source exists (`.md` and `.mdx` are interchangeable). */
export function twinOf(file: string, root: string): string | null {
  const rel = file.split(sep).join('/');
  const prefix = `${DOCS_DIR}/${LOCALE.dir}/`;
  const stem = rel.replace(/\.mdx?$/, '');
  const twinStem = rel.startsWith(prefix)
    ? `${DOCS_DIR}/${stem.slice(prefix.length)}`
    : rel.startsWith(`${DOCS_DIR}/`)
      ? `${prefix}${stem.slice(DOCS_DIR.length + 1)}`
      : null;
  if (!twinStem) return null;
  for (const ext of ['.mdx', '.md']) {
    if (existsSync(join(root, twinStem + ext))) return twinStem + ext;
  }
  return null;
}

/**
 * Whether the other-language version of a page (given by its source file, relative to the root or
 * absolute) was updated after it. Null when it was not, when the page has no twin, or when there is
 * no usable git history.
 */
export function translationStatus(file: string, opts: StalenessOptions = {}): Staleness | null {
  const root = opts.root ?? process.cwd();
  const rel = (isAbsolute(file) ? relative(root, file) : file).split(sep).join('/');
  const twin = twinOf(rel, root);
  if (!twin) return null;
  const state = stateFor(root, opts.log ?? ((m) => console.warn(`[twg-staleness] ${m}`)));
  if (!state.ok) return null;
  const now = opts.now ?? startedAt;
  let thisAt: number;
  let twinAt: number;
  try {
    thisAt = updatedAt(root, rel, state, now);
    twinAt = updatedAt(root, twin, state, now);
  } catch (err) {
    (opts.log ?? console.warn)(`translation staleness: git failed for ${rel}: ${String(err)}`);
    return null;
  }
  if (twinAt <= thisAt) return null;
  const lang: Lang = rel.startsWith(`${DOCS_DIR}/${LOCALE.dir}/`) ? LOCALE.lang : 'en';
  return { lang, newerLang: lang === 'en' ? LOCALE.lang : 'en', newerAt: twinAt, thisAt, newerFile: twin };
}

/** Forgets cached git answers (tests make several repositories in one process). */
export function resetStalenessCache(): void {
  states.clear();
}

export function noticeText(s: Staleness): { text: string; link: string } {
  const date = new Intl.DateTimeFormat(s.lang, { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(s.newerAt * 1000),
  );
  if (s.lang === 'en') {
    return {
      text: `The 简体中文 (Chinese) version of this page was updated on ${date}, after this English version. It may contain changes not yet made here.`,
      link: 'Read the Chinese version',
    };
  }
  return {
    text: `本页的英文版于 ${date} 更新，晚于此译文；此译文可能尚未包含这些改动。`,
    link: '阅读英文版',
  };
}
