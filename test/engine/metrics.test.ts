/**
 * Metrics edge cases (degenerate data against scikit-learn, undefined metrics, label encodings),
 * dtype equivalence, the sampled silhouette, the swappable pairwise kernel, progress and cancellation.
 */
import { describe, expect, it } from 'vitest';
import type { DataMatrix } from '../../src-shared/model';
import { CancelledError } from '../../src-main/engine/errors';
import {
  calinskiHarabasz,
  computeMetrics,
  daviesBouldin,
  encodeLabels,
  inertia,
  pairwiseClusterDistanceSumsTs,
  silhouetteSamples,
  silhouetteScore,
  type PairwiseClusterDistanceSums,
} from '../../src-main/engine/metrics';
import { mnistMatrix } from '../helpers/mnist-rows';
import { expectClose, readReference } from '../helpers/metrics-data';

interface EdgeCase {
  name: string;
  n: number;
  d: number;
  X: number[];
  labels: number[];
  silhouetteSamples: number[];
  silhouette: number;
  daviesBouldin: number;
  calinskiHarabasz: number;
}

describe('internal metrics on degenerate data, against scikit-learn', () => {
  for (const c of readReference<{ cases: EdgeCase[] }>('metrics-internal-edge.json').cases) {
    it(c.name, async () => {
      const X: DataMatrix = { n: c.n, d: c.d, data: Float64Array.from(c.X), scale: 1 };
      const labels = Int32Array.from(c.labels);
      const s = await silhouetteSamples(X, labels);
      c.silhouetteSamples.forEach((v, i) => expectClose(s[i], v, `silhouette of sample ${i}`));
      expectClose((await silhouetteScore(X, labels)).score, c.silhouette, 'silhouette score');
      expectClose(daviesBouldin(X, labels), c.daviesBouldin, 'Davies-Bouldin');
      expectClose(calinskiHarabasz(X, labels), c.calinskiHarabasz, 'Calinski-Harabasz');
    });
  }
});

describe('undefined internal metrics', () => {
  const X: DataMatrix = { n: 4, d: 1, data: Float64Array.from([0, 1, 5, 6]), scale: 1 };

  it('one cluster: silhouette, Davies-Bouldin and Calinski-Harabasz throw like scikit-learn, computeMetrics gives null', async () => {
    const one = Int32Array.from([3, 3, 3, 3]);
    await expect(silhouetteSamples(X, one)).rejects.toThrow(/Number of labels is 1/);
    expect(() => daviesBouldin(X, one)).toThrow(RangeError);
    expect(() => calinskiHarabasz(X, one)).toThrow(RangeError);
    const { metrics, silhouette } = await computeMetrics(X, one, null, Int32Array.from([0, 0, 1, 1]), { silhouette: 'exact' });
    expect(silhouette).toBeNull();
    expect(metrics.silhouette).toBeNull();
    expect(metrics.daviesBouldin).toBeNull();
    expect(metrics.calinskiHarabasz).toBeNull();
    expect(metrics.inertia).toBe(26); // mean 3: 9 + 4 + 4 + 9
    expect(metrics.ari).toBe(0);
    expect(metrics.nmi).toBe(0);
    expect(metrics.homogeneity).toBe(0);
    expect(metrics.completeness).toBe(1);
    expect(metrics.purity).toBe(0.5);
    expect(metrics.accuracy).toBe(0.5);
  });

  it('one cluster per sample: undefined too', async () => {
    const each = Int32Array.from([0, 1, 2, 3]);
    await expect(silhouetteSamples(X, each)).rejects.toThrow(RangeError);
    const { metrics } = await computeMetrics(X, each, null, null, { silhouette: 'exact' });
    expect(metrics.silhouette).toBeNull();
    expect(metrics.daviesBouldin).toBeNull();
    expect(metrics.inertia).toBe(0);
  });

  it('a sample that happens to hold one cluster gives a null silhouette but the other metrics', async () => {
    const labels = Int32Array.from([0, 0, 0, 1]);
    // every 2-row sample drawn from 4 rows either has one label (undefined) or 2 labels in 2 rows (undefined)
    const { metrics, silhouette } = await computeMetrics(X, labels, null, null, { silhouette: 'sample', sampleSize: 2, seed: 1 });
    expect(silhouette).toBeNull();
    expect(metrics.silhouette).toBeNull();
    expect(metrics.daviesBouldin).not.toBeNull();
  });

  it('rejects mismatched lengths and labels that are not center indices', async () => {
    await expect(silhouetteSamples(X, Int32Array.from([0, 1]))).rejects.toThrow(RangeError);
    await expect(computeMetrics(X, Int32Array.from([0, 1, 0, 1]), null, Int32Array.from([0]), { silhouette: 'none' })).rejects.toThrow(RangeError);
    expect(() => inertia(X, Int32Array.from([0, 1, 2, 0]), Float64Array.from([0, 1]))).toThrow(RangeError);
    expect(() => inertia(X, Int32Array.from([0, 1, 1, 0]), Float64Array.from([0, 1]))).not.toThrow();
  });

  it('rejects non-finite data like scikit-learn', async () => {
    const labels = Int32Array.from([0, 0, 1, 1]);
    for (const bad of [NaN, Infinity]) {
      const Y: DataMatrix = { n: 4, d: 1, data: Float32Array.from([0, 1, bad, 6]), scale: 1 };
      await expect(silhouetteSamples(Y, labels)).rejects.toThrow(/non-finite value .* row 2, column 0/);
      expect(() => daviesBouldin(Y, labels)).toThrow(RangeError);
      expect(() => calinskiHarabasz(Y, labels)).toThrow(RangeError);
      await expect(computeMetrics(Y, labels, null, null, { silhouette: 'none' })).rejects.toThrow(RangeError);
    }
  });
});

