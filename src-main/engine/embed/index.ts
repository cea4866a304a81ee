/**
 * 2-D maps of a data matrix: the entry the worker and the CLI call. Pure: no I/O, no store, no DOM.
 */
import type { EmbeddingKind, EmbeddingMethod } from '../../../src-shared/api';
import type { DataMatrix } from '../../../src-shared/model';
import { ParamError } from '../errors';
import { pca } from './pca';
import { umap } from './umap';

export { pca } from './pca';
export { umap } from './umap';

export interface EmbedOptions {
  /** Seed of stochastic methods; default 0. */
  seed?: number;
  /** Fraction done, 0 … 1; UMAP also gives its epoch (1-based) and number of epochs. */
  onProgress?: (fraction: number, epoch?: number, epochs?: number) => void;
  signal?: AbortSignal;
}

export interface Embedding {
  kind: EmbeddingKind;
  /** n × 2, row-major. */
  coords: Float32Array;
  /** PCA: the share of the total variance along each axis; null otherwise. */
  explainedVarianceRatio: number[] | null;
}

/**
 * The map of X (n × d, all rows) by `method`. A matrix with exactly 2 columns is its own map (kind 'data',
 * in X's units). Throws ParamError for fewer than 2 rows or columns, CancelledError when aborted.
 */
export async function embed(X: DataMatrix, method: EmbeddingMethod, options: EmbedOptions = {}): Promise<Embedding> {
  if (X.d < 2) throw new ParamError('dataset', `a map needs at least 2 columns, the dataset has ${X.d}`);
  if (X.n < 2) throw new ParamError('dataset', `a map needs at least 2 rows, the dataset has ${X.n}`);
  if (X.d === 2) {
    const coords = new Float32Array(X.n * 2);
    for (let i = 0; i < coords.length; i++) coords[i] = X.data[i] * X.scale;
    options.onProgress?.(1);
    return { kind: 'data', coords, explainedVarianceRatio: null };
  }
  if (method === 'pca') {
    const r = pca(X, { nComponents: 2, onProgress: (f) => options.onProgress?.(f), signal: options.signal });
    return { kind: 'pca', coords: Float32Array.from(r.coords), explainedVarianceRatio: Array.from(r.explainedVarianceRatio) };
  }
  if (method === 'umap') {
    const coords = await umap(X, { seed: options.seed, onProgress: options.onProgress, signal: options.signal });
    return { kind: 'umap', coords, explainedVarianceRatio: null };
  }
  throw new ParamError('method', `unknown map method "${String(method)}"`);
}
