/**
 * An exact-silhouette run in a real worker process (child_process) shows an estimate of the silhouette before the
 * exact pass: a progress report with the estimate (the exact coefficients of a few rows drawn at random, each
 * against all rows) comes after the run is done (its result shown, silhouette pending) and before the exact value, and the run's exact
 * value (persisted) lies inside its 95 % interval; every later report carries an estimate, refined from the
 * exact pass's finished rows, on more and more rows, ending exact (every row, interval 0) before the value is saved.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { JobProgress, RunInfo } from '../../src-shared/api';
import type { Dataset, KMeansParams } from '../../src-shared/model';
import { FIRST_ESTIMATE_ROWS } from '../../src-main/engine/metrics/silhouette-estimate';
import { Rng } from '../../src-main/engine/rng';
import { ChildProcessLauncher } from '../../src-main/jobs/launcher';
import { Scheduler } from '../../src-main/jobs/scheduler';
import { Store } from '../../src-main/store';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';
import { silhouetteSettled, waitForRun } from '../helpers/wait-run';

let dir: string;
let store: Store;
let scheduler: Scheduler;
/** Every event in arrival order. */
let events: ({ kind: 'progress'; p: JobProgress } | { kind: 'run'; run: RunInfo })[];

beforeEach(() => {
  dir = makeTempDir('silhouette-estimate');
  const dbPath = join(dir, 'db.sqlite');
  store = Store.open(dbPath);
  events = [];
  scheduler = new Scheduler({
    store,
    dbPath,
    launcher: new ChildProcessLauncher(),
    events: { progress: (p) => events.push({ kind: 'progress', p }), runUpdated: (run) => events.push({ kind: 'run', run }) },
  });
});

afterEach(async () => {
  await scheduler.close();
  store.close();
  removeTempDir(dir);
});

/** n uint8 rows of d pixels around 4 overlapping prototypes (silhouette well inside (0, 1)). */
function pixels(n: number, d: number): Dataset {
  const rng = new Rng(5);
  const protos = Array.from({ length: 4 }, () => Array.from({ length: d }, () => Math.floor(rng.nextFloat() * 256)));
  const data = new Uint8Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = Math.min(255, Math.floor(protos[i % 4][j] * 0.6 + rng.nextFloat() * 110));
  return { name: 'pixels', source: 'test', n, d, dtype: 'uint8', data, scale: 1 / 255 };
}

/** The run once its silhouette landed (it follows `done`). */
const waitDone = (runId: number): Promise<RunInfo> => waitForRun(store, runId, silhouetteSettled, 60_000);

function start(datasetId: number, mode: 'exact' | 'sample'): number {
  const params = { algorithm: 'kmeans', init: 'k-means++', nInit: 1, maxIter: 300, tol: 1e-4, seed: 4, batchSize: 1024, maxNoImprovement: 10, reassignmentRatio: 0.01, initSize: null, k: 4 } as KMeansParams;
  const run = store.runs.create({ datasetId, name: 't', params, preprocessing: 'none', silhouette: { mode, sampleSize: 500 }, sweepId: null });
  scheduler.enqueue(run.id);
  return run.id;
}

it('exact mode: an estimate with its interval before the exact value, which it covers', async () => {
  const ds = store.datasets.insert(pixels(3000, 64)).info;
  const id = start(ds.id, 'exact');
  const run = await waitDone(id);
  expect(run.error).toBeNull();
  expect(run.status).toBe('done');
  expect(run.silhouetteState).toBe('final');
  const exact = run.metrics!.silhouette!;
  expect(store.runs.arrays(id)!.silhouette!.values.length).toBe(3000);

  const firstEstimate = events.findIndex((e) => e.kind === 'progress' && e.p.silhouetteEstimate !== undefined);
  const done = events.findIndex((e) => e.kind === 'run' && e.run.status === 'done');
  const final = events.findIndex((e) => e.kind === 'run' && e.run.silhouetteState === 'final');
  // the result is shown first (done, silhouette pending); the estimate comes during the silhouette, before its exact value
  expect(done).toBeGreaterThanOrEqual(0);
  expect((events[done] as { run: RunInfo }).run.silhouetteState).toBe('pending');
  expect(firstEstimate).toBeGreaterThan(done);
  expect(firstEstimate).toBeLessThan(final);
  const est = (events[firstEstimate] as { p: JobProgress }).p.silhouetteEstimate!;
  expect(est.rows).toBe(FIRST_ESTIMATE_ROWS);
  expect(est.total).toBe(3000);
  expect(est.halfWidth).toBeGreaterThan(0);
  expect(Math.abs(est.mean - exact)).toBeLessThanOrEqual(est.halfWidth);
  // every later report carries an estimate (the card shows one until the exact value is saved), refined from the
  // pass's finished rows, ending exact: every row, interval 0, the value then saved, before it is saved
  const later = events
    .slice(firstEstimate, final)
    .filter((e): e is { kind: 'progress'; p: JobProgress } => e.kind === 'progress' && (e.p.phase === 'silhouette' || e.p.phase === 'metrics'));
  expect(later.every((e) => e.p.silhouetteEstimate !== undefined)).toBe(true);
  const widths = later.map((e) => e.p.silhouetteEstimate!.halfWidth);
  // once exact, it stays exact
  const firstExact = widths.indexOf(0);
  expect(firstExact).toBeGreaterThan(0);
  expect(widths.slice(firstExact).every((w) => w === 0)).toBe(true);
  const last = later.at(-1)!.p.silhouetteEstimate!;
  expect(last).toMatchObject({ rows: 3000, total: 3000, halfWidth: 0 });
  expect(Math.abs(last.mean - exact)).toBeLessThan(1e-12);
  // it stands on more and more rows (the pass's finished rows and the first sample's others)
  const rows = later.map((e) => e.p.silhouetteEstimate!.rows);
  for (let t = 1; t < rows.length; t++) expect(rows[t]).toBeGreaterThanOrEqual(rows[t - 1]);
}, 90_000);

it('sample mode: no estimate (the sampled value itself comes in a fraction of a second), the sampled per-row values as before', async () => {
  const ds = store.datasets.insert(pixels(3000, 64)).info;
  const id = start(ds.id, 'sample');
  const run = await waitDone(id);
  expect(run.status).toBe('done');
  expect(events.some((e) => e.kind === 'progress' && e.p.silhouetteEstimate !== undefined)).toBe(false);
  expect(store.runs.arrays(id)!.silhouette!.values.length).toBe(500);
}, 90_000);
