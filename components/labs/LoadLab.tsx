/**
 * LoadLab — the port-exhaustion lab: a client opens one connection per request at a steady rate and
 * closes first; the reader sets the rate and the client's port range and sees TIME_WAIT entries, ports
 * in use and failed connect() calls over time, a per-second connect() log and (with `little`) the
 * Little's-law line: TIME_WAIT ≈ rate × 60 s, capped by the port range.
 *
 * Props (use ScenarioLab.astro with a load lab): `id`, `lang`, `title`, `caption`, `scenario` (parsed,
 * with `load`), `rates`, `ranges`, `rate`, `range` (the first run's knobs), `initialResult` (that run,
 * made at build time, so hydrating does not re-run the simulator), `little`.
 *
 * Runs for other knobs go to a Web Worker (load.worker.ts): they take 0.1–1 s. State in the URL
 * under `id`: { r: rate, p: ports }.
 */
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Scenario } from '../../src/sim/types.ts';
import { littleCurve } from '../widgets/chart/littles-law.ts';
import { EmbedButton } from '../widgets/EmbedButton.tsx';
import { labels, normalizeLang } from '../widgets/runtime/i18n.ts';
import { formatTime } from '../widgets/runtime/time.ts';
import { hasHashValue } from '../widgets/runtime/url-hash.ts';
import { labLabels, loadLabels } from './i18n.ts';
import { ChartSlot, chartLang, useChartView } from './lazy-chart.tsx';
import { connectLog, type LoadResult } from './load-view.ts';

export interface LoadLabProps {
  id: string;
  lang?: string;
  title: string;
  caption?: string;
  scenario: Scenario;
  rates: number[];
  ranges: number[];
  rate: number;
  range: number;
  initialResult: LoadResult;
  little?: boolean;
  /** Connection reuse choices: 0 = one connection per request, N = a pool of N (shown when > 1 choice). */
  pools?: number[];
  pool?: number;
}

export interface LoadState {
  r: number;
  p: number;
  /** Pool size (0: one connection per request). */
  k: number;
}

