// The socket-call log of a scripted run, and the Little's-law prediction for the load lab. The counters
// over time are in ./counter-series.ts, which only the labs that draw them load.

import type { CallRecord } from '../../src/sim/types.ts';
import { callsOf, type Run } from '../widgets/runtime/run.ts';

/** The calls worth a line in the log: everything but successful socket/accept/send/close. */
export function notableCalls(run: Run, t: number): CallRecord[] {
  return callsOf(run).filter(
    (c) =>
      c.at <= t &&
      (c.result !== '0' ||
        c.call === 'connect' ||
        c.call === 'bind' ||
        c.call === 'recv' ||
        c.call === 'listen'),
  );
}

export interface LittleParams {
  rate: number;
  /** TIME_WAIT length, µs. */
  timeWait: number;
  /** Distinct 4-tuples available: the port range toward one destination. */
  cap: number;
}

/**
 * Little's law (L = λ·W): connections close at rate λ and each stays W in TIME_WAIT, so in a steady
 * state λ·W entries exist at once — unless the client runs out of 4-tuples first (a TIME_WAIT entry
 * holds its 4-tuple, RFC 9293 §3.6.1; Linux: TCP_TIMEWAIT_LEN = 60 s in include/net/tcp.h).
 */
export function littleSteady(p: LittleParams): number {
  return Math.min(Math.round((p.rate * p.timeWait) / 1e6), p.cap);
}
