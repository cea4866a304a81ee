/**
 * restartSilhouette (`runs/computeSilhouette`): a done run's silhouette back to 'pending' under new options, its old
 * value and per-sample values cleared, the result untouched; refused while pending and for a run not done; a
 * default name follows the options, a given one stays.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { SilhouetteOptions } from '../../src-shared/api';
import { defaultRunName } from '../../src-shared/run-names';
import { DB_FILE, Store } from '../../src-main/store';
import { fakeOutcome, paramsFor, smallDataset } from './fixtures/data';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = makeTempDir('restart-silhouette');
  store = Store.open(join(dir, DB_FILE));
});
afterEach(() => {
  store.close();
  removeTempDir(dir);
});

/** A run saved done with a final sampled silhouette. */
function doneFinal(name?: string): number {
  const silhouette: SilhouetteOptions = { mode: 'sample', sampleSize: 3 };
  const params = paramsFor(3);
  const ds = store.datasets.insert(smallDataset(1, 30, 4)).info;
  const run = store.runs.create({ datasetId: ds.id, name: name ?? defaultRunName(params, silhouette), params, preprocessing: 'none', silhouette, sweepId: null });
  store.runs.markRunning(run.id);
  const outcome = fakeOutcome(30, 3, 4);
  const perSample = { exact: false, indices: Int32Array.from([1, 4, 8]), values: Float64Array.from([0.5, 0.25, 0.125]) };
  expect(store.runs.saveResult(run.id, { ...outcome, metrics: { ...outcome.metrics, silhouette: 0.2917 }, silhouette: perSample })).toBe(true);
  return run.id;
}

it('final sampled → pending exact: the old value goes, the result stays, a default name follows; then final again', () => {
  const id = doneFinal();
  const before = store.runs.get(id)!;
  expect(before).toMatchObject({ silhouetteState: 'final', name: 'K-means k=3 · seed 7 · silhouette of 3' });
  expect(store.runs.restartSilhouette(id, { mode: 'exact' })).toBe(true);
  const pending = store.runs.get(id)!;
  expect(pending).toMatchObject({ status: 'done', silhouetteState: 'pending', silhouette: { mode: 'exact' }, name: 'K-means k=3 · seed 7 · exact silhouette' });
  expect(pending.metrics).toEqual({ ...before.metrics, silhouette: null });
  const arrays = store.runs.arrays(id)!;
  expect(arrays.silhouette).toBeNull();
  expect(arrays.labels!.length).toBe(30);
  // refused while pending
  expect(store.runs.restartSilhouette(id, { mode: 'sample', sampleSize: 5 })).toBe(false);

  const values = Float64Array.from({ length: 30 }, (_, i) => i / 100);
  expect(store.runs.saveSilhouette(id, { value: 0.145, silhouette: { exact: true, indices: Int32Array.from({ length: 30 }, (_, i) => i), values }, metricsMs: null })).toBe(true);
  const final = store.runs.get(id)!;
  expect(final).toMatchObject({ silhouetteState: 'final', metricsMs: before.metricsMs });
  expect(final.metrics!.silhouette).toBe(0.145);
  expect(store.runs.arrays(id)!.silhouette!.exact).toBe(true);
});

it('a failed silhouette can be restarted; a given name stays; a run that is not done cannot', () => {
  const id = doneFinal('my run');
  expect(store.runs.restartSilhouette(id, { mode: 'exact' })).toBe(true);
  expect(store.runs.failSilhouette(id, 'not computed: gone')).toBe(true);
  expect(store.runs.get(id)).toMatchObject({ silhouetteState: 'failed', silhouetteError: 'not computed: gone' });
  expect(store.runs.restartSilhouette(id, { mode: 'sample', sampleSize: 10 })).toBe(true);
  expect(store.runs.get(id)).toMatchObject({ silhouetteState: 'pending', silhouetteError: null, name: 'my run', silhouette: { mode: 'sample', sampleSize: 10 } });

  const queued = store.runs.create({ datasetId: store.runs.get(id)!.datasetId, name: 'q', params: paramsFor(3), preprocessing: 'none', silhouette: { mode: 'none' }, sweepId: null });
  expect(store.runs.restartSilhouette(queued.id, { mode: 'exact' })).toBe(false);
  expect(store.runs.get(queued.id)).toMatchObject({ status: 'queued', silhouette: { mode: 'none' } });
  expect(store.runs.restartSilhouette(9999, { mode: 'exact' })).toBe(false);
});
