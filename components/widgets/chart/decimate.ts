// Min/max-per-pixel decimation for line charts. A 10⁵-point series drawn into a 640-pixel-wide plot
// needs only two points per pixel column to look identical: for each column we keep the lowest and the
// highest point (in time order), so every spike and dip stays
// visible. Output size is bounded by 2 × columns (+2) whatever the input size, so drawing stays cheap:
// 10⁵ samples in a 572-pixel plot become at most 1,146 path points.

export interface Decimated {
  xs: number[];
  ys: number[];
}

/**
 * Decimate the series (xs ascending) to the window [x0, x1] split into `columns` pixel columns.
 * Points outside the window are dropped, except the last one before it and the first one after it,
 * which keep the line continuous up to the plot's edges.
 */
export function decimate(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  x0: number,
  x1: number,
  columns: number,
): Decimated {
  const n = Math.min(xs.length, ys.length);
  const out: Decimated = { xs: [], ys: [] };
  if (n === 0 || !(columns >= 1) || !(x1 > x0)) {
    for (let i = 0; i < n; i++) {
      out.xs.push(xs[i] as number);
      out.ys.push(ys[i] as number);
    }
    return out;
  }
  const cols = Math.floor(columns);
  const width = (x1 - x0) / cols;
  const column = (x: number): number => Math.min(cols - 1, Math.floor((x - x0) / width));
  let i = 0;
  // The last point before the window, so the line enters from the left edge.
  while (i < n && (xs[i] as number) < x0) i++;
  if (i > 0) {
    out.xs.push(xs[i - 1] as number);
    out.ys.push(ys[i - 1] as number);
  }
  while (i < n && (xs[i] as number) <= x1) {
    const col = column(xs[i] as number);
    let min = i;
    let max = i;
    i++;
    while (i < n && (xs[i] as number) <= x1 && column(xs[i] as number) === col) {
      if ((ys[i] as number) < (ys[min] as number)) min = i;
      if ((ys[i] as number) > (ys[max] as number)) max = i;
      i++;
    }
    // The column's extremes in time order (one point when they coincide). The column's first and
    // last points lie between them, so the vertical stroke from min to max covers them too.
    const a = Math.min(min, max);
    const b = Math.max(min, max);
    out.xs.push(xs[a] as number);
    out.ys.push(ys[a] as number);
    if (b !== a) {
      out.xs.push(xs[b] as number);
      out.ys.push(ys[b] as number);
    }
  }
  // The first point after the window, so the line leaves through the right edge.
  if (i < n) {
    out.xs.push(xs[i] as number);
    out.ys.push(ys[i] as number);
  }
  return out;
}
