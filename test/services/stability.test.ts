import { describe, expect, it } from 'vitest';
import { ariMatrix, bestJaccard, kStability } from '../../src-main/stability';

const L = (...v: number[]) => Int32Array.from(v);

describe('stability over seeds', () => {
  it('ARI matrix is symmetric with 1 on the diagonal; a relabeling scores 1', () => {
    const a = L(0, 0, 1, 1, 2, 2);
    const b = L(2, 2, 0, 0, 1, 1); // same partition, other ids
    const c = L(0, 1, 0, 1, 0, 1);
    const m = ariMatrix([a, b, c]);
    expect(Array.from(m.subarray(0, 3))).toEqual([1, 1, m[2]]);
    expect(m[1 * 3 + 0]).toBe(1);
    expect(m[2 * 3 + 0]).toBe(m[0 * 3 + 2]);
    expect(m[2]!).toBeLessThan(0.1);
    expect(m[8]).toBe(1);
  });

  it('best Jaccard per cluster: |A∩B| / |A∪B| of the best match', () => {
    // ref clusters {0,1,2}, {3,4,5}; other splits: {0,1}, {2,3,4,5}
    const j = bestJaccard(L(0, 0, 0, 1, 1, 1), L(0, 0, 1, 1, 1, 1), 2);
    expect(j[0]).toBeCloseTo(2 / 3, 15); // {0,1,2} vs {0,1}
    expect(j[1]).toBeCloseTo(3 / 4, 15); // {3,4,5} vs {2,3,4,5}
  });

  it('kStability: reference = lowest seed, Jaccard averaged over the other runs', () => {
    const s = kStability(2, [
      { runId: 12, seed: 3, labels: L(0, 0, 1, 1, 1, 1) },
      { runId: 10, seed: 1, labels: L(0, 0, 0, 1, 1, 1) },
      { runId: 11, seed: 2, labels: L(1, 1, 1, 0, 0, 0) },
    ]);
    expect(s.runIds).toEqual([10, 11, 12]);
    expect(s.seeds).toEqual([1, 2, 3]);
    expect(s.referenceRunId).toBe(10);
    expect(Array.from(s.sizes)).toEqual([3, 3]);
    expect(s.jaccard[0]).toBeCloseTo((1 + 2 / 3) / 2, 15);
    expect(s.jaccard[1]).toBeCloseTo((1 + 3 / 4) / 2, 15);
    expect(s.ari[1]).toBe(1); // seeds 1 and 2: same partition
    expect(s.meanAri).toBeCloseTo((2 * 1 + 4 * s.ari[2]!) / 6, 15);
    expect(() => kStability(2, [{ runId: 1, seed: 0, labels: L(0, 1) }])).toThrow(/at least two/);
  });
});
