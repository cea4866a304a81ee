/**
 * `bench --click`: click to result, as the app's user waits for it. A real `serve` (browser mode, real worker
 * processes, its own SQLite file, the built-in MNIST) is driven over its WebSocket API as the renderer does: each
 * run is started with the app's defaults (k = 10, nInit 'auto', sampled silhouette) and timed from sending
 * `runs/start` to the run's `done` event (the target row: the result is on screen; the silhouette follows `done`),
 * and to the `run/updated` that brings its final silhouette (second row). Side by side, in the scikit-learn child,
 * the notebook equivalent of one result: the fit with the same defaults + silhouette_score(sample_size=10000) +
 * ARI + NMI; both rows are set against it.
 * Then, with the exact silhouette, a mini-batch run per seed: click → done, click → first estimate of the
 * silhouette on the wire (its job/progress report) and click → the exact value; scikit-learn's silhouette_samples
 * of all 70,000 is timed by the warm bench (`bench --only silhouette`), not here.
 */
import type { JobProgress, RunInfo } from '../../../src-shared/api';
import type { BenchContext, BenchRow, ModeResult } from './context';
import { startServeChild, trackRunEnds } from './serve-child';
import { emptyTimes, mean, median, sec, settle } from './stats';

interface NotebookResult {
  seconds: number;
  fit_seconds: number;
  cpu_seconds: number;
  inertia: number;
  silhouette: number;
  ari: number;
  nmi: number;
}

const ALGORITHMS = [
  { algorithm: 'minibatch', label: 'mini-batch', sklearn: 'MiniBatchKMeans' },
  { algorithm: 'kmeans', label: 'K-means', sklearn: 'KMeans' },
] as const;

export async function runClick(c: BenchContext): Promise<ModeResult> {
  const { log, sk } = c;
  if (c.quick) log('--click always uses all 70,000 digits (the built-in MNIST of the app); --quick is ignored');
  const t0 = performance.now();
  const s = await startServeChild({ log });
  log(`serve ready (built-in MNIST imported) in ${sec((performance.now() - t0) / 1000)} s`);
  const rows: BenchRow[] = [];
  const fitSplit: string[] = [];
  const notes: string[] = [];
  const json: Record<string, unknown> = {};
  const ends = trackRunEnds(s.api);
  try {
    const datasets = await s.api.call('datasets/list', {});
    const mnist = datasets.find((d) => d.n === 70_000 && d.d === 784);
    if (!mnist) throw new Error('the server has no built-in MNIST dataset');
    for (const a of ALGORITHMS) {
      const times = emptyTimes();
      /** Click → the final silhouette (it follows `done`). */
      const toSilhouette: number[] = [];
      const fits: number[] = [];
      const metrics: number[] = [];
      const skFits: number[] = [];
      const quality: string[] = [];
      for (const seed of c.seeds) {
        await settle();
        const start = performance.now();
        const started = await s.api.call('runs/start', { datasetId: mnist.id, params: { k: 10, algorithm: a.algorithm, seed } });
        const id = started.runs[0].id;
        const end = await ends.end(id);
        const t = (end.at - start) / 1000;
        if (end.status !== 'done') throw new Error(`run ${id} ended ${end.status}: ${end.error ?? ''}`);
        const landed = await ends.silhouette(id);
        if (landed.status !== 'final') throw new Error(`run ${id}: its silhouette is ${landed.status}: ${landed.error ?? ''}`);
        toSilhouette.push((landed.at - start) / 1000);
        const run: RunInfo = await s.api.call('runs/get', { id });
        times.ours.push(t);
        times.oursQuality.push(run.metrics?.inertia ?? NaN);
        fits.push((run.fitMs ?? NaN) / 1000);
        metrics.push((run.metricsMs ?? NaN) / 1000);
        log(`${a.label} seed ${seed}: app ${sec(t)} s click to result, ${sec(toSilhouette.at(-1)!)} s to its final silhouette (fit ${sec((run.fitMs ?? NaN) / 1000)} s, metrics ${sec((run.metricsMs ?? NaN) / 1000)} s)`);
        if (sk) {
          await settle();
          const r = await sk.call<NotebookResult>({ op: 'notebook', n: 70_000, seed, algorithm: a.algorithm });
          times.sklearn.push(r.seconds);
          times.sklearnCpu.push(r.cpu_seconds);
          times.sklearnQuality.push(r.inertia);
          skFits.push(r.fit_seconds);
          quality.push(`sil ${run.metrics?.silhouette?.toFixed(3) ?? '—'} vs ${r.silhouette.toFixed(3)}`);
          log(`${a.label} seed ${seed}: notebook ${sec(r.seconds)} s (fit ${sec(r.fit_seconds)} s, silhouette ${r.silhouette.toFixed(4)}, ARI ${r.ari.toFixed(4)}, NMI ${r.nmi.toFixed(4)})`);
        }
      }
      rows.push({
        job: `TARGET ${a.label} k=10, defaults, click → done (result shown; silhouette follows) vs ${a.sklearn} + silhouette_score(10000) + ARI + NMI, seeds 0–${c.seeds.length - 1}`,
        times,
        note: times.sklearnQuality.length
          ? `mean inertia ${mean(times.oursQuality).toFixed(1)} vs ${mean(times.sklearnQuality).toFixed(1)}; ${quality.join(', ')}`
          : `mean inertia ${mean(times.oursQuality).toFixed(1)}`,
      });
      rows.push({
        job: `${a.label} k=10, defaults, click → silhouette final (after done) vs the same notebook, seeds 0–${c.seeds.length - 1}`,
        times: { ...emptyTimes(), ours: toSilhouette, sklearn: times.sklearn, sklearnCpu: times.sklearnCpu },
        note: 'the sampled silhouette lands in the saved run after done',
      });
      fitSplit.push(
        `${a.label}: the app's median ${sec(median(times.ours))} s to done holds the worker's fit (${sec(median(fits))} s), the metrics before done, worker start, ` +
          `loading, saving and events; its metrics in all took ${sec(median(metrics))} s, the silhouette's part after done; scikit-learn's fit alone ${sec(median(skFits))} s`,
      );
      json[a.algorithm] = { ...times, appSilhouetteFinalSeconds: toSilhouette, appFitSeconds: fits, appMetricsSeconds: metrics, sklearnFitSeconds: skFits };
    }
    notes.push(await exactSilhouetteWait(c, s.api, ends, mnist.id));
  } finally {
    ends.stop();
    s.api.close();
    await s.stop();
  }
  const what = [
    'Click to result (the TARGET rows): from sending runs/start to the run/updated event with status done, as the renderer sees it; the result (labels, centers, every metric but the silhouette) is on screen then.',
    'Click to silhouette final: to the later run/updated that brings the silhouette (computed after done, same values).',
  ];
  return { rows, notes: [...what, ...fitSplit, ...notes], json: { click: json } };
}

