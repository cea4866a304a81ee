/**
 * External clustering metrics (against true labels) with scikit-learn 1.2 semantics: natural logarithms,
 * NMI and AMI with the arithmetic mean of the entropies, AMI with the exact expected mutual information
 * under the hypergeometric model. Label values may be any Int32 values (they are encoded in ascending order).
 */
import { checkSameLength, encodeLabels } from './labels';
import { linearSumAssignment } from './hungarian';

export interface Contingency {
  /** Distinct values of the first labeling (rows), ascending. */
  classes: Int32Array;
  /** Distinct values of the second labeling (columns), ascending. */
  clusters: Int32Array;
  /** classes.length × clusters.length counts, row-major: counts[r * clusters.length + c]. */
  counts: Int32Array;
}

/** Largest dense contingency table (cells) the external metrics build: 800 MB of int32. */
export const MAX_CONTINGENCY_CELLS = 200_000_000;

/** Like `sklearn.metrics.cluster.contingency_matrix(labelsA, labelsB)`: rows = values of A, columns = values of B. */
export function contingencyMatrix(labelsA: Int32Array, labelsB: Int32Array): Contingency {
  checkSameLength(labelsA, labelsB);
  const a = encodeLabels(labelsA);
  const b = encodeLabels(labelsB);
  const cols = b.values.length;
  if (a.values.length * cols > MAX_CONTINGENCY_CELLS) {
    throw new RangeError(`contingency table of ${a.values.length} × ${cols} labels is too large (limit ${MAX_CONTINGENCY_CELLS} cells)`);
  }
  const counts = new Int32Array(a.values.length * cols);
  for (let i = 0; i < labelsA.length; i++) counts[a.codes[i] * cols + b.codes[i]]++;
  return { classes: a.values, clusters: b.values, counts };
}

/** Row sums and column sums of a contingency table. */
function marginals(t: Contingency): { rows: Float64Array; cols: Float64Array; n: number } {
  const R = t.classes.length;
  const C = t.clusters.length;
  const rows = new Float64Array(R);
  const cols = new Float64Array(C);
  let n = 0;
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < C; c++) {
      const v = t.counts[r * C + c];
      rows[r] += v;
      cols[c] += v;
      n += v;
    }
  }
  return { rows, cols, n };
}

/** Shannon entropy (nats) of a distribution given by counts; 0 for a single class, like sklearn's `entropy`. */
function entropyOfCounts(counts: Float64Array): number {
  let total = 0;
  let nonZero = 0;
  for (const v of counts) if (v > 0) (total += v), nonZero++;
  if (nonZero <= 1) return 0;
  const logTotal = Math.log(total);
  let h = 0;
  for (const v of counts) if (v > 0) h += (v / total) * (Math.log(v) - logTotal);
  return -h;
}

/** Entropy (nats) of a labeling; 1 for an empty labeling, as in scikit-learn. */
export function entropy(labels: Int32Array): number {
  if (labels.length === 0) return 1;
  return entropyOfCounts(Float64Array.from(encodeLabels(labels).counts));
}

/** Mutual information (nats) of a contingency table, like `mutual_info_score(contingency=...)`. */
function mutualInfoOf(t: Contingency): number {
  const R = t.classes.length;
  const C = t.clusters.length;
  if (R === 1 || C === 1) return 0;
  const { rows, cols, n } = marginals(t);
  const logN = Math.log(n);
  let mi = 0;
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < C; c++) {
      const nij = t.counts[r * C + c];
      if (nij === 0) continue;
      const p = nij / n;
      const term = p * (Math.log(nij) - logN) + p * (-Math.log(rows[r] * cols[c]) + logN + logN);
      if (Math.abs(term) >= Number.EPSILON) mi += term;
    }
  }
  return Math.max(mi, 0);
}

/** Mutual information (nats), like `sklearn.metrics.mutual_info_score`. */
export function mutualInfo(labelsTrue: Int32Array, labelsPred: Int32Array): number {
  return mutualInfoOf(contingencyMatrix(labelsTrue, labelsPred));
}

