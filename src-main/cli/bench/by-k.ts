/**
 * `kmeans-explorer bench --k 10,100,500`: K-means at several k on MNIST, one row per k against scikit-learn's
 * KMeans(algorithm='lloyd') and ('elkan') on the same rows and seed, with n_iter, inertia and labels compared,
 * and the k-means++ initialisation timed alone on both sides (kmeansPlusPlus against sklearn's kmeans_plusplus);
 * then mini-batch K-means at k = 100 in a fresh process and (--sweep) a sweep over k (by-k-sweep.ts).
 */
import type { DataMatrix } from '../../../src-shared/model';
import { loadMnist } from '../../datasets/mnist';
import { defaultLloydKernel } from '../../engine/kernels/default';
import { fitKMeans } from '../../engine/kmeans';
import { kmeansPlusPlus } from '../../engine/kmeans/init';
import { Rng } from '../../engine/rng';
import { UsageError, writeJson } from '../common';
import { extraLines, minibatchFresh, parseSweep, sweep, type MinibatchRow, type SweepRow } from './by-k-sweep';
import { startSklearn } from './sklearn-child';

export interface BenchKOptions {
  quick: boolean;
  python?: string;
  /** One seed (the first of 0 … seeds − 1 is used; --seeds N repeats each k with seeds 0 … N − 1). */
  seeds?: string;
  json?: string;
  /** --sweep: the ks of a sweep (one fit per k, seed 0) timed after the rows, e.g. "2-100". */
  sweep?: string;
}

interface SkFit { seconds: number; inertia: number; n_iter: number; labels: number[]; max_rss_mb: number }
interface SkInit { seconds: number; indices: number[] }

interface KRow {
  k: number;
  seed: number;
  ours: { seconds: number; nIter: number; inertia: number; initSeconds: number; rssMb: number };
  lloyd: SkFit | null;
  elkan: SkFit | null;
  skInit: SkInit | null;
  /** Our labels equal to lloyd's and elkan's, and our k-means++ rows equal to kmeans_plusplus's. */
  labelsEqual: [boolean, boolean] | null;
  initEqual: boolean | null;
}

/** Parses "10,100,500": integers 2 … 10,000, each once. */
export function parseKList(text: string): number[] {
  const ks = text.split(',').map((s) => s.trim());
  const out: number[] = [];
  for (const s of ks) {
    const k = Number(s);
    if (s === '' || !Number.isInteger(k) || k < 2 || k > 10_000) throw new UsageError(`--k takes integers 2…10000 separated by commas; got "${s}"`);
    if (!out.includes(k)) out.push(k);
  }
  return out;
}

const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 300));
const s3 = (v: number): string => (Number.isFinite(v) ? v.toFixed(v >= 10 ? 1 : 3) : '—');

