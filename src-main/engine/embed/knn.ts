/**
 * Exact k nearest neighbours (Euclidean) of every row, on the WASM SIMD kernel threads (kernels/assembly/knn.ts):
 * float32 squared distances in tiles of 4 query × 4 reference rows, a sorted top-(k − 1) list per row, and an exact
 * screen (the first SCREEN columns' partial sum is a lower bound: a tile that cannot beat its queries' k-th distance
 * stops there). O(n² d) at worst; deterministic. Each row is its own first neighbour (distance 0), as in UMAP.
 *
 * Precondition of the float32 selection: the candidates are chosen by float32 distances, then get their float64
 * distances (raw × scale, from the original data) and are sorted by them (equal distances: the lower row index
 * first). So the distances are exact, and the neighbour set equals the float64 one except where two candidates for
 * the k-th place are within float32 rounding of each other (about 1e-7 relative); test/engine/knn.test.ts compares
 * it with a float64 brute force on unlike data. Exact ties (duplicate rows) are exact in float32 too, so they also
 * go to the lower index.
 */
import type { DataMatrix } from '../../../src-shared/model';
import { CancelledError, ParamError } from '../errors';
import { sharedKernelPool, type KernelPool } from '../kernels/pool';
import { N, Program } from '../kernels/programs';

export interface Knn {
  k: number;
  /** n × k, row-major: the neighbours of row i, nearest first (row i itself first). */
  indices: Int32Array;
  /** n × k: their Euclidean distances in feature units (raw × scale). */
  distances: Float64Array;
}

export interface KnnOptions {
  /** Kernel threads to run on; default the process-wide pool. */
  pool?: KernelPool;
  /** Fraction of the query rows done, 0 … 1. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/** Query groups (of four rows) per task: they all pass over each block of reference rows while it is in cache. */
const CHUNK = 32;
/** Columns of the partial-sum screen (principal components first: most of the distance is in them). */
const SCREEN = 16;

/** The k nearest rows of every row of X (n × d, any dtype), row itself first. Throws ParamError for k outside 1 … n. */
export async function knn(X: DataMatrix, k: number, opts: KnnOptions = {}): Promise<Knn> {
  const { n, d, data, scale } = X;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new ParamError('nNeighbors', `nNeighbors must be an integer 1 … ${n} (rows), got ${k}`);
  if (opts.signal?.aborted) throw new CancelledError('the embedding was cancelled');
  const others = k - 1;
  const indices = new Int32Array(n * k);
  const distances = new Float64Array(n * k);
  for (let i = 0; i < n; i++) indices[i * k] = i;
  if (others === 0) return { k, indices, distances };
  const pool = opts.pool ?? sharedKernelPool();
  const groups = Math.ceil(n / 4);
  const packedAt = pool.alloc('knn:packed', groups * d * 16);
  const bestDAt = pool.alloc('knn:best-d', n * others * 4);
  const bestIAt = pool.alloc('knn:best-i', n * others * 4);
  pack(X, pool.f32(packedAt, groups * d * 4));
  const p = pool.params;
  p.fill(0);
  p[N.X] = packedAt;
  p[N.D] = d;
  p[N.SCREEN] = Math.min(d, SCREEN);
  p[N.N] = n;
  p[N.START] = 0;
  p[N.END] = groups;
  p[N.CHUNK] = CHUNK;
  p[N.K] = others;
  p[N.BEST_D] = bestDAt;
  p[N.BEST_I] = bestIAt;
  try {
    await pool.runAsync(Program.KnnF32, Math.ceil(groups / CHUNK), { signal: opts.signal, onProgress: opts.onProgress });
  } catch (e) {
    if (opts.signal?.aborted) throw new CancelledError('the embedding was cancelled');
    throw e;
  }
  const found = pool.i32(bestIAt, n * others);
  const order = Array.from({ length: others }, (_, q) => q);
  const exact = new Float64Array(others);
  const js = new Int32Array(others);
  for (let i = 0; i < n; i++) {
    for (let q = 0; q < others; q++) {
      const j = found[i * others + q];
      js[q] = j;
      exact[q] = j < 0 ? Infinity : distance(data, d, i, j) * scale;
    }
    order.sort((a, b) => exact[a] - exact[b] || js[a] - js[b]);
    for (let q = 0; q < others; q++) {
      indices[i * k + 1 + q] = js[order[q]];
      distances[i * k + 1 + q] = exact[order[q]];
    }
  }
  return { k, indices, distances };
}

/** Float32 rows in groups of four, column-interleaved (group g, column t, lane l at (g · d + t) · 4 + l); +∞ pads the last group. */
function pack(X: DataMatrix, out: Float32Array): void {
  const { n, d, data } = X;
  out.fill(Infinity);
  for (let i = 0; i < n; i++) {
    const o = (i >> 2) * d * 4 + (i & 3);
    for (let t = 0; t < d; t++) out[o + t * 4] = data[i * d + t];
  }
}

/** Euclidean distance of rows i and j in raw units, float64. */
function distance(data: DataMatrix['data'], d: number, i: number, j: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) {
    const e = data[i * d + t] - data[j * d + t];
    s += e * e;
  }
  return Math.sqrt(s);
}
