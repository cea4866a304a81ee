import type { Dataset, ImageShape } from '../../src-shared/model';
import { DatasetError } from './errors';
import { formatBytes, type ImportLimits } from './limits';

/** Element types the binary readers (IDX, NumPy) understand. */
export type ElementType =
  | 'uint8' | 'int8' | 'uint16' | 'int16' | 'uint32' | 'int32'
  | 'uint64' | 'int64' | 'float32' | 'float64' | 'bool';

export type NumericArray =
  | Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array
  | BigUint64Array | BigInt64Array | Float32Array | Float64Array;

/** An n-dimensional array read from a file: C order (last index fastest), native byte order. */
export interface NdArray {
  type: ElementType;
  shape: number[];
  data: NumericArray;
}

export const ELEMENT_SIZE: Record<ElementType, number> = {
  uint8: 1, int8: 1, bool: 1, uint16: 2, int16: 2, uint32: 4, int32: 4,
  uint64: 8, int64: 8, float32: 4, float64: 8,
};

/** Product of dims (checked as non-negative integers). */
export function elementCount(file: string, shape: readonly number[]): number {
  let count = 1;
  for (const dim of shape) {
    if (!Number.isSafeInteger(dim) || dim < 0) throw new DatasetError(file, `invalid dimension ${dim} in shape (${shape.join(', ')})`);
    count *= dim; // may exceed 2^53 for absurd shapes; the size limits refuse those
  }
  return count;
}

/** Refuses a matrix larger than the limit, before anything is allocated. */
export function checkMatrixSize(file: string, n: number, d: number, bytesPerValue: number, limits: ImportLimits): void {
  const bytes = n * d * bytesPerValue;
  if (bytes > limits.maxMatrixBytes) {
    throw new DatasetError(
      file,
      `${n} rows × ${d} columns × ${bytesPerValue} bytes = ${formatBytes(bytes)} is more than the limit of ${formatBytes(limits.maxMatrixBytes)}`,
    );
  }
}

/**
 * Decodes `count` values of `type` starting at `offset` into a fresh, aligned typed array in native
 * byte order. The caller has checked that the bytes are there.
 */
export function decodeValues(
  bytes: Uint8Array,
  offset: number,
  count: number,
  type: ElementType,
  littleEndian: boolean,
): NumericArray {
  const size = ELEMENT_SIZE[type];
  const copy = new Uint8Array(count * size);
  copy.set(bytes.subarray(offset, offset + count * size));
  if (size > 1 && littleEndian !== NATIVE_LITTLE_ENDIAN) swapBytes(copy, size);
  const buf = copy.buffer;
  switch (type) {
    case 'uint8': case 'bool': return copy;
    case 'int8': return new Int8Array(buf);
    case 'uint16': return new Uint16Array(buf);
    case 'int16': return new Int16Array(buf);
    case 'uint32': return new Uint32Array(buf);
    case 'int32': return new Int32Array(buf);
    case 'uint64': return new BigUint64Array(buf);
    case 'int64': return new BigInt64Array(buf);
    case 'float32': return new Float32Array(buf);
    case 'float64': return new Float64Array(buf);
  }
}

const NATIVE_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function swapBytes(b: Uint8Array, size: number): void {
  for (let i = 0; i < b.length; i += size) {
    for (let lo = i, hi = i + size - 1; lo < hi; lo++, hi--) {
      const t = b[lo];
      b[lo] = b[hi];
      b[hi] = t;
    }
  }
}

/** Largest finite float32. */
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * The data matrix of an array: first axis = rows, the rest flattened into columns.
 * uint8 stays uint8 (scale 1/255, so pixels are in [0, 1] like MNIST), bool too (scale 1); every other type becomes
 * float32 (scale 1), refusing NaN, ±Inf and values outside float32's range.
 */
