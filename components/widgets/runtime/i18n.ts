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

/**
 * A table of strings per language, filled by the modules that hold them (importing labels-zh.ts
 * registers the Chinese table). `get` falls back to the other language when only that one is loaded
 * (better than a blank); `what` names the modules to import in the error when neither is.
 */
export function labelRegistry<T>(what: string): {
  register: (lang: Lang, table: T) => void;
  get: (lang: Lang) => T;
} {
  const tables: Partial<Record<Lang, T>> = {};
  return {
    register: (lang, table) => {
      tables[lang] = table;
    },
    get: (lang) => {
      const table = tables[lang] ?? tables.en ?? tables['zh-CN'];
      if (table === undefined) throw new Error(`${what}: import its English or Chinese module first`);
      return table;
    },
  };
}

const widgetLabels = labelRegistry<Labels>('widget labels (./labels-en.ts, ./labels-zh.ts)');
export const registerLabels = widgetLabels.register;
/** The labels of `lang`; the other language when only that one is loaded. */
export const labels = widgetLabels.get;

/** A host's name in running text ("client", "客户端"). */
export function hostName(lang: Lang, host: string, capital = false): string {
  const l = labels(lang);
  return (capital ? l.hostCap[host] : l.host[host]) ?? host;
}
