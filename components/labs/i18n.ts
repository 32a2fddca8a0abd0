// Labels of the labs in the guide's two languages, registered the way the widget toolkit registers its
// own (components/widgets/runtime/i18n.ts): an island entry imports only its page's language
// (ScenarioLabEn.tsx, ScenarioLabZh.tsx…), so a page carries one language's strings.

import type { ComponentType } from 'preact';
import type { ChartProps } from '../widgets/Chart.tsx';
import type { Lang } from '../widgets/runtime/i18n.ts';
import type { LAB_EN } from './labels-en.ts';

export type LabLabels = typeof LAB_EN;

const registry: Partial<Record<Lang, LabLabels>> = {};

export function registerLabLabels(lang: Lang, table: LabLabels): void {
  registry[lang] = table;
}

export function labLabels(lang: Lang): LabLabels {
  const table = registry[lang] ?? registry.en ?? registry['zh-CN'];
  if (table === undefined) throw new Error('lab labels: import ./labels-en.ts or ./labels-zh.ts first');
  return table;
}

// The counters chart, registered by the island entries of labs that draw one (ScenarioLabChart*.tsx):
// W2's Chart costs ≈2.5 KB gzipped, which the other chapters' pages need not load.
let chart: ComponentType<ChartProps> | undefined;

export function registerCounterView(c: ComponentType<ChartProps>): void {
  chart = c;
}

export function counterView(): ComponentType<ChartProps> | undefined {
  return chart;
}