export function arrayToMatrix(
  file: string,
  arr: NdArray,
  limits: ImportLimits,
): Pick<Dataset, 'n' | 'd' | 'data' | 'dtype' | 'scale' | 'imageShape'> {
  const { shape } = arr;
  if (shape.length === 0) throw new DatasetError(file, 'holds a single number (a 0-dimensional array), not a data matrix');
  const n = shape[0];
  const d = shape.length === 1 ? 1 : elementCount(file, shape.slice(1));
  if (n === 0) throw new DatasetError(file, 'has no rows');
  if (d === 0) throw new DatasetError(file, `has no columns (shape ${shape.join(' × ')})`);
  const imageShape = imageShapeOf(shape);
  if (arr.type === 'uint8' || arr.type === 'bool') {
    checkMatrixSize(file, n, d, 1, limits);
    // bool stays 0/1; uint8 is taken as pixels, 0…255 → [0, 1]
    return { n, d, data: arr.data as Uint8Array, dtype: 'uint8', scale: arr.type === 'bool' ? 1 : 1 / 255, imageShape };
  }
  checkMatrixSize(file, n, d, 4, limits);
  const src = arr.data;
  const out = src instanceof Float32Array ? src : new Float32Array(n * d);
  for (let i = 0; i < out.length; i++) {
    const v = typeof src[i] === 'bigint' ? Number(src[i]) : (src[i] as number);
    if (!Number.isFinite(v) || Math.abs(v) > FLOAT32_MAX) {
      const row = Math.floor(i / d);
      const col = i % d;
      const what = Number.isNaN(v) ? 'NaN' : Number.isFinite(v) ? `${v} (outside the float32 range)` : `${v}`;
      throw new DatasetError(file, `value ${what} at row ${row + 1}, column ${col + 1}; every value must be a finite number`);
    }
    out[i] = v;
  }
  return { n, d, data: out, dtype: 'float32', scale: 1, imageShape };
}

/** [n, h, w] → grayscale images; [n, h, w, c] with c = 1 or 3 → images; otherwise vectors. */
function imageShapeOf(shape: readonly number[]): ImageShape | undefined {
  if (shape.length === 3) return [shape[1], shape[2], 1];
  if (shape.length === 4 && (shape[3] === 1 || shape[3] === 3)) return [shape[1], shape[2], shape[3]];
  return undefined;
}

/** Labels as read: integers (any width) of a 1-D array. */
export function arrayToLabelValues(file: string, arr: NdArray): number[] | Int32Array | Float64Array {
  if (arr.shape.length !== 1 && !(arr.shape.length === 2 && arr.shape[1] === 1)) {
    throw new DatasetError(file, `labels must be a 1-D array, got shape (${arr.shape.join(', ')})`);
  }
  const src = arr.data;
  const out = new Float64Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = typeof src[i] === 'bigint' ? Number(src[i]) : (src[i] as number);
  return out;
}

/**
 * Maps label values to 0 … K − 1 in increasing order, keeping their display names.
 * Labels that are already 0 … K − 1 stay as they are.
 */
export function encodeLabels(file: string, values: ArrayLike<number>): { labels: Int32Array; labelNames: string[] } {
  const distinct = new Set<number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) throw new DatasetError(file, `label ${v} at row ${i + 1} is not a finite number`);
    distinct.add(v);
  }
  const sorted = [...distinct].sort((a, b) => a - b);
  const index = new Map(sorted.map((v, i) => [v, i]));
  const labels = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) labels[i] = index.get(values[i])!;
  return { labels, labelNames: sorted.map(String) };
}

/** Maps string labels to 0 … K − 1: numerically when every name is a number, otherwise by code point order. */
export function encodeStringLabels(names: readonly string[]): { labels: Int32Array; labelNames: string[] } {
  const distinct = [...new Set(names)];
  const numeric = distinct.every((s) => s.trim() !== '' && Number.isFinite(Number(s)));
  distinct.sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(distinct.map((v, i) => [v, i]));
  const labels = new Int32Array(names.length);
  for (let i = 0; i < names.length; i++) labels[i] = index.get(names[i])!;
  return { labels, labelNames: distinct };
}

/** Refuses labels whose count differs from the rows of the data. */
export function checkLabelCount(dataFile: string, n: number, labelsFile: string, count: number): void {
  if (count !== n) {
    throw new DatasetError(labelsFile, `has ${count} labels but ${dataFile.split('/').pop()} has ${n} rows; the counts must match`);
  }
}
