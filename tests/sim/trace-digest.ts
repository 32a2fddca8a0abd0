// The digest both trace-fingerprint tests compare with trace-fingerprint.json: every event as JSON, in
// order, then the run's stats, each host's final sockets and counters, the observation the pages show
// and the load samples. No import of the load generator here: trace-fingerprint-compact.test.ts must
// run the compact engine and host (trace-fingerprint.test.ts imports src/sim/load.ts itself).

import { createHash } from 'node:crypto';
import { observe } from '../../src/sim/observation.ts';
import type { Scenario } from '../../src/sim/types.ts';

export function traced(scenario: Scenario, seed: number, until?: number): string {
  const h = createHash('sha256');
  let n = 0;
  const r = observe(scenario, {
    seed,
    ...(until !== undefined ? { until } : {}),
    events: false,
    onEvent: (e) => {
      n++;
      h.update(JSON.stringify(e));
      h.update('\n');
    },
  });
  const sim = r.simulation;
  const hosts = Object.keys(scenario.hosts);
  h.update(
    JSON.stringify({
      events: n,
      now: sim.now,
      stats: sim.stats,
      final: hosts.map((host) => ({ host, sockets: sim.sockets(host), counters: sim.counters(host) })),
      observation: r.observation,
      samples: r.samples,
    }),
  );
  return h.digest('hex');
}
