/**
 * The O(n² d) step of the exact silhouette on WASM SIMD and every core: an implementation of the metrics'
 * PairwiseClusterDistanceSums (types.ts), whose pure-TS version (silhouette-ts.ts) stays the reference.
 *
 * uint8 data takes the integer path: rows as int16, ‖x_i − x_j‖² = ‖x_i‖² + ‖x_j‖² − 2 x_i·x_j exact in int32
 * (i32x4.dot_i16x8_s; needs d·255² < 2³⁰), the square root in float64, then × scale: the same distances as
 * the float64 formula on the scaled data, to rounding. float32 data takes the float path (differences
 * summed in float32 lanes). float64 data, and uint8 rows too long for int32, use the pure-TS reference.
 *
 * From LAYOUT_MIN_ROWS rows on, the integer path first reorders the features and, inside each cluster, the rows
 * (silhouette-layout.ts) so that the tiles meet fewer non-zero chunks; the sums are put back in the rows' order.
 *
 * The rows arrive grouped by cluster; each cluster is cut into blocks of BLOCK rows, the blocks are put in a seeded
 * random order, and task t visits the block pairs (t, b ≥ t) of the upper triangle in that order, adding each
 * distance to both rows' per-cluster sums in float64 (per thread, added up at the end). So once the tasks 0 … t are
 * all done, block t's rows have met every row (pairs (t′ < t, t) came in the tasks before), and their sums are final
 * while the pass goes on: the pass reports them (onRowsDone), a random order of blocks for a live estimate.
 */
import { sharedKernelPool, type KernelPool } from './pool';
import { clusterRowOrder, featureGroupOrder } from './silhouette-layout';
import { float32SilhouetteScale, uint8SilhouetteFits } from './preconditions';
import { Program, S } from './programs';
import { pairwiseClusterDistanceSumsTs } from './silhouette-ts';
import type { GroupedRows, PairwiseClusterDistanceSums, PairwiseSumsOptions } from './types';
import { Rng } from '../rng';
import type { KernelExports } from './wasm';
import type { DataMatrix } from '../../../src-shared/model';

/** Rows per block: a block of int16 MNIST rows is 200 KB, so a pair of blocks stays in L2. */
const BLOCK = 128;

/** Rows a staging call handles. */
const STAGE_ROWS = 1024;

/** The staging kernels (assembly/silhouette.ts). */
type StagingExports = KernelExports & {
  silMasksU8(src: number, d: number, r0: number, r1: number, inv: number, norms: number, masks: number): void;
  silStageU8(src: number, d: number, dp: number, r0: number, r1: number, perm: number, row: number, dst: number): void;
};


/** Integer silhouettes of at least this many rows reorder features and rows first (silhouette-layout.ts). */
export const LAYOUT_MIN_ROWS = 8000;

export interface SilhouetteKernelOptions {
  /** Smallest row count for which the integer path reorders features and rows; default {@link LAYOUT_MIN_ROWS}. */
  layoutMinRows?: number;
  /** Seed of the blocks' order; default {@link BLOCK_ORDER_SEED}. */
  blockSeed?: number;
}

/** Seed of the blocks' random order (any order gives the same sums to rounding; this one is fixed so runs repeat). */
export const BLOCK_ORDER_SEED = 13;

export function pairwiseClusterDistanceSumsWasm(
  poolOrGetter: KernelPool | (() => KernelPool) = sharedKernelPool,
  options: SilhouetteKernelOptions = {},
): PairwiseClusterDistanceSums {
  const layoutMinRows = options.layoutMinRows ?? LAYOUT_MIN_ROWS;
  const blockSeed = options.blockSeed ?? BLOCK_ORDER_SEED;
  return async (rows: GroupedRows, opts: PairwiseSumsOptions = {}): Promise<Float64Array> => {
    const { X } = rows;
    const intPath = X.data instanceof Uint8Array && uint8SilhouetteFits(X.d);
    const floatPath = X.data instanceof Float32Array && float32SilhouetteScale(X.data) !== null;
    if (!intPath && !floatPath) return pairwiseClusterDistanceSumsTs(rows, opts);
    const pool = typeof poolOrGetter === 'function' ? poolOrGetter() : poolOrGetter;
    return run(pool, rows, intPath, layoutMinRows, blockSeed, opts);
  };
}

