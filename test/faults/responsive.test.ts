/**
 * Main keeps answering while heavy work runs: a clustering job in its worker, and runs/compare and
 * runs/contingency at k = 1,500 (a Hungarian matching of O(k²·c), seconds of work) in the view thread.
 * The checks are about order, not speed: other requests are answered before the heavy reply arrives. The
 * latencies are printed as a measurement.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { KMeansParams } from '../../src-shared/model';
import { Rng } from '../../src-main/engine/rng';
import { DB_FILE } from '../../src-main/services';
import { Store } from '../../src-main/store';
import type { TestClient } from '../server/ws-client';
import { cleanup, runReaches, serve, SLOW, startRun, stop, tempDataDir } from './harness';

const dir = tempDataDir('responsive');
afterAll(cleanup);

const N = 30_000;
const D = 8;
const K = 1500;
const CLASSES = 1500;

/** A labelled dataset and two done runs with k = 1,500 random labels, written before the server starts. */
function seed(): { datasetId: number; a: number; b: number } {
  const store = Store.open(join(dir, DB_FILE));
  try {
    const rng = new Rng(3);
    const data = Float32Array.from({ length: N * D }, () => rng.nextFloat());
    const labels = Int32Array.from({ length: N }, () => Math.floor(rng.nextFloat() * CLASSES));
    const labelNames = Array.from({ length: CLASSES }, (_, i) => `c${i}`);
    const datasetId = store.datasets.insert({ name: 'many classes', source: 'test', n: N, d: D, dtype: 'float32', data, scale: 1, labels, labelNames }).info.id;
    const params = { algorithm: 'kmeans', init: 'k-means++', nInit: 1, maxIter: 300, tol: 1e-4, seed: 0, batchSize: 1024, maxNoImprovement: 10, reassignmentRatio: 0.01, initSize: null, k: K } as KMeansParams;
    const done = (): number => {
      const run = store.runs.create({ datasetId, name: 'k=1500', params, preprocessing: 'none', silhouette: { mode: 'none' }, sweepId: null });
      store.runs.markRunning(run.id);
      const metrics = { inertia: 1, silhouette: null, daviesBouldin: null, calinskiHarabasz: null, ari: null, nmi: null, ami: null, homogeneity: null, completeness: null, vMeasure: null, purity: null, accuracy: null };
      const runLabels = Int32Array.from({ length: N }, () => Math.floor(rng.nextFloat() * K));
      store.runs.saveResult(run.id, { centers: new Float64Array(K * D), transform: null, labels: runLabels, history: [], nIter: 1, metrics, silhouette: null, fitMs: 1, metricsMs: 1 });
      return run.id;
    };
    return { datasetId, a: done(), b: done() };
  } finally {
    store.close();
  }
}

/**
 * Sends app/info every 20 ms until `until` settles; returns the round trips (ms) of the pings answered before
 * it did. (The ping that overlaps the heavy reply is left out: this process then spends its own time decoding
 * megabytes of JSON, which says nothing about main.)
 */
async function pingWhile(api: TestClient, until: Promise<unknown>): Promise<{ ms: number[]; beforeEnd: number }> {
  let ended = false;
  void until.finally(() => (ended = true));
  const ms: number[] = [];
  while (!ended) {
    const t0 = performance.now();
    await api.call('app/info', {});
    if (!ended) ms.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { ms, beforeEnd: ms.length };
}

function summary(ms: number[]): string {
  const s = [...ms].sort((x, y) => x - y);
  return `${s.length} pings, median ${s[Math.floor(s.length / 2)].toFixed(1)} ms, max ${s[s.length - 1].toFixed(1)} ms`;
}

describe('main stays responsive', () => {
  it('answers other requests while a job runs and while k = 1,500 comparisons are computed', async () => {
    const { datasetId, a, b } = seed();
    const s = await serve(dir);

    const job = await startRun(s.api, datasetId, { ...SLOW, k: 32, nInit: 4 });
    await runReaches(s.api, job, ['running']);
    const duringJob = await pingWhile(s.api, new Promise((r) => setTimeout(r, 3000)));
    await s.api.call('runs/cancel', { id: job });

    const compare = s.api.request('runs/compare', { a, b });
    const duringCompare = await pingWhile(s.api, compare);
    const compared = await compare;
    expect(compared.ok).toBe(true);
    if (!compared.ok) return;
    expect(compared.data.aToB).toHaveLength(K);
    expect(new Set(compared.data.aToB).size).toBe(K); // a full one-to-one matching
    expect(duringCompare.beforeEnd).toBeGreaterThan(0); // main answered while the matching was computed

    const contingency = s.api.request('runs/contingency', { id: a });
    const duringContingency = await pingWhile(s.api, contingency);
    const table = await contingency;
    expect(table).toMatchObject({ ok: true, data: { k: K, classes: CLASSES } });
    expect(duringContingency.beforeEnd).toBeGreaterThan(0);

    console.log(
      `main's app/info round trip — while a job runs: ${summary(duringJob.ms)}; ` +
        `during runs/compare k=${K}: ${summary(duringCompare.ms)}; during runs/contingency ${K}×${CLASSES}: ${summary(duringContingency.ms)}`,
    );
    await stop(s);
  }, 120_000);
});
