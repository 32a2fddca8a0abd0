// Properties of the simulator over random small scenarios (fast-check): one server and one to three
// client hosts; per connection a client payload, a server response and a close order; links with
// random delay, jitter, loss, duplication and reordering; a few nth-segment faults (drops, delays,
// duplicates) that stop once used. For every generated scenario:
//
// 1. determinism — the same scenario and seed give the identical event trace;
// 2. TIME_WAIT only on a side that closed actively: entered from FIN_WAIT_2 or CLOSING, on a
//    connection whose application closed (or shut down) first, from ESTABLISHED / SYN_RECEIVED
//    (RFC 9293 §3.6, Figure 5);
// 3. every connection reaches CLOSED within a bounded time: every script close is done by 300 s, and
//    by 1200 s only listeners remain (orphan retries, FIN_WAIT_2 and TIME_WAIT are all bounded);
// 4. no 4-tuple is live twice on a host at any instant looked at;
// 5. the bytes delivered to each side are a prefix of the bytes the peer sent, and all of them when the
//    peer's FIN was received in order (the simulator carries real bytes; no protection is turned off:
//    RFC 6528 ISNs, TIME_WAIT of 60 s).
//
// Each connection gets its own server port (80 + i), so server socket S<i> belongs to client C<i>.

import '../../src/sim/load.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../src/sim/simulation.ts';
import type { FaultSpec, Scenario, SimEvent, Simulation } from '../../src/sim/types.ts';
import { build, ms, type StepInput, sec } from './build-scenario.ts';

type CloseOrder = 'client-first' | 'server-first' | 'simultaneous' | 'client-shutdown' | 'server-only';

interface ConnSpec {
  client: number;
  start: number; // ms
  request: number; // bytes
  response: number; // bytes
  order: CloseOrder;
  gap: number; // ms between the two closes
}

interface Case {
  seed: number;
  clients: number;
  link: { delay: number; jitter: number; loss: number; duplicate: number; reorder: number };
  conns: ConnSpec[];
  faults: FaultSpec[];
  timestamps: 0 | 1;
}

const SAFETY_CLOSE = sec(300);
const UNTIL = sec(1200);

const connArb = (clients: number): fc.Arbitrary<ConnSpec> =>
  fc.record({
    client: fc.integer({ min: 0, max: clients - 1 }),
    start: fc.integer({ min: 0, max: 500 }),
    request: fc.integer({ min: 0, max: 4000 }),
    response: fc.integer({ min: 0, max: 3000 }),
    order: fc.constantFrom<CloseOrder>(
      'client-first',
      'server-first',
      'simultaneous',
      'client-shutdown',
      'server-only',
    ),
    gap: fc.integer({ min: 0, max: 300 }),
  });

const faultArb: fc.Arbitrary<FaultSpec> = fc.oneof(
  fc.record({
    kind: fc.constant('drop' as const),
    match: fc.record({
      from: fc.constantFrom('server', 'client0'),
      flags: fc.constantFrom(undefined, 'FA', 'A', 'S', 'SA'),
      nth: fc.integer({ min: 1, max: 6 }),
    }),
  }),
  fc.record({
    kind: fc.constant('delay' as const),
    match: fc.record({ from: fc.constantFrom('server', 'client0'), nth: fc.integer({ min: 1, max: 8 }) }),
    by: fc.integer({ min: 1, max: 3000 }).map(ms),
  }),
  fc.record({
    kind: fc.constant('duplicate' as const),
    match: fc.record({ from: fc.constantFrom('server', 'client0'), nth: fc.integer({ min: 1, max: 8 }) }),
    after: fc.integer({ min: 1, max: 2000 }).map(ms),
  }),
);