/** Adjusted Rand index, like `sklearn.metrics.adjusted_rand_score` (pair counts in exact integer arithmetic). */
export function adjustedRandIndex(labelsTrue: Int32Array, labelsPred: Int32Array): number {
  const t = contingencyMatrix(labelsTrue, labelsPred);
  const { rows, cols, n } = marginals(t);
  const N = BigInt(n);
  let sumSquares = 0n;
  for (const v of t.counts) sumSquares += BigInt(v) * BigInt(v);
  let rowDot = 0n; // Σ_ij n_ij · b_j
  let colDot = 0n; // Σ_ij n_ij · a_i
  const C = t.clusters.length;
  for (let r = 0; r < t.classes.length; r++) {
    for (let c = 0; c < C; c++) {
      const v = BigInt(t.counts[r * C + c]);
      rowDot += v * BigInt(cols[c]);
      colDot += v * BigInt(rows[r]);
    }
  }
  const tp = sumSquares - N;
  const fp = rowDot - sumSquares;
  const fn = colDot - sumSquares;
  const tn = N * N - fp - fn - sumSquares;
  if (fn === 0n && fp === 0n) return 1;
  const num = 2n * (tp * tn - fn * fp);
  const den = (tp + fn) * (fn + tn) + (tp + fp) * (fp + tn);
  return bigRatio(num, den);
}

/** num / den for big integers, accurate to a few ulps even when both exceed 2^53. */
function bigRatio(num: bigint, den: bigint): number {
  const neg = num < 0n !== den < 0n;
  let a = num < 0n ? -num : num;
  let b = den < 0n ? -den : den;
  // Scale both down to ≤ ~2^62 so Number() conversions round once each.
  const excess = Math.max(a.toString(2).length, b.toString(2).length) - 62;
  if (excess > 0) {
    const shift = BigInt(excess);
    a >>= shift;
    b >>= shift;
  }
  const q = Number(a) / Number(b);
  return neg ? -q : q;
}

/** Both labelings have one value (or none): scikit-learn scores NMI and AMI as 1 (perfect agreement). */
function bothTrivial(t: Contingency): boolean {
  const R = t.classes.length;
  return R <= 1 && R === t.clusters.length;
}

/** Arithmetic mean of the two entropies, as sklearn's default `average_method`. */
function arithmeticMean(u: number, v: number): number {
  return (u + v) / 2;
}

/** Normalized mutual information (arithmetic mean), like `sklearn.metrics.normalized_mutual_info_score`. */
export function normalizedMutualInfo(labelsTrue: Int32Array, labelsPred: Int32Array): number {
  const t = contingencyMatrix(labelsTrue, labelsPred);
  if (bothTrivial(t)) return 1;
  const mi = mutualInfoOf(t);
  if (mi === 0) return 0;
  const { rows, cols } = marginals(t);
  return mi / arithmeticMean(entropyOfCounts(rows), entropyOfCounts(cols));
}

/**
 * log(m!) for a non-negative integer m, accurate to about an ulp of the result: exact factorials
 * up to 18! (exactly representable), Stirling's series beyond.
 */
export function logFactorial(m: number): number {
  if (m < LOG_FACTORIAL_SMALL.length) return LOG_FACTORIAL_SMALL[m];
  const x = m + 1;
  const x2 = x * x;
  const series =
    (1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680 - (1 / 1188 - (691 / 360360 - 1 / (156 * x2)) / x2) / x2) / x2) / x2) / x2) / x;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + series;
}

const LOG_FACTORIAL_SMALL: Float64Array = (() => {
  const out = new Float64Array(19);
  let f = 1;
  for (let m = 1; m < out.length; m++) {
    f *= m; // exact: 18! < 2^53
    out[m] = Math.log(f);
  }
  return out;
})();

/**
 * Expected mutual information of two labelings with these marginals under the permutation
 * (hypergeometric) model, term by term as in scikit-learn's `expected_mutual_information`.
 */
export function expectedMutualInfo(rows: Float64Array, cols: Float64Array, n: number): number {
  const R = rows.length;
  const C = cols.length;
  if (R === 1 || C === 1) return 0;
  // log m! for every m ≤ n, each to about an ulp (a running sum would accumulate n roundings).
  const lf = new Float64Array(n + 1);
  for (let m = 0; m <= n; m++) lf[m] = logFactorial(m);
  const logN = Math.log(n);
  let emi = 0;
  for (let i = 0; i < R; i++) {
    const a = rows[i];
    const logA = Math.log(a);
    for (let j = 0; j < C; j++) {
      const b = cols[j];
      const logB = Math.log(b);
      const start = Math.max(1, a - n + b);
      const end = Math.min(a, b);
      const fixed = lf[a] + lf[b] + lf[n - a] + lf[n - b] - lf[n];
      for (let nij = start; nij <= end; nij++) {
        const term2 = logN + Math.log(nij) - logA - logB;
        const gln = fixed - lf[nij] - lf[a - nij] - lf[b - nij] - lf[n - a - b + nij];
        emi += (nij / n) * term2 * Math.exp(gln);
      }
    }
  }
  return emi;
}

