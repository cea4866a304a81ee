/**
 * The warm jobs of `bench` (the default mode): every fit in this one process after an untimed warm-up, against the
 * same jobs in the long-lived scikit-learn child.
 */
import { pca } from '../../engine/embed/pca';
import { fitKMeans } from '../../engine/kmeans';
import { silhouetteSamples } from '../../engine/metrics/silhouette';
import type { BenchContext, BenchRow, ModeResult } from './context';
import type { SkFit } from './sklearn-child';
import { cpuSince, emptyTimes, mean, oursRssMb, sec, settle, WARMUP_SEED, type JobTimes } from './stats';

export const WARM_JOBS = ['kmeans', 'minibatch', 'silhouette', 'pca'] as const;
export type WarmJob = (typeof WARM_JOBS)[number];

const pctDiff = (a: number, b: number): string => `${(((a - b) / b) * 100).toFixed(3)} %`;
export function inertiaNote(jt: JobTimes): string {
  return jt.sklearnQuality.length
    ? `mean inertia ${mean(jt.oursQuality).toFixed(1)} vs ${mean(jt.sklearnQuality).toFixed(1)} (${pctDiff(mean(jt.oursQuality), mean(jt.sklearnQuality))})`
    : `mean inertia ${mean(jt.oursQuality).toFixed(1)}`;
}

function pushSk(jt: JobTimes, s: SkFit): void {
  jt.sklearn.push(s.seconds);
  jt.sklearnCpu.push(s.cpu_seconds);
  jt.sklearnQuality.push(s.inertia);
  jt.sklearnIters.push(s.n_iter);
}

interface Peak {
  /** The scikit-learn child's peak RSS so far (MB). */
  sk: number;
}

async function kmeansJob(c: BenchContext, peak: Peak): Promise<BenchRow[]> {
  const { X, sk, log, seeds } = c;
  const lloyd = emptyTimes();
  const elkan = emptyTimes();
  // one untimed warm-up fit per job and side (seed 99): our JavaScript and WASM code is compiled to optimized code
  // while it runs, and scikit-learn's first call also pays one-off costs; the timed fits then compare steady states
  const t0 = performance.now();
  await fitKMeans(X, { k: 10, init: 'k-means++', nInit: 1, seed: WARMUP_SEED });
  log(`K-means warm-up (not timed in the table): ours ${sec((performance.now() - t0) / 1000)} s`);
  if (sk) {
    for (const algorithm of ['lloyd', 'elkan'] as const) {
      const s = await sk.call<SkFit>({ op: 'kmeans', n: c.n, seed: WARMUP_SEED, algorithm });
      log(`K-means warm-up (not timed in the table): scikit-learn ${algorithm} ${sec(s.seconds)} s`);
    }
  }
  for (const seed of seeds) {
    await settle();
    const c0 = process.cpuUsage();
    const t1 = performance.now();
    const r = await fitKMeans(X, { k: 10, init: 'k-means++', nInit: 1, seed });
    const t = (performance.now() - t1) / 1000;
    const cpu = cpuSince(c0);
    for (const jt of [lloyd, elkan]) {
      jt.ours.push(t);
      jt.oursCpu.push(cpu);
      jt.oursQuality.push(r.inertia);
      jt.oursIters.push(r.nIter);
    }
    log(`K-means seed ${seed}: ours ${sec(t)} s (${r.nIter} it, inertia ${r.inertia.toFixed(1)})`);
    if (sk) {
      for (const [algorithm, jt] of [['lloyd', lloyd], ['elkan', elkan]] as const) {
        await settle();
        const s = await sk.call<SkFit>({ op: 'kmeans', n: c.n, seed, algorithm });
        pushSk(jt, s);
        peak.sk = s.max_rss_mb;
        log(`K-means seed ${seed}: scikit-learn ${algorithm} ${sec(s.seconds)} s (${s.n_iter} it, inertia ${s.inertia.toFixed(1)})`);
      }
    }
  }
  const last = seeds.length - 1;
  return [
    { job: `K-means vs KMeans(lloyd), ${c.n} × 784, k=10, seeds 0–${last}`, times: lloyd, note: inertiaNote(lloyd) },
    { job: `K-means vs KMeans(elkan), same fits`, times: elkan, note: inertiaNote(elkan) },
  ];
}