const caseArb: fc.Arbitrary<Case> = fc.integer({ min: 1, max: 3 }).chain((clients) =>
  fc.record({
    seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    clients: fc.constant(clients),
    link: fc.record({
      delay: fc.integer({ min: 0, max: 20_000 }),
      jitter: fc.integer({ min: 0, max: 2_000 }),
      loss: fc.constantFrom(0, 0, 0.02, 0.1),
      duplicate: fc.constantFrom(0, 0, 0.05),
      reorder: fc.constantFrom(0, 0, 0.1),
    }),
    conns: fc.array(connArb(clients), { minLength: 1, maxLength: 3 }),
    faults: fc.array(faultArb, { maxLength: 3 }),
    timestamps: fc.constantFrom<0 | 1>(0, 1),
  }),
);

/** Printable, distinct payloads, so a misplaced byte shows. */
function payload(tag: string, n: number): string {
  let s = '';
  for (let i = 0; s.length < n; i++) s += `${tag}${i}.`;
  return s.slice(0, n);
}

function scenarioOf(c: Case): Scenario {
  const hosts: Record<string, { ip: string; sysctl: Record<string, number> }> = {
    server: { ip: '10.0.0.100', sysctl: { 'net.ipv4.tcp_timestamps': c.timestamps } },
  };
  for (let i = 0; i < c.clients; i++)
    hosts[`client${i}`] = { ip: `10.0.0.${i + 1}`, sysctl: { 'net.ipv4.tcp_timestamps': c.timestamps } };
  const script: StepInput[] = [];
  c.conns.forEach((k, i) => {
    const host = `client${k.client}`;
    const port = 80 + i;
    const t0 = ms(k.start);
    const C = `C${i}`;
    const S = `S${i}`;
    const L = `L${i}`;
    script.push(
      { at: 0, host: 'server', call: 'socket', as: L },
      { at: 0, host: 'server', call: 'bind', fd: L, addr: { ip: '10.0.0.100', port } },
      { at: 0, host: 'server', call: 'listen', fd: L, backlog: 8 },
      { at: 0, host: 'server', call: 'accept', fd: L, as: S },
      { at: t0, host, call: 'socket', as: C },
      { at: t0, host, call: 'connect', fd: C, addr: { ip: '10.0.0.100', port } },
    );
    if (k.request > 0)
      script.push({ at: t0 + ms(50), host, call: 'send', fd: C, data: payload(`q${i}`, k.request) });
    if (k.response > 0)
      script.push({
        at: t0 + ms(100),
        host: 'server',
        call: 'send',
        fd: S,
        data: payload(`r${i}`, k.response),
      });
    // Both sides read what arrived before closing, so close() does not reset for unread data
    // (that is a separate lesson) — unless the data came too late, which the properties allow.
    const tClose = t0 + ms(2000);
    for (const t of [tClose - ms(1), tClose + ms(k.gap) - ms(1)]) {
      script.push({ at: t, host, call: 'recv', fd: C }, { at: t, host: 'server', call: 'recv', fd: S });
    }
    const closeC: StepInput = { at: tClose, host, call: 'close', fd: C };
    const closeS: StepInput = { at: tClose, host: 'server', call: 'close', fd: S };
    const later = (s: StepInput): StepInput => ({ ...s, at: s.at + ms(k.gap) });
    switch (k.order) {
      case 'client-first':
        script.push(closeC, later(closeS));
        break;
      case 'server-first':
        script.push(closeS, later(closeC));
        break;
      case 'simultaneous':
        script.push(closeC, closeS);
        break;
      case 'client-shutdown':
        script.push({ ...closeC, call: 'shutdown', how: 'SHUT_WR' }, later(closeS), later(later(closeC)));
        break;
      case 'server-only':
        script.push(closeS);
        break;
    }
    // Whatever is still open at 300 s is closed then (a blocked accept may have named S late).
    script.push({ ...closeC, at: SAFETY_CLOSE }, { ...closeS, at: SAFETY_CLOSE });
  });
  script.sort((a, b) => a.at - b.at);
  return build({
    seed: c.seed,
    until: UNTIL,
    hosts,
    link: c.link,
    script,
    faults: c.faults,
  });
}

interface Traced {
  sim: Simulation;
  events: SimEvent[];
  duplicateTuples: string[];
}

