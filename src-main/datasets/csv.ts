import { createReadStream, closeSync, openSync, readSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse, type Info } from 'csv-parse';
import type { Dataset } from '../../src-shared/model';
import { DatasetError, displayName } from './errors';
import { fileSystemError } from './files';
import { DEFAULT_LIMITS, formatBytes, type ImportLimits } from './limits';
import { encodeStringLabels } from './ndarray';

/**
 * CSV / TSV of numbers, streamed (never read as one string): optional header, optional label column.
 * Features become float32 (scale 1); a label column holds integers or strings, mapped to 0 … K − 1.
 */
export interface CsvOptions {
  /**
   * The label column: a header name (case-insensitive), a 1-based column number, or 'none'.
   * Default: the column named label, class, target or y, else a last column of names (letters); without a header,
   * a non-numeric first or last column.
   */
  labelColumn?: string;
  /** Whether the first row is a header. Default 'auto': a first row with names where the second has numbers. */
  header?: boolean | 'auto';
  /** Field delimiter. Default: from the extension (.tsv → tab), else the most frequent of , ; tab in the first line. */
  delimiter?: string;
  limits?: ImportLimits;
  /** Fraction of the input read, 0 … 1. */
  onProgress?: (fraction: number) => void;
}

export const LABEL_COLUMN_NAMES = ['label', 'class', 'target', 'y'];

/** Streams a CSV/TSV file from disk. */
export async function readCsvFile(path: string, opts: CsvOptions = {}): Promise<Dataset> {
  let size: number;
  let head: Uint8Array;
  try {
    size = statSync(path).size;
    const fd = openSync(path, 'r');
    try {
      head = new Uint8Array(Math.min(size, 65536));
      readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw fileSystemError(path, e);
  }
  return parseCsvStream(path, createReadStream(path, { highWaterMark: 1 << 20 }), head, size, opts);
}

/** Parses a CSV/TSV held in memory (a dropped file), in 1 MB chunks. */
export async function parseCsvBytes(name: string, bytes: Uint8Array, opts: CsvOptions = {}): Promise<Dataset> {
  function* chunks(): Generator<Buffer> {
    for (let i = 0; i < bytes.length; i += 1 << 20) {
      const part = bytes.subarray(i, i + (1 << 20));
      yield Buffer.from(part.buffer, part.byteOffset, part.byteLength);
    }
  }
  return parseCsvStream(name, Readable.from(chunks()), bytes.subarray(0, 65536), bytes.length, opts);
}

/** The delimiter of a text: the most frequent of comma, tab and semicolon outside quotes in its first line. */
export function sniffDelimiter(file: string, head: Uint8Array): string {
  if (/\.tsv(\.gz)?$|\.tab$/i.test(file)) return '\t';
  const text = new TextDecoder().decode(head.subarray(0, 65536));
  const counts: Record<string, number> = { ',': 0, '\t': 0, ';': 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch in counts) counts[ch]++;
  }
  let best = ',';
  for (const ch of ['\t', ';']) if (counts[ch] > counts[best]) best = ch;
  // numbers separated only by spaces (np.savetxt's default, many .txt files): say so rather than fail cell by cell
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  if (counts[best] === 0 && /^\s*[-+]?[\d.]+(e[-+]?\d+)?(\s+[-+]?[\d.]+(e[-+]?\d+)?)+\s*$/i.test(first)) {
    throw new DatasetError(
      file,
      'has numbers separated by spaces; expected values separated by commas, semicolons or tabs (save it with np.savetxt(path, X, delimiter=",") or as .tsv)',
    );
  }
  return best;
}

/** csv-parse's error codes in plain words. */
const CSV_PROBLEMS: Record<string, string> = {
  INVALID_OPENING_QUOTE: 'a quote (") starts in the middle of a value',
  CSV_INVALID_OPENING_QUOTE: 'a quote (") starts in the middle of a value',
  CSV_INVALID_CLOSING_QUOTE: 'a quoted value goes on after its closing quote',
  CSV_QUOTE_NOT_CLOSED: 'a quote (") is opened and never closed',
  CSV_MAX_RECORD_SIZE: 'a line is longer than 64 MB',
};

