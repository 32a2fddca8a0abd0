// What the load lab draws from a run (./load.ts): kept apart from the runner so the page's island
// imports no simulator code (the runs happen at build time and in load.worker.ts).

export interface LoadResult {
  rate: number;
  range: number;
  /** 0: one connection per request; N: a pool of N persistent connections. */
  pool: number;
  /** Sample times, µs. */
  t: number[];
  tw: number[];
  ports: number[];
  /** Running total of failed connect() calls. */
  fails: number[];
  /** Running total of connect() calls. */
  connects: number[];
  firstFailure?: number;
  start: number;
  duration: number;
  until: number;
  timeWait: number;
  ms: number;
}

export interface LogLine {
  at: number;
  n: number;
  failed: number;
  /** Seconds folded into this line because they looked the same (same n and failed). */
  repeat: number;
}

/** connect() outcomes per sample interval, runs of identical intervals folded into one line. */
export function connectLog(r: LoadResult): LogLine[] {
  const out: LogLine[] = [];
  for (let i = 1; i < r.t.length; i++) {
    const n = (r.connects[i] as number) - (r.connects[i - 1] as number);
    const failed = (r.fails[i] as number) - (r.fails[i - 1] as number);
    if (n === 0 && failed === 0) continue;
    const last = out[out.length - 1];
    if (last !== undefined && last.n === n && last.failed === failed) last.repeat++;
    else out.push({ at: r.t[i] as number, n, failed, repeat: 0 });
  }
  return out;
}
