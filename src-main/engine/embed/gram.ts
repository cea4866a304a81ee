/**
 * The Gram matrix XᵀX and the column sums of uint8 rows, exactly, on the WASM kernel threads
 * (kernels/assembly/gram.ts). Precondition of the fast path: uint8 data (checked here; other dtypes get null and
 * the caller takes its float64 path). Exactness: every actor adds at most ROUND_ROWS rows into its int32 matrix
 * (ROUND_ROWS · 255² < 2³¹), then the int32 matrices are added into float64, where the totals (< n · 255², any n
 * below 10¹¹) are exact integers.
 */
import { CancelledError } from '../errors';
import { sharedKernelPool } from '../kernels/pool';
import { Program, L } from '../kernels/programs';
import { wasmKernel } from '../kernels/wasm-kernel';
import type { LloydKernel, RowData } from '../kernels/types';

/** Rows per round (one int32 accumulation); at most 33,025 for exactness. */
export const ROUND_ROWS = 16_384;
/** Rows per task within a round. */
const CHUNK = 512;

export interface GramU8 {
  /** d × d, row-major, symmetric, exact integers Σ x_a x_b (raw units). */
  gram: Float64Array;
  /** d, exact Σ x_a (raw units). */
  sums: Float64Array;
}

/** XᵀX and Σx of the n × d rows, or null when the data is not uint8 (the caller's float path then applies). */
export function gramU8(
  data: RowData,
  n: number,
  d: number,
  onProgress?: (fraction: number) => void,
  signal?: AbortSignal,
): GramU8 | null {
  if (!(data instanceof Uint8Array) || data.length < n * d) return null;
  const kernel = wasmKernel() as LloydKernel & { stageData?: (data: RowData, d: number) => number };
  const x = kernel.stageData?.(data, d);
  if (x === undefined) return null;
  const pool = sharedKernelPool();
  const actors = pool.threads + 1;
  const gStride = Math.ceil((d * d * 4) / 64) * 64;
  const sStride = Math.ceil((d * 4) / 64) * 64;
  const scrStride = Math.ceil((d * 8) / 64) * 64;
  const g = pool.alloc('gram:g', gStride * actors);
  const s = pool.alloc('gram:sums', sStride * actors);
  const scr = pool.alloc('gram:scratch', scrStride * actors);
  const gram = new Float64Array(d * d);
  const sums = new Float64Array(d);
  for (let start = 0; start < n; start += ROUND_ROWS) {
    if (signal?.aborted) throw new CancelledError('the embedding was cancelled');
    const end = Math.min(n, start + ROUND_ROWS);
    pool.bytes().fill(0, g, g + gStride * actors);
    pool.bytes().fill(0, s, s + sStride * actors);
    const params = pool.params;
    params.fill(0);
    params[L.X] = x;
    params[L.D] = d;
    params[L.START] = start;
    params[L.END] = end;
    params[L.CHUNK] = CHUNK;
    params[L.OUT] = g;
    params[L.SUMS_STRIDE] = gStride;
    params[L.SUMS] = s;
    params[L.COUNTS_STRIDE] = sStride;
    params[L.SCRATCH] = scr;
    params[L.SCRATCH_STRIDE] = scrStride;
    pool.runSync(Program.GramU8, Math.ceil((end - start) / CHUNK));
    for (let a = 0; a < actors; a++) {
      const part = pool.i32(g + a * gStride, d * d);
      for (let i = 0; i < d; i++) for (let j = i; j < d; j++) gram[i * d + j] += part[i * d + j];
      const ps = pool.i32(s + a * sStride, d);
      for (let j = 0; j < d; j++) sums[j] += ps[j];
    }
    onProgress?.(end / n);
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) gram[i * d + j] = gram[j * d + i];
  return { gram, sums };
}
