/**
 * The k-NN kernel (engine/embed/knn.ts on kernels/assembly/knn.ts) against a brute-force float64 search on unlike
 * data: dense float blobs, inverted uint8 (mostly 255), d = 1, 3, 5 and 50 (below, at and above the 16-column
 * screen; not multiples of 4), rows a multiple of 4 or not, duplicate rows (exact ties: the lower row index first,
 * after the row itself), and k = n (every row). On one and on three kernel threads.
 */
import { describe, expect, it } from 'vitest';
import type { DataMatrix } from '../../src-shared/model';
import { knn } from '../../src-main/engine/embed/knn';
import { CancelledError, ParamError } from '../../src-main/engine/errors';
import { Rng } from '../../src-main/engine/rng';
import { floatBlobs } from '../helpers/metrics-data';
import { mnistMatrix } from '../helpers/mnist-rows';
import { useKernelPools } from '../helpers/pools';

const { pool1, pool3 } = useKernelPools();

/** k nearest rows of every row by float64 distances, ties to the lower index, self first. */
function bruteKnn(X: DataMatrix, k: number): { indices: Int32Array; distances: Float64Array } {
  const { n, d, data, scale } = X;
  const indices = new Int32Array(n * k);
  const distances = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const all = Array.from({ length: n }, (_, j) => {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const e = data[i * d + t] - data[j * d + t];
        s += e * e;
      }
      return { j, dist: j === i ? -1 : Math.sqrt(s) * scale };
    }).sort((a, b) => a.dist - b.dist || a.j - b.j);
    for (let q = 0; q < k; q++) {
      indices[i * k + q] = all[q]!.j;
      distances[i * k + q] = Math.max(0, all[q]!.dist);
    }
  }
  return { indices, distances };
}

function gaussian(n: number, d: number, seed: number): DataMatrix {
  const rng = new Rng(seed);
  const data = new Float32Array(n * d);
  for (let i = 0; i < n * d; i++) data[i] = (rng.nextFloat() + rng.nextFloat() + rng.nextFloat() - 1.5) * (1 + (i % d));
  return { n, d, data, scale: 1 };
}

function inverted(n: number, d: number): DataMatrix {
  const X = mnistMatrix(0, n);
  const data = new Uint8Array(n * d);
  // the first d pixels from the middle of the image, inverted: mostly 255
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) data[i * d + t] = 255 - X.data[i * 784 + 300 + t]!;
  return { n, d, data, scale: 1 / 255 };
}

/** Rows 0 … n/3 repeated three times (shuffled in blocks), so every row has two exact duplicates. */
function duplicates(d: number): DataMatrix {
  const base = gaussian(40, d, 9);
  const data = new Float32Array(120 * d);
  for (let c = 0; c < 3; c++) data.set(base.data, c * 40 * d);
  return { n: 120, d, data, scale: 1 };
}

const cases: [string, () => DataMatrix, number][] = [
  ['float32 blobs 240 × 5', () => floatBlobs().X, 15],
  ['dense gaussian 203 × 50 (screen of 16 of 50 columns)', () => gaussian(203, 50, 1), 15],
  ['inverted uint8 161 × 37', () => inverted(161, 37), 15],
  ['d = 1, 99 rows (many near ties)', () => gaussian(99, 1, 2), 7],
  ['d = 3, 130 rows', () => gaussian(130, 3, 3), 15],
  ['d = 16, 64 rows', () => gaussian(64, 16, 4), 15],
  ['k = n: every row, 13 × 5', () => gaussian(13, 5, 5), 13],
];

function check(X: DataMatrix, k: number, got: { indices: Int32Array; distances: Float64Array }): void {
  const ref = bruteKnn(X, k);
  let same = 0;
  for (let i = 0; i < X.n; i++) {
    expect(got.indices[i * k]).toBe(i);
    expect(got.distances[i * k]).toBe(0);
    for (let q = 0; q < k; q++) {
      const a = i * k + q;
      // the distances are the float64 ones (a near tie may swap which of two rows is taken, not the distance)
      expect(Math.abs(got.distances[a]! - ref.distances[a]!)).toBeLessThanOrEqual(1e-6 * Math.max(1, ref.distances[a]!));
      if (got.indices[a] === ref.indices[a]) same++;
    }
  }
  expect(same / (X.n * k)).toBeGreaterThan(0.995);
}

describe('k-NN kernel', () => {
  it.each(cases)('%s: the same neighbours as a brute-force float64 search (1 and 3 threads)', async (_name, data, k) => {
    const X = data();
    const one = await knn(X, k, { pool: pool1() });
    check(X, k, one);
    const three = await knn(X, k, { pool: pool3() });
    expect(Array.from(three.indices)).toEqual(Array.from(one.indices));
    expect(Array.from(three.distances)).toEqual(Array.from(one.distances));
  }, 60_000);

  it.each([3, 6])('duplicate rows, d = %i: exact ties go to the lower row index, after the row itself', async (d) => {
    const X = duplicates(d);
    const k = 5;
    const r = await knn(X, k, { pool: pool3() });
    const ref = bruteKnn(X, k);
    expect(Array.from(r.indices)).toEqual(Array.from(ref.indices));
    for (let i = 0; i < X.n; i++) {
      // its two copies come right after the row, at distance 0, the lower copy first
      const copies = [0, 1, 2].map((c) => (i % 40) + 40 * c).filter((j) => j !== i);
      expect(Array.from(r.indices.subarray(i * k + 1, i * k + 3))).toEqual(copies);
      expect(Array.from(r.distances.subarray(i * k, i * k + 3))).toEqual([0, 0, 0]);
    }
  }, 60_000);

  it('800 MNIST digits on their raw 784 pixels', async () => {
    const X = mnistMatrix(0, 800);
    check(X, 15, await knn(X, 15, { pool: pool3() }));
  }, 60_000);

  it('rejects k out of range, stops when cancelled', async () => {
    const X = floatBlobs().X;
    await expect(knn(X, 0)).rejects.toThrow(ParamError);
    await expect(knn(X, 241)).rejects.toThrow(/nNeighbors must be an integer 1 … 240/);
    const c = new AbortController();
    c.abort();
    await expect(knn(X, 15, { pool: pool1(), signal: c.signal })).rejects.toThrow(CancelledError);
  });
});
