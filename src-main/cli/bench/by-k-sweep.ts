/**
 * The two extra rows of `bench --k`: mini-batch K-means at k = 100 in a fresh `cluster` process against
 * MiniBatchKMeans(n_clusters=100, n_init='auto'), and (with --sweep) a sweep over k, one fit per k with one seed,
 * against scikit-learn's loop of KMeans over the same ks in its one child.
 */
import type { DataMatrix } from '../../../src-shared/model';
import { parseKList } from '../../../src-shared/k-list';
import { fitKMeans } from '../../engine/kmeans';
import { UsageError } from '../common';
import { clusterProcess } from './cold';
import type { SklearnChild } from './sklearn-child';
import { sec, settle } from './stats';

/** k of the mini-batch row (issue 17's target row). */
export const MINIBATCH_K = 100;

export interface MinibatchRow {
  k: number;
  seed: number;
  ours: { fitSeconds: number; processSeconds: number; inertia: number; nIter: number };
  sklearn: { seconds: number; inertia: number; n_iter: number } | null;
}

export interface SweepRow {
  ks: number[];
  seed: number;
  ours: { seconds: number; inertia: number[]; nIter: number[] };
  sklearn: { seconds: number; inertia: number[]; n_iter: number[] } | null;
}

/** Parses --sweep ("2-100", "2-100:7", "2,5,10"): ks of 2 … 500 (the workbench's sweep limit), each below n. */
export function parseSweep(text: string, n: number): number[] {
  const r = parseKList(text);
  if (!r.ok) throw new UsageError(`--sweep: ${r.message}`);
  if (r.ks[0] < 2) throw new UsageError('--sweep: every k must be at least 2');
  if (r.ks[r.ks.length - 1] >= n) throw new UsageError(`--sweep: k must be below the ${n} rows`);
  return r.ks;
}

/** Mini-batch K-means, the CLI's defaults, at k = MINIBATCH_K on all 70,000 digits in a fresh process. */
export async function minibatchFresh(seed: number, sk: SklearnChild | null, log: (s: string) => void): Promise<MinibatchRow> {
  await settle();
  const { json, wall } = await clusterProcess(['--dataset', 'mnist', '--k', String(MINIBATCH_K), '--algorithm', 'minibatch', '--seed', String(seed), '--silhouette', 'none']);
  log(`mini-batch k=${MINIBATCH_K} seed ${seed}: fresh cluster process: fit ${sec(json.seconds.fit)} s (process ${sec(wall)} s, ${json.nIter} steps, inertia ${json.inertia.toFixed(1)})`);
  const row: MinibatchRow = { k: MINIBATCH_K, seed, ours: { fitSeconds: json.seconds.fit, processSeconds: wall, inertia: json.inertia, nIter: json.nIter }, sklearn: null };
  if (sk) {
    await settle();
    row.sklearn = await sk.call({ op: 'notebook', n: 70_000, seed, algorithm: 'minibatch', k: MINIBATCH_K, metrics: false });
    log(`mini-batch k=${MINIBATCH_K} seed ${seed}: scikit-learn MiniBatchKMeans ${sec(row.sklearn!.seconds)} s (${row.sklearn!.n_iter} steps, inertia ${row.sklearn!.inertia.toFixed(1)})`);
  }
  return row;
}

/** K-means (k-means++, nInit 1) at every k of the sweep on X in this process, then scikit-learn's loop. */
export async function sweep(X: DataMatrix, ks: number[], seed: number, sk: SklearnChild | null, log: (s: string) => void): Promise<SweepRow> {
  await settle();
  const inertia: number[] = [];
  const nIter: number[] = [];
  const t0 = performance.now();
  for (const k of ks) {
    const r = await fitKMeans(X, { k, init: 'k-means++', nInit: 1, seed });
    inertia.push(r.inertia);
    nIter.push(r.nIter);
  }
  const seconds = (performance.now() - t0) / 1000;
  log(`sweep k=${ks[0]}…${ks[ks.length - 1]} (${ks.length} fits) seed ${seed}: ours ${sec(seconds)} s`);
  const row: SweepRow = { ks, seed, ours: { seconds, inertia, nIter }, sklearn: null };
  if (sk) {
    await settle();
    row.sklearn = await sk.call({ op: 'sweep', n: X.n, seed, ks });
    log(`sweep: scikit-learn KMeans loop ${sec(row.sklearn!.seconds)} s`);
  }
  return row;
}

/** Markdown lines for both rows (either may be absent). */
export function extraLines(mb: MinibatchRow | null, sw: SweepRow | null): string[] {
  const lines: string[] = [];
  if (mb) {
    const s = mb.sklearn;
    lines.push('', `Mini-batch K-means at k = ${mb.k} (MNIST 70000, seed ${mb.seed}), our fit in a fresh \`cluster\` process against MiniBatchKMeans(n_clusters=${mb.k}, n_init='auto'):`, '',
      '| ours fit s (process s) | sklearn s | × | steps ours / sklearn | inertia ours / sklearn |', '|---|---|---|---|---|',
      `| ${sec(mb.ours.fitSeconds)} (${sec(mb.ours.processSeconds)}) | ${s ? sec(s.seconds) : '—'} | ${s ? `${(s.seconds / mb.ours.fitSeconds).toFixed(1)}×` : '—'} | ${mb.ours.nIter} / ${s?.n_iter ?? '—'} | ${mb.ours.inertia.toFixed(0)} / ${s ? s.inertia.toFixed(0) : '—'} |`);
  }
  if (sw) {
    const s = sw.sklearn;
    const worst = s ? Math.max(...sw.ours.inertia.map((v, i) => Math.abs(v - s.inertia[i]) / s.inertia[i])) : NaN;
    // the ks whose answer is not scikit-learn's: another n_iter, or an inertia beyond rounding
    const differ = s ? sw.ks.filter((_, i) => sw.ours.nIter[i] !== s.n_iter[i] || Math.abs(sw.ours.inertia[i] - s.inertia[i]) > 1e-9 * s.inertia[i]) : [];
    const sameIter = s ? differ.length === 0 : null;
    const shown = differ.length > 12 ? `${differ.slice(0, 12).join(', ')} … (${differ.length} in all)` : differ.join(', ');
    lines.push('', `Sweep over k = ${sw.ks[0]} … ${sw.ks[sw.ks.length - 1]} (${sw.ks.length} values of k, one fit each, seed ${sw.seed}), against KMeans(lloyd) over the same ks:`, '',
      '| ours s | sklearn s | × | same n_iter and inertia at every k | largest inertia rel. diff |', '|---|---|---|---|---|',
      `| ${sec(sw.ours.seconds)} | ${s ? sec(s.seconds) : '—'} | ${s ? `${(s.seconds / sw.ours.seconds).toFixed(1)}×` : '—'} | ${sameIter === null ? '—' : sameIter ? 'yes' : `NO at k = ${shown}`} | ${Number.isNaN(worst) ? '—' : worst.toExponential(1)} |`);
    if (differ.length > 0) {
      lines.push('', `Where they differ, the exact-arithmetic Lloyd decides which side rounding moved: \`/usr/bin/python3 scripts/reference/exact_lloyd.py --only mnist --ks ${differ.slice(0, 3).join(',')} --out /tmp/exact.json\` (about 4 minutes a k).`);
    }
  }
  return lines;
}
