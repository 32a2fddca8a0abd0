import { defineCollection } from 'astro:content';
import { docsLoader, i18nLoader } from '@astrojs/starlight/loaders';
import { docsSchema, i18nSchema } from '@astrojs/starlight/schema';
import { commentsLoader } from './src/comments/loader.ts';
import { threadSchema } from './src/comments/schema.ts';
import { chapterFields } from './src/content/chapter-schema.ts';

export const collections = {
  docs: defineCollection({ loader: docsLoader(), schema: docsSchema({ extend: chapterFields }) }),
  i18n: defineCollection({ loader: i18nLoader(), schema: i18nSchema() }),
  // Reader comments and Q&A threads (DESIGN §5): content/comments/<chapter>/<id>.<lang>.yaml.
  comments: defineCollection({ loader: commentsLoader(), schema: threadSchema }),
};
