/**
 * UMAP of every row, seeded: umap-js' algorithm (fuzzy simplicial set, random initial layout, SGD with negative
 * sampling) run over typed arrays by umap-layout.ts, on a k-nearest-neighbour graph computed exactly by the engine's
 * kernel (knn.ts) instead of umap-js' approximate NN-descent. Data with more than 50 columns is first projected on
 * its top 50 principal components (the usual PCA-50 step; the projection only feeds the neighbour search).
 */
import { MAX_UMAP_ROWS } from '../../../src-shared/api';
import type { DataMatrix } from '../../../src-shared/model';
import { CancelledError, ParamError } from '../errors';
import { Rng } from '../rng';
import { knn as nearest } from './knn';
import { pca } from './pca';
import { fuzzyGraph, UmapLayout } from './umap-layout';

export interface UmapOptions {
  /** Seed of the PRNG (NumPy's RandomState stream) umap-js draws from; default 0. */
  seed?: number;
  /** Neighbours per point, the point itself included (umap-learn's n_neighbors); default 15. */
  nNeighbors?: number;
  /** Default 0.1, as umap-learn. */
  minDist?: number;
  /** Default: umap-learn's (500 up to 10,000 rows, 200 above). */
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
  const knn = await nearest(source, nNeighbors, { signal: opts.signal, onProgress: (f) => progress(0.15 + 0.2 * f) });
  const nEpochs = opts.nEpochs ?? (X.n <= 10_000 ? 500 : 200);
  const rng = new Rng(opts.seed ?? 0);
  const layout = new UmapLayout(fuzzyGraph(knn, X.n, nEpochs), nEpochs, opts.minDist ?? 0.1, () => rng.nextFloat());
  for (let e = 0; e < nEpochs; e++) {
    if (opts.signal?.aborted) throw new CancelledError('the embedding was cancelled');
    layout.step();
    progress(0.35 + (0.65 * (e + 1)) / nEpochs, e + 1, nEpochs);
    // let a cancel (and the worker's messages) through between epochs
    if (e % 10 === 9) await new Promise((r) => setImmediate(r));
  }
  const out = Float32Array.from(layout.embedding);
  return out;
}
