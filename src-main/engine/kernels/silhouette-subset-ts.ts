/**
 * Distances from a chosen subset of the rows to every row, summed per cluster: what a silhouette estimate needs
 * (the exact coefficient of a few rows, each scored against ALL rows). The pure TypeScript reference of
 * {@link SubsetDistanceSums}; the WASM version (silhouette-subset-kernel.ts) is checked against it.
 */
import { throwIfCancelled, yieldToEventLoop } from './silhouette-ts';
import { gatherRows } from './rows';
import type { GroupedRows, ProgressOptions } from './types';

/** Grouped rows staged once, then asked for the per-cluster distance sums of any of their rows. */
export interface SubsetDistanceSums {
  /**
   * @param positions rows of the grouped matrix (0 … n − 1, any order, repeats allowed).
   * @returns positions.length × k, row-major: entry (t, c) = Σ over the rows j of cluster c of ‖x_positions[t] − x_j‖
   *   (feature units, float64; a row's distance to itself is 0).
   */
  sums(positions: Int32Array, opts?: ProgressOptions): Promise<Float64Array>;
}

/**
 * Stages `rows` for {@link SubsetDistanceSums} queries. With `order` (a permutation of rows.X's rows), rows.X is in
 * any order and grouped row p is its row order[p], so a caller need not gather the matrix itself.
 */
export type SubsetDistanceSumsFactory = (rows: GroupedRows, order?: ArrayLike<number>) => SubsetDistanceSums;

/** Pure TypeScript reference: every distance in float64 from the differences. */
export const subsetDistanceSumsTs: SubsetDistanceSumsFactory = (given, order) => {
  const rows = order === undefined ? given : { X: { ...given.X, n: order.length, data: gatherRows(given.X.data, given.X.d, order) }, starts: given.starts };
  return subsetTs(rows);
};

const subsetTs = (rows: GroupedRows): SubsetDistanceSums => ({
  async sums(positions, opts = {}) {
    const { X, starts } = rows;
    const { d, data } = X;
    const k = starts.length - 1;
    const scale = Math.abs(X.scale);
    const out = new Float64Array(positions.length * k);
    for (let t = 0; t < positions.length; t++) {
      throwIfCancelled(opts.signal);
      const a = positions[t] * d;
      for (let c = 0; c < k; c++) {
        let acc = 0;
        for (let j = starts[c]; j < starts[c + 1]; j++) {
          const b = j * d;
          let s = 0;
          for (let f = 0; f < d; f++) {
            const e = data[a + f] - data[b + f];
            s += e * e;
          }
          acc += Math.sqrt(s);
        }
        out[t * k + c] = acc * scale;
      }
      if ((t & 15) === 15 && t + 1 < positions.length) {
        opts.onProgress?.((t + 1) / positions.length);
        await yieldToEventLoop();
      }
    }
    opts.onProgress?.(1);
    return out;
  },
});
