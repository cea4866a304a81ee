/**
 * Notices runs and datasets written to the database by another process (`cluster --save`, `score --save`)
 * while the app is open, and announces them as the app's own are announced (`run/updated`, `dataset/imported`),
 * so the open windows show them without a restart.
 *
 * How: SQLite's `PRAGMA data_version` changes only when another connection commits, so a poll costs one pragma
 * while nothing happens; on a change the runs and datasets newer than those already announced are sent.
 * Every tick is guarded: a database error is logged and retried at the next tick, never thrown.
 */
import type { DatasetInfo, RunInfo } from '../src-shared/api';
import type { Store } from './store';

export interface ExternalChangeEvents {
  runAdded(run: RunInfo): void;
  datasetChanged(dataset: DatasetInfo): void;
  /** True for a run this process created and announced itself (not announced again). */
  isOwn?(runId: number): boolean;
}

/** Polls every `intervalMs`; returns the function that stops it. */
export function watchExternalChanges(store: Store, events: ExternalChangeEvents, intervalMs = 1000): () => void {
  let version = store.dataVersion();
  let lastRun = maxId(store.runs.list());
  let lastDataset = maxId(store.datasets.list());
  const tick = (): void => {
    try {
      const now = store.dataVersion();
      if (now === version) return;
      version = now;
      const newer = store.runs.list().filter((r) => r.id > lastRun);
      lastRun = Math.max(lastRun, maxId(newer));
      const runs = newer.filter((r) => !events.isOwn?.(r.id)).reverse();
      const datasets = store.datasets.list();
      const touched = new Set(runs.map((r) => r.datasetId));
      for (const d of datasets) if (d.id > lastDataset || touched.has(d.id)) events.datasetChanged(d);
      for (const r of runs) events.runAdded(r);
      lastDataset = Math.max(lastDataset, maxId(datasets));
    } catch (e) {
      console.error('could not check the database for runs saved by another process:', e);
    }
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref?.();
  return () => clearInterval(timer);
}

function maxId(rows: { id: number }[]): number {
  return rows.reduce((m, r) => Math.max(m, r.id), 0);
}
