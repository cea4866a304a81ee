/**
 * Chunk masks of uint8 rows (rowMasksU8, four chunks a vector compare): bit q of a row's mask is set exactly when
 * its 4-pixel chunk q has a non-zero pixel, for every d the sparse forms take (multiples of 4 up to 1024), also
 * when the mask words end between vector groups; and the threaded staging (masks and ‖x‖₁ in row tasks) writes
 * the same masks and sums.
 */
import { describe, expect, it } from 'vitest';
import { MIN_THREADED_WORK_SPARSE, WasmStaging } from '../../src-main/engine/kernels/wasm-staging';
import { Rng } from '../../src-main/engine/rng';
import { useKernelPools } from '../helpers/pools';

const pools = useKernelPools();

function masksRef(x: Uint8Array, n: number, d: number): BigUint64Array {
  const out = new BigUint64Array(n * 4);
  for (let i = 0; i < n; i++) {
    for (let q = 0; q < d / 4; q++) {
      let nz = false;
      for (let b = 0; b < 4; b++) if (x[i * d + q * 4 + b] !== 0) nz = true;
      if (nz) out[i * 4 + (q >> 6)] |= 1n << BigInt(q & 63);
    }
  }
  return out;
}

describe('rowMasksU8', () => {
  it('sets the bit of every chunk with a non-zero pixel and no other, for d = 4 … 1024', () => {
    const pool = pools.pool1();
    const rng = new Rng(8);
    for (const d of [4, 8, 12, 16, 20, 28, 60, 64, 68, 252, 256, 260, 508, 512, 516, 784, 1020, 1024]) {
      const n = 7;
      const x = new Uint8Array(n * d);
      // sparse rows, a full row, an empty row, and one non-zero pixel in the last byte of a chunk
      for (let t = 0; t < n * d; t++) x[t] = rng.nextFloat() < 0.15 ? 1 + rng.nextInt(255) : 0;
      x.fill(255, d, 2 * d);
      x.fill(0, 2 * d, 3 * d);
      x.fill(0, 3 * d, 4 * d);
      x[3 * d + d - 1] = 1;
      const xOff = pool.alloc('test:x', n * d + 64);
      // bytes after the rows are non-zero: a vector load past the end must not set bits
      pool.bytes().fill(9, xOff, xOff + n * d + 64);
      pool.bytes().set(x, xOff);
      const m = pool.alloc('test:masks', n * 32 + 64);
      pool.kernels.rowMasksU8(xOff, d, 0, n, m);
      const got = new BigUint64Array(pool.memory.buffer, m, n * 4);
      expect(Array.from(got), `d = ${d}`).toEqual(Array.from(masksRef(x, n, d)));
    }
  });

  it('staging on several threads (a large matrix): the same masks and ‖x‖₁ as one call on the calling thread', () => {
    const rng = new Rng(9);
    const n = 5000;
    const d = 1000; // n · d above MIN_THREADED_WORK_SPARSE: the staging runs in row tasks on every thread
    expect(n * d).toBeGreaterThanOrEqual(MIN_THREADED_WORK_SPARSE);
    const x = new Uint8Array(n * d).map(() => (rng.nextFloat() < 0.3 ? rng.nextInt(256) : 0));
    for (const pool of [pools.pool1(), pools.pool3()]) {
      const staged = new WasmStaging(pool, {}).stage(x, d);
      expect(Buffer.compare(pool.bytes().subarray(staged.x, staged.x + n * d), x)).toBe(0);
      expect(staged.masks).not.toBe(0);
      expect(staged.l1).not.toBe(0);
      const got = new BigUint64Array(pool.memory.buffer, staged.masks, n * 4);
      expect(Array.from(got)).toEqual(Array.from(masksRef(x, n, d)));
      const l1 = pool.f64(staged.l1, n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += x[i * d + j];
        if (l1[i] !== s) expect(l1[i], `row ${i}`).toBe(s);
      }
    }
  });
});
