import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { JobProgress, RunInfo } from '../../src-shared/api';
import type { Dataset, KMeansParams } from '../../src-shared/model';
import { Rng } from '../../src-main/engine/rng';
import { ChildProcessLauncher, UtilityProcessLauncher, type Launcher } from '../../src-main/jobs/launcher';
import { Scheduler } from '../../src-main/jobs/scheduler';
import { Store } from '../../src-main/store';
import { forkUtilityProcess } from '../desktop/utility-process-stand-in';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';
import { silhouetteSettled, waitForRun } from '../helpers/wait-run';

/** Both launchers pass the same job tests: utilityProcess with the stand-in fork (a Node child with a `parentPort`). */
const LAUNCHERS: Record<Launcher['kind'], () => Launcher> = {
  child_process: () => new ChildProcessLauncher(),
  utilityProcess: () => new UtilityProcessLauncher({ fork: forkUtilityProcess }),
};
let launcherKind: Launcher['kind'] = 'child_process';

/** Three well-separated float32 blobs in d dimensions. */
function blobs(n: number, d: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const data = new Float32Array(n * d);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 3;
    for (let j = 0; j < d; j++) data[i * d + j] = labels[i] * 10 + rng.nextFloat();
  }
  return { name: `blobs-${seed}`, source: 'test', n, d, dtype: 'float32', data, scale: 1, labels, labelNames: ['a', 'b', 'c'] };
}

const quick: Partial<KMeansParams> = { algorithm: 'kmeans', k: 3, nInit: 1, seed: 1 };
/** Many long Lloyd iterations on structureless data: seconds of work. */
const slow: Partial<KMeansParams> = { algorithm: 'kmeans', k: 64, nInit: 50, maxIter: 1000, tol: 0, seed: 2, init: 'random' };

let dir: string;
let store: Store;
let scheduler: Scheduler;
let progress: JobProgress[];
let updates: RunInfo[];

function waitFor(runId: number, statuses: RunInfo['status'][], timeoutMs = 30_000): Promise<RunInfo> {
  return waitForRun(store, runId, (run) => statuses.includes(run.status), timeoutMs);
}

function waitForProgress(runId: number, phase: JobProgress['phase']): Promise<void> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const tick = (): void => {
      if (progress.some((p) => p.runId === runId && p.phase === phase)) return resolve();
      if (Date.now() - t0 > 20_000) return reject(new Error(`no ${phase} progress for run ${runId}`));
      setTimeout(tick, 5);
    };
    tick();
  });
}

function queue(datasetId: number, params: Partial<KMeansParams>, silhouette: 'none' | 'sample' = 'none'): number {
  const full = { algorithm: 'kmeans', init: 'k-means++', nInit: 1, maxIter: 300, tol: 1e-4, seed: 0, batchSize: 1024, maxNoImprovement: 10, reassignmentRatio: 0.01, initSize: null, k: 3, ...params } as KMeansParams;
  const run = store.runs.create({ datasetId, name: 't', params: full, preprocessing: 'scale', silhouette: { mode: silhouette, sampleSize: 500 }, sweepId: null });
  scheduler.enqueue(run.id);
  return run.id;
}

beforeEach(() => {
  dir = makeTempDir('jobs');
  const dbPath = join(dir, 'db.sqlite');
  store = Store.open(dbPath);
  progress = [];
  updates = [];
  scheduler = new Scheduler({
    store,
    dbPath,
    launcher: LAUNCHERS[launcherKind](),
    events: { progress: (p) => progress.push(p), runUpdated: (r) => updates.push(r) },
  });
});

afterEach(async () => {
  await scheduler.close();
  store.close();
  removeTempDir(dir);
});

