import type { Migration } from './migration';

/** Datasets (matrix in chunked BLOBs), runs with their arrays, and app metadata. */
export const m0001Initial: Migration = {
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE datasets (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE,
        n INTEGER NOT NULL CHECK (n >= 1),
        d INTEGER NOT NULL CHECK (d >= 1),
        dtype TEXT NOT NULL CHECK (dtype IN ('uint8', 'float32')),
        scale REAL NOT NULL,
        chunk_rows INTEGER NOT NULL CHECK (chunk_rows >= 1),
        labels BLOB,
        label_names TEXT,
        image_shape TEXT,
        source TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE dataset_chunks (
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        chunk INTEGER NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (dataset_id, chunk)
      ) STRICT;

      CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        algorithm TEXT NOT NULL,
        k INTEGER NOT NULL,
        seed INTEGER NOT NULL,
        params TEXT NOT NULL,
        silhouette TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled', 'interrupted')),
        error TEXT,
        sweep_id TEXT,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        finished_at INTEGER,
        fit_ms REAL,
        metrics_ms REAL,
        n_iter INTEGER,
        inertia REAL,
        metrics TEXT,
        cluster_sizes TEXT
      ) STRICT;
      CREATE INDEX runs_by_dataset ON runs(dataset_id);
      CREATE INDEX runs_by_status ON runs(status);
      CREATE INDEX runs_by_sweep ON runs(sweep_id);

      CREATE TABLE run_arrays (
        run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
        centers BLOB NOT NULL,
        labels BLOB NOT NULL,
        history BLOB NOT NULL,
        silhouette_exact INTEGER,
        silhouette_indices BLOB,
        silhouette_values BLOB
      ) STRICT;
    `);
  },
};
