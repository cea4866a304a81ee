/**
 * Assignment of rows picked by index (AssignArgs.rows, what mini-batch steps use) and the sparse uint8 form
 * of the WASM assignment (rows with chunk masks): against the pure-TS kernel and against the dense WASM form.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { meanFeatureVariance } from '../../src-main/engine/kmeans/common';
import { gatherRows } from '../../src-main/engine/kernels/rows';
import { tsKernel } from '../../src-main/engine/kernels/ts-kernel';
import type { LloydKernel, RowData } from '../../src-main/engine/kernels/types';
import { createWasmKernel, meanFeatureVarianceU8 } from '../../src-main/engine/kernels/wasm-kernel';
import type { KernelPool } from '../../src-main/engine/kernels/pool';
import { useKernelPools } from '../helpers/pools';
import { Rng } from '../../src-main/engine/rng';
import { mnistMatrix } from '../helpers/mnist-rows';

const kernelPools = useKernelPools();
let pool1: KernelPool;
let pool3: KernelPool;
beforeAll(() => {
  pool1 = kernelPools.pool1();
  pool3 = kernelPools.pool3();
});

interface Out {
  labels: Int32Array;
  dist: Float64Array;
  sums: Float64Array;
  counts: Float64Array;
  total: number;
}

function centersFrom(data: RowData, d: number, rows: number[], jitter: Rng): { centers: Float64Array; cn: Float64Array } {
  const k = rows.length;
  const centers = new Float64Array(k * d);
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) centers[c * d + j] = data[rows[c] * d + j] + jitter.nextFloat() * 3;
  // a duplicate center: ties go to the lower index
  centers.copyWithin(4 * d, 1 * d, 2 * d);
  const cn = new Float64Array(k);
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) cn[c] += centers[c * d + j] ** 2;
  return { centers, cn };
}

function run(kernel: LloydKernel, data: RowData, d: number, norms: Float64Array, centers: Float64Array, cn: Float64Array,
  rows: Int32Array | undefined, m: number, start: number, end: number): Out {
  const k = cn.length;
  const o = { labels: new Int32Array(m).fill(-1), dist: new Float64Array(m), sums: new Float64Array(k * d), counts: new Float64Array(k) };
  const total = kernel.assign({ data, rows, d, rowNorms: norms, centers, centerNorms: cn, k, start, end, ...o });
  return { ...o, total };
}

function expectSame(got: Out, ref: Out, what: string, exact: boolean): void {
  expect(got.labels, what).toEqual(ref.labels);
  expect(got.counts, what).toEqual(ref.counts);
  if (exact) {
    expect(got.dist, what).toEqual(ref.dist);
    expect(got.sums, what).toEqual(ref.sums);
    // Σ dist adds per-thread partial sums, whose split depends on scheduling: equal up to the last bits
    expect(Math.abs(got.total - ref.total) / ref.total, what).toBeLessThan(1e-14);
    return;
  }
  expect(Math.abs(got.total - ref.total) / ref.total, what).toBeLessThan(1e-12);
  for (let i = 0; i < ref.dist.length; i++) expect(Math.abs(got.dist[i] - ref.dist[i]), what).toBeLessThanOrEqual(1e-9 * Math.max(1, ref.dist[i]));
  for (let t = 0; t < ref.sums.length; t++) expect(Math.abs(got.sums[t] - ref.sums[t]), what).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(ref.sums[t])));
}

describe('assignment of indexed rows (mini-batches)', () => {
  const mnist = mnistMatrix(3000, 1500);
  const rng = new Rng(5);
  const f32 = Float32Array.from({ length: 400 * 37 }, () => (rng.nextFloat() - 0.5) * 10);
  const u8odd = new Uint8Array(400 * 37).map(() => (rng.nextFloat() < 0.4 ? rng.nextInt(256) : 0));
  const datasets: [string, RowData, number][] = [
    ['MNIST uint8 (d = 784: sparse form with chunk masks)', mnist.data, 784],
    ['uint8, d = 37 (dense form)', u8odd, 37],
    ['float32, d = 37', f32, 37],
  ];
  for (const [name, data, d] of datasets) {
    it(`${name}: labels, distances, sums and counts of rows[start … end) as the TS kernel's and as on the gathered rows`, () => {
      const n = data.length / d;
      const norms = new Float64Array(n);
      tsKernel.rowNorms(data, d, 0, n, norms);
      const { centers, cn } = centersFrom(data, d, [3, 70, 140, 210, 280, 350, 390], rng);
      // with replacement, duplicates included, an odd count (the two-row tiles' tail)
      const m = 333;
      const rows = Int32Array.from({ length: m }, () => rng.nextInt(n));
      rows[7] = rows[8];
      const ref = run(tsKernel, data, d, norms, centers, cn, rows, m, 5, 300);
      const gathered = gatherRows(data, d, rows);
      const gNorms = Float64Array.from(rows, (r) => norms[r]);
      for (const [pname, pool] of [['1 thread', pool1], ['3 threads', pool3]] as const) {
        for (const [how, opts] of [['data kept', { cacheBytes: 0 }], ['data copied', { cacheBytes: 1 << 30 }], ['dense forms', { sparse: false }]] as const) {
          const what = `${pname}, ${how}`;
          const kernel = createWasmKernel(pool, opts);
          const got = run(kernel, data, d, norms, centers, cn, rows, m, 5, 300);
          expectSame(got, ref, what, false);
          // the same bits as the WASM kernel on a gathered copy of the rows
          const onCopy = run(createWasmKernel(pool, opts), gathered, d, gNorms, centers, cn, undefined, m, 5, 300);
          expectSame(got, onCopy, `${what}, gathered`, true);
          for (let i = 0; i < m; i++) if (i < 5 || i >= 300) expect(got.labels[i]).toBe(-1);
        }
      }
    });
  }

  it('the sparse uint8 form (chunk masks) gives the dense form\'s bits, bounds included, on MNIST rows', async () => {
    const data = mnist.data;
    const d = 784;
    const n = mnist.n;
    const norms = new Float64Array(n);
    tsKernel.rowNorms(data, d, 0, n, norms);
    const { centers, cn } = centersFrom(data, d, [0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000], rng);
    for (const pool of [pool1, pool3]) {
      const sparse = run(createWasmKernel(pool, { cacheBytes: 0 }), data, d, norms, centers, cn, undefined, n, 0, n);
      const dense = run(createWasmKernel(pool, { sparse: false }), data, d, norms, centers, cn, undefined, n, 0, n);
      expectSame(sparse, dense, 'sparse vs dense', true);
      expectSame(sparse, run(tsKernel, data, d, norms, centers, cn, undefined, n, 0, n), 'sparse vs TS', false);
    }
  });

  it('k-means++ distances to data rows: the sparse int16 form gives the dense form\'s values, rows picked by index too (k = 1, 4, 6; d = 784 and 36)', () => {
    const u8d36 = new Uint8Array(500 * 36).map(() => (rng.nextFloat() < 0.3 ? rng.nextInt(256) : 0));
    for (const [data, d] of [[mnist.data, 784], [u8d36, 36]] as const) {
      const n = data.length / d;
      const norms = new Float64Array(n);
      tsKernel.rowNorms(data, d, 0, n, norms);
      for (const k of [1, 4, 6]) {
        const picks = Array.from({ length: k }, () => rng.nextInt(n));
        const centers = new Float64Array(k * d);
        for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) centers[c * d + j] = data[picks[c] * d + j];
        const cn = Float64Array.from(picks, (r) => norms[r]);
        const args = { data, d, rowNorms: norms, centers, centerNorms: cn, k, start: 3, end: n - 2 };
        const ref = new Float64Array((n - 5) * k);
        tsKernel.distances({ ...args, out: ref });
        for (const pool of [pool1, pool3]) {
          const sparse = new Float64Array((n - 5) * k);
          const dense = new Float64Array((n - 5) * k);
          createWasmKernel(pool, { cacheBytes: 0 }).distances({ ...args, out: sparse });
          createWasmKernel(pool, { sparse: false }).distances({ ...args, out: dense });
          expect(sparse).toEqual(dense);
          // exact integers, as the TS kernel's float64 sums of integer products
          expect(sparse).toEqual(ref);
          // rows picked by index (a k-means++ subsample) as on their gathered copy
          const rows = Int32Array.from({ length: 301 }, () => rng.nextInt(n));
          const gathered = gatherRows(data, d, rows);
          const gNorms = Float64Array.from(rows, (r) => norms[r]);
          for (const opts of [{ cacheBytes: 0 }, { sparse: false }]) {
            const byRows = new Float64Array(300 * k);
            const onCopy = new Float64Array(300 * k);
            const rowArgs = { d, centers, centerNorms: cn, k, start: 1, end: 301 };
            createWasmKernel(pool, opts).distances({ ...rowArgs, data, rows, rowNorms: norms, out: byRows });
            createWasmKernel(pool, opts).distances({ ...rowArgs, data: gathered, rowNorms: gNorms, out: onCopy });
            expect(byRows).toEqual(onCopy);
            const tsRows = new Float64Array(300 * k);
            tsKernel.distances({ ...rowArgs, data, rows, rowNorms: norms, out: tsRows });
            expect(byRows).toEqual(tsRows);
          }
        }
      }
    }
  });
});

describe('feature variance of uint8 data (the tolerance of K-means)', () => {
  it('exact integer sums on the threads give numpy\'s np.var(X, axis=0).mean(), d = 784 and d = 37', () => {
    const rng = new Rng(9);
    const mnist = mnistMatrix(0, 2000);
    const odd = new Uint8Array(31000 * 37).map(() => (rng.nextFloat() < 0.5 ? rng.nextInt(256) : 0));
    for (const [data, d] of [[mnist.data, 784], [odd, 37]] as const) {
      const n = data.length / d;
      const fast = meanFeatureVarianceU8(data, n, d);
      const ref = meanFeatureVariance(data, n, d);
      expect(fast).not.toBeNull();
      expect(Math.abs((fast as number) - ref) / ref).toBeLessThan(1e-12);
    }
  });
});
