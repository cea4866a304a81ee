import type { Migration } from './migration';

/**
 * 2-D maps of datasets, cached per dataset, preprocessing, method and seed (`embeddings`: coords as float32
 * n × 2 row-major), and the feature column names of a dataset (a CSV header; NULL for older datasets and
 * files without one).
 */
export const m0004Embeddings: Migration = {
  name: 'embeddings',
  up(db) {
    db.exec(`
      ALTER TABLE datasets ADD COLUMN column_names TEXT;

      CREATE TABLE embeddings (
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        preprocessing TEXT NOT NULL CHECK (preprocessing IN ('none', 'scale', 'standardize')),
        method TEXT NOT NULL CHECK (method IN ('pca', 'umap')),
        seed INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('pca', 'umap', 'data')),
        n INTEGER NOT NULL,
        coords BLOB NOT NULL,
        explained_variance_ratio TEXT,
        compute_ms REAL NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (dataset_id, preprocessing, method, seed)
      ) STRICT;
    `);
  },
};
