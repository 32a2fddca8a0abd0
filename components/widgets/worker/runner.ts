// Running a playground scenario: in a Web Worker when the run is heavy (a load generator), on the
// main thread when it is a small script (a few hundred events, well under the 50 ms a long task
// starts at). Either way the caller gets progress, a cancel() and a promise of the result.

import type { RunRequest, WorkerReply } from './protocol.ts';
import { CancelledError, type Outcome, type Progress, runPlayground } from './run.ts';

export { CancelledError };

export interface RunHandle {
  /** Resolves with the result or the scenario's problems; rejects with CancelledError on cancel(). */
  promise: Promise<Outcome>;
  cancel(): void;
  /** Where it runs. */
  where: 'worker' | 'main';
}

export interface RunnerOptions {
  onProgress?: (p: Progress) => void;
  /** Force a place (tests); default: the worker for load runs when Worker exists. */
  where?: 'worker' | 'main';
  slices?: number;
}

/** Whether a scenario (as JSON) needs the worker: it has a load generator. */
export function isHeavy(scenario: unknown): boolean {
  return scenario !== null && typeof scenario === 'object' && 'load' in scenario;
}

export function startRun(scenario: unknown, opts: RunnerOptions = {}): RunHandle {
  const where = opts.where ?? (isHeavy(scenario) && typeof Worker !== 'undefined' ? 'worker' : 'main');
  return where === 'worker' ? runInWorker(scenario, opts) : runOnMain(scenario, opts);
}

function runOnMain(scenario: unknown, opts: RunnerOptions): RunHandle {
  let cancelled = false;
  const promise = new Promise<Outcome>((resolve, reject) => {
    // A microtask later, so the caller can render "running" and keep the handle first.
    queueMicrotask(() => {
      if (cancelled) return reject(new CancelledError());
      try {
        resolve(
          runPlayground(scenario, {
            ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
            shouldStop: () => cancelled,
            ...(opts.slices !== undefined ? { slices: opts.slices } : {}),
          }),
        );
      } catch (e) {
        reject(e);
      }
    });
  });
  return {
    promise,
    where: 'main',
    cancel() {
      cancelled = true;
    },
  };
}

function runInWorker(scenario: unknown, opts: RunnerOptions): RunHandle {
  const worker = new Worker(new URL('./sim.worker.ts', import.meta.url), { type: 'module' });
  let settle: { resolve: (o: Outcome) => void; reject: (e: unknown) => void } | undefined;
  const promise = new Promise<Outcome>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const finish = () => {
    worker.terminate();
    settle = undefined;
  };
  worker.addEventListener('message', (e: MessageEvent<WorkerReply>) => {
    const msg = e.data;
    if (msg.type === 'progress') {
      opts.onProgress?.({ fraction: msg.fraction, now: msg.now });
      return;
    }
    const s = settle;
    finish();
    if (!s) return;
    if (msg.type === 'done') s.resolve({ ok: true, result: msg.result });
    else if (msg.type === 'invalid') s.resolve({ ok: false, problems: msg.problems });
    else s.reject(new Error(msg.message));
  });
  worker.addEventListener('error', (e) => {
    const s = settle;
    finish();
    s?.reject(new Error(e.message || 'the simulation worker failed'));
  });
  const req: RunRequest = {
    type: 'run',
    scenario,
    ...(opts.slices !== undefined ? { slices: opts.slices } : {}),
  };
  worker.postMessage(req);
  return {
    promise,
    where: 'worker',
    cancel() {
      const s = settle;
      finish();
      s?.reject(new CancelledError());
    },
  };
}
