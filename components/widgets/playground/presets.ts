// The playground's presets: one per scenario file of the simulator (src/sim/scenarios/*.json), in
// file-name order, each normalised for the knobs and fitted to a browser tab's memory.

import { fitPreset, normalizeScenario } from '../knobs/scenario-knobs.ts';
import type { ScenarioJson, Text } from '../knobs/spec.ts';

export interface Preset {
  name: string;
  title: Text;
  description?: Text;
  json: ScenarioJson;
  /** Set when fitPreset() shortened the load. */
  note?: Text;
}

const files = import.meta.glob<Record<string, unknown>>('../../../src/sim/scenarios/*.json', {
  eager: true,
  import: 'default',
});

function isText(v: unknown): v is Text {
  return (
    v !== null &&
    typeof v === 'object' &&
    typeof (v as Text).en === 'string' &&
    typeof (v as Text)['zh-cn'] === 'string'
  );
}

export const PRESETS: Preset[] = Object.entries(files)
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([path, raw]) => {
    const file = path.slice(path.lastIndexOf('/') + 1).replace(/\.json$/, '');
    const json = normalizeScenario(raw);
    const name = typeof json.name === 'string' ? json.name : file;
    const note = fitPreset(json);
    return {
      name,
      title: isText(json.title) ? json.title : { en: name, 'zh-cn': name },
      ...(isText(json.description) ? { description: json.description } : {}),
      json,
      ...(note ? { note } : {}),
    };
  });

/** A small scripted run: it renders at build time and re-runs on the main thread as knobs move. */
export const DEFAULT_PRESET = 'port-exhaustion';

export function presetByName(name: string): Preset | undefined {
  return PRESETS.find((p) => p.name === name);
}
