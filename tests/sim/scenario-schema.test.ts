// The JSON Schema editors use must be the one generated from the zod schema, and every scenario file
// must point at it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema } from '../../src/sim/scenario.ts';

const SIM = join(import.meta.dirname, '../../src/sim');

describe('scenario.schema.json', () => {
  it('is current (regenerate with `node scripts/scenario-schema.ts`)', () => {
    const committed = JSON.parse(readFileSync(join(SIM, 'scenario.schema.json'), 'utf8'));
    expect(committed).toEqual(scenarioJsonSchema());
  });

  it('describes the main parts of a scenario', () => {
    const schema = scenarioJsonSchema() as { properties: Record<string, unknown>; required?: string[] };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining([
        'hosts',
        'network',
        'links',
        'nat',
        'script',
        'faults',
        'load',
        'snapshots',
        'expect',
      ]),
    );
    expect(schema.required).toEqual(['hosts']);
  });

  it('is referenced by every scenario file', () => {
    const files = readdirSync(join(SIM, 'scenarios')).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const json = JSON.parse(readFileSync(join(SIM, 'scenarios', f), 'utf8'));
      expect(json.$schema, f).toBe('../scenario.schema.json');
    }
  });
});
