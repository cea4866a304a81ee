/**
 * UMAP of every row, seeded, with umap-js (its layout optimisation, fuzzy simplicial set and random initial
 * layout) on a k-nearest-neighbour graph computed exactly by the engine's distance kernel (knn.ts) instead of
 * umap-js' approximate NN-descent. Data with more than 50 columns is first projected on its top 50 principal
 * components (the usual PCA-50 step; the projection only feeds the neighbour search).
 */
import { UMAP } from 'umap-js';
import { MAX_UMAP_ROWS } from '../../../src-shared/api';
import type { DataMatrix } from '../../../src-shared/model';
import { CancelledError, ParamError } from '../errors';
import { Rng } from '../rng';
import { exactKnn } from './knn';
import { pca } from './pca';

export interface UmapOptions {
  /** Seed of the PRNG (NumPy's RandomState stream) umap-js draws from; default 0. */
  seed?: number;
  /** Neighbours per point, the point itself included (umap-learn's n_neighbors); default 15. */
  nNeighbors?: number;
  /** Default 0.1, as umap-learn. */
  minDist?: number;
  /** Default: umap-js' (500 up to 2,500 rows … 200 above 10,000). */
  nEpochs?: number;
  /** Phase fractions: 0 … 0.35 neighbours (and the projection), 0.35 … 1 the epochs. */
  onProgress?: (fraction: number, epoch?: number, epochs?: number) => void;
  signal?: AbortSignal;
}

/** Columns above which the neighbour search runs on a PCA projection of this many components. */
export const UMAP_PCA_DIMS = 50;
/** Subspace iterations of the PCA-50 projection: a good top-50 subspace, not converged eigenvectors. */
const PROJECTION_ITERATIONS = 20;

/** n × 2 coordinates (row-major). Throws ParamError for fewer rows than nNeighbors + 1. */
export async function umap(X: DataMatrix, opts: UmapOptions = {}): Promise<Float32Array> {
  const nNeighbors = opts.nNeighbors ?? 15;
  if (X.n > MAX_UMAP_ROWS) throw new ParamError('method', `UMAP is limited to ${MAX_UMAP_ROWS.toLocaleString('en-US')} rows (the dataset has ${X.n.toLocaleString('en-US')}); use PCA`);
  if (X.n <= nNeighbors) throw new ParamError('dataset', `UMAP with ${nNeighbors} neighbours needs more than ${nNeighbors} rows, the dataset has ${X.n}`);
  const progress = opts.onProgress ?? (() => undefined);
  let source = X;
  if (X.d > UMAP_PCA_DIMS) {
    const p = pca(X, { nComponents: UMAP_PCA_DIMS, maxIterations: PROJECTION_ITERATIONS, signal: opts.signal, onProgress: (f) => progress(0.15 * f) });
    source = { n: X.n, d: UMAP_PCA_DIMS, data: Float32Array.from(p.coords), scale: 1 };
  }
  const knn = exactKnn(source, nNeighbors, { signal: opts.signal, onProgress: (f) => progress(0.15 + 0.2 * f) });
  const rng = new Rng(opts.seed ?? 0);
  const u = new UMAP({ nComponents: 2, nNeighbors, minDist: opts.minDist ?? 0.1, nEpochs: opts.nEpochs, random: () => rng.nextFloat() });
  const rows = (a: Int32Array | Float64Array): number[][] => Array.from({ length: X.n }, (_, i) => Array.from(a.subarray(i * nNeighbors, (i + 1) * nNeighbors)));
  u.setPrecomputedKNN(rows(knn.indices), rows(knn.distances));
  // with a precomputed graph umap-js reads only the number of rows from X
  const epochs = u.initializeFit(new Array<number[]>(X.n));
  for (let e = 0; e < epochs; e++) {
    if (opts.signal?.aborted) throw new CancelledError('the embedding was cancelled');
    u.step();
    progress(0.35 + (0.65 * (e + 1)) / epochs, e + 1, epochs);
    // let a cancel (and the worker's messages) through between epochs
    if (e % 10 === 9) await new Promise((r) => setImmediate(r));
  }
  const emb = u.getEmbedding();
  const out = new Float32Array(X.n * 2);
  for (let i = 0; i < X.n; i++) {
    out[2 * i] = emb[i]![0]!;
    out[2 * i + 1] = emb[i]![1]!;
  }
  return out;
}