describe('label encoding', () => {
  it('codes any Int32 values in ascending order, dense or sparse', () => {
    const dense = encodeLabels(Int32Array.from([5, -2, 5, 0]));
    expect(Array.from(dense.values)).toEqual([-2, 0, 5]);
    expect(Array.from(dense.codes)).toEqual([2, 0, 2, 1]);
    expect(Array.from(dense.counts)).toEqual([1, 1, 2]);
    const sparse = encodeLabels(Int32Array.from([2_000_000_000, -2_000_000_000, 7, 7]));
    expect(Array.from(sparse.values)).toEqual([-2_000_000_000, 7, 2_000_000_000]);
    expect(Array.from(sparse.codes)).toEqual([2, 0, 1, 1]);
  });
});

describe('dtypes', () => {
  it('uint8 × 1/255, float32 and float64 copies of the same MNIST rows give the same metrics', async () => {
    const u8 = mnistMatrix(0, 120);
    const f64: DataMatrix = { n: u8.n, d: u8.d, data: Float64Array.from(u8.data, (v) => v / 255), scale: 1 };
    const f32: DataMatrix = { n: u8.n, d: u8.d, data: Float32Array.from(u8.data), scale: 1 / 255 };
    const labels = Int32Array.from({ length: u8.n }, (_, i) => (i * 7) % 5);
    const ref = (await computeMetrics(u8, labels, null, null, { silhouette: 'exact' })).metrics;
    for (const X of [f64, f32]) {
      const m = (await computeMetrics(X, labels, null, null, { silhouette: 'exact' })).metrics;
      expectClose(m.silhouette!, ref.silhouette!, 'silhouette', 1e-12);
      expectClose(m.daviesBouldin!, ref.daviesBouldin!, 'Davies-Bouldin', 1e-12);
      expectClose(m.calinskiHarabasz!, ref.calinskiHarabasz!, 'Calinski-Harabasz', 1e-12);
      expectClose(m.inertia, ref.inertia, 'inertia', 1e-12);
    }
  });
});

describe('sampled silhouette', () => {
  const X = mnistMatrix(0, 300);
  const labels = Int32Array.from({ length: 300 }, (_, i) => i % 4);

  it('is reproducible for a seed, differs between seeds, and equals the exact silhouette of its rows', async () => {
    const a = await silhouetteScore(X, labels, { mode: 'sample', sampleSize: 60, seed: 5 });
    const b = await silhouetteScore(X, labels, { mode: 'sample', sampleSize: 60, seed: 5 });
    const c = await silhouetteScore(X, labels, { mode: 'sample', sampleSize: 60, seed: 6 });
    expect(Array.from(a.indices!)).toEqual(Array.from(b.indices!));
    expect(a.score).toBe(b.score);
    expect(Array.from(a.indices!)).not.toEqual(Array.from(c.indices!));
    expect(new Set(a.indices).size).toBe(60);
    const rows = Array.from(a.indices!);
    const sub: DataMatrix = { n: 60, d: X.d, data: Uint8Array.from(rows.flatMap((r) => Array.from(X.data.subarray(r * X.d, (r + 1) * X.d)))), scale: X.scale };
    const exact = await silhouetteSamples(sub, Int32Array.from(rows, (r) => labels[r]));
    expect(Array.from(a.samples)).toEqual(Array.from(exact));
  });

  it('uses every row (exact) when the sample would be as large as the data', async () => {
    const full = await silhouetteScore(X, labels, { mode: 'sample' }); // default min(n, 10000) = n
    expect(full.exact).toBe(true);
    expect(full.indices).toBeNull();
    expect(full.score).toBe((await silhouetteScore(X, labels)).score);
  });
});

