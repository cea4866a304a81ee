/**
 * The one table of run parameter rules: each parameter's type, default, range, scikit-learn name, CLI option and
 * help text, and the value lists the app accepts. Everything else derives from here: the runtime schema
 * (schema.ts), the engine's validation (src-main/engine/params.ts), the New-run form's limits and defaults,
 * and the CLI's options and help.
 *
 * No imports, no Node or DOM: this file runs in the sandboxed preload, the renderer, main and workers.
 */

export const ALGORITHMS = ['kmeans', 'minibatch'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

export const INIT_METHODS = ['k-means++', 'random'] as const;
export type InitMethod = (typeof INIT_METHODS)[number];

export const SILHOUETTE_MODES = ['exact', 'sample', 'none'] as const;
export type SilhouetteMode = (typeof SILHOUETTE_MODES)[number];

/** Every preprocessing mode, in the order the UI and the CLI list them. */
export const PREPROCESSING_MODES = ['none', 'scale', 'standardize'] as const;
export type Preprocessing = (typeof PREPROCESSING_MODES)[number];

/** How an image import treats color: keep RGB, convert to gray, or decide from the pixels. */
export const COLOR_MODES = ['auto', 'gray', 'rgb'] as const;
export type ColorMode = (typeof COLOR_MODES)[number];

export const RUN_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** Statuses of a run that has not ended yet. */
export const ACTIVE_RUN_STATUSES = ['queued', 'running'] as const satisfies readonly RunStatus[];

/** Largest seed: NumPy's RandomState takes 0 … 2^32 − 1. */
export const MAX_SEED = 0xffffffff;

/** Rows of the sampled silhouette when a request gives no sampleSize (scikit-learn's sample_size is the caller's). */
export const DEFAULT_SILHOUETTE_SAMPLE = 10_000;
/** Fewest rows a sampled silhouette can have. */
export const MIN_SILHOUETTE_SAMPLE = 2;

interface RuleBase {
  /** scikit-learn's name of the parameter (KMeans / MiniBatchKMeans). */
  sklearn: string;
  /** The CLI option (without `--`), where the CLI takes this parameter. */
  cli?: string;
  /** One line of help for the form and the CLI. */
  help: string;
  /** Only mini-batch K-means uses it. */
  minibatchOnly?: true;
}

/** An integer in [min, max]; `alt` is the one non-integer value also accepted ('auto' or null). */
export interface IntegerRule extends RuleBase {
  kind: 'integer';
  min: number;
  max: number;
  alt?: 'auto' | null;
}

/** A finite number in [min, max]. */
export interface NumberRule extends RuleBase {
  kind: 'number';
  min: number;
  max: number;
}

export interface ChoiceRule extends RuleBase {
  kind: 'choice';
  values: readonly string[];
}

export type ParamRule = IntegerRule | NumberRule | ChoiceRule;

/**
 * Every run parameter. k has no default and its upper bound is the data's n (checked by the engine).
 * Upper bounds guard the app against requests that would run for days; scikit-learn has none.
 */
export const PARAM_RULES = {
  algorithm: { kind: 'choice', values: ALGORITHMS, sklearn: 'KMeans | MiniBatchKMeans', cli: 'algorithm', help: 'Lloyd K-means or mini-batch K-means' },
  k: { kind: 'integer', min: 1, max: Infinity, sklearn: 'n_clusters', cli: 'k', help: 'number of clusters, 1 … rows' },
  init: { kind: 'choice', values: INIT_METHODS, sklearn: 'init', cli: 'init', help: 'initialisation' },
  nInit: { kind: 'integer', min: 1, max: 1000, alt: 'auto', sklearn: 'n_init', cli: 'n-init', help: 'initialisations, keeping the best' },
  maxIter: { kind: 'integer', min: 1, max: 1_000_000, sklearn: 'max_iter', cli: 'max-iter', help: 'Lloyd: iterations; minibatch: epochs' },
  tol: { kind: 'number', min: 0, max: Infinity, sklearn: 'tol', cli: 'tol', help: 'relative tolerance on the center shift' },
  seed: { kind: 'integer', min: 0, max: MAX_SEED, sklearn: 'random_state', cli: 'seed', help: 'seed of the PRNG' },
  batchSize: { kind: 'integer', min: 1, max: Infinity, sklearn: 'batch_size', cli: 'batch-size', help: 'rows per batch', minibatchOnly: true },
  maxNoImprovement: {
    kind: 'integer', min: 0, max: Infinity, sklearn: 'max_no_improvement', help: 'stop after this many batches without improvement', minibatchOnly: true,
  },
  reassignmentRatio: {
    kind: 'number', min: 0, max: Infinity, sklearn: 'reassignment_ratio', help: 'fraction of the largest center count below which a center is reassigned', minibatchOnly: true,
  },
  initSize: { kind: 'integer', min: 1, max: Infinity, alt: null, sklearn: 'init_size', help: 'rows for initialisation (default 3 × batch size)', minibatchOnly: true },
} as const satisfies Record<string, ParamRule>;

export type ParamName = keyof typeof PARAM_RULES;
export const PARAM_NAMES = Object.keys(PARAM_RULES) as ParamName[];

/** Defaults of scikit-learn 1.2's KMeans (k has none). */
export const PARAM_DEFAULTS = Object.freeze({
  algorithm: 'kmeans' as Algorithm,
  init: 'k-means++' as InitMethod,
  nInit: 'auto' as 'auto' | number,
  maxIter: 300,
  tol: 1e-4,
  seed: 0,
  batchSize: 1024,
  maxNoImprovement: 10,
  reassignmentRatio: 0.01,
  initSize: null as number | null,
});

/** scikit-learn 1.2 MiniBatchKMeans: max_iter=100 (epochs), tol=0.0 (no center-change stopping). */
export const PARAM_MINIBATCH_DEFAULTS = Object.freeze({ maxIter: 100, tol: 0 });
