/**
 * Clustering metrics with scikit-learn 1.2 semantics. Data is a {@link DataMatrix} (values
 * `data[i * d + j] * scale`, any dtype), labels an Int32Array of any values.
 */
import type { DataMatrix, Metrics, SilhouetteMode } from '../../../src-shared/model';
import { internalIndices } from './internal';
import type { ClusterStatsKernel } from '../kernels/types';
import {
  adjustedMutualInfo,
  adjustedRandIndex,
  homogeneityCompletenessVMeasure,
  matchedAccuracy,
  normalizedMutualInfo,
  purity,
} from './external';
import type { SilhouetteScore } from './silhouette';
import { silhouetteDefined, silhouetteOfRows, silhouetteSampleIndices, throwIfCancelled, type SilhouetteOptions } from './silhouette';

export { encodeLabels, type EncodedLabels } from './labels';
export {
  silhouetteSamples,
  silhouetteScore,
  silhouetteSampleIndices,
  silhouetteOfRows,
  silhouetteDefined,
  pairwiseClusterDistanceSumsTs,
  DEFAULT_SILHOUETTE_SAMPLE,
  type PairwiseClusterDistanceSums,
  type GroupedRows,
  type ProgressOptions,
  type SilhouetteOptions,
  type SilhouetteScore,
  type SilhouetteScoreOptions,
} from './silhouette';
export { daviesBouldin, calinskiHarabasz, inertia, internalIndices, internalIndicesTs } from './internal';
export {
  contingencyMatrix,
  adjustedRandIndex,
  mutualInfo,
  normalizedMutualInfo,
  adjustedMutualInfo,
  expectedMutualInfo,
  entropy,
  homogeneityCompletenessVMeasure,
  purity,
  matchedAccuracy,
  type Contingency,
  type HomogeneityCompleteness,
  type MatchedAccuracy,
} from './external';
export { linearSumAssignment, assignmentCost, type Assignment } from './hungarian';

export interface ComputeMetricsOptions extends SilhouetteOptions {
  /** 'exact': all rows (O(n² d)); 'sample': exact silhouette of `sampleSize` rows drawn with `seed`; 'none'. */
  silhouette: SilhouetteMode;
  /** Seed of the silhouette sample; default 0. */
  seed?: number;
  /** Rows in the silhouette sample; default min(n, 10000). */
  sampleSize?: number;
  /** Row passes of the label-free indices (null: the TS reference); default kernels/default.ts's choice. */
  clusterStats?: ClusterStatsKernel | null;
}

/** Per-sample silhouette of a computeMetrics call (its mean is `metrics.silhouette`). */
export type SilhouetteDetail = Omit<SilhouetteScore, 'score'>;

export interface ComputedMetrics {
  metrics: Metrics;
  /** Per-sample silhouette; null when not asked for or not defined (fewer than 2 clusters, or one per row). */
  silhouette: SilhouetteDetail | null;
}

/**
 * The silhouette by mode: every row ('exact'), the rows drawn by {@link silhouetteSampleIndices} ('sample'),
 * or null for 'none' and where it is not defined among the rows used (fewer than 2 clusters, or one per row).
 */
export async function silhouetteByMode(
  X: DataMatrix,
  labels: Int32Array,
  mode: SilhouetteMode,
  opts: SilhouetteOptions & { sampleSize?: number; seed?: number } = {},
): Promise<SilhouetteScore | null> {
  if (mode === 'none') return null;
  const indices = mode === 'sample' ? silhouetteSampleIndices(X.n, opts.sampleSize, opts.seed) : null;
  if (!silhouetteDefined(indices ? indices.map((i) => labels[i]) : labels)) return null;
  return silhouetteOfRows(X, labels, indices, { signal: opts.signal, onProgress: opts.onProgress, kernel: opts.kernel, onSamples: opts.onSamples });
}

/**
 * Every metric of a labeling. Internal indices are null when the labeling has fewer than 2 clusters
 * (or as many clusters as rows); external ones are null without true labels.
 *
 * @param X n × d data.
 * @param labels n cluster labels.
 * @param centers k × d centers (feature units) indexed by label value, for the inertia; null = cluster means.
 * @param trueLabels n true labels, or null.
 */
export async function computeMetrics(
  X: DataMatrix,
  labels: Int32Array,
  centers: Float64Array | null,
  trueLabels: Int32Array | null,
  opts: ComputeMetricsOptions,
): Promise<ComputedMetrics> {
  const { n } = X;
  if (trueLabels && trueLabels.length !== n) throw new RangeError(`true labels have length ${trueLabels.length}, X has ${n} rows`);
  throwIfCancelled(opts.signal);
  // checks X and labels (before the costly silhouette), then the indices that share the cluster means
  const internal = internalIndices(X, labels, centers, opts.clusterStats);

  let silhouette: SilhouetteDetail | null = null;
  let silhouetteValue: number | null = null;
  const s = await silhouetteByMode(X, labels, opts.silhouette, opts);
  if (s) {
    const { score, ...detail } = s;
    silhouetteValue = score;
    silhouette = detail;
  }
  throwIfCancelled(opts.signal);

  const hcv = trueLabels ? homogeneityCompletenessVMeasure(trueLabels, labels) : null;
  const metrics: Metrics = {
    inertia: internal.inertia,
    silhouette: silhouetteValue,
    daviesBouldin: internal.daviesBouldin,
    calinskiHarabasz: internal.calinskiHarabasz,
    ari: trueLabels ? adjustedRandIndex(trueLabels, labels) : null,
    nmi: trueLabels ? normalizedMutualInfo(trueLabels, labels) : null,
    ami: trueLabels ? adjustedMutualInfo(trueLabels, labels) : null,
    homogeneity: hcv ? hcv.homogeneity : null,
    completeness: hcv ? hcv.completeness : null,
    vMeasure: hcv ? hcv.vMeasure : null,
    purity: trueLabels ? purity(trueLabels, labels) : null,
    accuracy: trueLabels ? matchedAccuracy(trueLabels, labels).accuracy : null,
  };
  opts.onProgress?.(1);
  return { metrics, silhouette };
}
