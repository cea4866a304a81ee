/**
 * The WASM center-to-center distances of the bounded assignment (assembly centerPairs): every pair e > c against
 * the float64 sum one feature at a time, within the relative error the bounds allow for ((d + 8)·2⁻⁵²), for odd
 * and even d and k not a multiple of four; entries of other rows are left alone.
 */
import { beforeAll, expect, it } from 'vitest';
import type { KernelPool } from '../../src-main/engine/kernels/pool';
import { Rng } from '../../src-main/engine/rng';
import { useKernelPools } from '../helpers/pools';

const pools = useKernelPools();
let pool: KernelPool;
beforeAll(() => {
  pool = pools.pool1();
});

it.each([
  [1, 2],
  [7, 5],
  [784, 13],
  [33, 100],
])('d = %i, k = %i: every pair within (d + 8)·2⁻⁵² of the float64 sum', (d, k) => {
  const rng = new Rng(d * 1000 + k);
  const centers = Float64Array.from({ length: k * d }, () => rng.nextFloat() * 255 - (rng.nextFloat() < 0.1 ? 300 : 0));
  const c64 = pool.alloc('test:c64', k * d * 8 + 64);
  pool.f64(c64, k * d).set(centers);
  const out = pool.alloc('test:cc', k * k * 8 + 64);
  pool.f64(out, k * k).fill(-1);
  // rows 1 … k − 1 only: row 0 must stay untouched
  pool.kernels.centerPairs(c64, k, d, 1, k, out);
  const got = pool.f64(out, k * k);
  const tol = (d + 8) * 2 ** -52;
  for (let c = 0; c < k; c++) {
    for (let e = 0; e < k; e++) {
      if (c === 0 || e <= c) {
        expect(got[c * k + e], `untouched ${c}, ${e}`).toBe(-1);
        continue;
      }
      let t = 0;
      for (let j = 0; j < d; j++) {
        const v = centers[c * d + j] - centers[e * d + j];
        t += v * v;
      }
      expect(Math.abs(got[c * k + e] - t), `pair ${c}, ${e}`).toBeLessThanOrEqual(tol * t);
    }
  }
});
