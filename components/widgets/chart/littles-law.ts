// The TIME_WAIT count a load should produce, from Little's law (L = λ·W): connections close at the
// request rate λ, each stays in TIME_WAIT for W (Linux: TCP_TIMEWAIT_LEN = 60 s, include/net/tcp.h),
// so once the load has run longer than W about λ·W of them exist at once. Before that the count
// grows as λ·t, after the load it drains over W. The closing host's tcp_max_tw_buckets and the number
// of distinct 4-tuples (a TIME_WAIT entry holds its 4-tuple, RFC 9293 §3.6.1) cap it.

export interface LittleInput {
  /** Connections closed per second. */
  rate: number;
  /** When the load starts and how long it lasts, in microseconds. */
  start: number;
  duration: number;
  /** TIME_WAIT length in microseconds. */
  timeWait: number;
  /** Upper bound (min of tuples and tcp_max_tw_buckets). */
  cap: number;
  /** Chart window end, microseconds. */
  until: number;
}

/** Expected TIME_WAIT count at time t (microseconds). */
export function expectedTimeWait(p: LittleInput, t: number): number {
  // Connections that closed in (t − W, t] ∩ [start, start + duration].
  const from = Math.max(p.start, t - p.timeWait);
  const to = Math.min(p.start + p.duration, t);
  const n = to > from ? (p.rate * (to - from)) / 1e6 : 0;
  return Math.min(n, p.cap);
}

/** The curve, as points at its corners (it is piecewise linear) plus a cap crossing. */
export function littleCurve(p: LittleInput): { t: number[]; v: number[] } {
  const end = p.start + p.duration;
  const corners = [
    0,
    p.start,
    Math.min(end, p.start + p.timeWait),
    Math.max(end, p.start + p.timeWait),
    end + p.timeWait,
    p.until,
  ];
  // Where the rising and falling edges meet the cap.
  if (p.rate > 0) {
    const capSpan = (p.cap / p.rate) * 1e6;
    corners.push(p.start + capSpan, end + p.timeWait - capSpan, p.start + p.timeWait, end);
  }
  const ts = [...new Set(corners.filter((t) => t >= 0 && t <= p.until).map(Math.round))].sort(
    (a, b) => a - b,
  );
  return { t: ts, v: ts.map((t) => expectedTimeWait(p, t)) };
}
