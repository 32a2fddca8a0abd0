// Runs a load lab's simulation off the main thread: a few hundred to a few thousand connections take
// 0.1–1 s, too long for the page's main thread (a long task starts at 50 ms). One run per worker;
// the page terminates the worker to cancel.
import type { Scenario } from '../../src/sim/types.ts';
import { runLoad } from './load.ts';

export interface LoadRequest {
  scenario: Scenario;
  rate: number;
  range: number;
  pool: number;
}

self.addEventListener('message', (e: MessageEvent<LoadRequest>) => {
  try {
    const { scenario, rate, range, pool } = e.data;
    self.postMessage({ ok: true, result: runLoad(scenario, rate, range, pool) });
  } catch (err) {
    self.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) });
  }
});
