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
//
// The raw scenario editor (a plain textarea, playground/editor.ts) shows the scenario the knobs make and
// re-checks an edit as it is typed; "Apply" makes the edited scenario the base the knobs work on (it
// travels in the URL as `#pgs=…`, playground/url-scenario.ts). Downloads of the run on screen — JSON,
// text and a .pcap capture — are built on demand (playground/downloads.ts, src/export/).

import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Chart, type ChartSeries } from './Chart.tsx';
import { littleCurve } from './chart/littles-law.ts';
import { EmbedButton } from './EmbedButton.tsx';
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
import { buildDownload, type DownloadKind, saveFile } from './playground/downloads.ts';
import { checkText, type EditorProblem, scenarioText } from './playground/editor.ts';
import { DEFAULT_PRESET, PRESETS, type Preset, presetByName } from './playground/presets.ts';
import {
  decodeScenarioState,
  encodeScenarioState,
  hashWithScenario,
  scenarioFromHash,
} from './playground/url-scenario.ts';
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
    editor: 'Scenario JSON',
    editorLabel: 'The scenario as JSON (editable)',
    editorHint:
      'Every knob above writes into this text. Edit it freely: it is checked as you type, and Apply (or Ctrl+Enter) runs it; the knobs then show its values. The format is that of the scenario files (npm run sim -- schema prints its JSON Schema).',
    editorProblems: (n: number) =>
      n === 1
        ? 'One problem; the result below is from the last valid scenario:'
        : `${n} problems; the result below is from the last valid scenario:`,
    editorDirty: 'The editor has changes that are not applied: the result is from the previous scenario.',
    apply: 'Apply',
    revert: 'Undo edits',
    applied: 'The edited scenario is applied.',
    downloads: 'Download this run',
    dlJson: 'JSON (scenario, seed, events)',
    dlText: 'Text (calls, tcpdump, ss)',
    dlPcap: '.pcap (tcpdump, Wireshark)',
    noPcap:
      'A load run exports its counters only: its capture would hold millions of packets. Scripted scenarios also offer a .pcap file.',
    downloaded: (name: string) => `Downloaded ${name}.`,
    urlScenario: {
      length: 'The scenario in the link is too long.',
      encoding: 'The scenario in the link is not valid base64url.',
      json: 'The scenario in the link is not valid JSON.',
      shape: 'The scenario in the link is not a JSON object.',
      invalid: 'The scenario in the link has problems; they are listed under the editor.',
    },
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
    editor: '场景 JSON',
    editorLabel: '以 JSON 表示的场景（可编辑）',
    editorHint:
      '上面的每个参数都会写进这段文本。可以随意修改：输入时即检查，按“应用”（或 Ctrl+Enter）即运行，参数随后显示其中的值。格式与场景文件相同（npm run sim -- schema 会打印其 JSON Schema）。',
    editorProblems: (n: number) => `${n} 个问题；下面的结果来自上一个有效的场景：`,
    editorDirty: '编辑器中有尚未应用的修改：结果来自之前的场景。',
    apply: '应用',
    revert: '撤销编辑',
    applied: '已应用编辑后的场景。',
    downloads: '下载本次运行',
    dlJson: 'JSON（场景、种子、事件）',
    dlText: '文本（调用、tcpdump、ss）',
    dlPcap: '.pcap（tcpdump、Wireshark）',
    noPcap: '负载运行只导出计数：其抓包会有数百万个数据包。脚本场景还可下载 .pcap 文件。',
    downloaded: (name: string) => `已下载 ${name}。`,
    urlScenario: {
      length: '链接中的场景过长。',
      encoding: '链接中的场景不是有效的 base64url 编码。',
      json: '链接中的场景不是有效的 JSON。',
      shape: '链接中的场景不是 JSON 对象。',
      invalid: '链接中的场景有问题，已列在编辑器下方。',
    },
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
  /** A scenario applied from the editor: the knobs then work on it instead of the preset's. */
  custom?: ScenarioJson;
  values: Record<string, KnobValue>;
}

/** Every knob a preset could have, whatever its profile (to check a URL's values against). */
function allKnobs(p: Preset): Knob[] {
  return knobsFor({ ...p.json, profile: 'linux-4.11' });
}

/** The knobs of a setup: derived from the preset with the chosen values (the profile adds some). */
function derive(setup: Setup): { knobs: Knob[]; json: ScenarioJson; error?: string } {
  const base = setup.custom ?? setup.preset.json;
  // An edited scenario is valid (the editor checked it), but its shape is the author's: whatever the
  // knobs make of it, a surprise must show as a problem, not break the page.
  let first: Knob[] = [];
  try {
    first = knobsFor(base);
    const once = applyKnobs(base, first, setup.values);
    const knobs = knobsFor(once);
    return { knobs, json: applyKnobs(base, knobs, setup.values) };
  } catch (e) {
    return { knobs: first, json: base, error: e instanceof Error ? e.message : String(e) };
  }
}

function safeKnobValues(json: ScenarioJson, knobs: readonly Knob[]): Record<string, KnobValue> {
  try {
    return knobValues(json, knobs);
  } catch {
    return {};
  }
}

