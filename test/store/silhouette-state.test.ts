/**
 * The stored silhouette state of a run (it follows `done`): pending → final (mean and per-sample values written
 * into the saved run) or failed (with the reason); the start-up sweep turns a 'pending' left by a crash into
 * 'failed', both in the repo and when the app's services open the file again.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import type { SilhouetteOptions } from '../../src-shared/api';
import { Services } from '../../src-main/services';
import { DB_FILE, Store } from '../../src-main/store';
import { ChildProcessLauncher } from '../../src-main/jobs/launcher';
import { fakeOutcome, paramsFor, smallDataset } from './fixtures/data';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = makeTempDir('silhouette-state');
  store = Store.open(join(dir, DB_FILE));
});
afterEach(() => {
  store.close();
  removeTempDir(dir);
});

/** A run saved `done` with its silhouette pending (mean and per-sample values not there yet). */
function donePending(silhouette: SilhouetteOptions = { mode: 'sample', sampleSize: 3 }): number {
  const ds = store.datasets.insert(smallDataset(1, 30, 4)).info;
  const run = store.runs.create({ datasetId: ds.id, name: 'r', params: paramsFor(3), preprocessing: 'none', silhouette, sweepId: null });
  store.runs.markRunning(run.id);
  const outcome = fakeOutcome(30, 3, 4);
  expect(store.runs.saveResult(run.id, { ...outcome, metrics: { ...outcome.metrics, silhouette: null }, silhouette: null, silhouettePending: true })).toBe(true);
  return run.id;
}

it('pending, then final: the mean goes into the metrics and the per-sample values into the arrays', () => {
  const id = donePending();
  const pending = store.runs.get(id)!;
  expect(pending).toMatchObject({ status: 'done', silhouetteState: 'pending', silhouetteError: null });
  expect(pending.metrics!.silhouette).toBeNull();
  expect(store.runs.arrays(id)!.silhouette).toBeNull();

  const values = Float64Array.from([0.25, 0.5, -0.125]);
  expect(store.runs.saveSilhouette(id, { value: 0.2083, silhouette: { exact: false, indices: Int32Array.from([2, 7, 9]), values }, metricsMs: 40 })).toBe(true);
  const final = store.runs.get(id)!;
  expect(final).toMatchObject({ status: 'done', silhouetteState: 'final', metricsMs: 40 });
  expect(final.metrics!.silhouette).toBe(0.2083);
  expect(final.metrics!.inertia).toBe(pending.metrics!.inertia);
  const s = store.runs.arrays(id)!.silhouette!;
  expect(Array.from(s.indices)).toEqual([2, 7, 9]);
  expect(Array.from(s.values)).toEqual(Array.from(values));
  // only a pending silhouette is written or failed
  expect(store.runs.saveSilhouette(id, { value: 0.9, silhouette: null, metricsMs: 1 })).toBe(false);
  expect(store.runs.failSilhouette(id, 'late')).toBe(false);
  expect(store.runs.get(id)!.metrics!.silhouette).toBe(0.2083);
});

it('failed keeps the result and says why; a complete result is final, mode none is none', () => {
  const id = donePending();
  expect(store.runs.failSilhouette(id, 'cancelled before the silhouette was computed')).toBe(true);
  expect(store.runs.get(id)).toMatchObject({ status: 'done', silhouetteState: 'failed', silhouetteError: 'cancelled before the silhouette was computed' });
  expect(store.runs.arrays(id)!.labels!.length).toBe(30);
  expect(store.runs.saveSilhouette(id, { value: 0.5, silhouette: null, metricsMs: 1 })).toBe(false);

  const ds = store.datasets.list()[0];
  const whole = store.runs.insertFinished({ datasetId: ds.id, name: 'w', params: paramsFor(3), preprocessing: 'none', silhouette: { mode: 'sample' }, sweepId: null }, fakeOutcome(30, 3, 4));
  expect(whole.silhouetteState).toBe('final');
  const none = donePending({ mode: 'none' });
  expect(store.runs.get(none)!.silhouetteState).toBe('none');
  const queued = store.runs.create({ datasetId: ds.id, name: 'q', params: paramsFor(3), preprocessing: 'none', silhouette: { mode: 'sample' }, sweepId: null });
  expect(queued.silhouetteState).toBe('none');
});

it('the start-up sweep turns a pending silhouette into failed (repo, and when the app opens the file again)', async () => {
  const a = donePending();
  expect(store.runs.failPendingSilhouettes()).toEqual([a]);
  expect(store.runs.get(a)).toMatchObject({ silhouetteState: 'failed', silhouetteError: 'the app stopped while the silhouette was computed' });
  expect(store.runs.failPendingSilhouettes()).toEqual([]);

  const b = donePending();
  store.close();
  const services = new Services({ dataDir: dir, host: 'browser', launcher: new ChildProcessLauncher(), builtinMnist: false });
  try {
    const got = await services.handle('runs/get', { id: b });
    expect(got.ok && got.data).toMatchObject({ status: 'done', silhouetteState: 'failed', silhouetteError: 'the app stopped while the silhouette was computed' });
  } finally {
    await services.close();
  }
  // the sweep wrote it to the file
  const raw = new Database(join(dir, DB_FILE), { readonly: true });
  expect(raw.prepare('SELECT silhouette_state FROM runs WHERE id = ?').pluck().get(b)).toBe('failed');
  raw.close();
  store = Store.open(join(dir, DB_FILE));
});
