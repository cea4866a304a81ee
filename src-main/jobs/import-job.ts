/**
 * Parses a dataset in a worker process (same entry and launcher as the clustering jobs), so a large or
 * malformed file neither blocks nor crashes main. Main stores the returned Dataset.
 */
import type { Dataset } from '../../src-shared/model';
import type { Launcher } from './launcher';
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
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('the import was stopped: the app is shutting down'));
    let settled = false;
    const worker = launcher.launch();
    signal?.addEventListener(
      'abort',
      () => {
        if (settled) return;
        settled = true;
        worker.kill();
        reject(new Error('the import was stopped: the app is shutting down'));
      },
      { once: true },
    );
    worker.onMessage((m) => {
      if (settled) return;
      if (m.type === 'import-progress') onProgress?.(m.fraction);
      else if (m.type === 'imported') {
        settled = true;
        worker.kill();
        resolve(m.dataset);
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
      reject(new Error(`the import process ${how} before finishing (out of memory?)`));
    });
    worker.send({ type: 'import', spec });
  });
}
