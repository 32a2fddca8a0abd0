// The labs' first frames, rendered to HTML the way the build renders an island: the incarnation lab
// opens on corrupted bytes, its protected variant on clean ones, the chart appears only where the
// entry registered it, and the load lab renders the prepared run with the Little's-law line.
import '../../components/labs/labels-en.ts';
import '../../components/labs/labels-zh.ts';
import '../../components/labs/load-labels-en.ts';
import '../../components/labs/load-labels-zh.ts';
import '../../components/widgets/runtime/i18n-all.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import * as chartView from '../../components/labs/chart-view.ts';
import { LoadLab } from '../../components/labs/LoadLab.tsx';
import { provideChartView } from '../../components/labs/lazy-chart.tsx';
import { runLoad } from '../../components/labs/load.ts';
import { ScenarioLab } from '../../components/labs/ScenarioLab.tsx';
import { parseScenario } from '../../src/sim/scenario.ts';

const scenario = (path: string) =>
  parseScenario(JSON.parse(readFileSync(join(import.meta.dirname, '../..', path), 'utf8')), path);
const sim = (name: string) => scenario(`src/sim/scenarios/${name}.json`);

const incarnation = [
  { key: 'none', label: 'none', scenario: sim('incarnation-corruption') },
  { key: 'tw', label: 'tw', scenario: sim('incarnation-protected-by-timewait') },
];

describe('scenario lab first frame', () => {
  it('opens the incarnation lab on corrupted bytes, in the page language', () => {
    const html = renderToString(
      <ScenarioLab
        id="inc"
        lang="zh-CN"
        title="t"
        legend="l"
        variants={incarnation}
        initial="none"
        at="end"
        bytes
      />,
    );
    expect(html).toContain('data-corrupted="true"');
    expect(html).toMatch(/<mark[^>]*data-old="true"[^>]*>world<\/mark>/);
    expect(html).toContain('数据已损坏');
    expect(html).toContain('data-variant="none"');
  });

  it('opens the protected variant on clean bytes', () => {
    const html = renderToString(
      <ScenarioLab
        id="inc"
        lang="en"
        title="t"
        legend="l"
        variants={incarnation}
        initial="tw"
        at="end"
        bytes
      />,
    );
    expect(html).not.toContain('data-corrupted="true"');
    expect(html).toContain('new:fresh');
    expect(html).toContain('Clean: every byte belongs to this connection.');
  });

  it('draws counters where the chart code is provided, else keeps an empty slot for the server markup', () => {
    const v = [{ key: 'one', label: 'one', scenario: sim('port-exhaustion') }];
    const props = {
      id: 'pe',
      lang: 'en',
      title: 't',
      legend: 'l',
      variants: v,
      at: 'end' as const,
      counters: true,
    };
    // A hydrating island: the slot is there, empty (Preact keeps the server's markup in it).
    const before = renderToString(<ScenarioLab {...props} />);
    expect(before).toMatch(/<section class="twg-lab-counters"[^>]*data-view="counters"[^>]*><\/section>/);
    expect(before).not.toContain('data-series="fails"');
    provideChartView(chartView);
    const html = renderToString(<ScenarioLab {...props} />);
    expect(html).toContain('data-view="counters"');
    expect(html).toContain('data-series="fails"');
    expect(html).toMatch(/data-result="EADDRNOTAVAIL"/);
  });
});

describe('load lab first frame', () => {
  it('shows the prepared run, the prediction and the Little line', () => {
    const s = scenario('components/labs/scenarios/port-exhaustion-load.json');
    const r = runLoad(s, 10, 256);
    provideChartView(chartView);
    const html = renderToString(
      <LoadLab
        id="pe"
        lang="en"
        title="t"
        scenario={s}
        rates={[5, 10]}
        ranges={[256]}
        rate={10}
        range={256}
        initialResult={r}
        little
      />,
    );
    expect(html).toContain('Prediction: 10/s × 60 s = 600 TIME_WAIT entries, more than the 256 ports');
    expect(html).toContain('data-series="little"');
    expect(html).toMatch(/data-failures="[1-9]\d*"/);
    expect(html).toContain('EADDRNOTAVAIL');
  }, 60_000);
});
