// The load generator (load.ts) registers itself here when it is imported, so that createSimulation()
// does not pull it into pages that only run scripted scenarios (a chapter's lab must fit a 40 KB
// budget). Whoever runs load scenarios imports './load.ts' — src/sim/index.ts does.

import type { Engine } from './engine.ts';
import type { Host } from './host.ts';
import type { World } from './tcp/world.ts';
import type { LoadSpec, Sample } from './types.ts';

export type LoadDriver = (w: World, byName: Map<string, Host>, spec: LoadSpec, samples: Sample[]) => unknown;

/**
 * The engine and host classes of big runs (src/sim/fast/: ring-buffer lanes, stale timers let go, flat
 * connection tables, TIME_WAIT entries as records without objects). Same behaviour, event for event,
 * as engine.ts and host.ts; they come with the load generator so that pages which only run scripted
 * scenarios do not carry them.
 */
export interface FastKit {
  Engine: typeof Engine;
  Host: typeof Host;
}

let driver: LoadDriver | undefined;
/** Set once load.ts is imported; createSimulation() then builds every run from it. */
export let fast: FastKit | undefined;

export function setLoadDriver(d: LoadDriver, kit?: FastKit): void {
  driver = d;
  fast = kit;
}

export function loadDriver(): LoadDriver {
  if (driver === undefined) {
    // Short: the message ships on every chapter page, which never needs it.
    throw new Error('a load scenario needs src/sim/load.ts imported (src/sim/index.ts does)');
  }
  return driver;
}
