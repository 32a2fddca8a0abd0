// Builds normalized Scenario objects in code for the runtime tests (independent of the JSON parser).

import '../../src/sim/load.ts';
import { createSimulation } from '../../src/sim/simulation.ts';
import type {
  FaultSpec,
  HostSpec,
  LinkSpec,
  LoadSpec,
  NatSpec,
  ProfileName,
  Scenario,
  ScriptStep,
  SimEvent,
  Simulation,
  Sysctls,
} from '../../src/sim/types.ts';

export const sec = (n: number): number => Math.round(n * 1_000_000);
export const ms = (n: number): number => Math.round(n * 1000);

export type StepInput = Omit<ScriptStep, 'index'>;

export interface Build {
  profile?: ProfileName;
  seed?: number;
  until?: number;
  hosts?: Record<
    string,
    { ip: string; extraIps?: string[]; sysctl?: Partial<Sysctls>; isn?: 'rfc6528' | 'naive' }
  >;
  link?: Partial<Omit<LinkSpec, 'between'>>;
  links?: LinkSpec[];
  nat?: NatSpec[];
  script?: StepInput[];
  faults?: FaultSpec[];
  load?: LoadSpec;
}

export function build(b: Build): Scenario {
  const hosts: Record<string, HostSpec> = {};
  const hs = b.hosts ?? { client: { ip: '10.0.0.1' }, server: { ip: '10.0.0.2' } };
  for (const [name, h] of Object.entries(hs))
    hosts[name] = { ip: h.ip, extraIps: h.extraIps ?? [], sysctl: h.sysctl ?? {}, isn: h.isn ?? 'rfc6528' };
  const scenario: Scenario = {
    version: 1,
    name: 'test',
    profile: b.profile ?? 'linux',
    seed: b.seed ?? 1,
    until: b.until ?? sec(200),
    hosts,
    defaultLink: {
      delay: ms(5),
      jitter: 0,
      loss: 0,
      duplicate: 0,
      reorder: 0,
      bandwidth: 0,
      hops: 0,
      ...b.link,
    },
    links: b.links ?? [],
    nat: b.nat ?? [],
    script: (b.script ?? []).map((s, index) => ({ ...s, index })),
    faults: b.faults ?? [],
    snapshots: [],
    expect: [],
  };
  if (b.load !== undefined) scenario.load = b.load;
  return scenario;
}

/** Server listening on 10.0.0.2:80 with one accept (as 'S'), client 'C' connecting at `at`. */
export function serverSteps(at = 0, port = 80, host = 'server', ip = '10.0.0.2'): StepInput[] {
  return [
    { at, host, call: 'socket', as: 'L' },
    { at, host, call: 'bind', fd: 'L', addr: { ip, port } },
    { at, host, call: 'listen', fd: 'L', backlog: 128 },
    { at, host, call: 'accept', fd: 'L', as: 'S' },
  ];
}

export function clientConnect(
  at: number,
  as = 'C',
  ip = '10.0.0.2',
  port = 80,
  host = 'client',
): StepInput[] {
  return [
    { at, host, call: 'socket', as },
    { at, host, call: 'connect', fd: as, addr: { ip, port } },
  ];
}

export interface Run {
  sim: Simulation;
  events: SimEvent[];
}

export function run(s: Scenario, until?: number): Run {
  const events: SimEvent[] = [];
  const sim = createSimulation(s, { onEvent: (e) => events.push(e) });
  sim.runUntil(until ?? s.until);
  return { sim, events };
}

/** State changes of one host, as 'FROM>TO' strings in order. */
export function transitions(events: SimEvent[], host: string): string[] {
  return events.flatMap((e) => (e.type === 'state' && e.host === host ? [`${e.from}>${e.to}`] : []));
}

/** Sent segments of a host as tcpdump-ish flag strings. */
export function sent(events: SimEvent[], host: string): string[] {
  return events.flatMap((e) => (e.type === 'seg-send' && e.host === host ? [e.seg.flags] : []));
}

export function statesAt(sim: Simulation, host: string): string[] {
  return sim.sockets(host).map((r) => r.state);
}
