/**
 * Done-when of the app core: browser mode started as a real process on a temporary data dir imports
 * MNIST, runs mini-batch K-means on it through the WebSocket API with progress events, ends `done` with
 * centers, labels and metrics; after a restart of the server the run is still there.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { JobProgress, RunInfo } from '../../src-shared/api';
import { connect, type TestClient } from './ws-client';
import { killAllServes, startServe, stopServe, type ServeProcess } from './serve-process';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';

const dataDir = makeTempDir('browser');

type Started = ServeProcess;
const serve = (): Promise<Started> => startServe(['--port', '0', '--data-dir', dataDir]);
const stop = stopServe;

afterAll(() => {
  killAllServes();
  removeTempDir(dataDir);
});

describe('browser mode, end to end', () => {
  it('runs mini-batch K-means on MNIST over the WebSocket and keeps it across a restart', async () => {
    const first = await serve();
    const api: TestClient = await connect(first.url, first.token);
    const importMs = await first.ready;
    const datasets = await api.call('datasets/list', {});
    expect(datasets).toHaveLength(1);
    const mnist = datasets[0];
    expect(mnist).toMatchObject({ name: 'MNIST', n: 70_000, d: 784, dtype: 'uint8', source: 'builtin:mnist', imageShape: [28, 28, 1] });
    expect(mnist.classCounts!.reduce((a, b) => a + b, 0)).toBe(70_000);

    const started = await api.call('runs/start', {
      datasetId: mnist.id,
      params: { algorithm: 'minibatch', k: 10, seed: 0 },
      silhouette: { mode: 'sample', sampleSize: 1000 },
    });
    const id = started.runs[0].id;
    expect(['queued', 'running']).toContain(started.runs[0].status);
    expect(started.runs[0]).toMatchObject({ params: { algorithm: 'minibatch', batchSize: 1024, maxIter: 100 } });
    const queue = await api.call('queue/get', {});
    expect([...queue.running.map((r) => r.run.id), ...queue.queued.map((r) => r.id)]).toContain(id);

    const done = (await api.waitEvent('run/updated', (r) => r.id === id && !['queued', 'running'].includes(r.status), 180_000)) as RunInfo;
    expect(done.error).toBeNull();
    expect(done.status).toBe('done');

    const progress = api.events.filter((e) => e.name === 'job/progress').map((e) => e.payload as JobProgress);
    expect(progress.filter((p) => p.phase === 'fit').length).toBeGreaterThan(1);
    expect(progress.some((p) => p.phase === 'fit' && Number.isFinite(p.inertia))).toBe(true);
    for (let i = 1; i < progress.length; i++) expect(progress[i].fraction).toBeGreaterThanOrEqual(progress[i - 1].fraction);

    const arrays = await api.call('runs/arrays', { id });
    expect(arrays.centers).toBeInstanceOf(Float64Array);
    expect(arrays.centers!.length).toBe(10 * 784);
    expect(arrays.labels).toBeInstanceOf(Int32Array);
    expect(arrays.labels!.length).toBe(70_000);
    expect(new Set(arrays.labels).size).toBe(10);
    // done comes when the result is saved; the sampled silhouette lands in a later run/updated
    expect(done.silhouetteState).toBe('pending');
    expect(done.metrics!.silhouette).toBeNull();
    const final = (await api.waitEvent('run/updated', (r) => r.id === id && r.status === 'done' && r.silhouetteState !== 'pending', 180_000)) as RunInfo;
    expect(final.silhouetteState).toBe('final');
    expect(final.status).toBe('done');
    const m = final.metrics!;
    expect(m.inertia).toBe(done.metrics!.inertia);
    expect(m.inertia).toBeGreaterThan(0);
    // MNIST with k=10: ARI ≈ 0.35–0.40 and NMI ≈ 0.5 for K-means
    expect(m.ari).toBeGreaterThan(0.25);
    expect(m.nmi).toBeGreaterThan(0.4);
    expect(m.silhouette).toBeGreaterThan(0);
    expect(done.clusterSizes!.reduce((a, b) => a + b, 0)).toBe(70_000);
    api.close();
    await stop(first);

    const second = await serve();
    const again = await connect(second.url, second.token);
    const runs = await again.call('runs/list', {});
    expect(runs.map((r) => [r.id, r.status])).toEqual([[id, 'done']]);
    expect(runs[0].metrics).toEqual(final.metrics);
    const arrays2 = await again.call('runs/arrays', { id, include: ['centers', 'labels'] });
    expect(arrays2.centers).toEqual(arrays.centers);
    expect(arrays2.labels).toEqual(arrays.labels);
    expect(await again.call('datasets/list', {})).toHaveLength(1); // MNIST is not imported twice
    const info = await again.call('app/info', {});
    expect(info.startup).toBeNull();
    again.close();
    await stop(second);
    console.log(`first start until MNIST is stored: ${importMs} ms; run: fit ${done.fitMs?.toFixed(0)} ms, metrics ${done.metricsMs?.toFixed(0)} ms`);
  }, 300_000);
});
