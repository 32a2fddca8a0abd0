import { existsSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import * as pagefind from 'pagefind';

/** Where the build leaves the reply records (pages/comments-search.json.ts); removed after indexing. */
export const RECORDS_FILE = 'comments-search.json';

export interface SearchRecord {
  /** Site-relative URL without the base path, as Pagefind stores page URLs: `/qa/general/x/#reply-a`. */
  url: string;
  content: string;
  /** Pagefind's language key for the page's index: `en` or `zh-cn`. */
  language: string;
  meta: Record<string, string>;
  filters: Record<string, string[]>;
}

/**
 * Adds every reply to the site's Pagefind index as its own record (type "answer" or "comment"), so a
 * search finds the reply and links to its anchor. Thread and chapter pages are indexed from their HTML
 * as usual. Starlight writes its index first (its build hook runs before this one); this rebuilds the
 * same index from the same HTML plus these records, so there is still one index per language, no merge
 * bundle, and the search UI shows one set of filters. Keep this integration after starlight() and before
 * anything that copies dist/pagefind (an offline cache, for example).
 */
export function commentsSearch(): AstroIntegration {
  return {
    name: 'twg-comments-search',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const recordsPath = fileURLToPath(new URL(RECORDS_FILE, dir));
        const outputPath = fileURLToPath(new URL('./pagefind/', dir));
        if (!existsSync(recordsPath)) return;
        const records = JSON.parse(readFileSync(recordsPath, 'utf8')) as SearchRecord[];
        rmSync(recordsPath);
        if (!existsSync(outputPath)) {
          logger.warn('no Pagefind index to extend (is Starlight’s search off?); replies are not indexed');
          return;
        }
        const started = performance.now();
        try {
          // Labs (Astro islands) render their first frame as HTML: packet lists and state tables that
          // repeat "TIME_WAIT → CLOSED" hundreds of times. Indexed, they made every page with a lab outrank
          // the page that explains a term (tests/e2e/search-quality.test.ts); they are UI, not prose.
          const { index, errors } = await pagefind.createIndex({ excludeSelectors: ['astro-island'] });
          if (!index) throw new Error(errors.join('; '));
          const added = await index.addDirectory({ path: fileURLToPath(dir) });
          if (added.errors.length) throw new Error(added.errors.join('; '));
          for (const record of records) {
            const r = await index.addCustomRecord(record);
            if (r.errors.length) throw new Error(`${record.url}: ${r.errors.join('; ')}`);
          }
          rmSync(outputPath, { recursive: true, force: true });
          const written = await index.writeFiles({ outputPath });
          if (written.errors.length) throw new Error(written.errors.join('; '));
          logger.info(
            `Indexed ${added.page_count} pages and ${records.length} replies in ${Math.round(performance.now() - started)} ms.`,
          );
        } finally {
          await pagefind.close();
        }
      },
    },
  };
}