function sameLabels(a: Int32Array, b: number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export async function benchByK(kText: string, o: BenchKOptions): Promise<void> {
  const ks = parseKList(kText);
  const nSeeds = o.seeds === undefined ? 1 : Number(o.seeds);
  if (!(Number.isInteger(nSeeds) && nSeeds >= 1 && nSeeds <= 100)) throw new UsageError(`--seeds must be an integer 1…100, got "${o.seeds}"`);
  const python = o.python ?? '/usr/bin/python3';
  const log = (s: string): void => {
    process.stderr.write(`${s}\n`);
  };
  const mnist = loadMnist();
  const n = o.quick ? 10_000 : mnist.n;
  const X: DataMatrix = { n, d: mnist.d, data: mnist.data.subarray(0, n * mnist.d), scale: mnist.scale };
  for (const k of ks) if (k >= n) throw new UsageError(`--k ${k} needs more than ${n} rows`);
  const sweepKs = o.sweep === undefined ? null : parseSweep(o.sweep, n);

  const { sk } = await startSklearn(python, log);

  // untimed warm-up (JIT, threads, staging)
  await fitKMeans(X, { k: 10, init: 'k-means++', nInit: 1, seed: 99 });
  const kernel = defaultLloydKernel(X);
  const rowNorms = new Float64Array(n);
  kernel.rowNorms(X.data, X.d, 0, n, rowNorms);

  const rows: KRow[] = [];
  for (const k of ks) {
    for (let seed = 0; seed < nSeeds; seed++) {
      await pause();
      let t0 = performance.now();
      const chosen = kmeansPlusPlus(X.data, n, X.d, rowNorms, k, new Rng(seed), kernel);
      const initSeconds = (performance.now() - t0) / 1000;
      await pause();
      t0 = performance.now();
      const r = await fitKMeans(X, { k, init: 'k-means++', nInit: 1, seed });
      const seconds = (performance.now() - t0) / 1000;
      const row: KRow = {
        k, seed,
        ours: { seconds, nIter: r.nIter, inertia: r.inertia, initSeconds, rssMb: process.resourceUsage().maxRSS / 1024 },
        lloyd: null, elkan: null, skInit: null, labelsEqual: null, initEqual: null,
      };
      log(`k=${k} seed ${seed}: ours ${s3(seconds)} s (${r.nIter} it, inertia ${r.inertia.toFixed(1)}), k-means++ ${s3(initSeconds)} s`);
      if (sk) {
        await pause();
        row.skInit = await sk.call<SkInit>({ op: 'kmeanspp', n, seed, k });
        row.initEqual = sameLabels(chosen, row.skInit.indices);
        for (const algorithm of ['lloyd', 'elkan'] as const) {
          await pause();
          const f = await sk.call<SkFit>({ op: 'kmeans', n, seed, k, algorithm, labels: true });
          row[algorithm] = f;
          log(`k=${k} seed ${seed}: scikit-learn ${algorithm} ${s3(f.seconds)} s (${f.n_iter} it, inertia ${f.inertia.toFixed(1)})`);
        }
        row.labelsEqual = [sameLabels(r.labels, row.lloyd!.labels), sameLabels(r.labels, row.elkan!.labels)];
        log(`k=${k} seed ${seed}: scikit-learn kmeans_plusplus ${s3(row.skInit.seconds)} s`);
      }
      rows.push(row);
    }
  }
  const mb: MinibatchRow = await minibatchFresh(0, sk, log);
  const sw: SweepRow | null = sweepKs === null ? null : await sweep(X, sweepKs, 0, sk, log);
  sk?.close();

  const header = ['k', 'seed', 'ours s', 'lloyd s', '× lloyd', 'elkan s', '× elkan', 'n_iter ours / lloyd / elkan', 'inertia rel. diff (lloyd)', 'labels = lloyd, elkan', 'k-means++ s ours / sklearn (share of our fit)', 'same k-means++ rows', 'peak RSS MB'];
  const lines = [`MNIST ${n} × ${X.d}, K-means (k-means++, nInit 1), one fit per k and seed`, '', `| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const lw = r.lloyd?.seconds ?? NaN;
    const el = r.elkan?.seconds ?? NaN;
    const rel = r.lloyd ? Math.abs(r.ours.inertia - r.lloyd.inertia) / r.lloyd.inertia : NaN;
    lines.push(`| ${[
      r.k, r.seed, s3(r.ours.seconds), s3(lw), Number.isNaN(lw) ? '—' : `${(lw / r.ours.seconds).toFixed(1)}×`,
      s3(el), Number.isNaN(el) ? '—' : `${(el / r.ours.seconds).toFixed(1)}×`,
      `${r.ours.nIter} / ${r.lloyd?.n_iter ?? '—'} / ${r.elkan?.n_iter ?? '—'}`,
      Number.isNaN(rel) ? '—' : rel.toExponential(1),
      r.labelsEqual ? r.labelsEqual.map((b) => (b ? 'yes' : 'NO')).join(', ') : '—',
      `${s3(r.ours.initSeconds)} / ${s3(r.skInit?.seconds ?? NaN)} (${((r.ours.initSeconds / r.ours.seconds) * 100).toFixed(0)} %)`,
      r.initEqual === null ? '—' : r.initEqual ? 'yes' : 'NO',
      r.ours.rssMb.toFixed(0),
    ].join(' | ')} |`);
  }
  lines.push(...extraLines(mb, sw));
  process.stdout.write(`${lines.join('\n')}\n`);
  if (o.json !== undefined) {
    writeJson(o.json, { n, ks, minibatch: mb, sweep: sw, rows: rows.map((r) => ({ ...r, lloyd: r.lloyd && { ...r.lloyd, labels: undefined }, elkan: r.elkan && { ...r.elkan, labels: undefined }, skInit: r.skInit && { seconds: r.skInit.seconds } })) });
  }
}
