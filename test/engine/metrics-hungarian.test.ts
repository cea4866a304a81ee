/**
 * linearSumAssignment against scipy.optimize.linear_sum_assignment (optimal total cost, min and max,
 * square and rectangular, float and tied integer costs), and against brute force on small matrices.
 */
import { describe, expect, it } from 'vitest';
import { assignmentCost, linearSumAssignment } from '../../src-main/engine/metrics';
import { Rng } from '../../src-main/engine/rng';
import { expectClose, readReference } from '../helpers/metrics-data';

interface Problem {
  rows: number;
  cols: number;
  kind: string;
  cost: number[];
  minCost: number;
  minRowInd: number[];
  maxCost: number;
}

const { problems } = readReference<{ problems: Problem[] }>('metrics-hungarian.json');

/** A valid assignment: min(rows, cols) pairs, rows ascending and distinct, columns distinct and in range. */
function expectValid(a: { rowInd: Int32Array; colInd: Int32Array }, rows: number, cols: number): void {
  expect(a.rowInd.length).toBe(Math.min(rows, cols));
  expect(a.colInd.length).toBe(a.rowInd.length);
  for (let m = 1; m < a.rowInd.length; m++) expect(a.rowInd[m]).toBeGreaterThan(a.rowInd[m - 1]);
  expect(new Set(a.colInd).size).toBe(a.colInd.length);
  for (const r of a.rowInd) expect(r >= 0 && r < rows).toBe(true);
  for (const c of a.colInd) expect(c >= 0 && c < cols).toBe(true);
}

describe('linearSumAssignment against scipy', () => {
  for (const p of problems) {
    it(`${p.rows} × ${p.cols} ${p.kind}`, () => {
      const cost = Float64Array.from(p.cost);
      const min = linearSumAssignment(cost, p.rows, p.cols);
      expectValid(min, p.rows, p.cols);
      expect(Array.from(min.rowInd)).toEqual(p.minRowInd);
      expectClose(assignmentCost(cost, p.cols, min), p.minCost, 'minimum total cost', 1e-12);
      const max = linearSumAssignment(cost, p.rows, p.cols, true);
      expectValid(max, p.rows, p.cols);
      expectClose(assignmentCost(cost, p.cols, max), p.maxCost, 'maximum total cost', 1e-12);
    });
  }
});

/** Best total cost over all injective maps of the smaller side into the larger, by enumeration. */
function bruteForce(cost: Float64Array, rows: number, cols: number): number {
  const transpose = cols < rows;
  const [nr, nc] = transpose ? [cols, rows] : [rows, cols];
  const at = (r: number, c: number): number => (transpose ? cost[c * cols + r] : cost[r * cols + c]);
  const used = new Uint8Array(nc);
  let best = Infinity;
  const rec = (r: number, acc: number): void => {
    if (r === nr) {
      best = Math.min(best, acc);
      return;
    }
    for (let c = 0; c < nc; c++) {
      if (used[c]) continue;
      used[c] = 1;
      rec(r + 1, acc + at(r, c));
      used[c] = 0;
    }
  };
  rec(0, 0);
  return best;
}

describe('linearSumAssignment against brute force', () => {
  it('200 random small matrices, up to 6 × 6, with many ties', () => {
    const rng = new Rng(7);
    for (let t = 0; t < 200; t++) {
      const rows = 1 + rng.nextInt(6);
      const cols = 1 + rng.nextInt(6);
      const cost = Float64Array.from({ length: rows * cols }, () => rng.nextInt(4) - 1);
      const a = linearSumAssignment(cost, rows, cols);
      expectValid(a, rows, cols);
      expect(assignmentCost(cost, cols, a)).toBe(bruteForce(cost, rows, cols));
    }
  });

  it('handles empty matrices and rejects non-finite costs and wrong shapes', () => {
    expect(linearSumAssignment(new Float64Array(0), 0, 3).rowInd.length).toBe(0);
    expect(() => linearSumAssignment(Float64Array.from([1, NaN]), 1, 2)).toThrow(RangeError);
    expect(() => linearSumAssignment(Float64Array.from([1, Infinity]), 1, 2)).toThrow(RangeError);
    expect(() => linearSumAssignment(Float64Array.from([1, 2, 3]), 2, 2)).toThrow(RangeError);
  });

  it('solves a 300 × 300 problem quickly', () => {
    const rng = new Rng(3);
    const n = 300;
    const cost = Float64Array.from({ length: n * n }, () => rng.nextFloat());
    const t0 = performance.now();
    const a = linearSumAssignment(cost, n, n);
    expect(performance.now() - t0).toBeLessThan(2000);
    expectValid(a, n, n);
    // no single swap of two rows' columns improves an optimal assignment
    for (let i = 0; i < n; i += 7) {
      for (let j = i + 1; j < n; j += 11) {
        const before = cost[i * n + a.colInd[i]] + cost[j * n + a.colInd[j]];
        const after = cost[i * n + a.colInd[j]] + cost[j * n + a.colInd[i]];
        expect(after).toBeGreaterThanOrEqual(before - 1e-12);
      }
    }
  });
});
