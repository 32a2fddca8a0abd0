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
 *
 * State (in the URL as base64url JSON under `id`): { c: 'client'|'server'|'both', s: seed, t: instant
 * in µs, d: ids of dropped segments }. The first render uses the defaults, so the server-rendered HTML
 * and the hydrated first render match; a state from the URL is applied right after hydration.
 */
import type { JSX } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Scenario } from '../../src/sim/types.ts';
import { EmbedButton } from './EmbedButton.tsx';
import { hostName, labels, normalizeLang } from './runtime/i18n.ts';
import { usePlayback } from './runtime/playback.ts';
import { addDrop, laneStateAt, type Run, runScenario, tableAt, tcpdumpAt } from './runtime/run.ts';
import { formatTime, timeAxis } from './runtime/time.ts';
import { transcript } from './runtime/transcript.ts';
import {
  type Checked,
  describeProblem,
  intField,
  isRecord,
  type Problem,
  readUrlState,
  writeUrlState,
} from './runtime/urlState.ts';
import { SequenceDiagram, segmentDetails } from './SequenceDiagram.tsx';
import { SsTable } from './SsTable.tsx';
import { StateMachine, type StateMark } from './StateMachine.tsx';
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
}

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

/** Largest instant a URL may ask for: one day (runs are shorter; the instant is clamped to the run). */
export const MAX_T = 86_400_000_000;
export const MAX_DROPS = 16;

export function validateCloseState(raw: unknown): Checked<CloseState> {
  if (!isRecord(raw)) return { ok: false, problem: { kind: 'shape' } };
  const c = raw.c;
  if (c !== 'client' && c !== 'server' && c !== 'both')
    return { ok: false, problem: { kind: 'field', field: 'c', expected: 'client | server | both' } };
  const s = intField(raw.s, 's', 0, 0xffffffff);
  if (!s.ok) return s;
  const t = intField(raw.t, 't', 0, MAX_T);
  if (!t.ok) return t;
  const d = raw.d ?? [];
  if (!Array.isArray(d) || d.length > MAX_DROPS)
    return { ok: false, problem: { kind: 'field', field: 'd', expected: `≤ ${MAX_DROPS} segment ids` } };
  const drops: number[] = [];
  for (const x of d) {
    const v = intField(x, 'd', 1, 1_000_000);
    if (!v.ok) return v;
    drops.push(v.value);
  }
  return { ok: true, value: { c, s: s.value, t: t.value, d: drops } };
}

/** The instant shown first: just after the last segment of the close, with TIME_WAIT under way. */
export function defaultInstant(run: Run): number {
  let t = 0;
  for (const a of run.seq.arrows) t = Math.max(t, a.arrivedAt ?? a.sentAt);
  return Math.min(run.end, t);
}