interface Shown {
  result?: PlaygroundResult;
  problems?: string[];
  run?: Run;
  /** The scenario JSON this result came from (what the downloads export). */
  json?: ScenarioJson;
}

/** Run a small scripted scenario on the main thread (parse once, feed both views). */
function runSmall(json: ScenarioJson): Shown {
  const parsed = tryParseScenario(json, 'scenario');
  if (!parsed.ok) return { problems: parsed.problems };
  const result = runParsed(parsed.scenario);
  const shown: Shown = { result, json };
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
  const values = useMemo(() => safeKnobValues(derived.json, derived.knobs), [derived]);

  // The first frame: the default preset run synchronously (at build time, and again on hydration).
  const [shown, setShown] = useState<Shown>(() => (heavy ? {} : runSmall(derived.json)));
  const [stale, setStale] = useState(false);
  const [status, setStatus] = useState('');
  const [running, setRunning] = useState(false);
  const bus = useMemo<ProgressBus>(() => ({ fraction: 0, text: '', listeners: new Set() }), []);
  const handle = useRef<RunHandle | undefined>(undefined);
  const first = useRef(true);

  // The editor: its text, the problems of that text (checked after a pause in typing) and whether it
  // differs from the scenario the knobs made (then the result on screen is marked stale).
  const [editorText, setEditorText] = useState(() => scenarioText(derived.json));
  const [editProblems, setEditProblems] = useState<EditorProblem[]>([]);
  const [dirty, setDirty] = useState(false);
  const synced = useRef(editorText);
  const checkTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const editorRef = useRef<HTMLTextAreaElement>(null);
  // The editor and the downloads work only with JavaScript: they appear once the island has hydrated,
  // which also keeps the scenario text out of the page's HTML (the first frame's budget).
  const [live, setLive] = useState(false);
  useEffect(() => setLive(true), []);

  // After hydration: apply a state from the URL, or say why it can't be used.
  useEffect(() => {
    const encoded = stateFromHash(location.hash);
    const encodedScenario = scenarioFromHash(location.hash);
    if (encoded === undefined && encodedScenario === undefined) return;
    let preset = defaultPreset;
    let values: Record<string, KnobValue> = {};
    if (encoded !== undefined) {
      const decoded = decodeState(encoded, (name) => {
        const p = presetByName(name);
        return p ? allKnobs(p) : undefined;
      });
      if (!decoded.ok) {
        setUrlProblem(decoded.error);
        return;
      }
      preset = presetByName(decoded.state.preset) as Preset;
      values = decoded.state.values;
    }
    if (encodedScenario === undefined) {
      setSetup({ preset, values });
      return;
    }
    const d = decodeScenarioState(encodedScenario);
    if (!d.ok) {
      setUrlProblem({ en: T.en.urlScenario[d.reason], 'zh-cn': T['zh-cn'].urlScenario[d.reason] });
      return;
    }
    const linked = scenarioText(d.json);
    const checked = checkText(linked, lang);
    if (!checked.ok) {
      // Keep the defaults running, and put the link's scenario in the editor with its problems, so
      // nothing in the link is lost and it can be fixed there.
      setUrlProblem({ en: T.en.urlScenario.invalid, 'zh-cn': T['zh-cn'].urlScenario.invalid });
      setEditorText(linked);
      setDirty(true);
      setEditProblems(checked.problems);
      return;
    }
    setSetup({ preset, custom: checked.json, values });
  }, []);

  // The editor follows the knobs and the preset: a new scenario from them replaces the text.
  const syncedJson = useRef(derived.json);
  useEffect(() => {
    // Not on mount: the text already shows this scenario (and a link's invalid one may be there).
    if (syncedJson.current === derived.json) return;
    syncedJson.current = derived.json;
    const next = scenarioText(derived.json);
    synced.current = next;
    clearTimeout(checkTimer.current);
    setEditorText(next);
    setDirty(false);
    setEditProblems([]);
  }, [derived.json]);

  useEffect(() => () => clearTimeout(checkTimer.current), []);

  // Keep the URL in step with the setup (only what differs from the preset).
  useEffect(() => {
    if (first.current) return;
    const base = knobValues(setup.preset.json, derived.knobs);
    const diff: Record<string, KnobValue> = {};
    for (const [k, v] of Object.entries(values)) if (base[k] !== v) diff[k] = v;
    const isDefault = setup.preset.name === DEFAULT_PRESET && Object.keys(diff).length === 0 && !setup.custom;
    // An edited scenario goes whole into `pgs` (knob changes folded in); `pg` then names the preset
    // it started from with no knob values, so older pages still understand the link.
    const hash = hashWithScenario(
      hashWithState(
        location.hash,
        isDefault ? undefined : encodeState({ preset: setup.preset.name, values: setup.custom ? {} : diff }),
      ),
      setup.custom ? encodeScenarioState(derived.json) : undefined,
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
          setShown({ result: outcome.result, json: derived.json });
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

  // The editor. Typing re-checks after a pause (checking parses the whole scenario: not on every key).
  const onEdit = (value: string) => {
    setEditorText(value);
    const changed = value !== synced.current;
    setDirty(changed);
    clearTimeout(checkTimer.current);
    if (!changed) {
      setEditProblems([]);
      return;
    }
    checkTimer.current = setTimeout(() => {
      const c = checkText(value, lang);
      setEditProblems(c.ok ? [] : c.problems);
    }, 300);
  };

  const apply = () => {
    clearTimeout(checkTimer.current);
    const c = checkText(editorText, lang);
    if (!c.ok) {
      setEditProblems(c.problems);
      return;
    }
    setUrlProblem(undefined);
    setEditProblems([]);
    setSetup((s) => ({ preset: s.preset, custom: c.json, values: {} }));
    setStatus(t.applied);
  };

  const revert = () => {
    clearTimeout(checkTimer.current);
    setEditorText(synced.current);
    setDirty(false);
    setEditProblems([]);
    editorRef.current?.focus();
  };

  const download = (kind: DownloadKind) => {
    const json = shown.json;
    if (json === undefined) return;
    const parsed = tryParseScenario(json, 'scenario');
    if (!parsed.ok) return;
    try {
      const file = buildDownload(kind, json, parsed.scenario, lang, shown.result);
      saveFile(file);
      setStatus(t.downloaded(file.name));
    } catch (e) {
      setStatus(e instanceof Error ? e.message : String(e));
    }
  };

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
  const customTitle = setup.custom?.title as Text | undefined;
  const title =
    setup.custom === undefined
      ? setup.preset.title[lang]
      : typeof customTitle?.[lang] === 'string'
        ? customTitle[lang]
        : typeof setup.custom.name === 'string'
          ? setup.custom.name
          : setup.preset.title[lang];
  const shownLoad = shown.json !== undefined && isHeavy(shown.json);
  const canDownload = shown.json !== undefined && shown.result !== undefined && !running;
  const problemsId = `${id}-editor-problems`;
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

      {live && (
        <section class="twg-pg__editor" aria-labelledby={`${id}-editor-h`}>
          <h3 id={`${id}-editor-h`}>{t.editor}</h3>
          <p id={`${id}-editor-hint`} class="twg-pg__hint">
            {t.editorHint}
          </p>
          <label for={`${id}-editor`}>{t.editorLabel}</label>
          <textarea
            id={`${id}-editor`}
            ref={editorRef}
            class="twg-pg__json"
            rows={16}
            spellcheck={false}
            autocomplete="off"
            autocapitalize="off"
            wrap="off"
            value={editorText}
            aria-invalid={editProblems.length > 0 ? 'true' : 'false'}
            aria-describedby={`${id}-editor-hint ${problemsId}`}
            onInput={(e) => onEdit((e.currentTarget as HTMLTextAreaElement).value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                apply();
              }
            }}
          />
          <div
            id={problemsId}
            class="twg-pg__editor-problems"
            aria-live="polite"
            data-testid="editor-problems"
          >
            {editProblems.length > 0 && (
              <>
                <p>{t.editorProblems(editProblems.length)}</p>
                <ul>
                  {editProblems.map((p, i) => (
                    <li key={`${i}-${p.path}`}>
                      <code>{p.path}</code>: {p.message}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </div>
          <div class="twg-pg__actions">
            <button type="button" onClick={apply}>
              {t.apply}
            </button>
            <button type="button" onClick={revert} disabled={!dirty}>
              {t.revert}
            </button>
          </div>
        </section>
      )}

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
        <EmbedButton
          widget="playground"
          stateKey={id}
          state={{ preset: setup.preset.name, values }}
          lang={lang === 'zh-cn' ? 'zh-CN' : 'en'}
        />
      </div>
      <RunStatus
        bus={bus}
        running={running}
        label={t.progress}
        text={
          (dirty ? t.editorDirty : '') ||
          status ||
          (stale && result ? t.stale : '') ||
          (heavy && !result ? t.pressRun : '')
        }
      />

      <div
        class={`twg-pg__result${stale || dirty ? ' twg-pg__result--stale' : ''}`}
        data-testid="result"
        data-stale={stale || dirty ? 'true' : 'false'}
      >
        {resultView}
      </div>

      {live && (
        <section class="twg-pg__downloads" aria-labelledby={`${id}-dl`}>
          <h3 id={`${id}-dl`}>{t.downloads}</h3>
          <div class="twg-pg__actions">
            <button
              type="button"
              data-download="json"
              disabled={!canDownload}
              onClick={() => download('json')}
            >
              {t.dlJson}
            </button>
            <button
              type="button"
              data-download="text"
              disabled={!canDownload}
              onClick={() => download('text')}
            >
              {t.dlText}
            </button>
            {!shownLoad && (
              <button
                type="button"
                data-download="pcap"
                disabled={!canDownload}
                onClick={() => download('pcap')}
              >
                {t.dlPcap}
              </button>
            )}
          </div>
          {shownLoad && <p class="twg-pg__hint">{t.noPcap}</p>}
        </section>
      )}
    </section>
  );
}

export default Playground;
