/**
 * Independent checks of a clustering result used by the engine tests: nearest-center labels and inertia
 * computed directly in feature units, without the engine's kernel.
 */
import type { DataMatrix } from '../../src-shared/model';

/** For each row, the nearest center (lowest index on ties) and the squared distance to it, in feature units. */
export function nearestCenters(X: DataMatrix, centers: Float64Array, k: number): { labels: Int32Array; dist: Float64Array } {
  const { n, d, data, scale } = X;
  const labels = new Int32Array(n);
  const dist = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = data[i * d + j] * scale - centers[c * d + j];
        s += t * t;
      }
      if (s < best) {
        best = s;
        labels[i] = c;
      }
    }
    dist[i] = best;
  }
  return { labels, dist };
}

export function mean(v: number[]): number {
  return v.reduce((a, b) => a + b, 0) / v.length;
}