/** Adjusted mutual information (arithmetic mean), like `sklearn.metrics.adjusted_mutual_info_score`. */
export function adjustedMutualInfo(labelsTrue: Int32Array, labelsPred: Int32Array): number {
  const t = contingencyMatrix(labelsTrue, labelsPred);
  if (bothTrivial(t)) return 1;
  const mi = mutualInfoOf(t);
  const { rows, cols, n } = marginals(t);
  const emi = expectedMutualInfo(rows, cols, n);
  const normalizer = arithmeticMean(entropyOfCounts(rows), entropyOfCounts(cols));
  let denominator = normalizer - emi;
  denominator = denominator < 0 ? Math.min(denominator, -Number.EPSILON) : Math.max(denominator, Number.EPSILON);
  return (mi - emi) / denominator;
}

export interface HomogeneityCompleteness {
  homogeneity: number;
  completeness: number;
  /** Harmonic mean of homogeneity and completeness (beta = 1). */
  vMeasure: number;
}

/** Like `sklearn.metrics.homogeneity_completeness_v_measure` (beta = 1). */
export function homogeneityCompletenessVMeasure(labelsTrue: Int32Array, labelsPred: Int32Array): HomogeneityCompleteness {
  if (labelsTrue.length === 0 && labelsPred.length === 0) return { homogeneity: 1, completeness: 1, vMeasure: 1 };
  const t = contingencyMatrix(labelsTrue, labelsPred);
  const { rows, cols } = marginals(t);
  const hC = entropyOfCounts(rows);
  const hK = entropyOfCounts(cols);
  const mi = mutualInfoOf(t);
  const homogeneity = hC ? mi / hC : 1;
  const completeness = hK ? mi / hK : 1;
  const vMeasure = homogeneity + completeness === 0 ? 0 : (2 * homogeneity * completeness) / (homogeneity + completeness);
  return { homogeneity, completeness, vMeasure };
}

/** Purity: fraction of samples that belong to the most frequent true class of their cluster. */
export function purity(labelsTrue: Int32Array, labelsPred: Int32Array): number {
  const t = contingencyMatrix(labelsTrue, labelsPred);
  const R = t.classes.length;
  const C = t.clusters.length;
  if (labelsTrue.length === 0) return 1;
  let hits = 0;
  for (let c = 0; c < C; c++) {
    let best = 0;
    for (let r = 0; r < R; r++) best = Math.max(best, t.counts[r * C + c]);
    hits += best;
  }
  return hits / labelsTrue.length;
}

export interface MatchedAccuracy {
  /** Fraction of samples whose cluster is matched to their true class by the best one-to-one matching. */
  accuracy: number;
  /**
   * Indexed by predicted label value 0 … max(labelsPred): the true label value that cluster is matched to,
   * or −1 when it is unmatched (more clusters than classes) or has no samples. Negative predicted values
   * take part in the matching but have no entry here.
   */
  mapping: Int32Array;
}

/**
 * Clustering accuracy: the one-to-one matching of clusters to classes that maximises the number of
 * agreeing samples (Hungarian algorithm on the contingency table), as a fraction of all samples.
 */
export function matchedAccuracy(labelsTrue: Int32Array, labelsPred: Int32Array): MatchedAccuracy {
  const t = contingencyMatrix(labelsTrue, labelsPred);
  const R = t.classes.length;
  const C = t.clusters.length;
  const maxPred = C > 0 ? t.clusters[C - 1] : -1;
  const mapping = new Int32Array(Math.max(0, maxPred + 1)).fill(-1);
  if (labelsTrue.length === 0) return { accuracy: 1, mapping };
  const { rowInd, colInd } = linearSumAssignment(Float64Array.from(t.counts), R, C, true);
  let hits = 0;
  for (let m = 0; m < rowInd.length; m++) {
    hits += t.counts[rowInd[m] * C + colInd[m]];
    const cluster = t.clusters[colInd[m]];
    if (cluster >= 0) mapping[cluster] = t.classes[rowInd[m]];
  }
  return { accuracy: hits / labelsTrue.length, mapping };
}
