// @ts-check

import { unified } from '@astrojs/markdown-remark';
import mdx from '@astrojs/mdx';
import preact from '@astrojs/preact';
import starlight from '@astrojs/starlight';
import { defineConfig } from 'astro/config';
import { commentsSearch } from './src/comments/search.ts';
import { embedBundle } from './src/integrations/embed-bundle.ts';
import { translationParity } from './src/integrations/translation-parity.ts';
import { codeStylesheetFirst } from './src/markdown/code-stylesheet.ts';
import { mermaidRehypePlugins } from './src/markdown/mermaid.ts';
import { remarkMermaid } from './src/markdown/remark-mermaid.ts';
import { offline } from './src/offline/build.ts';

// Where the site is served. Set SITE_URL (origin) and BASE_PATH (sub-path, e.g. /timewait-guide) when
// deploying; both default to a local server at the root.
const site = process.env.SITE_URL ?? 'http://localhost:4321';
const base = process.env.BASE_PATH ?? '/';

export default defineConfig({
  site,
  base,
  // Top-level content/, components/ and public/ (DESIGN §1): Astro's source root is the project root, so
  // Starlight finds its docs at ./content/docs with every feature (sidebars, asides) intact.
  srcDir: '.',
  trailingSlash: 'always',
  outDir: process.env.TWG_OUT_DIR ?? './dist',
  vite: {
    environments: {
      client: {
        build: {
          rolldownOptions: {
            output: {
              // Modules every simulator widget loads together go into one chunk each (issue 4's 40 KB budget
              // is gzipped bytes per page, and each extra file costs its own gzip header and dictionary).
              // Left to itself Rolldown splits them along the lines of which island imports what: the
              // playground and the embed configurator use slightly different sets, which cut the shared
              // code into five or six chunks that a chapter page then loads one by one.
              codeSplitting: {
                groups: [
                  {
                    name: 'preact',
                    test: /node_modules[\\/](preact|@astrojs[\\/]preact)[\\/]/,
                    priority: 20,
                  },
                  {
                    name: 'widget-base',
                    test: /[\\/]components[\\/](widgets[\\/]runtime[\\/](i18n|url-hash|time)\.ts|widgets[\\/]EmbedButton\.tsx|labs[\\/](i18n\.ts|lazy-chart\.tsx))$/,
                    priority: 15,
                  },
                  {
                    name: 'widget-core',
                    // The islands' shared parts and what they import (includeDependenciesRecursively): the
                    // simulator's runtime, not its scenario parser, load generator or text views, which only
                    // the playground and the CLI use.
                    test: /[\\/](src[\\/]sim[\\/]simulation\.ts|components[\\/]widgets[\\/](SequenceDiagram|StateMachine|Timeline|DropBar|SsTable|Transcript|TcpdumpLog)\.tsx|components[\\/]widgets[\\/]runtime[\\/](interventions|run|transcript|playback|scenario-run)\.ts)$/,
                    priority: 10,
                  },
                ],
              },
            },
          },
        },
      },
    },
  },
  markdown: {
    processor: unified({
      remarkPlugins: [remarkMermaid],
      rehypePlugins: /** @type {any} */ (mermaidRehypePlugins()),
    }),
  },
  integrations: [
    translationParity(),
    starlight({
      title: { en: 'TIME_WAIT, Explained', 'zh-CN': 'TIME_WAIT 详解' },
      description: "An interactive field guide to TCP's TIME_WAIT state.",
      favicon: '/favicon.svg',
      defaultLocale: 'root',
      locales: {
        root: { label: 'English', lang: 'en' },
        'zh-cn': { label: '简体中文', lang: 'zh-CN' },
      },
      logo: { src: './public/logo.svg', alt: 'TIME_WAIT, Explained' },
      customCss: ['./components/styles/site.css', './components/styles/print.css'],
      lastUpdated: false,
      // Chapters that host an embeddable widget announce its oEmbed response (src/embed/).
      routeMiddleware: './src/embed/route-data.ts',
      pagination: true,
      sidebar: [
        {
          label: 'Understand',
          translations: { 'zh-CN': '理解' },
          items: [{ autogenerate: { directory: 'understand' } }],
        },
        {
          label: 'Mitigate',
          translations: { 'zh-CN': '缓解' },
          items: [{ autogenerate: { directory: 'mitigate' } }],
        },
        { label: 'Playground', translations: { 'zh-CN': '实验场' }, link: 'playground/' },
        {
          label: 'Reference',
          translations: { 'zh-CN': '参考' },
          items: [{ autogenerate: { directory: 'reference' } }],
        },
        // The Q&A hub (pages/qa/, pages/zh-cn/qa/); Starlight adds the locale prefix and base path.
        { label: 'Q&A', translations: { 'zh-CN': '问答' }, link: 'qa/' },
        // Embed any lab in another site (content/docs/embed.mdx, src/embed/).
        { label: 'Embed', translations: { 'zh-CN': '嵌入' }, link: 'embed/' },
      ],
      // Chapters end with their reader threads (components/comments/ChapterThreads.astro).
      components: {
        // Head: web app manifest, service worker and update notice; Banner: translation staleness notice.
        Head: './components/overrides/Head.astro',
        Banner: './components/overrides/Banner.astro',
        MarkdownContent: './components/overrides/MarkdownContent.astro',
      },
      expressiveCode: {
        shiki: { langAlias: { sysctl: 'ini' } },
        styleOverrides: { borderRadius: '0.3rem' },
      },
      head: [{ tag: 'meta', attrs: { name: 'theme-color', content: '#17181c' } }],
    }),
    // Expressive Code's stylesheet first in each page's content, not in its first code block (issue 9).
    codeStylesheetFirst(),
    // After starlight(): adds reply records to the Pagefind index Starlight has just written.
    commentsSearch(),
    mdx(),
    preact(),
    // embed/v1/embed.js, resize.js and the widget chunks host pages load by a fixed URL.
    embedBundle(),
    // Last: writes the service worker from the final build output (pages, chunks, Pagefind indexes).
    offline(),
  ],
});
