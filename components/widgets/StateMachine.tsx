/**
 * StateMachine — the TCP connection state diagram of RFC 9293 §3.3.2 (Figure 5), hand-drawn in SVG,
 * with the current state of one or more endpoints marked and the edge each one just took highlighted.
 *
 * Props:
 * - `marks`: one entry per endpoint to show: `{ label, state, from?, cause?, tone? }` where `from` is
 *   the state it came from (the edge from → state is highlighted when the figure has it) and `tone`
 *   ('a' | 'b') picks the colour. Usually one mark per diagram (a diagram per endpoint).
 * - `lang`: 'en' | 'zh-CN'.
 * - `title`: heading shown above the diagram (defaults to the first mark's label).
 *
 * CLOSED appears twice, as in the RFC's figure: at the top (before a connection) and at the bottom
 * (after LAST_ACK or TIME_WAIT), so the closing edges do not run back up the whole figure. The edge
 * FIN_WAIT_1 → TIME_WAIT is in the figure although RFC 9293 omits it (§3.3.2 Note 2 says so).
 */
import type { JSX } from 'preact';
import { useId } from 'preact/hooks';
import type { TcpState } from '../../src/sim/types.ts';
import { type Lang, labels } from './runtime/i18n.ts';
import { laneStateAt, type Run } from './runtime/run.ts';
import { causeText } from './runtime/transcript.ts';

export interface StateMark {
  label: string;
  state: TcpState;
  from?: TcpState;
  cause?: string;
  tone?: 'a' | 'b';
}

/** A lane's mark at t: its state and the edge and cause that led there. A lane not in the run is CLOSED. */
export function markAt(
  run: Run,
  lane: string | undefined,
  t: number,
  label: string,
  tone: 'a' | 'b',
): StateMark {
  const st = lane === undefined ? { state: 'CLOSED' as const } : laneStateAt(run, lane, t);
  const m: StateMark = { label, state: st.state, tone };
  if (st.from !== undefined) m.from = st.from;
  if (st.cause !== undefined) m.cause = st.cause;
  return m;
}

export interface StateMachineProps {
  marks: StateMark[];
  lang: Lang;
  title?: string;
}

type Node = TcpState | 'CLOSED_END';
const BW = 104;
const BH = 24;
const POS: Record<Node, [number, number]> = {
  CLOSED: [180, 18],
  LISTEN: [180, 66],
  SYN_RECEIVED: [66, 114],
  SYN_SENT: [294, 114],
  ESTABLISHED: [180, 162],
  FIN_WAIT_1: [66, 216],
  CLOSE_WAIT: [294, 216],
  FIN_WAIT_2: [66, 270],
  CLOSING: [180, 270],
  LAST_ACK: [294, 270],
  TIME_WAIT: [66, 330],
  CLOSED_END: [294, 330],
};

/** Edges of Figure 5 with their event / action, as the RFC labels them. */
const EDGES: [Node, Node, string][] = [
  ['CLOSED', 'LISTEN', 'passive OPEN / create TCB'],
  ['CLOSED', 'SYN_SENT', 'active OPEN / create TCB, snd SYN'],
  ['LISTEN', 'SYN_RECEIVED', 'rcv SYN / snd SYN,ACK'],
  ['LISTEN', 'SYN_SENT', 'SEND / snd SYN'],
  ['SYN_SENT', 'SYN_RECEIVED', 'rcv SYN / snd ACK'],
  ['SYN_RECEIVED', 'ESTABLISHED', 'rcv ACK of SYN / x'],
  ['SYN_SENT', 'ESTABLISHED', 'rcv SYN,ACK / snd ACK'],
  ['SYN_RECEIVED', 'FIN_WAIT_1', 'CLOSE / snd FIN'],
  ['ESTABLISHED', 'FIN_WAIT_1', 'CLOSE / snd FIN'],
  ['ESTABLISHED', 'CLOSE_WAIT', 'rcv FIN / snd ACK'],
  ['FIN_WAIT_1', 'FIN_WAIT_2', 'rcv ACK of FIN / x'],
  ['FIN_WAIT_1', 'CLOSING', 'rcv FIN / snd ACK'],
  ['FIN_WAIT_1', 'TIME_WAIT', 'rcv FIN + ACK of FIN / snd ACK (§3.3.2 Note 2)'],
  ['FIN_WAIT_2', 'TIME_WAIT', 'rcv FIN / snd ACK'],
  ['CLOSING', 'TIME_WAIT', 'rcv ACK of FIN / x'],
  ['CLOSE_WAIT', 'LAST_ACK', 'CLOSE / snd FIN'],
  ['LAST_ACK', 'CLOSED_END', 'rcv ACK of FIN / delete TCB'],
  ['TIME_WAIT', 'CLOSED_END', 'Timeout=2MSL / delete TCB'],
];

