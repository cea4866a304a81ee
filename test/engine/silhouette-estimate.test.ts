/**
 * The progressive silhouette (metrics/silhouette-estimate.ts) and its subset kernel (kernels/silhouette-subset-*.ts):
 * - the subset kernel's coefficients equal the TypeScript reference silhouette's on the differential corpus
 *   (dense, inverted, float, d = 1, tiny clusters and singletons), on one and three threads, with and without
 *   the layout step;
 * - with every row in, the running estimate is the exact silhouette with a zero interval;
 * - the 95 % interval of small first estimates covers the exact value in about 95 % of the corpus' draws;
 * - the exact pass reports finished rows while it runs (blocks in random order), with their final values, and the
 *   running estimates (RunningGroupSilhouette: the blocks alone; PassSilhouette: the blocks and a first sample)
 *   cover the exact value in about 95 % of block orders.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DataMatrix } from '../../src-shared/model';
import { fitKMeans } from '../../src-main/engine/kmeans';
import { tsKernel } from '../../src-main/engine/kernels/ts-kernel';
import type { KernelPool } from '../../src-main/engine/kernels/pool';
import { QUERY_SLOTS, subsetDistanceSumsWasm } from '../../src-main/engine/kernels/silhouette-subset-kernel';
import { subsetDistanceSumsTs, type SubsetDistanceSumsFactory } from '../../src-main/engine/kernels/silhouette-subset-ts';
import { encodeLabels } from '../../src-main/engine/metrics/labels';
import {
  coefficientFromSums,
  gatherMatrix,
  groupRowsByCluster,
  pairwiseClusterDistanceSumsTs,
  silhouetteSamples,
} from '../../src-main/engine/metrics/silhouette';
import {
  FIRST_ESTIMATE_ROWS,
  firstSilhouetteEstimate,
  progressiveSilhouette,
  PassSilhouette,
  RunningGroupSilhouette,
  RunningSilhouette,
  t975,
} from '../../src-main/engine/metrics/silhouette-estimate';
import { pairwiseClusterDistanceSumsWasm } from '../../src-main/engine/kernels/silhouette-kernel';
import { Rng } from '../../src-main/engine/rng';
import { useKernelPools } from '../helpers/pools';
import { corpus } from './corpus/corpus';

const pools = useKernelPools();
let pool1: KernelPool;
let pool3: KernelPool;
beforeAll(() => {
  pool1 = pools.pool1();
  pool3 = pools.pool3();
});

/** Labels of a 10-means fit, with one singleton and one pair of rows made their own clusters. */
async function labelsWithTinyClusters(X: DataMatrix): Promise<Int32Array | null> {
  const k = Math.min(10, X.n - 1);
  const { labels } = await fitKMeans(X, { k, seed: 1, nInit: 1 }, { kernel: tsKernel });
  if (X.n > 20) {
    labels[0] = 1000;
    labels[1] = 1001;
    labels[2] = 1001;
  }
  return new Set(labels).size >= 2 ? labels : null;
}

function mean(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s / v.length;
}

/** Coefficients of `rows` (original indices) through a subset kernel. */
async function subsetCoefficients(factory: SubsetDistanceSumsFactory, X: DataMatrix, labels: Int32Array, rows: Int32Array): Promise<Float64Array> {
  const { codes, counts } = encodeLabels(labels);
  const { starts, order } = groupRowsByCluster(codes, counts);
  const positionOf = new Int32Array(X.n);
  for (let r = 0; r < X.n; r++) positionOf[order[r]] = r;
  const session = factory({ X: gatherMatrix(X, order), starts });
  const sums = await session.sums(rows.map((i) => positionOf[i]));
  return Float64Array.from(rows, (i, t) => coefficientFromSums(sums, t, codes[i], counts));
}

it('RunningSilhouette: the interval closes on the exact mean once every row is in', () => {
  const r = new RunningSilhouette(4);
  expect(r.estimate().rows).toBe(0);
  r.add(1);
  expect(r.estimate().halfWidth).toBe(Infinity);
  r.add(2);
  // sd of {1, 2} = √½; 1.96 · √½ / √2 · √((4 − 2) / 3)
  expect(r.estimate().mean).toBe(1.5);
  expect(r.estimate().halfWidth).toBeCloseTo(1.959963984540054 * 0.5 * Math.sqrt(2 / 3), 12);
  r.add(3);
  r.add(4);
  expect(r.estimate()).toEqual({ mean: 2.5, halfWidth: 0, rows: 4, total: 4 });
  expect(() => r.add(5)).toThrow(RangeError);
  expect(() => new RunningSilhouette(0)).toThrow(RangeError);
});

