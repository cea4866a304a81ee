/**
 * Exact PCA against scikit-learn 1.2 PCA(2, svd_solver='full') (test/reference/pca.json,
 * scripts/reference/pca_reference.py) on 300 MNIST digits (uint8 path) and the float32 blobs (float path),
 * and the eigen solvers on matrices with known spectra.
 */
import { describe, expect, it } from 'vitest';
import type { DataMatrix } from '../../src-shared/model';
import { jacobiEigen, topEigen } from '../../src-main/engine/embed/eigen';
import { pca } from '../../src-main/engine/embed/pca';
import { CancelledError, ParamError } from '../../src-main/engine/errors';
import { floatBlobs, readReference } from '../helpers/metrics-data';
import { mnistMatrix } from '../helpers/mnist-rows';

interface Fit { explainedVariance: number[]; explainedVarianceRatio: number[]; components: number[]; coords: number[] }
const ref = readReference<{ mnist: Fit & { start: number; n: number }; float: Fit }>('pca.json');

function expectClose(actual: ArrayLike<number>, expected: number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  const scale = Math.max(...expected.map(Math.abs));
  expect(worst / scale).toBeLessThan(tol);
}

describe.each([
  ['300 MNIST digits (uint8)', () => mnistMatrix(ref.mnist.start, ref.mnist.n), ref.mnist],
  ['float32 blobs', () => floatBlobs().X, ref.float],
] as const)('PCA(2) on %s equals scikit-learn', (_name, data, expected) => {
  const X = data();
  const r = pca(X);

  it('explained variance and its ratio', () => {
    expectClose(r.explainedVariance, expected.explainedVariance, 1e-10);
    expectClose(r.explainedVarianceRatio, expected.explainedVarianceRatio, 1e-10);
  });

  it('components and coordinates, with the svd_flip signs', () => {
    expectClose(r.components, expected.components, 1e-8);
    expectClose(r.coords, expected.coords, 1e-8);
  });
});

describe('pca', () => {
  it('rejects too few rows or components, naming the parameter', () => {
    const X: DataMatrix = { n: 1, d: 3, data: new Float32Array(3), scale: 1 };
    expect(() => pca(X)).toThrow(ParamError);
    const Y: DataMatrix = { n: 5, d: 1, data: new Float32Array(5), scale: 1 };
    expect(() => pca(Y)).toThrow(/nComponents must be an integer 1 … 1/);
  });

  it('stops with CancelledError when aborted', () => {
    const c = new AbortController();
    c.abort();
    expect(() => pca(mnistMatrix(0, 10), { signal: c.signal })).toThrow(CancelledError);
  });

  it('gives zero ratios for constant data instead of NaN', () => {
    const r = pca({ n: 4, d: 3, data: new Float32Array(12).fill(2), scale: 1 });
    expect(Array.from(r.explainedVarianceRatio)).toEqual([0, 0]);
    expect(r.coords.every((v) => v === 0)).toBe(true);
  });
});

describe('eigen solvers', () => {
  /** Q diag(λ) Qᵀ with Q a product of deterministic rotations. */
  function withSpectrum(lambda: number[]): Float64Array {
    const d = lambda.length;
    const Q = new Float64Array(d * d);
    for (let i = 0; i < d; i++) Q[i * d + i] = 1;
    for (let p = 0; p < d - 1; p++) {
      const t = 0.3 + p * 0.17;
      const c = Math.cos(t);
      const s = Math.sin(t);
      for (let k = 0; k < d; k++) {
        const a = Q[k * d + p];
        const b = Q[k * d + p + 1];
        Q[k * d + p] = c * a - s * b;
        Q[k * d + p + 1] = s * a + c * b;
      }
    }
    const A = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) A[i * d + j] += Q[i * d + k] * lambda[k] * Q[j * d + k];
    return A;
  }

  it('Jacobi finds every eigenvalue of a small matrix', () => {
    const lambda = [0.5, 4, 1, 9, 2.5];
    const r = jacobiEigen(withSpectrum(lambda), 5);
    expectClose(r.values, [...lambda].sort((a, b) => b - a), 1e-13);
  });

  it('Lanczos (few pairs) and subspace iteration (many) agree on the top pairs', () => {
    const lambda = Array.from({ length: 90 }, (_, i) => 1 / (1 + 0.1 * i));
    const A = withSpectrum(lambda);
    const few = topEigen(A, 90, 3);
    const many = topEigen(A, 90, 9 + 1); // above the Lanczos limit: subspace iteration
    expectClose(few.values, lambda.slice(0, 3), 1e-10);
    expectClose(many.values.slice(0, 3), lambda.slice(0, 3), 1e-10);
    for (let k = 0; k < 3; k++) {
      let c = 0;
      for (let i = 0; i < 90; i++) c += few.vectors[k * 90 + i] * many.vectors[k * 90 + i];
      expect(Math.abs(c)).toBeGreaterThan(1 - 1e-8);
    }
  });

  it('finds both copies of a repeated top eigenvalue (a single Lanczos start sees only one)', () => {
    const lambda = Array.from({ length: 80 }, (_, i) => 0.5 / (i + 1));
    lambda[0] = lambda[1] = 2;
    const r = topEigen(withSpectrum(lambda), 80, 2);
    expectClose(r.values, [2, 2], 1e-9);
    let c = 0;
    for (let i = 0; i < 80; i++) c += r.vectors[i] * r.vectors[80 + i];
    expect(Math.abs(c)).toBeLessThan(1e-8);
  });

  it('subspace iteration finds the top two of a 100 × 100 matrix with close eigenvalues', () => {
    const lambda = Array.from({ length: 100 }, (_, i) => 1 / (i + 1));
    lambda[1] = 0.95; // gap 1 : 0.95 : 0.333…
    const A = withSpectrum(lambda);
    const r = topEigen(A, 100, 2);
    expectClose(r.values, [1, 0.95], 1e-10);
    // each vector satisfies A v = λ v
    for (let k = 0; k < 2; k++) {
      let res = 0;
      for (let i = 0; i < 100; i++) {
        let s = 0;
        for (let j = 0; j < 100; j++) s += A[i * 100 + j] * r.vectors[k * 100 + j];
        res = Math.max(res, Math.abs(s - r.values[k] * r.vectors[k * 100 + i]));
      }
      expect(res).toBeLessThan(1e-9);
    }
  });
});
