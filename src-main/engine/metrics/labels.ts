import type { DataMatrix } from '../../../src-shared/model';

/**
 * Label encoding shared by the metrics, like scikit-learn's `np.unique(labels, return_inverse=True)`:
 * any Int32 label values (negative, sparse) become codes 0 … k − 1 in ascending order of value.
 */

export interface EncodedLabels {
  /** Distinct label values, ascending (length k). */
  values: Int32Array;
  /** Code of each sample, 0 … k − 1 (length n). */
  codes: Int32Array;
  /** Number of samples per code (length k). */
  counts: Int32Array;
}

export function encodeLabels(labels: Int32Array): EncodedLabels {
  const n = labels.length;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = labels[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (n === 0) return { values: new Int32Array(0), codes: new Int32Array(0), counts: new Int32Array(0) };
  const span = max - min + 1;
  let values: Int32Array;
  const codes = new Int32Array(n);
  if (span <= Math.max(1024, 4 * n)) {
    // Dense range (the usual 0 … k − 1): a direct lookup table.
    const code = new Int32Array(span).fill(-1);
    for (let i = 0; i < n; i++) code[labels[i] - min] = 0;
    let k = 0;
    for (let v = 0; v < span; v++) if (code[v] === 0) code[v] = k++;
    values = new Int32Array(k);
    for (let v = 0; v < span; v++) if (code[v] >= 0) values[code[v]] = v + min;
    for (let i = 0; i < n; i++) codes[i] = code[labels[i] - min];
  } else {
    values = Int32Array.from(new Set(labels)).sort();
    const code = new Map<number, number>();
    values.forEach((v, c) => code.set(v, c));
    for (let i = 0; i < n; i++) codes[i] = code.get(labels[i])!;
  }
  const counts = new Int32Array(values.length);
  for (let i = 0; i < n; i++) counts[codes[i]]++;
  return { values, codes, counts };
}

/** Throws unless both labelings have the same length. */
export function checkSameLength(a: Int32Array, b: Int32Array, what = 'labelings'): void {
  if (a.length !== b.length) throw new RangeError(`${what} differ in length: ${a.length} vs ${b.length}`);
}

/**
 * Throws unless there is one label per row and every value of X is finite (scikit-learn's
 * `check_X_y` rejects NaN and infinity too). uint8 data is finite by construction.
 */
export function checkSamples(X: DataMatrix, labels: Int32Array): void {
  if (labels.length !== X.n) throw new RangeError(`labels has length ${labels.length}, X has ${X.n} rows`);
  if (X.data.length !== X.n * X.d) throw new RangeError(`X.data has length ${X.data.length}, expected ${X.n} × ${X.d}`);
  if (!Number.isFinite(X.scale)) throw new RangeError(`X.scale is not finite: ${X.scale}`);
  const { data } = X;
  if (data instanceof Uint8Array) return;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new RangeError(`X has a non-finite value (${data[i]}) at row ${Math.floor(i / X.d)}, column ${i % X.d}`);
    }
  }
}
