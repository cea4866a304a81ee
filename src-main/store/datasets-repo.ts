/**
 * Stored datasets. The matrix is kept in its own dtype (uint8 stays uint8) in chunks of about 1 MiB
 * (`dataset_chunks`), so a dataset of any size is written and read without one giant BLOB.
 * Datasets are keyed by a SHA-256 of their content: storing the same data twice returns the first one.
 */
import { createHash } from 'node:crypto';
import type { DatasetInfo } from '../../src-shared/api';
import type { CsvLayout, Dataset, DType, ImageShape, MatrixData } from '../../src-shared/model';
import { fromBlob, toBlob } from './blobs';
import type { Db } from './db';

const CHUNK_BYTES = 1 << 20;

interface DatasetRow {
  id: number;
  name: string;
  hash: string;
  n: number;
  d: number;
  dtype: DType;
  scale: number;
  chunk_rows: number;
  label_names: string | null;
  image_shape: string | null;
  column_names: string | null;
  source: string;
  created_at: number;
  run_count: number;
  has_labels: number;
}

const INFO_COLUMNS = `id, name, hash, n, d, dtype, scale, chunk_rows, label_names, image_shape, column_names, source, created_at,
  labels IS NOT NULL AS has_labels, (SELECT count(*) FROM runs WHERE runs.dataset_id = datasets.id) AS run_count`;

/** Content hash of a dataset: dtype, shape, scale, matrix bytes, labels, label names and image shape. */
export function datasetHash(ds: Dataset): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ dtype: ds.dtype, n: ds.n, d: ds.d, scale: ds.scale, labelNames: ds.labelNames ?? null, imageShape: ds.imageShape ?? null }));
  h.update(new Uint8Array(ds.data.buffer, ds.data.byteOffset, ds.data.byteLength));
  if (ds.labels) h.update(new Uint8Array(ds.labels.buffer, ds.labels.byteOffset, ds.labels.byteLength));
  return h.digest('hex');
}

function bytesPerValue(dtype: DType): number {
  return dtype === 'uint8' ? 1 : 4;
}

export class DatasetsRepo {
  /** Rows per true label by dataset id (datasets never change, so counted once per connection). */
  private readonly classCounts = new Map<number, number[]>();

  constructor(private readonly db: Db) {}

