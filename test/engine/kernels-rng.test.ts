/**
 * The mini-batch steps' row draws on the WASM kernel (LloydKernel.randomRows, assembly/rng.ts mtRandInts): the values
 * of Rng.randInts (numpy's randint(0, n, size=m), which rng.test.ts checks against numpy) and the same stream after
 * them, for any n in [2, 2³¹] (masks of every width, rejection rates near one half), draws across the 624-word twist,
 * and other draws of the generator in between.
 */
import { describe, expect, it } from 'vitest';
import { createWasmKernel } from '../../src-main/engine/kernels/wasm-kernel';
import { Rng } from '../../src-main/engine/rng';
import { useKernelPools } from '../helpers/pools';

const pools = useKernelPools();

describe('randomRows on the WASM kernel', () => {
  it.each([2, 3, 7, 1000, 65_537, 70_000, 2 ** 20 + 1, 2 ** 31 - 1, 2 ** 31])('n = %i: the values and the stream of Rng.randInts', (n) => {
    const kernel = createWasmKernel(pools.pool1());
    for (const seed of [0, 1, 4_294_967_295]) {
      const a = new Rng(seed);
      const b = new Rng(seed);
      // sizes around the twist (624 words), a mini-batch's, an init set's, none
      for (const m of [1, 623, 1, 624, 625, 1024, 0, 3072, 5]) {
        const got = kernel.randomRows!(a, n, m);
        expect(got, `seed ${seed}, m = ${m}`).toEqual(b.randInts(n, m));
        // the generator goes on from where the kernel left it: other kinds of draws, then more rows
        expect(a.nextFloat()).toBe(b.nextFloat());
        expect(a.nextInt(13)).toBe(b.nextInt(13));
      }
      expect(a.randInts(n, 700)).toEqual(b.randInts(n, 700));
    }
  });

  it('leaves n = 1 and bad arguments to Rng.randInts (null), and getState/setState refuse a bad state', () => {
    const kernel = createWasmKernel(pools.pool1());
    const r = new Rng(3);
    expect(kernel.randomRows!(r, 1, 10)).toBeNull();
    expect(kernel.randomRows!(r, 2 ** 31 + 1, 10)).toBeNull();
    expect(kernel.randomRows!(r, 2.5, 10)).toBeNull();
    expect(kernel.randomRows!(r, 10, -1)).toBeNull();
    expect(r.nextInt(1000)).toBe(new Rng(3).nextInt(1000));
    expect(() => r.setState(new Uint32Array(623), 0)).toThrow(RangeError);
    expect(() => r.setState(new Uint32Array(624), 625)).toThrow(RangeError);
  });
});