describe('pairwise kernel, progress and cancellation', () => {
  const X = mnistMatrix(0, 300);
  const labels = Int32Array.from({ length: 300 }, (_, i) => i % 3);

  it('the pairwise step can be swapped for another implementation', async () => {
    let calls = 0;
    const counting: PairwiseClusterDistanceSums = (rows, opts) => {
      calls++;
      return pairwiseClusterDistanceSumsTs(rows, opts);
    };
    const s = await silhouetteSamples(X, labels, { kernel: counting });
    expect(calls).toBe(1);
    expect(Array.from(await silhouetteSamples(X, labels))).toEqual(Array.from(s));
    expect(calls).toBe(1);
    expect(Array.from(await computeMetrics(X, labels, null, null, { silhouette: 'exact', kernel: counting }).then((m) => m.silhouette!.samples))).toEqual(Array.from(s));
    expect(calls).toBe(2);
  });

  it('per-cluster distance sums equal the brute-force sums', async () => {
    const n = 40;
    const sub = mnistMatrix(100, n);
    const starts = Int32Array.from([0, 15, 16, 40]); // clusters of 15, 1 and 24 rows
    const sums = await pairwiseClusterDistanceSumsTs({ X: sub, starts });
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let j = starts[c]; j < starts[c + 1]; j++) {
          let q = 0;
          for (let t = 0; t < sub.d; t++) q += ((sub.data[i * sub.d + t] - sub.data[j * sub.d + t]) / 255) ** 2;
          s += Math.sqrt(q);
        }
        expectClose(sums[i * 3 + c], s, `sum of row ${i} to cluster ${c}`, 1e-13);
      }
    }
  });

  it('reports increasing progress ending at 1', async () => {
    const seen: number[] = [];
    await silhouetteSamples(mnistMatrix(0, 1000), Int32Array.from({ length: 1000 }, (_, i) => i % 3), {
      onProgress: (f) => seen.push(f),
    });
    expect(seen.length).toBeGreaterThan(3);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]);
    expect(seen[0]).toBeGreaterThan(0);
    expect(seen.at(-1)).toBe(1);
  });

  it('rejects with CancelledError when aborted before or during the computation', async () => {
    const before = new AbortController();
    before.abort();
    await expect(computeMetrics(X, labels, null, null, { silhouette: 'exact', signal: before.signal })).rejects.toBeInstanceOf(CancelledError);

    const during = new AbortController();
    let progressCalls = 0;
    const big = mnistMatrix(0, 1500);
    const promise = silhouetteSamples(big, Int32Array.from({ length: 1500 }, (_, i) => i % 3), {
      signal: during.signal,
      onProgress: (f) => {
        progressCalls++;
        if (f > 0.1) during.abort();
      },
    });
    await expect(promise).rejects.toBeInstanceOf(CancelledError);
    expect(progressCalls).toBeGreaterThan(0);
  });

  it('turns whatever a swapped kernel throws on abort into CancelledError', async () => {
    const abortingKernel: PairwiseClusterDistanceSums = async (_rows, opts) => {
      opts?.signal?.throwIfAborted(); // a DOMException AbortError
      return new Float64Array(0);
    };
    const ac = new AbortController();
    ac.abort();
    await expect(silhouetteSamples(X, labels, { signal: ac.signal, kernel: abortingKernel })).rejects.toBeInstanceOf(CancelledError);
  });

  it('lets a timer abort it from the event loop', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 20);
    const t0 = performance.now();
    const big = mnistMatrix(0, 4000);
    await expect(
      silhouetteSamples(big, Int32Array.from({ length: 4000 }, (_, i) => i % 10), { signal: ac.signal }),
    ).rejects.toBeInstanceOf(CancelledError);
    expect(performance.now() - t0).toBeLessThan(3000);
  });
});
