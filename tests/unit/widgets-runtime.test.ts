// The widget runtime: time formatting and the compressed axis, URL state (including hostile input),
// running a scenario with drops, and the views at an instant.
import { describe, expect, it } from 'vitest';
import { validateCloseState } from '../../components/widgets/close-url.ts';
import { intervene } from '../../components/widgets/runtime/interventions.ts';
import { next, prev } from '../../components/widgets/runtime/playback.ts';
import {
  addDrop,
  inFlightAt,
  laneStateAt,
  lastArrival,
  type Run,
  runScenario,
  tableAt,
  tcpdumpAt,
} from '../../components/widgets/runtime/run.ts';
import { validateInterventions } from '../../components/widgets/runtime/scenario-url.ts';
import { formatTime, GAP_MAX, timeAxis } from '../../components/widgets/runtime/time.ts';
import { transcript } from '../../components/widgets/runtime/transcript.ts';
import {
  decodeState,
  describeProblem,
  encodeState,
  hashValue,
  MAX_STATE_CHARS,
  readUrlState,
  withHashValue,
} from '../../components/widgets/runtime/urlState.ts';
import { closeScenarios } from './widgets-fixture.ts';

const S = closeScenarios();

/** The client's ACK of the server's FIN: the last segment the client sends in a normal close. */
function finalAck(run: Run) {
  const client = run.lanes.find((l) => run.laneHost[l] === 'client');
  const fromClient = run.seq.arrows.filter((a) => a.from === client);
  const last = fromClient[fromClient.length - 1];
  if (!last || last.flags !== 'A') throw new Error('no final ACK');
  return last;
}

describe('formatTime', () => {
  it('picks the unit that fits, µs to minutes', () => {
    expect(formatTime(750)).toBe('750 µs');
    expect(formatTime(5000)).toBe('5 ms');
    expect(formatTime(1_500)).toBe('1.5 ms');
    expect(formatTime(1_105_000)).toBe('1.105 s');
    expect(formatTime(60_000_000)).toBe('60 s');
    expect(formatTime(61_735_000)).toBe('61.735 s');
    expect(formatTime(240_000_000)).toBe('4 min');
    expect(formatTime(241_500_000)).toBe('4 min 1.5 s');
    expect(formatTime(Number.NaN)).toBe('—');
  });
});

describe('timeAxis', () => {
  const run = runScenario(S.client);
  const axis = timeAxis(run.instants, run.end);
  it('is monotone and maps every instant back to itself', () => {
    for (let i = 1; i < axis.keys.length; i++) expect(axis.pos[i]).toBeGreaterThan(axis.pos[i - 1] as number);
    for (const k of axis.keys) expect(axis.toTime(axis.toPos(k))).toBe(k);
    expect(axis.toPos(-5)).toBe(0);
    expect(axis.toPos(1e12)).toBe(axis.total);
  });
  it('compresses the 60 s TIME_WAIT to at most one capped gap, and marks it', () => {
    const tw = run.seq.timeWait[0];
    expect(tw?.end).toBeDefined();
    const len = axis.toPos(tw?.end ?? 0) - axis.toPos(tw?.start ?? 0);
    // The TIME_WAIT span holds no event, so it is a handful of gaps at most, never 60 s worth.
    expect(len).toBeLessThanOrEqual(GAP_MAX * 2);
    expect(axis.compressed.some(([a, b]) => b - a > 50_000_000)).toBe(true);
    // A 5 ms flight still gets visible length; a longer gap always gets more.
    expect(axis.toPos(15_000) - axis.toPos(10_000)).toBeGreaterThan(20);
  });
});

