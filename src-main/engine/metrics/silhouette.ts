/**
 * Silhouette coefficient (Rousseeuw 1987) with scikit-learn 1.2 semantics, Euclidean distance, exact over
 * all pairs. The O(n² d) pairwise step is a kernel passed in (`kernel` in the options), by default
 * kernels/default.ts's choice (WASM for large uint8 / float32 inputs, else the TS reference in kernels/silhouette-ts.ts).
 */
import type { DataMatrix } from '../../../src-shared/model';
import { DEFAULT_SILHOUETTE_SAMPLE } from '../../../src-shared/params';
import { pairwiseClusterDistanceSumsAuto } from '../kernels/default';
import { gatherRows } from '../kernels/rows';
import { throwIfCancelled } from '../kernels/silhouette-ts';
import type { PairwiseClusterDistanceSums, ProgressOptions } from '../kernels/types';
import { Rng } from '../rng';
import { checkSamples, encodeLabels } from './labels';

export { throwIfCancelled, yieldToEventLoop, pairwiseClusterDistanceSumsTs } from '../kernels/silhouette-ts';
export type { GroupedRows, PairwiseClusterDistanceSums, ProgressOptions } from '../kernels/types';

/** Options of the silhouette functions: progress, cancellation, and the pairwise kernel (default: kernels/default.ts). */
export interface SilhouetteOptions extends ProgressOptions {
  kernel?: PairwiseClusterDistanceSums;
  /**
   * Coefficients known before the pass ends, where the kernel reports complete rows (PairwiseSumsOptions.onRowsDone):
   * a group of rows (their indices) and their coefficients, the values the result will hold. Each group is one
   * block of rows of one cluster, the blocks drawn at random without replacement; every row comes once.
   */
  onSamples?: (rows: Int32Array, values: Float64Array) => void;
}

/**
 * Throws like scikit-learn's `check_number_of_labels` unless 2 ≤ clusters ≤ n − 1
 * (the range where the silhouette, Davies–Bouldin and Calinski–Harabasz are defined).
 */
export function checkNumberOfLabels(nLabels: number, nSamples: number): void {
  if (!(nLabels > 1 && nLabels < nSamples)) {
    throw new RangeError(`Number of labels is ${nLabels}. Valid values are 2 to n_samples - 1 (inclusive)`);
  }
}

/**
 * Silhouette coefficient of every sample, like `sklearn.metrics.silhouette_samples(X, labels)`:
 * s = (b − a) / max(a, b), with a = mean distance to the other members of its cluster and
 * b = smallest mean distance to another cluster; samples of singleton clusters get 0 (and any
 * 0/0 is 0). Requires 2 ≤ number of distinct labels ≤ n − 1.
 *
 * @param X n × d data.
 * @param labels n labels (any Int32 values).
 * @returns n coefficients in [−1, 1], in the order of the rows.
 */
export async function silhouetteSamples(X: DataMatrix, labels: Int32Array, opts: SilhouetteOptions = {}): Promise<Float64Array> {
  const { n } = X;
  checkSamples(X, labels);
  const { codes, counts } = encodeLabels(labels);
  const k = counts.length;
  checkNumberOfLabels(k, n);

  // Group rows by cluster, so the inner loop runs over contiguous clusters.
  const { starts, order } = groupRowsByCluster(codes, counts);
  const grouped = gatherMatrix(X, order);

  let sums: Float64Array;
  try {
    const kernel = opts.kernel ?? pairwiseClusterDistanceSumsAuto;
    const onSamples = opts.onSamples;
    const onRowsDone =
      onSamples &&
      ((positions: Int32Array, rowSums: Float64Array): void => {
        const rows = positions.map((r) => order[r]);
        const values = new Float64Array(rows.length);
        for (let t = 0; t < rows.length; t++) values[t] = coefficientFromSums(rowSums, t, codes[rows[t]], counts);
        onSamples(rows, values);
      });
    sums = await kernel({ X: grouped, starts }, { signal: opts.signal, onProgress: opts.onProgress, onRowsDone });
  } catch (err) {
    // Whatever a kernel throws on abort (AbortError, its own error), callers see one CancelledError.
    if (opts.signal?.aborted) throwIfCancelled(opts.signal);
    throw err;
  }

  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) out[order[r]] = coefficientFromSums(sums, r, codes[order[r]], counts);
  return out;
}

/**
 * The silhouette coefficient of one row from its per-cluster distance sums (row `r` of the r × k matrix `sums`):
 * (b − a) / max(a, b) with a = sums[own] / (count − 1), b = the smallest sums[c] / count[c] of the other
 * clusters; 0 for a singleton's row (and any 0/0).
 *
 * @param own the row's cluster code (0 … k − 1); counts: rows per cluster code.
 */