/** The rows of a silhouette staged in the pool's shared memory (see {@link stageSilhouetteRows}). */
export interface StagedSilhouetteRows {
  /** Offset of the n × dp rows (int16 on the integer path, float32 on the float path). */
  xOff: number;
  /** Padded row length (values). */
  dp: number;
  /** Offset of the int32 squared norms (integer path), else 0. */
  normsOff: number;
  /** Offset of the chunk masks (integer path, dp ≤ 1024), else 0. */
  masksOff: number;
  /** Staged row r is the given row rowOrder[r] (null: same order). */
  rowOrder: Int32Array | null;
  /** Power of two the float rows were multiplied by (1 on the integer path). */
  pow2: number;
}

/**
 * Rows to stage: `slots` zero rows first (query slots of silhouette-subset-kernel.ts; 0 for the exact pass), then
 * the grouped rows, gathered from `X` straight into the shared memory (no intermediate copy): staged row slots + p
 * is X's row order[p], or row p when `order` is null. `order`, when given, is a permutation of X's rows (checked).
 * `starts` are the staged rows' cluster starts, slots included.
 */
export interface SilhouetteStagingSource {
  X: DataMatrix;
  order: ArrayLike<number> | null;
  slots: number;
  starts: Int32Array;
}

/**
 * Stages the grouped rows for silI16 / silF32 in regions named `prefix:*`: int16 rows, norms and masks on the
 * integer path (features and rows reordered from `layoutMinRows` rows on), float32 rows × a power of two on the
 * float path. The staged bytes depend only on the staged rows' values, not on where they were gathered from.
 */
export function stageSilhouetteRows(
  pool: KernelPool,
  source: SilhouetteStagingSource,
  intPath: boolean,
  layoutMinRows: number,
  prefix: string,
): StagedSilhouetteRows {
  const { X, order, slots, starts } = source;
  const { d, data } = X;
  const rowsIn = order === null ? X.n : order.length;
  const n = slots + rowsIn;
  if (starts[starts.length - 1] !== n) throw new RangeError(`cluster starts end at ${starts[starts.length - 1]}, not at the ${n} staged rows`);
  if (order !== null) checkPermutation(order, X.n);
  const srcRow = (r: number): number => (order === null ? r - slots : order[r - slots]);
  // the rows, padded to whole vectors
  const dp = intPath ? Math.ceil(d / 8) * 8 : Math.ceil(d / 4) * 4;
  const xOff = pool.alloc(`${prefix}:x`, n * dp * (intPath ? 2 : 4));
  let normsOff = 0;
  let masksOff = 0;
  let rowOrder: Int32Array | null = null;
  let pow2 = 1;
  if (intPath) {
    const u8 = data as Uint8Array;
    const ex = pool.kernels as StagingExports;
    normsOff = pool.alloc(`${prefix}:norms`, n * 4 + 64);
    // zero-chunk masks (8 values a chunk, 128 chunks at most): 4 × 32 bits a row
    const useMasks = dp <= 1024;
    masksOff = pool.alloc(`${prefix}:masks`, n * 16 + 64);
    const layout = useMasks && n >= layoutMinRows;
    // the uint8 rows at the end of the int16 rows' region (staged in place, see silStageU8), gathered there
    const srcOff = xOff + 2 * n * dp - n * d;
    const bytes = pool.bytes();
    bytes.fill(0, srcOff, srcOff + slots * d);
    if (order === null) bytes.set(u8.subarray(0, rowsIn * d), srcOff + slots * d);
    else for (let r = slots; r < n; r++) bytes.set(u8.subarray(srcRow(r) * d, srcRow(r) * d + d), srcOff + r * d);
    // the feature order and its inverse in the shared memory
    const perm = layout && d > 8 ? featureGroupOrder(bytes.subarray(srcOff, srcOff + n * d), n, d) : null;
    const rowOff = pool.alloc(`${prefix}:row`, d);
    let permOff = 0;
    let invOff = 0;
    if (perm !== null) {
      permOff = pool.alloc(`${prefix}:perm`, d * 4);
      pool.i32(permOff, d).set(perm);
      invOff = pool.alloc(`${prefix}:inv`, d * 4);
      const inv = pool.i32(invOff, d);
      for (let p = 0; p < d; p++) inv[perm[p]] = p;
    }
    // norms and masks of the rows as they come (masks in the staged feature order; unused when dp > 1024)
    for (let r = 0; r < n; r += STAGE_ROWS) ex.silMasksU8(srcOff, d, r, Math.min(n, r + STAGE_ROWS), invOff, normsOff, masksOff);
    if (layout) {
      const masks = new Uint32Array(pool.memory.buffer, masksOff, n * 4);
      rowOrder = clusterRowOrder(masks, 4, n, starts);
      const norms = pool.i32(normsOff, n);
      const m = masks.slice();
      const nrm = norms.slice();
      for (let r = 0; r < n; r++) {
        const i = rowOrder[r];
        norms[r] = nrm[i];
        masks.set(m.subarray(4 * i, 4 * i + 4), 4 * r);
      }
      permuteRows(pool.bytes(), srcOff, d, rowOrder);
    }
    for (let r = 0; r < n; r += STAGE_ROWS) ex.silStageU8(srcOff, d, dp, r, Math.min(n, r + STAGE_ROWS), permOff, rowOff, xOff);
    if (!useMasks) masksOff = 0;
  } else {
    // rows × a power of two, so that max|x| is in (1/2, 1] (see float32SilhouetteScale); the sums are scaled back
    // max|x| of X's rows: the staged rows are the same rows (a permutation) and zero slots, which do not change it
    const src = data as Float32Array;
    pow2 = float32SilhouetteScale(src.subarray(0, X.n * d)) as number;
    const x32 = pool.f32(xOff, n * dp);
    x32.fill(0, 0, slots * dp);
    for (let i = slots; i < n; i++) {
      const row = x32.subarray(i * dp, i * dp + d);
      const o = srcRow(i) * d;
      row.set(src.subarray(o, o + d));
      if (pow2 !== 1) for (let j = 0; j < d; j++) row[j] *= pow2;
      x32.fill(0, i * dp + d, i * dp + dp);
    }
  }
  return { xOff, dp, normsOff, masksOff, rowOrder, pow2 };
}

