/** Polls the stored run until `until` holds (a status, a silhouette state): what job tests wait on. */
import type { RunInfo } from '../../src-shared/api';
import type { Store } from '../../src-main/store';

export function waitForRun(store: Store, runId: number, until: (run: RunInfo) => boolean, timeoutMs = 30_000): Promise<RunInfo> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const tick = (): void => {
      const run = store.runs.get(runId)!;
      if (until(run)) return resolve(run);
      if (Date.now() - t0 > timeoutMs) return reject(new Error(`run ${runId} still ${run.status} (silhouette ${run.silhouetteState})`));
      setTimeout(tick, 10);
    };
    tick();
  });
}

/** A done run whose silhouette is no longer pending (or a run that ended without a result). */
export const silhouetteSettled = (run: RunInfo): boolean =>
  run.status !== 'queued' && run.status !== 'running' && run.silhouetteState !== 'pending';