export function coefficientFromSums(sums: Float64Array, r: number, own: number, counts: ArrayLike<number>): number {
  const k = counts.length;
  const a = sums[r * k + own] / (counts[own] - 1);
  let b = Infinity;
  for (let c = 0; c < k; c++) {
    if (c === own) continue;
    const m = sums[r * k + c] / counts[c];
    if (m < b) b = m;
  }
  const s = (b - a) / Math.max(a, b);
  return Number.isNaN(s) ? 0 : s;
}

/** Rows grouped by cluster code (counting sort, stable): `order[r]` is the row at grouped position r. */
export function groupRowsByCluster(codes: Int32Array, counts: ArrayLike<number>): { starts: Int32Array; order: Int32Array } {
  const k = counts.length;
  const starts = new Int32Array(k + 1);
  for (let c = 0; c < k; c++) starts[c + 1] = starts[c] + counts[c];
  const next = starts.slice(0, k);
  const order = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) order[next[codes[i]]++] = i;
  return { starts, order };
}

/** Copies the listed rows (in that order) into a new matrix of the same dtype. */
export function gatherMatrix(X: DataMatrix, order: ArrayLike<number>): DataMatrix {
  return { n: order.length, d: X.d, data: gatherRows(X.data, X.d, order), scale: X.scale };
}

export interface SilhouetteScoreOptions extends SilhouetteOptions {
  /** 'exact' uses every row; 'sample' the exact silhouette of `sampleSize` rows drawn without replacement. */
  mode?: 'exact' | 'sample';
  /** Rows in the sample; default min(n, 10000). */
  sampleSize?: number;
  /** Seed of the {@link Rng} that draws the sample (scikit-learn's random_state); default 0. */
  seed?: number;
}

export interface SilhouetteScore {
  /** Mean silhouette coefficient of the rows used. */
  score: number;
  /** True when every row was used. */
  exact: boolean;
  /** Number of rows used. */
  sampleSize: number;
  /** Rows used, in draw order (null when exact). */
  indices: Int32Array | null;
  /** Coefficient of each row used (in the order of `indices`, or of the rows when exact). */
  samples: Float64Array;
}

/** Default sample size of the sampled silhouette: the one rule in src-shared/params.ts. */
export { DEFAULT_SILHOUETTE_SAMPLE };

/**
 * Rows of the sampled silhouette: `sampleSize` distinct indices drawn as scikit-learn's silhouette_score does,
 * `RandomState(seed).permutation(n)[:sampleSize]`, or null when the sample would hold every row (then the
 * silhouette is exact).
 */
export function silhouetteSampleIndices(n: number, sampleSize: number | undefined, seed: number | undefined): Int32Array | null {
  const size = sampleSize ?? Math.min(n, DEFAULT_SILHOUETTE_SAMPLE);
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`sampleSize must be a positive integer, got ${sampleSize}`);
  if (size >= n) return null;
  return new Rng(seed ?? 0).sampleWithoutReplacement(n, size);
}

/**
 * Mean silhouette coefficient, like `sklearn.metrics.silhouette_score(X, labels, sample_size=...)`.
 * In 'sample' mode the rows are drawn by {@link silhouetteSampleIndices} and the silhouette of that
 * subset is computed exactly (distances among the sampled rows only, as scikit-learn does).
 */
export async function silhouetteScore(X: DataMatrix, labels: Int32Array, opts: SilhouetteScoreOptions = {}): Promise<SilhouetteScore> {
  checkSamples(X, labels);
  const indices = opts.mode === 'sample' ? silhouetteSampleIndices(X.n, opts.sampleSize, opts.seed) : null;
  return silhouetteOfRows(X, labels, indices, opts);
}

/** The silhouette of the listed rows only (all rows when `indices` is null). */
export async function silhouetteOfRows(
  X: DataMatrix,
  labels: Int32Array,
  indices: Int32Array | null,
  opts: SilhouetteOptions = {},
): Promise<SilhouetteScore> {
  const subX = indices ? gatherMatrix(X, indices) : X;
  const subLabels = indices ? indices.map((i) => labels[i]) : labels;
  const onSamples = opts.onSamples;
  const samples = await silhouetteSamples(subX, subLabels, {
    signal: opts.signal,
    onProgress: opts.onProgress,
    kernel: opts.kernel,
    onSamples: onSamples && indices ? (rows, values) => onSamples(rows.map((r) => indices[r]), values) : onSamples,
  });
  let total = 0;
  for (let i = 0; i < samples.length; i++) total += samples[i];
  return { score: total / samples.length, exact: indices === null, sampleSize: samples.length, indices, samples };
}

/** Whether the silhouette (and Davies–Bouldin, Calinski–Harabasz) is defined: 2 ≤ distinct labels ≤ n − 1. */
export function silhouetteDefined(labels: Int32Array): boolean {
  const k = encodeLabels(labels).values.length;
  return k >= 2 && k <= labels.length - 1;
}
