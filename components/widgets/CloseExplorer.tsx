/**
 * CloseExplorer — the close explorer of "How TIME_WAIT arises": choose who closes first (or both at
 * once), step or play through the close, drop any segment, and watch both state machines, the socket
 * tables, a tcpdump log and a transcript.
 *
 * Props (use CloseExplorer.astro, which parses the scenarios at build time):
 * - `id`: key of this widget's state in the URL fragment (unique on the page).
 * - `lang`: the page language ('en', 'zh-CN'; anything starting with "zh" is Chinese).
 * - `scenarios`: parsed scenarios for each choice: client first, server first, both at once.
 * - `initial`: the choice shown first (default 'client').
 * - `caption`: optional sentence under the title saying what to try.
 * - `syncUrl`, `initialState`, `onStateChange`: for embeds (keep the state out of the host's URL).
 *
 * State (in the URL as base64url JSON under `id`): { c: 'client'|'server'|'both', s: seed, t: instant
 * in µs, d: ids of dropped segments, y: [id, µs] of segments held back (only when there are any) }. The first render uses the defaults, so the server-rendered HTML
 * and the hydrated first render match; a state from the URL is applied right after hydration.
 */
import type { JSX } from 'preact';
import type { Scenario } from '../../src/sim/types.ts';
import { DropBar } from './DropBar.tsx';
import { EmbedButton } from './EmbedButton.tsx';
import { hostName, type Lang, labels, normalizeLang } from './runtime/i18n.ts';
import type { DelayPair } from './runtime/interventions.ts';
import { lastArrival, type Run, tableAt, tcpdumpAt } from './runtime/run.ts';
import { type RunState, useScenarioRun } from './runtime/scenario-run.ts';
import { transcript } from './runtime/transcript.ts';
import { SequenceDiagram } from './SequenceDiagram.tsx';
import { SsTable } from './SsTable.tsx';
import { markAt, StateMachine, type StateMark } from './StateMachine.tsx';
import { TcpdumpLog } from './TcpdumpLog.tsx';
import { Timeline } from './Timeline.tsx';
import { Transcript } from './Transcript.tsx';

export type Closer = 'client' | 'server' | 'both';
export const CLOSERS: readonly Closer[] = ['client', 'server', 'both'];

export interface CloseState {
  c: Closer;
  s: number;
  t: number;
  d: number[];
  /** Segments held back: [id, µs]; absent when none. */
  y?: DelayPair[];
}

export const toClose = (r: RunState<Closer>): CloseState => {
  const out: CloseState = { c: r.k, s: r.s, t: r.t, d: r.d };
  if (r.y !== undefined) out.y = r.y;
  return out;
};

export interface CloseExplorerProps {
  id: string;
  lang?: string;
  scenarios: Record<Closer, Scenario>;
  initial?: Closer;
  /**
   * Embeds (src/embed/): keep the state out of the page URL (a host page's URL is not ours), start from
   * `initialState` instead (absent fields keep their defaults), and report each new state.
   */
  syncUrl?: boolean;
  initialState?: Partial<CloseState>;
  onStateChange?: (state: CloseState) => void;
  /** A sentence under the title saying what to try. */
  caption?: string;
}

/** Both endpoints' states at t (client, server). */
function marksAt(run: Run, t: number, lang: Lang): StateMark[] {
  const lane = (host: string) => run.lanes.find((l) => run.laneHost[l] === host);
  return (['client', 'server'] as const).map((host, i) =>
    markAt(run, lane(host), t, hostName(lang, host, true), i === 0 ? 'a' : 'b'),
  );
}

export function CloseExplorer(props: CloseExplorerProps): JSX.Element {
  const lang = normalizeLang(props.lang);
  const L = labels(lang);
  const initial = props.initial && CLOSERS.includes(props.initial) ? props.initial : 'client';
  const given = props.initialState;
  const w = useScenarioRun<Closer>({
    id: props.id,
    lang,
    L,
    field: 'c',
    choices: CLOSERS,
    initial,
    scenarioOf: (k) => props.scenarios[k],
    // Just after the last segment of the close, with TIME_WAIT under way.
    openAt: lastArrival,
    reopenOnChoose: false,
    statusAt: (run, t) =>
      marksAt(run, t, lang)
        .map((m) => `${m.label} ${m.state}`)
        .join(', '),
    ...(props.syncUrl === undefined ? {} : { syncUrl: props.syncUrl }),
    ...(given === undefined
      ? {}
      : { initialState: { ...given, ...(given.c === undefined ? {} : { k: given.c }) } }),
    ...(props.onStateChange === undefined
      ? {}
      : { onStateChange: (r: RunState<Closer>) => props.onStateChange?.(toClose(r)) }),
  });
  const { run, t, pb } = w;
  const marks = marksAt(run, t, lang);
  const choices: [Closer, string][] = [
    ['client', L.closerClient],
    ['server', L.closerServer],
    ['both', L.closerBoth],
  ];
  const headingId = `${props.id}-title`;

  return (
    <section
      class="twg twg-close not-content"
      aria-labelledby={headingId}
      data-widget="close-explorer"
      onKeyDown={(e) => {
        if (pb.onKey(e)) e.preventDefault();
      }}
    >
      <div class="twg-head">
        <p class="twg-title" id={headingId}>
          {L.closeExplorer}
        </p>
        <EmbedButton widget="close-explorer" stateKey={props.id} state={w.state} lang={lang} />
      </div>
      {props.caption && <p class="twg-caption">{props.caption}</p>}
      {w.problem && (
        <p class="twg-problem" role="alert">
          {L.badState(w.problem)}
        </p>
      )}
      <fieldset class="twg-choices">
        <legend>{L.whoCloses}</legend>
        {choices.map(([value, text]) => (
          <label key={value}>
            <input
              type="radio"
              name={`${props.id}-closer`}
              value={value}
              checked={w.choice === value}
              onChange={() => w.choose(value)}
            />{' '}
            {text}
          </label>
        ))}
      </fieldset>
      <Timeline axis={w.axis} t={t} onSeek={w.setT} playback={pb} lang={lang} />
      <p class="twg-sr" aria-live="polite">
        {w.announce}
      </p>
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
        <div class="twg-side">
          {marks.map((m) => (
            <StateMachine key={m.label} marks={[m]} lang={lang} />
          ))}
        </div>
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

export default CloseExplorer;
