/**
 * ScenarioLab — a chapter's live lab: one or more scenarios that differ in one knob (the before and
 * after of the chapter's point), run by the simulator in the page. Shows the sequence diagram (select
 * and drop a segment), the timeline (step, back, scrub, play), both state machines or the `ss` tables,
 * tcpdump, the socket calls, a transcript, the embed hook, and where the lab asks for them the bytes
 * the application read and counters over time.
 *
 * Props (use ScenarioLab.astro, which parses the scenarios at build time):
 * - `id`: key of this lab's state in the URL fragment (unique on the page).
 * - `lang`: 'en' | 'zh-CN'.
 * - `title`, `legend`, `caption`: the lab's name, the variant switch's legend, what to try.
 * - `variants`: [{ key, label, scenario }], the scenarios to switch between.
 * - `initial`: the variant shown first; `at`: the instant shown first ('last' segment, 'end', or µs).
 * - `bytes`, `counters`: show the bytes view / the counters chart.
 *
 * State (URL, base64url JSON under `id`): { v: variant key, s: seed, t: instant µs, d: dropped segment
 * ids, y: [id, µs] of segments held back (only when there are any) }. First render = defaults (so the server-rendered HTML equals the hydrated first render); the
 * URL state is applied after hydration, a bad one shows a message and the defaults.
 */
import type { JSX } from 'preact';
import { useMemo, useRef } from 'preact/hooks';
import type { Scenario } from '../../src/sim/types.ts';
import { DropBar } from '../widgets/DropBar.tsx';
import { EmbedButton } from '../widgets/EmbedButton.tsx';
import { hostName, type Lang, labels, normalizeLang } from '../widgets/runtime/i18n.ts';
import type { DelayPair } from '../widgets/runtime/interventions.ts';
import { lastArrival, type Run, tableAt, tcpdumpAt } from '../widgets/runtime/run.ts';
import { useScenarioRun } from '../widgets/runtime/scenario-run.ts';
import { formatTime } from '../widgets/runtime/time.ts';
import { transcript } from '../widgets/runtime/transcript.ts';
import { SequenceDiagram } from '../widgets/SequenceDiagram.tsx';
import { SsTable } from '../widgets/SsTable.tsx';
import { markAt, StateMachine, type StateMark } from '../widgets/StateMachine.tsx';
import { TcpdumpLog } from '../widgets/TcpdumpLog.tsx';
import { Timeline } from '../widgets/Timeline.tsx';
import { Transcript } from '../widgets/Transcript.tsx';
import { byteStreams } from './bytes.ts';
import { notableCalls } from './counters.ts';
import { labLabels } from './i18n.ts';
import { ChartSlot, chartLang, useChartView } from './lazy-chart.tsx';

export interface LabVariant {
  key: string;
  label: string;
  scenario: Scenario;
}

export type At = 'last' | 'end' | number;

export interface ScenarioLabProps {
  id: string;
  lang?: string;
  title: string;
  legend: string;
  caption?: string;
  variants: LabVariant[];
  initial?: string;
  at?: At;
  bytes?: boolean;
  counters?: boolean;
}

export interface LabState {
  v: string;
  s: number;
  t: number;
  d: number[];
  /** Segments held back: [id, µs]; absent when none. */
  y?: DelayPair[];
}

/** The instant a lab opens on. */
export function instantOf(run: Run, at: At): number {
  if (typeof at === 'number') return Math.min(run.end, Math.max(0, at));
  return at === 'end' ? run.end : lastArrival(run);
}

/** Both state machines when the run is one connection (two endpoints); else the ss tables say more. */
function marksAt(run: Run, t: number, lang: Lang): StateMark[] {
  if (run.lanes.length > 2) return [];
  return run.lanes.map((lane, i) =>
    markAt(run, lane, t, hostName(lang, run.laneHost[lane] ?? lane, true), i === 0 ? 'a' : 'b'),
  );
}