/**
 * Mini-batch runs with the exact silhouette: click → the first job/progress report with a silhouette estimate,
 * and click → done (the exact value of all rows). Returns the summary note.
 */
async function exactSilhouetteWait(
  c: BenchContext,
  api: Parameters<typeof trackRunEnds>[0],
  ends: ReturnType<typeof trackRunEnds>,
  datasetId: number,
): Promise<string> {
  const firstEstimate = new Map<number, number>();
  const off = api.onEvent((name, payload) => {
    const p = payload as JobProgress;
    if (name === 'job/progress' && p.silhouetteEstimate && !firstEstimate.has(p.runId)) firstEstimate.set(p.runId, performance.now());
  });
  const toDone: number[] = [];
  const toEstimate: number[] = [];
  const toExact: number[] = [];
  try {
    for (const seed of c.seeds) {
      await settle();
      const start = performance.now();
      const started = await api.call('runs/start', { datasetId, params: { k: 10, algorithm: 'minibatch', seed }, silhouette: { mode: 'exact' } });
      const id = started.runs[0].id;
      const end = await ends.end(id);
      if (end.status !== 'done') throw new Error(`run ${id} ended ${end.status}: ${end.error ?? ''}`);
      const landed = await ends.silhouette(id);
      if (landed.status !== 'final') throw new Error(`run ${id}: its silhouette is ${landed.status}: ${landed.error ?? ''}`);
      const est = firstEstimate.get(id);
      toDone.push((end.at - start) / 1000);
      toEstimate.push(est === undefined ? NaN : (est - start) / 1000);
      toExact.push((landed.at - start) / 1000);
      c.log(`mini-batch seed ${seed}, exact silhouette: done ${sec(toDone.at(-1)!)} s, first estimate ${sec(toEstimate.at(-1)!)} s, exact ${sec(toExact.at(-1)!)} s after the click`);
    }
  } finally {
    off();
  }
  return `mini-batch k=10 with the exact silhouette (all 70,000 rows), median of seeds 0–${c.seeds.length - 1}: click → done ${sec(median(toDone))} s, click → first estimate ${sec(median(toEstimate))} s, click → exact ${sec(median(toExact))} s`;
}
