// The state every scenario widget shares (the close explorer and the chapters' scenario labs): which
// scenario of a small set is shown, its seed, the instant, the segments dropped or held back on
// purpose, the selected segment, playback, the URL state and the screen-reader announcements.
//
// A widget names its choice field (`c` for the close explorer, `v` for labs), so their URL formats
// stay what they were: { <choice>, s: seed, t: µs, d: dropped ids, y?: [id, µs] held back }.
// The first render uses the defaults (never the URL), so the server-rendered HTML equals the hydrated
// first render; the URL state is applied in an effect after hydration and a bad one shows a message.
// Reading and writing the URL load ./scenario-url.ts on demand: a page opened without a state in its
// URL never needs the decoder and validators until the reader changes something.

import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Scenario } from '../../../src/sim/types.ts';
import type { Labels, Lang } from './i18n.ts';
import {
  type DelayPair,
  type Interventions,
  intervene,
  interventionFields,
  interventionKey,
  NONE,
} from './interventions.ts';
import { type Playback, usePlayback } from './playback.ts';
import { type Run, runScenario } from './run.ts';
import { formatTime, type TimeAxis, timeAxis } from './time.ts';
import { hasHashValue } from './url-hash.ts';

/** The widget-neutral form of the state; `k` is the choice (closer or variant). */
export interface RunState<K extends string> {
  k: K;
  s: number;
  t: number;
  d: number[];
  y?: DelayPair[];
}

export interface ScenarioRunOptions<K extends string> {
  /** Key of the widget's state in the URL fragment. */
  id: string;
  lang: Lang;
  L: Labels;
  /** Name of the choice in the URL state ('c', 'v'). */
  field: string;
  choices: readonly K[];
  initial: K;
  scenarioOf(k: K): Scenario;
  /** The instant a run opens on. */
  openAt(run: Run): number;
  /** Open a newly chosen scenario on its own instant (labs) or keep the instant (close explorer). */
  reopenOnChoose: boolean;
  /** What the screen reader hears after a step: the states at t, or '' (see Labels.status). */
  statusAt(run: Run, t: number): string;
  /** Embeds: keep the state out of the page URL and start from `initialState` instead. */
  syncUrl?: boolean;
  initialState?: Partial<RunState<K>>;
  onStateChange?: (state: RunState<K>) => void;
}

export interface ScenarioRun<K extends string> {
  choice: K;
  choose(k: K): void;
  run: Run;
  axis: TimeAxis;
  t: number;
  setT(t: number): void;
  pb: Playback;
  iv: Interventions;
  /** Drop segment `id` (`by` undefined) or hold it back `by` µs, and replay. */
  act(id: number, by?: number): void;
  undo(): void;
  selected: number | null;
  setSelected(id: number | null): void;
  /** Why the URL's state could not be used (already in words), or null. */
  problem: string | null;
  announce: string;
  /** The state as the URL and the embed button carry it (choice under its field name). */
  state: Record<string, unknown>;
}

export function useScenarioRun<K extends string>(o: ScenarioRunOptions<K>): ScenarioRun<K> {
  const [choice, setChoice] = useState<K>(o.initial);
  const [seed, setSeed] = useState<number>(o.scenarioOf(o.initial).seed);
  const [iv, setIv] = useState<Interventions>(NONE);
  const scenario = o.scenarioOf(choice);
  const run = useMemo(
    () => runScenario(scenario, { seed, drops: iv.d, delays: iv.y }),
    // Compared by content: a new array with the same ids must not re-run.
    [scenario, seed, interventionKey(iv)],
  );
  const axis = useMemo(() => timeAxis(run.instants, run.end), [run]);
  const [tRaw, setTRaw] = useState<number>(() => o.openAt(run));
  const t = Math.max(0, Math.min(tRaw, run.end));
  const [selected, setSelected] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const touched = useRef(false);

  const setT = useCallback((v: number) => {
    touched.current = true;
    setTRaw(Math.round(v));
  }, []);
  const pb = usePlayback(axis, run.instants, t, setT);

  const apply = (k: K, s: number, next: Interventions, at: number | undefined) => {
    setChoice(k);
    setSeed(s);
    setIv(next);
    setTRaw(at ?? o.openAt(runScenario(o.scenarioOf(k), { seed: s, drops: next.d, delays: next.y })));
  };

  // After hydration: the embed's initial state, then the URL's (never during the server render).
  useEffect(() => {
    const given = o.initialState;
    if (given) {
      const k = given.k !== undefined && o.choices.includes(given.k) ? given.k : o.initial;
      apply(k, given.s ?? o.scenarioOf(k).seed, { d: given.d ?? [], y: given.y ?? [] }, given.t);
    }
    if (o.syncUrl === false || !hasHashValue(o.id)) return;
    let live = true;
    import('./scenario-url.ts').then(({ readRunState }) => {
      const read = live ? readRunState(o.id, o.field, o.choices, o.lang) : null;
      if (read === null) return;
      if (read.problem !== undefined) {
        setProblem(read.problem);
        return;
      }
      const st = read.state;
      apply(st.k, st.s, { d: st.d, y: st.y ?? [] }, st.t);
    });
    return () => {
      live = false;
    };
  }, [o.id]);

  const state: Record<string, unknown> = { [o.field]: choice, s: seed, t, ...interventionFields(iv) };
  const stateJson = JSON.stringify(state);
  // Keep the URL in step (debounced: playing changes t sixty times a second).
  useEffect(() => {
    if (!touched.current || o.syncUrl === false) return;
    const id = setTimeout(
      () =>
        import('./scenario-url.ts').then(({ writeUrlState }) => writeUrlState(o.id, JSON.parse(stateJson))),
      250,
    );
    return () => clearTimeout(id);
  }, [stateJson, o.id]);
  useEffect(() => {
    if (!o.onStateChange) return;
    o.onStateChange({ k: choice, s: seed, t, ...interventionFields(iv) });
  }, [stateJson]);

  // Tell screen readers where a step landed (not while playing: that would be a flood).
  useEffect(() => {
    if (pb.playing || !touched.current) return;
    setAnnounce(o.L.status(formatTime(t, o.lang), o.statusAt(run, t)));
  }, [t, pb.playing]);

  const choose = (k: K) => {
    touched.current = true;
    pb.pause();
    const s = o.scenarioOf(k).seed;
    setChoice(k);
    setSeed(s);
    setIv(NONE);
    setSelected(null);
    if (o.reopenOnChoose) setTRaw(o.openAt(runScenario(o.scenarioOf(k), { seed: s })));
  };
  const act = (id: number, by?: number) => {
    touched.current = true;
    pb.pause();
    setIv(intervene(run, iv, id, by));
    setSelected(null);
    setAnnounce(by === undefined ? o.L.droppedStatus(id) : o.L.delayedStatus(id, formatTime(by, o.lang)));
  };
  const undo = () => {
    touched.current = true;
    setIv(NONE);
    setSelected(null);
    setAnnounce(o.L.undoneStatus);
  };

  return {
    choice,
    choose,
    run,
    axis,
    t,
    setT,
    pb,
    iv,
    act,
    undo,
    selected,
    setSelected,
    problem,
    announce,
    state,
  };
}