export function CloseExplorer(props: CloseExplorerProps): JSX.Element {
  const lang = normalizeLang(props.lang);
  const L = labels(lang);
  const initial = props.initial && CLOSERS.includes(props.initial) ? props.initial : 'client';
  const [c, setC] = useState<Closer>(initial);
  const [seed, setSeed] = useState<number>(props.scenarios[initial].seed);
  const [drops, setDrops] = useState<number[]>([]);
  const run = useMemo(
    () => runScenario(props.scenarios[c], { seed, drops }),
    // drops is compared by content: a new array with the same ids must not re-run.
    [props.scenarios, c, seed, drops.join(',')],
  );
  const axis = useMemo(() => timeAxis(run.instants, run.end), [run]);
  const [tRaw, setTRaw] = useState<number>(() => defaultInstant(run));
  const t = Math.max(0, Math.min(tRaw, run.end));
  const [selected, setSelected] = useState<number | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [announce, setAnnounce] = useState('');
  const touched = useRef(false);

  const setT = useCallback((v: number) => {
    touched.current = true;
    setTRaw(Math.round(v));
  }, []);
  const pb = usePlayback(axis, run.instants, t, setT);

  // After hydration: apply the state in the URL, if any (never during the server render).
  useEffect(() => {
    const given = props.initialState;
    if (given) {
      const nc = given.c && CLOSERS.includes(given.c) ? given.c : initial;
      const ns = given.s ?? props.scenarios[nc].seed;
      const nd = given.d ?? [];
      setC(nc);
      setSeed(ns);
      setDrops(nd);
      setTRaw(given.t ?? defaultInstant(runScenario(props.scenarios[nc], { seed: ns, drops: nd })));
    }
    if (props.syncUrl === false) return;
    const read = readUrlState(props.id, validateCloseState);
    if (read === null) return;
    if (read.problem) {
      setProblem(read.problem);
      return;
    }
    setC(read.state.c);
    setSeed(read.state.s);
    setDrops(read.state.d);
    setTRaw(read.state.t);
  }, [props.id]);

  // Keep the URL in step (debounced: playing changes t sixty times a second).
  const state: CloseState = { c, s: seed, t, d: drops };
  const stateKey = JSON.stringify(state);
  useEffect(() => {
    if (!touched.current || props.syncUrl === false) return;
    const id = setTimeout(() => writeUrlState(props.id, JSON.parse(stateKey)), 250);
    return () => clearTimeout(id);
  }, [stateKey, props.id]);
  useEffect(() => props.onStateChange?.(JSON.parse(stateKey)), [stateKey]);

  const lane = (host: string) => run.lanes.find((l) => run.laneHost[l] === host);
  const marks = (['client', 'server'] as const).map((host, i): StateMark => {
    const id = lane(host);
    const st = id === undefined ? { state: 'CLOSED' as const } : laneStateAt(run, id, t);
    const m: StateMark = { label: hostName(lang, host, true), state: st.state, tone: i === 0 ? 'a' : 'b' };
    if (st.from !== undefined) m.from = st.from;
    if (st.cause !== undefined) m.cause = st.cause;
    return m;
  });

  // Tell screen readers where a step landed (not while playing: that would be a flood).
  useEffect(() => {
    if (pb.playing || !touched.current) return;
    setAnnounce(L.status(formatTime(t, lang), marks.map((m) => `${m.label} ${m.state}`).join(', ')));
  }, [t, pb.playing]);

  const choose = (next: Closer) => {
    touched.current = true;
    pb.pause();
    setC(next);
    setSeed(props.scenarios[next].seed);
    setDrops([]);
    setSelected(null);
  };
  const drop = (segId: number) => {
    touched.current = true;
    pb.pause();
    setDrops(addDrop(run, drops, segId));
    setSelected(null);
    setAnnounce(L.droppedStatus(segId));
  };
  const undo = () => {
    touched.current = true;
    setDrops([]);
    setSelected(null);
    setAnnounce(L.undoneStatus);
  };

  const selArrow = run.seq.arrows.find((a) => a.seg === selected && a.sentAt <= t && a.dropped === undefined);
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
        <EmbedButton widget="close-explorer" stateKey={props.id} state={state} lang={lang} />
      </div>
      {props.caption && <p class="twg-caption">{props.caption}</p>}
      {problem && (
        <p class="twg-problem" role="alert">
          {L.badState(describeProblem(problem, lang))}
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
              checked={c === value}
              onChange={() => choose(value)}
            />{' '}
            {text}
          </label>
        ))}
      </fieldset>
      <Timeline axis={axis} t={t} onSeek={setT} playback={pb} lang={lang} />
      <p class="twg-sr" aria-live="polite">
        {announce}
      </p>
      <div class="twg-main">
        <div class="twg-seqwrap">
          <SequenceDiagram
            run={run}
            axis={axis}
            t={t}
            lang={lang}
            selected={selected}
            onSelect={setSelected}
            onDrop={drop}
          />
        </div>
        <div class="twg-side">
          {marks.map((m) => (
            <StateMachine key={m.label} marks={[m]} lang={lang} />
          ))}
        </div>
      </div>
      <div class="twg-dropbar">
        <button
          type="button"
          class="twg-btn twg-btn-text"
          disabled={selArrow === undefined}
          onClick={() => selArrow && drop(selArrow.seg)}
          data-act="drop"
        >
          {selArrow ? L.dropSelected(selArrow.seg) : L.dropSelected(0).replace(/\s*#0$/, '')}
        </button>
        {selArrow ? (
          <span class="twg-details">{segmentDetails(run, selArrow, lang).replace(/\n/g, ' · ')}</span>
        ) : (
          <span class="twg-hint">{L.dropHint}</span>
        )}
        <span class="twg-drops">
          {drops.length > 0 ? L.drops(drops.map((d) => `#${d}`).join(', ')) : L.noDrops}
        </span>
        {drops.length > 0 && (
          <button type="button" class="twg-btn twg-btn-text" onClick={undo} data-act="undo">
            {L.resetDrops}
          </button>
        )}
      </div>
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
