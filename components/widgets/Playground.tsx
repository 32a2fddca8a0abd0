// The playground: every knob of a scenario, presets (one per scenario file), a run, and what came of
// it — counters over time (Chart), the connect() log with its EADDRNOTAVAIL failures, an `ss`
// summary per host, and for small scripted runs the sequence diagram (W1's SequenceDiagram).
//
// Props:
//   lang   the page's language ('en' or 'zh-cn'; anything starting with "zh" is Chinese)
//   id     DOM id prefix (default "pg")
//
// Where runs happen: a scripted preset is a few hundred events and re-runs on the main thread as soon
// as a knob moves; a load generator (up to 3 × 10⁵ connections) runs in a Web Worker after "Run",
// with progress and Cancel, so the page never stalls (worker/runner.ts). The first frame — the default
// preset, run at build time — is the same on the server and on hydration; a state in the URL
// (#pg=…, knobs/url-state.ts) is applied after hydration, and a malformed or hostile one leaves the
// defaults with a short message.

import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Chart, type ChartSeries } from './Chart.tsx';
import { littleCurve } from './chart/littles-law.ts';
import { Knobs } from './Knobs.tsx';
import {
  applyKnobs,
  crossProblems,
  durationMicros,
  groupLabel,
  knobsFor,
  knobValues,
} from './knobs/scenario-knobs.ts';
import type { Knob, KnobValue, Lang, ScenarioJson, Text } from './knobs/spec.ts';
import { decodeState, encodeState, hashWithState, stateFromHash } from './knobs/url-state.ts';
import { DEFAULT_PRESET, PRESETS, type Preset, presetByName } from './playground/presets.ts';
import './playground/playground.css';
// The toolkit's styles (SequenceDiagram), as the .astro wrappers of the other widgets load them.
import './widgets.css';
import { tryParseScenario } from './runtime/parse.ts';
import { type Run, runScenario } from './runtime/run.ts';
import { timeAxis } from './runtime/time.ts';
import { SequenceDiagram } from './SequenceDiagram.tsx';
import { type CounterSeries, type PlaygroundResult, runParsed } from './worker/run.ts';
import { CancelledError, isHeavy, type RunHandle, startRun } from './worker/runner.ts';

export interface PlaygroundProps {
  lang?: string;
  id?: string;
}

/** Sequence diagrams are drawn for runs up to this many segments. */
const MAX_DIAGRAM_SEGMENTS = 120;

