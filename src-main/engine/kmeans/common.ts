/**
 * Pieces shared by Lloyd and mini-batch: the fit context (data in raw units, kernel, cancellation, progress)
 * and small array helpers. Everything here is in RAW units (data values before × scale).
 */
import type { IterationInfo } from '../../../src-shared/model';
import { CancelledError } from '../errors';
import type { LloydKernel, RowData } from '../kernels/types';

export interface ProgressInfo extends IterationInfo {
  /** Fraction 0…1 of the maximum number of steps of the whole fit (all initialisations). */
  fraction: number;
}

/** What one fit works on. */
export interface FitContext {
  data: RowData;
  n: number;
  d: number;
  /** Raw → feature units; squared quantities scale by scale². */
  scale: number;
  kernel: LloydKernel;
  /** ‖x_i‖², raw units, length n. */
  rowNorms: Float64Array;
  signal?: AbortSignal;
  onProgress?: (p: ProgressInfo) => void;
  /** Cancellation check and a chance for the event loop to run (so an abort can arrive at all). */
  checkpoint(): Promise<void>;
}

/** Lets the event loop run about every 20 ms; throws CancelledError once the signal is aborted. */
export function makeCheckpoint(signal: AbortSignal | undefined): () => Promise<void> {
  let last = Date.now();
  return async () => {
    if (signal?.aborted) throw new CancelledError();
    const now = Date.now();
    if (now - last >= 20) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      last = Date.now();
      if (signal?.aborted) throw new CancelledError();
    }
  };
}

/** ‖c‖² of each of the k centers (k × d). */
export function centerNorms(centers: Float64Array, k: number, d: number, out: Float64Array): Float64Array {
  for (let c = 0; c < k; c++) {
    let s = 0;
    const b = c * d;
    for (let j = 0; j < d; j++) s += centers[b + j] * centers[b + j];
    out[c] = s;
  }
  return out;
}

/** The rows `idx` as float64 centers (m × d). */
export function rowsAsCenters(data: RowData, d: number, idx: Int32Array | number[]): Float64Array {
  const out = new Float64Array(idx.length * d);
  for (let r = 0; r < idx.length; r++) {
    const b = idx[r] * d;
    for (let j = 0; j < d; j++) out[r * d + j] = data[b + j];
  }
  return out;
}

/** Mean over features of the per-feature variance (numpy's np.var(X, axis=0).mean()), raw units. Two passes. */
export function meanFeatureVariance(data: RowData, n: number, d: number): number {
  const mean = featureMeans(data, n, d);
  const ss = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const b = i * d;
    for (let j = 0; j < d; j++) {
      const t = data[b + j] - mean[j];
      ss[j] += t * t;
    }
  }
  let s = 0;
  for (let j = 0; j < d; j++) s += ss[j] / n;
  return s / d;
}

/** Per-feature mean of the data (raw units). */
export function featureMeans(data: RowData, n: number, d: number): Float64Array {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const b = i * d;
    for (let j = 0; j < d; j++) mean[j] += data[b + j];
  }
  for (let j = 0; j < d; j++) mean[j] /= n;
  return mean;
}

/** True when two labelings are the same partition up to a renaming of clusters (sklearn's _is_same_clustering). */
export function isSameClustering(a: Int32Array, b: Int32Array, k: number): boolean {
  const map = new Int32Array(k).fill(-1);
  for (let i = 0; i < a.length; i++) {
    const m = map[a[i]];
    if (m === -1) map[a[i]] = b[i];
    else if (m !== b[i]) return false;
  }
  return true;
}