async function minibatchJob(c: BenchContext, peak: Peak): Promise<BenchRow[]> {
  const { X, sk, log, seeds } = c;
  const mini = emptyTimes();
  const t0 = performance.now();
  await fitKMeans(X, { k: 10, algorithm: 'minibatch', init: 'k-means++', nInit: 3, seed: WARMUP_SEED });
  log(`mini-batch warm-up (not timed in the table): ours ${sec((performance.now() - t0) / 1000)} s`);
  if (sk) {
    const s = await sk.call<SkFit>({ op: 'minibatch', n: c.n, seed: WARMUP_SEED });
    log(`mini-batch warm-up (not timed in the table): scikit-learn ${sec(s.seconds)} s`);
  }
  for (const seed of seeds) {
    await settle();
    const c0 = process.cpuUsage();
    const t1 = performance.now();
    const r = await fitKMeans(X, { k: 10, algorithm: 'minibatch', init: 'k-means++', nInit: 3, seed });
    const t = (performance.now() - t1) / 1000;
    mini.ours.push(t);
    mini.oursCpu.push(cpuSince(c0));
    mini.oursQuality.push(r.inertia);
    mini.oursIters.push(r.nIter);
    log(`mini-batch seed ${seed}: ours ${sec(t)} s (${r.nIter} steps, inertia ${r.inertia.toFixed(1)})`);
    if (sk) {
      await settle();
      const s = await sk.call<SkFit>({ op: 'minibatch', n: c.n, seed });
      pushSk(mini, s);
      peak.sk = s.max_rss_mb;
      log(`mini-batch seed ${seed}: scikit-learn ${sec(s.seconds)} s (${s.n_iter} steps, inertia ${s.inertia.toFixed(1)})`);
    }
  }
  return [{ job: `mini-batch vs MiniBatchKMeans, nInit 3, seeds 0–${seeds.length - 1}`, times: mini, note: inertiaNote(mini) }];
}

async function silhouetteJob(c: BenchContext, peak: Peak): Promise<BenchRow[]> {
  const { X, labels, sk, log, n } = c;
  const sil = emptyTimes();
  await settle();
  const c0 = process.cpuUsage();
  let t0 = performance.now();
  let lastShown = -1;
  const ours = await silhouetteSamples(X, labels, {
    onProgress: (f) => {
      const pct = Math.floor(f * 10);
      if (pct !== lastShown) {
        lastShown = pct;
        process.stderr.write(`\rsilhouette: ours ${(f * 100).toFixed(0)} %`);
      }
    },
  });
  const tSil = (performance.now() - t0) / 1000;
  process.stderr.write('\n');
  sil.ours.push(tSil);
  sil.oursCpu.push(cpuSince(c0));
  log(`silhouette (${n} samples): ours ${sec(tSil)} s`);
  let maxDiff = NaN;
  if (sk) {
    log(`silhouette (${n} samples): scikit-learn running${c.quick ? '' : ' (several minutes)'} …`);
    await settle();
    t0 = performance.now();
    const s = await sk.call<{ seconds: number; cpu_seconds: number; values: number[]; max_rss_mb: number }>({ op: 'silhouette', n });
    sil.sklearn.push(s.seconds);
    sil.sklearnCpu.push(s.cpu_seconds);
    peak.sk = s.max_rss_mb;
    maxDiff = 0;
    for (let i = 0; i < n; i++) maxDiff = Math.max(maxDiff, Math.abs(ours[i] - s.values[i]));
    log(`silhouette (${n} samples): scikit-learn ${sec(s.seconds)} s, max |Δ| ${maxDiff.toExponential(2)}`);
  }
  return [
    {
      job: `exact silhouette_samples, ${n} samples, once`,
      times: Object.assign(sil, { maxAbsDiff: maxDiff }),
      note: Number.isNaN(maxDiff) ? '' : `max abs Δ silhouette ${maxDiff.toExponential(2)}`,
    },
  ];
}