export function ScenarioLab(props: ScenarioLabProps): JSX.Element {
  const lang = normalizeLang(props.lang);
  const L = labels(lang);
  const LL = labLabels(lang);
  const keys = props.variants.map((v) => v.key);
  const initial =
    props.initial !== undefined && keys.includes(props.initial) ? props.initial : (keys[0] as string);
  const at = props.at ?? 'last';
  const variantOf = (k: string) =>
    (props.variants.find((x) => x.key === k) ?? props.variants[0]) as LabVariant;
  const w = useScenarioRun<string>({
    id: props.id,
    lang,
    L,
    field: 'v',
    choices: keys,
    initial,
    scenarioOf: (k) => variantOf(k).scenario,
    openAt: (run) => instantOf(run, at),
    // Open the other variant on the instant that makes its point, as the first one did.
    reopenOnChoose: true,
    statusAt: (run, t) =>
      marksAt(run, t, lang)
        .map((m) => `${m.label} ${m.state}`)
        .join(', '),
  });
  const { run, t, pb } = w;
  const v = w.choice;
  const marks = marksAt(run, t, lang);
  const headingId = `${props.id}-title`;
  const streams = props.bytes ? byteStreams(run.events, t) : [];
  // The counters chart keeps the server's drawing until the run changes (./lazy-chart.tsx).
  const firstRun = useRef(run).current;
  const chartStale = run !== firstRun;
  const chart = useChartView(props.counters === true && chartStale);
  // Once per run, not on every frame while the lab plays.
  const counterSeries = useMemo(() => chart?.countersOf(run), [chart, run]);
  const calls = notableCalls(run, t);
  const who = (h: string) => hostName(lang, h);

  return (
    <section
      class="twg twg-lab not-content"
      aria-labelledby={headingId}
      data-widget="scenario-lab"
      data-lab={props.id}
      data-variant={v}
      onKeyDown={(e) => {
        if (pb.onKey(e)) e.preventDefault();
      }}
    >
      <div class="twg-head">
        <p class="twg-title" id={headingId}>
          {props.title}
        </p>
        <EmbedButton widget="scenario-lab" stateKey={props.id} state={w.state} lang={lang} />
      </div>
      {props.caption && <p class="twg-caption">{props.caption}</p>}
      {w.problem && (
        <p class="twg-problem" role="alert">
          {L.badState(w.problem)}
        </p>
      )}
      {props.variants.length > 1 && (
        <fieldset class="twg-choices">
          <legend>{props.legend}</legend>
          {props.variants.map((x) => (
            <label key={x.key}>
              <input
                type="radio"
                name={`${props.id}-variant`}
                value={x.key}
                checked={v === x.key}
                onChange={() => w.choose(x.key)}
              />{' '}
              {x.label}
            </label>
          ))}
        </fieldset>
      )}
      <Timeline axis={w.axis} t={t} onSeek={w.setT} playback={pb} lang={lang} />
      <p class="twg-sr" aria-live="polite">
        {w.announce}
      </p>
      {props.bytes && (
        <section class="twg-lab-bytes" aria-label={LL.bytes} data-view="bytes">
          <p class="twg-h">{LL.bytes}</p>
          {streams.length === 0 ? (
            <p class="twg-empty">{LL.bytesEmpty}</p>
          ) : (
            streams.map((s) => (
              <div
                key={`${s.host}/${s.fd}/${s.start}`}
                class="twg-lab-stream"
                data-corrupted={String(s.corrupted)}
              >
                <p class="twg-lab-streamname">{LL.stream(who(s.host), s.fd, s.conn)}</p>
                <p>
                  <span class="twg-lab-k">{LL.received}</span>{' '}
                  <code class="twg-lab-data">
                    {s.chunks.map((c) => (
                      <mark
                        key={`${c.seg}-${c.deliveredAt}`}
                        class={c.old ? 'twg-lab-old' : 'twg-lab-new'}
                        title={c.old ? LL.old(c.seg, formatTime(c.sentAt, lang)) : LL.fresh(c.seg)}
                        data-old={String(c.old)}
                      >
                        {c.text}
                      </mark>
                    ))}
                  </code>
                </p>
                <p>
                  <span class="twg-lab-k">{LL.readByApp}</span> <code data-read="">{s.read}</code>
                </p>
                <p>
                  <span class="twg-lab-k">{LL.sentByPeer}</span> <code>{s.sent}</code>
                </p>
                <p class={s.corrupted ? 'twg-lab-verdict twg-lab-bad' : 'twg-lab-verdict twg-lab-good'}>
                  {s.corrupted ? LL.corrupted : LL.clean}
                  {s.chunks
                    .filter((c) => c.old)
                    .map((c) => ` ${LL.old(c.seg, formatTime(c.sentAt, lang))}.`)
                    .join('')}
                </p>
              </div>
            ))
          )}
        </section>
      )}
      <div class="twg-main">
        <div class="twg-seqwrap">
          <SequenceDiagram
            run={run}
            axis={w.axis}
            t={t}
            lang={lang}
            selected={w.selected}
            onSelect={w.setSelected}
            onDrop={(id) => w.act(id)}
          />
        </div>
        {marks.length > 0 && (
          <div class="twg-side">
            {marks.map((m) => (
              <StateMachine key={m.label} marks={[m]} lang={lang} />
            ))}
          </div>
        )}
      </div>
      <DropBar
        id={props.id}
        run={run}
        t={t}
        selected={w.selected}
        iv={w.iv}
        onAct={w.act}
        onUndo={w.undo}
        lang={lang}
      />
      {run.truncated && <p class="twg-problem">{L.truncated}</p>}
      {props.counters && (
        <ChartSlot class="twg-lab-counters" aria-label={LL.counters} data-view="counters" stale={chartStale}>
          {chart && (
            <chart.Chart
              id={`${props.id}-chart`}
              lang={chartLang(lang)}
              title={LL.countersTitle}
              yLabel={LL.count}
              start={0}
              end={Math.max(run.end, 1)}
              series={(counterSeries ?? []).map((s) => ({
                id: s.id,
                label:
                  s.kind === 'tw'
                    ? LL.tw(who(s.host ?? ''))
                    : s.kind === 'ports'
                      ? LL.ports(who(s.host ?? ''))
                      : LL.fails,
                t: s.t,
                v: s.v,
              }))}
            />
          )}
        </ChartSlot>
      )}
      <section class="twg-lab-calls" aria-label={LL.calls} data-view="calls">
        <p class="twg-h">{LL.calls}</p>
        {calls.length === 0 ? (
          <p class="twg-empty">{LL.callsEmpty}</p>
        ) : (
          <>
            {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1) */}
            <ol class="twg-lab-calllist" tabIndex={0}>
              {calls.map((c) => (
                <li key={`${c.host}-${c.step}-${c.at}`} data-result={c.result}>
                  <span class="twg-tstamp">{formatTime(c.at, lang)}</span> {who(c.host)}: {c.call}(
                  {c.fd ?? ''}) →{' '}
                  <strong class={c.result === '0' ? undefined : 'twg-lab-err'}>
                    {c.doneAt > t || c.result === 'pending' ? LL.blocked : c.result}
                  </strong>
                  {c.port !== undefined && c.call !== 'recv' ? ` :${c.port}` : ''}
                  {c.call === 'recv' && c.data !== undefined && c.doneAt <= t ? ` "${c.data}"` : ''}
                </li>
              ))}
            </ol>
          </>
        )}
      </section>
      <div class="twg-tables">
        {run.hosts.map((h) => (
          <SsTable key={h} host={h} rows={tableAt(run, h, t)} lang={lang} />
        ))}
      </div>
      <TcpdumpLog lines={tcpdumpAt(run, t)} lang={lang} />
      <Transcript sentences={transcript(run, t, lang)} lang={lang} />
    </section>
  );
}

export default ScenarioLab;