async function run(
  pool: KernelPool,
  rows: GroupedRows,
  intPath: boolean,
  layoutMinRows: number,
  blockSeed: number,
  opts: PairwiseSumsOptions,
): Promise<Float64Array> {
  const { X, starts } = rows;
  const { n } = X;
  const k = starts.length - 1;
  opts.signal?.throwIfAborted();
  const { xOff, dp, normsOff, masksOff, rowOrder, pow2 } = stageSilhouetteRows(pool, { X, order: null, slots: 0, starts }, intPath, layoutMinRows, 'sil');

  // blocks (start, end, cluster), cut inside each cluster, in a seeded random order
  const blockList = shuffledBlocks(clusterBlocks(starts, 0), blockSeed);
  const nBlocks = blockList.length / 3;
  const blocksOff = pool.alloc('sil:blocks', blockList.length * 4 + 64);
  pool.i32(blocksOff, blockList.length).set(blockList);
  const doneOff = pool.alloc('sil:done', nBlocks * 4 + 64);
  pool.i32(doneOff, nBlocks).fill(0);

  // per-thread sums and column scratch
  const actors = pool.threads + 1;
  const sumsStride = Math.ceil((n * k * 8) / 64) * 64;
  const sumsOff = pool.alloc('sil:sums', sumsStride * actors);
  pool.bytes().fill(0, sumsOff, sumsOff + sumsStride * actors);
  const colStride = (BLOCK + 8) * 8;
  const colOff = pool.alloc('sil:col', colStride * actors);

  const p = pool.params;
  p.fill(0);
  p[S.X] = xOff;
  p[S.DP] = dp;
  p[S.NORMS] = normsOff;
  p[S.SUMS] = sumsOff;
  p[S.SUMS_STRIDE] = sumsStride;
  p[S.K] = k;
  p[S.COL] = colOff;
  p[S.COL_STRIDE] = colStride;
  p[S.BLOCKS] = blocksOff;
  p[S.N_BLOCKS] = nBlocks;
  p[S.MASKS] = masksOff;
  p[S.TASK_DONE] = doneOff;

  // the final sums of staged rows [r0, r1): Σ over actors in actor order, then scaled, as below for every row
  const scale = Math.abs(X.scale) / pow2;
  const sumRows = (r0: number, r1: number, out: Float64Array, at: number): void => {
    const len = (r1 - r0) * k;
    for (let a = 0; a < actors; a++) {
      const part = pool.f64(sumsOff + a * sumsStride + r0 * k * 8, len);
      for (let t = 0; t < len; t++) out[at + t] += part[t];
    }
    if (scale !== 1) for (let t = 0; t < len; t++) out[at + t] *= scale;
  };

  // task t's weight for the progress fraction: its rows × the rows of the blocks it visits (t … nBlocks − 1)
  const weights = new Float64Array(nBlocks);
  let after = 0;
  for (let t = nBlocks - 1; t >= 0; t--) {
    const size = blockList[3 * t + 1] - blockList[3 * t];
    after += size;
    weights[t] = size * after;
  }
  // blocks 0 … reported − 1 have been reported complete
  let reported = 0;
  const onRowsDone = opts.onRowsDone;
  const reportDone = (): void => {
    if (onRowsDone === undefined) return;
    const flags = pool.i32(doneOff, nBlocks);
    while (reported < nBlocks && Atomics.load(flags, reported) === 1) {
      const r0 = blockList[3 * reported];
      const r1 = blockList[3 * reported + 1];
      const sums = new Float64Array((r1 - r0) * k);
      sumRows(r0, r1, sums, 0);
      const positions = new Int32Array(r1 - r0);
      for (let r = r0; r < r1; r++) positions[r - r0] = rowOrder === null ? r : rowOrder[r];
      reported++;
      onRowsDone(positions, sums);
    }
  };
  await pool.runAsync(intPath ? Program.SilI16 : Program.SilF32, nBlocks, {
    signal: opts.signal,
    onProgress:
      onRowsDone === undefined && opts.onProgress === undefined
        ? undefined
        : (f) => {
            reportDone();
            opts.onProgress?.(f);
          },
    weights,
  });

  const out = new Float64Array(n * k);
  sumRows(0, n, out, 0);
  if (rowOrder !== null) {
    // back to the rows' order
    const staged = out.slice();
    for (let r = 0; r < n; r++) out.set(staged.subarray(r * k, r * k + k), rowOrder[r] * k);
  }
  return out;
}

