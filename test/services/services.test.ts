/**
 * Services end to end on a small dataset with real worker processes: import (bytes), runs, sweeps,
 * derived views, compare, rename, cancel/delete rules and events.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunInfo } from '../../src-shared/api';
import { fitKMeans } from '../../src-main/engine/kmeans';
import { preprocess } from '../../src-main/engine/preprocess';
import { Rng } from '../../src-main/engine/rng';
import { ChildProcessLauncher } from '../../src-main/jobs/launcher';
import { clusterProfiles } from '../../src-main/run-views';
import { DB_FILE, Services } from '../../src-main/services';
import { loadDatasetReadOnly } from '../../src-main/store';
import { serviceCalls } from '../helpers/service-calls';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';
import { silhouetteSettled } from '../helpers/wait-run';

let dir: string;
let services: Services;
const { events, record, call, waitEvent } = serviceCalls(() => services);

/** The run once it ended and its silhouette (which follows `done`) landed. */
const finished = (id: number) => waitEvent('run/updated', (r) => r.id === id && silhouetteSettled(r));

/** Three separated 2-D blobs with an integer label column, as CSV. */
function blobsCsv(n: number): Uint8Array {
  const rng = new Rng(3);
  const names = ['0', '1', '2'];
  let s = 'a,b,label\n';
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    s += `${(c * 10 + rng.nextFloat()).toFixed(4)},${(rng.nextFloat() - c * 5).toFixed(4)},${names[c]}\n`;
  }
  return new TextEncoder().encode(s);
}

let datasetId: number;
let run3: RunInfo;

beforeAll(async () => {
  dir = makeTempDir('services');
  services = new Services({ dataDir: dir, host: 'browser', launcher: new ChildProcessLauncher(), builtinMnist: false });
  record();
  const imported = await call('datasets/import', { files: [{ name: 'blobs.csv', bytes: blobsCsv(300) }], options: { name: 'Blobs' } });
  datasetId = imported.dataset.id;
  const started = await call('runs/start', { datasetId, params: { k: 3, seed: 5 }, silhouette: { mode: 'exact' } });
  run3 = (await finished(started.runs[0].id)) as RunInfo;
});

afterAll(async () => {
  await services.close();
  removeTempDir(dir);
});

