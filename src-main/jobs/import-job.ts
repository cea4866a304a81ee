/**
 * One-shot work in a worker process (same entry and launcher as the clustering jobs), so a large or malformed
 * file neither blocks nor crashes main: parsing and storing a dataset (main registers it), and turning a
 * labeling made elsewhere into an external run (main stores the returned run).
 */
import type { ExternalRun } from '../external-run';
import type { Launcher } from './launcher';
import { runOneShot } from './one-shot';
import type { ImportSpec, LabelingSpec } from './protocol';

/**
 * An import in a worker that also stores it into `spec.dbPath`: parse, then, unless `signal` was aborted by then,
 * main's go-ahead and the write in the worker. A cancel before the go-ahead kills the worker; after it, the write
 * finishes (the caller removes a dataset it did not want), so a kill never races a commit.
 * Resolves with the stored dataset's id; rejects with the parser's error (its `name` kept, e.g. DatasetError) or
 * the write's error (its SQLite `code` kept, so SQLITE_FULL stays a `busy` reply).
 */
export function importInWorker(
  launcher: Launcher,
  spec: ImportSpec,
  onProgress?: (phase: 'parse' | 'store', fraction: number) => void,
  signal?: AbortSignal,
): Promise<{ datasetId: number; existed: boolean }> {
  let storing = false;
  return runOneShot(launcher, { type: 'import', spec }, {
    what: 'the import',
    result: (m) => (m.type === 'import-stored' ? { datasetId: m.datasetId, existed: m.existed } : undefined),
    progress: (m) => (m.type === 'import-progress' ? m.fraction : undefined),
    onProgress: (f) => onProgress?.('parse', f),
    answer: (m) => {
      if (m.type !== 'import-parsed' || signal?.aborted) return undefined;
      storing = true;
      onProgress?.('store', 0);
      return { type: 'store' };
    },
    holdAbort: () => storing,
    signal,
    abortMessage: 'the import was stopped: the app is shutting down',
  });
}

/** Resolves with the external run (every metric computed); rejects with the error of a bad labels file (DatasetError). */
export function labelingInWorker(launcher: Launcher, spec: LabelingSpec, signal?: AbortSignal): Promise<ExternalRun> {
  return runOneShot(launcher, { type: 'labeling', spec }, {
    what: 'the labeling import',
    result: (m) => (m.type === 'labeled' ? m.made : undefined),
    signal,
    abortMessage: 'the labeling import was stopped: the app is shutting down',
  });
}
