/**
 * One-shot work in a worker process (same entry and launcher as the clustering jobs), so a large or malformed
 * file neither blocks nor crashes main: parsing a dataset (main stores the returned Dataset), and turning a
 * labeling made elsewhere into an external run (main stores the returned run).
 */
import type { Dataset } from '../../src-shared/model';
import type { ExternalRun } from '../external-run';
import type { Launcher } from './launcher';
import { runOneShot } from './one-shot';
import type { ImportSpec, LabelingSpec } from './protocol';

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

/** Resolves with the external run (every metric computed); rejects with the error of a bad labels file (DatasetError). */
export function labelingInWorker(launcher: Launcher, spec: LabelingSpec, signal?: AbortSignal): Promise<ExternalRun> {
  return runOneShot(launcher, { type: 'labeling', spec }, {
    what: 'the labeling import',
    result: (m) => (m.type === 'labeled' ? m.made : undefined),
    signal,
    abortMessage: 'the labeling import was stopped: the app is shutting down',
  });
}
