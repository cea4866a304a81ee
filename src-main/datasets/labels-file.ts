import { DatasetError } from './errors';
import { gunzipPrefix, isGzip } from './gzip';
import { looksLikeIdx, parseIdx } from './idx';
import { DEFAULT_LIMITS, type ImportLimits } from './limits';
import { arrayToLabelValues } from './ndarray';
import { looksLikeNpy, parseNpy } from './npy';

/**
 * Integer labels from a file: a 1-D .npy or IDX array, text with one integer per line (blank lines and a
 * trailing newline are ignored), or a CSV/TSV with a header naming the labels column (the app's "row,cluster",
 * Spark's "prediction", …). Used for `score --labels` and for labels
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

/**
 * Column names of a labeling in a CSV with a header, in priority order: the app's own export ("row,cluster"),
 * scikit-learn / pandas habits, Spark MLlib's "prediction", and the true-label names of the CSV importer.
 */
export const LABELING_COLUMN_NAMES = ['cluster', 'label', 'labels', 'prediction', 'predictions', 'predicted', 'cluster_id', 'y_pred', 'class', 'target', 'y'];

/**
 * Text labels: one integer per line, or a CSV/TSV whose header row names the labels column (see
 * LABELING_COLUMN_NAMES; a one-column file may name it anything). Integers may be written as "3.0".
 */
function parseTextLabels(file: string, bytes: Uint8Array): Int32Array {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DatasetError(file, 'is neither a .npy or IDX array nor text with one integer per line');
  }
  const lines = text.split(/\r?\n/);
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) throw new DatasetError(file, 'holds no labels');
  const delimiter = [',', '\t', ';'].find((c) => lines[first].includes(c)) ?? null;
  const cellsOf = (line: string): string[] => (delimiter ? line.split(delimiter) : [line]).map((c) => c.trim().replace(/^"(.*)"$/, '$1').trim());
  const head = cellsOf(lines[first]);
  let column = 0;
  let from = first;
  if (!head.every(isIntegerText)) {
    const lower = head.map((c) => c.toLowerCase());
    const named = LABELING_COLUMN_NAMES.map((name) => lower.indexOf(name)).find((j) => j >= 0);
    if (named === undefined && head.length > 1) {
      throw new DatasetError(file, `has no labels column: its header (${preview(head)}) names none of ${LABELING_COLUMN_NAMES.slice(0, 4).join(', ')}`);
    }
    if (named === undefined && first + 1 < lines.length && !isIntegerText(cellsOf(lines[first + 1])[0] ?? '')) {
      throw new DatasetError(file, `line ${first + 1}: "${clip(lines[first])}" is not an integer label; expected one integer per line`);
    }
    column = named ?? 0;
    from = first + 1;
  } else if (head.length > 1) {
    throw new DatasetError(file, `has ${head.length} columns and no header; name the labels column (${LABELING_COLUMN_NAMES.slice(0, 4).join(', ')}) in a header row`);
  }
  const out = new Int32Array(lines.length);
  let n = 0;
  for (let i = from; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const cells = cellsOf(lines[i]);
    if (cells.length !== head.length) throw new DatasetError(file, `line ${i + 1} has ${cells.length} columns, expected ${head.length} like line ${first + 1}`);
    const s = cells[column];
    if (!isIntegerText(s)) {
      const what = head.length > 1 || from > first ? ` in column "${head[column]}"` : '';
      throw new DatasetError(file, `line ${i + 1}: "${clip(s)}"${what} is not an integer label${from > first ? '' : '; expected one integer per line'}`);
    }
    out[n++] = Number(s);
  }
  if (n === 0) throw new DatasetError(file, 'holds no labels');
  return out.slice(0, n);
}

/** A 32-bit integer, also written as a float with a zero fraction ("3.0", as pandas writes integer columns with NaN). */
function isIntegerText(s: string): boolean {
  return /^[+-]?\d+(\.0*)?$/.test(s) && Math.abs(Number(s)) <= 2147483647;
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

function preview(cells: string[]): string {
  return cells.length > 6 ? `${cells.slice(0, 6).join(', ')}, …` : cells.join(', ');
}
