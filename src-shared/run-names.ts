/**
 * Display labels of runs, one home for them: the default name the services give a run (and the New run form
 * shows as its placeholder), and the algorithm's label in tables.
 */
import type { Algorithm, KMeansParams } from './model';
import type { RunInfo, SilhouetteOptions } from './api';
import { DEFAULT_SILHOUETTE_SAMPLE } from './params';

/** How each algorithm is named in default run names, tables and filters. */
export const ALGORITHM_LABELS: Readonly<Record<Algorithm, string>> = Object.freeze({ kmeans: 'K-means', minibatch: 'Mini-batch' });
/** The same, spelled out where there is room (the run page, the New run form). */
export const ALGORITHM_LONG_LABELS: Readonly<Record<Algorithm, string>> = Object.freeze({ kmeans: 'K-means (Lloyd)', minibatch: 'Mini-batch K-means' });
/** A labeling made elsewhere has no algorithm of ours. */
export const EXTERNAL_LABEL = Object.freeze({ short: 'External', long: 'External labeling' });

/** "K-means", "Mini-batch" or "External"; `long`: "K-means (Lloyd)", "Mini-batch K-means" or "External labeling". */
export function algorithmLabel(run: Pick<RunInfo, 'origin' | 'algorithm'>, long = false): string {
  if (run.origin.kind === 'external') return long ? EXTERNAL_LABEL.long : EXTERNAL_LABEL.short;
  return (long ? ALGORITHM_LONG_LABELS : ALGORITHM_LABELS)[run.algorithm];
}

/** "exact silhouette", "silhouette of 10,000", "no silhouette". */
export function silhouetteLabel(s: SilhouetteOptions): string {
  if (s.mode === 'exact') return 'exact silhouette';
  if (s.mode === 'none') return 'no silhouette';
  return `silhouette of ${(s.sampleSize ?? DEFAULT_SILHOUETTE_SAMPLE).toLocaleString('en-US')}`;
}

/**
 * The name of a run the user did not name: algorithm, k, seed and silhouette mode, so two runs that differ in
 * any of them read differently: "K-means k=10 · seed 0 · silhouette of 10,000".
 */
export function defaultRunName(params: Pick<KMeansParams, 'algorithm' | 'k' | 'seed'>, silhouette: SilhouetteOptions): string {
  return `${ALGORITHM_LABELS[params.algorithm]} k=${params.k} · seed ${params.seed} · ${silhouetteLabel(silhouette)}`;
}
