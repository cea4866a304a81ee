/**
 * The LloydKernel contract (src-main/engine/kernels/types.ts) checked on the pure-TS kernel against naive
 * float64 formulas, for uint8 / float32 / float64 data: row ranges, ties, accumulation, clamping.
 */
import { describe, expect, it } from 'vitest';
import { tsKernel } from '../../src-main/engine/kernels/ts-kernel';
import type { LloydKernel, RowData } from '../../src-main/engine/kernels/types';
import { Rng } from '../../src-main/engine/rng';

function naiveSq(data: RowData, d: number, i: number, centers: Float64Array, c: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += (data[i * d + j] - centers[c * d + j]) ** 2;
  return s;
}

function makeData(kind: 'uint8' | 'float32' | 'float64', n: number, d: number, rng: Rng): RowData {
  const out = kind === 'uint8' ? new Uint8Array(n * d) : kind === 'float32' ? new Float32Array(n * d) : new Float64Array(n * d);
  for (let i = 0; i < out.length; i++) {
    // about 70 % zeros, like MNIST, so both the sparse and the dense row paths run
    const zero = rng.nextFloat() < (i % 7 === 0 ? 0.1 : 0.7);
    out[i] = zero ? 0 : kind === 'uint8' ? rng.nextInt(256) : (rng.nextFloat() - 0.5) * 20;
  }
  return out;
}

function check(kernel: LloydKernel): void {
  describe.each(['uint8', 'float32', 'float64'] as const)(`${kernel.name} kernel on %s data`, (kind) => {
    const rng = new Rng(kind.length);
    const n = 60;
    const d = 13;
    const k = 5;
    const data = makeData(kind, n, d, rng);
    const centers = new Float64Array(k * d).map(() => (kind === 'uint8' ? rng.nextFloat() * 255 : (rng.nextFloat() - 0.5) * 20));
    const centerNorms = new Float64Array(k).map((_, c) => naiveSq(new Float64Array(d), d, 0, centers, c));
    const rowNorms = new Float64Array(n);
    kernel.rowNorms(data, d, 0, n, rowNorms);
    const close = (a: number, b: number): void => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));

    it('computes row norms', () => {
      for (let i = 0; i < n; i++) close(rowNorms[i], naiveSq(data, d, i, new Float64Array(d), 0));
    });

    it('assigns a row range to the nearest centers, accumulating sums and counts, and leaves other rows alone', () => {
      const [start, end] = [7, 51];
      const labels = new Int32Array(n).fill(-1);
      const dist = new Float64Array(n).fill(-1);
      const sums = new Float64Array(k * d);
      const counts = new Float64Array(k);
      const total = kernel.assign({ data, d, rowNorms, centers, centerNorms, k, start, end, labels, dist, sums, counts });
      const wantSums = new Float64Array(k * d);
      const wantCounts = new Float64Array(k);
      let want = 0;
      for (let i = 0; i < n; i++) {
        if (i < start || i >= end) {
          expect([labels[i], dist[i]]).toEqual([-1, -1]);
          continue;
        }
        const all = Array.from({ length: k }, (_, c) => naiveSq(data, d, i, centers, c));
        const best = all.indexOf(Math.min(...all));
        expect(labels[i]).toBe(best);
        close(dist[i], all[best]);
        want += all[best];
        wantCounts[best]++;
        for (let j = 0; j < d; j++) wantSums[best * d + j] += data[i * d + j];
      }
      close(total, want);
      expect(Array.from(counts)).toEqual(Array.from(wantCounts));
      for (let i = 0; i < k * d; i++) close(sums[i], wantSums[i]);
    });

    it('writes distances to every center for a range, and labelled inertia', () => {
      const [start, end] = [3, 20];
      const out = new Float64Array((end - start) * k);
      kernel.distances({ data, d, rowNorms, centers, centerNorms, k, start, end, out });
      for (let i = start; i < end; i++) for (let c = 0; c < k; c++) close(out[(i - start) * k + c], naiveSq(data, d, i, centers, c));
      const labels = Int32Array.from({ length: n }, (_, i) => i % k);
      let want = 0;
      for (let i = start; i < end; i++) want += naiveSq(data, d, i, centers, labels[i]);
      close(kernel.labelledInertia(data, d, centers, labels, start, end), want);
    });

    it('breaks ties toward the lowest center index and clamps distances at 0', () => {
      // centers 0 and 1 equal, center 2 equal to row 0: row 0 goes to 2 at distance 0; others never to 1
      const twin = new Float64Array(3 * d);
      for (let j = 0; j < d; j++) {
        twin[j] = twin[d + j] = centers[j];
        twin[2 * d + j] = data[j];
      }
      const norms = new Float64Array(3).map((_, c) => naiveSq(new Float64Array(d), d, 0, twin, c));
      const labels = new Int32Array(n);
      const dist = new Float64Array(n);
      kernel.assign({ data, d, rowNorms, centers: twin, centerNorms: norms, k: 3, start: 0, end: n, labels, dist });
      expect(labels[0]).toBe(2);
      expect(dist[0]).toBeGreaterThanOrEqual(0);
      expect(dist[0]).toBeLessThan(1e-9 * Math.max(1, rowNorms[0]));
      expect(labels.includes(1)).toBe(false);
    });
  });
}

check(tsKernel);
