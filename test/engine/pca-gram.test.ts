/**
 * The exact integer Gram of uint8 rows on the WASM kernel threads (engine/embed/gram.ts) against the TypeScript
 * covariance loop, on unlike uint8 data: sparse digits, dense noise, inverted digits, d below, at and off a
 * multiple of 16, and more rows than one int32 round. The covariance must be the same numbers, bit for bit.
 */
import { describe, expect, it } from 'vitest';
import type { DataMatrix } from '../../src-shared/model';
import { ROUND_ROWS, gramU8 } from '../../src-main/engine/embed/gram';
import { covariance, pca } from '../../src-main/engine/embed/pca';
import { mnistMatrix } from '../helpers/mnist-rows';

function noise(n: number, d: number, seed: number, zeros = 0): DataMatrix {
  const data = new Uint8Array(n * d);
  let s = seed >>> 0;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = (s >>> 24) / 256 < zeros ? 0 : s >>> 24;
  }
  return { n, d, data, scale: 1 / 255 };
}

const digits = mnistMatrix(0, 400);
const inverted: DataMatrix = { ...digits, data: (digits.data as Uint8Array).map((v) => 255 - v) };

describe.each([
  ['400 MNIST digits (sparse)', digits],
  ['the same digits inverted (dense)', inverted],
  ['dense noise, d = 7', noise(300, 7, 1)],
  ['dense noise, d = 16', noise(300, 16, 2)],
  ['half-zero noise, d = 37', noise(500, 37, 3, 0.5)],
  ['all 255, d = 33', { n: 200, d: 33, data: new Uint8Array(200 * 33).fill(255), scale: 1 }],
  [`${ROUND_ROWS + 777} rows of noise (more than one round), d = 21`, noise(ROUND_ROWS + 777, 21, 4, 0.3)],
] as const)('uint8 Gram on %s', (_name, X) => {
  it('the covariance and mean equal the TypeScript loop exactly', () => {
    const fast = covariance(X);
    const ref = covariance(X, undefined, undefined, { kernel: 'ts' });
    expect(fast.cov).toEqual(ref.cov);
    expect(fast.mean).toEqual(ref.mean);
  });

  it('the Gram is symmetric integers and its diagonal is Σ x²', () => {
    const g = gramU8(X.data, X.n, X.d);
    expect(g).not.toBeNull();
    const { gram, sums } = g!;
    const { n, d, data } = X;
    const sq = new Float64Array(d);
    const s = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        sq[j] += data[i * d + j] ** 2;
        s[j] += data[i * d + j];
      }
    }
    expect(Array.from({ length: d }, (_, j) => gram[j * d + j])).toEqual(Array.from(sq));
    expect(Array.from(sums)).toEqual(Array.from(s));
    let asymmetric = 0;
    for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) if (gram[a * d + b] !== gram[b * d + a]) asymmetric++;
    expect(asymmetric).toBe(0);
  });
});

describe('uint8 Gram preconditions', () => {
  it('float data is not taken (the caller keeps its float64 path)', () => {
    expect(gramU8(new Float32Array(12), 4, 3)).toBeNull();
  });
  it('a cancelled signal stops it', () => {
    const ac = new AbortController();
    ac.abort();
    expect(() => gramU8(digits.data, digits.n, digits.d, undefined, ac.signal)).toThrow(/cancelled/);
  });
});

describe('PCA of one set of digits in unlike forms (uint8 on the integer Gram, float32 on the float64 loop)', () => {
  const base = digits;
  const d = base.d;
  const px = base.data as Uint8Array;
  const asFloat = (f: (v: number) => number): DataMatrix => ({ n: base.n, d, data: Float32Array.from(px, f), scale: 1 });
  // inverting a pixel (255 − x, or 1 − x) leaves every covariance unchanged: same variances, axes and |coordinates|
  const forms: [string, DataMatrix][] = [
    ['inverted uint8 (dense)', inverted],
    ['float32 pixels / 255', asFloat((v) => v / 255)],
    ['inverted float32 1 − pixels / 255', asFloat((v) => 1 - v / 255)],
  ];
  const ref = pca(base);

  function corr(a: Float64Array, b: Float64Array, k: number): number {
    let sab = 0, saa = 0, sbb = 0;
    for (let i = 0; i < base.n; i++) {
      const x = a[i * 2 + k], y = b[i * 2 + k];
      sab += x * y; saa += x * x; sbb += y * y;
    }
    return sab / Math.sqrt(saa * sbb);
  }

  it.each(forms)('%s: the same explained variance ratios and |coordinates|', (_name, X) => {
    const r = pca(X);
    for (let k = 0; k < 2; k++) {
      expect(Math.abs(r.explainedVarianceRatio[k] / ref.explainedVarianceRatio[k] - 1)).toBeLessThan(1e-6);
      expect(Math.abs(corr(r.coords, ref.coords, k))).toBeGreaterThan(1 - 1e-9);
    }
  });

  it('odd d: the digits without their last column, uint8 against float32', () => {
    const cut = (src: ArrayLike<number>, out: Uint8Array | Float32Array): void => {
      for (let i = 0; i < base.n; i++) for (let j = 0; j < d - 1; j++) out[i * (d - 1) + j] = src[i * d + j];
    };
    const u = new Uint8Array(base.n * (d - 1));
    const f = new Float32Array(base.n * (d - 1));
    cut(px, u);
    cut(px, f);
    const a = pca({ n: base.n, d: d - 1, data: u, scale: 1 });
    const b = pca({ n: base.n, d: d - 1, data: f, scale: 1 });
    for (let k = 0; k < 2; k++) {
      expect(Math.abs(a.explainedVarianceRatio[k] / b.explainedVarianceRatio[k] - 1)).toBeLessThan(1e-10);
      expect(Math.abs(corr(a.coords, b.coords, k))).toBeGreaterThan(1 - 1e-12);
    }
  });
});
