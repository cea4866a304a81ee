/**
 * Exact PCA over every row: the d × d covariance in float64, its top eigenvectors (engine/embed/eigen.ts),
 * and the rows projected on them. Matches scikit-learn 1.2 `PCA(n_components)` up to rounding, with its sign
 * convention (svd_flip, U-based: the coordinate of largest magnitude of each component is positive).
 * Pure: no I/O; progress per block of rows, cancel through an AbortSignal.
 */
import type { DataMatrix } from '../../../src-shared/model';
import { CancelledError, ParamError } from '../errors';
import { topEigen } from './eigen';
import { gramU8 } from './gram';

export interface PcaOptions {
  /** Number of components, 1 … min(n, d); default 2. */
  nComponents?: number;
  /** Fraction done, 0 … 1. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
  /** Cap on the eigen solver's iterations (a projection that needs a good subspace, not exact axes); default: until converged. */
  maxIterations?: number;
}

export interface PcaResult {
  nComponents: number;
  /** n × nComponents, row-major, in feature units (raw × scale) minus the mean. */
  coords: Float64Array;
  /** nComponents × d, row-major, unit rows. */
  components: Float64Array;
  /** Variance along each component (ddof 1), as scikit-learn's explained_variance_. */
  explainedVariance: Float64Array;
  /** explainedVariance / total variance (sum of the per-feature variances, ddof 1). */
  explainedVarianceRatio: Float64Array;
  /** Per-feature mean, length d, feature units. */
  mean: Float64Array;
}

/** Rows per progress report and cancel check. */
const BLOCK = 2048;

/** Principal components of X (all n rows). Throws ParamError unless 2 ≤ n and 1 ≤ nComponents ≤ min(n, d). */
export function pca(X: DataMatrix, options: PcaOptions = {}): PcaResult {
  const { n, d } = X;
  const m = options.nComponents ?? 2;
  if (n < 2) throw new ParamError('dataset', `PCA needs at least 2 rows, the dataset has ${n}`);
  if (!Number.isInteger(m) || m < 1 || m > Math.min(n, d)) {
    throw new ParamError('nComponents', `nComponents must be an integer 1 … ${Math.min(n, d)} (min of rows and features), got ${m}`);
  }
  const { cov, mean } = covariance(X, (f) => options.onProgress?.(0.9 * f), options.signal);
  let total = 0;
  for (let j = 0; j < d; j++) total += cov[j * d + j];
  const { values, vectors } = topEigen(cov, d, m, options.maxIterations);
  const coords = project(X, mean, vectors, m);
  flipSigns(coords, vectors, n, m, d);
  options.onProgress?.(1);
  const explainedVariance = values.map((v) => Math.max(v, 0));
  return {
    nComponents: m,
    coords,
    components: vectors,
    explainedVariance,
    explainedVarianceRatio: explainedVariance.map((v) => (total > 0 ? v / total : 0)),
    mean,
  };
}

export interface CovarianceOptions {
  /** 'ts': the TypeScript loop even for uint8 data (the reference the WASM Gram is tested against). */
  kernel?: 'wasm' | 'ts';
}

/**
 * Covariance (ddof 1) and mean of X in feature units, float64.
 * Integer data (uint8): the Gram matrix of the raw values is summed exactly (integers below 2^53 for
 * n < 2^53 / 255², so any n that fits in memory), skipping zero values (exact: they add nothing), and then
 * centered: cov = (G − s sᵀ / n) / (n − 1) · scale². Float data: the mean first, then the centered Gram
 * (no cancellation from a large mean).
 */
