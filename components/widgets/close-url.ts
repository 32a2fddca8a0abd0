// The close explorer's URL state validator, apart from the component so that the page loads the URL
// reader (./runtime/scenario-url.ts) only when its URL holds a state (the widget reads it through
// useScenarioRun). Tests and tools use this one.

import { CLOSERS, type CloseState, toClose } from './CloseExplorer.tsx';
import { validateRunState } from './runtime/scenario-url.ts';
import type { Checked } from './runtime/urlState.ts';

export function validateCloseState(raw: unknown): Checked<CloseState> {
  const r = validateRunState(raw, 'c', CLOSERS);
  return r.ok ? { ok: true, value: toClose(r.value) } : r;
}
