/**
 * Exact PCA(2) of all 70,000 MNIST digits against scikit-learn 1.2 (test/reference/pca-mnist70k.json,
 * scripts/reference/pca_mnist70k_reference.py): explained variance ratios within 1e-3 relative of the default
 * (randomized) solver and within 1e-9 of the full SVD; |correlation| of each component's coordinates above 0.9999.
 */
import { describe, expect, it } from 'vitest';
import { pca } from '../../src-main/engine/embed/pca';
import { loadMnist } from '../../src-main/datasets/mnist';
import { readReference } from '../helpers/metrics-data';

interface Fit { explainedVarianceRatio: number[]; components: number[]; coords: number[] }
const ref = readReference<{ rows: number; default: Fit; full: Fit }>('pca-mnist70k.json');

function correlation(a: ArrayLike<number>, b: ArrayLike<number>, stride: number, k: number, n: number): number {
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i * stride + k]; mb += b[i * stride + k]; }
  ma /= n; mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i * stride + k] - ma, y = b[i * stride + k] - mb;
    sab += x * y; saa += x * x; sbb += y * y;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe('PCA(2) of the 70k MNIST digits', () => {
  it('equals scikit-learn', () => {
    const ds = loadMnist();
    const t = performance.now();
    const r = pca({ n: ds.n, d: ds.d, data: ds.data, scale: ds.scale });
    console.log(`PCA of 70k × 784: ${((performance.now() - t) / 1000).toFixed(2)} s, ratio ${Array.from(r.explainedVarianceRatio)}`);
    for (let k = 0; k < 2; k++) {
      expect(Math.abs(r.explainedVarianceRatio[k] / ref.default.explainedVarianceRatio[k] - 1)).toBeLessThan(1e-3);
      expect(Math.abs(r.explainedVarianceRatio[k] / ref.full.explainedVarianceRatio[k] - 1)).toBeLessThan(1e-9);
      for (const fit of [ref.default, ref.full]) expect(Math.abs(correlation(r.coords, fit.coords, 2, k, ref.rows))).toBeGreaterThan(0.9999);
      // with svd_flip's sign convention the full solver's coordinates are the same numbers
      for (let i = 0; i < ref.rows; i++) expect(r.coords[i * 2 + k]).toBeCloseTo(ref.full.coords[i * 2 + k], 8);
    }
  }, 120_000);
});