// PCA: ours is exact and deterministic (the seed only seeds scikit-learn's randomized solver); the quality
// column compares the explained variance ratio of the first component
async function pcaJob(c: BenchContext, peak: Peak): Promise<BenchRow[]> {
  const { X, sk, log, seeds, n } = c;
  const pcaTimes = emptyTimes();
  pca(X);
  if (sk) await sk.call({ op: 'pca', n, seed: WARMUP_SEED });
  log('PCA warm-up done (not timed in the table)');
  for (const seed of seeds) {
    await settle();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = pca(X);
    const t = (performance.now() - t0) / 1000;
    pcaTimes.ours.push(t);
    pcaTimes.oursCpu.push(cpuSince(c0));
    pcaTimes.oursQuality.push(r.explainedVarianceRatio[0]);
    log(`PCA ${seed}: ours ${sec(t)} s (ratio ${Array.from(r.explainedVarianceRatio, (v) => v.toFixed(6)).join(', ')})`);
    if (sk) {
      await settle();
      const s = await sk.call<{ seconds: number; cpu_seconds: number; ratio: number[]; max_rss_mb: number }>({ op: 'pca', n, seed });
      pcaTimes.sklearn.push(s.seconds);
      pcaTimes.sklearnCpu.push(s.cpu_seconds);
      pcaTimes.sklearnQuality.push(s.ratio[0]);
      peak.sk = s.max_rss_mb;
      log(`PCA ${seed}: scikit-learn ${sec(s.seconds)} s (ratio ${s.ratio.map((v) => v.toFixed(6)).join(', ')})`);
    }
  }
  return [
    {
      job: `PCA(2) of all ${n} rows, ${seeds.length} times`,
      times: pcaTimes,
      note: pcaTimes.sklearnQuality.length
        ? `PC 1 variance ratio ${mean(pcaTimes.oursQuality).toFixed(6)} vs ${mean(pcaTimes.sklearnQuality).toFixed(6)}`
        : `PC 1 variance ratio ${mean(pcaTimes.oursQuality).toFixed(6)}`,
    },
  ];
}

const RUNNERS: Record<WarmJob, (c: BenchContext, peak: Peak) => Promise<BenchRow[]>> = {
  kmeans: kmeansJob,
  minibatch: minibatchJob,
  silhouette: silhouetteJob,
  pca: pcaJob,
};

/** The warm jobs in `only`, in the order of WARM_JOBS, with the peak RSS of both sides after each. */
export async function runWarm(c: BenchContext, only: ReadonlySet<string>, skStartRssMb: number): Promise<ModeResult> {
  const peak: Peak = { sk: skStartRssMb };
  const rows: BenchRow[] = [];
  const rssAfter: Record<string, { ours: number; sklearn: number }> = {};
  const json: Record<string, unknown> = {};
  for (const job of WARM_JOBS) {
    if (!only.has(job)) continue;
    const jobRows = await RUNNERS[job](c, peak);
    rows.push(...jobRows);
    rssAfter[job] = { ours: oursRssMb(), sklearn: peak.sk };
    if (job === 'kmeans') Object.assign(json, { lloyd: jobRows[0].times, elkan: jobRows[1].times });
    else json[job] = jobRows[0].times;
  }
  const mem = Object.entries(rssAfter)
    .map(([k, v]) => `${k}: ours ${v.ours.toFixed(0)} MB, scikit-learn ${Number.isNaN(v.sklearn) ? '—' : v.sklearn.toFixed(0)} MB`)
    .join('; ');
  return { rows, notes: [`Peak RSS of each computing process after each job (cumulative): ${mem}`], json: { jobs: json, peakRssMb: rssAfter } };
}