const T = {
  en: {
    title: 'Playground',
    preset: 'Start from',
    run: 'Run',
    cancel: 'Cancel',
    reset: 'Reset to the preset',
    copy: 'Copy link to this setup',
    copied: 'Link copied.',
    copyFailed: 'Copy the address bar: it holds this setup.',
    progress: 'Simulation progress',
    running: (pct: number, now: string, until: string) =>
      `Running in a background thread: ${pct} % (simulated ${now} of ${until}).`,
    cancelled: 'Cancelled. The chart shows the previous run.',
    done: (ms: number, where: string) => `Done in ${ms.toLocaleString('en-US')} ms (${where}).`,
    mainThread: 'on the page',
    worker: 'in a background thread',
    stale: 'The settings changed since this run: press Run.',
    pressRun: 'Press Run to simulate this load.',
    invalid: 'The scenario has problems; fix them to run it:',
    badUrl: 'The link’s playground state could not be used; showing the defaults instead.',
    chartTitle: 'Counters over time',
    yLabel: 'count',
    tw: (h: string) => `TIME_WAIT (${h})`,
    ports: (h: string) => `ports in use (${h})`,
    fails: 'failed connect() (total)',
    little: 'Little’s law: rate × TIME_WAIT length, capped',
    connectLog: 'connect() calls',
    at: 'Time',
    host: 'Host',
    socket: 'Socket',
    port: 'Local port',
    result: 'Result',
    more: (n: number) => `…and ${n.toLocaleString('en-US')} more.`,
    loadSummary: (connects: string, failures: string) =>
      `The load generator called connect() ${connects} times; ${failures} failed at once.`,
    firstFailure: (t: string) =>
      `The first failure came at ${t}: EADDRNOTAVAIL, no local port left for the destination while the earlier connections’ 4-tuples sat in TIME_WAIT.`,
    tuples: (n: string, tw: string) =>
      `The client can use ${n} distinct 4-tuples towards the destinations; the closing host keeps at most ${tw} TIME_WAIT entries (tcp_max_tw_buckets).`,
    noConnects: 'No connect() calls.',
    ss: 'Sockets at the end (ss -tan)',
    state: 'State',
    count: 'Count',
    total: 'total',
    stats: (e: string, s: string, c: string) => `${e} events, ${s} segments, ${c} connections.`,
    sequence: 'Sequence diagram of the run',
    noDiagram: (n: number) => `The sequence diagram is drawn for runs of up to ${n} segments.`,
  },
  'zh-cn': {
    title: '实验场',
    preset: '起点',
    run: '运行',
    cancel: '取消',
    reset: '恢复预设',
    copy: '复制此设置的链接',
    copied: '链接已复制。',
    copyFailed: '请复制地址栏：其中包含此设置。',
    progress: '模拟进度',
    running: (pct: number, now: string, until: string) =>
      `正在后台线程中运行：${pct}%（已模拟 ${now}，共 ${until}）。`,
    cancelled: '已取消。图表显示上一次运行的结果。',
    done: (ms: number, where: string) => `完成，用时 ${ms.toLocaleString('en-US')} 毫秒（${where}）。`,
    mainThread: '在页面中',
    worker: '在后台线程中',
    stale: '此次运行之后设置已更改：请按“运行”。',
    pressRun: '按“运行”来模拟此负载。',
    invalid: '场景有问题，修正后才能运行：',
    badUrl: '无法使用链接中的实验场状态，已改为显示默认设置。',
    chartTitle: '计数随时间的变化',
    yLabel: '数量',
    tw: (h: string) => `TIME_WAIT（${h}）`,
    ports: (h: string) => `占用的端口（${h}）`,
    fails: 'connect() 失败（累计）',
    little: '利特尔法则：速率 × TIME_WAIT 时长，有上限',
    connectLog: 'connect() 调用',
    at: '时间',
    host: '主机',
    socket: '套接字',
    port: '本地端口',
    result: '结果',
    more: (n: number) => `……另有 ${n.toLocaleString('en-US')} 条。`,
    loadSummary: (connects: string, failures: string) =>
      `负载生成器调用 connect() ${connects} 次，其中 ${failures} 次立即失败。`,
    firstFailure: (t: string) =>
      `第一次失败发生在 ${t}：EADDRNOTAVAIL，之前连接的四元组仍处于 TIME_WAIT，没有可用于该目标的本地端口。`,
    tuples: (n: string, tw: string) =>
      `客户端到这些目标共有 ${n} 个不同的四元组；主动关闭的一方最多保留 ${tw} 个 TIME_WAIT 条目（tcp_max_tw_buckets）。`,
    noConnects: '没有 connect() 调用。',
    ss: '结束时的套接字（ss -tan）',
    state: '状态',
    count: '数量',
    total: '合计',
    stats: (e: string, s: string, c: string) => `${e} 个事件，${s} 个报文段，${c} 个连接。`,
    sequence: '本次运行的时序图',
    noDiagram: (n: number) => `时序图只为不超过 ${n} 个报文段的运行绘制。`,
  },
} as const;

const fmt = (n: number) => n.toLocaleString('en-US');

/** Seconds for the page: "1.5 s", "2 min 10 s". */
export function seconds(us: number): string {
  const s = us / 1e6;
  if (s < 1) return `${Number((us / 1e3).toFixed(1))} ms`;
  if (s < 120) return `${Number(s.toFixed(2))} s`;
  const m = Math.floor(s / 60);
  const rest = Math.round(s - m * 60);
  return rest === 0 ? `${m} min` : `${m} min ${rest} s`;
}

