/**
 * {@link SubsetDistanceSums} on WASM SIMD and the kernel threads (programs SilSubI16 / SilSubF32): the rows are
 * staged once as for the exact silhouette (silhouette-kernel.ts: int16 rows, norms and chunk masks for uint8,
 * float32 × a power of two for float32), behind QUERY_SLOTS empty rows. A query copies its rows into those
 * slots and each task scores a block of slots against every block of rows with silI16 / silF32 in their
 * row-sums-only form, so the sums are the exact silhouette's to float64 rounding. Same preconditions as
 * there; other data (float64, uint8 rows too long for int32) takes the TypeScript reference.
 */
import { sharedKernelPool, type KernelPool } from './pool';
import { float32SilhouetteScale, uint8SilhouetteFits } from './preconditions';
import { Program, S } from './programs';
import { clusterBlocks, LAYOUT_MIN_ROWS, stageSilhouetteRows } from './silhouette-kernel';
import { subsetDistanceSumsTs, type SubsetDistanceSums, type SubsetDistanceSumsFactory } from './silhouette-subset-ts';
import type { GroupedRows, ProgressOptions } from './types';

/** Query rows a kernel job scores at most (more are done in several jobs). */
export const QUERY_SLOTS = 512;

/** Rows per task: small, so that a few hundred query rows still keep every thread busy. */
const QUERY_BLOCK = 16;

export interface SubsetKernelOptions {
  /** Smallest row count (slots included) for which the integer path reorders features and rows; default LAYOUT_MIN_ROWS. */
  layoutMinRows?: number;
  /**
   * Name prefix of the shared-memory regions it stages into; default 'silsub'. 'sil' (the exact silhouette's) lets a
   * following exact pass reuse the memory instead of growing it: only for a session that is done before that pass.
   */
  regionPrefix?: string;
}

export function subsetDistanceSumsWasm(
  poolOrGetter: KernelPool | (() => KernelPool) = sharedKernelPool,
  options: SubsetKernelOptions = {},
): SubsetDistanceSumsFactory {
  const layoutMinRows = options.layoutMinRows ?? LAYOUT_MIN_ROWS;
  const prefix = options.regionPrefix ?? 'silsub';
  return (rows: GroupedRows, order?: ArrayLike<number>): SubsetDistanceSums => {
    const { X } = rows;
    const intPath = X.data instanceof Uint8Array && uint8SilhouetteFits(X.d);
    const floatPath = X.data instanceof Float32Array && float32SilhouetteScale(X.data) !== null;
    if (!intPath && !floatPath) return subsetDistanceSumsTs(rows, order);
    const pool = typeof poolOrGetter === 'function' ? poolOrGetter() : poolOrGetter;
    return new WasmSubset(pool, rows, order ?? null, intPath, layoutMinRows, prefix);
  };
}

class WasmSubset implements SubsetDistanceSums {
  private staged: ReturnType<typeof stageSilhouetteRows> | null = null;
  /** Staged row of grouped row p: inverse of the layout's row order, shifted by the slots. */
  private stagedRowOf: Int32Array | null = null;
  private blocks: number[] = [];

  constructor(
    private readonly pool: KernelPool,
    private readonly rows: GroupedRows,
    /** Grouped row p is rows.X's row order[p] (null: rows.X is grouped). */
    private readonly order: ArrayLike<number> | null,
    private readonly intPath: boolean,
    private readonly layoutMinRows: number,
    private readonly prefix: string,
  ) {}

  private async stage(): Promise<void> {
    await this.pool.ready();
    const { X, starts } = this.rows;
    const n = this.order === null ? X.n : this.order.length;
    const k = starts.length - 1;
    // QUERY_SLOTS empty rows (their own "cluster" for the layout step), then the grouped rows, gathered in place
    const withSlots = new Int32Array(k + 2);
    for (let c = 0; c <= k; c++) withSlots[c + 1] = QUERY_SLOTS + starts[c];
    const staged = stageSilhouetteRows(
      this.pool,
      { X, order: this.order, slots: QUERY_SLOTS, starts: withSlots },
      this.intPath,
      this.layoutMinRows,
      this.prefix,
    );
    const stagedRowOf = new Int32Array(n);
    for (let p = 0; p < n; p++) stagedRowOf[p] = QUERY_SLOTS + p;
    if (staged.rowOrder !== null) {
      for (let r = QUERY_SLOTS; r < staged.rowOrder.length; r++) stagedRowOf[staged.rowOrder[r] - QUERY_SLOTS] = r;
    }
    this.staged = staged;
    this.stagedRowOf = stagedRowOf;
    this.blocks = clusterBlocks(starts, QUERY_SLOTS);
  }