/** The blocks (triples, as {@link clusterBlocks} gives them) in the order Rng(seed).permutation(number of blocks). */
function shuffledBlocks(blocks: number[], seed: number): Int32Array {
  const nBlocks = blocks.length / 3;
  const order = new Rng(seed).permutation(nBlocks);
  const out = new Int32Array(blocks.length);
  for (let t = 0; t < nBlocks; t++) out.set(blocks.slice(3 * order[t], 3 * order[t] + 3), 3 * t);
  return out;
}

/** Blocks (start, end, cluster) of at most BLOCK rows cut inside each cluster, rows shifted by `offset`. */
export function clusterBlocks(starts: Int32Array, offset: number): number[] {
  const out: number[] = [];
  for (let c = 0; c + 1 < starts.length; c++) {
    for (let s = starts[c]; s < starts[c + 1]; s += BLOCK) out.push(offset + s, offset + Math.min(starts[c + 1], s + BLOCK), c);
  }
  return out;
}

/** Throws unless `order` holds each of 0 … n − 1 once. */
function checkPermutation(order: ArrayLike<number>, n: number): void {
  if (order.length !== n) throw new RangeError(`a row order of ${order.length} rows for ${n} rows`);
  const seen = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    const i = order[r];
    if (!Number.isInteger(i) || i < 0 || i >= n || seen[i] !== 0) throw new RangeError(`the row order is not a permutation of the ${n} rows (at ${r}: ${i})`);
    seen[i] = 1;
  }
}

/** Moves the rows of d bytes at `off` in place so that row r becomes the former row order[r] (one row buffered). */
function permuteRows(bytes: Uint8Array, off: number, d: number, order: Int32Array): void {
  const n = order.length;
  const done = new Uint8Array(n);
  const tmp = new Uint8Array(d);
  for (let s = 0; s < n; s++) {
    if (done[s] !== 0 || order[s] === s) continue;
    // the cycle s ← order[s] ← order[order[s]] … ← s
    tmp.set(bytes.subarray(off + s * d, off + s * d + d));
    let r = s;
    for (;;) {
      done[r] = 1;
      const from = order[r];
      if (from === s) {
        bytes.set(tmp, off + r * d);
        break;
      }
      bytes.copyWithin(off + r * d, off + from * d, off + from * d + d);
      r = from;
    }
  }
}