describe('URL state', () => {
  const good = { c: 'server', s: 7, t: 1_100_000, d: [6] };
  it('round-trips through base64url, Unicode included', () => {
    const enc = encodeState({ ...good, note: '服务器 ✓' });
    expect(enc).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeState(enc)).toEqual({ ok: true, value: { ...good, note: '服务器 ✓' } });
    expect(validateCloseState(good)).toEqual({ ok: true, value: good });
  });
  it('keeps each widget in its own part of the fragment and leaves anchors alone', () => {
    let h = withHashValue('#simultaneous-close', 'close', 'AAA');
    h = withHashValue(h, 'simultaneous', 'BBB');
    expect(h).toBe('#simultaneous-close&close=AAA&simultaneous=BBB');
    expect(hashValue(h, 'close')).toBe('AAA');
    expect(hashValue(h, 'simultaneous')).toBe('BBB');
    expect(withHashValue(h, 'close', undefined)).toBe('#simultaneous-close&simultaneous=BBB');
  });
  const hostile: [string, string, RegExp][] = [
    ['bad base64', 'close=%%%###', /base64/],
    ['script text', `close=${encodeURIComponent('<script>alert(1)</script>')}`, /base64/],
    ['bad JSON', `close=${btoa('{"c":').replace(/=+$/, '')}`, /JSON/],
    ['huge instant', `close=${encodeState({ ...good, t: 1e300 })}`, /^t must be/],
    ['huge seed', `close=${encodeState({ ...good, s: 2 ** 40 })}`, /^s must be/],
    ['wrong type', `close=${encodeState({ ...good, c: 42 })}`, /^c must be/],
    [
      'script as closer',
      `close=${encodeState({ ...good, c: '<img src=x onerror=alert(1)>' })}`,
      /^c must be/,
    ],
    ['not an object', `close=${encodeState([1, 2, 3])}`, /shape/],
    [
      'too many drops',
      `close=${encodeState({ ...good, d: Array.from({ length: 99 }, (_, i) => i + 1) })}`,
      /^d must be/,
    ],
    ['negative drop', `close=${encodeState({ ...good, d: [-1] })}`, /^d must be/],
    ['too long', `close=${'A'.repeat(MAX_STATE_CHARS + 4)}`, /too long/],
  ];
  for (const [name, hash, why] of hostile) {
    it(`turns ${name} into a problem, not an exception`, () => {
      const r = readUrlState('close', validateCloseState, `#${hash}`);
      expect(r?.problem).toBeDefined();
      expect(describeProblem(r?.problem ?? { kind: 'shape' }, 'en')).toMatch(why);
      expect(describeProblem(r?.problem ?? { kind: 'shape' }, 'zh-CN').length).toBeGreaterThan(0);
    });
  }
  it('ignores a fragment that has no state for this widget', () => {
    expect(readUrlState('close', validateCloseState, '#the-four-way-close')).toBeNull();
    expect(readUrlState('close', validateCloseState, `#other=${encodeState(good)}`)).toBeNull();
  });
});

describe('runScenario and the views at an instant', () => {
  const run = runScenario(S.client);
  it('runs the close to its end and records tables after each instant', () => {
    expect(run.truncated).toBe(false);
    expect(run.hosts).toEqual(['client', 'server']);
    expect(run.lanes.map((l) => run.laneHost[l])).toEqual(['client', 'server']);
    expect(run.end).toBeGreaterThan(60_000_000);
    expect(run.tables.length).toBeGreaterThan(5);
  });
  it('shows the client in TIME_WAIT with its timer counting down', () => {
    const t0 = lastArrival(run);
    const rows = tableAt(run, 'client', t0);
    const tw = rows.find((r) => r.state === 'TIME_WAIT');
    expect(tw?.timer?.kind).toBe('timewait');
    const later = tableAt(run, 'client', t0 + 10_000_000).find((r) => r.state === 'TIME_WAIT');
    expect((tw?.timer?.remaining ?? 0) - (later?.timer?.remaining ?? 0)).toBe(10_000_000);
    expect(tableAt(run, 'client', run.end).some((r) => r.state === 'TIME_WAIT')).toBe(false);
    expect(tableAt(run, 'server', t0).some((r) => r.state === 'LISTEN')).toBe(true);
  });
  it('gives each lane its state at t', () => {
    const client = run.lanes[0] as string;
    expect(laneStateAt(run, client, 0).state).toBe('CLOSED');
    expect(laneStateAt(run, client, 500_000).state).toBe('ESTABLISHED');
    const tw = laneStateAt(run, client, lastArrival(run));
    expect(tw).toMatchObject({ state: 'TIME_WAIT', from: 'FIN_WAIT_2', cause: 'rcv FIN' });
  });
  it('lists only what was on the wire by t in the tcpdump log', () => {
    expect(tcpdumpAt(run, 0)).toEqual([]);
    expect(tcpdumpAt(run, 10_000)).toHaveLength(1);
    expect(tcpdumpAt(run, 10_000)[0]).toMatch(/Flags \[S\]/);
    expect(tcpdumpAt(run, run.end).length).toBe(run.seq.arrows.length);
  });
  it('knows which segments are in flight', () => {
    const syn = run.seq.arrows[0];
    expect(inFlightAt(run, (syn?.sentAt ?? 0) + 1)).toContain(syn?.seg);
    expect(inFlightAt(run, syn?.arrivedAt ?? 0)).not.toContain(syn?.seg);
  });
  it('steps between instants at which something happens', () => {
    const first = run.instants[0] as number;
    expect(next(run.instants, -1, run.end)).toBe(first);
    expect(next(run.instants, run.end, run.end)).toBe(run.end);
    expect(prev(run.instants, run.instants[3] as number)).toBe(run.instants[2]);
    expect(prev(run.instants, 0)).toBe(0);
  });
});

