/**
 * Default clustering parameters, shared by the engine (validation) and the renderer (the New run form).
 */
import type { Algorithm, InitMethod, KMeansParams, Preprocessing } from './model';

/**
 * Defaults of scikit-learn's KMeans (k has none). MiniBatchKMeans has different defaults for two of them,
 * see MINIBATCH_DEFAULTS; they apply when algorithm is 'minibatch' and the value is not given.
 */
export const DEFAULT_PARAMS: Readonly<Omit<KMeansParams, 'k'>> = Object.freeze({
  algorithm: 'kmeans',
  init: 'k-means++',
  nInit: 'auto',
  maxIter: 300,
  tol: 1e-4,
  seed: 0,
  batchSize: 1024,
  maxNoImprovement: 10,
  reassignmentRatio: 0.01,
  initSize: null,
});

/** scikit-learn 1.2 MiniBatchKMeans: max_iter=100 (epochs), tol=0.0 (no center-change stopping). */
export const MINIBATCH_DEFAULTS: Readonly<Pick<KMeansParams, 'maxIter' | 'tol'>> = Object.freeze({
  maxIter: 100,
  tol: 0,
});

/**
 * What nInit 'auto' runs, as scikit-learn 1.2's `_check_params_vs_input`: 1 initialisation for k-means++,
 * otherwise the estimator's default_n_init (10 for KMeans, 3 for MiniBatchKMeans).
 */
export function autoNInit(algorithm: Algorithm, init: InitMethod): number {
  if (init === 'k-means++') return 1;
  return algorithm === 'minibatch' ? 3 : 10;
}

/** Every preprocessing mode, in the order the UI and the CLI list them. */
export const PREPROCESSING_MODES: readonly Preprocessing[] = ['none', 'scale', 'standardize'];

/** Preprocessing of a run when the request gives none: the dataset's [0, 1] units for uint8 images (scale ≠ 1), else raw. */
export function defaultPreprocessing(dataset: { scale: number }): Preprocessing {
  return dataset.scale !== 1 ? 'scale' : 'none';
}

