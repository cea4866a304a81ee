/**
 * A run is `done` as soon as its result is saved; its silhouette follows from the same real worker process
 * (child_process) and lands in the SQLite file. When the silhouette does not come (the worker is killed, the run
 * is cancelled), the run stays `done` with its result and only its silhouette is 'failed', with the reason.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { RunInfo, SilhouetteOptions } from '../../src-shared/api';
import type { Dataset, KMeansParams } from '../../src-shared/model';
import { computeMetrics } from '../../src-main/engine/metrics';
import { preprocess } from '../../src-main/engine/preprocess';
import { Rng } from '../../src-main/engine/rng';
import { ChildProcessLauncher } from '../../src-main/jobs/launcher';
import { Scheduler } from '../../src-main/jobs/scheduler';
import { Store } from '../../src-main/store';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';
import { silhouetteSettled, waitForRun } from '../helpers/wait-run';

let dir: string;
let dbPath: string;
let store: Store;
let scheduler: Scheduler;
let updates: RunInfo[];

beforeEach(() => {
  dir = makeTempDir('silhouette-after-done');
  dbPath = join(dir, 'db.sqlite');
  store = Store.open(dbPath);
  updates = [];
  scheduler = new Scheduler({ store, dbPath, launcher: new ChildProcessLauncher(), events: { progress: () => undefined, runUpdated: (r) => updates.push(r) } });
});

afterEach(async () => {
  await scheduler.close();
  store.close();
  removeTempDir(dir);
});

/** n float32 rows around 4 overlapping centers, with true labels. */
function data(n: number, d: number): Dataset {
  const rng = new Rng(9);
  const values = new Float32Array(n * d);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 4;
    for (let j = 0; j < d; j++) values[i * d + j] = labels[i] * 1.5 + rng.nextFloat() * 2;
  }
  return { name: 'blobs', source: 'test', n, d, dtype: 'float32', data: values, scale: 1, labels, labelNames: ['a', 'b', 'c', 'd'] };
}

function start(datasetId: number, silhouette: SilhouetteOptions): number {
  const params = { algorithm: 'kmeans', init: 'k-means++', nInit: 1, maxIter: 300, tol: 1e-4, seed: 3, batchSize: 1024, maxNoImprovement: 10, reassignmentRatio: 0.01, initSize: null, k: 4 } as KMeansParams;
  const run = store.runs.create({ datasetId, name: 't', params, preprocessing: 'none', silhouette, sweepId: null });
  scheduler.enqueue(run.id);
  return run.id;
}

it('emits done before the silhouette, which then lands in the SQLite file with the values computeMetrics gives', async () => {
  const dataset = data(4000, 16);
  const ds = store.datasets.insert(dataset).info;
  const id = start(ds.id, { mode: 'sample', sampleSize: 700 });
  const run = await waitForRun(store, id, silhouetteSettled, 60_000);
  expect(run.status).toBe('done');
  expect(run.silhouetteState).toBe('final');

  const mine = updates.filter((u) => u.id === id && u.status === 'done');
  expect(mine.map((u) => u.silhouetteState)).toEqual(['pending', 'final']);
  // the first done already has everything but the silhouette
  expect(mine[0].metrics!.ari).toBe(run.metrics!.ari);
  expect(mine[0].metrics!.daviesBouldin).toBe(run.metrics!.daviesBouldin);
  expect(mine[0].metrics!.silhouette).toBeNull();

  // read from another connection: it is in the file
  store.close();
  store = Store.open(dbPath);
  const saved = store.runs.get(id)!;
  const arrays = store.runs.arrays(id)!;
  const { matrix } = preprocess(dataset, 'none');
  const expected = await computeMetrics(matrix, arrays.labels!, arrays.centers, dataset.labels!, { silhouette: 'sample', sampleSize: 700, seed: 3 });
  expect(saved.metrics!.silhouette).toBe(expected.metrics.silhouette);
  expect(saved.metrics).toEqual(expected.metrics);
  expect(arrays.silhouette!.exact).toBe(false);
  expect(Array.from(arrays.silhouette!.indices)).toEqual(Array.from(expected.silhouette!.indices!));
  expect(Array.from(arrays.silhouette!.values)).toEqual(Array.from(expected.silhouette!.samples));
}, 90_000);

/** Waits until the run is done with its silhouette pending (the worker is then in its silhouette pass). */
const whilePending = (id: number): Promise<RunInfo> => waitForRun(store, id, (r) => r.status === 'done' || r.status === 'failed', 60_000);

it('a worker killed after done leaves the run done, its result kept and its silhouette failed', async () => {
  const ds = store.datasets.insert(data(16_000, 32)).info;
  const id = start(ds.id, { mode: 'exact' });
  const done = await whilePending(id);
  expect(done.status).toBe('done');
  expect(done.silhouetteState).toBe('pending');
  process.kill(scheduler.workerPid(id)!, 'SIGKILL');
  const run = await waitForRun(store, id, silhouetteSettled, 30_000);
  expect(run.status).toBe('done');
  expect(run.silhouetteState).toBe('failed');
  expect(run.silhouetteError).toMatch(/not computed: the worker process .* before finishing/);
  expect(run.metrics!.silhouette).toBeNull();
  expect(store.runs.arrays(id)!.labels!.length).toBe(16_000);
  expect(updates.at(-1)).toMatchObject({ id, status: 'done', silhouetteState: 'failed' });
}, 90_000);

it('cancel during the silhouette stops only the silhouette; the next queued run then starts', async () => {
  const ds = store.datasets.insert(data(16_000, 32)).info;
  const id = start(ds.id, { mode: 'exact' });
  const next = start(ds.id, { mode: 'none' });
  await whilePending(id);
  expect(store.runs.get(next)!.status).toBe('queued'); // the slot stays busy during the silhouette
  expect(scheduler.state().running.map((r) => r.run.id)).toEqual([id]);
  expect(scheduler.cancel(id)).toBe(true);
  const run = store.runs.get(id)!;
  expect(run.status).toBe('done');
  expect(run.silhouetteState).toBe('failed');
  expect(run.silhouetteError).toBe('cancelled before the silhouette was computed');
  expect(store.runs.arrays(id)!.centers!.length).toBe(4 * 32);
  const after = await waitForRun(store, next, silhouetteSettled, 60_000);
  expect(after.status).toBe('done');
  expect(after.silhouetteState).toBe('none');
}, 90_000);
