/**
 * SequenceDiagram — an SVG sequence diagram of a simulated run, drawn up to instant `t`.
 *
 * Props:
 * - `run`: a Run from ./runtime/run.ts (its `seq` data, lanes and hosts are used).
 * - `axis`: the TimeAxis shared with the timeline (./runtime/time.ts); vertical position = axis.toPos(t),
 *   so gaps are log-compressed and long idle spans get a break mark with their real length.
 * - `t`: the instant shown (µs). Segments sent later are not drawn; their space is reserved, so stepping
 *   never changes the layout.
 * - `lang`: 'en' | 'zh-CN'.
 * - `selected`, `onSelect(id | null)`: the selected segment (click it, or Tab into the diagram, move
 *   with ↑/↓/Home/End and press Enter or Space). Omit onSelect for a read-only diagram.
 * - `onDrop(id)`: when given, Delete (or D) on the focused segment asks to drop it.
 *
 * One lane per endpoint (ip:port); arrows are slanted by their real flight time on the compressed axis
 * and labelled with flags, relative seq/ack and length (TTL, timestamps and times: segmentDetails(), a
 * tooltip on read-only arrows, the widget's details line for the selected one); lost
 * segments end in a cross, duplicates are dashed; state names sit along each lane; a TIME_WAIT stay is
 * a bar with its timer counting down (and a tick where a retransmitted FIN restarted it).
 */
// biome-ignore-all lint/a11y/noAriaHiddenOnFocusable: SVG <g> and <text> here are not focusable; aria-hidden keeps decorative labels out of the accessibility tree (each arrow has its own aria-label)
// biome-ignore-all lint/a11y/useSemanticElements: an SVG diagram cannot contain <button> or <fieldset>; ARIA roles are the way to make its parts operable
import type { JSX } from 'preact';
import { useId, useState } from 'preact/hooks';
import type { SequenceArrow } from '../../src/sim/observe.ts';
import { hostName, type Lang, labels } from './runtime/i18n.ts';
import type { Run } from './runtime/run.ts';
import { formatTime, type TimeAxis } from './runtime/time.ts';
import { segmentName } from './runtime/transcript.ts';

export interface SequenceDiagramProps {
  run: Run;
  axis: TimeAxis;
  t: number;
  lang: Lang;
  selected?: number | null;
  onSelect?: (id: number | null) => void;
  onDrop?: (id: number) => void;
  /** Accessible name of the diagram (default: the localized "Sequence diagram"). */
  label?: string;
}

const W = 600;
const TOP = 56;
const BOTTOM = 28;
const MARGIN = 150;

const FLAG_NAMES: Record<string, string> = { S: 'SYN', F: 'FIN', R: 'RST', P: 'PSH', A: 'ACK' };
export function flagList(flags: string): string {
  return [...'SFRPA']
    .filter((f) => flags.includes(f))
    .map((f) => FLAG_NAMES[f])
    .join(',');
}

export function diagramHeight(axis: TimeAxis): number {
  return Math.ceil(TOP + axis.total + BOTTOM);
}

/** Initial sequence number per lane (from its first SYN), for relative numbers like tcpdump's. */
function isns(run: Run): Map<string, number> {
  const m = new Map<string, number>();
  for (const a of run.seq.arrows) if (a.flags.includes('S') && !m.has(a.from)) m.set(a.from, a.seq);
  return m;
}

export function arrowLabel(a: SequenceArrow, isn: Map<string, number>): string {
  const rel = (v: number, lane: string) => {
    const base = isn.get(lane);
    return base === undefined ? v >>> 0 : (v - base) >>> 0;
  };
  let s = `${flagList(a.flags)} seq=${rel(a.seq, a.from)}`;
  if (a.flags.includes('A')) s += ` ack=${rel(a.ack, a.to)}`;
  if (a.len > 0) s += ` len=${a.len}`;
  return s;
}