export function covariance(
  X: DataMatrix,
  onProgress?: (fraction: number) => void,
  signal?: AbortSignal,
  options?: CovarianceOptions,
): { cov: Float64Array; mean: Float64Array } {
  const { n, d, data, scale } = X;
  const integer = data instanceof Uint8Array;
  // uint8: the exact integer Gram on the kernel threads (same integers as the loop below)
  const fast = integer && options?.kernel !== 'ts' ? gramU8(data, n, d, onProgress, signal) : null;
  const G = fast?.gram ?? new Float64Array(d * d);
  const sums = fast?.sums ?? new Float64Array(d);
  const mean = new Float64Array(d);
  if (!integer) {
    for (let i = 0; i < n * d; i += d) for (let j = 0; j < d; j++) mean[j] += data[i + j];
    for (let j = 0; j < d; j++) mean[j] /= n;
  }
  const idx = new Int32Array(d);
  const val = new Float64Array(d);
  for (let start = 0; fast === null && start < n; start += BLOCK) {
    if (signal?.aborted) throw new CancelledError('the embedding was cancelled');
    const end = Math.min(n, start + BLOCK);
    for (let i = start; i < end; i++) {
      const r = i * d;
      let nnz = 0;
      for (let j = 0; j < d; j++) {
        const v = integer ? data[r + j] : data[r + j] - mean[j];
        if (v !== 0) {
          idx[nnz] = j;
          val[nnz++] = v;
        }
      }
      if (integer) for (let a = 0; a < nnz; a++) sums[idx[a]] += val[a];
      // upper triangle only: G[a][b] for a ≤ b
      for (let a = 0; a < nnz; a++) {
        const va = val[a];
        const row = idx[a] * d;
        for (let b = a; b < nnz; b++) G[row + idx[b]] += va * val[b];
      }
    }
    onProgress?.(end / n);
  }
  const cov = new Float64Array(d * d);
  const s2 = (scale * scale) / (n - 1);
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const centered = integer ? G[a * d + b] - (sums[a] * sums[b]) / n : G[a * d + b];
      cov[a * d + b] = cov[b * d + a] = centered * s2;
    }
  }
  if (integer) for (let j = 0; j < d; j++) mean[j] = (sums[j] / n) * scale;
  else for (let j = 0; j < d; j++) mean[j] *= scale;
  return { cov, mean };
}

/** (x − mean) · vᵀ for every row, n × m. */
function project(X: DataMatrix, mean: Float64Array, vectors: Float64Array, m: number): Float64Array {
  const { n, d, data, scale } = X;
  const out = new Float64Array(n * m);
  // (x·scale − μ)·v = scale·(x·v) − μ·v
  const offset = new Float64Array(m);
  for (let k = 0; k < m; k++) for (let j = 0; j < d; j++) offset[k] += mean[j] * vectors[k * d + j];
  // vectors transposed (d × m), so one pass over a row serves every component and zero values are skipped
  const vt = new Float64Array(d * m);
  for (let k = 0; k < m; k++) for (let j = 0; j < d; j++) vt[j * m + k] = vectors[k * d + j];
  const acc = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const r = i * d;
    acc.fill(0);
    for (let j = 0; j < d; j++) {
      const x = data[r + j];
      if (x === 0) continue;
      const o = j * m;
      for (let k = 0; k < m; k++) acc[k] += x * vt[o + k];
    }
    for (let k = 0; k < m; k++) out[i * m + k] = acc[k] * scale - offset[k];
  }
  return out;
}

/** scikit-learn's svd_flip (U-based): each component's coordinate of largest |value| (first one) becomes positive. */
function flipSigns(coords: Float64Array, vectors: Float64Array, n: number, m: number, d: number): void {
  for (let k = 0; k < m; k++) {
    let best = 0;
    let at = 0;
    for (let i = 0; i < n; i++) {
      const a = Math.abs(coords[i * m + k]);
      if (a > best) {
        best = a;
        at = i;
      }
    }
    if (coords[at * m + k] >= 0) continue;
    for (let i = 0; i < n; i++) coords[i * m + k] = -coords[i * m + k];
    for (let j = 0; j < d; j++) vectors[k * d + j] = -vectors[k * d + j];
  }
}
