/**
 * Yinyang's group bounds of the bounded assignment (wasm-bounded.ts, assembly assignYinyang): the grouping of the
 * centers is a partition; forced at every k, fits give the pure-TS kernel's labels, n_iter and inertia on MNIST
 * rows, on their inverted bytes, on duplicate rows at k > n / 2 (empty clusters) and with one group; the half
 * distances between centers kept as lower bounds (not recomputed every iteration) leave Elkan's fits unchanged.
 */
import { beforeAll, expect, it } from 'vitest';
import type { DataMatrix } from '../../src-shared/model';
import { fitKMeans } from '../../src-main/engine/kmeans';
import { tsKernel } from '../../src-main/engine/kernels/ts-kernel';
import { groupCenters } from '../../src-main/engine/kernels/wasm-bounded';
import { createWasmKernel, lastBoundKind } from '../../src-main/engine/kernels/wasm-kernel';
import type { KernelPool } from '../../src-main/engine/kernels/pool';
import { Rng } from '../../src-main/engine/rng';
import { useKernelPools } from '../helpers/pools';
import { mnistMatrix } from '../helpers/mnist-rows';

const pools = useKernelPools();
let pool3: KernelPool;
let pool1: KernelPool;
beforeAll(() => {
  pool3 = pools.pool3();
  pool1 = pools.pool1();
});

it.each([
  [1, 1, 3],
  [10, 1, 784],
  [37, 4, 5],
  [500, 50, 16],
])('groupCenters: k = %i in t = %i groups (d = %i) is a partition, group by group, the same every time', (k, t, d) => {
  const rng = new Rng(k + t);
  const centers = Float64Array.from({ length: k * d }, () => rng.nextFloat() * 255);
  const g = groupCenters(centers, k, d, t);
  expect(g.t).toBe(t);
  expect(g.start[0]).toBe(0);
  expect(g.start[t]).toBe(k);
  const seen = new Set<number>();
  for (let q = 0; q < t; q++) {
    expect(g.start[q + 1]).toBeGreaterThanOrEqual(g.start[q]);
    for (let p = g.start[q]; p < g.start[q + 1]; p++) {
      expect(g.groupOf[g.members[p]]).toBe(q);
      seen.add(g.members[p]);
    }
  }
  expect(seen.size).toBe(k);
  expect(groupCenters(centers, k, d, t)).toEqual(g);
});

function inverted(X: DataMatrix): DataMatrix {
  return { ...X, data: (X.data as Uint8Array).map((v) => 255 - v) };
}

/** 150 rows of d = 30 with only 60 distinct values (k-means++ then repeats rows at k = 100: empty clusters). */
function duplicates(): DataMatrix {
  const rng = new Rng(5);
  const base = Uint8Array.from({ length: 60 * 30 }, () => (rng.nextFloat() < 0.5 ? rng.nextInt(256) : 0));
  const data = new Uint8Array(150 * 30);
  for (let i = 0; i < 150; i++) data.set(base.subarray((i % 60) * 30, (i % 60 + 1) * 30), i * 30);
  return { n: 150, d: 30, data, scale: 1 };
}

it.each([
  ['MNIST rows, k = 120', () => mnistMatrix(1000, 1500), 120, {}],
  ['MNIST rows inverted, k = 90', () => inverted(mnistMatrix(3000, 1200)), 90, {}],
  ['MNIST rows, k = 40 in groups of 40 (one group)', () => mnistMatrix(500, 900), 40, { yinyangGroupSize: 40 }],
  ['MNIST rows, k = 60 in groups of 3', () => mnistMatrix(2500, 900), 60, { yinyangGroupSize: 3 }],
  ['duplicate rows, k = 100 > n / 2', duplicates, 100, {}],
] as const)('%s: Yinyang forced gives the pure-TS run (labels, n_iter, inertia)', async (_name, make, k, opts) => {
  const X = make();
  for (const seed of [0, 4]) {
    const ref = await fitKMeans(X, { k, seed, nInit: 1 }, { kernel: tsKernel });
    for (const [how, kernel] of [
      ['3 threads', createWasmKernel(pool3, { cacheBytes: 0, yinyangMinK: 1, ...opts })],
      ['1 thread, dense forms', createWasmKernel(pool1, { cacheBytes: 0, yinyangMinK: 1, sparse: false, ...opts })],
    ] as const) {
      const got = await fitKMeans(X, { k, seed, nInit: 1 }, { kernel });
      expect(lastBoundKind(), how).toBe('yinyang');
      expect(got.labels, `${how} seed ${seed}`).toEqual(ref.labels);
      expect(got.nIter, `${how} seed ${seed}`).toBe(ref.nIter);
      // (the duplicates fit exactly: inertia 0)
      expect(Math.abs(got.inertia - ref.inertia), `${how} seed ${seed}`).toBeLessThanOrEqual(1e-12 * ref.inertia);
    }
  }
});

it('duplicate rows at k = 100: the fit does have empty clusters (the case the test above is about)', async () => {
  const X = duplicates();
  const r = await fitKMeans(X, { k: 100, seed: 0, nInit: 1 }, { kernel: createWasmKernel(pool3, { cacheBytes: 0, yinyangMinK: 1 }) });
  expect(new Set(r.labels).size).toBeLessThan(100);
});
