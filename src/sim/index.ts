// The simulator's public API.

export { checkExpectations } from './expect.ts';
export * from './observe.ts';
export { PROFILES } from './profiles.ts';
export { parseScenario, ScenarioError, scenarioJsonSchema } from './scenario.ts';
export { createSimulation } from './simulation.ts';
export type * from './types.ts';
