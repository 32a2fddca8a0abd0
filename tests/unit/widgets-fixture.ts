// Parsed close scenarios for the widget tests (the same files CloseExplorer.astro parses at build time).
import '../../components/widgets/runtime/i18n-all.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Closer } from '../../components/widgets/CloseExplorer.tsx';
import { parseScenario } from '../../src/sim/scenario.ts';
import type { Scenario } from '../../src/sim/types.ts';

const DIR = join(import.meta.dirname, '../../src/sim/scenarios');

export function scenario(name: string): Scenario {
  return parseScenario(JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')), `${name}.json`);
}

export function closeScenarios(): Record<Closer, Scenario> {
  return {
    client: scenario('normal-close-client-first'),
    server: scenario('normal-close-server-first'),
    both: scenario('simultaneous-close'),
  };
}
