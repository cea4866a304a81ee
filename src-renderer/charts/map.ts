/**
 * The Map card's bookkeeping between points and dataset rows: points split by group (cluster or true label), the
 * group centroids (cluster centers on the map), the rows inside a brushed rectangle or a lasso, and a selection's
 * cluster × label counts. The points themselves are drawn by the point layer (lib/point-layer.ts,
 * components/PointMap.vue), not by ECharts.
 */

/** Points of each group: coordinates as x, y pairs (for the series' data) and the dataset row of each point. */
export interface GroupedPoints {
  /** groups × (2 × size): x0, y0, x1, y1, … */
  coords: Float32Array[];
  /** groups × size: dataset row of each point, same order. */
  rows: Int32Array[];
}

/**
 * Splits n points (coords n × 2, row-major) by group (length n, values 0 … groups − 1; a value out of range
 * goes to no group). Rows keep their order inside a group.
 */
export function groupPoints(coords: ArrayLike<number>, group: ArrayLike<number> | null, groups: number): GroupedPoints {
  const n = Math.floor(coords.length / 2);
  const g = Math.max(1, groups);
  const counts = new Int32Array(g);
  const of = (i: number): number => (group ? group[i]! : 0);
  for (let i = 0; i < n; i++) {
    const c = of(i);
    if (c >= 0 && c < g) counts[c]++;
  }
  const out: GroupedPoints = {
    coords: Array.from(counts, (c) => new Float32Array(2 * c)),
    rows: Array.from(counts, (c) => new Int32Array(c)),
  };
  const fill = new Int32Array(g);
  for (let i = 0; i < n; i++) {
    const c = of(i);
    if (c < 0 || c >= g) continue;
    const k = fill[c]++;
    out.coords[c]![2 * k] = coords[2 * i]!;
    out.coords[c]![2 * k + 1] = coords[2 * i + 1]!;
    out.rows[c]![k] = i;
  }
  return out;
}

/** Mean map position of each group (groups × 2), NaN for an empty group: where a cluster's center sits on the map. */
export function groupCentroids(coords: ArrayLike<number>, group: ArrayLike<number>, groups: number): Float64Array {
  const sums = new Float64Array(2 * groups);
  const counts = new Float64Array(groups);
  for (let i = 0; i < group.length; i++) {
    const c = group[i]!;
    if (c < 0 || c >= groups) continue;
    sums[2 * c] += coords[2 * i]!;
    sums[2 * c + 1] += coords[2 * i + 1]!;
    counts[c]++;
  }
  return sums.map((s, j) => (counts[j >> 1]! > 0 ? s / counts[j >> 1]! : NaN));
}

/** A brushed rectangle in data coordinates: [[x0, x1], [y0, y1]]. */
export type BrushRange = [[number, number], [number, number]];

/** Rows whose map position lies inside the rectangle (edges included), ascending. */
export function rowsInRange(coords: ArrayLike<number>, range: BrushRange): Int32Array {
  const [[xa, xb], [ya, yb]] = range;
  const [x0, x1] = xa <= xb ? [xa, xb] : [xb, xa];
  const [y0, y1] = ya <= yb ? [ya, yb] : [yb, ya];
  const out: number[] = [];
  for (let i = 0; 2 * i + 1 < coords.length; i++) {
    const x = coords[2 * i]!;
    const y = coords[2 * i + 1]!;
    if (x >= x0 && x <= x1 && y >= y0 && y <= y1) out.push(i);
  }
  return Int32Array.from(out);
}

/**
 * Rows whose map position lies inside the closed polygon (x, y pairs; even-odd rule, so a lasso that crosses
 * itself leaves out what it wraps twice), ascending. Fewer than 3 vertices select nothing.
 */
export function rowsInPolygon(coords: ArrayLike<number>, polygon: ArrayLike<number>): Int32Array {
  const m = polygon.length >> 1;
  if (m < 3) return new Int32Array(0);
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (let j = 0; j < m; j++) {
    x0 = Math.min(x0, polygon[2 * j]!);
    x1 = Math.max(x1, polygon[2 * j]!);
    y0 = Math.min(y0, polygon[2 * j + 1]!);
    y1 = Math.max(y1, polygon[2 * j + 1]!);
  }
  const out: number[] = [];
  for (let i = 0; 2 * i + 1 < coords.length; i++) {
    const x = coords[2 * i]!;
    const y = coords[2 * i + 1]!;
    if (!(x >= x0 && x <= x1 && y >= y0 && y <= y1)) continue;
    let inside = false;
    for (let j = 0, k = m - 1; j < m; k = j++) {
      const xj = polygon[2 * j]!;
      const yj = polygon[2 * j + 1]!;
      const xk = polygon[2 * k]!;
      const yk = polygon[2 * k + 1]!;
      if (yj > y !== yk > y && x < ((xk - xj) * (y - yj)) / (yk - yj) + xj) inside = !inside;
    }
    if (inside) out.push(i);
  }
  return Int32Array.from(out);
}

/** Counts of the selected rows per cluster × true label (clusters × classes, row-major); a missing side counts as one column / row. */
export function breakdown(
  rows: ArrayLike<number>,
  clusters: ArrayLike<number> | null,
  k: number,
  labels: ArrayLike<number> | null,
  classes: number,
): { k: number; classes: number; counts: Int32Array } {
  const kk = clusters ? Math.max(1, k) : 1;
  const cc = labels ? Math.max(1, classes) : 1;
  const counts = new Int32Array(kk * cc);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const a = clusters ? clusters[r]! : 0;
    const b = labels ? labels[r]! : 0;
    if (a >= 0 && a < kk && b >= 0 && b < cc) counts[a * cc + b]++;
  }
  return { k: kk, classes: cc, counts };
}