it('RunningGroupSilhouette: the ratio estimate of groups, its interval closing on the exact mean with every row in', () => {
  const r = new RunningGroupSilhouette(6);
  expect(r.estimate().rows).toBe(0);
  expect(Number.isNaN(r.estimate().mean)).toBe(true);
  r.addGroup([1, 1]);
  expect(r.estimate()).toEqual({ mean: 1, halfWidth: Infinity, rows: 2, total: 6 });
  r.addGroup([0, 0, 0]);
  // mean 2/5; residuals y − mean·m: 2 − 0.8 = 1.2, 0 − 1.2 = −1.2; s² = 2.88; m̄ = 2.5; 1 − f = 1/6
  expect(r.estimate().mean).toBe(0.4);
  // Student's t of 1 degree of freedom
  expect(r.estimate().halfWidth).toBeCloseTo(12.706 * Math.sqrt(((1 / 6) * 2.88) / (2 * 2.5 * 2.5)), 12);
  r.addGroup([0.5]);
  expect(r.estimate()).toEqual({ mean: 2.5 / 6, halfWidth: 0, rows: 6, total: 6 });
  expect(() => r.addGroup([1])).toThrow(RangeError);
  expect(() => new RunningGroupSilhouette(0)).toThrow(RangeError);
});

it('PassSilhouette: the first sample alone at first, exact rows and the sample for the rest, exact at the end', () => {
  const values = [0.5, -0.1, 0.3, 0.2, 0.9, 0.0, 0.4, 0.1];
  const sampleRows = Int32Array.from([6, 1, 4]);
  const sampleValues = Float64Array.from(sampleRows, (i) => values[i]);
  const p = new PassSilhouette(8, sampleRows, sampleValues);
  const srs = new RunningSilhouette(8);
  sampleValues.forEach((v) => srs.add(v));
  expect(p.estimate().rows).toBe(3);
  expect(p.estimate().mean).toBeCloseTo(srs.estimate().mean, 15);
  expect(p.estimate().halfWidth).toBeCloseTo(srs.estimate().halfWidth, 15);
  // rows 0, 1 finished (1 a sample row): U = 6 with sample rows 6, 4 (mean 0.65, sd √0.125)
  p.add(Int32Array.from([0, 1]), Float64Array.from([0.5, -0.1]));
  const e = p.estimate();
  expect(e.rows).toBe(4);
  expect(e.mean).toBeCloseTo((0.4 + 6 * 0.65) / 8, 15);
  expect(e.halfWidth).toBeCloseTo((6 / 8) * 1.959963984540054 * (Math.sqrt(0.125) / Math.sqrt(2)) * Math.sqrt(4 / 5), 15);
  // all but the sample rows: the rest is known, interval 0
  p.add(Int32Array.from([2, 3, 5, 7]), Float64Array.from([0.3, 0.2, 0.0, 0.1]));
  expect(p.estimate()).toEqual({ mean: expect.closeTo(2.3 / 8, 15), halfWidth: 0, rows: 8, total: 8 });
  p.add(Int32Array.from([4, 6]), Float64Array.from([0.9, 0.4]));
  expect(p.estimate()).toEqual({ mean: expect.closeTo(2.3 / 8, 15), halfWidth: 0, rows: 8, total: 8 });
  expect(() => p.add(Int32Array.from([4]), Float64Array.from([0.9]))).toThrow(RangeError);
});

it('the exact pass reports finished rows while it runs, with the values it returns', async () => {
  // 12,000 uint8 rows of 128 features on one thread: the pass (about 9·10⁹ multiply-adds) takes long enough for
  // several of the pool's polls (every 100 ms) even with the kernels compiled by TurboFan from the first call
  const r = new Rng(21);
  const n = 12000;
  const d = 128;
  const data = new Uint8Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = (i % 3) * 60 + Math.floor(r.nextFloat() * 120);
  const X: DataMatrix = { n, d, data, scale: 1 / 255 };
  const labels = Int32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0 : i % 7 === 0 ? 2 : 1));
  let polls = 0;
  let fraction = 0;
  const early = new Float64Array(n).fill(NaN);
  const pollsWithRows = new Set<number>();
  const reportedAt: number[] = [];
  const got = await silhouetteSamples(X, labels, {
    kernel: pairwiseClusterDistanceSumsWasm(pool1),
    onProgress: (f) => {
      polls++;
      fraction = f;
    },
    onSamples: (rows, values) => {
      pollsWithRows.add(polls);
      reportedAt.push(fraction);
      rows.forEach((i, t) => {
        expect(Number.isNaN(early[i])).toBe(true);
        early[i] = values[t];
      });
    },
  });
  expect(pollsWithRows.size).toBeGreaterThanOrEqual(2);
  // the first rows come early in the pass (the first block is done after ~2 / 40 of the work)
  expect(reportedAt[0]).toBeLessThan(0.5);
  for (let i = 0; i < n; i++) if (!Object.is(early[i], got[i])) expect.fail(`row ${i} reported ${early[i]}, returned ${got[i]}`);
  const ref = await silhouetteSamples(X, labels, { kernel: pairwiseClusterDistanceSumsTs });
  let worst = 0;
  for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(got[i] - ref[i]));
  expect(worst).toBeLessThan(1e-12);
}, 120_000);

