/**
 * Parses a dataset in a worker process (same entry and launcher as the clustering jobs), so a large or
 * malformed file neither blocks nor crashes main. Main stores the returned Dataset.
 */
import type { Dataset } from '../../src-shared/model';
import type { Launcher } from './launcher';
import { runOneShot } from './one-shot';
import type { ImportSpec } from './protocol';

/**
 * Resolves with the parsed dataset; rejects with the parser's error (its `name` kept, e.g. DatasetError).
 * Aborting `signal` kills the worker and rejects at once (the app is closing).
 */
export function importInWorker(
  launcher: Launcher,
  spec: ImportSpec,
  onProgress?: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<Dataset> {
  return runOneShot(launcher, { type: 'import', spec }, {
    what: 'the import',
    result: (m) => (m.type === 'imported' ? m.dataset : undefined),
    progress: (m) => (m.type === 'import-progress' ? m.fraction : undefined),
    onProgress,
    signal,
    abortMessage: 'the import was stopped: the app is shutting down',
  });
}
