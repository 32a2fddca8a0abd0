// Writes src/sim/scenario.schema.json, the JSON Schema editors use for scenario files, from the shape
// description in src/sim/scenario.ts (the same one the parser validates with), then lets Biome format it
// like every other file in the repository.
// Run after changing the format: `node scripts/scenario-schema.ts`.
// tests/sim/scenario-schema.test.ts fails while the committed file is out of date.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scenarioSchemaText } from '../src/sim/scenario.ts';

const target = fileURLToPath(new URL('../src/sim/scenario.schema.json', import.meta.url));
writeFileSync(target, scenarioSchemaText());
const biome = fileURLToPath(new URL('../node_modules/.bin/biome', import.meta.url));
const r = spawnSync(biome, ['format', '--write', target], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
console.log(`wrote ${target}`);