describe('services', () => {
  it('imports bytes once, announces it, and refuses paths in browser mode', async () => {
    const info = await call('datasets/get', { id: datasetId });
    expect(info).toMatchObject({ name: 'Blobs', n: 300, d: 2, dtype: 'float32', labelNames: ['0', '1', '2'] });
    expect(events.some((e) => e.name === 'dataset/imported' && (e.payload as { id: number }).id === datasetId)).toBe(true);
    const again = await call('datasets/import', { files: [{ name: 'copy.csv', bytes: blobsCsv(300) }] });
    expect(again).toMatchObject({ existed: true, dataset: { id: datasetId } });
    expect(await services.handle('datasets/import', { paths: ['/etc/hosts'] })).toMatchObject({ ok: false, code: 'unsupported' });
    expect(await services.handle('datasets/import', { files: [{ name: 'x.npy', bytes: new Uint8Array([1, 2, 3]) }] })).toMatchObject({
      ok: false,
      code: 'bad-request',
    });
  });

  it('computes cluster profiles in the view thread, which reads the dataset itself: the same as on the rows in memory', async () => {
    const profiles = await call('runs/profiles', { id: run3.id });
    const { labels } = await call('runs/arrays', { id: run3.id, include: ['labels'] });
    const direct = clusterProfiles(run3.id, loadDatasetReadOnly(join(dir, DB_FILE), datasetId), labels!, 3);
    expect(profiles).toEqual(direct);
    expect(Array.from(profiles.counts).sort()).toEqual([100, 100, 100]);
    expect(await services.handle('runs/profiles', { id: 999 })).toMatchObject({ ok: false, code: 'not-found' });
  });

  it('runs a job to done with metrics, arrays and sizes', async () => {
    expect(run3).toMatchObject({ status: 'done', name: 'K-means k=3 · seed 5 · exact silhouette', clusterSizes: [100, 100, 100], silhouette: { mode: 'exact' } });
    expect(run3.params).toMatchObject({ k: 3, seed: 5, algorithm: 'kmeans', maxIter: 300 });
    expect(run3.metrics!.ari).toBeCloseTo(1, 12);
    expect(run3.metrics!.accuracy).toBe(1);
    const arrays = await call('runs/arrays', { id: run3.id });
    expect(arrays.centers).toBeInstanceOf(Float64Array);
    expect(arrays.centers!.length).toBe(6);
    expect(arrays.labels!.length).toBe(300);
    expect(arrays.silhouette!.exact).toBe(true);
    expect(arrays.silhouette!.values.length).toBe(300);
    expect(arrays.history!.length).toBe(run3.nIter);
    const only = await call('runs/arrays', { id: run3.id, include: ['history'] });
    expect(only.labels).toBeNull();
    expect(progressOf(run3.id).length).toBeGreaterThan(0);
  });

  it('contingency against the true labels with the Hungarian order', async () => {
    const c = await call('runs/contingency', { id: run3.id });
    expect(c.k).toBe(3);
    expect(c.classes).toBe(3);
    expect(c.matchedAccuracy).toBe(1);
    expect(Array.from(c.clusterToClass).sort()).toEqual([0, 1, 2]);
    // in cluster order, every matched cell is on the diagonal and holds the whole class
    Array.from(c.clusterOrder).forEach((cluster, pos) => {
      expect(c.clusterToClass[cluster]).toBe(pos);
      expect(c.matrix[cluster * 3 + pos]).toBe(100);
    });
  });

  it('silhouette histograms per cluster on common bins', async () => {
    const h = await call('runs/silhouetteHistogram', { id: run3.id, bins: 10 });
    expect(h.edges.length).toBe(11);
    expect(h.counts.length).toBe(30);
    expect(Array.from(h.sizes)).toEqual([100, 100, 100]);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(300);
    const arrays = await call('runs/arrays', { id: run3.id, include: ['silhouette'] });
    const values = arrays.silhouette!.values;
    expect(h.edges[0]).toBeCloseTo(Math.min(...values), 12);
    expect(h.edges[10]).toBeCloseTo(Math.max(...values), 12);
    const mean = Array.from(h.means).reduce((a, b) => a + b * 100, 0) / 300;
    expect(mean).toBeCloseTo(run3.metrics!.silhouette!, 10);
  });

  it('members sorted by distance and by silhouette, with their rows', async () => {
    const arrays = await call('runs/arrays', { id: run3.id, include: ['centers', 'labels', 'silhouette'] });
    const near = await call('runs/members', { id: run3.id, cluster: 1, sortBy: 'distance', order: 'asc', limit: 7 });
    expect(near.total).toBe(100);
    expect(near.indices.length).toBe(7);
    for (let i = 0; i < 7; i++) {
      const row = near.indices[i];
      expect(arrays.labels![row]).toBe(1);
      const x = near.samples!.data[i * 2] - arrays.centers![2];
      const y = near.samples!.data[i * 2 + 1] - arrays.centers![3];
      expect(near.distances[i]).toBeCloseTo(Math.hypot(x, y), 5);
      if (i > 0) expect(near.distances[i]).toBeGreaterThanOrEqual(near.distances[i - 1]);
    }
    const far = await call('runs/members', { id: run3.id, cluster: 1, sortBy: 'distance', order: 'desc', limit: 1, withRows: false });
    expect(far.samples).toBeNull();
    expect(far.distances[0]).toBeGreaterThanOrEqual(near.distances[6]);
    const worst = await call('runs/members', { id: run3.id, cluster: 2, sortBy: 'silhouette', order: 'asc', limit: 100, offset: 0 });
    expect(worst.total).toBe(100);
    for (let i = 1; i < 100; i++) expect(worst.silhouette![i]).toBeGreaterThanOrEqual(worst.silhouette![i - 1]);
    const page2 = await call('runs/members', { id: run3.id, cluster: 2, sortBy: 'silhouette', order: 'asc', limit: 10, offset: 10 });
    expect(Array.from(page2.indices)).toEqual(Array.from(worst.indices.subarray(10, 20)));
    expect(await services.handle('runs/members', { id: run3.id, cluster: 3, sortBy: 'distance', order: 'asc', limit: 1 })).toMatchObject({
      ok: false,
      code: 'bad-request',
    });
  });

  it('a k sweep queues one run per k with a sweep id; compare matches clusters of two runs', async () => {
    const sweep = await call('runs/start', { datasetId, params: { seed: 5 }, sweep: { ks: [2, 3, 4] }, silhouette: { mode: 'none' }, name: 'sweep' });
    expect(sweep.sweepId).toMatch(/[0-9a-f-]{36}/);
    expect(sweep.runs.map((r) => [r.params.k, r.name, r.sweepId])).toEqual([
      [2, 'sweep k=2', sweep.sweepId],
      [3, 'sweep k=3', sweep.sweepId],
      [4, 'sweep k=4', sweep.sweepId],
    ]);
    const done = await Promise.all(sweep.runs.map((r) => finished(r.id)));
    expect(done.map((r) => r.status)).toEqual(['done', 'done', 'done']);
    expect((await call('runs/list', { sweepId: sweep.sweepId! })).map((r) => r.params.k)).toEqual([4, 3, 2]);
    expect(done[1].metrics!.silhouette).toBeNull();
    const same = await call('runs/compare', { a: run3.id, b: sweep.runs[1].id });
    expect(same).toMatchObject({ ka: 3, kb: 3, ari: 1, nmi: 1, agreement: 1 });
    const coarser = await call('runs/compare', { a: run3.id, b: sweep.runs[0].id });
    expect(coarser.ka).toBe(3);
    expect(coarser.kb).toBe(2);
    expect(coarser.matrix.reduce((a, b) => a + b, 0)).toBe(300);
    expect(coarser.agreement).toBeCloseTo(2 / 3, 12);
    expect(Array.from(coarser.aToB).filter((b) => b === -1)).toHaveLength(1);
    expect(await services.handle('runs/silhouetteHistogram', { id: sweep.runs[0].id })).toMatchObject({ ok: false, code: 'conflict' });
    expect((await call('queue/get', {})).queued).toEqual([]);
  });

  it('a group repeats one k over seeds; stability gives the seeds × seeds ARI and per-cluster Jaccard', async () => {
    const group = await call('runs/start', { datasetId, params: { k: 3 }, sweep: { ks: [3], seeds: [2, 0, 1] }, silhouette: { mode: 'none' } });
    expect(group.runs.map((r) => [r.params.k, r.params.seed, r.name])).toEqual([
      [3, 2, 'K-means k=3 · seed 2 · no silhouette'],
      [3, 0, 'K-means k=3 · seed 0 · no silhouette'],
      [3, 1, 'K-means k=3 · seed 1 · no silhouette'],
    ]);
    const done = await Promise.all(group.runs.map((r) => finished(r.id)));
    expect(done.every((r) => r.status === 'done')).toBe(true);
    const st = await call('runs/stability', { sweepId: group.sweepId! });
    expect(st.perK).toHaveLength(1);
    const s = st.perK[0]!;
    expect(s.seeds).toEqual([0, 1, 2]);
    expect(s.referenceRunId).toBe(group.runs[1].id);
    // three well-separated blobs: every seed finds the same partition
    expect(Array.from(s.ari)).toEqual(new Array(9).fill(1));
    expect(Array.from(s.jaccard)).toEqual([1, 1, 1]);
    expect(Array.from(s.sizes).sort()).toEqual([100, 100, 100]);
    // named groups and sweeps over seeds: the name, k and seed
    const named = await call('runs/start', { datasetId, params: { k: 2 }, sweep: { ks: [2, 3], seeds: [0, 1] }, silhouette: { mode: 'none' }, name: 'grid' });
    expect(named.runs.map((r) => r.name)).toEqual(['grid k=2 seed 0', 'grid k=2 seed 1', 'grid k=3 seed 0', 'grid k=3 seed 1']);
    await Promise.all(named.runs.map((r) => finished(r.id)));
    expect((await call('runs/stability', { sweepId: named.sweepId! })).perK.map((p) => p.k)).toEqual([2, 3]);
    expect(await call('runs/stability', { sweepId: 'no-such-sweep' })).toEqual({ sweepId: 'no-such-sweep', perK: [] });
    expect(await services.handle('runs/start', { datasetId, params: {}, sweep: { ks: [2], seeds: [1, 1] } })).toMatchObject({
      ok: false,
      message: expect.stringContaining('sweep.seeds must not repeat a seed'),
    });
  });

  it('retry queues a cancelled run again with its parameters; done runs cannot be retried', async () => {
    const slow = await call('runs/start', { datasetId, params: { k: 3, nInit: 50 }, silhouette: { mode: 'exact' } });
    const b = await call('runs/start', { datasetId, params: { k: 2, seed: 9 }, silhouette: { mode: 'none' } });
    const cancelled = await call('runs/cancel', { id: b.runs[0].id });
    expect(cancelled.status).toBe('cancelled');
    const retried = await call('runs/retry', { id: b.runs[0].id });
    expect(retried).toMatchObject({ id: b.runs[0].id, status: 'queued', error: null, finishedAt: null, params: { k: 2, seed: 9 } });
    const done = await waitEvent('run/updated', (r) => r.id === b.runs[0].id && r.status === 'done');
    expect(done.clusterSizes!.reduce((a, c) => a + c, 0)).toBe(300);
    await finished(slow.runs[0].id);
    expect(await services.handle('runs/retry', { id: b.runs[0].id })).toMatchObject({ ok: false, code: 'conflict', message: expect.stringContaining('is done') });
    expect(await services.handle('runs/retry', { id: 99999 })).toMatchObject({ ok: false, code: 'not-found' });
  });

  it("per-run preprocessing: stored with the run, computed in the worker, members measured in the run's units", async () => {
    expect(run3.preprocessing).toBe('none'); // float data: raw values by default
    const params = { k: 3, seed: 5 };
    const [scaled, standardized] = await Promise.all(
      (['scale', 'standardize'] as const).map(async (preprocessing) => {
        const started = await call('runs/start', { datasetId, params, preprocessing, silhouette: { mode: 'exact' } });
        expect(started.runs[0].preprocessing).toBe(preprocessing);
        return finished(started.runs[0].id);
      }),
    );
    expect((await call('runs/get', { id: standardized.id })).preprocessing).toBe('standardize');
    expect(standardized.status).toBe('done');
    expect(standardized.metrics!.inertia).not.toBeCloseTo(scaled.metrics!.inertia, 3);
    expect(standardized.metrics!.silhouette).not.toBeCloseTo(scaled.metrics!.silhouette!, 6);

    // the worker's result is the engine's on the standardized matrix
    const all = await call('datasets/samples', { id: datasetId, indices: Array.from({ length: 300 }, (_, i) => i) });
    const X = { n: 300, d: 2, data: all.data, scale: all.scale };
    const { matrix, transform } = preprocess(X, 'standardize');
    const local = await fitKMeans(matrix, params);
    expect(standardized.metrics!.inertia).toBeCloseTo(local.inertia, 9);
    const arrays = await call('runs/arrays', { id: standardized.id, include: ['centers'] });
    expect(Array.from(arrays.transform!.offset)).toEqual(Array.from(transform!.offset));
    expect(Array.from(arrays.centers!)).toEqual(Array.from(local.centers));

    const near = await call('runs/members', { id: standardized.id, cluster: 0, sortBy: 'distance', order: 'asc', limit: 3 });
    const row = near.indices[0];
    const z = [0, 1].map((j) => (all.data[row * 2 + j] - transform!.offset[j]) * transform!.factor[j] - arrays.centers![j]);
    expect(near.distances[0]).toBeCloseTo(Math.hypot(z[0], z[1]), 9);
  });

  it('rename, cancel rules, samples, deletes', async () => {
    const renamed = await call('runs/rename', { id: run3.id, name: '  three blobs ' });
    expect(renamed.name).toBe('three blobs');
    await waitEvent('run/updated', (r) => r.id === run3.id && r.name === 'three blobs');
    expect(await services.handle('runs/cancel', { id: run3.id })).toMatchObject({ ok: false, code: 'conflict', message: expect.stringContaining('already done') });
    const samples = await call('datasets/samples', { id: datasetId, indices: [299, 0] });
    expect(samples.data).toBeInstanceOf(Float32Array);
    expect(Array.from(samples.indices)).toEqual([299, 0]);
    expect(samples.labels!.length).toBe(2);
    expect(await services.handle('datasets/samples', { id: datasetId, indices: [300] })).toMatchObject({ ok: false, code: 'bad-request' });

    // a queued run is cancelled at once, a deleted run is announced
    const a = await call('runs/start', { datasetId, params: { k: 3, nInit: 20 }, silhouette: { mode: 'exact' } });
    const b = await call('runs/start', { datasetId, params: { k: 2 } });
    const cancelled = await call('runs/cancel', { id: b.runs[0].id });
    expect(cancelled.status).toBe('cancelled');
    expect(await services.handle('datasets/delete', { id: datasetId })).toMatchObject({ ok: false, code: 'conflict' });
    await call('runs/delete', { id: a.runs[0].id });
    await waitEvent('run/deleted', (p) => p.id === a.runs[0].id);
    expect(await services.handle('runs/get', { id: a.runs[0].id })).toMatchObject({ ok: false, code: 'not-found' });
    await call('datasets/delete', { id: datasetId });
    expect(await call('datasets/list', {})).toEqual([]);
    expect(await call('runs/list', {})).toEqual([]);
  });
});

function progressOf(id: number) {
  return events.filter((e) => e.name === 'job/progress' && (e.payload as { runId: number }).runId === id);
}
