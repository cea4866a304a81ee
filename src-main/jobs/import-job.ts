/**
 * One-shot work in a worker process (same entry and launcher as the clustering jobs), so a large or malformed
 * file neither blocks nor crashes main: parsing a dataset (main stores the returned Dataset), and turning a
 * labeling made elsewhere into an external run (main stores the returned run).
 */
import type { Dataset } from '../../src-shared/model';
import type { ExternalRun } from '../external-run';
import type { Launcher } from './launcher';
import type { FromWorker, ImportSpec, LabelingSpec, ToWorker } from './protocol';

const STOPPED = 'was stopped: the app is shutting down';

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
  return oneShot(launcher, { type: 'import', spec }, (m) => (m.type === 'imported' ? m.dataset : undefined), 'import', onProgress, signal);
}

/** Resolves with the external run (every metric computed); rejects with the error of a bad labels file (DatasetError). */
export function labelingInWorker(launcher: Launcher, spec: LabelingSpec, signal?: AbortSignal): Promise<ExternalRun> {
  return oneShot(launcher, { type: 'labeling', spec }, (m) => (m.type === 'labeled' ? m.made : undefined), 'labeling import', undefined, signal);
}

function oneShot<T>(
  launcher: Launcher,
  message: ToWorker,
  pick: (m: FromWorker) => T | undefined,
  what: string,
  onProgress?: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error(`the ${what} ${STOPPED}`));
    let settled = false;
    const worker = launcher.launch();
    signal?.addEventListener(
      'abort',
      () => {
        if (settled) return;
        settled = true;
        worker.kill();
        reject(new Error(`the ${what} ${STOPPED}`));
      },
      { once: true },
    );
    worker.onMessage((m) => {
      if (settled) return;
      if (m.type === 'import-progress') return onProgress?.(m.fraction);
      const value = pick(m);
      if (value !== undefined) {
        settled = true;
        worker.kill();
        resolve(value);
      } else if (m.type === 'error') {
        settled = true;
        worker.kill();
        const err = new Error(m.message);
        err.name = m.name;
        reject(err);
      }
    });
    worker.onExit((exit) => {
      if (settled) return;
      settled = true;
      const how = exit.signal ? `was killed (${exit.signal})` : `exited with code ${exit.code}`;
      reject(new Error(`the ${what} process ${how} before finishing (out of memory?)`));
    });
    worker.send(message);
  });
}