/** Which drawn node stands for a state, given where it came from. */
function nodeOf(state: TcpState, from?: TcpState): Node {
  if (
    state === 'CLOSED' &&
    from !== undefined &&
    from !== 'CLOSED' &&
    from !== 'LISTEN' &&
    from !== 'SYN_SENT'
  )
    return 'CLOSED_END';
  return state;
}

/** Point where the segment from the centre of `a` towards `b` leaves a's box. */
function edgePoint(a: [number, number], b: [number, number]): [number, number] {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const sx = dx === 0 ? Number.POSITIVE_INFINITY : BW / 2 / Math.abs(dx);
  const sy = dy === 0 ? Number.POSITIVE_INFINITY : BH / 2 / Math.abs(dy);
  const s = Math.min(sx, sy);
  return [a[0] + dx * s, a[1] + dy * s];
}

export function StateMachine(props: StateMachineProps): JSX.Element {
  const { marks, lang } = props;
  const uid = useId();
  const L = labels(lang);
  const current = new Map<Node, StateMark>();
  const taken = new Set<string>();
  for (const m of marks) {
    const node = nodeOf(m.state, m.from);
    current.set(node, m);
    if (m.from !== undefined) taken.add(`${m.from}>${node}`);
  }
  const summary = marks
    .map(
      (m) =>
        `${L.current(m.label, m.state)}${m.from !== undefined ? `; ${L.lastEdge(m.from, m.state, causeText(m.cause ?? '', lang))}` : ''}`,
    )
    .join('. ');
  const title = props.title ?? marks[0]?.label ?? L.stateMachine;
  return (
    <figure class="twg-fsm">
      <figcaption>
        <strong>{title}</strong>
        {marks.map((m) => (
          <span key={m.label} class="twg-fsm-now">
            {' '}
            <span class={`twg-badge twg-tone-${m.tone ?? 'a'}`}>{m.state}</span>
            {m.from !== undefined && (
              <span class="twg-small-text">
                {' '}
                {L.lastEdge(m.from, m.state, causeText(m.cause ?? '', lang))}
              </span>
            )}
          </span>
        ))}
      </figcaption>
      <svg
        viewBox="0 0 360 350"
        width={360}
        height={350}
        role="img"
        aria-label={`${L.stateMachine}. ${summary}`}
      >
        <defs>
          <marker
            id={`${uid}h`}
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="6"
            markerHeight="6"
            orient="auto"
          >
            <path d="M0 0 L10 5 L0 10 z" class="twg-fsm-headpath" />
          </marker>
          <marker
            id={`${uid}o`}
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="6"
            markerHeight="6"
            orient="auto"
          >
            <path d="M0 0 L10 5 L0 10 z" class="twg-fsm-headpath-on" />
          </marker>
        </defs>
        {EDGES.map(([a, b, text]) => {
          const p = POS[a];
          const q = POS[b];
          const [x1, y1] = edgePoint(p, q);
          const [x2, y2] = edgePoint(q, p);
          const on = taken.has(`${a === 'CLOSED_END' ? 'CLOSED' : a}>${b}`);
          return (
            <line
              key={`${a}>${b}`}
              class={on ? 'twg-fsm-edge twg-fsm-edge-on' : 'twg-fsm-edge'}
              x1={x1}
              y1={y1}
              x2={x2}
              y2={y2}
              marker-end={on ? `url(#${uid}o)` : `url(#${uid}h)`}
            >
              <title>{`${a === 'CLOSED_END' ? 'CLOSED' : a} → ${b === 'CLOSED_END' ? 'CLOSED' : b}: ${text}`}</title>
            </line>
          );
        })}
        {(Object.keys(POS) as Node[]).map((node) => {
          const [cx, cy] = POS[node];
          const m = current.get(node);
          return (
            <g key={node} class={m ? `twg-fsm-node twg-fsm-on twg-tone-${m.tone ?? 'a'}` : 'twg-fsm-node'}>
              <rect x={cx - BW / 2} y={cy - BH / 2} width={BW} height={BH} rx={5} />
              <text x={cx} y={cy + 4} text-anchor="middle">
                {node === 'CLOSED_END' ? 'CLOSED' : node}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

export default StateMachine;