interface Setup {
  preset: Preset;
  values: Record<string, KnobValue>;
}

/** Every knob a preset could have, whatever its profile (to check a URL's values against). */
function allKnobs(p: Preset): Knob[] {
  return knobsFor({ ...p.json, profile: 'linux-4.11' });
}

/** The knobs of a setup: derived from the preset with the chosen values (the profile adds some). */
function derive(setup: Setup): { knobs: Knob[]; json: ScenarioJson; error?: string } {
  const first = knobsFor(setup.preset.json);
  try {
    const once = applyKnobs(setup.preset.json, first, setup.values);
    const knobs = knobsFor(once);
    return { knobs, json: applyKnobs(setup.preset.json, knobs, setup.values) };
  } catch (e) {
    return { knobs: first, json: setup.preset.json, error: e instanceof Error ? e.message : String(e) };
  }
}

interface Shown {
  result?: PlaygroundResult;
  problems?: string[];
  run?: Run;
}

/** Run a small scripted scenario on the main thread (parse once, feed both views). */
function runSmall(json: ScenarioJson): Shown {
  const parsed = tryParseScenario(json, 'scenario');
  if (!parsed.ok) return { problems: parsed.problems };
  const result = runParsed(parsed.scenario);
  const shown: Shown = { result };
  if (result.stats.segments <= MAX_DIAGRAM_SEGMENTS)
    shown.run = runScenario(parsed.scenario, { tables: false });
  return shown;
}

function chartSeries(
  r: PlaygroundResult,
  t: (typeof T)[Lang],
): { series: ChartSeries[]; overlay?: ChartSeries } {
  const label = (s: CounterSeries) =>
    s.kind === 'timeWait' ? t.tw(s.host) : s.kind === 'portsInUse' ? t.ports(s.host) : t.fails;
  const series = r.series.map((s) => ({ id: `${s.kind}-${s.host}`, label: label(s), t: s.t, v: s.v }));
  const load = r.load;
  if (!load) return { series };
  const curve = littleCurve({
    rate: load.rate,
    start: load.start,
    duration: load.duration,
    timeWait: r.timeWait,
    cap: Math.min(load.tuples, load.maxTw),
    until: r.until,
  });
  return { series, overlay: { id: 'little', label: t.little, t: curve.t, v: curve.v, shape: 'line' } };
}

/**
 * Progress of the current run, outside Preact state: the worker reports up to 100 times per run, and
 * re-rendering the whole playground (≈40 controls, the chart, the tables) for each report would put
 * long tasks on the main thread. Only RunStatus listens.
 */
interface ProgressBus {
  fraction: number;
  text: string;
  listeners: Set<() => void>;
}

function emit(bus: ProgressBus, fraction: number, text: string): void {
  bus.fraction = fraction;
  bus.text = text;
  for (const l of bus.listeners) l();
}

/** The status line (a polite live region) and, while a run is in progress, its progress bar. */
function RunStatus(props: { bus: ProgressBus; running: boolean; text: string; label: string }) {
  const { bus, running, text, label } = props;
  const [, setTick] = useState(0);
  useEffect(() => {
    // One render per animation frame at most, however often the worker reports.
    let frame = 0;
    const l = () => {
      if (frame !== 0) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        setTick((n) => n + 1);
      });
    };
    bus.listeners.add(l);
    return () => {
      bus.listeners.delete(l);
      cancelAnimationFrame(frame);
    };
  }, [bus]);
  return (
    <>
      {running && <progress class="twg-pg__progress" max={1} value={bus.fraction} aria-label={label} />}
      <p class="twg-pg__status" role="status" aria-live="polite">
        {running ? bus.text : text}
      </p>
    </>
  );
}

/** What a run produced: chart, connect() log, ss summary, sequence diagram. Rendered only when the
 * run, the language or the title changes (not on every status or progress update). */
