/**
 * The elbow of a curve by Kneedle (Satopää, Albrecht, Irwin, Raghavan 2011, "Finding a 'Kneedle' in a
 * Haystack"), offline form as in the `kneed` package with S = 1 and no smoothing: x and y are normalized to
 * [0, 1], a decreasing convex curve (inertia against k) is flipped to an increasing concave one, and the knee is
 * the point farthest above the diagonal of the difference curve.
 */

export interface KneePoint {
  x: number;
  y: number;
}

/**
 * The x of the elbow of a decreasing convex curve (points in any order, distinct x), or null with fewer than
 * three points, a flat curve, or no point above the chord from the first to the last point.
 */
export function kneedleElbow(points: readonly KneePoint[]): number | null {
  const p = points.filter((q) => Number.isFinite(q.x) && Number.isFinite(q.y)).sort((a, b) => a.x - b.x);
  if (p.length < 3) return null;
  const x0 = p[0]!.x;
  const x1 = p[p.length - 1]!.x;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const q of p) (yMin = Math.min(yMin, q.y)), (yMax = Math.max(yMax, q.y));
  if (x1 === x0 || yMax === yMin) return null;
  let best: number | null = null;
  let bestDiff = 0;
  for (const q of p) {
    const xn = (q.x - x0) / (x1 - x0);
    const yn = (q.y - yMin) / (yMax - yMin);
    // decreasing convex: 1 − yn is increasing concave; the difference curve is (1 − yn) − xn
    const diff = 1 - yn - xn;
    if (diff > bestDiff + 1e-12) (bestDiff = diff), (best = q.x);
  }
  return best;
}
