/// <reference lib="webworker" />
// The simulation worker: runs one playground scenario off the main thread and reports progress after
// each slice of simulated time. Loaded with
// `new Worker(new URL('./sim.worker.ts', import.meta.url), { type: 'module' })` (runner.ts), which
// Vite bundles as a separate module chunk.

import type { RunRequest, WorkerReply } from './protocol.ts';
import { runPlayground } from './run.ts';

const PROGRESS_EVERY_MS = 200;

const post = (msg: WorkerReply): void => (self as unknown as DedicatedWorkerGlobalScope).postMessage(msg);

self.addEventListener('message', (e: MessageEvent<RunRequest>) => {
  const req = e.data;
  if (req?.type !== 'run') return;
  try {
    // At most one progress message per PROGRESS_EVERY_MS: each one is a task on the page's main
    // thread, and on a busy machine even a tiny task can wait long enough to become a long task.
    let last = Number.NEGATIVE_INFINITY;
    const outcome = runPlayground(req.scenario, {
      onProgress: (p) => {
        const now = performance.now();
        if (now - last < PROGRESS_EVERY_MS && p.fraction < 1) return;
        last = now;
        post({ type: 'progress', ...p });
      },
      ...(req.slices !== undefined ? { slices: req.slices } : {}),
    });
    if (outcome.ok) post({ type: 'done', result: outcome.result });
    else post({ type: 'invalid', problems: outcome.problems });
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
});
