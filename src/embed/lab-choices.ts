// Build-time only: the embeddable labs in reading order, with what the Embed page shows of each (its
// choices, its home chapter and that chapter's title in both languages), from src/embed/places.ts and
// src/embed/lab-data.ts. Used by the configurator island's props and the gallery.
import { getEntry } from 'astro:content';
import type { LabChoice } from '../../components/embed/Configurator.tsx';
import { labData } from './lab-data.ts';
import { LAB_META } from './labs.ts';
import { LAB_PLACES } from './places.ts';

async function chapterTitle(chapter: string, lang: 'en' | 'zh-cn'): Promise<string> {
  const id = `${lang === 'zh-cn' ? 'zh-cn/' : ''}${chapter.replace(/\/$/, '') || 'index'}`;
  const entry = await getEntry('docs', id);
  return entry?.data.title ?? chapter;
}

/** The labs, with the labels of `lang` (titles stay in both: the generated code may be in the other). */
export async function labChoices(lang: 'en' | 'zh-cn'): Promise<LabChoice[]> {
  const out: LabChoice[] = [];
  for (const [name, place] of Object.entries(LAB_PLACES)) {
    const meta = LAB_META[name];
    if (!meta) continue;
    const data = labData(name);
    const choice: LabChoice = {
      name,
      title: meta.title,
      chapter: place.chapter,
      chapterTitle: await chapterTitle(place.chapter, lang),
      id: place.id,
      kind: meta.kind,
    };
    if (data.kind === 'scenario') {
      choice.variants = data.variants.map((v) => ({ key: v.key, label: v.label[lang] }));
      choice.initial = data.initial;
      choice.defaults = data.defaults;
    } else {
      Object.assign(choice, {
        rates: data.rates,
        ranges: data.ranges,
        pools: data.pools,
        rate: data.rate,
        range: data.range,
        pool: data.pool,
      });
    }
    out.push(choice);
  }
  return out;
}
