// The load generator (load.ts) registers itself here when it is imported, so that createSimulation()
// does not pull it into pages that only run scripted scenarios (a chapter's lab must fit a 40 KB
// budget). Whoever runs load scenarios imports './load.ts' — src/sim/index.ts does.

import type { Host } from './host.ts';
import type { World } from './tcp/world.ts';
import type { LoadSpec, Sample } from './types.ts';

export type LoadDriver = (w: World, byName: Map<string, Host>, spec: LoadSpec, samples: Sample[]) => unknown;

let driver: LoadDriver | undefined;

export function setLoadDriver(d: LoadDriver): void {
  driver = d;
}

export function loadDriver(): LoadDriver {
  if (driver === undefined) {
    throw new Error(
      'this scenario has a load generator, but src/sim/load.ts was not imported (import it, or use src/sim/index.ts, which does)',
    );
  }
  return driver;
}
