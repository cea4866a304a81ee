import type { RowData } from './types';

/**
 * The rows `idx` of data, same dtype, as a new m × d matrix. Always a fresh array: kernels may cache
 * a matrix by identity (types.ts), so a buffer refilled in place would be taken for the old rows.
 */
export function gatherRows<T extends RowData>(data: T, d: number, idx: ArrayLike<number>): T {
  const m = idx.length;
  const out = new (data.constructor as new (length: number) => T)(m * d);
  for (let r = 0; r < m; r++) out.set(data.subarray(idx[r] * d, idx[r] * d + d), r * d);
  return out;
}