/** Run to the end, checking at many instants that no host lists one 4-tuple twice. */
function runChecked(sc: Scenario): Traced {
  const events: SimEvent[] = [];
  const sim = createSimulation(sc, { onEvent: (e) => events.push(e) });
  const hosts = Object.keys(sc.hosts);
  const duplicateTuples: string[] = [];
  const look = () => {
    for (const h of hosts) {
      const seen = new Set<string>();
      for (const r of sim.sockets(h)) {
        if (r.state === 'LISTEN') continue;
        const k = `${r.local}|${r.remote}`;
        if (seen.has(k)) duplicateTuples.push(`${h} at ${sim.now}: ${k}`);
        seen.add(k);
      }
    }
  };
  // Every instant with an event in the first 5 s (where the connections live), then every second.
  while (sim.now < sec(5) && sim.step()) look();
  for (let t = sec(5); t <= UNTIL; t += sec(1)) {
    sim.runUntil(t);
    look();
  }
  return { sim, events, duplicateTuples };
}

/** A stable digest of a trace (FNV-1a over its JSON). */
function digest(events: SimEvent[]): string {
  let h = 0x811c9dc5;
  const text = JSON.stringify(events);
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return `${(h >>> 0).toString(16)}:${events.length}`;
}

/** Connection histories from state events: host|conn → states in order, restarted at CLOSED. */
function timeWaitViolations(events: SimEvent[]): string[] {
  const history = new Map<string, { states: string[]; closedFirst: boolean }>();
  const bad: string[] = [];
  for (const e of events) {
    if (e.type !== 'state') continue;
    const key = `${e.host}|${e.conn}`;
    let h = history.get(key);
    if (h === undefined || e.from === 'CLOSED' || e.from === 'LISTEN') {
      h = { states: [e.from], closedFirst: false };
      history.set(key, h);
    }
    // The application closed first: FIN_WAIT_1 entered by close()/shutdown() before any FIN arrived.
    if (
      e.to === 'FIN_WAIT_1' &&
      (e.from === 'ESTABLISHED' || e.from === 'SYN_RECEIVED') &&
      !h.states.includes('CLOSE_WAIT')
    )
      h.closedFirst = true;
    if (e.to === 'TIME_WAIT') {
      if (e.from !== 'FIN_WAIT_2' && e.from !== 'CLOSING')
        bad.push(`${key} at ${e.t}: ${e.from} → TIME_WAIT`);
      if (!h.closedFirst) bad.push(`${key} at ${e.t}: TIME_WAIT without an active close (${h.states})`);
    }
    h.states.push(e.to);
    if (e.to === 'CLOSED') history.delete(key);
  }
  return bad;
}

/** Byte-stream check for one direction of connection i. */
function streamViolations(sc: Scenario, c: Case, t: Traced): string[] {
  const bad: string[] = [];
  c.conns.forEach((k, i) => {
    const host = `client${k.client}`;
    const port = 80 + i;
    const finIn = (h: string, side: (conn: string) => boolean) =>
      t.events.some(
        (e) =>
          e.type === 'state' && e.host === h && e.cause === 'rcv FIN' && side(e.conn) && e.to !== 'CLOSED',
      );
    const dirs = [
      {
        what: `C${i} → S${i}`,
        sent: k.request > 0 ? payload(`q${i}`, k.request) : '',
        got: t.sim.received('server', `S${i}`),
        sender: host,
        fd: `C${i}`,
        fin: finIn('server', (conn) => conn.startsWith(`10.0.0.100:${port} `)),
      },
      {
        what: `S${i} → C${i}`,
        sent: k.response > 0 ? payload(`r${i}`, k.response) : '',
        got: t.sim.received(host, `C${i}`),
        sender: 'server',
        fd: `S${i}`,
        fin: finIn(host, (conn) => conn.endsWith(`10.0.0.100:${port}`)),
      },
    ];
    for (const d of dirs) {
      if (!d.sent.startsWith(d.got)) bad.push(`${d.what}: received bytes are not a prefix of what was sent`);
      else if (d.fin && d.got !== d.sent && sendSucceeded(t, d.sender, d.fd))
        bad.push(`${d.what}: FIN received after ${d.got.length} of ${d.sent.length} bytes`);
    }
  });
  void sc;
  return bad;
}

