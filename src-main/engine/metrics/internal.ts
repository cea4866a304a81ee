/**
 * Internal (label-free) clustering indices with scikit-learn 1.2 semantics, computed in float64 on the
 * feature values `data[i * d + j] * scale`.
 */
import type { DataMatrix } from '../../../src-shared/model';
import { checkSamples, encodeLabels } from './labels';
import { checkNumberOfLabels } from './silhouette';
import { defaultClusterStatsKernel } from '../kernels/default';
import type { ClusterStatsKernel } from '../kernels/types';

/** Per-cluster means (k × d, feature units; an empty cluster stays 0) and the overall mean (d) of X, clusters by label code. */
export function clusterMeans(X: DataMatrix, codes: Int32Array, counts: Int32Array): { centroids: Float64Array; mean: Float64Array } {
  const { n, d, data } = X;
  const centroids = new Float64Array(counts.length * d);
  for (let i = 0; i < n; i++) {
    const off = codes[i] * d;
    const row = i * d;
    for (let j = 0; j < d; j++) centroids[off + j] += data[row + j];
  }
  return meansFromSums(X, centroids, counts);
}

/** The cluster means (feature units) and overall mean from raw per-cluster sums `sums` (k × d, turned into the means in place). */
function meansFromSums(X: DataMatrix, sums: Float64Array, counts: Int32Array): { centroids: Float64Array; mean: Float64Array } {
  const { n, d, scale } = X;
  const k = counts.length;
  const centroids = sums;
  const mean = new Float64Array(d);
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < d; j++) {
      mean[j] += centroids[c * d + j];
      if (counts[c] > 0) centroids[c * d + j] = (centroids[c * d + j] * scale) / counts[c];
    }
  }
  for (let j = 0; j < d; j++) mean[j] = (mean[j] * scale) / n;
  return { centroids, mean };
}

/** Validated labeling of an index that needs 2 ≤ k ≤ n − 1 clusters, with its centroids and the overall mean. */
function clustered(X: DataMatrix, labels: Int32Array) {
  checkSamples(X, labels);
  const { codes, counts } = encodeLabels(labels);
  checkNumberOfLabels(counts.length, X.n);
  return { codes, counts, k: counts.length, ...clusterMeans(X, codes, counts) };
}

/**
 * Calinski–Harabasz index (variance ratio criterion), like `sklearn.metrics.calinski_harabasz_score`:
 * [B / (k − 1)] / [W / (n − k)]; 1 when the within-cluster dispersion W is 0. Requires 2 ≤ k ≤ n − 1.
 */
export function calinskiHarabasz(X: DataMatrix, labels: Int32Array): number {
  const { codes, counts, centroids, mean } = clustered(X, labels);
  return calinskiHarabaszOf(X, codes, counts, centroids, mean);
}

function calinskiHarabaszOf(X: DataMatrix, codes: Int32Array, counts: Int32Array, centroids: Float64Array, mean: Float64Array): number {
  return calinskiHarabaszFrom(X.n, X.d, counts, centroids, mean, rowsToCentroids(X, codes, counts, centroids).intraSq);
}

/** Calinski–Harabasz from the within-cluster dispersion W (`intra`, summed row by row, feature by feature). */
function calinskiHarabaszFrom(n: number, d: number, counts: Int32Array, centroids: Float64Array, mean: Float64Array, intra: number): number {
  const k = counts.length;
  let extra = 0;
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const diff = centroids[c * d + j] - mean[j];
      s += diff * diff;
    }
    extra += counts[c] * s;
  }
  return intra === 0 ? 1 : (extra * (n - k)) / (intra * (k - 1));
}

/** numpy's `allclose(a, 0)` with its default atol 1e-8. */
function allCloseToZero(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (!(Math.abs(a[i]) <= 1e-8)) return false;
  return true;
}

/**
 * Davies–Bouldin index, like `sklearn.metrics.davies_bouldin_score`: mean over clusters of
 * max over other clusters of (s_i + s_j) / ‖c_i − c_j‖, s = mean distance of members to their centroid.
 * 0 when all s or all centroid distances are ≈ 0; coincident centroids are skipped. Requires 2 ≤ k ≤ n − 1.
 */
export function daviesBouldin(X: DataMatrix, labels: Int32Array): number {
  const { codes, counts, centroids } = clustered(X, labels);
  return daviesBouldinOf(X, codes, counts, centroids);
}

