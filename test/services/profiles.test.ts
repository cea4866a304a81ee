import { describe, expect, it } from 'vitest';
import { clusterProfiles } from '../../src-main/run-views';

describe('clusterProfiles', () => {
  it('gives each cluster its feature means and population standard deviations, in feature units', () => {
    // 5 rows × 2 features, raw uint8 values with scale 0.5; clusters 0 0 1 1 and an empty cluster 2
    const X = { n: 5, d: 2, data: Uint8Array.from([2, 10, 4, 10, 6, 0, 10, 4, 8, 2]), scale: 0.5 };
    const labels = Int32Array.from([0, 0, 1, 1, 1]);
    const p = clusterProfiles(7, X, labels, 3);
    expect(p).toMatchObject({ id: 7, k: 3, d: 2 });
    expect(Array.from(p.counts)).toEqual([2, 3, 0]);
    // cluster 0: x = 1, 2 → mean 1.5, std 0.5; y = 5, 5 → 5, 0. cluster 1: x = 3, 5, 4 → 4, √(2/3); y = 0, 2, 1 → 1, √(2/3)
    expect(Array.from(p.mean.subarray(0, 4))).toEqual([1.5, 5, 4, 1]);
    expect(p.std[0]).toBeCloseTo(0.5, 15);
    expect(p.std[1]).toBe(0);
    expect(p.std[2]).toBeCloseTo(Math.sqrt(2 / 3), 15);
    expect(p.std[3]).toBeCloseTo(Math.sqrt(2 / 3), 15);
    expect(Number.isNaN(p.mean[4]!) && Number.isNaN(p.std[5]!)).toBe(true);
    // all rows: x = 1 … 5 → mean 3, std √2; y = 5, 5, 0, 2, 1 → mean 2.6
    expect(Array.from(p.overallMean)).toEqual([3, 2.6]);
    expect(p.overallStd[0]).toBeCloseTo(Math.sqrt(2), 15);
  });
});
