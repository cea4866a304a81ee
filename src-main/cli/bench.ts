/**
 * `kmeans-explorer bench [--quick] [--only JOBS] [--json OUT]`: our engine and scikit-learn on the same MNIST data, alternating,
 * in one run. scikit-learn runs in a long-lived child (/usr/bin/python3 scripts/bench/sklearn_bench.py) with
 * OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE removed from its environment; when it cannot start, ours runs alone.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { DataMatrix } from '../../src-shared/model';
import { loadMnist } from '../datasets/mnist';
import { pca } from '../engine/embed/pca';
import { fitKMeans } from '../engine/kmeans';
import { silhouetteSamples } from '../engine/metrics/silhouette';
import { benchByK } from './bench-k';
import { parseOptions, stringOptions, UsageError, writeJson, type CliCommand } from './common';
import { repoRoot, SklearnChild, type SkInfo } from './sklearn-child';

export const help = `Usage: kmeans-explorer bench [--quick] [--only JOBS] [--json OUT] [--python PATH]

Times this engine and scikit-learn on MNIST (k = 10), alternating, in one run:
  K-means (k-means++, nInit 1) seeds 0-4 against KMeans(algorithm='lloyd') and ('elkan'),
  mini-batch K-means (nInit 3) seeds 0-4 against MiniBatchKMeans,
  the exact silhouette of every sample (true digit labels) against silhouette_samples, once,
  PCA to 2 components (exact, all rows) against PCA(n_components=2).fit_transform, N times.
Prints medians, their ratio, quality (mean inertia of both, largest silhouette difference) and the
peak memory (RSS) of each computing process. Full: all 70,000 digits (scikit-learn's silhouette alone
takes minutes). scikit-learn runs on float64 X / 255 with OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset.
Each side first runs one untimed warm-up fit per job; every timed job starts after a 0.3 s pause.

  --quick          the first 10,000 digits (about a minute)
  --seeds N        seeds 0 … N−1 (default 5)
  --only JOBS      comma-separated subset of kmeans,minibatch,silhouette,pca (default all four)
  --json OUT       also write every measurement as JSON to OUT ("-" for stdout)
  --python PATH    the Python with scikit-learn (default /usr/bin/python3)
  --k K1,K2,…      K-means alone at each k instead (see docs/benchmarks.md): a row per k against KMeans(lloyd)
                   and (elkan), with n_iter, inertia and labels compared and both sides' k-means++ time
  -h, --help       this help`;

interface JobTimes {
  ours: number[];
  sklearn: number[];
  oursCpu: number[];
  sklearnCpu: number[];
  oursQuality: number[];
  sklearnQuality: number[];
  oursIters: number[];
  sklearnIters: number[];
}

interface Row {
  job: string;
  ours: JobTimes;
  note: string;
}

function median(a: number[]): number {
  if (a.length === 0) return NaN;
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function mean(a: number[]): number {
  return a.length ? a.reduce((x, y) => x + y, 0) / a.length : NaN;
}

/** CPU seconds (user + system, every thread of this process) since c0. */
function cpuSince(c0: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
}

function oursRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

function sec(v: number): string {
  return Number.isNaN(v) ? '—' : v >= 10 ? v.toFixed(1) : v.toFixed(3);
}

/**
 * A pause before every timed job, so that each starts on an idle machine: after a job, OpenBLAS's and OpenMP's
 * threads keep spinning for a while (and ours for 0.5 ms), which would otherwise eat into the next job's time.
 */
const SETTLE_MS = 300;
/** Seed of the untimed warm-up fits. */
const WARMUP_SEED = 99;
function settle(): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, SETTLE_MS);
  });
}