export function LoadLab(props: LoadLabProps): JSX.Element {
  const lang = normalizeLang(props.lang);
  const L = labels(lang);
  const LL = { ...labLabels(lang), ...loadLabels(lang) };
  const [rate, setRate] = useState(props.rate);
  const [range, setRange] = useState(props.range);
  const pools = props.pools ?? [0];
  const [pool, setPool] = useState(props.pool ?? 0);
  const [result, setResult] = useState<LoadResult>(props.initialResult);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const touched = useRef(false);
  // The chart keeps the server's drawing until another run replaces the first (./lazy-chart.tsx).
  const chartStale = result !== props.initialResult;
  const chart = useChartView(chartStale);
  const worker = useRef<Worker | null>(null);

  // Run the knobs' scenario in a worker, cancelling a run still going (a newer choice wins).
  const start = (r: number, p: number, k: number) => {
    worker.current?.terminate();
    worker.current = null;
    const first = props.initialResult;
    if (r === first.rate && p === first.range && k === first.pool) {
      setResult(props.initialResult);
      setBusy(false);
      return;
    }
    if (typeof Worker === 'undefined') {
      setError(LL.noWorker);
      return;
    }
    setBusy(true);
    setError(null);
    const w = new Worker(new URL('./load.worker.ts', import.meta.url), { type: 'module' });
    worker.current = w;
    w.addEventListener(
      'message',
      (e: MessageEvent<{ ok: true; result: LoadResult } | { ok: false; message: string }>) => {
        if (worker.current !== w) return;
        w.terminate();
        worker.current = null;
        setBusy(false);
        if (e.data.ok) setResult(e.data.result);
        else setError(LL.failed(e.data.message));
      },
    );
    w.addEventListener('error', (e) => {
      if (worker.current !== w) return;
      w.terminate();
      worker.current = null;
      setBusy(false);
      setError(LL.failed(e.message || 'worker error'));
    });
    w.postMessage({ scenario: props.scenario, rate: r, range: p, pool: k });
  };
  useEffect(() => () => worker.current?.terminate(), []);

  // The URL reader loads only when the URL holds this lab's state (as in runtime/scenario-run.ts).
  useEffect(() => {
    if (!hasHashValue(props.id)) return;
    let live = true;
    import('./load-url.ts').then(({ readLoadState }) => {
      const read = live ? readLoadState(props.id, props.rates, props.ranges, pools, lang) : null;
      if (read === null) return;
      if (read.problem !== undefined) {
        setProblem(read.problem);
        return;
      }
      setRate(read.state.r);
      setRange(read.state.p);
      setPool(read.state.k);
      start(read.state.r, read.state.p, read.state.k);
    });
    return () => {
      live = false;
    };
  }, [props.id]);

  const state: LoadState = { r: rate, p: range, k: pool };
  useEffect(() => {
    if (touched.current)
      import('../widgets/runtime/urlState.ts').then(({ writeUrlState }) => writeUrlState(props.id, state));
  }, [rate, range, pool]);

  const set = (r: number, p: number, k = pool) => {
    touched.current = true;
    setRate(r);
    setRange(p);
    setPool(k);
    start(r, p, k);
  };

  const res = result;
  const total = (a: number[]) => (a.length > 0 ? (a[a.length - 1] as number) : 0);
  const twLen = formatTime(res.timeWait, lang);
  const expected = Math.round((res.rate * res.timeWait) / 1e6);
  const log = connectLog(res);
  const headingId = `${props.id}-title`;
  const overlay = props.little
    ? (() => {
        const c = littleCurve({
          rate: res.rate,
          start: res.start,
          duration: res.duration,
          timeWait: res.timeWait,
          cap: res.range,
          until: res.until,
        });
        return { id: 'little', label: LL.little, t: c.t, v: c.v, shape: 'line' as const };
      })()
    : undefined;

  return (
    <section
      class="twg twg-lab not-content"
      aria-labelledby={headingId}
      data-widget="load-lab"
      data-lab={props.id}
      aria-busy={busy ? 'true' : 'false'}
    >
      <div class="twg-head">
        <p class="twg-title" id={headingId}>
          {props.title}
        </p>
        <EmbedButton widget="load-lab" stateKey={props.id} state={state} lang={lang} />
      </div>
      {props.caption && <p class="twg-caption">{props.caption}</p>}
      {problem && (
        <p class="twg-problem" role="alert">
          {L.badState(problem)}
        </p>
      )}
      <div class="twg-lab-knobs">
        <fieldset class="twg-choices">
          <legend>{LL.rate}</legend>
          {props.rates.map((r) => (
            <label key={r}>
              <input
                type="radio"
                name={`${props.id}-rate`}
                value={r}
                checked={rate === r}
                onChange={() => set(r, range)}
              />{' '}
              {LL.perSecond(r)}
            </label>
          ))}
        </fieldset>
        <fieldset class="twg-choices">
          <legend>{LL.range}</legend>
          {props.ranges.map((p) => (
            <label key={p}>
              <input
                type="radio"
                name={`${props.id}-range`}
                value={p}
                checked={range === p}
                onChange={() => set(rate, p)}
              />{' '}
              {LL.ports1(p)}
            </label>
          ))}
        </fieldset>
        {pools.length > 1 && (
          <fieldset class="twg-choices">
            <legend>{LL.pool}</legend>
            {pools.map((k) => (
              <label key={k}>
                <input
                  type="radio"
                  name={`${props.id}-pool`}
                  value={`pool-${k}`}
                  checked={pool === k}
                  onChange={() => set(rate, range, k)}
                />{' '}
                {k === 0 ? LL.perRequest : LL.pooled(k)}
              </label>
            ))}
          </fieldset>
        )}
      </div>
      <p class="twg-lab-status" aria-live="polite">
        {busy ? LL.running : (error ?? '')}
      </p>
      <div class="twg-lab-summary" data-failures={String(total(res.fails))}>
        <p>{LL.prediction(res.rate, twLen, expected, res.range)}</p>
        <p>
          {LL.summary(total(res.connects), total(res.fails))}{' '}
          {res.firstFailure !== undefined ? LL.firstFailure(formatTime(res.firstFailure, lang)) : ''}
        </p>
      </div>
      <ChartSlot class="twg-lab-chart" data-view="chart" stale={chartStale}>
        {chart && (
          <chart.Chart
            id={`${props.id}-chart`}
            lang={chartLang(lang)}
            title={LL.countersTitle}
            yLabel={LL.count}
            start={0}
            end={res.until}
            series={[
              { id: 'tw', label: LL.tw(labels(lang).host.client ?? 'client'), t: res.t, v: res.tw },
              { id: 'ports', label: LL.ports(labels(lang).host.client ?? 'client'), t: res.t, v: res.ports },
              { id: 'fails', label: LL.fails, t: res.t, v: res.fails },
            ]}
            {...(overlay ? { overlay } : {})}
          />
        )}
      </ChartSlot>
      <section class="twg-lab-calls" aria-label={LL.log} data-view="connect-log">
        <p class="twg-h">{LL.log}</p>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1) */}
        <ol class="twg-lab-calllist" tabIndex={0}>
          {log.map((l) => (
            <li key={l.at} data-failed={String(l.failed)}>
              <span class={l.failed > 0 ? 'twg-lab-err' : undefined}>
                {LL.logLine(formatTime(l.at, lang), l.n, l.failed)}
              </span>
              {l.repeat > 0 && <span class="twg-hint"> {LL.logGap(l.repeat)}</span>}
            </li>
          ))}
        </ol>
      </section>
    </section>
  );
}

export default LoadLab;