function daviesBouldinOf(X: DataMatrix, codes: Int32Array, counts: Int32Array, centroids: Float64Array): number {
  return daviesBouldinFrom(X.d, counts, centroids, rowsToCentroids(X, codes, counts, centroids).intraDist);
}

/** Davies–Bouldin from each cluster's sum of member-to-centroid distances (`intra`, length k; divided here). */
function daviesBouldinFrom(d: number, counts: Int32Array, centroids: Float64Array, intra: Float64Array): number {
  const k = counts.length;
  for (let c = 0; c < k; c++) intra[c] /= counts[c];
  const between = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const diff = centroids[a * d + j] - centroids[b * d + j];
        s += diff * diff;
      }
      between[a * k + b] = between[b * k + a] = Math.sqrt(s);
    }
  }
  if (allCloseToZero(intra) || allCloseToZero(between)) return 0;
  let total = 0;
  for (let a = 0; a < k; a++) {
    let worst = 0;
    for (let b = 0; b < k; b++) {
      const dist = between[a * k + b];
      if (b === a || dist === 0) continue;
      const r = (intra[a] + intra[b]) / dist;
      if (r > worst) worst = r;
    }
    total += worst;
  }
  return total / k;
}

/**
 * Sum of squared Euclidean distances from each row to the center of its cluster (feature units).
 * @param labels values 0 … k − 1, indices into `centers`.
 * @param centers k × d, row-major, feature units.
 */
export function inertia(X: DataMatrix, labels: Int32Array, centers: Float64Array): number {
  checkSamples(X, labels);
  return inertiaOf(X, labels, centers);
}

function centerIndexError(c: number, i: number, k: number): RangeError {
  return new RangeError(`label ${c} of row ${i} is not a center index 0 … ${k - 1}`);
}

/** The number of centers in `centers` (k × d); throws unless its length is a multiple of d. */
function centerCount(centers: Float64Array, d: number): number {
  if (d === 0 || centers.length % d !== 0) throw new RangeError(`centers has length ${centers.length}, not a multiple of d = ${d}`);
  return centers.length / d;
}

function inertiaOf(X: DataMatrix, labels: Int32Array, centers: Float64Array): number {
  const { n, d, data, scale } = X;
  const k = centerCount(centers, d);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    if (!(c >= 0 && c < k)) throw centerIndexError(c, i, k);
    const off = c * d;
    const row = i * d;
    for (let j = 0; j < d; j++) {
      const diff = data[row + j] * scale - centers[off + j];
      total += diff * diff;
    }
  }
  return total;
}

/** What {@link internalIndices} returns. */
export interface InternalIndices {
  inertia: number;
  daviesBouldin: number | null;
  calinskiHarabasz: number | null;
}

/**
 * The label-free indices of computeMetrics (as {@link internalIndicesTs}) with the two row passes (cluster sums,
 * each row's distance to its cluster mean) on `kernel`, by default the WASM threads for large uint8 / float32 data
 * (kernels/default.ts), else the TS reference. uint8 cluster sums are exact, so the means are the reference's to the
 * bit; the sums over rows run in another order (per thread, per row), so inertia, Davies–Bouldin and
 * Calinski–Harabasz agree with the reference within 1e-9 relative (test/engine/internal-indices-wasm.test.ts).
 */
