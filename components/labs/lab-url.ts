// A scenario lab's URL state validator, apart from the component so that a chapter page loads the URL
// reader (../widgets/runtime/scenario-url.ts) only when its URL holds a lab's state. Tests use this one.

import { validateRunState } from '../widgets/runtime/scenario-url.ts';
import type { Checked } from '../widgets/runtime/urlState.ts';
import type { LabState } from './ScenarioLab.tsx';

export function validateLabState(raw: unknown, keys: readonly string[]): Checked<LabState> {
  const r = validateRunState(raw, 'v', keys);
  if (!r.ok) return r;
  const { k, ...rest } = r.value;
  return { ok: true, value: { v: k, ...rest } };
}
