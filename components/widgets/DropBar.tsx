/**
 * DropBar — what a reader can do to the segment selected in the sequence diagram: drop it, or hold it
 * back on the wire for a chosen time (a delay fault), then see what was done and undo it all. Shared
 * by the close explorer and the chapters' scenario labs (state in runtime/scenario-run.ts).
 *
 * Props:
 * - `run`, `t`: the run and the instant shown (a segment can be acted on once it has been sent).
 * - `selected`: the selected segment id, or null.
 * - `iv`: the drops and delays so far.
 * - `onAct(id, by?)`: drop (`by` undefined) or hold back `by` µs; `onUndo()`: forget them all.
 * - `lang`, `id` (DOM id prefix for the delay select).
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { type Lang, labels } from './runtime/i18n.ts';
import { DELAY_CHOICES, type Interventions, isEmpty } from './runtime/interventions.ts';
import type { Run } from './runtime/run.ts';
import { formatTime } from './runtime/time.ts';
import { segmentDetails } from './SequenceDiagram.tsx';

export interface DropBarProps {
  id: string;
  run: Run;
  t: number;
  selected: number | null;
  iv: Interventions;
  onAct(id: number, by?: number): void;
  onUndo(): void;
  lang: Lang;
}

export function DropBar(props: DropBarProps): JSX.Element {
  const { run, t, lang, iv } = props;
  const L = labels(lang);
  // Past 60 s TIME_WAIT by default: the hold that lets an old segment meet a later incarnation.
  const [by, setBy] = useState<number>(DELAY_CHOICES[3] as number);
  const sel = run.seq.arrows.find(
    (a) => a.seg === props.selected && a.sentAt <= t && a.dropped === undefined,
  );
  const selectId = `${props.id}-delay-by`;
  const done: string[] = [];
  if (iv.d.length > 0) done.push(L.drops(iv.d.map((d) => `#${d}`).join(', ')));
  if (iv.y.length > 0)
    done.push(L.delays(iv.y.map(([seg, us]) => L.delayItem(seg, formatTime(us, lang))).join(', ')));
  return (
    <div class="twg-dropbar">
      <button
        type="button"
        class="twg-btn twg-btn-text"
        disabled={sel === undefined}
        onClick={() => sel && props.onAct(sel.seg)}
        data-act="drop"
      >
        {sel ? L.dropSelected(sel.seg) : L.dropSelected(0).replace(/\s*#0$/, '')}
      </button>
      <span class="twg-delay">
        <button
          type="button"
          class="twg-btn twg-btn-text"
          disabled={sel === undefined}
          onClick={() => sel && props.onAct(sel.seg, by)}
          data-act="delay"
        >
          {sel ? L.delaySelected(sel.seg) : L.delaySelected(0).replace(/\s*#0$/, '')}
        </button>{' '}
        <label for={selectId}>{L.delayBy}</label>{' '}
        <select
          id={selectId}
          value={String(by)}
          onChange={(e) => setBy(Number((e.currentTarget as HTMLSelectElement).value))}
        >
          {DELAY_CHOICES.map((us) => (
            <option key={us} value={String(us)}>
              {formatTime(us, lang)}
            </option>
          ))}
        </select>
      </span>
      {sel ? (
        <span class="twg-details">{segmentDetails(run, sel, lang).replace(/\n/g, ' · ')}</span>
      ) : (
        <span class="twg-hint">{L.dropHint}</span>
      )}
      <span class="twg-drops">{done.length > 0 ? done.join(' · ') : L.noDrops}</span>
      {!isEmpty(iv) && (
        <button type="button" class="twg-btn twg-btn-text" onClick={props.onUndo} data-act="undo">
          {L.resetDrops}
        </button>
      )}
    </div>
  );
}
