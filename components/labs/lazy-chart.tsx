// A lab's chart is drawn at build time and hydrates without its code. While the chart shows what the
// server drew, the island renders its slot with `dangerouslySetInnerHTML`, which Preact leaves alone
// while hydrating and on later renders that pass the same value, so the server's markup stays as it
// is. Once what the chart shows changes (another variant, a dropped segment, other knobs), the slot
// loads ./chart-view.ts (the chart and the counters series, ≈2.9 KB gzipped) and draws. A reader who
// only reads, scrubs or steps never loads it: issue 4's budget counts what a page loads up front.

import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export type ChartView = typeof import('./chart-view.ts');

/** The chart's language from the lab's (`zh-CN` → `zh-cn`, anything else English). */
export const chartLang = (lang: string): 'en' | 'zh-cn' => (lang === 'zh-CN' ? 'zh-cn' : 'en');

let provided: ChartView | undefined;

/** Where a chart must draw at once: the build (ScenarioLab.astro) and the embeds, which do not hydrate. */
export function provideChartView(view: ChartView): void {
  provided = view;
}

/** The chart code once it is needed: at once where it was provided, else after `stale` turns true. */
export function useChartView(stale: boolean): ChartView | undefined {
  const [view, setView] = useState(provided);
  useEffect(() => {
    if (view !== undefined || !stale) return;
    let live = true;
    import('./chart-view.ts').then((m) => {
      if (live) setView(m);
    });
    return () => {
      live = false;
    };
  }, [stale, view]);
  return view;
}

// One object, so that re-renders pass the same value and Preact does not touch the markup.
const KEEP_SERVER_MARKUP = { __html: '' };

interface ChartSlotProps extends Omit<JSX.HTMLAttributes<HTMLElement>, 'children'> {
  /** What the slot draws once the chart code is here; until then it keeps what the server drew. */
  children: ComponentChildren | undefined;
  /** The chart shows an older run than the lab: set aria-busy while its code loads. */
  stale: boolean;
}

export function ChartSlot({ children, stale, ...attrs }: ChartSlotProps): JSX.Element {
  if (children !== undefined) return <section {...attrs}>{children}</section>;
  return (
    <section {...attrs} aria-busy={stale ? 'true' : undefined} dangerouslySetInnerHTML={KEEP_SERVER_MARKUP} />
  );
}
