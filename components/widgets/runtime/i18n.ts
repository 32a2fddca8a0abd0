// Labels for the widget toolkit in the guide's two languages. Widgets take a `lang` prop from the page:
// anything starting with "zh" is Chinese, the rest English.
//
// The tables live in ./labels-en.ts and ./labels-zh.ts, and importing one registers it. An island for a
// chapter page imports only its page's language (CloseExplorer.en.tsx, CloseExplorer.zh.tsx), which
// keeps the other language's strings out of that page's JavaScript budget; ./i18n-all.ts registers
// both for widgets that switch at run time.

import type { EN } from './labels-en.ts';

export type Lang = 'en' | 'zh-CN';
export type Labels = typeof EN;

export function normalizeLang(lang: string | undefined | null): Lang {
  return typeof lang === 'string' && lang.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

const registry: Partial<Record<Lang, Labels>> = {};

export function registerLabels(lang: Lang, table: Labels): void {
  registry[lang] = table;
}

/** The labels of `lang`; the other language when only that one is loaded (better than a blank). */
export function labels(lang: Lang): Labels {
  const table = registry[lang] ?? registry.en ?? registry['zh-CN'];
  if (table === undefined) throw new Error('widget labels: import ./labels-en.ts or ./labels-zh.ts first');
  return table;
}

/** A host's name in running text ("client", "客户端"). */
export function hostName(lang: Lang, host: string, capital = false): string {
  const l = labels(lang);
  return (capital ? l.hostCap[host] : l.host[host]) ?? host;
}