const cases = corpus().filter((c) => c.X.n >= 3);

describe.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
  const { X } = c;

  it('subset kernel: every row scored against all rows gives the reference coefficients', async () => {
    const labels = await labelsWithTinyClusters(X);
    if (labels === null) return expect(new Set((await fitKMeans(X, { k: 2, seed: 1, nInit: 1 }, { kernel: tsKernel })).labels).size).toBe(1);
    const ref = await silhouetteSamples(X, labels, { kernel: pairwiseClusterDistanceSumsTs });
    // every row once in a random order, then a few again (repeats), across several jobs of QUERY_SLOTS rows
    const rows = Int32Array.from([...new Rng(7).permutation(X.n), 0, 1, 2, X.n - 1]);
    const tol = X.data instanceof Uint8Array ? 1e-12 : 1e-6;
    const kernels: [string, SubsetDistanceSumsFactory][] = [
      ['wasm, 3 threads', subsetDistanceSumsWasm(pool3)],
      ['wasm, 1 thread, layout from 0 rows', subsetDistanceSumsWasm(pool1, { layoutMinRows: 0 })],
    ];
    if (X.n * X.n * X.d <= 2e8) kernels.push(['typescript', subsetDistanceSumsTs]);
    for (const [what, factory] of kernels) {
      const got = await subsetCoefficients(factory, X, labels, rows);
      let worst = 0;
      for (let t = 0; t < rows.length; t++) worst = Math.max(worst, Math.abs(got[t] - ref[rows[t]]));
      expect(worst, what).toBeLessThan(tol);
    }
  }, 60_000);

  it('progressive silhouette: with every row in, the exact silhouette and a zero interval', async () => {
    const labels = await labelsWithTinyClusters(X);
    if (labels === null) return;
    const ref = await silhouetteSamples(X, labels, { kernel: pairwiseClusterDistanceSumsTs });
    const seen: number[] = [];
    const got = await progressiveSilhouette(X, labels, { seed: 3, firstRows: 50, chunkRows: 300, kernel: subsetDistanceSumsWasm(pool3), onEstimate: (e) => seen.push(e.rows) });
    expect(seen[0]).toBe(Math.min(50, X.n));
    expect(seen.at(-1)).toBe(X.n);
    expect(got.estimate.rows).toBe(X.n);
    expect(got.estimate.halfWidth).toBe(0);
    expect(Math.abs(got.estimate.mean - mean(ref))).toBeLessThan(X.data instanceof Uint8Array ? 1e-12 : 1e-6);
    expect(new Set(got.order).size).toBe(X.n);
  }, 60_000);
});

it('the first estimates’ 95 % intervals cover the exact silhouette in about 95 % of draws', async () => {
  let trials = 0;
  let covered = 0;
  for (const c of cases.filter((x) => x.X.n >= 400)) {
    const labels = await labelsWithTinyClusters(c.X);
    if (labels === null) continue;
    const exact = mean(await silhouetteSamples(c.X, labels, { kernel: pairwiseClusterDistanceSumsTs }));
    for (let seed = 0; seed < 8; seed++) {
      const { estimate } = await progressiveSilhouette(c.X, labels, { seed, firstRows: 40, maxRows: 40, kernel: subsetDistanceSumsWasm(pool3) });
      expect(estimate.rows).toBe(40);
      expect(estimate.halfWidth).toBeGreaterThan(0);
      trials++;
      if (Math.abs(estimate.mean - exact) <= estimate.halfWidth) covered++;
    }
  }
  expect(trials).toBeGreaterThan(150);
  const coverage = covered / trials;
  console.log(`silhouette estimate: 95 % interval covered the exact value in ${covered} of ${trials} draws (${(100 * coverage).toFixed(1)} %)`);
  expect(coverage).toBeGreaterThan(0.88);
  expect(coverage).toBeLessThan(0.995);
}, 120_000);

