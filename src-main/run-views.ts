/**
 * Views derived from a finished run's arrays, computed in main on request: contingency against the true
 * labels with the Hungarian matching, per-cluster silhouette histograms on common bins, cluster members
 * sorted by distance or silhouette, and the comparison of two runs. Pure functions over typed arrays.
 */
import type { ClusterProfilesReply, CompareRunsReply, ContingencyReply, SilhouetteHistogramReply, SilhouetteSamples } from '../src-shared/api';
import type { DataMatrix, Dataset, FeatureTransform } from '../src-shared/model';
import { adjustedRandIndex, linearSumAssignment, normalizedMutualInfo } from './engine/metrics';

/** rows × cols counts of (a[i], b[i]) for labels in 0 … rows−1 and 0 … cols−1 (others are ignored). */
export function crossCounts(a: Int32Array, rows: number, b: Int32Array, cols: number): Int32Array {
  const m = new Int32Array(rows * cols);
  for (let i = 0; i < a.length; i++) {
    const r = a[i];
    const c = b[i];
    if (r >= 0 && r < rows && c >= 0 && c < cols) m[r * cols + c]++;
  }
  return m;
}

/** The one-to-one matching of rows to columns maximising the matched counts: column of each row, −1 unmatched. */
export function bestMatching(counts: Int32Array, rows: number, cols: number): { rowToCol: Int32Array; matched: number } {
  const rowToCol = new Int32Array(rows).fill(-1);
  const { rowInd, colInd } = linearSumAssignment(Float64Array.from(counts), rows, cols, true);
  let matched = 0;
  for (let m = 0; m < rowInd.length; m++) {
    rowToCol[rowInd[m]] = colInd[m];
    matched += counts[rowInd[m] * cols + colInd[m]];
  }
  return { rowToCol, matched };
}

/** Clusters (k) against true classes. */
export function contingencyView(id: number, labels: Int32Array, k: number, trueLabels: Int32Array, classNames: string[]): ContingencyReply {
  const classes = classNames.length;
  const matrix = crossCounts(labels, k, trueLabels, classes);
  const { rowToCol, matched } = bestMatching(matrix, k, classes);
  const sizes = new Int32Array(k);
  for (let c = 0; c < k; c++) for (let j = 0; j < classes; j++) sizes[c] += matrix[c * classes + j];
  const order = Array.from({ length: k }, (_, c) => c).sort((x, y) => {
    const mx = rowToCol[x];
    const my = rowToCol[y];
    if (mx >= 0 && my >= 0) return mx - my;
    if (mx >= 0) return -1;
    if (my >= 0) return 1;
    return sizes[y] - sizes[x] || x - y;
  });
  return {
    id,
    k,
    classes,
    classNames,
    matrix,
    clusterToClass: rowToCol,
    clusterOrder: Int32Array.from(order),
    matchedAccuracy: labels.length ? matched / labels.length : 1,
  };
}

/** Histograms of the silhouette values of each cluster over common bins spanning all values. */
export function silhouetteHistogramView(id: number, labels: Int32Array, k: number, sil: SilhouetteSamples, bins: number): SilhouetteHistogramReply {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of sil.values) {
    if (!Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!(lo <= hi)) (lo = -1), (hi = 1);
  lo = Math.max(-1, lo);
  hi = Math.min(1, hi);
  if (hi - lo < 1e-9) (lo = Math.max(-1, lo - 0.05)), (hi = Math.min(1, hi + 0.05));
  const edges = Float64Array.from({ length: bins + 1 }, (_, b) => lo + ((hi - lo) * b) / bins);
  const counts = new Int32Array(k * bins);
  const sums = new Float64Array(k);
  const sizes = new Int32Array(k);
  for (let i = 0; i < sil.indices.length; i++) {
    const c = labels[sil.indices[i]];
    const v = sil.values[i];
    if (c < 0 || c >= k || !Number.isFinite(v)) continue;
    const b = Math.min(bins - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * bins)));
    counts[c * bins + b]++;
    sums[c] += v;
    sizes[c]++;
  }
  const means = Float64Array.from(sums, (s, c) => (sizes[c] ? s / sizes[c] : NaN));
  return { id, k, bins, edges, counts, means, sizes, exact: sil.exact };
}

/** Euclidean distance of row `i` of X to center `c` (k × d), in the units of `t` (feature units → the run's units; null = feature units). */
export function distanceToCenter(X: DataMatrix, i: number, centers: Float64Array, c: number, t: FeatureTransform | null = null): number {
  const { d, data, scale } = X;
  let s = 0;
  const r = i * d;
  const o = c * d;
  for (let j = 0; j < d; j++) {
    const x = data[r + j] * scale;
    const diff = (t ? (x - t.offset[j]) * t.factor[j] : x) - centers[o + j];
    s += diff * diff;
  }
  return Math.sqrt(s);
}

export interface MemberOrder {
  total: number;
  indices: Int32Array;
  distances: Float64Array;
  /** Silhouette per returned row (NaN where not sampled), or null without silhouette values. */
  silhouette: Float64Array | null;
}

