/**
 * Cached 2-D maps of datasets (`embeddings`), one per dataset, preprocessing, method and seed. Computing one is
 * slow (a worker job); reading one back is a single row. Deleting a dataset deletes its maps (foreign key).
 */
import type { EmbeddingKind, EmbeddingMethod } from '../../src-shared/api';
import type { Preprocessing } from '../../src-shared/model';
import { fromBlob, toBlob } from './blobs';
import type { Db } from './db';

export interface EmbeddingKey {
  datasetId: number;
  preprocessing: Preprocessing;
  method: EmbeddingMethod;
  seed: number;
}

export interface StoredEmbedding {
  /** What the coordinates are: the method's output, or the data itself when it has 2 columns. */
  kind: EmbeddingKind;
  /** n × 2, row-major. */
  coords: Float32Array;
  /** PCA: the ratio of each axis; null otherwise. */
  explainedVarianceRatio: number[] | null;
  /** Time the worker took, ms. */
  computeMs: number;
  createdAt: number;
}

interface Row {
  kind: EmbeddingKind;
  n: number;
  coords: Buffer;
  explained_variance_ratio: string | null;
  compute_ms: number;
  created_at: number;
}

export class EmbeddingsRepo {
  constructor(private readonly db: Db) {}

  get(key: EmbeddingKey): StoredEmbedding | null {
    const row = this.db
      .stmt<[number, string, string, number], Row>(
        `SELECT kind, n, coords, explained_variance_ratio, compute_ms, created_at FROM embeddings
         WHERE dataset_id = ? AND preprocessing = ? AND method = ? AND seed = ?`,
      )
      .get(key.datasetId, key.preprocessing, key.method, key.seed);
    if (!row) return null;
    const coords = fromBlob(row.coords, Float32Array);
    if (coords.length !== row.n * 2) throw new Error(`the cached map of dataset ${key.datasetId} is corrupt: ${coords.length} values for ${row.n} rows`);
    return {
      kind: row.kind,
      coords,
      explainedVarianceRatio: row.explained_variance_ratio ? (JSON.parse(row.explained_variance_ratio) as number[]) : null,
      computeMs: row.compute_ms,
      createdAt: row.created_at,
    };
  }

  /** Stores (or replaces) the map of `key`. */
  put(key: EmbeddingKey, e: Omit<StoredEmbedding, 'createdAt'>, now = Date.now()): void {
    this.db
      .stmt(
        `INSERT INTO embeddings (dataset_id, preprocessing, method, seed, kind, n, coords, explained_variance_ratio, compute_ms, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (dataset_id, preprocessing, method, seed) DO UPDATE SET kind = excluded.kind, n = excluded.n,
           coords = excluded.coords, explained_variance_ratio = excluded.explained_variance_ratio,
           compute_ms = excluded.compute_ms, created_at = excluded.created_at`,
      )
      .run(
        key.datasetId, key.preprocessing, key.method, key.seed, e.kind, e.coords.length / 2, toBlob(e.coords),
        e.explainedVarianceRatio ? JSON.stringify(e.explainedVarianceRatio) : null, e.computeMs, now,
      );
  }
}
