/**
 * `bench --probe`: how long main takes to answer while heavy work runs. A real `serve` on a fresh data folder is
 * pinged with a cheap request (app/info) every 20 ms while, one after the other: an MNIST-size dataset (70,000 ×
 * 784 uint8, as .npy) is uploaded and imported, a K-means run (defaults, k = 10) on it runs and is saved, its
 * cluster profiles and a cluster's members with their rows are asked for, and runs/compare of two k = 1,500 runs (a Hungarian matching of seconds) is answered. Prints median, p99 and max
 * of the round trips per phase (the ping that overlaps each phase's end included, so a stall of main's own shows
 * even when it is the only ping). A measurement, not a test: nothing here asserts a time.
 */
import { join } from 'node:path';
import type { KMeansParams } from '../../../src-shared/model';
import type { ApiSocketClient } from '../../api-socket-client';
import { encodeNpy } from '../../datasets/npy';
import { Rng } from '../../engine/rng';
import { DB_FILE, Store } from '../../store';
import type { BenchContext, ModeResult } from './context';
import { startServeChild, trackRunEnds, upload } from './serve-child';
import { markdownTable, median, quantile } from './stats';

/**
 * Writes into the database in `dataDir` a labelled dataset of `n` × `d` random floats with `k` classes and two
 * done runs of `k` random clusters on it (what a k = 1,500 comparison needs, without fitting one). Before a server opens it.
 */
export function seedLargeComparison(dataDir: string, n = 30_000, d = 8, k = 1500): { datasetId: number; a: number; b: number } {
  const store = Store.open(join(dataDir, DB_FILE));
  try {
    const rng = new Rng(3);
    const data = Float32Array.from({ length: n * d }, () => rng.nextFloat());
    const labels = Int32Array.from({ length: n }, () => Math.floor(rng.nextFloat() * k));
    const labelNames = Array.from({ length: k }, (_, i) => `c${i}`);
    const datasetId = store.datasets.insert({ name: 'many classes', source: 'test', n, d, dtype: 'float32', data, scale: 1, labels, labelNames }).info.id;
    const params = { algorithm: 'kmeans', init: 'k-means++', nInit: 1, maxIter: 300, tol: 1e-4, seed: 0, batchSize: 1024, maxNoImprovement: 10, reassignmentRatio: 0.01, initSize: null, k } as KMeansParams;
    const done = (): number => {
      const run = store.runs.create({ datasetId, name: `k=${k}`, params, preprocessing: 'none', silhouette: { mode: 'none' }, sweepId: null });
      store.runs.markRunning(run.id);
      const metrics = { inertia: 1, silhouette: null, daviesBouldin: null, calinskiHarabasz: null, ari: null, nmi: null, ami: null, homogeneity: null, completeness: null, vMeasure: null, purity: null, accuracy: null };
      const runLabels = Int32Array.from({ length: n }, () => Math.floor(rng.nextFloat() * k));
      store.runs.saveResult(run.id, { centers: new Float64Array(k * d), transform: null, labels: runLabels, history: [], nIter: 1, metrics, silhouette: null, fitMs: 1, metricsMs: 1 });
      return run.id;
    };
    return { datasetId, a: done(), b: done() };
  } finally {
    store.close();
  }
}

/**
 * Sends app/info every `everyMs` until `until` settles; returns the round trips (ms) of the pings answered before
 * it did. The ping that overlaps the heavy reply is left out unless `keepOverlap`: this process then spends its
 * own time decoding the reply (megabytes of JSON for a large one), which says nothing about main; but when main
 * does the heavy work on its own event loop, that ping is the only one that sees the stall.
 */
export async function pingWhile(api: ApiSocketClient, until: Promise<unknown>, everyMs = 20, keepOverlap = false): Promise<number[]> {
  let ended = false;
  void until.finally(() => (ended = true)).catch(() => undefined);
  const ms: number[] = [];
  while (!ended) {
    const t0 = performance.now();
    await api.call('app/info', {});
    if (!ended || keepOverlap) ms.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return ms;
}

export function pingSummary(ms: number[]): string {
  return ms.length ? `${ms.length} pings, median ${median(ms).toFixed(1)} ms, p99 ${quantile(ms, 0.99).toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms` : 'no pings';
}

export async function runProbe(c: BenchContext): Promise<ModeResult> {
  const { log } = c;
  const phases: { phase: string; ms: number[] }[] = [];
  const s = await startServeChild({ noMnist: true, log, seed: (dir) => seedLargeComparison(dir) });
  const ends = trackRunEnds(s.api);
  try {
    const seeded = s.seeded as ReturnType<typeof seedLargeComparison>;
    const measure = async (phase: string, work: Promise<unknown>): Promise<void> => {
      const ms = await pingWhile(s.api, work, 20, true);
      await work;
      phases.push({ phase, ms });
      log(`${phase}: ${pingSummary(ms)}`);
    };
    const npy = encodeNpy({ type: 'uint8', shape: [c.X.n, c.X.d], data: c.X.data as Uint8Array });
    let datasetId = -1;
    await measure(
      `upload and import of a ${c.X.n} × ${c.X.d} uint8 .npy (${(npy.byteLength / 2 ** 20).toFixed(0)} MiB)`,
      (async () => {
        const uploadId = await upload(s, npy);
        const r = await s.api.call('datasets/import', { uploads: [{ name: 'mnist.npy', uploadId }] });
        datasetId = r.dataset.id;
      })(),
    );
    const start = await s.api.call('runs/start', { datasetId, params: { k: 10 } });
    const runId = start.runs[0].id;
    await measure(`a K-means run on it (k = 10, defaults) until its done event`, ends.end(runId));
    await measure(`runs/profiles of that run (in the view thread, which reads the dataset)`, s.api.call('runs/profiles', { id: runId }));
    await measure(
      `runs/members of its cluster 0 with rows (in the view thread too)`,
      s.api.call('runs/members', { id: runId, cluster: 0, sortBy: 'distance', order: 'asc', limit: 50 }),
    );
    await measure(`runs/compare of two k = 1,500 runs`, s.api.call('runs/compare', { a: seeded.a, b: seeded.b }));
  } finally {
    ends.stop();
    s.api.close();
    await s.stop();
  }
  const table = markdownTable(
    ['while', 'pings', 'median ms', 'p99 ms', 'max ms'],
    phases.map((p) => [p.phase, String(p.ms.length), median(p.ms).toFixed(1), quantile(p.ms, 0.99).toFixed(1), Math.max(...p.ms).toFixed(1)]),
  );
  return { rows: [], notes: ["Main's latency: app/info round trips over the socket, one every 20 ms, while each phase ran.", '', ...table], json: { probe: phases } };
}
