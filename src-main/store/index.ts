/** The store: one connection and its repositories. */
import { DatasetsRepo } from './datasets-repo';
import { openDb, type Db, type OpenOptions } from './db';
import { EmbeddingsRepo } from './embeddings-repo';
import { RunsRepo } from './runs-repo';

export { CorruptDatabaseError, NewerDatabaseError, SCHEMA_VERSION, moveAsideDamaged } from './db';
import type { DatasetInfo } from '../../src-shared/api';
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

/** A done run's saved labels (length n), read through a short-lived read-only connection. Throws when it has none. */
export function loadRunLabelsReadOnly(file: string, runId: number): Int32Array {
  const store = Store.open(file, { readonly: true });
  try {
    const labels = store.runs.arrays(runId, ['labels'])?.labels;
    if (!labels) throw new Error(`run ${runId} has no saved labels (it was deleted, or is not done)`);
    return labels;
  } finally {
    store.close();
  }
}

/** A stored dataset's info (shape, dtype, content hash), read through a short-lived read-only connection; null when there is no such dataset. */
export function storedDatasetInfo(file: string, id: number): DatasetInfo | null {
  const store = Store.open(file, { readonly: true });
  try {
    return store.datasets.get(id);
  } finally {
    store.close();
  }
}

/** How long a worker's dataset write waits for main's lock: a busy timeout per attempt, and attempts. */
export interface WriteRetry {
  busyTimeoutMs: number;
  attempts: number;
}

/**
 * Stores a parsed dataset from a worker process through its own short-lived connection beside main's (WAL: main
 * keeps reading while it writes), in one transaction, so a large import never blocks main's event loop. A lock
 * held by another connection (SQLITE_BUSY / SQLITE_LOCKED) is waited for `busyTimeoutMs` and retried up to
 * `attempts` times; any other error (a full disk) is thrown at once with its SQLite code, for main to report.
 */
export async function insertDatasetInFile(
  file: string,
  ds: Dataset,
  retry: WriteRetry = { busyTimeoutMs: 5000, attempts: 12 },
): Promise<{ id: number; existed: boolean }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const store = Store.open(file, { busyTimeoutMs: retry.busyTimeoutMs, quickCheck: false });
      try {
        const { info, existed } = store.datasets.insert(ds);
        return { id: info.id, existed };
      } finally {
        store.close();
      }
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (attempt >= retry.attempts || typeof code !== 'string' || !/^SQLITE_(BUSY|LOCKED)/.test(code)) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
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