/** A CSV syntax error as "is not a table of numbers: <what> at line N. Expected …". */
function csvSyntaxError(file: string, err: NodeJS.ErrnoException & { lines?: number }): DatasetError {
  const what = CSV_PROBLEMS[err.code ?? ''] ?? err.message.replace(/^[A-Z][\w ]*:\s*/, '');
  const where = typeof err.lines === 'number' ? ` at line ${err.lines}` : '';
  return new DatasetError(
    file,
    `is not a table of numbers: ${what}${where}. Expected one row per line, values separated by commas, semicolons or tabs, quotes only around a whole value (like 1.5,2,"cat")`,
  );
}

type Cell = { ok: true; value: number } | { ok: false; problem: string };

const NAN_INF = /^[+-]?(nan|inf|infinity)$/i;
const FLOAT32_MAX = 3.4028234663852886e38;

function parseCell(text: string): Cell {
  const s = text.trim();
  if (s === '') return { ok: false, problem: 'the cell is empty' };
  if (NAN_INF.test(s)) return { ok: false, problem: `${s}: NaN and infinite values are not allowed` };
  const v = Number(s);
  if (Number.isNaN(v) && /^[+-]?\d+,\d+$/.test(s)) {
    return { ok: false, problem: `"${s}" is not a number: decimals must be written with a point (${s.replace(',', '.')}), not a comma` };
  }
  if (Number.isNaN(v)) return { ok: false, problem: `"${s.length > 40 ? s.slice(0, 40) + '…' : s}" is not a number` };
  if (!Number.isFinite(v) || Math.abs(v) > FLOAT32_MAX) return { ok: false, problem: `${s} is outside the float32 range` };
  return { ok: true, value: v };
}

function looksNumeric(text: string): boolean {
  const s = text.trim();
  return s !== '' && (NAN_INF.test(s) || !Number.isNaN(Number(s)));
}

interface Row {
  cells: string[];
  line: number;
}

async function parseCsvStream(
  file: string,
  source: Readable,
  head: Uint8Array,
  totalBytes: number,
  opts: CsvOptions,
): Promise<Dataset> {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const delimiter = opts.delimiter ?? sniffDelimiter(file, head);
  const parser = parse({
    delimiter,
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: false,
    max_record_size: 64 * 1024 * 1024,
  });
  const piping = pipeline(source, parser).catch(() => undefined); // errors surface through the iteration below
  const builder = new CsvBuilder(file, opts, limits, delimiter);
  let lastReport = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      builder.add({ cells: record, line: info.lines });
      if (opts.onProgress && totalBytes > 0 && info.bytes - lastReport > 1 << 20) {
        lastReport = info.bytes;
        opts.onProgress(Math.min(1, info.bytes / totalBytes));
      }
    }
  } catch (e) {
    source.destroy();
    parser.destroy();
    if (e instanceof DatasetError) throw e;
    const err = e as NodeJS.ErrnoException;
    if (typeof err.code === 'string' && (err.code.startsWith('CSV_') || err.code === 'INVALID_OPENING_QUOTE')) {
      throw csvSyntaxError(file, err);
    }
    if (typeof err.code === 'string' && err.code.startsWith('E')) throw fileSystemError(file, e, limits);
    throw new DatasetError(file, `cannot be read as CSV (${err.message})`);
  }
  await piping;
  opts.onProgress?.(1);
  return builder.finish(totalBytes);
}

/** Accumulates rows into a growing float32 matrix; decides header and label column from the first two rows. */
class CsvBuilder {
  private pending: Row[] = [];
  private started = false;
  private columns: string[] | null = null;
  private width = 0;
  private firstLine = 0;
  private labelIndex = -1;
  /** A row-index column (pandas' to_csv writes one, with an empty name), left out of the features; −1: none. */
  private indexIndex = -1;
  private d = 0;
  private n = 0;
  private data = new Float32Array(0);
  private labelCells: string[] = [];