  async sums(positions: Int32Array, opts: ProgressOptions = {}): Promise<Float64Array> {
    opts.signal?.throwIfAborted();
    const n = this.rows.starts[this.rows.starts.length - 1];
    for (let t = 0; t < positions.length; t++) {
      const p = positions[t];
      if (!Number.isInteger(p) || p < 0 || p >= n) throw new RangeError(`row ${p} is not one of the ${n} rows`);
    }
    if (this.staged === null) await this.stage();
    const k = this.rows.starts.length - 1;
    const out = new Float64Array(positions.length * k);
    for (let q0 = 0; q0 < positions.length; q0 += QUERY_SLOTS) {
      const q1 = Math.min(positions.length, q0 + QUERY_SLOTS);
      const part = await this.job(positions.subarray(q0, q1), {
        signal: opts.signal,
        onProgress: opts.onProgress && ((f) => opts.onProgress?.((q0 + f * (q1 - q0)) / positions.length)),
      });
      out.set(part, q0 * k);
    }
    opts.onProgress?.(1);
    return out;
  }

  /** At most QUERY_SLOTS rows: copied into the slots, scored against every block. */
  private async job(positions: Int32Array, opts: ProgressOptions): Promise<Float64Array> {
    const pool = this.pool;
    const st = this.staged!;
    const rowOf = this.stagedRowOf!;
    const k = this.rows.starts.length - 1;
    const q = positions.length;
    // the slots are re-filled on every job: the staged regions may have moved (grown memory keeps offsets)
    const rowBytes = st.dp * (this.intPath ? 2 : 4);
    const bytes = pool.bytes();
    for (let t = 0; t < q; t++) {
      const r = rowOf[positions[t]];
      bytes.copyWithin(st.xOff + t * rowBytes, st.xOff + r * rowBytes, st.xOff + (r + 1) * rowBytes);
      if (st.normsOff !== 0) bytes.copyWithin(st.normsOff + 4 * t, st.normsOff + 4 * r, st.normsOff + 4 * r + 4);
      if (st.masksOff !== 0) bytes.copyWithin(st.masksOff + 16 * t, st.masksOff + 16 * r, st.masksOff + 16 * r + 16);
    }
    const blockList = this.blocks;
    const blocksOff = pool.alloc(`${this.prefix}:blocks`, blockList.length * 4 + 64);
    pool.i32(blocksOff, blockList.length).set(blockList);
    const actors = pool.threads + 1;
    const sumsStride = Math.ceil((QUERY_SLOTS * k * 8) / 64) * 64;
    const sumsOff = pool.alloc(`${this.prefix}:sums`, sumsStride * actors);
    pool.bytes().fill(0, sumsOff, sumsOff + sumsStride * actors);

    const p = pool.params;
    p.fill(0);
    p[S.X] = st.xOff;
    p[S.DP] = st.dp;
    p[S.NORMS] = st.normsOff;
    p[S.SUMS] = sumsOff;
    p[S.SUMS_STRIDE] = sumsStride;
    p[S.K] = k;
    p[S.BLOCKS] = blocksOff;
    p[S.N_BLOCKS] = blockList.length / 3;
    p[S.MASKS] = st.masksOff;
    p[S.Q] = q;
    p[S.Q_BLOCK] = QUERY_BLOCK;
    await pool.runAsync(this.intPath ? Program.SilSubI16 : Program.SilSubF32, Math.ceil(q / QUERY_BLOCK), {
      signal: opts.signal,
      onProgress: opts.onProgress,
    });
    const out = new Float64Array(q * k);
    for (let a = 0; a < actors; a++) {
      const part = pool.f64(sumsOff + a * sumsStride, q * k);
      for (let t = 0; t < out.length; t++) out[t] += part[t];
    }
    const scale = Math.abs(this.rows.X.scale) / st.pow2;
    if (scale !== 1) for (let t = 0; t < out.length; t++) out[t] *= scale;
    return out;
  }
}
