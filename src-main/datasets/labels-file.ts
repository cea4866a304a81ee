import { DatasetError } from './errors';
import { gunzipPrefix, isGzip } from './gzip';
import { looksLikeIdx, parseIdx } from './idx';
import { DEFAULT_LIMITS, type ImportLimits } from './limits';
import { arrayToLabelValues } from './ndarray';
import { looksLikeNpy, parseNpy } from './npy';

/**
 * Integer labels from a file: a 1-D .npy or IDX array, or text with one integer per line
 * (blank lines and a trailing newline are ignored). Used for `score --labels` and for labels
 * added to a dataset after its data.
 */
export function parseLabelValues(file: string, bytes: Uint8Array, limits: ImportLimits = DEFAULT_LIMITS): Int32Array {
  const head = isGzip(bytes) ? gunzipPrefix(file, bytes, 64) : bytes;
  let values: ArrayLike<number>;
  if (looksLikeNpy(bytes)) values = arrayToLabelValues(file, parseNpy(file, bytes, limits));
  else if (looksLikeIdx(head)) values = arrayToLabelValues(file, parseIdx(file, bytes, limits));
  else return parseTextLabels(file, bytes);
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) throw new DatasetError(file, `label ${v} at position ${i + 1} is not a 32-bit integer`);
    out[i] = v;
  }
  return out;
}

function parseTextLabels(file: string, bytes: Uint8Array): Int32Array {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DatasetError(file, 'is neither a .npy or IDX array nor text with one integer per line');
  }
  const lines = text.split(/\r?\n/);
  const out = new Int32Array(lines.length);
  let n = 0;
  for (let i = 0; i < lines.length; i++) {
    const s = lines[i].trim();
    if (s === '') continue;
    if (!/^[+-]?\d+$/.test(s) || Math.abs(Number(s)) > 2147483647) {
      throw new DatasetError(file, `line ${i + 1}: "${s.length > 40 ? s.slice(0, 40) + '…' : s}" is not an integer label; expected one integer per line`);
    }
    out[n++] = Number(s);
  }
  if (n === 0) throw new DatasetError(file, 'holds no labels');
  return out.slice(0, n);
}
