/** The store: one connection and its repositories. */
import { DatasetsRepo } from './datasets-repo';
import { openDb, type Db, type OpenOptions } from './db';
import { EmbeddingsRepo } from './embeddings-repo';
import { RunsRepo } from './runs-repo';

export { CorruptDatabaseError, NewerDatabaseError, SCHEMA_VERSION, moveAsideDamaged } from './db';
import type { Dataset } from '../../src-shared/model';

/**
 * A stored dataset, read through a short-lived read-only connection (what a worker process does: main keeps the
 * one writing connection). Throws when there is no such dataset.
 */
export function loadDatasetReadOnly(file: string, id: number): Dataset {
  const store = Store.open(file, { readonly: true });
  try {
    const dataset = store.datasets.load(id);
    if (!dataset) throw new Error(`dataset ${id} does not exist`);
    return dataset;
  } finally {
    store.close();
  }
}

/** The database file in a data folder (the app's, or `--data-dir`). */
export const DB_FILE = 'kmeans-explorer.sqlite';

export class Store {
  readonly datasets: DatasetsRepo;
  readonly runs: RunsRepo;
  readonly embeddings: EmbeddingsRepo;

  constructor(readonly db: Db) {
    this.datasets = new DatasetsRepo(db);
    this.runs = new RunsRepo(db);
    this.embeddings = new EmbeddingsRepo(db);
  }

  static open(file: string, options: OpenOptions = {}): Store {
    return new Store(openDb(file, options));
  }

  getMeta(key: string): string | null {
    return this.db.stmt<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key)?.value ?? null;
  }

  setMeta(key: string, value: string): void {
    this.db.stmt('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** SQLite's data_version: changes when another connection (another process) commits to the file. */
  dataVersion(): number {
    return this.db.raw.pragma('data_version', { simple: true }) as number;
  }

  close(): void {
    this.db.close();
  }
}
