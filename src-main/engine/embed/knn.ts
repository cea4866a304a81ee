/**
 * Exact k nearest neighbours (Euclidean) of every row, from the engine's distance kernel (WASM SIMD on every
 * core for large uint8 / float32 data, the TypeScript reference otherwise): the rows are compared with blocks
 * of rows taken as "centers", and each row keeps its k closest in a sorted list. O(n² d); deterministic
 * (equal distances go to the lower row index). Each row is its own first neighbour (distance 0), as in UMAP.
 */
import type { DataMatrix } from '../../../src-shared/model';
import { defaultPairsKernel } from '../kernels/default';
import type { LloydKernel } from '../kernels/types';
import { CancelledError, ParamError } from '../errors';

export interface Knn {
  k: number;
  /** n × k, row-major: the neighbours of row i, nearest first (row i itself first). */
  indices: Int32Array;
  /** n × k: their Euclidean distances in feature units (raw × scale). */
  distances: Float64Array;
}

/** Rows taken as centers per kernel call: the kernel's output is n × BLOCK float64. */
const BLOCK = 64;

export function exactKnn(
  X: DataMatrix,
  k: number,
  opts: { kernel?: LloydKernel; onProgress?: (fraction: number) => void; signal?: AbortSignal } = {},
): Knn {
  const { n, d, data } = X;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new ParamError('nNeighbors', `nNeighbors must be an integer 1 … ${n} (rows), got ${k}`);
  const kernel = opts.kernel ?? defaultPairsKernel(X);
  const norms = new Float64Array(n);
  kernel.rowNorms(data, d, 0, n, norms);
  const best = new Float64Array(n * k).fill(Infinity);
  const idx = new Int32Array(n * k).fill(-1);
  const out = new Float64Array(n * BLOCK);
  const centers = new Float64Array(BLOCK * d);
  for (let start = 0; start < n; start += BLOCK) {
    if (opts.signal?.aborted) throw new CancelledError('the embedding was cancelled');
    const b = Math.min(BLOCK, n - start);
    for (let c = 0; c < b; c++) for (let j = 0; j < d; j++) centers[c * d + j] = data[(start + c) * d + j];
    kernel.distances({ data, d, rowNorms: norms, start: 0, end: n, centers, centerNorms: norms.subarray(start, start + b), k: b, out });
    for (let i = 0; i < n; i++) {
      const o = i * k;
      const r = i * b;
      for (let c = 0; c < b; c++) {
        const j = start + c;
        // the kernel's norm expansion leaves rounding for a row against itself: it is at exactly 0
        const dist = j === i ? 0 : out[r + c];
        // candidates come in increasing j, so an equal distance never displaces a kept lower index
        if (dist >= best[o + k - 1]) continue;
        let p = k - 1;
        while (p > 0 && best[o + p - 1] > dist) {
          best[o + p] = best[o + p - 1];
          idx[o + p] = idx[o + p - 1];
          p--;
        }
        best[o + p] = dist;
        idx[o + p] = j;
      }
    }
    opts.onProgress?.((start + b) / n);
  }
  // self first: move row i to the front (another row at distance 0, a duplicate, may have taken its place)
  for (let i = 0; i < n; i++) {
    const o = i * k;
    let p = 0;
    while (p < k && idx[o + p] !== i) p++;
    for (let q = Math.min(p, k - 1); q > 0; q--) {
      idx[o + q] = idx[o + q - 1];
      best[o + q] = best[o + q - 1];
    }
    idx[o] = i;
    best[o] = 0;
  }
  const distances = best.map((s) => Math.sqrt(Math.max(0, s)) * X.scale);
  return { k, indices: idx, distances };
}
