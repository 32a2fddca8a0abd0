/**
 * Timeline — play/pause, step back/forward, go to start/end, speed and a scrubber for instant `t`.
 *
 * Props:
 * - `axis`: the run's TimeAxis (./runtime/time.ts); the scrubber moves along it, so long idle spans
 *   take little room and a 60 s TIME_WAIT does not take 60 s to play.
 * - `t`, `onSeek(t)`: the instant shown (µs) and how to change it.
 * - `playback`: from usePlayback(axis, instants, t, onSeek) (./runtime/playback.ts); the widget also
 *   passes its `onKey` to its root element's keydown so the shortcuts work anywhere in the widget.
 * - `lang`: 'en' | 'zh-CN'.
 */
import type { JSX } from 'preact';
import { useId } from 'preact/hooks';
import { type Lang, labels } from './runtime/i18n.ts';
import { type Playback, SPEEDS } from './runtime/playback.ts';
import { formatTime, type TimeAxis } from './runtime/time.ts';

export interface TimelineProps {
  axis: TimeAxis;
  t: number;
  onSeek: (t: number) => void;
  playback: Playback;
  lang: Lang;
}

function Icon({ d }: { d: string }): JSX.Element {
  return (
    <svg viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d={d} />
    </svg>
  );
}

export function Timeline(props: TimelineProps): JSX.Element {
  const { axis, t, onSeek, playback: pb, lang } = props;
  const L = labels(lang);
  const uid = useId();
  const max = Math.max(1, Math.round(axis.total));
  return (
    <fieldset class="twg-timeline">
      <legend class="twg-sr">{L.timeline}</legend>
      <div class="twg-buttons">
        <button
          type="button"
          class="twg-btn"
          onClick={pb.toStart}
          aria-label={L.toStart}
          title={`${L.toStart} (Home)`}
        >
          <Icon d="M2 2h2v12H2zM9 2v12L4 8zM15 2v12L10 8z" />
        </button>
        <button
          type="button"
          class="twg-btn"
          onClick={pb.stepBack}
          aria-label={L.stepBack}
          aria-keyshortcuts="J ,"
          title={`${L.stepBack} (J / ,)`}
          data-act="back"
        >
          <Icon d="M4 2h2v12H4zM14 2v12L7 8z" />
        </button>
        <button
          type="button"
          class="twg-btn twg-play"
          onClick={pb.toggle}
          aria-label={pb.playing ? L.pause : L.play}
          aria-keyshortcuts="K Space"
          title={`${pb.playing ? L.pause : L.play} (K / Space)`}
          data-act="play"
        >
          <Icon d={pb.playing ? 'M3 2h4v12H3zM9 2h4v12H9z' : 'M3 2v12l11-6z'} />
        </button>
        <button
          type="button"
          class="twg-btn"
          onClick={pb.stepForward}
          aria-label={L.stepForward}
          aria-keyshortcuts="L ."
          title={`${L.stepForward} (L / .)`}
          data-act="forward"
        >
          <Icon d="M2 2v12l7-6zM10 2h2v12h-2z" />
        </button>
        <button
          type="button"
          class="twg-btn"
          onClick={pb.toEnd}
          aria-label={L.toEnd}
          title={`${L.toEnd} (End)`}
        >
          <Icon d="M1 2v12l5-6zM7 2v12l5-6zM12 2h2v12h-2z" />
        </button>
        <label class="twg-speed">
          <span>{L.speed}</span>{' '}
          <select
            value={String(pb.speed)}
            onChange={(e) => pb.setSpeed(Number((e.currentTarget as HTMLSelectElement).value))}
          >
            {SPEEDS.map((s) => (
              <option key={s} value={String(s)}>
                {`${s}×`}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div class="twg-scrub">
        <label for={`${uid}r`} class="twg-sr">
          {L.instant}
        </label>
        <input
          id={`${uid}r`}
          type="range"
          min={0}
          max={max}
          step={1}
          value={Math.round(axis.toPos(t))}
          aria-valuetext={formatTime(t, lang)}
          onInput={(e) => {
            pb.pause();
            onSeek(axis.toTime(Number((e.currentTarget as HTMLInputElement).value)));
          }}
        />
        <output class="twg-time" aria-live="off">
          {formatTime(t, lang)} / {formatTime(axis.end, lang)}
        </output>
      </div>
      <p class="twg-keys">{L.shortcuts}</p>
    </fieldset>
  );
}

export default Timeline;
