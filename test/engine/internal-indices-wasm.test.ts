/**
 * The label-free indices with their row passes on the WASM threads (kernels/cluster-stats-kernel.ts) against the
 * TypeScript reference (internalIndicesTs), on the differential corpus (dense, inverted, binary, float32 at 1e-6 and
 * 1e6, negative values, d = 1, n close to k, tiny clusters): inertia, Davies–Bouldin and Calinski–Harabasz within
 * 1e-9 relative; uint8 cluster sums exact, so the cluster means are the reference's to the bit.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DataMatrix } from '../../src-shared/model';
import { clusterMeans, internalIndices, internalIndicesTs } from '../../src-main/engine/metrics/internal';
import { encodeLabels } from '../../src-main/engine/metrics/labels';
import { wasmClusterStatsOn } from '../../src-main/engine/kernels/cluster-stats-kernel';
import { defaultClusterStatsKernel } from '../../src-main/engine/kernels/default';
import type { ClusterStatsKernel } from '../../src-main/engine/kernels/types';
import { Rng } from '../../src-main/engine/rng';
import { useKernelPools } from '../helpers/pools';
import { corpus } from './corpus/corpus';

const pools = useKernelPools();
let kernels: Record<string, ClusterStatsKernel>;
beforeAll(() => {
  kernels = { 'three threads': wasmClusterStatsOn(pools.pool3()), 'one thread': wasmClusterStatsOn(pools.pool1()) };
});

const TOL = 1e-9;

function relErr(a: number | null, b: number | null): number {
  if (a === null || b === null) return a === b ? 0 : Infinity;
  return a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

/**
 * Labels of a case: rows near one of k seeded rows (blob-like clusters of unequal size), with cluster 0 cut down
 * to one row where n allows (a tiny cluster), and label values shifted (not 0 … k − 1) so the encoding matters.
 */
function labelling(X: DataMatrix, k: number, seed: number): { labels: Int32Array; centers: Float64Array } {
  const { n, d, data, scale } = X;
  const rng = new Rng(seed);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = Math.floor(rng.nextFloat() * k);
  if (n > 2 * k) {
    let kept = false;
    for (let i = 0; i < n; i++) if (labels[i] === 0) labels[i] = kept ? 1 : ((kept = true), 0);
  }
  // given centers (feature units): each cluster's first row, moved a little
  const centers = new Float64Array(k * d);
  for (let i = n - 1; i >= 0; i--) for (let j = 0; j < d; j++) centers[labels[i] * d + j] = data[i * d + j] * scale + rng.nextFloat() * 0.01;
  return { labels, centers };
}

const cases = corpus().filter((c) => c.X.n * c.X.d <= 400_000);

