// Running a scenario as an observer would: socket tables at chosen instants, counters, what each named
// socket received. The simulator's own tests, the kernel harness, the CLI and the exports use it; the
// views of a trace are in ./observe.ts.

import type { CounterSnapshot } from './expect.ts';
import { createSimulation } from './simulation.ts';
import type {
  Micros,
  Observation,
  Sample,
  Scenario,
  SimEvent,
  Simulation,
  SimulationOptions,
} from './types.ts';

export type CreateSimulation = (scenario: Scenario, options?: SimulationOptions) => Simulation;

export interface ObserveOptions {
  /** Override the scenario's seed. */
  seed?: number;
  /** Stop earlier (or later) than the scenario's `until`. */
  until?: Micros;
  /** Keep the event log (default true; the load scenarios turn it off to save memory). */
  events?: boolean;
  /** Also called with every event. */
  onEvent?: (e: SimEvent) => void;
}

export interface ObserveResult {
  observation: Observation & { counterSnapshots: CounterSnapshot[] };
  events: SimEvent[];
  samples: Sample[];
  simulation: Simulation;
}

/**
 * Run `scenario` with the given simulation factory, recording every host's socket table at each
 * scenario.snapshots instant and at each instant an expectation looks at.
 */
export function observeWith(
  create: CreateSimulation,
  scenario: Scenario,
  options: ObserveOptions = {},
): ObserveResult {
  const run: Scenario = {
    ...scenario,
    seed: options.seed ?? scenario.seed,
    until: options.until ?? scenario.until,
  };
  const events: SimEvent[] = [];
  const keep = options.events !== false;
  const onEvent = options.onEvent;
  const simOptions: SimulationOptions = {};
  if (keep || onEvent) {
    simOptions.onEvent = (e) => {
      if (keep) events.push(e);
      onEvent?.(e);
    };
  }
  const sim = create(run, simOptions);
  const hosts = Object.keys(run.hosts);

  const tableInstants = new Set<Micros>(run.snapshots);
  const counterInstants = new Set<Micros>();
  for (const e of run.expect) {
    if (e.kind === 'state' || e.kind === 'count') tableInstants.add(e.at);
    if (e.kind === 'counter' && e.at !== 'end') counterInstants.add(e.at);
  }
  const instants = [...new Set([...tableInstants, ...counterInstants])]
    .filter((t) => t <= run.until)
    .sort((a, b) => a - b);

  const snapshots: Observation['snapshots'] = [];
  const counterSnapshots: CounterSnapshot[] = [];
  for (const t of instants) {
    sim.runUntil(t);
    if (tableInstants.has(t))
      for (const host of hosts) snapshots.push({ at: t, host, sockets: sim.sockets(host) });
    if (counterInstants.has(t))
      for (const host of hosts) counterSnapshots.push({ at: t, host, counters: { ...sim.counters(host) } });
  }
  sim.runUntil(run.until);

  const counters: Observation['counters'] = {};
  for (const host of hosts) counters[host] = { ...sim.counters(host) };
  // What recv() returned to the application, call by call (as the kernel harness reports it) — not
  // what reached the receive queue: bytes discarded unread (close with unread data, a reset) are absent.
  const received: Observation['received'] = {};
  for (const step of run.script) {
    if (step.as !== undefined) received[`${step.host}/${step.as}`] = '';
  }
  for (const c of sim.calls) {
    if (c.call !== 'recv' || c.fd === undefined || c.data === undefined) continue;
    const key = `${c.host}/${c.fd}`;
    if (key in received) received[key] += c.data;
  }
  return {
    observation: { calls: [...sim.calls], snapshots, counters, received, counterSnapshots },
    events,
    samples: [...sim.samples],
    simulation: sim,
  };
}

/** Run a scenario with the simulator and record what an observer sees (see observeWith). */
export function observe(scenario: Scenario, options: ObserveOptions = {}): ObserveResult {
  return observeWith(createSimulation, scenario, options);
}
