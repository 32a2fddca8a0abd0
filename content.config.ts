import { defineCollection } from 'astro:content';
import { docsLoader, i18nLoader } from '@astrojs/starlight/loaders';
import { docsSchema, i18nSchema } from '@astrojs/starlight/schema';
import { chapterFields } from './src/content/chapter-schema.ts';

export const collections = {
  docs: defineCollection({ loader: docsLoader(), schema: docsSchema({ extend: chapterFields }) }),
  i18n: defineCollection({ loader: i18nLoader(), schema: i18nSchema() }),
};
