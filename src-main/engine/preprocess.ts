/**
 * Per-run preprocessing of a data matrix (see `Preprocessing` in src-shared/model.ts). Pure: no I/O.
 *
 * Works in feature units x = raw × scale. The result is the matrix the engine clusters and the
 * {@link FeatureTransform} x' = (x − offset) × factor that produced it (null when x' = x), stored with the
 * run so its centers (in x' units) can be drawn in feature units and member distances measured in x' units.
 * Statistics are accumulated in float64; a transformed matrix is float32 (scale 1), like the float datasets.
 */
import type { DataMatrix, FeatureTransform, Preprocessing } from '../../src-shared/model';

export interface Preprocessed {
  /** n × d; the input matrix itself (or a view of its data with another scale) when no copy is needed. */
  matrix: DataMatrix;
  /** null when the matrix is in feature units (x' = x). */
  transform: FeatureTransform | null;
}

/**
 * The transform of `mode` on X:
 * - 'none': x' = raw = x / scale (uniform factor 1/scale; null when scale is 1);
 * - 'scale': null for uint8 data (the dataset's own units); per-feature min–max to [0, 1] for float data
 *   (offset = min, factor = 1 / (max − min), or 1 for a constant feature, as MinMaxScaler);
 * - 'standardize': offset = mean, factor = 1 / population std (1 for a constant feature, which becomes 0, as StandardScaler).
 */
export function fitTransform(X: DataMatrix, mode: Preprocessing): FeatureTransform | null {
  const { d } = X;
  if (mode === 'none') return X.scale === 1 ? null : uniform(d, 1 / X.scale);
  if (mode === 'scale') return X.data instanceof Uint8Array ? null : minMax(X);
  return standardize(X);
}

/** Applies `mode` to X (see {@link fitTransform}); the data of X is never modified. */
export function preprocess(X: DataMatrix, mode: Preprocessing): Preprocessed {
  const transform = fitTransform(X, mode);
  if (!transform) return { matrix: X, transform: null };
  if (mode === 'none') return { matrix: { n: X.n, d: X.d, data: X.data, scale: 1 }, transform };
  return { matrix: applyTransform(X, transform), transform };
}

/** (x − offset) × factor for every row of X, as float32 with scale 1. */
export function applyTransform(X: DataMatrix, t: FeatureTransform): DataMatrix {
  const { n, d, data, scale } = X;
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const r = i * d;
    for (let j = 0; j < d; j++) out[r + j] = (data[r + j] * scale - t.offset[j]) * t.factor[j];
  }
  return { n, d, data: out, scale: 1 };
}

function uniform(d: number, factor: number): FeatureTransform {
  return { offset: new Float64Array(d), factor: new Float64Array(d).fill(factor) };
}

function minMax(X: DataMatrix): FeatureTransform {
  const { n, d, data, scale } = X;
  const lo = new Float64Array(d).fill(Infinity);
  const hi = new Float64Array(d).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = data[i * d + j] * scale;
      if (v < lo[j]) lo[j] = v;
      if (v > hi[j]) hi[j] = v;
    }
  }
  return { offset: lo, factor: hi.map((h, j) => (h > lo[j] ? 1 / (h - lo[j]) : 1)) };
}

function standardize(X: DataMatrix): FeatureTransform {
  const { n, d, data, scale } = X;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j] * scale;
  for (let j = 0; j < d; j++) mean[j] /= n;
  // two passes: a constant feature gets a variance of exactly 0
  const ss = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const e = data[i * d + j] * scale - mean[j];
      ss[j] += e * e;
    }
  }
  return { offset: mean, factor: ss.map((s) => (s > 0 ? 1 / Math.sqrt(s / n) : 1)) };
}
