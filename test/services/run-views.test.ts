/** Derived run views on hand-made arrays: empty clusters, more clusters than classes, degenerate silhouettes. */
import { describe, expect, it } from 'vitest';
import { clusterMembers, compareView, contingencyView, silhouetteHistogramView } from '../../src-main/run-views';

describe('run views', () => {
  it('contingency keeps empty clusters and leaves the extra cluster unmatched', () => {
    // 4 clusters (cluster 3 empty), 3 classes; cluster 2 holds class 0, cluster 0 class 1, cluster 1 class 2
    const labels = Int32Array.from([2, 2, 2, 0, 0, 1, 1, 1, 0]);
    const truth = Int32Array.from([0, 0, 0, 1, 1, 2, 2, 2, 2]);
    const c = contingencyView(7, labels, 4, truth, ['a', 'b', 'c']);
    expect(Array.from(c.matrix)).toEqual([0, 2, 1, 0, 0, 3, 3, 0, 0, 0, 0, 0]);
    expect(Array.from(c.clusterToClass)).toEqual([1, 2, 0, -1]);
    expect(Array.from(c.clusterOrder)).toEqual([2, 0, 1, 3]);
    expect(c.matchedAccuracy).toBeCloseTo(8 / 9, 15);
  });

  it('histograms share bins, skip NaN, and widen a constant range', () => {
    const labels = Int32Array.from([0, 0, 1, 1]);
    const h = silhouetteHistogramView(1, labels, 2, { exact: true, indices: Int32Array.from([0, 1, 2, 3]), values: Float64Array.from([0.5, 0.5, 0.5, NaN]) }, 4);
    expect(h.edges[0]).toBeCloseTo(0.45, 12);
    expect(h.edges[4]).toBeCloseTo(0.55, 12);
    expect(Array.from(h.sizes)).toEqual([2, 1]);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(3);
    const wide = silhouetteHistogramView(1, labels, 2, { exact: false, indices: Int32Array.from([3, 0]), values: Float64Array.from([-1, 1]) }, 2);
    expect(Array.from(wide.counts)).toEqual([0, 1, 1, 0]);
    expect(Array.from(wide.means)).toEqual([1, -1]);
  });

  it('members: ties broken by row index, silhouette order only over sampled rows', () => {
    const X = { n: 5, d: 1, data: Float32Array.from([0, 2, -2, 1, 9]), scale: 1 };
    const labels = Int32Array.from([0, 0, 0, 0, 1]);
    const centers = Float64Array.from([0, 9]);
    const sil = { exact: false, indices: Int32Array.from([3, 1]), values: Float64Array.from([0.2, -0.1]) };
    const near = clusterMembers(X, labels, centers, sil, { cluster: 0, sortBy: 'distance', order: 'asc', limit: 10, offset: 0 });
    expect(Array.from(near.indices)).toEqual([0, 3, 1, 2]);
    expect(Array.from(near.distances)).toEqual([0, 1, 2, 2]);
    expect(Array.from(near.silhouette!)).toEqual([NaN, 0.2, -0.1, NaN]);
    const worst = clusterMembers(X, labels, centers, sil, { cluster: 0, sortBy: 'silhouette', order: 'asc', limit: 10, offset: 0 });
    expect(worst.total).toBe(2);
    expect(Array.from(worst.indices)).toEqual([1, 3]);
  });

  it('compare: identical partitions up to renaming agree fully', () => {
    const a = Int32Array.from([0, 0, 1, 1, 2, 2]);
    const b = Int32Array.from([2, 2, 0, 0, 1, 1]);
    const r = compareView({ id: 1, k: 3, labels: a }, { id: 2, k: 3, labels: b });
    expect(Array.from(r.aToB)).toEqual([2, 0, 1]);
    expect(r.agreement).toBe(1);
    expect(r.ari).toBeCloseTo(1, 12);
    expect(r.nmi).toBeCloseTo(1, 12);
  });
});
