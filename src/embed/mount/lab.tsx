// embed/v1/lab.js — any chapter lab inside a <tw-lab lab="…"> shadow root. Loaded by embed.js when such
// an element comes into view; registers itself with window.twgEmbed. The lab's data (its scenarios,
// parsed at build time, and a load lab's first run) comes from embed/v1/lab/<lab>.js, loaded per lab,
// so this file holds the lab components and the simulator but no scenario and no parser.
//
// Built with `location`/`history` bound to ./page-url.ts and `Worker` to ./main-thread-worker.ts
// (src/integrations/embed-bundle.ts): the labs keep their state in a virtual fragment, not the host's.
import { render } from 'preact';
import '../../../components/widgets/runtime/i18n-all.ts';
import '../../../components/labs/labels-en.ts';
import '../../../components/labs/labels-zh.ts';
import '../../../components/labs/load-labels-en.ts';
import '../../../components/labs/load-labels-zh.ts';
import * as chartView from '../../../components/labs/chart-view.ts';
import { LoadLab } from '../../../components/labs/LoadLab.tsx';
import labsCss from '../../../components/labs/labs.css?raw';
import { provideChartView } from '../../../components/labs/lazy-chart.tsx';
import { instantOf, ScenarioLab } from '../../../components/labs/ScenarioLab.tsx';
import chartCss from '../../../components/widgets/chart/chart.css?raw';
import { runScenario } from '../../../components/widgets/runtime/run.ts';
import { encodeState, hashValue, withHashValue } from '../../../components/widgets/runtime/urlState.ts';
import widgetCss from '../../../components/widgets/widgets.css?raw';
import type { EmbedGlobal, MountOptions } from '../embed.ts';
import type { LabData } from '../lab-data.ts';
import type { LabPlace } from '../labs.ts';
import type { LabEmbedState } from '../registry.ts';
import { answerEmbedButton, LOADING, langPrefix, OPEN, styleOnce } from './common.tsx';
import { virtualPage } from './page-url.ts';

// Rendered, not hydrated: the charts draw at once.
provideChartView(chartView);

/** What embed/v1/lab/<lab>.js hands over (pages/embed/v1/lab/[lab].js.ts). */
export type LabFile = LabData & { place: LabPlace | null };

let count = 0;

/** The lab's full state for the attributes given, or undefined when none were (the lab's defaults). */
function initialState(data: LabData, s: LabEmbedState): unknown {
  if (data.kind === 'load') {
    if (s.r === undefined && s.p === undefined && s.k === undefined) return undefined;
    return { r: s.r ?? data.rate, p: s.p ?? data.range, k: s.k ?? data.pool };
  }
  if (s.v === undefined && s.s === undefined && s.t === undefined && s.d === undefined) return undefined;
  const v = s.v ?? data.initial;
  const variant = data.variants.find((x) => x.key === v) ?? data.variants[0];
  if (!variant) return undefined;
  const seed = s.s ?? variant.scenario.seed;
  const d = s.d ?? [];
  // The instant the chapter opens on, for the run these settings make (ScenarioLab's own rule).
  const t = s.t ?? instantOf(runScenario(variant.scenario, { seed, drops: d }), data.at);
  return { v: variant.key, s: seed, t, d };
}

function mount(root: ShadowRoot, container: HTMLElement, options: MountOptions): () => void {
  styleOnce(root, 'widgets', widgetCss);
  styleOnce(root, 'chart', chartCss);
  styleOnce(root, 'labs', labsCss);
  const state = options.state as LabEmbedState;
  // Each element keeps its state in the virtual fragment under a key of its own.
  const key = `twg-lab-${++count}`;
  const lang = options.lang;
  let alive = true;
  let unsubscribe = () => {};
  const stopAnswering = answerEmbedButton(container, options.site, lang, (d) =>
    d.widget === 'scenario-lab' || d.widget === 'load-lab'
      ? { w: 'lab', state: { ...(d.state as object), lab: state.lab } }
      : undefined,
  );
  render(<p class="twg-embed-loading">{LOADING[lang]}</p>, container);

  options
    .load(`lab/${state.lab}`)
    .then((raw) => {
      if (!alive) return;
      const data = raw as LabFile;
      const place = data.place ?? { chapter: '', id: key };
      const chapter = `${options.site}${langPrefix(lang)}${place.chapter}`;
      const link = () => {
        const value = hashValue(virtualPage.hash(), key);
        return value ? `${chapter}#${encodeURIComponent(place.id)}=${value}` : chapter;
      };
      const first = initialState(data, state);
      virtualPage.setHash(withHashValue(virtualPage.hash(), key, first ? encodeState(first) : undefined));
      const uiLang = lang === 'zh-cn' ? 'zh-CN' : 'en';
      const lab =
        data.kind === 'load' ? (
          <LoadLab
            id={key}
            lang={uiLang}
            title={data.title[lang]}
            scenario={data.scenario}
            rates={data.rates}
            ranges={data.ranges}
            rate={data.rate}
            range={data.range}
            initialResult={data.initialResult}
            little={data.little}
            pools={data.pools}
            pool={data.pool}
          />
        ) : (
          <ScenarioLab
            id={key}
            lang={uiLang}
            title={data.title[lang]}
            legend={data.legend[lang]}
            variants={data.variants.map((v) => ({ key: v.key, label: v.label[lang], scenario: v.scenario }))}
            initial={data.initial}
            at={data.at}
            bytes={data.bytes}
            counters={data.counters}
          />
        );
      render(
        <>
          {lab}
          <span class="twg-embed-credit">
            <a class="twg-embed-credit-link" href={link()} target="_blank" rel="noopener">
              {OPEN[lang]}
            </a>
          </span>
        </>,
        container,
      );
      unsubscribe = virtualPage.subscribe(() => {
        const a = root.querySelector<HTMLAnchorElement>('a.twg-embed-credit-link');
        if (a) a.href = link();
      });
    })
    .catch((e: unknown) => {
      if (!alive) return;
      render(
        <p class="twg-embed-problem" role="alert">
          {`<tw-lab lab="${state.lab}"> could not load: ${e instanceof Error ? e.message : String(e)}`}
        </p>,
        container,
      );
    });

  return () => {
    alive = false;
    unsubscribe();
    stopAnswering();
    render(null, container);
    virtualPage.setHash(withHashValue(virtualPage.hash(), key, undefined));
  };
}

(window as unknown as { twgEmbed?: EmbedGlobal }).twgEmbed?.define('lab', { mount });