  constructor(
    private readonly file: string,
    private readonly opts: CsvOptions,
    private readonly limits: ImportLimits,
    private readonly delimiter: string,
  ) {}

  add(row: Row): void {
    if (this.started) return this.addData(row);
    this.pending.push(row);
    if (this.pending.length === 2) this.start();
  }

  finish(totalBytes: number): Dataset {
    if (!this.started) this.start();
    if (this.n === 0) throw new DatasetError(this.file, totalBytes === 0 ? 'is empty' : 'has a header but no data rows');
    const base = displayName(this.file).replace(/\.(csv|tsv|tab|txt)$/i, '');
    const dataset: Dataset = {
      name: base,
      source: this.file,
      n: this.n,
      d: this.d,
      dtype: 'float32',
      data: this.data.length === this.n * this.d ? this.data : this.data.slice(0, this.n * this.d),
      scale: 1,
      csv: {
        delimiter: this.delimiter, header: this.columns !== null, labelColumn: this.labelIndex >= 0 ? this.labelIndex : null,
        indexColumn: this.indexIndex >= 0 ? this.indexIndex : null, width: this.width,
      },
    };
    if (this.labelIndex >= 0) Object.assign(dataset, encodeStringLabels(this.labelCells.map((s) => s.trim())));
    if (this.columns) dataset.columnNames = this.columns.filter((_, j) => j !== this.labelIndex && j !== this.indexIndex);
    return dataset;
  }

  private start(): void {
    this.started = true;
    const [first, second] = this.pending;
    this.pending = [];
    if (!first) return;
    const header = this.decideHeader(first, second);
    this.width = first.cells.length;
    this.firstLine = first.line;
    if (header) this.columns = first.cells.map((c) => c.trim());
    this.labelIndex = this.decideLabelColumn(header ? second : first);
    this.indexIndex = this.decideIndexColumn(header ? second : first);
    this.d = this.width - (this.labelIndex >= 0 ? 1 : 0) - (this.indexIndex >= 0 ? 1 : 0);
    if (this.d === 0) throw new DatasetError(this.file, 'has no feature columns besides the label column');
    if (!header) this.addData(first);
    if (second) this.addData(second);
  }

  private decideHeader(first: Row, second: Row | undefined): boolean {
    const { header = 'auto', labelColumn } = this.opts;
    if (header !== 'auto') return header;
    const names = first.cells.map((c) => c.trim().toLowerCase());
    if (names.every((c) => looksNumeric(c))) return false;
    const wanted = labelColumn?.toLowerCase();
    if (names.some((c) => LABEL_COLUMN_NAMES.includes(c) || c === wanted)) return true;
    if (!second) return names.every((c) => !looksNumeric(c));
    return first.cells.some((c, j) => !looksNumeric(c) && second.cells[j] !== undefined && looksNumeric(second.cells[j]));
  }

  private decideLabelColumn(firstData: Row | undefined): number {
    const { labelColumn } = this.opts;
    const columns = this.columns;
    if (labelColumn !== undefined && labelColumn !== '') {
      if (labelColumn.toLowerCase() === 'none') return -1;
      if (columns) {
        const i = columns.findIndex((c) => c.toLowerCase() === labelColumn.toLowerCase());
        if (i >= 0) return i;
      }
      if (/^\d+$/.test(labelColumn)) {
        const i = Number(labelColumn) - 1;
        if (i >= 0 && i < this.width) return i;
        throw new DatasetError(this.file, `label column ${labelColumn} does not exist: the file has ${this.width} columns`);
      }
      throw new DatasetError(
        this.file,
        columns
          ? `has no column named "${labelColumn}" (columns: ${preview(columns)})`
          : `has no header, so the label column "${labelColumn}" must be given as a column number`,
      );
    }
    if (columns) {
      // By name, in priority order: a column named "label" wins over one named "y".
      const lower = columns.map((c) => c.toLowerCase());
      for (const name of LABEL_COLUMN_NAMES) {
        const j = lower.indexOf(name);
        if (j >= 0) return j;
      }
      // else a last column of names (iris.csv's "species": letters, not a number with a decimal comma)
      const last = firstData?.cells[this.width - 1]?.trim() ?? '';
      const othersNumeric = firstData?.cells.slice(0, -1).every((c) => looksNumeric(c)) ?? false;
      return this.width > 1 && /\p{L}/u.test(last) && !looksNumeric(last) && othersNumeric ? this.width - 1 : -1;
    }
    if (!firstData) return -1;
    const text = firstData.cells.map((c, j) => (looksNumeric(c) || c.trim() === '' ? -1 : j)).filter((j) => j >= 0);
    if (text.length === 1 && (text[0] === 0 || text[0] === this.width - 1) && this.width > 1) return text[0];
    return -1;
  }