describe.each(Object.keys(LAUNCHERS) as Launcher['kind'][])('scheduler (%s)', (kind) => {
  beforeAll(() => {
    launcherKind = kind;
  });

  it('runs a job in a worker process, streams progress in order, and persists the result', async () => {
    const ds = store.datasets.insert(blobs(3000, 8, 1)).info;
    const id = queue(ds.id, quick, 'sample');
    const run = await waitForRun(store, id, silhouetteSettled);
    expect(run.error).toBeNull();
    expect(run.status).toBe('done');
    expect(run.silhouetteState).toBe('final');
    expect(run.metrics!.ari).toBeCloseTo(1, 10);
    expect(run.metrics!.silhouette).toBeGreaterThan(0.8);
    expect(run.clusterSizes).toEqual([1000, 1000, 1000]);
    const arrays = store.runs.arrays(id)!;
    expect(arrays.centers!.length).toBe(3 * 8);
    expect(arrays.labels!.length).toBe(3000);
    expect(arrays.silhouette!.values.length).toBe(500);

    const mine = progress.filter((p) => p.runId === id);
    const order = ['load', 'fit', 'silhouette', 'metrics'];
    expect(mine.map((p) => p.phase).filter((p, i, a) => a.indexOf(p) === i)).toEqual(order);
    for (let i = 1; i < mine.length; i++) {
      expect(mine[i].fraction).toBeGreaterThanOrEqual(mine[i - 1].fraction);
      expect(mine[i].elapsedMs).toBeGreaterThanOrEqual(mine[i - 1].elapsedMs);
      expect(order.indexOf(mine[i].phase)).toBeGreaterThanOrEqual(order.indexOf(mine[i - 1].phase));
    }
    // done (the result, its silhouette computing), then the silhouette lands on the done run
    expect(updates.filter((u) => u.id === id).map((u) => [u.status, u.silhouetteState])).toEqual([['running', 'none'], ['done', 'pending'], ['done', 'final']]);
    expect(updates.find((u) => u.id === id && u.status === 'done')!.metrics!.silhouette).toBeNull();
  });

  // the worker throttles, whichever launcher started it; a rate is timing-bound, so it is measured once
  it.skipIf(kind !== 'child_process')('throttles progress of a long fit to about 5–10 messages a second', async () => {
    const ds = store.datasets.insert(blobs(20_000, 32, 2)).info;
    const id = queue(ds.id, slow);
    await waitForProgress(id, 'fit');
    const t0 = Date.now();
    const before = progress.length;
    await new Promise((r) => setTimeout(r, 2000));
    const rate = ((progress.length - before) * 1000) / (Date.now() - t0);
    expect(scheduler.cancel(id)).toBe(true);
    expect(rate).toBeGreaterThanOrEqual(3);
    expect(rate).toBeLessThanOrEqual(10);
    const fit = progress.filter((p) => p.phase === 'fit' && p.iteration !== undefined);
    expect(fit.length).toBeGreaterThan(0);
    expect(fit.every((p) => Number.isFinite(p.inertia))).toBe(true);
  });

  it('cancels a running job within a second and then runs the next one', async () => {
    const ds = store.datasets.insert(blobs(20_000, 32, 3)).info;
    const long = queue(ds.id, slow);
    const next = queue(ds.id, quick);
    expect(scheduler.state().queued.map((r) => r.id)).toEqual([next]);
    expect(scheduler.state().running.map((r) => r.run.id)).toEqual([long]);
    await waitForProgress(long, 'fit');
    const pid = scheduler.workerPid(long)!;
    const t0 = Date.now();
    expect(scheduler.cancel(long)).toBe(true);
    expect(store.runs.get(long)!.status).toBe('cancelled');
    // the process is gone within a second
    await new Promise<void>((resolve, reject) => {
      const tick = (): void => {
        try {
          process.kill(pid, 0);
        } catch {
          return resolve();
        }
        if (Date.now() - t0 > 1000) return reject(new Error('worker still alive 1 s after cancel'));
        setTimeout(tick, 10);
      };
      tick();
    });
    expect((await waitFor(next, ['done', 'failed'])).status).toBe('done');
    expect(store.runs.get(long)!.status).toBe('cancelled');
    expect(scheduler.cancel(long)).toBe(false);
  });

  it('fails a run whose worker is killed and still completes the next queued run', async () => {
    const ds = store.datasets.insert(blobs(20_000, 32, 4)).info;
    const doomed = queue(ds.id, slow);
    const next = queue(ds.id, quick);
    await waitForProgress(doomed, 'fit');
    process.kill(scheduler.workerPid(doomed)!, 'SIGKILL');
    const failed = await waitFor(doomed, ['failed', 'done', 'cancelled']);
    expect(failed.status).toBe('failed');
    // utilityProcess reports only a number: the signal's
    expect(failed.error).toMatch(kind === 'child_process' ? /killed \(SIGKILL\)/ : /exited with code 9 before finishing/);
    expect((await waitFor(next, ['done', 'failed'])).status).toBe('done');
  });

  it('fails a run with the engine error when the parameters are rejected', async () => {
    const ds = store.datasets.insert(blobs(30, 2, 5)).info;
    const bad = queue(ds.id, { k: 31 });
    const run = await waitFor(bad, ['failed', 'done']);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/ParamError: k must be/);
  });
});
