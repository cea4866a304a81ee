/**
 * `kmeans-explorer bench [--quick] [--only JOBS] [--json OUT]`: our engine and scikit-learn on the same MNIST data, alternating,
 * in one run. Each mode lives in its own module under bench/ and registers itself in MODES below.
 */
import type { DataMatrix } from '../../src-shared/model';
import { loadMnist } from '../datasets/mnist';
import { runClick } from './bench/click';
import { runCold } from './bench/cold';
import type { BenchContext, ModeResult } from './bench/context';
import { runProbe } from './bench/probe';
import { machine, report } from './bench/report';
import { startSklearn } from './bench/sklearn-child';
import { runWarm, WARM_JOBS } from './bench/warm';
import { benchByK } from './bench/by-k';
import { parseOptions, stringOptions, UsageError, writeJson, type CliCommand } from './common';

export const help = `Usage: kmeans-explorer bench [--quick] [--only JOBS] [--cold | --click | --probe | --k K1,K2,…] [--json OUT] [--python PATH]

Times this engine and scikit-learn on MNIST (k = 10), alternating, in one run:
  K-means (k-means++, nInit 1) seeds 0-4 against KMeans(algorithm='lloyd') and ('elkan'),
  mini-batch K-means (nInit 3) seeds 0-4 against MiniBatchKMeans,
  the exact silhouette of every sample (true digit labels) against silhouette_samples, once,
  PCA to 2 components (exact, all rows) against PCA(n_components=2).fit_transform, N times.
Prints medians, their ratio, quality (mean inertia of both, largest silhouette difference) and the
peak memory (RSS) of each computing process. Full: all 70,000 digits (scikit-learn's silhouette alone
takes minutes). scikit-learn runs on float64 X / 255 with OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset.
Each side first runs one untimed warm-up fit per job; every timed job starts after a 0.3 s pause.

  --cold           the fit as the CLI user gets it instead: each fit (defaults, k = 10, mini-batch
                   then K-means, seeds 0 … N−1) in a fresh "cluster --dataset mnist" process, against
                   MiniBatchKMeans / KMeans(n_init='auto'); prints the process wall time beside it
  --click          click to result instead: a real serve (browser mode, real workers) driven over its
                   WebSocket API as the renderer does; each run (defaults, k = 10: mini-batch, then
                   K-means, seeds 0 … N−1) timed from runs/start to its done event, against the
                   notebook equivalent (fit + silhouette_score(sample_size=10000) + ARI + NMI); then
                   mini-batch runs with the exact silhouette: click → first estimate, click → exact
  --probe          main's latency instead: app/info every 20 ms against a real serve while an
                   MNIST-size upload + import, a K-means run and a k = 1,500 runs/compare run;
                   prints median, p99 and max per phase (scikit-learn is not started)
  --quick          the first 10,000 digits (about a minute)
  --seeds N        seeds 0 … N−1 (default 5)
  --only JOBS      comma-separated subset of kmeans,minibatch,silhouette,pca (default all four)
  --json OUT       also write every measurement as JSON to OUT ("-" for stdout)
  --python PATH    the Python with scikit-learn (default /usr/bin/python3)
  --k K1,K2,…      K-means alone at each k instead (see docs/benchmarks.md): a row per k against KMeans(lloyd)
                   and (elkan), with n_iter, inertia and labels compared and both sides' k-means++ time,
                   then mini-batch at k = 100 in a fresh process against MiniBatchKMeans(n_init='auto')
  --sweep KS       with --k: also a sweep over KS ("2-100", "2-100:7"), one fit per k, seed 0, against
                   scikit-learn's loop of KMeans over the same ks
  -h, --help       this help`;

/** A bench mode other than the default warm jobs: chosen by its boolean flag, runs instead of them. */
interface BenchMode {
  flag: string;
  /** Whether the mode times scikit-learn too (else its child is not started). */
  sklearn: boolean;
  run: (c: BenchContext) => Promise<ModeResult>;
}

/** Extra modes, each in its own module under bench/; the first whose flag is given runs. */
const MODES: BenchMode[] = [
  { flag: 'cold', sklearn: true, run: runCold },
  { flag: 'click', sklearn: true, run: runClick },
  { flag: 'probe', sklearn: false, run: runProbe },
];

async function run(argv: string[]): Promise<void> {
  const modeFlags = Object.fromEntries(MODES.map((m) => [m.flag, { type: 'boolean' as const }]));
  const o = parseOptions('bench', argv, { quick: { type: 'boolean' }, ...modeFlags, ...stringOptions('json', 'python', 'seeds', 'only', 'k', 'sweep') });
  if (o.help) {
    process.stdout.write(`${help}\n`);
    return;
  }
  const quick = o.quick === true;
  if (o.sweep !== undefined && o.k === undefined) throw new UsageError('--sweep goes with --k (e.g. --k 100 --sweep 2-100)');
  if (o.k !== undefined) return benchByK(o.k, { quick, python: o.python, seeds: o.seeds, json: o.json, sweep: o.sweep });
  const nSeeds = o.seeds === undefined ? 5 : Number(o.seeds);
  if (!(Number.isInteger(nSeeds) && nSeeds >= 1 && nSeeds <= 100)) throw new UsageError(`--seeds must be an integer 1…100, got "${o.seeds}"`);
  const python = o.python ?? '/usr/bin/python3';
  const only = new Set(o.only === undefined ? WARM_JOBS : o.only.split(',').map((s) => s.trim()));
  for (const j of only) {
    if (!(WARM_JOBS as readonly string[]).includes(j)) throw new UsageError(`--only takes ${WARM_JOBS.join(', ')}; got "${j}"`);
  }
  const mode = MODES.find((m) => (o as Record<string, unknown>)[m.flag] === true);
  const log = (s: string): void => {
    process.stderr.write(`${s}\n`);
  };

  const mnist = loadMnist();
  const n = quick ? 10_000 : mnist.n;
  const X: DataMatrix = { n, d: mnist.d, data: mnist.data.subarray(0, n * mnist.d), scale: mnist.scale };
  const labels = (mnist.labels as Int32Array).subarray(0, n);
  const side = mode?.sklearn === false ? ({ sk: null, info: null, missing: `scikit-learn not run (--${mode.flag} times the app alone)` } as const) : await startSklearn(python, log);
  const ctx: BenchContext = { X, labels, n, quick, seeds: Array.from({ length: nSeeds }, (_, i) => i), sk: side.sk, log };
  let result: ModeResult;
  try {
    result = mode ? await mode.run(ctx) : await runWarm(ctx, only, side.info?.max_rss_mb ?? NaN);
  } finally {
    side.sk?.close();
  }
  process.stdout.write(report(result.rows, result.notes, side.info, side.missing));
  if (o.json !== undefined) {
    writeJson(o.json, { quick, n, seeds: ctx.seeds, mode: mode?.flag ?? 'warm', machine: machine(), sklearn: side.info, ...result.json });
  }
}

export const command: CliCommand = { help, run };