  /**
   * The row index pandas' `to_csv` writes by default: a first column with an empty name (or "Unnamed: 0", as
   * pandas reads it back) that holds integers. Left out, as `pd.read_csv(…, index_col=0)` would.
   */
  private decideIndexColumn(firstData: Row | undefined): number {
    const name = this.columns?.[0]?.toLowerCase();
    if (name === undefined || !(name === '' || /^unnamed: ?0$/.test(name)) || this.labelIndex === 0 || this.width < 2) return -1;
    return firstData !== undefined && /^\s*-?\d+\s*$/.test(firstData.cells[0] ?? '') ? 0 : -1;
  }

  private addData(row: Row): void {
    const { cells, line } = row;
    if (cells.length !== this.width) {
      throw new DatasetError(
        this.file,
        `line ${line} has ${cells.length} column${cells.length === 1 ? '' : 's'}, expected ${this.width} like line ${this.firstLine}`,
      );
    }
    const { d, labelIndex } = this;
    if ((this.n + 1) * d > this.data.length) this.grow();
    let at = this.n * d;
    for (let j = 0; j < cells.length; j++) {
      if (j === labelIndex || j === this.indexIndex) continue;
      const cell = parseCell(cells[j]);
      if (!cell.ok) {
        const where = `column ${j + 1}${this.columns ? ` (${this.columns[j]})` : ''}`;
        // a column of text on the first data row (names, ids): say what may hold text, and how to choose it
        const textColumn = this.n === 0 && /\p{L}/u.test(cells[j]) && !looksNumeric(cells[j]);
        const hint = textColumn
          ? `. Every column but the label column must hold numbers${labelIndex >= 0 ? ` (the label column is ${labelIndex + 1}${this.columns ? `, ${this.columns[labelIndex]}` : ''})` : ''}: remove ${where}, or choose it as the label column`
          : '';
        throw new DatasetError(this.file, `line ${line}, ${where}: ${cell.problem}${hint}`);
      }
      this.data[at++] = cell.value;
    }
    if (labelIndex >= 0) {
      const label = cells[labelIndex].trim();
      if (label === '') throw new DatasetError(this.file, `line ${line}, column ${labelIndex + 1}${this.columns ? ` (${this.columns[labelIndex]})` : ''}: the label is empty`);
      this.labelCells.push(label);
    }
    this.n++;
  }

  private grow(): void {
    const rows = Math.max(1024, this.n * 2);
    const bytes = rows * this.d * 4;
    const needed = (this.n + 1) * this.d * 4;
    if (needed > this.limits.maxMatrixBytes) {
      throw new DatasetError(this.file, `has more than ${this.n} rows × ${this.d} columns, more than the limit of ${formatBytes(this.limits.maxMatrixBytes)} of float32 values`);
    }
    const capped = Math.min(bytes, Math.floor(this.limits.maxMatrixBytes / (this.d * 4)) * this.d * 4);
    const next = new Float32Array(capped / 4);
    next.set(this.data.subarray(0, this.n * this.d));
    this.data = next;
  }
}

function preview(names: string[]): string {
  return names.length <= 8 ? names.join(', ') : `${names.slice(0, 8).join(', ')}, … ${names.length} in all`;
}