it('the exact pass’s running estimates (blocks in random order) cover the exact silhouette in about 95 % of orders', async () => {
  const tally = { blocks: { trials: 0, covered: 0 }, 'with sample': { trials: 0, covered: 0 } };
  for (const c of cases.filter((x) => x.X.n >= 1000)) {
    const labels = await labelsWithTinyClusters(c.X);
    if (labels === null) continue;
    // the pass's blocks (its groups of finished rows) once; other seeds of the block order draw them in other orders
    const groups: { rows: Int32Array; v: Float64Array }[] = [];
    const samples = await silhouetteSamples(c.X, labels, { kernel: pairwiseClusterDistanceSumsWasm(pool3), onSamples: (rows, v) => groups.push({ rows, v }) });
    if (groups.length < 10) continue;
    const exact = mean(samples);
    for (let seed = 0; seed < 40; seed++) {
      const order = new Rng(seed).permutation(groups.length);
      const running = new RunningGroupSilhouette(c.X.n);
      // and with a first sample of 40 rows drawn one by one (independently of the block order)
      const sample = new Rng(1000 + seed).sampleWithoutReplacement(c.X.n, 40);
      const pass = new PassSilhouette(c.X.n, sample, Float64Array.from(sample, (i) => samples[i]));
      for (let g = 0; g < groups.length; g++) {
        running.addGroup(groups[order[g]].v);
        pass.add(groups[order[g]].rows, groups[order[g]].v);
        // a few moments of the pass: a quarter, half and three quarters of the groups in
        const G = groups.length;
        if (g + 1 === Math.floor(G / 4) || g + 1 === Math.floor(G / 2) || g + 1 === Math.floor((3 * G) / 4)) {
          for (const [what, e] of [['blocks', running.estimate()], ['with sample', pass.estimate()]] as const) {
            tally[what].trials++;
            if (Math.abs(e.mean - exact) <= e.halfWidth) tally[what].covered++;
          }
        }
      }
      for (const last of [running.estimate(), pass.estimate()]) {
        expect(last.halfWidth).toBe(0);
        expect(Math.abs(last.mean - exact)).toBeLessThan(1e-12);
      }
    }
  }
  for (const [what, { trials, covered }] of Object.entries(tally)) {
    expect(trials, what).toBeGreaterThan(200);
    const coverage = covered / trials;
    console.log(`exact pass estimate (${what}): 95 % interval covered the exact value in ${covered} of ${trials} (${(100 * coverage).toFixed(1)} %)`);
    expect(coverage, what).toBeGreaterThan(0.88);
    expect(coverage, what).toBeLessThan(0.995);
  }
}, 180_000);

it('rejects rows outside the matrix and bad chunk sizes', async () => {
  const X: DataMatrix = { n: 4, d: 1, data: Uint8Array.from([0, 1, 10, 11]), scale: 1 };
  const labels = Int32Array.from([0, 0, 1, 1]);
  const session = subsetDistanceSumsWasm(pool1)({ X, starts: Int32Array.from([0, 2, 4]) });
  await expect(session.sums(Int32Array.from([4]))).rejects.toThrow(RangeError);
  await expect(progressiveSilhouette(X, labels, { chunkRows: 0 })).rejects.toThrow(/chunkRows/);
  expect(QUERY_SLOTS).toBeGreaterThan(0);
});

it('the first estimate shares the exact silhouette’s memory: the exact pass after it still gives the reference values', async () => {
  // 8,200 uint8 rows: the exact pass takes the layout step (from 8,000 rows) in the regions the estimate used
  const r = new Rng(9);
  const n = 8200;
  const d = 16;
  const data = new Uint8Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = ((i % 5) * 40 + Math.floor(r.nextFloat() * 90)) * (r.nextFloat() < 0.3 ? 0 : 1);
  const X: DataMatrix = { n, d, data, scale: 1 / 255 };
  const { labels } = await fitKMeans(X, { k: 5, seed: 2, nInit: 1 }, { kernel: tsKernel });
  const est = await firstSilhouetteEstimate(X, labels, { seed: 1 });
  expect(est!.rows).toBe(FIRST_ESTIMATE_ROWS);
  const exact = await silhouetteSamples(X, labels);
  const ref = await silhouetteSamples(X, labels, { kernel: pairwiseClusterDistanceSumsTs });
  let worst = 0;
  for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(exact[i] - ref[i]));
  expect(worst).toBeLessThan(1e-12);
  expect(Math.abs(est!.mean - mean(ref))).toBeLessThanOrEqual(est!.halfWidth);
  // one cluster only: no estimate
  expect(await firstSilhouetteEstimate(X, new Int32Array(n))).toBeNull();
}, 120_000);

it('t975: the table, then the expansion, towards the normal quantile', () => {
  expect(t975(1)).toBe(12.706);
  expect(t975(30)).toBe(2.042);
  // t(0.975; 40) = 2.0211, t(0.975; 120) = 1.9799
  expect(t975(40)).toBeCloseTo(2.0211, 3);
  expect(t975(120)).toBeCloseTo(1.9799, 3);
  expect(t975(1e9)).toBeCloseTo(1.959964, 6);
});
