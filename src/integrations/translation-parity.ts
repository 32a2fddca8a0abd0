import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';

/** The locale folders under content/docs; English lives at the root. */
const LOCALE_DIRS = ['zh-cn'];
const PAGE = /\.(md|mdx)$/;

function pagesUnder(dir: string, skip: string[] = []): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) {
        if (d === dir && skip.includes(name)) continue;
        walk(full);
      } else if (PAGE.test(name) && !name.startsWith('_')) {
        out.push(relative(dir, full));
      }
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * Lists every page that lacks its counterpart in the other language. The guide promises that every
 * chapter exists in both English and 简体中文; a page in one language only is a build error.
 */
export function findMissingTranslations(docsDir: string): string[] {
  const english = pagesUnder(docsDir, LOCALE_DIRS);
  const problems: string[] = [];
  const stem = (p: string) => p.replace(PAGE, '');
  for (const locale of LOCALE_DIRS) {
    const localeDir = join(docsDir, locale);
    const translated = pagesUnder(localeDir);
    const translatedStems = new Set(translated.map(stem));
    const englishStems = new Set(english.map(stem));
    for (const page of english) {
      if (!translatedStems.has(stem(page))) {
        problems.push(
          `${relative(process.cwd(), join(docsDir, page))}: translation required but missing — expected ${relative(process.cwd(), join(localeDir, page))}`,
        );
      }
    }
    for (const page of translated) {
      if (!englishStems.has(stem(page))) {
        problems.push(
          `${relative(process.cwd(), join(localeDir, page))}: translation of a page that does not exist — expected ${relative(process.cwd(), join(docsDir, page))}`,
        );
      }
    }
  }
  return problems;
}

export function translationParity(): AstroIntegration {
  return {
    name: 'timewait-guide:translation-parity',
    hooks: {
      'astro:config:setup': ({ config }) => {
        const docsDir = fileURLToPath(new URL('content/docs/', config.srcDir));
        const problems = findMissingTranslations(docsDir);
        if (problems.length > 0) {
          throw new Error(
            `Every page must exist in English and 简体中文 (${problems.length} problem${problems.length > 1 ? 's' : ''}):\n  - ${problems.join('\n  - ')}`,
          );
        }
      },
    },
  };
}