  /**
   * Stores `ds` unless a dataset with the same content hash exists; returns the stored one and whether it existed.
   * The whole dataset is written in one transaction.
   */
  insert(ds: Dataset, now = Date.now()): { info: DatasetInfo; existed: boolean } {
    checkDataset(ds);
    const hash = datasetHash(ds);
    const existing = this.db.stmt<[string], { id: number }>('SELECT id FROM datasets WHERE hash = ?').get(hash);
    if (existing) return { info: this.get(existing.id)!, existed: true };
    const rowBytes = ds.d * bytesPerValue(ds.dtype);
    const chunkRows = Math.max(1, Math.floor(CHUNK_BYTES / rowBytes));
    const id = this.db.transaction(() => {
      const r = this.db
        .stmt(
          `INSERT INTO datasets (name, hash, n, d, dtype, scale, chunk_rows, labels, label_names, image_shape, column_names, source, created_at, csv_layout)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          ds.name,
          hash,
          ds.n,
          ds.d,
          ds.dtype,
          ds.scale,
          chunkRows,
          ds.labels ? toBlob(ds.labels) : null,
          ds.labelNames ? JSON.stringify(ds.labelNames) : null,
          ds.imageShape ? JSON.stringify(ds.imageShape) : null,
          ds.columnNames ? JSON.stringify(ds.columnNames) : null,
          ds.source,
          now,
          ds.csv ? JSON.stringify(ds.csv) : null,
        );
      const datasetId = Number(r.lastInsertRowid);
      const insertChunk = this.db.stmt('INSERT INTO dataset_chunks (dataset_id, chunk, data) VALUES (?, ?, ?)');
      for (let c = 0, start = 0; start < ds.n; c++, start += chunkRows) {
        const end = Math.min(ds.n, start + chunkRows);
        insertChunk.run(datasetId, c, toBlob(ds.data.subarray(start * ds.d, end * ds.d)));
      }
      return datasetId;
    });
    return { info: this.get(id)!, existed: false };
  }

  list(): DatasetInfo[] {
    return this.db
      .stmt<[], DatasetRow>(`SELECT ${INFO_COLUMNS} FROM datasets ORDER BY id`)
      .all()
      .map((r) => this.toInfo(r));
  }

  get(id: number): DatasetInfo | null {
    const row = this.db.stmt<[number], DatasetRow>(`SELECT ${INFO_COLUMNS} FROM datasets WHERE id = ?`).get(id);
    return row ? this.toInfo(row) : null;
  }

  /** How a CSV dataset's columns became its matrix; null for other formats (and CSV datasets stored before it was kept). */
  csvLayout(id: number): CsvLayout | null {
    const row = this.db.stmt<[number], { csv_layout: string | null }>('SELECT csv_layout FROM datasets WHERE id = ?').get(id);
    return row?.csv_layout ? (JSON.parse(row.csv_layout) as CsvLayout) : null;
  }

  /** True labels (length n) or null. */
  labels(id: number): Int32Array | null {
    const row = this.db.stmt<[number], { labels: Buffer | null }>('SELECT labels FROM datasets WHERE id = ?').get(id);
    return row?.labels ? fromBlob(row.labels, Int32Array) : null;
  }

  /** The whole dataset in memory, or null when the id does not exist. */
  load(id: number): Dataset | null {
    const row = this.db.stmt<[number], DatasetRow>(`SELECT ${INFO_COLUMNS} FROM datasets WHERE id = ?`).get(id);
    if (!row) return null;
    const data: MatrixData = row.dtype === 'uint8' ? new Uint8Array(row.n * row.d) : new Float32Array(row.n * row.d);
    const bytes = new Uint8Array(data.buffer);
    let offset = 0;
    for (const chunk of this.db
      .stmt<[number], { data: Buffer }>('SELECT data FROM dataset_chunks WHERE dataset_id = ? ORDER BY chunk')
      .iterate(id)) {
      bytes.set(chunk.data, offset);
      offset += chunk.data.byteLength;
    }
    if (offset !== bytes.byteLength) throw new Error(`dataset ${id} is corrupt: ${offset} of ${bytes.byteLength} matrix bytes stored`);
    return {
      name: row.name,
      source: row.source,
      n: row.n,
      d: row.d,
      dtype: row.dtype,
      scale: row.scale,
      data,
      labels: this.labels(id) ?? undefined,
      labelNames: row.label_names ? (JSON.parse(row.label_names) as string[]) : undefined,
      imageShape: row.image_shape ? (JSON.parse(row.image_shape) as ImageShape) : undefined,
      columnNames: row.column_names ? (JSON.parse(row.column_names) as string[]) : undefined,
    };
  }

  /** Deletes the dataset, its chunks and its runs. Returns false when it did not exist. */
  delete(id: number): boolean {
    this.classCounts.delete(id);
    return this.db.stmt('DELETE FROM datasets WHERE id = ?').run(id).changes > 0;
  }

  private countClasses(id: number, classes: number): number[] {
    let counts = this.classCounts.get(id);
    if (!counts) {
      const labels = this.labels(id)!;
      counts = new Array<number>(classes).fill(0);
      for (const v of labels) if (v >= 0 && v < classes) counts[v]++;
      this.classCounts.set(id, counts);
    }
    return [...counts];
  }

  private toInfo(r: DatasetRow): DatasetInfo {
    const labelNames = r.label_names ? (JSON.parse(r.label_names) as string[]) : null;
    const classCounts = labelNames && r.has_labels ? this.countClasses(r.id, labelNames.length) : null;
    return {
      id: r.id,
      name: r.name,
      n: r.n,
      d: r.d,
      dtype: r.dtype,
      scale: r.scale,
      labelNames,
      classCounts,
      imageShape: r.image_shape ? (JSON.parse(r.image_shape) as ImageShape) : null,
      columnNames: r.column_names ? (JSON.parse(r.column_names) as string[]) : null,
      source: r.source,
      hash: r.hash,
      createdAt: r.created_at,
      runCount: r.run_count,
    };
  }
}

function checkDataset(ds: Dataset): void {
  if (!Number.isInteger(ds.n) || ds.n < 1 || !Number.isInteger(ds.d) || ds.d < 1) throw new Error(`invalid dataset shape ${ds.n} × ${ds.d}`);
  const ok = ds.dtype === 'uint8' ? ds.data instanceof Uint8Array : ds.data instanceof Float32Array;
  if (!ok) throw new Error(`dataset dtype ${ds.dtype} does not match its ${ds.data.constructor.name}`);
  if (ds.data.length !== ds.n * ds.d) throw new Error(`dataset data has ${ds.data.length} values, expected n × d = ${ds.n * ds.d}`);
  if (ds.labels && ds.labels.length !== ds.n) throw new Error(`dataset has ${ds.labels.length} labels for ${ds.n} rows`);
}
