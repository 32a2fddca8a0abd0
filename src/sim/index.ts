// The simulator's public API, load generator included (pages that run only scripted scenarios import
// simulation.ts directly and leave load.ts out).

import './load.ts';

export { checkExpectations } from './expect.ts';
export * from './observation.ts';
export * from './observe.ts';
export { PROFILES } from './profiles.ts';
export { parseScenario, ScenarioError, scenarioJsonSchema } from './scenario.ts';
export { createSimulation } from './simulation.ts';
export * from './ss-table.ts';
export type * from './types.ts';
