// The load lab's run: a load-generator scenario (rate and port range set by the reader) reduced to
// what the lab draws — counters per second and the connect() outcomes per second. Pure (no DOM), so
// the same code runs at build time for the first frame and in load.worker.ts for the reader's knobs.

// Load scenarios: registers the load generator with createSimulation() (src/sim/load-hook.ts).
import '../../src/sim/load.ts';
import { PROFILES } from '../../src/sim/profiles.ts';
import { createSimulation } from '../../src/sim/simulation.ts';
import type { Scenario } from '../../src/sim/types.ts';
import type { LoadResult } from './load-view.ts';

export type { LoadResult };

/** The scenario with the reader's rate and client port range (range ports from 40000). */
export function withKnobs(base: Scenario, rate: number, range: number, pool = 0): Scenario {
  const load = base.load;
  if (load === undefined) throw new Error(`${base.name}: the load lab needs a scenario with "load"`);
  const client = base.hosts[load.client];
  if (client === undefined) throw new Error(`${base.name}: no host "${load.client}"`);
  return {
    ...base,
    // A pool keeps its connections open for the whole run (keep-alive): no close, no TIME_WAIT.
    load: {
      ...load,
      rate,
      pool,
      requestsPerConnection: pool > 0 ? 1_000_000_000 : load.requestsPerConnection,
    },
    hosts: {
      ...base.hosts,
      [load.client]: {
        ...client,
        sysctl: { ...client.sysctl, 'net.ipv4.ip_local_port_range': [40000, 40000 + range - 1] },
      },
    },
  };
}

export function runLoad(scenario: Scenario, rate: number, range: number, pool = 0): LoadResult {
  const started = Date.now();
  const s = withKnobs(scenario, rate, range, pool);
  const load = s.load as NonNullable<Scenario['load']>;
  const sim = createSimulation(s);
  sim.runUntil(s.until);
  const out: LoadResult = {
    rate,
    range,
    pool,
    t: [],
    tw: [],
    ports: [],
    fails: [],
    connects: [],
    start: load.start,
    duration: load.duration,
    until: s.until,
    timeWait: PROFILES[s.profile].timeWait,
    ms: 0,
  };
  for (const x of sim.samples) {
    if (x.host !== load.client) continue;
    out.t.push(x.t);
    out.tw.push(x.timeWait);
    out.ports.push(x.portsInUse);
    out.fails.push(x.connectFailures);
    out.connects.push(x.connects);
    if (out.firstFailure === undefined && x.connectFailures > 0) out.firstFailure = x.t;
  }
  out.ms = Date.now() - started;
  return out;
}