/** Members of cluster `cluster`, sorted by distance to its center or by silhouette, sliced [offset, offset + limit). */
export function clusterMembers(
  X: DataMatrix,
  labels: Int32Array,
  centers: Float64Array,
  sil: SilhouetteSamples | null,
  q: { cluster: number; sortBy: 'distance' | 'silhouette'; order: 'asc' | 'desc'; limit: number; offset: number },
  transform: FeatureTransform | null = null,
): MemberOrder {
  const silOf = new Map<number, number>();
  if (sil) for (let i = 0; i < sil.indices.length; i++) if (labels[sil.indices[i]] === q.cluster) silOf.set(sil.indices[i], sil.values[i]);
  let members: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] === q.cluster) members.push(i);
  let key: Float64Array;
  if (q.sortBy === 'distance') {
    key = Float64Array.from(members, (i) => distanceToCenter(X, i, centers, q.cluster, transform));
  } else {
    members = members.filter((i) => silOf.has(i));
    key = Float64Array.from(members, (i) => silOf.get(i)!);
  }
  const sign = q.order === 'asc' ? 1 : -1;
  const perm = Array.from({ length: members.length }, (_, p) => p).sort((a, b) => sign * (key[a] - key[b]) || members[a] - members[b]);
  const page = perm.slice(q.offset, q.offset + q.limit);
  const indices = Int32Array.from(page, (p) => members[p]);
  return {
    total: members.length,
    indices,
    distances: q.sortBy === 'distance' ? Float64Array.from(page, (p) => key[p]) : Float64Array.from(indices, (i) => distanceToCenter(X, i, centers, q.cluster, transform)),
    silhouette: sil ? Float64Array.from(indices, (i) => silOf.get(i) ?? NaN) : null,
  };
}

/**
 * Mean and population standard deviation of every feature per cluster and over all rows, in feature units
 * (raw × scale), two passes in float64 (no cancellation for features with a large mean).
 */
export function clusterProfiles(id: number, X: DataMatrix, labels: Int32Array, k: number): ClusterProfilesReply {
  const { n, d, data, scale } = X;
  const counts = new Int32Array(k);
  const sums = new Float64Array(k * d);
  const all = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    if (c < 0 || c >= k) continue;
    counts[c]++;
    for (let j = 0; j < d; j++) sums[c * d + j] += data[i * d + j] * scale;
  }
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) all[j] += sums[c * d + j];
  const total = counts.reduce((a, b) => a + b, 0);
  const mean = sums.map((s, q) => (counts[Math.floor(q / d)] > 0 ? s / counts[Math.floor(q / d)] : NaN));
  const overallMean = all.map((s) => (total > 0 ? s / total : NaN));
  const ss = new Float64Array(k * d);
  const ssAll = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    if (c < 0 || c >= k) continue;
    for (let j = 0; j < d; j++) {
      const v = data[i * d + j] * scale;
      const e = v - mean[c * d + j];
      const f = v - overallMean[j];
      ss[c * d + j] += e * e;
      ssAll[j] += f * f;
    }
  }
  const std = ss.map((s, q) => (counts[Math.floor(q / d)] > 0 ? Math.sqrt(s / counts[Math.floor(q / d)]) : NaN));
  const overallStd = ssAll.map((s) => (total > 0 ? Math.sqrt(s / total) : NaN));
  return { id, k, d, counts, mean, std, overallMean, overallStd };
}

/** Two labelings of the same rows: cross counts, ARI, NMI and the best one-to-one cluster matching. */
export function compareView(a: { id: number; k: number; labels: Int32Array }, b: { id: number; k: number; labels: Int32Array }): CompareRunsReply {
  const matrix = crossCounts(a.labels, a.k, b.labels, b.k);
  const { rowToCol, matched } = bestMatching(matrix, a.k, b.k);
  return {
    a: a.id,
    b: b.id,
    ka: a.k,
    kb: b.k,
    matrix,
    ari: adjustedRandIndex(a.labels, b.labels),
    nmi: normalizedMutualInfo(a.labels, b.labels),
    aToB: rowToCol,
    agreement: a.labels.length ? matched / a.labels.length : 1,
  };
}

/** Rows `indices` of a dataset with their true labels, as datasets/samples and runs/members answer them. */
export function samplesOf(datasetId: number, ds: Dataset, indices: number[]) {
  const data = ds.dtype === 'uint8' ? new Uint8Array(indices.length * ds.d) : new Float32Array(indices.length * ds.d);
  indices.forEach((row, r) => data.set(ds.data.subarray(row * ds.d, (row + 1) * ds.d), r * ds.d));
  return {
    datasetId,
    indices: Int32Array.from(indices),
    d: ds.d,
    dtype: ds.dtype,
    scale: ds.scale,
    data,
    labels: ds.labels ? Int32Array.from(indices, (i) => ds.labels![i]) : null,
    imageShape: ds.imageShape ?? null,
  };
}
