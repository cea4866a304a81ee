/**
 * `bench --probe`: how long main takes to answer while heavy work runs. A real `serve` on a fresh data folder is
 * pinged with a cheap request (app/info) every 20 ms while, one after the other: an MNIST-size dataset (70,000 ×
 * 784 uint8, as .npy) is uploaded and imported, a K-means run (defaults, k = 10) on it runs and is saved, its
 * cluster profiles and a cluster's members with their rows are asked for, and runs/compare of two k = 1,500 runs (a Hungarian matching of seconds) is answered. Prints median, p99 and max
 * of the round trips per phase (the ping that overlaps each phase's end included, so a stall of main's own shows
 * even when it is the only ping). A measurement, not a test: nothing here asserts a time.
 */
import { spawn } from 'node:child_process';
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

/**
 * The same from another process, over plain HTTP: a HEAD of `url` every `everyMs` (answered by main's event loop,
 * 401 without the token, which is all a ping needs), so neither a shared socket nor this process's decoding of a
 * large reply stands in front of it — what every other client of main sees. Returns the round trips (ms) until
 * `until` settles, the one in flight then included.
 */
export async function pingFromAnotherProcess(url: string, until: Promise<unknown>, everyMs = 20): Promise<number[]> {
  const script = `const http = require('node:http');
const ping = () => { const t0 = performance.now(); const req = http.request(process.argv[1], { method: 'HEAD', agent: false }, (res) => {
  res.resume(); res.on('end', () => { process.stdout.write((performance.now() - t0).toFixed(2) + '\\n'); setTimeout(ping, ${everyMs}); }); });
  req.on('error', () => process.exit(1)); req.end(); };
process.stdin.on('data', () => process.exit(0)); ping();`;
  const child = spawn(process.execPath, ['-e', script, url], { stdio: ['pipe', 'pipe', 'ignore'] });
  const ms: number[] = [];
  let rest = '';
  child.stdout.on('data', (b: Buffer) => {
    const lines = (rest + b.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines) if (l) ms.push(Number(l));
  });
  await until.catch(() => undefined);
  // the ping in flight when the work ended, then stop
  const count = ms.length;
  await new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (ms.length > count || child.exitCode !== null) {
        clearInterval(check);
        resolve();
      }
    }, 5);
  });
  const exited = new Promise((r) => child.once('exit', r));
  child.stdin.end('stop\n');
  await exited;
  return ms;
}

export function pingSummary(ms: number[]): string {
  return ms.length ? `${ms.length} pings, median ${median(ms).toFixed(1)} ms, p99 ${quantile(ms, 0.99).toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms` : 'no pings';
}

export async function runProbe(c: BenchContext): Promise<ModeResult> {
  const { log } = c;
  const phases: { phase: string; ms: number[]; other: number[] }[] = [];
  const s = await startServeChild({ noMnist: true, log, seed: (dir) => seedLargeComparison(dir) });
  const ends = trackRunEnds(s.api);
  try {
    const seeded = s.seeded as ReturnType<typeof seedLargeComparison>;
    const measure = async (phase: string, work: Promise<unknown>): Promise<void> => {
      const [ms, other] = await Promise.all([pingWhile(s.api, work, 20, true), pingFromAnotherProcess(s.url, work)]);
      await work;
      phases.push({ phase, ms, other });
      log(`${phase}: ${pingSummary(ms)}; from another process: ${pingSummary(other)}`);
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
  const stats = (ms: number[]): string[] => [String(ms.length), median(ms).toFixed(1), quantile(ms, 0.99).toFixed(1), Math.max(...ms).toFixed(1)];
  const table = markdownTable(
    ['while', 'socket pings', 'median ms', 'p99 ms', 'max ms', 'HTTP pings, other process', 'median ms', 'p99 ms', 'max ms'],
    phases.map((p) => [p.phase, ...stats(p.ms), ...stats(p.other)]),
  );
  const notes = [
    "Main's latency while each phase ran: app/info round trips over this client's socket, one every 20 ms (a ping",
    "queued behind a large reply on the same socket waits for this process to decode it), and HEAD requests from",
    'another process every 20 ms (what every other client of main sees).',
    '',
    ...table,
  ];
  return { rows: [], notes, json: { probe: phases } };
}
