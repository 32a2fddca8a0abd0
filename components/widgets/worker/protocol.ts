// Messages between the page and the simulation worker (sim.worker.ts). One worker runs one scenario
// and is then terminated: cancelling is `worker.terminate()`, which stops a run mid-slice at once,
// with no cooperation needed from the simulator's inner loop.

import type { PlaygroundResult, Progress } from './run.ts';

export interface RunRequest {
  type: 'run';
  /** The scenario as JSON (parsed inside the worker, so its problems come back as text). */
  scenario: unknown;
  slices?: number;
}

export type WorkerReply =
  | ({ type: 'progress' } & Progress)
  | { type: 'done'; result: PlaygroundResult }
  | { type: 'invalid'; problems: string[] }
  | { type: 'error'; message: string };