function ResultView(props: { id: string; lang: Lang; title: string; shown: Shown }) {
  const { id, lang, title, shown } = props;
  const t = T[lang];
  const w1Lang = lang === 'zh-cn' ? 'zh-CN' : 'en';
  const result = shown.result;
  const chart = result ? chartSeries(result, t) : undefined;
  return (
    <>
      {chart && result && (
        <Chart
          id={`${id}-chart`}
          lang={lang}
          title={`${t.chartTitle}: ${title}`}
          series={chart.series}
          {...(chart.overlay ? { overlay: chart.overlay } : {})}
          start={0}
          end={result.until}
          yLabel={t.yLabel}
        />
      )}
      {result && (
        <div class="twg-pg__panels">
          <section aria-labelledby={`${id}-connects`}>
            <h3 id={`${id}-connects`}>{t.connectLog}</h3>
            {result.load ? (
              <div data-testid="load-summary">
                <p>{t.loadSummary(fmt(result.load.connects), fmt(result.load.failures))}</p>
                {result.load.firstFailure !== undefined && (
                  <p>{t.firstFailure(seconds(result.load.firstFailure))}</p>
                )}
                <p>{t.tuples(fmt(result.load.tuples), fmt(result.load.maxTw))}</p>
              </div>
            ) : result.connects.length === 0 ? (
              <p>{t.noConnects}</p>
            ) : (
              <div class="twg-pg__scroll">
                <table class="twg-pg__log">
                  <thead>
                    <tr>
                      <th scope="col">{t.at}</th>
                      <th scope="col">{t.host}</th>
                      <th scope="col">{t.socket}</th>
                      <th scope="col">{t.port}</th>
                      <th scope="col">{t.result}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {result.connects.map((c, i) => (
                      <tr key={`${c.at}-${i}`} class={c.result === '0' ? '' : 'twg-pg__fail'}>
                        <td>{seconds(c.at)}</td>
                        <td>{c.host}</td>
                        <td>{c.fd ?? ''}</td>
                        <td>{c.port ?? ''}</td>
                        <td>{c.result === '0' ? '0 (ok)' : c.result}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {result.connectsOmitted > 0 && <p>{t.more(result.connectsOmitted)}</p>}
              </div>
            )}
          </section>
          <section aria-labelledby={`${id}-ss`}>
            <h3 id={`${id}-ss`}>{t.ss}</h3>
            <table class="twg-pg__ss" data-testid="ss-summary">
              <thead>
                <tr>
                  <th scope="col">{t.host}</th>
                  <th scope="col">{t.state}</th>
                  <th scope="col">{t.count}</th>
                </tr>
              </thead>
              <tbody>
                {result.ss.flatMap((h) => [
                  ...Object.entries(h.counts).map(([state, n]) => (
                    <tr key={`${h.host}-${state}`}>
                      <td>{h.host}</td>
                      <td>{state}</td>
                      <td>{fmt(n ?? 0)}</td>
                    </tr>
                  )),
                  <tr key={`${h.host}-total`} class="twg-pg__total">
                    <td>{h.host}</td>
                    <td>{t.total}</td>
                    <td>{fmt(h.total)}</td>
                  </tr>,
                ])}
              </tbody>
            </table>
            <p class="twg-pg__stats">
              {t.stats(fmt(result.stats.events), fmt(result.stats.segments), fmt(result.stats.connections))}
            </p>
          </section>
        </div>
      )}
      {shown.run && (
        <section aria-labelledby={`${id}-seq`} class="twg twg-pg__seq">
          <h3 id={`${id}-seq`}>{t.sequence}</h3>
          <div class="twg-seqwrap">
            <SequenceDiagram
              run={shown.run}
              axis={timeAxis(shown.run.instants, shown.run.end)}
              t={shown.run.end}
              lang={w1Lang}
              label={t.sequence}
            />
          </div>
        </section>
      )}
      {result && !result.load && !shown.run && <p>{t.noDiagram(MAX_DIAGRAM_SEGMENTS)}</p>}
    </>
  );
}

export function Playground(props: PlaygroundProps) {
  const lang: Lang = props.lang?.toLowerCase().startsWith('zh') ? 'zh-cn' : 'en';
  const t = T[lang];
  const id = props.id ?? 'pg';
  const defaultPreset = presetByName(DEFAULT_PRESET) ?? (PRESETS[0] as Preset);

  const [setup, setSetup] = useState<Setup>(() => ({ preset: defaultPreset, values: {} }));
  const [urlProblem, setUrlProblem] = useState<Text | undefined>(undefined);
  const derived = useMemo(() => derive(setup), [setup]);
  const heavy = isHeavy(derived.json);
  const cross = useMemo(() => crossProblems(derived.json), [derived.json]);
  const values = useMemo(() => knobValues(derived.json, derived.knobs), [derived]);

  // The first frame: the default preset run synchronously (at build time, and again on hydration).
  const [shown, setShown] = useState<Shown>(() => (heavy ? {} : runSmall(derived.json)));
  const [stale, setStale] = useState(false);
  const [status, setStatus] = useState('');
  const [running, setRunning] = useState(false);
  const bus = useMemo<ProgressBus>(() => ({ fraction: 0, text: '', listeners: new Set() }), []);
  const handle = useRef<RunHandle | undefined>(undefined);
  const first = useRef(true);

  // After hydration: apply a state from the URL, or say why it can't be used.
  useEffect(() => {
    const encoded = stateFromHash(location.hash);
    if (encoded === undefined) return;
    const decoded = decodeState(encoded, (name) => {
      const p = presetByName(name);
      return p ? allKnobs(p) : undefined;
    });
    if (!decoded.ok) {
      setUrlProblem(decoded.error);
      return;
    }
    const preset = presetByName(decoded.state.preset) as Preset;
    setSetup({ preset, values: decoded.state.values });
  }, []);

  // Keep the URL in step with the setup (only what differs from the preset).
  useEffect(() => {
    if (first.current) return;
    const base = knobValues(setup.preset.json, derived.knobs);
    const diff: Record<string, KnobValue> = {};
    for (const [k, v] of Object.entries(values)) if (base[k] !== v) diff[k] = v;
    const isDefault = setup.preset.name === DEFAULT_PRESET && Object.keys(diff).length === 0;
    const hash = hashWithState(
      location.hash,
      isDefault ? undefined : encodeState({ preset: setup.preset.name, values: diff }),
    );
    try {
      history.replaceState(history.state, '', `${location.pathname}${location.search}${hash}`);
    } catch {
      // Browsers rate-limit replaceState; the next change writes it again.
    }
  }, [setup, derived, values]);

  // Small runs follow the knobs; a load waits for "Run".
  useEffect(() => {
    if (first.current) {
      first.current = false;
      if (!heavy) return;
    }
    handle.current?.cancel();
    handle.current = undefined;
    setRunning(false);
    if (derived.error || cross.length > 0) {
      setStale(true);
      return;
    }
    if (heavy) {
      setStale(true);
      setStatus(t.pressRun);
      return;
    }
    const timer = setTimeout(() => {
      const started = performance.now();
      const next = runSmall(derived.json);
      setShown(next);
      setStale(false);
      if (next.result) setStatus(t.done(Math.round(performance.now() - started), t.mainThread));
    }, 120);
    return () => clearTimeout(timer);
  }, [derived]);

  useEffect(() => () => handle.current?.cancel(), []);

  const run = () => {
    handle.current?.cancel();
    let lastPct = -1;
    const until = durationMicros(derived.json.until) ?? 180e6;
    const h = startRun(derived.json, {
      onProgress: (p) => {
        // The live region's text changes in steps of 10 %, so screen readers are not flooded.
        const pct = Math.floor(p.fraction * 10) * 10;
        if (pct !== lastPct) {
          lastPct = pct;
          text = t.running(pct, seconds(p.now), seconds(until));
        }
        emit(bus, p.fraction, text);
      },
    });
    handle.current = h;
    let text = t.running(0, '0 s', seconds(until));
    emit(bus, 0, text);
    setRunning(true);
    h.promise.then(
      (outcome) => {
        if (handle.current !== h) return;
        handle.current = undefined;
        setRunning(false);
        if (outcome.ok) {
          setShown({ result: outcome.result });
          setStale(false);
          setStatus(t.done(outcome.result.wallMs, h.where === 'worker' ? t.worker : t.mainThread));
        } else {
          setShown({ problems: outcome.problems });
          setStatus('');
        }
      },
      (err: unknown) => {
        if (handle.current === h) handle.current = undefined;
        setRunning(false);
        setStatus(err instanceof CancelledError ? t.cancelled : String(err));
      },
    );
  };

  const cancel = () => {
    handle.current?.cancel();
  };

  const choosePreset = (name: string) => {
    const p = presetByName(name);
    if (!p) return;
    setUrlProblem(undefined);
    setSetup({ preset: p, values: {} });
  };

  // Stable, so the memoised knobs are not re-rendered for a status or progress change. Moving a knob
  // during a run cancels it (the effect above): the result would no longer match the knobs.
  const onKnob = useCallback((knob: string, value: KnobValue) => {
    setUrlProblem(undefined);
    setSetup((s) => ({ ...s, values: { ...s.values, [knob]: value } }));
  }, []);

  const copyLink = () => {
    const done = (ok: boolean) => setStatus(ok ? t.copied : t.copyFailed);
    if (navigator.clipboard?.writeText)
      navigator.clipboard.writeText(location.href).then(
        () => done(true),
        () => done(false),
      );
    else done(false);
  };

  const result = shown.result;
  const title = setup.preset.title[lang];
  const resultView = useMemo(
    () => <ResultView id={id} lang={lang} title={title} shown={shown} />,
    [id, lang, title, shown],
  );
  const knobsView = useMemo(
    () => (
      <Knobs
        idPrefix={`${id}-k`}
        lang={lang}
        knobs={derived.knobs}
        values={values}
        onChange={onKnob}
        groupLabel={groupLabel}
      />
    ),
    [id, lang, derived.knobs, values, onKnob],
  );
  const problems = [
    ...(derived.error ? [derived.error] : []),
    ...cross.map((c) => c[lang]),
    ...(shown.problems ?? []),
  ];

  return (
    <section class="twg-pg not-content" id={id} aria-label={t.title} data-heavy={heavy ? 'true' : 'false'}>
      {urlProblem && (
        <p class="twg-pg__message" role="alert" data-testid="url-problem">
          {t.badUrl} {urlProblem[lang]}
        </p>
      )}
      <div class="twg-pg__preset">
        <label for={`${id}-preset`}>{t.preset}</label>
        <select
          id={`${id}-preset`}
          value={setup.preset.name}
          onChange={(e) => choosePreset((e.currentTarget as HTMLSelectElement).value)}
        >
          {PRESETS.map((p) => (
            <option key={p.name} value={p.name}>
              {p.title[lang]}
            </option>
          ))}
        </select>
        {setup.preset.description && <p class="twg-pg__description">{setup.preset.description[lang]}</p>}
        {setup.preset.note && <p class="twg-pg__note">{setup.preset.note[lang]}</p>}
      </div>

      {knobsView}

      {problems.length > 0 && (
        <div class="twg-pg__problems" role="alert">
          <p>{t.invalid}</p>
          <ul>
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}

      <div class="twg-pg__actions">
        {heavy && (
          <button type="button" onClick={run} disabled={running || problems.length > 0}>
            {t.run}
          </button>
        )}
        {running && (
          <button type="button" onClick={cancel}>
            {t.cancel}
          </button>
        )}
        <button type="button" onClick={() => choosePreset(setup.preset.name)}>
          {t.reset}
        </button>
        <button type="button" onClick={copyLink}>
          {t.copy}
        </button>
      </div>
      <RunStatus
        bus={bus}
        running={running}
        label={t.progress}
        text={status || (stale && result ? t.stale : '') || (heavy && !result ? t.pressRun : '')}
      />

      <div class={`twg-pg__result${stale ? ' twg-pg__result--stale' : ''}`} data-testid="result">
        {resultView}
      </div>
    </section>
  );
}

export default Playground;