export function internalIndices(
  X: DataMatrix,
  labels: Int32Array,
  centers: Float64Array | null,
  kernel: ClusterStatsKernel | null = defaultClusterStatsKernel(X),
): InternalIndices {
  const { n, d, data, scale } = X;
  // the kernel works in raw units: results are scaled back by |scale| and scale², centers divided by it
  if (!kernel || !(scale !== 0 && Number.isFinite(scale))) return internalIndicesTs(X, labels, centers);
  checkSamples(X, labels);
  const k0 = centers ? centerCount(centers, d) : 0;
  if (centers) for (let i = 0; i < n; i++) if (!(labels[i] >= 0 && labels[i] < k0)) throw centerIndexError(labels[i], i, k0);
  const { codes, counts } = encodeLabels(labels);
  const k = counts.length;
  const defined = k >= 2 && k <= n - 1;
  // raw-unit centers for the kernel (it works on the raw values), feature-unit results
  const inertiaTo = (c: Float64Array): number => kernel.labelledInertia(data, d, c.map((v) => v / scale), labels) * scale * scale;
  if (!defined && centers) return { inertia: inertiaTo(centers), daviesBouldin: null, calinskiHarabasz: null };
  const sums = kernel.clusterSums(data, d, codes, k);
  const raw = new Float64Array(k * d);
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) if (counts[c] > 0) raw[c * d + j] = sums[c * d + j] / counts[c];
  const { centroids, mean } = meansFromSums(X, sums, counts);
  const rowSq = kernel.labelledDistances(data, d, raw, codes);
  let intraSq = 0;
  const intraDist = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    intraSq += rowSq[i];
    intraDist[codes[i]] += Math.sqrt(rowSq[i]);
  }
  intraSq *= scale * scale;
  for (let c = 0; c < k; c++) intraDist[c] *= Math.abs(scale);
  return {
    inertia: centers ? inertiaTo(centers) : intraSq,
    daviesBouldin: defined ? daviesBouldinFrom(d, counts, centroids, intraDist) : null,
    calinskiHarabasz: defined ? calinskiHarabaszFrom(n, d, counts, centroids, mean, intraSq) : null,
  };
}

/**
 * The TypeScript reference of {@link internalIndices}: the label-free indices of computeMetrics from one check of X, one label encoding, one pass for the cluster
 * means and one fused pass over the rows for the rest: inertia (to `centers`, indexed by label value, or to the
 * cluster means when null), and Davies–Bouldin and Calinski–Harabasz (null unless 2 ≤ clusters ≤ n − 1). Each sum
 * runs in the same order as in the separate functions above, so the values are the same to the bit.
 */
export function internalIndicesTs(
  X: DataMatrix,
  labels: Int32Array,
  centers: Float64Array | null,
): InternalIndices {
  checkSamples(X, labels);
  const { codes, counts } = encodeLabels(labels);
  const { centroids, mean } = clusterMeans(X, codes, counts);
  const defined = counts.length >= 2 && counts.length <= X.n - 1;
  if (!centers) {
    // the inertia to the cluster means is Calinski–Harabasz's W
    const { intraSq, intraDist } = rowsToCentroids(X, codes, counts, centroids);
    return {
      inertia: intraSq,
      daviesBouldin: defined ? daviesBouldinFrom(X.d, counts, centroids, intraDist) : null,
      calinskiHarabasz: defined ? calinskiHarabaszFrom(X.n, X.d, counts, centroids, mean, intraSq) : null,
    };
  }
  if (!defined) return { inertia: inertiaOf(X, labels, centers), daviesBouldin: null, calinskiHarabasz: null };
  const { n, d, data, scale } = X;
  const k = centerCount(centers, d);
  let total = 0;
  let intraSq = 0;
  const intraDist = new Float64Array(counts.length);
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    if (!(c >= 0 && c < k)) throw centerIndexError(c, i, k);
    const off = c * d;
    const cOff = codes[i] * d;
    const row = i * d;
    let s = 0;
    for (let j = 0; j < d; j++) {
      const x = data[row + j] * scale;
      const toCenter = x - centers[off + j];
      total += toCenter * toCenter;
      const toMean = x - centroids[cOff + j];
      const sq = toMean * toMean;
      intraSq += sq;
      s += sq;
    }
    intraDist[codes[i]] += Math.sqrt(s);
  }
  return {
    inertia: total,
    daviesBouldin: daviesBouldinFrom(d, counts, centroids, intraDist),
    calinskiHarabasz: calinskiHarabaszFrom(n, d, counts, centroids, mean, intraSq),
  };
}

/** One pass: W (squared distances of rows to their cluster means, summed in row, feature order) and each cluster's sum of distances. */
function rowsToCentroids(X: DataMatrix, codes: Int32Array, counts: Int32Array, centroids: Float64Array): { intraSq: number; intraDist: Float64Array } {
  const { n, d, data, scale } = X;
  let intraSq = 0;
  const intraDist = new Float64Array(counts.length);
  for (let i = 0; i < n; i++) {
    const off = codes[i] * d;
    const row = i * d;
    let s = 0;
    for (let j = 0; j < d; j++) {
      const diff = data[row + j] * scale - centroids[off + j];
      const sq = diff * diff;
      intraSq += sq;
      s += sq;
    }
    intraDist[codes[i]] += Math.sqrt(s);
  }
  return { intraSq, intraDist };
}
