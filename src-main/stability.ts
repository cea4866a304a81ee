/**
 * Stability of a clustering over seeds, from the labelings of repeated runs (same data, same k): the
 * seeds × seeds adjusted Rand index, and per cluster the Jaccard similarity to its best match in every other
 * run, averaged over them — the statistic `fpc::clusterboot` reports (there over bootstrap resamples, here
 * over seeds on the full data, so every row is in both labelings). Pure functions over typed arrays.
 */
import type { KStability } from '../src-shared/api';
import { adjustedRandIndex } from './engine/metrics';
import { crossCounts } from './run-views';

export interface Labeling {
  runId: number;
  seed: number;
  /** Cluster of each row, 0 … k − 1, the same length for every labeling. */
  labels: Int32Array;
}

/** m × m, row-major: ARI of every pair (symmetric, 1 on the diagonal). */
export function ariMatrix(labelings: readonly Int32Array[]): Float64Array {
  const m = labelings.length;
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    out[i * m + i] = 1;
    for (let j = i + 1; j < m; j++) out[i * m + j] = out[j * m + i] = adjustedRandIndex(labelings[i]!, labelings[j]!);
  }
  return out;
}

/** For each cluster c of `ref`: max over clusters j of `other` of |c ∩ j| / |c ∪ j| (0 for an empty cluster). */
export function bestJaccard(ref: Int32Array, other: Int32Array, k: number): Float64Array {
  const counts = crossCounts(ref, k, other, k);
  const rowSizes = new Float64Array(k);
  const colSizes = new Float64Array(k);
  for (let r = 0; r < k; r++)
    for (let c = 0; c < k; c++) {
      rowSizes[r] += counts[r * k + c]!;
      colSizes[c] += counts[r * k + c]!;
    }
  const out = new Float64Array(k);
  for (let r = 0; r < k; r++) {
    let best = 0;
    for (let c = 0; c < k; c++) {
      const both = counts[r * k + c]!;
      if (both === 0) continue;
      best = Math.max(best, both / (rowSizes[r]! + colSizes[c]! - both));
    }
    out[r] = best;
  }
  return out;
}

/** The stability of one k over its labelings (at least two), the one with the lowest seed as the reference. */
export function kStability(k: number, labelings: readonly Labeling[]): KStability {
  if (labelings.length < 2) throw new RangeError(`stability needs at least two runs of k = ${k}, got ${labelings.length}`);
  const sorted = [...labelings].sort((a, b) => a.seed - b.seed);
  const m = sorted.length;
  const ari = ariMatrix(sorted.map((l) => l.labels));
  let sum = 0;
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) if (i !== j) sum += ari[i * m + j]!;
  const ref = sorted[0]!.labels;
  const jaccard = new Float64Array(k);
  for (const other of sorted.slice(1)) {
    const best = bestJaccard(ref, other.labels, k);
    for (let c = 0; c < k; c++) jaccard[c] += best[c]! / (m - 1);
  }
  const sizes = new Int32Array(k);
  for (const c of ref) if (c >= 0 && c < k) sizes[c]++;
  return {
    k,
    runIds: sorted.map((l) => l.runId),
    seeds: sorted.map((l) => l.seed),
    ari,
    meanAri: sum / (m * (m - 1)),
    referenceRunId: sorted[0]!.runId,
    jaccard,
    sizes,
  };
}