/** Everything about a segment, for a tooltip or a details line: flags, absolute numbers, TTL, timestamps, times. */
export function segmentDetails(run: Run, a: SequenceArrow, lang: Lang): string {
  const L = labels(lang);
  const from = run.laneHost[a.from];
  const to = run.laneHost[a.to];
  const delay = a.arrivedAt !== undefined ? a.arrivedAt - a.sentAt : undefined;
  return [
    `#${a.seg} ${segmentName(a)} ${hostName(lang, from ?? a.from)} → ${hostName(lang, to ?? a.to)}:`,
    `${flagList(a.flags)} seq ${a.seq >>> 0} ack ${a.ack >>> 0} len ${a.len} TTL ${a.ttl}`,
    a.ts ? `TSval ${a.ts.val >>> 0} TSecr ${a.ts.ecr >>> 0}` : '',
    `${L.sent} ${formatTime(a.sentAt, lang)}${a.arrivedAt !== undefined ? `, ${L.arrived} ${formatTime(a.arrivedAt, lang)} (${L.delay} ${formatTime(delay ?? 0, lang)})` : ''}`,
    a.dropped !== undefined ? `${L.dropped}: ${a.dropped}` : '',
    a.duplicateOf !== undefined ? `${L.duplicate} #${a.duplicateOf}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

export function SequenceDiagram(props: SequenceDiagramProps): JSX.Element {
  const { run, axis, t, lang, selected = null, onSelect, onDrop } = props;
  const L = labels(lang);
  const uid = useId();
  const lanes = run.lanes;
  const n = Math.max(lanes.length, 1);
  const x = new Map<string, number>();
  lanes.forEach((id, i) => {
    x.set(id, n === 1 ? W / 2 : MARGIN + (i * (W - 2 * MARGIN)) / (n - 1));
  });
  const y = (time: number) => TOP + axis.toPos(time);
  const height = diagramHeight(axis);
  const isn = isns(run);
  const visible = run.seq.arrows.filter((a) => a.sentAt <= t);
  const selectable = onSelect ? visible.filter((a) => a.dropped === undefined) : [];
  // Roving focus: one arrow is in the tab order; ↑/↓ move focus, Enter/Space toggle selection.
  const [focusSeg, setFocusSeg] = useState<number | null>(null);
  const isSelectable = (id: number | null) => id !== null && selectable.some((a) => a.seg === id);
  const focusId = isSelectable(focusSeg)
    ? focusSeg
    : isSelectable(selected)
      ? selected
      : (selectable[selectable.length - 1]?.seg ?? null);
  const laneLabel = (id: string) => {
    const host = run.laneHost[id];
    return host === undefined ? id : `${hostName(lang, host, true)} ${id}`;
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (!onSelect || selectable.length === 0) return;
    const i = selectable.findIndex((a) => a.seg === focusId);
    let next = -1;
    if (e.key === 'ArrowDown' || e.key === 'ArrowRight') next = Math.min(selectable.length - 1, i + 1);
    else if (e.key === 'ArrowUp' || e.key === 'ArrowLeft') next = Math.max(0, i - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = selectable.length - 1;
    else if ((e.key === 'Delete' || e.key === 'd' || e.key === 'D') && onDrop && focusId !== null) {
      e.preventDefault();
      e.stopPropagation();
      onDrop(focusId);
      return;
    } else return;
    e.preventDefault();
    e.stopPropagation();
    const a = selectable[next];
    if (a) {
      setFocusSeg(a.seg);
      // Focus now (the element exists; only its tabindex changes on the next render), so a key pressed
      // right after lands on the segment the reader sees focused.
      const svg = e.currentTarget as SVGSVGElement | null;
      (svg?.querySelector(`[data-seg="${a.seg}"][role="button"]`) as SVGGElement | null)?.focus();
    }
  };

  const arrows = visible.map((a) => {
    const x0 = x.get(a.from) ?? 0;
    const x1 = x.get(a.to) ?? 0;
    const y0 = y(a.sentAt);
    let xe: number;
    let ye: number;
    let head = true;
    let state: 'arrived' | 'lost' | 'flying';
    if (a.dropped !== undefined) {
      state = 'lost';
      xe = x0 + (x1 - x0) * 0.42;
      ye = y0 + 14;
      head = false;
    } else if (a.arrivedAt !== undefined && a.arrivedAt <= t) {
      state = 'arrived';
      xe = x1;
      ye = y(a.arrivedAt);
    } else {
      state = 'flying';
      const y1 = a.arrivedAt === undefined ? y(t) + 1 : y(a.arrivedAt);
      const yt = y(t);
      const f = y1 > y0 ? Math.min(1, Math.max(0.04, (yt - y0) / (y1 - y0))) : 0.5;
      xe = x0 + (x1 - x0) * f;
      ye = y0 + (y1 - y0) * f;
    }
    const text = arrowLabel(a, isn);
    // Held back on purpose (a delay fault the reader chose): say so on the arrow and to screen readers.
    const held = run.delays.find((p) => p[0] === a.seg);
    const heldText = held === undefined ? '' : ` (${L.heldBack(formatTime(held[1], lang))})`;
    const lx = x0 + (x1 - x0) * 0.27;
    const ly = y0 + (state === 'lost' ? 14 : ye - y0) * (0.27 / (state === 'lost' ? 0.42 : 1)) - 5;
    const from = run.laneHost[a.from];
    const to = run.laneHost[a.to];
    const tip = segmentDetails(run, a, lang);
    const isSel = selected === a.seg;
    const canSelect = onSelect !== undefined && a.dropped === undefined;
    const cls = `twg-arrow twg-${state}${a.duplicateOf !== undefined ? ' twg-dup' : ''}${held ? ' twg-held' : ''}${isSel ? ' twg-sel' : ''}`;
    const aria = `#${a.seg} ${text}${a.duplicateOf !== undefined ? ` (${L.duplicate})` : ''}${heldText}, ${hostName(lang, from ?? a.from)} → ${hostName(lang, to ?? a.to)}, ${formatTime(a.sentAt, lang)}${state === 'lost' ? `, ${L.dropped}` : state === 'flying' ? `, ${L.inFlight}` : ''}`;
    // A tooltip only where the arrow is not a control: inside a button, <title> text would not match its
    // accessible name (WCAG 2.5.3); a widget shows the same details for the selected segment instead.
    const body = (
      <>
        {!canSelect && <title>{tip}</title>}
        <line class="twg-hit" x1={x0} y1={y0} x2={xe} y2={ye} />
        <line
          class="twg-line"
          x1={x0}
          y1={y0}
          x2={xe}
          y2={ye}
          marker-end={head && state === 'arrived' ? `url(#${uid}h)` : undefined}
        />
        {state === 'flying' && <circle class="twg-dot" cx={xe} cy={ye} r={3.5} />}
        {state === 'lost' && (
          <g class="twg-cross" aria-hidden="true">
            <line x1={xe - 5} y1={ye - 5} x2={xe + 5} y2={ye + 5} />
            <line x1={xe - 5} y1={ye + 5} x2={xe + 5} y2={ye - 5} />
            <text x={xe + (x1 >= x0 ? 9 : -9)} y={ye + 4} text-anchor={x1 >= x0 ? 'start' : 'end'}>
              {L.dropped}
            </text>
          </g>
        )}
        <text class="twg-alabel" x={lx} y={ly} text-anchor="middle" aria-hidden="true">
          {`#${a.seg} ${text}${a.duplicateOf !== undefined ? ` (${L.duplicate})` : ''}${heldText}`}
        </text>
      </>
    );
    if (!canSelect)
      return (
        <g key={a.seg} class={cls} data-seg={a.seg}>
          {body}
        </g>
      );
    return (
      <g
        key={a.seg}
        class={cls}
        data-seg={a.seg}
        role="button"
        tabindex={a.seg === focusId ? 0 : -1}
        aria-pressed={isSel}
        aria-label={aria}
        onClick={() => onSelect?.(isSel ? null : a.seg)}
        onFocus={() => setFocusSeg(a.seg)}
        onKeyDown={(e: KeyboardEvent) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            e.stopPropagation();
            onSelect?.(isSel ? null : a.seg);
          }
        }}
      >
        {body}
      </g>
    );
  });

  // State names along each lane, nudged apart when two changes share an instant.
  const lastY = new Map<string, number>();
  const stateLabels = run.seq.states
    .filter((s) => s.t <= t && x.has(s.lane))
    .map((s, i) => {
      const lx = x.get(s.lane) ?? 0;
      const left = lanes.indexOf(s.lane) === 0 && n > 1;
      let ly = y(s.t) + 4;
      const prev = lastY.get(s.lane);
      if (prev !== undefined && ly < prev + 12) ly = prev + 12;
      lastY.set(s.lane, ly);
      return (
        <text
          key={`s${i}`}
          class={`twg-state${s.to === 'TIME_WAIT' ? ' twg-state-tw' : ''}`}
          x={left ? lx - 10 : lx + 10}
          y={ly}
          text-anchor={left ? 'end' : 'start'}
        >
          <title>{`${s.from} → ${s.to} (${s.cause}), ${formatTime(s.t, lang)}`}</title>
          {s.to}
        </text>
      );
    });

  const tw = run.seq.timeWait
    .filter((s) => s.start <= t && x.has(s.lane))
    .map((s, i) => {
      const lx = x.get(s.lane) ?? 0;
      const stop = Math.min(s.end ?? Number.POSITIVE_INFINITY, t);
      const left = lanes.indexOf(s.lane) === 0 && n > 1;
      const restarts = run.seq.timers.filter(
        (m) =>
          m.lane === s.lane && m.timer === 'time-wait' && m.action === 'set' && m.t > s.start && m.t <= stop,
      );
      const running = s.end === undefined || s.end > t;
      const lastSet = run.seq.timers
        .filter((m) => m.lane === s.lane && m.timer === 'time-wait' && m.action === 'set' && m.t <= t)
        .pop();
      const left_ = lastSet?.at !== undefined ? Math.max(0, lastSet.at - t) : undefined;
      return (
        <g key={`tw${i}`} class="twg-tw">
          <rect x={lx - 4} y={y(s.start)} width={8} height={Math.max(1, y(stop) - y(s.start))} rx={2} />
          {restarts.map((m) => (
            <g key={m.t} aria-hidden="true">
              <line class="twg-restart" x1={lx - 9} y1={y(m.t)} x2={lx + 9} y2={y(m.t)} />
              <text
                class="twg-small"
                x={left ? lx + 12 : lx - 12}
                y={y(m.t) + 4}
                text-anchor={left ? 'start' : 'end'}
              >
                {L.timerRestarted}
              </text>
            </g>
          ))}
          {running && left_ !== undefined && (
            <text
              class="twg-twtimer"
              x={left ? lx - 10 : lx + 10}
              y={y(t) + 15}
              text-anchor={left ? 'end' : 'start'}
            >
              {L.timeWaitLeft(formatTime(left_, lang))}
            </text>
          )}
        </g>
      );
    });

  const breaks = axis.compressed.map(([a, b]) => {
    const ym = (y(a) + y(b)) / 2;
    return (
      <g key={`b${a}`} class="twg-break" aria-hidden="true">
        <path d={`M${W / 2 - 16} ${ym - 3} l8 6 l8 -6 l8 6 l8 -6`} />
        <text x={W / 2} y={ym - 7} text-anchor="middle">
          {`≈ ${formatTime(b - a, lang)}`}
        </text>
      </g>
    );
  });

  const yt = y(t);
  return (
    <svg
      class="twg-seq"
      viewBox={`0 0 ${W} ${height}`}
      width={W}
      height={height}
      role="group"
      aria-label={props.label ?? L.sequence}
      onKeyDown={onKeyDown}
    >
      <defs>
        <marker
          id={`${uid}h`}
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="7"
          markerHeight="7"
          orient="auto-start-reverse"
        >
          <path d="M0 0 L10 5 L0 10 z" class="twg-headpath" />
        </marker>
      </defs>
      {lanes.map((id) => (
        <g key={id} class="twg-lane" aria-hidden="true">
          <text x={x.get(id)} y={20} text-anchor="middle" class="twg-lanehost">
            {laneLabel(id).split(' ')[0]}
          </text>
          <text x={x.get(id)} y={36} text-anchor="middle" class="twg-small">
            {id}
          </text>
          <line x1={x.get(id)} y1={TOP - 8} x2={x.get(id)} y2={height - BOTTOM + 8} />
        </g>
      ))}
      {breaks}
      {tw}
      <g aria-hidden="true">{stateLabels}</g>
      <g class="twg-now" aria-hidden="true">
        <line x1={8} y1={yt} x2={W - 8} y2={yt} />
        <text x={W - 8} y={yt - 4} text-anchor="end">
          {formatTime(t, lang)}
        </text>
      </g>
      {arrows}
    </svg>
  );
}

export default SequenceDiagram;