async function run(argv: string[]): Promise<void> {
  const o = parseOptions('bench', argv, { quick: { type: 'boolean' }, ...stringOptions('json', 'python', 'seeds', 'only', 'k') });
  if (o.help) {
    process.stdout.write(`${help}\n`);
    return;
  }
  const quick = o.quick === true;
  if (o.k !== undefined) return benchByK(o.k, { quick, python: o.python, seeds: o.seeds, json: o.json });
  const nSeeds = o.seeds === undefined ? 5 : Number(o.seeds);
  if (!(Number.isInteger(nSeeds) && nSeeds >= 1 && nSeeds <= 100)) throw new UsageError(`--seeds must be an integer 1…100, got "${o.seeds}"`);
  const python = o.python ?? '/usr/bin/python3';
  const JOBS = ['kmeans', 'minibatch', 'silhouette', 'pca'] as const;
  const only = new Set(o.only === undefined ? JOBS : o.only.split(',').map((s) => s.trim()));
  for (const j of only) {
    if (!(JOBS as readonly string[]).includes(j)) throw new UsageError(`--only takes ${JOBS.join(', ')}; got "${j}"`);
  }
  const seeds = Array.from({ length: nSeeds }, (_, i) => i);
  const log = (s: string): void => {
    process.stderr.write(`${s}\n`);
  };

  const mnist = loadMnist();
  const n = quick ? 10_000 : mnist.n;
  const X: DataMatrix = { n, d: mnist.d, data: mnist.data.subarray(0, n * mnist.d), scale: mnist.scale };
  const labels = (mnist.labels as Int32Array).subarray(0, n);

  let sk: SklearnChild | null = null;
  let skInfo: SkInfo | null = null;
  let skMissing: string | null = null;
  const probe = spawnSync(python, ['-c', 'import sklearn'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    skMissing = `scikit-learn is not available at ${python} (${(probe.stderr || String(probe.error ?? '')).trim().split('\n').pop()}); install Debian's python3-sklearn. Running ours alone.`;
    log(skMissing);
  } else {
    sk = new SklearnChild(python, join(repoRoot(), 'scripts', 'bench', 'sklearn_bench.py'));
    skInfo = await sk.call<SkInfo>({ op: 'info' });
  }

  const empty = (): JobTimes => ({ ours: [], sklearn: [], oursCpu: [], sklearnCpu: [], oursQuality: [], sklearnQuality: [], oursIters: [], sklearnIters: [] });
  const lloyd = empty();
  const elkan = empty();
  const mini = empty();
  const sil = empty();
  let skRss = skInfo?.max_rss_mb ?? NaN;
  const rssAfter: Record<string, { ours: number; sklearn: number }> = {};
  interface SkFit { seconds: number; cpu_seconds: number; inertia: number; n_iter: number; max_rss_mb: number }

  // one untimed warm-up fit per job and side (seed 99): our JavaScript and WASM code is compiled to optimized code
  // while it runs, and scikit-learn's first call also pays one-off costs; the timed fits then compare steady states
  if (only.has('kmeans')) {
    const t0 = performance.now();
    await fitKMeans(X, { k: 10, init: 'k-means++', nInit: 1, seed: WARMUP_SEED });
    log(`K-means warm-up (not timed in the table): ours ${sec((performance.now() - t0) / 1000)} s`);
    if (sk) {
      for (const algorithm of ['lloyd', 'elkan'] as const) {
        const s = await sk.call<SkFit>({ op: 'kmeans', n, seed: WARMUP_SEED, algorithm });
        log(`K-means warm-up (not timed in the table): scikit-learn ${algorithm} ${sec(s.seconds)} s`);
      }
    }
  }
  for (const seed of only.has('kmeans') ? seeds : []) {
    await settle();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await fitKMeans(X, { k: 10, init: 'k-means++', nInit: 1, seed });
    const t = (performance.now() - t0) / 1000;
    const c = cpuSince(c0);
    lloyd.ours.push(t);
    lloyd.oursCpu.push(c);
    elkan.oursCpu.push(c);
    lloyd.oursQuality.push(r.inertia);
    lloyd.oursIters.push(r.nIter);
    elkan.ours.push(t);
    elkan.oursQuality.push(r.inertia);
    elkan.oursIters.push(r.nIter);
    log(`K-means seed ${seed}: ours ${sec(t)} s (${r.nIter} it, inertia ${r.inertia.toFixed(1)})`);
    if (sk) {
      for (const [algorithm, jt] of [['lloyd', lloyd], ['elkan', elkan]] as const) {
        await settle();
        const s = await sk.call<SkFit>({ op: 'kmeans', n, seed, algorithm });
        jt.sklearn.push(s.seconds);
        jt.sklearnCpu.push(s.cpu_seconds);
        jt.sklearnQuality.push(s.inertia);
        jt.sklearnIters.push(s.n_iter);
        skRss = s.max_rss_mb;
        log(`K-means seed ${seed}: scikit-learn ${algorithm} ${sec(s.seconds)} s (${s.n_iter} it, inertia ${s.inertia.toFixed(1)})`);
      }
    }
  }
  if (only.has('kmeans')) rssAfter.kmeans = { ours: oursRssMb(), sklearn: skRss };

  if (only.has('minibatch')) {
    const t0 = performance.now();
    await fitKMeans(X, { k: 10, algorithm: 'minibatch', init: 'k-means++', nInit: 3, seed: WARMUP_SEED });
    log(`mini-batch warm-up (not timed in the table): ours ${sec((performance.now() - t0) / 1000)} s`);
    if (sk) {
      const s = await sk.call<SkFit>({ op: 'minibatch', n, seed: WARMUP_SEED });
      log(`mini-batch warm-up (not timed in the table): scikit-learn ${sec(s.seconds)} s`);
    }
  }
  for (const seed of only.has('minibatch') ? seeds : []) {
    await settle();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await fitKMeans(X, { k: 10, algorithm: 'minibatch', init: 'k-means++', nInit: 3, seed });
    const t = (performance.now() - t0) / 1000;
    mini.ours.push(t);
    mini.oursCpu.push(cpuSince(c0));
    mini.oursQuality.push(r.inertia);
    mini.oursIters.push(r.nIter);
    log(`mini-batch seed ${seed}: ours ${sec(t)} s (${r.nIter} steps, inertia ${r.inertia.toFixed(1)})`);
    if (sk) {
      await settle();
      const s = await sk.call<SkFit>({ op: 'minibatch', n, seed });
      mini.sklearn.push(s.seconds);
      mini.sklearnCpu.push(s.cpu_seconds);
      mini.sklearnQuality.push(s.inertia);
      mini.sklearnIters.push(s.n_iter);
      skRss = s.max_rss_mb;
      log(`mini-batch seed ${seed}: scikit-learn ${sec(s.seconds)} s (${s.n_iter} steps, inertia ${s.inertia.toFixed(1)})`);
    }
  }
  if (only.has('minibatch')) rssAfter.minibatch = { ours: oursRssMb(), sklearn: skRss };

  let maxDiff = NaN;
  if (only.has('silhouette')) {
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
    if (sk) {
      log(`silhouette (${n} samples): scikit-learn running${quick ? '' : ' (several minutes)'} …`);
      await settle();
      t0 = performance.now();
      const s = await sk.call<{ seconds: number; cpu_seconds: number; values: number[]; max_rss_mb: number }>({ op: 'silhouette', n });
      sil.sklearn.push(s.seconds);
      sil.sklearnCpu.push(s.cpu_seconds);
      skRss = s.max_rss_mb;
      maxDiff = 0;
      for (let i = 0; i < n; i++) maxDiff = Math.max(maxDiff, Math.abs(ours[i] - s.values[i]));
      log(`silhouette (${n} samples): scikit-learn ${sec(s.seconds)} s, max |Δ| ${maxDiff.toExponential(2)}`);
    }
    rssAfter.silhouette = { ours: oursRssMb(), sklearn: skRss };
  }
  // PCA: ours is exact and deterministic (the seed only seeds scikit-learn's randomized solver); the quality
  // column compares the explained variance ratio of the first component
  const pcaTimes = empty();
  if (only.has('pca')) {
    pca(X);
    if (sk) await sk.call({ op: 'pca', n, seed: WARMUP_SEED });
    log('PCA warm-up done (not timed in the table)');
  }
  for (const seed of only.has('pca') ? seeds : []) {
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
      skRss = s.max_rss_mb;
      log(`PCA ${seed}: scikit-learn ${sec(s.seconds)} s (ratio ${s.ratio.map((v) => v.toFixed(6)).join(', ')})`);
    }
  }
  if (only.has('pca')) rssAfter.pca = { ours: oursRssMb(), sklearn: skRss };
  sk?.close();

  // ---- table --------------------------------------------------------------------------------------------
  const pctDiff = (a: number, b: number): string => `${(((a - b) / b) * 100).toFixed(3)} %`;
  const quality = (jt: JobTimes): string =>
    jt.sklearnQuality.length
      ? `mean inertia ${mean(jt.oursQuality).toFixed(1)} vs ${mean(jt.sklearnQuality).toFixed(1)} (${pctDiff(mean(jt.oursQuality), mean(jt.sklearnQuality))})`
      : `mean inertia ${mean(jt.oursQuality).toFixed(1)}`;
  const rows: Row[] = [
    { job: `K-means vs KMeans(lloyd), ${n} × 784, k=10, seeds 0–${nSeeds - 1}`, ours: lloyd, note: quality(lloyd) },
    { job: `K-means vs KMeans(elkan), same fits`, ours: elkan, note: quality(elkan) },
    { job: `mini-batch vs MiniBatchKMeans, nInit 3, seeds 0–${nSeeds - 1}`, ours: mini, note: quality(mini) },
    {
      job: `exact silhouette_samples, ${n} samples, once`,
      ours: sil,
      note: Number.isNaN(maxDiff) ? '' : `max abs Δ silhouette ${maxDiff.toExponential(2)}`,
    },
    {
      job: `PCA(2) of all ${n} rows, ${nSeeds} times`,
      ours: pcaTimes,
      note: pcaTimes.sklearnQuality.length
        ? `PC 1 variance ratio ${mean(pcaTimes.oursQuality).toFixed(6)} vs ${mean(pcaTimes.sklearnQuality).toFixed(6)}`
        : `PC 1 variance ratio ${mean(pcaTimes.oursQuality).toFixed(6)}`,
    },
  ].filter((r) => r.ours.ours.length > 0);
  const header = ['job', 'ours (median s)', 'scikit-learn (median s)', 'speed-up', 'CPU s ours / sklearn (medians)', 'quality'];
  const table = rows.map((r) => {
    const a = median(r.ours.ours);
    const b = median(r.ours.sklearn);
    const cpu = `${sec(median(r.ours.oursCpu))} / ${sec(median(r.ours.sklearnCpu))}`;
    return [r.job, sec(a), sec(b), Number.isNaN(b) ? '—' : `${(b / a).toFixed(1)}×`, cpu, r.note];
  });
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const lines: string[] = [];
  lines.push(`Machine: ${cpu}, ${availableParallelism()} threads, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node} (V8 ${process.versions.v8})`);
  if (skInfo) {
    const pools = skInfo.threadpools.map((p) => Object.values(p).filter((v) => v !== null).join(' ')).join('; ');
    lines.push(`scikit-learn ${skInfo.sklearn}, numpy ${skInfo.numpy}, Python ${skInfo.python}; threadpoolctl: ${pools}`);
  } else {
    lines.push(skMissing ?? 'scikit-learn not run');
  }
  lines.push('');
  lines.push(`| ${header.join(' | ')} |`);
  lines.push(`|${header.map(() => '---').join('|')}|`);
  for (const r of table) lines.push(`| ${r.join(' | ')} |`);
  lines.push('');
  const mem = Object.entries(rssAfter)
    .map(([k, v]) => `${k}: ours ${v.ours.toFixed(0)} MB, scikit-learn ${Number.isNaN(v.sklearn) ? '—' : v.sklearn.toFixed(0)} MB`)
    .join('; ');
  lines.push(`Peak RSS of each computing process after each job (cumulative): ${mem}`);
  process.stdout.write(`${lines.join('\n')}\n`);

  if (o.json !== undefined) {
    writeJson(o.json, {
      quick,
      n,
      seeds,
      machine: { cpu, threads: availableParallelism(), memGiB: totalmem() / 2 ** 30, node: process.versions.node },
      sklearn: skInfo,
      jobs: { lloyd, elkan, minibatch: mini, silhouette: { ...sil, maxAbsDiff: maxDiff }, pca: pcaTimes },
      peakRssMb: rssAfter,
    });
  }
}

export const command: CliCommand = { help, run };
