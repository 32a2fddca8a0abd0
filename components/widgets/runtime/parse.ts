// Parsing a scenario a person wrote (JSON) and running it: for widgets that take scenario text at run
// time (the playground). Widgets whose scenarios are fixed get them parsed at build time instead and
// import only ./run.ts, which keeps the parser out of their page's JavaScript.

import { parseScenario, ScenarioError } from '../../../src/sim/scenario.ts';
// Widgets that parse scenarios at run time (the playground) switch languages freely: load both tables.
import './i18n-all.ts';
import type { Scenario } from '../../../src/sim/types.ts';
import { type Run, type RunOptions, runScenario } from './run.ts';

export { parseScenario, ScenarioError };

export type ParseOutcome = { ok: true; scenario: Scenario } | { ok: false; problems: string[] };

/** Parse without throwing: each problem names the JSON path, as ScenarioError does. */
export function tryParseScenario(json: unknown, source = 'scenario'): ParseOutcome {
  try {
    return { ok: true, scenario: parseScenario(json, source) };
  } catch (e) {
    if (e instanceof ScenarioError) return { ok: false, problems: [...e.problems] };
    return { ok: false, problems: [`${source}: ${e instanceof Error ? e.message : String(e)}`] };
  }
}

/** Parse and run; throws ScenarioError on a bad scenario. */
export function runJson(json: unknown, opts: RunOptions = {}, source = 'scenario'): Run {
  return runScenario(parseScenario(json, source), opts);
}