describe('internal indices on the WASM kernel threads = the TypeScript reference', () => {
  it('the corpus has the unlike data this is about', () => {
    expect(cases.some((c) => c.X.data instanceof Uint8Array)).toBe(true);
    expect(cases.some((c) => c.X.data instanceof Float32Array)).toBe(true);
    expect(cases.some((c) => c.X.d === 1)).toBe(true);
  });

  for (const c of cases) {
    it(`${c.name} (n ${c.X.n}, d ${c.X.d}, k ${c.ks.join('/')})`, () => {
      for (const k of c.ks.filter((k) => k >= 2 && k < c.X.n)) {
        const { labels, centers } = labelling(c.X, k, c.X.n + k);
        const ref = internalIndicesTs(c.X, labels, centers);
        const refMeans = internalIndicesTs(c.X, labels, null);
        for (const [name, kernel] of Object.entries(kernels)) {
          const got = internalIndices(c.X, labels, centers, kernel);
          const gotMeans = internalIndices(c.X, labels, null, kernel);
          const where = `${c.name}, k ${k}, ${name}`;
          expect(relErr(got.inertia, ref.inertia), `${where}: inertia ${got.inertia} vs ${ref.inertia}`).toBeLessThanOrEqual(TOL);
          expect(relErr(got.daviesBouldin, ref.daviesBouldin), `${where}: DB ${got.daviesBouldin} vs ${ref.daviesBouldin}`).toBeLessThanOrEqual(TOL);
          expect(relErr(got.calinskiHarabasz, ref.calinskiHarabasz), `${where}: CH ${got.calinskiHarabasz} vs ${ref.calinskiHarabasz}`).toBeLessThanOrEqual(TOL);
          expect(relErr(gotMeans.inertia, refMeans.inertia), `${where}: inertia to the means`).toBeLessThanOrEqual(TOL);
          if (c.X.data instanceof Uint8Array) {
            // exact integer sums: the same cluster means to the bit
            const { codes, counts } = encodeLabels(labels);
            const sums = kernel.clusterSums(c.X.data, c.X.d, codes, counts.length);
            const { centroids } = clusterMeans(c.X, codes, counts);
            for (let t = 0; t < sums.length; t++) {
              const cl = Math.floor(t / c.X.d);
              expect((sums[t] * c.X.scale) / counts[cl]).toBe(centroids[t]);
            }
          }
        }
      }
    });
  }

  it('one cluster, or one per row: inertia only, as the reference', () => {
    const X: DataMatrix = { n: 5, d: 3, data: Uint8Array.from({ length: 15 }, (_, t) => (t * 37) % 256), scale: 1 / 255 };
    const centers = Float64Array.from({ length: 15 }, (_, t) => t / 20);
    for (const labels of [new Int32Array(5), Int32Array.from([0, 1, 2, 3, 4])]) {
      const c = labels[4] === 0 ? centers.subarray(0, 3) : centers;
      const ref = internalIndicesTs(X, labels, c);
      const got = internalIndices(X, labels, c, kernels['three threads']);
      expect(got.daviesBouldin).toBeNull();
      expect(got.calinskiHarabasz).toBeNull();
      expect(relErr(got.inertia, ref.inertia)).toBeLessThanOrEqual(TOL);
    }
  });

  it('any non-zero scale, negative too (the kernel works in raw units)', () => {
    const rng = new Rng(11);
    const n = 700;
    const d = 9;
    const u8 = Uint8Array.from({ length: n * d }, () => Math.floor(rng.nextFloat() * 256));
    const f32 = Float32Array.from({ length: n * d }, () => rng.nextFloat() * 4 - 2);
    for (const X of [
      { n, d, data: u8, scale: -0.5 },
      { n, d, data: u8, scale: 3 },
      { n, d, data: f32, scale: 1 / 7 },
    ] satisfies DataMatrix[]) {
      const { labels, centers } = labelling(X, 6, 5);
      const ref = internalIndicesTs(X, labels, centers);
      const got = internalIndices(X, labels, centers, kernels['three threads']);
      expect(relErr(got.inertia, ref.inertia)).toBeLessThanOrEqual(TOL);
      expect(relErr(got.daviesBouldin, ref.daviesBouldin)).toBeLessThanOrEqual(TOL);
      expect(relErr(got.calinskiHarabasz, ref.calinskiHarabasz)).toBeLessThanOrEqual(TOL);
    }
  });

  it('bad labels are the reference’s clear errors', () => {
    const X: DataMatrix = { n: 4, d: 2, data: new Uint8Array(8), scale: 1 };
    const kernel = kernels['one thread'];
    expect(() => internalIndices(X, Int32Array.from([0, 1, 2, 1]), new Float64Array(4), kernel)).toThrow(/label 2 of row 2 is not a center index 0 … 1/);
    expect(() => internalIndices(X, Int32Array.from([0, 1, 1]), null, kernel)).toThrow(RangeError);
    expect(() => internalIndices(X, Int32Array.from([0, 1, 1, 0]), new Float64Array(3), kernel)).toThrow(/not a multiple of d/);
  });

  it('a large uint8 matrix takes the WASM path by default, with the reference’s values', () => {
    const n = 3000;
    const d = 400;
    const rng = new Rng(7);
    const X: DataMatrix = { n, d, data: Uint8Array.from({ length: n * d }, () => (rng.nextFloat() < 0.7 ? 0 : Math.floor(rng.nextFloat() * 256))), scale: 1 / 255 };
    expect(defaultClusterStatsKernel(X)).not.toBeNull();
    const { labels, centers } = labelling(X, 10, 3);
    const ref = internalIndicesTs(X, labels, centers);
    const got = internalIndices(X, labels, centers);
    expect(relErr(got.inertia, ref.inertia)).toBeLessThanOrEqual(TOL);
    expect(relErr(got.daviesBouldin, ref.daviesBouldin)).toBeLessThanOrEqual(TOL);
    expect(relErr(got.calinskiHarabasz, ref.calinskiHarabasz)).toBeLessThanOrEqual(TOL);
  });
});
