/**
 * KernelPool.allocPinned: a dataset read straight into the kernels' shared memory, which the WASM kernel then uses
 * where it is (no copy) and which nothing else overwrites, also not after reset(). The fits on such data are
 * compared with the reference on the corpus (corpus.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { createWasmKernel } from '../../src-main/engine/kernels/wasm-kernel';
import type { LloydKernel, RowData } from '../../src-main/engine/kernels/types';
import { tsKernel } from '../../src-main/engine/kernels/ts-kernel';
import { Rng } from '../../src-main/engine/rng';
import { useKernelPools } from '../helpers/pools';

const pools = useKernelPools();

describe('pinned kernel data', () => {
  it('is zeroed, 64-byte aligned, in the shared memory, found by identity only, and survives reset()', () => {
    const pool = pools.pool1();
    const a = pool.allocPinned(1000);
    expect(a.length).toBe(1000);
    expect(a.every((v) => v === 0)).toBe(true);
    expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(a.byteOffset % 64).toBe(0);
    expect(pool.pinnedOffset(a)).toBe(a.byteOffset);
    // a copy or a view of part of it is not the pinned array (a fit copies it as any other)
    expect(pool.pinnedOffset(a.slice())).toBeNull();
    expect(pool.pinnedOffset(a.subarray(1))).toBeNull();
    expect(pool.pinnedOffset(new Uint8Array(1000))).toBeNull();
    expect(pools.pool3().pinnedOffset(a)).toBeNull();

    a.fill(7);
    pool.reset();
    // regions after the reset come after the pinned array (and its 64 bytes of slack) and do not touch it
    const off = pool.alloc('after-reset', 5000);
    expect(off).toBeGreaterThanOrEqual(a.byteOffset + a.length + 64);
    pool.bytes().fill(9, off, off + 5000);
    expect(a.every((v) => v === 7)).toBe(true);

    // memory written before and reused by a later pinned array is zeroed again
    pool.reset();
    const scratch = pool.alloc('scratch', 4096);
    pool.bytes().fill(5, scratch, scratch + 4096);
    pool.reset();
    const b = pool.allocPinned(4096);
    expect(b.byteOffset).toBe(scratch);
    expect(b.every((v) => v === 0)).toBe(true);
    expect(a.every((v) => v === 7)).toBe(true);
    expect(() => pool.allocPinned(-1)).toThrow(RangeError);
  });

  it('the WASM kernel stages a pinned matrix in place and gives the results of a copied one', () => {
    const pool = pools.pool3();
    const n = 3000;
    const d = 784;
    const rng = new Rng(4);
    const pinned = pool.allocPinned(n * d);
    for (let t = 0; t < n * d; t++) pinned[t] = rng.nextFloat() < 0.2 ? rng.nextInt(256) : 0;
    const copy = Uint8Array.from(pinned);
    const inPlace = createWasmKernel(pool, { cacheBytes: 0 }) as LloydKernel & { stageData(data: RowData, d: number): number };
    const copied = createWasmKernel(pool, { cacheBytes: 0 }) as LloydKernel & { stageData(data: RowData, d: number): number };
    expect(inPlace.stageData(pinned, d)).toBe(pinned.byteOffset);
    expect(copied.stageData(copy, d)).not.toBe(pinned.byteOffset);

    const norms = new Float64Array(n);
    const normsRef = new Float64Array(n);
    inPlace.rowNorms(pinned, d, 0, n, norms);
    tsKernel.rowNorms(copy, d, 0, n, normsRef);
    expect(norms).toEqual(normsRef);
    const k = 10;
    const centers = new Float64Array(k * d);
    for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) centers[c * d + j] = copy[c * 97 * d + j];
    const cn = new Float64Array(k);
    for (let c = 0; c < k; c++) cn[c] = normsRef[c * 97];
    const run = (kernel: LloydKernel, data: Uint8Array, rows?: Int32Array) => {
      const m = rows ? rows.length : n;
      const out = { labels: new Int32Array(m), sums: new Float64Array(k * d), counts: new Float64Array(k) };
      const total = kernel.assign({ data, d, rowNorms: norms, centers, centerNorms: cn, k, start: 0, end: m, rows, ...out });
      return { total, ...out };
    };
    const batch = rng.randInts(n, 1024);
    for (const rows of [undefined, batch]) {
      const a = run(inPlace, pinned, rows);
      const b = run(copied, copy, rows);
      const r = run(tsKernel, copy, rows);
      expect(a.labels).toEqual(r.labels);
      expect(a.labels).toEqual(b.labels);
      expect(a.sums).toEqual(b.sums);
      expect(a.counts).toEqual(r.counts);
      expect(a.total).toBe(b.total);
      expect(Math.abs(a.total - r.total) / r.total).toBeLessThan(1e-12);
    }
    expect(Buffer.compare(pinned, copy)).toBe(0);
  });
});