/** The script's send() on that socket returned 0 (it may fail, e.g. before accept() has named it). */
function sendSucceeded(t: Traced, host: string, fd: string): boolean {
  return t.sim.calls.some((r) => r.call === 'send' && r.host === host && r.fd === fd && r.result === '0');
}

const NUM_RUNS = 250;

describe('simulator properties over random scenarios', () => {
  it(`hold for ${NUM_RUNS} random topologies, fault sets and close orders`, () => {
    let ran = 0;
    let timeWaits = 0;
    let bytesChecked = 0;
    fc.assert(
      fc.property(caseArb, (c) => {
        const sc = scenarioOf(c);
        const a = runChecked(sc);
        const b = runChecked(sc);
        ran++;
        // 1. Determinism.
        expect(digest(b.events)).toBe(digest(a.events));
        // 2. TIME_WAIT only after an active close (or through CLOSING).
        expect(timeWaitViolations(a.events)).toEqual([]);
        timeWaits += a.events.filter((e) => e.type === 'state' && e.to === 'TIME_WAIT').length;
        // 3. Everything but listeners is gone by the bound.
        for (const h of Object.keys(sc.hosts))
          expect(
            a.sim.sockets(h).filter((r) => r.state !== 'LISTEN'),
            `${h} at ${UNTIL / 1e6} s`,
          ).toEqual([]);
        // 4. No 4-tuple twice on a host.
        expect(a.duplicateTuples).toEqual([]);
        // 5. Bytes.
        expect(streamViolations(sc, c, a)).toEqual([]);
        bytesChecked += c.conns.length * 2;
      }),
      { numRuns: NUM_RUNS, seed: 20261130 },
    );
    console.log(
      `properties: ${ran} random scenarios (numRuns ${NUM_RUNS}, fast-check seed 20261130), ` +
        `${timeWaits} TIME_WAIT entries checked, ${bytesChecked} byte streams checked`,
    );
    expect(ran).toBeGreaterThanOrEqual(NUM_RUNS);
  }, 120_000);
});

describe('the property checks can fail', () => {
  const ev = (t: number, from: string, to: string, cause: string): SimEvent =>
    ({
      t,
      type: 'state',
      host: 'server',
      conn: '10.0.0.100:80 → 10.0.0.1:40000',
      from,
      to,
      cause,
    }) as SimEvent;

  it('flags TIME_WAIT on a passive closer', () => {
    const passive = [
      ev(0, 'LISTEN', 'SYN_RECEIVED', 'rcv SYN'),
      ev(1, 'SYN_RECEIVED', 'ESTABLISHED', 'rcv ACK'),
      ev(2, 'ESTABLISHED', 'CLOSE_WAIT', 'rcv FIN'),
      ev(3, 'CLOSE_WAIT', 'LAST_ACK', 'close()'),
      ev(4, 'LAST_ACK', 'TIME_WAIT', 'rcv ACK of FIN'),
    ];
    expect(timeWaitViolations(passive)).toHaveLength(2);
    const active = [
      ev(0, 'LISTEN', 'SYN_RECEIVED', 'rcv SYN'),
      ev(1, 'SYN_RECEIVED', 'ESTABLISHED', 'rcv ACK'),
      ev(2, 'ESTABLISHED', 'FIN_WAIT_1', 'close()'),
      ev(3, 'FIN_WAIT_1', 'CLOSING', 'rcv FIN'),
      ev(4, 'CLOSING', 'TIME_WAIT', 'rcv ACK of FIN'),
    ];
    expect(timeWaitViolations(active)).toEqual([]);
  });

  it('tells two traces apart by their digest', () => {
    const a = [ev(0, 'LISTEN', 'SYN_RECEIVED', 'rcv SYN')];
    const b = [ev(1, 'LISTEN', 'SYN_RECEIVED', 'rcv SYN')];
    expect(digest(a)).not.toBe(digest(b));
  });
});
