/** The warm launcher with real worker processes: one spare ready while idle, a fresh process per job. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunInfo } from '../../src-shared/api';
import type { Dataset, KMeansParams } from '../../src-shared/model';
import { Rng } from '../../src-main/engine/rng';
import { ChildProcessLauncher, type WorkerExit, type WorkerHandle } from '../../src-main/jobs/launcher';
import { Scheduler } from '../../src-main/jobs/scheduler';
import { WarmLauncher } from '../../src-main/jobs/warm-launcher';
import { Store } from '../../src-main/store';

const alive = (pid: number | undefined): boolean => {
  try {
    process.kill(pid!, 0);
    return true;
  } catch {
    return false;
  }
};
const exitOf = (h: WorkerHandle): Promise<WorkerExit> => new Promise((r) => h.onExit(r));

/** The pids the inner launcher started, in order. */
function counting(): { launcher: ChildProcessLauncher; pids: (number | undefined)[]; handles: WorkerHandle[] } {
  const launcher = new ChildProcessLauncher();
  const pids: (number | undefined)[] = [];
  const handles: WorkerHandle[] = [];
  const launch = launcher.launch.bind(launcher);
  launcher.launch = () => {
    const h = launch();
    pids.push(h.pid);
    handles.push(h);
    return h;
  };
  return { launcher, pids, handles };
}

let warm: WarmLauncher | null = null;
afterEach(() => warm?.close());

describe('WarmLauncher', () => {
  it('hands out the spare started while idle, prepares the next only after that worker exits, and kills the spare on close', async () => {
    const inner = counting();
    warm = new WarmLauncher(inner.launcher);
    expect(inner.pids).toHaveLength(1); // the spare, started at once
    const first = warm.launch();
    expect(first.pid).toBe(inner.pids[0]);
    expect(inner.pids).toHaveLength(1); // no second process while the job runs
    const exited = exitOf(first);
    first.kill();
    await exited;
    expect(inner.pids).toHaveLength(2); // a fresh spare for the next job
    expect(inner.pids[1]).not.toBe(inner.pids[0]);
    expect(alive(inner.pids[1])).toBe(true);
    const spareExit = exitOf(inner.handles[1]);
    warm.close();
    await spareExit;
    expect(alive(inner.pids[1])).toBe(false);
  }, 30_000);

  it('replaces a spare that died while it waited with a fresh process', async () => {
    const inner = counting();
    warm = new WarmLauncher(inner.launcher);
    const died = exitOf(inner.handles[0]);
    inner.handles[0].kill();
    await died;
    const job = warm.launch();
    expect(job.pid).not.toBe(inner.pids[0]);
    expect(alive(job.pid)).toBe(true);
    const exited = exitOf(job);
    job.kill();
    await exited;
  }, 30_000);
});

/** n rows of d random values around `shift`, as float32. */
function noise(name: string, n: number, d: number, shift: number): Dataset {
  const rng = new Rng(n + d);
  return { name, source: 'test', n, d, dtype: 'float32', data: Float32Array.from({ length: n * d }, (_, t) => (t % 3) * shift + rng.nextFloat()), scale: 1 };
}

describe('WarmLauncher with the scheduler', () => {
  it("reads the last run's dataset ahead, gives the same result with it, and does not use it for another dataset stored under the same id", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kx-warm-'));
    const dbPath = join(dir, 'db.sqlite');
    const store = Store.open(dbPath);
    warm = new WarmLauncher(new ChildProcessLauncher());
    const scheduler = new Scheduler({ store, dbPath, launcher: warm, events: { progress: () => undefined, runUpdated: () => undefined } });
    const params = { algorithm: 'kmeans', init: 'k-means++', nInit: 1, maxIter: 300, tol: 1e-4, seed: 0, batchSize: 1024, maxNoImprovement: 10, reassignmentRatio: 0.01, initSize: null, k: 3 } as KMeansParams;
    const run = async (datasetId: number): Promise<RunInfo> => {
      const r = store.runs.create({ datasetId, name: 't', params, preprocessing: 'none', silhouette: { mode: 'none' }, sweepId: null });
      scheduler.enqueue(r.id);
      for (;;) {
        const now = store.runs.get(r.id)!;
        // done, and its worker gone: the next spare (which reads this dataset ahead) is waiting
        if (!['queued', 'running'].includes(now.status) && warm!.spareReady) return now;
        await new Promise((res) => setTimeout(res, 10));
      }
    };
    try {
      const a = store.datasets.insert(noise('a', 900, 4, 10)).info.id;
      const first = await run(a);
      const again = await run(a); // its spare read dataset a ahead
      expect(first.status).toBe('done');
      expect(again).toMatchObject({ status: 'done', clusterSizes: first.clusterSizes, metrics: { inertia: first.metrics!.inertia } });
      store.datasets.delete(a);
      const b = store.datasets.insert(noise('b', 600, 4, 50)).info.id;
      expect(b).toBe(a); // the id is reused: only the content hash tells the two apart
      const other = await run(b); // its spare read dataset a ahead, under the same id
      expect(other.status).toBe('done');
      expect(other.clusterSizes!.reduce((x, y) => x + y, 0)).toBe(600);
    } finally {
      await scheduler.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