describe('dropping a segment', () => {
  const base = runScenario(S.client);
  const ack = finalAck(base);
  const drops = addDrop(base, [], ack.seg);
  const run = runScenario(S.client, { drops });

  it('replays an identical history up to the dropped segment', () => {
    const history = (r: Run) => r.events.filter((e) => e.t < ack.sentAt);
    expect(history(run)).toEqual(history(base));
    expect(run.seq.arrows.find((a) => a.seg === ack.seg)?.dropped).toBe('fault');
  });
  it('makes the server resend its FIN and the client restart TIME_WAIT', () => {
    const server = run.lanes.find((l) => run.laneHost[l] === 'server');
    const fins = run.seq.arrows.filter((a) => a.from === server && a.flags.includes('F'));
    expect(fins.length).toBe(2);
    const restarts = run.seq.timers.filter((m) => m.timer === 'time-wait' && m.action === 'set');
    expect(restarts.length).toBe(2);
    const text = transcript(run, run.end, 'en')
      .map((s) => s.text)
      .join('\n');
    expect(text).toMatch(/The client sends an ACK \(#\d+\), and it is lost\./);
    expect(text).toMatch(/The server resends its FIN \(#\d+\) 2\d\d ms after the previous copy\./);
    expect(text).toMatch(
      /The client, still in TIME_WAIT, answers the retransmitted FIN and restarts its 60 s timer\./,
    );
    const zh = transcript(run, run.end, 'zh-CN')
      .map((s) => s.text)
      .join('\n');
    expect(zh).toMatch(/服务器在上一份发出 2\d\d ms 后重传 FIN/);
    expect(zh).toMatch(/客户端仍处于 TIME_WAIT/);
  });
  it('forgets later drops when an earlier segment is dropped (their ids named another future)', () => {
    const fin = base.seq.arrows.find((a) => a.flags.includes('F'));
    expect(addDrop(run, drops, fin?.seg ?? 0)).toEqual([fin?.seg]);
    expect(addDrop(run, [], 9999)).toEqual([]);
  });
  it('keeps a run bounded', () => {
    const cut = runScenario(S.client, { maxSteps: 5 });
    expect(cut.truncated).toBe(true);
    expect(cut.instants.length).toBeLessThanOrEqual(6);
  });
});

describe('holding a segment back', () => {
  const base = runScenario(S.client);
  const ack = finalAck(base);
  const flight = (r: Run, seg: number) => {
    const a = r.seq.arrows.find((x) => x.seg === seg);
    return a?.arrivedAt === undefined ? undefined : a.arrivedAt - a.sentAt;
  };

  it('delivers the chosen segment that much later, with the same history before it', () => {
    const iv = intervene(base, { d: [], y: [] }, ack.seg, 1_000_000);
    expect(iv).toEqual({ d: [], y: [[ack.seg, 1_000_000]] });
    const run = runScenario(S.client, { drops: iv.d, delays: iv.y });
    expect(run.events.filter((e) => e.t < ack.sentAt)).toEqual(base.events.filter((e) => e.t < ack.sentAt));
    expect((flight(run, ack.seg) ?? 0) - (flight(base, ack.seg) ?? 0)).toBe(1_000_000);
    // Held for 1 s, past the server's RTO: it resends its FIN before the ACK arrives.
    const server = run.lanes.find((l) => run.laneHost[l] === 'server');
    expect(run.seq.arrows.filter((a) => a.from === server && a.flags.includes('F')).length).toBe(2);
    expect(run.delays).toEqual([[ack.seg, 1_000_000]]);
  });
  it('replaces a drop of the same segment and forgets what was done to later ones', () => {
    const dropped = intervene(base, { d: [], y: [] }, ack.seg);
    expect(dropped).toEqual({ d: [ack.seg], y: [] });
    expect(intervene(base, dropped, ack.seg, 200_000)).toEqual({ d: [], y: [[ack.seg, 200_000]] });
    const fin = base.seq.arrows.find((a) => a.flags.includes('F'));
    expect(intervene(base, { d: [ack.seg], y: [] }, fin?.seg ?? 0, 5_000_000)).toEqual({
      d: [],
      y: [[fin?.seg, 5_000_000]],
    });
    expect(intervene(base, { d: [], y: [] }, 9999, 1)).toEqual({ d: [], y: [] });
  });
  it('reads delays from a URL state and refuses hostile ones, naming the field', () => {
    expect(validateInterventions({ d: [3], y: [[4, 70_000_000]] })).toEqual({
      ok: true,
      value: { d: [3], y: [[4, 70_000_000]] },
    });
    expect(validateInterventions({})).toEqual({ ok: true, value: { d: [], y: [] } });
    for (const y of [
      'x',
      [[1]],
      [[1, 2, 3]],
      [['1', 5]],
      [[1, 0]],
      [[1, 1e12]],
      new Array(17).fill([1, 1]),
    ]) {
      const r = validateInterventions({ y });
      expect(r.ok, JSON.stringify(y).slice(0, 40)).toBe(false);
      if (!r.ok) expect(r.problem).toMatchObject({ kind: 'field', field: 'y' });
    }
    // The close explorer's state carries them and keeps old links (no `y`) as they were.
    const good = { c: 'client', s: 7, t: 5, d: [] };
    expect(validateCloseState(good)).toEqual({ ok: true, value: good });
    expect(validateCloseState({ ...good, y: [[9, 200_000]] })).toEqual({
      ok: true,
      value: { ...good, y: [[9, 200_000]] },
    });
  });
});
