/** The store: one connection and its repositories. */
import { DatasetsRepo } from './datasets-repo';
import { openDb, type Db, type OpenOptions } from './db';
import { EmbeddingsRepo } from './embeddings-repo';
import { RunsRepo } from './runs-repo';

export { NewerDatabaseError, SCHEMA_VERSION } from './db';

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

  close(): void {
    this.db.close();
  }
}
