/**
 * A done run's silhouette computed afterwards (Scheduler.enqueueSilhouette) in a real worker process: it waits for
 * the slot behind a running run, and fails only the silhouette, with the reason, when its worker is killed, hangs
 * (watchdog), is cancelled while queued, or the app closes; the run's result is never touched.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { RunInfo, SilhouetteOptions } from '../../src-shared/api';
import type { Dataset, KMeansParams } from '../../src-shared/model';
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

function open(watchdogMs?: number): void {
  scheduler = new Scheduler({ store, dbPath, launcher: new ChildProcessLauncher(), watchdogMs, events: { progress: () => undefined, runUpdated: (r) => updates.push(r) } });
}

beforeEach(() => {
  dir = makeTempDir('silhouette-job');
  dbPath = join(dir, 'db.sqlite');
  store = Store.open(dbPath);
  updates = [];
});

afterEach(async () => {
  await scheduler.close();
  store.close();
  removeTempDir(dir);
});

/** n float32 rows around 4 overlapping centers. */
function data(n: number, d: number): Dataset {
  const rng = new Rng(5);
  const values = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) values[i * d + j] = (i % 4) * 1.5 + rng.nextFloat() * 2;
  return { name: 'blobs', source: 'test', n, d, dtype: 'float32', data: values, scale: 1 };
}

const PARAMS = { algorithm: 'kmeans', init: 'k-means++', nInit: 1, maxIter: 300, tol: 1e-4, seed: 3, batchSize: 1024, maxNoImprovement: 10, reassignmentRatio: 0.01, initSize: null, k: 4 } as KMeansParams;

function start(datasetId: number, silhouette: SilhouetteOptions = { mode: 'none' }): number {
  const run = store.runs.create({ datasetId, name: 't', params: PARAMS, preprocessing: 'none', silhouette, sweepId: null });
  scheduler.enqueue(run.id);
  return run.id;
}

/** A done run without a silhouette, then its exact silhouette queued (as runs/computeSilhouette does). */
async function doneThenExact(datasetId: number): Promise<{ id: number; done: RunInfo }> {
  const id = start(datasetId);
  const done = await waitForRun(store, id, silhouetteSettled, 60_000);
  expect(done.status).toBe('done');
  expect(store.runs.restartSilhouette(id, { mode: 'exact' })).toBe(true);
  expect(scheduler.enqueueSilhouette(id)).toBe(true);
  expect(scheduler.enqueueSilhouette(id)).toBe(false); // once
  return { id, done };
}

const inSilhouettePass = (id: number): Promise<RunInfo> =>
  new Promise((resolve, reject) => {
    const t0 = Date.now();
    const tick = (): void => {
      const p = scheduler.state().running.find((r) => r.run.id === id)?.progress;
      if (p?.phase === 'silhouette') return resolve(store.runs.get(id)!);
      if (Date.now() - t0 > 60_000) return reject(new Error('no silhouette phase'));
      setTimeout(tick, 10);
    };
    tick();
  });

it('a killed worker fails only the silhouette, with the reason; the result stays', async () => {
  open();
  const ds = store.datasets.insert(data(16_000, 32)).info;
  const { id, done } = await doneThenExact(ds.id);
  await inSilhouettePass(id);
  process.kill(scheduler.workerPid(id)!, 'SIGKILL');
  const run = await waitForRun(store, id, silhouetteSettled, 30_000);
  expect(run).toMatchObject({ status: 'done', silhouetteState: 'failed', finishedAt: done.finishedAt, nIter: done.nIter });
  expect(run.silhouetteError).toMatch(/^not computed: the worker process .*killed.* before finishing/);
  expect(run.metrics).toEqual(done.metrics);
  expect(store.runs.arrays(id)!.labels!.length).toBe(16_000);
}, 120_000);

it('a hung worker is killed by the watchdog: the silhouette fails, the run stays done', async () => {
  open(1500);
  const ds = store.datasets.insert(data(16_000, 32)).info;
  const { id } = await doneThenExact(ds.id);
  await inSilhouettePass(id);
  process.kill(scheduler.workerPid(id)!, 'SIGSTOP');
  const run = await waitForRun(store, id, silhouetteSettled, 30_000);
  expect(run).toMatchObject({ status: 'done', silhouetteState: 'failed' });
  expect(run.silhouetteError).toMatch(/^not computed: stopped responding: the worker process sent nothing for/);
}, 120_000);

it('waits for the slot behind a running run; cancelled while queued, or at close, only its silhouette fails', async () => {
  open();
  const ds = store.datasets.insert(data(2000, 8)).info;
  const a = start(ds.id);
  const b = start(ds.id);
  await waitForRun(store, b, silhouetteSettled, 60_000);
  await waitForRun(store, a, silhouetteSettled, 60_000);
  const busy = start(ds.id, { mode: 'exact' });
  expect(store.runs.restartSilhouette(a, { mode: 'sample', sampleSize: 500 })).toBe(true);
  expect(scheduler.enqueueSilhouette(a)).toBe(true);
  expect(store.runs.restartSilhouette(b, { mode: 'exact' })).toBe(true);
  expect(scheduler.enqueueSilhouette(b)).toBe(true);
  // one slot: the run first, the silhouettes wait in order
  expect(scheduler.state().running.map((r) => r.run.id)).toEqual([busy]);
  expect(scheduler.state().queued.map((r) => r.id)).toEqual([a, b]);
  expect(scheduler.cancel(b)).toBe(true);
  expect(store.runs.get(b)).toMatchObject({ status: 'done', silhouetteState: 'failed', silhouetteError: 'cancelled before the silhouette was computed' });
  const after = await waitForRun(store, a, silhouetteSettled, 60_000);
  expect(after).toMatchObject({ status: 'done', silhouetteState: 'final', silhouette: { mode: 'sample', sampleSize: 500 } });
  expect(store.runs.arrays(a)!.silhouette!.indices.length).toBe(500);
  expect(store.runs.get(busy)!.status).toBe('done');

  // queued at close (behind a run that holds the slot): not computed, said so (not left 'pending')
  const holder = start(ds.id, { mode: 'exact' });
  expect(store.runs.restartSilhouette(b, { mode: 'exact' })).toBe(true);
  expect(scheduler.enqueueSilhouette(b)).toBe(true);
  expect(scheduler.state().running.map((r) => r.run.id)).toEqual([holder]);
  expect(scheduler.state().queued.map((r) => r.id)).toEqual([b]);
  await scheduler.close();
  expect(store.runs.get(b)).toMatchObject({ status: 'done', silhouetteState: 'failed', silhouetteError: 'not computed: the app was closed before it started' });
  expect(scheduler.enqueueSilhouette(b)).toBe(false);
}, 120_000);
