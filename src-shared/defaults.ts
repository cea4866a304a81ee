/**
 * Default clustering parameters, shared by the engine (validation) and the renderer (the New run form).
 */
import type { Algorithm, InitMethod, KMeansParams, Preprocessing } from './model';
import { PARAM_DEFAULTS, PARAM_MINIBATCH_DEFAULTS, PARAM_NAMES, type ParamName } from './params';

/**
 * Defaults of scikit-learn's KMeans (k has none), from the parameter table (params.ts). MiniBatchKMeans has different
 * defaults for two of them, see MINIBATCH_DEFAULTS; they apply when algorithm is 'minibatch' and the value is not given.
 */
export const DEFAULT_PARAMS: Readonly<Omit<KMeansParams, 'k'>> = PARAM_DEFAULTS;

/** scikit-learn 1.2 MiniBatchKMeans: max_iter=100 (epochs), tol=0.0 (no center-change stopping). */
export const MINIBATCH_DEFAULTS: Readonly<Pick<KMeansParams, 'maxIter' | 'tol'>> = PARAM_MINIBATCH_DEFAULTS;

/** Every parameter of KMeansParams has a rule in PARAM_RULES and no rule is extra: a mismatch is a compile error. */
const RULE_FOR_EVERY_PARAM: Record<keyof KMeansParams, true> & Record<ParamName, true> = Object.fromEntries(PARAM_NAMES.map((n) => [n, true])) as never;
void RULE_FOR_EVERY_PARAM;

/**
 * What nInit 'auto' runs, as scikit-learn 1.2's `_check_params_vs_input`: 1 initialisation for k-means++,
 * otherwise the estimator's default_n_init (10 for KMeans, 3 for MiniBatchKMeans).
 */
export function autoNInit(algorithm: Algorithm, init: InitMethod): number {
  if (init === 'k-means++') return 1;
  return algorithm === 'minibatch' ? 3 : 10;
}

export { PREPROCESSING_MODES } from './params';

/** Preprocessing of a run when the request gives none: the dataset's [0, 1] units for uint8 images (scale ≠ 1), else raw. */
export function defaultPreprocessing(dataset: { scale: number }): Preprocessing {
  return dataset.scale !== 1 ? 'scale' : 'none';
}

