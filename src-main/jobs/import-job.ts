/**
 * Parses a dataset in a worker process (same entry and launcher as the clustering jobs), so a large or
 * malformed file neither blocks nor crashes main. Main stores the returned Dataset.
 */
import type { Dataset } from '../../src-shared/model';
import type { Launcher } from './launcher';
import type { ImportSpec } from './protocol';

/** Resolves with the parsed dataset; rejects with the parser's error (its `name` kept, e.g. DatasetError). */
export function importInWorker(launcher: Launcher, spec: ImportSpec, onProgress?: (fraction: number) => void): Promise<Dataset> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const worker = launcher.launch();
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
