/**
 * LloydKernel on WASM SIMD and every core (see assembly/lloyd.ts for the arithmetic).
 *
 * - assign: fused E-step + M-step accumulation over 256-row tasks; centers screened in float32 (2 rows × 4
 *   centers a tile), near ties settled in float64, so labels and distances are those of the float64 formula;
 *   uint8 sums accumulate exactly in int32 per thread.
 * - distances: exact; for uint8 data and integer centers (k-means++ candidates are data rows) in int32.
 * - rowNorms, labelledInertia: float64, threaded.
 * The data matrix is copied into the pool's shared memory once and reused while the same array is passed
 * (one large and one small matrix are kept at a time; mini-batches are not copied at all, see AssignArgs.rows). float64 data uses the pure-TS kernel.
 */
import { sharedKernelPool, type KernelPool } from './pool';
import { L, PARTIAL_SLOTS, Program } from './programs';
import { tsKernel } from './ts-kernel';
import type { AssignArgs, DistanceArgs, LloydKernel, RowData } from './types';
import { SCREEN_NORM_FLOOR, uint8MasksApply, wasmLloydAccepts } from './preconditions';

/**
 * Up to this many clusters (and MAX_ELKAN_BYTES of bounds) the bounded assignment keeps Elkan's k lower bounds a
 * row, above Hamerly's one. On the 70k MNIST digits Elkan's bounds took k = 100 from about 19 s to 12 s and
 * k = 200 from about 120 s to 24 s (CLI fits, seed 0, same 129 / 120 iterations and inertia).
 */
const MAX_ELKAN_K = 256;
/** Elkan's n × k float64 lower bounds at most this large (70,000 × 256 rows: 143 MB). */
const MAX_ELKAN_BYTES = 256 * 2 ** 20;
/** Rows per task. */
const CHUNK = 256;
/** Rows per task of assignments of row lists. */
const ROWS_CHUNK = 128;
/** Rows per task of Elkan's bounded iterations. */
const ELKAN_CHUNK = 2048;
/** Below this many multiply-adds (about 2 ms on one core) a call runs on the calling thread alone: waking a thread can cost as much. */
const MIN_THREADED_WORK = 32_000_000;
/**
 * The same for the sparse forms on uint8 rows (chunk masks), which do about a third of the dense forms' work:
 * a mini-batch step of 1024 MNIST rows (0.4 ms on one core) is worth a second thread (a wake-up costs tens of µs).
 */
const MIN_THREADED_WORK_SPARSE = 4_000_000;
/** Matrices of at least this many bytes are cached by identity instead of copied on every call. */
const CACHE_BYTES = 4 << 20;

interface Staged {
  x: number;
  kind: 0 | 1;
  dp: number;
  /** Chunk masks of uint8 rows (rowMasksU8), 0 when not computed. */
  masks: number;
  /** ‖x‖₁ of every row (float64; large uint8 matrices with masks), 0 when not computed. */
  l1: number;
}

export interface WasmKernelOptions {
  /** Threads to use at most (default: all of the pool's). */
  threads?: number;
  /** Elkan's (k ≤ 256) or Hamerly's bounds across assign calls on the same uint8 data (default true). */
  bounds?: boolean;
  /** Matrices of at least this many bytes are kept in shared memory between calls (default 4 MiB). */
  cacheBytes?: number;
  /**
   * uint8 rows (d a multiple of 4, at most 1024) get chunk masks, and assignments and k-means++ distances skip
   * their zero chunks (default true; false keeps the dense forms, same results).
   */
  sparse?: boolean;
}

/** Rows re-screened by the last bounded assignment (for benchmarks and tests). */
let lastScreened = 0;
export function lastScreenedRows(): number {
  return lastScreened;
}

export function createWasmKernel(poolOrGetter: KernelPool | (() => KernelPool) = sharedKernelPool, options: WasmKernelOptions = {}): LloydKernel {
  let poolCache: KernelPool | null = null;
  const pool = (): KernelPool => (poolCache ??= typeof poolOrGetter === 'function' ? poolOrGetter() : poolOrGetter);
  let cachedData: RowData | null = null;
  let cachedStage: Staged | null = null;
  let cachedSmall: RowData | null = null;
  /** Scratch for one call's cluster sums. */
  let callSums = new Float64Array(0);
  let smallStage: Staged | null = null;

  /** The shortcuts' preconditions (preconditions.ts); otherwise the TS reference kernel. */
  const usable = (data: RowData, n: number, d: number): boolean => wasmLloydAccepts(data, n, d);

  function stage(data: RowData, d: number): Staged {
    const p = pool();
    const kind: 0 | 1 = data instanceof Uint8Array ? 0 : 1;
    const dp = Math.ceil(d / 4) * 4;
    const big = data.byteLength >= (options.cacheBytes ?? CACHE_BYTES);
    if (big && data === cachedData && cachedStage !== null) return cachedStage;
    // a small matrix (a k-means++ subsample, say) is also kept while the same array comes back
    if (!big && data === cachedSmall && smallStage !== null && smallStage.dp === dp) return smallStage;
    const x = p.alloc(big ? 'lloyd:x' : 'lloyd:x-small', data.byteLength + 64);
    p.bytes().set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), x);
    const s: Staged = { x, kind, dp, masks: 0, l1: 0 };
    if (!big) {
      cachedSmall = data;
      smallStage = s;
    }
    if (kind === 0 && uint8MasksApply(d) && options.sparse !== false) {
      const n = data.length / d;
      s.masks = p.alloc(big ? 'lloyd:masks' : 'lloyd:masks-small', n * 32 + 64);
      p.kernels.rowMasksU8(x, d, 0, n, s.masks);
    }
    if (big) {
      if (s.masks !== 0) {
        const n = data.length / d;
        s.l1 = p.alloc('lloyd:l1', n * 8 + 64);
        p.kernels.rowSumsU8(x, d, 0, n, s.l1);
      }
      cachedData = data;
      cachedStage = s;
      bound = null;
    }
    return s;
  }

  function threadsFor(work: number, min = MIN_THREADED_WORK): number {
    const max = Math.min(options.threads ?? pool().threads, pool().threads);
    return work < min ? 1 : max;
  }

  /** Copies rowNorms[start, end) to the shared memory at the same absolute indices. */
  function stageNorms(rowNorms: Float64Array, n: number, start: number, end: number): number {
    const p = pool();
    const off = p.alloc('lloyd:xn', n * 8 + 64);
    p.f64(off, n).set(rowNorms.subarray(start, end), start);
    return off;
  }

  /** Every row norm (n of them) in shared memory; not copied again while the same array comes back. */
  let stagedNorms: { norms: Float64Array; off: number } | null = null;
  function stageAllNorms(rowNorms: Float64Array, n: number): number {
    const p = pool();
    const off = p.alloc('lloyd:xn-all', n * 8 + 64);
    if (stagedNorms !== null && stagedNorms.norms === rowNorms && stagedNorms.off === off) return off;
    p.f64(off, n).set(rowNorms.subarray(0, n));
    stagedNorms = { norms: rowNorms, off };
    return off;
  }

  function stageCenters(centers: Float64Array, centerNorms: Float64Array, k: number, d: number): [number, number] {
    const p = pool();
    const c64 = p.alloc('lloyd:c64', k * d * 8 + 64);
    p.f64(c64, k * d).set(centers.subarray(0, k * d));
    const cn64 = p.alloc('lloyd:cn64', k * 8 + 64);
    p.f64(cn64, k).set(centerNorms.subarray(0, k));
    return [c64, cn64];
  }

  function setCommon(s: Staged, d: number, start: number, end: number): Float64Array {
    const params = pool().params;
    params.fill(0);
    params[L.X] = s.x;
    params[L.KIND] = s.kind;
    params[L.D] = d;
    params[L.DP] = s.dp;
    params[L.START] = start;
    params[L.END] = end;
    params[L.CHUNK] = CHUNK;
    return params;
  }

  function scratch(bytesPerActor: number): [number, number] {
    const p = pool();
    const stride = Math.ceil((bytesPerActor + 64) / 64) * 64;
    return [p.alloc('lloyd:scratch', stride * (p.threads + 1)), stride];
  }

  /** Zeroed per-thread cluster sums (k × dp values of `bytes` each) and int32 counts (k), for every actor. */
  function perActorSums(k: number, dp: number, bytes: 4 | 8) {
    const p = pool();
    const actors = p.threads + 1;
    const sumsStride = Math.ceil((k * dp * bytes) / 64) * 64;
    const countsStride = Math.ceil((k * 4) / 64) * 64;
    const sumsOff = p.alloc('lloyd:sums', sumsStride * actors);
    const countsOff = p.alloc('lloyd:counts', countsStride * actors);
    p.kernels.zeroBytes(sumsOff, sumsStride * actors);
    p.kernels.zeroBytes(countsOff, countsStride * actors);
    return { sumsOff, sumsStride, countsOff, countsStride };
  }

  function nTasks(start: number, end: number, chunk = CHUNK): number {
    return Math.ceil((end - start) / chunk);
  }

  function sumPartials(partial: Float64Array): number {
    let t = 0;
    for (let a = 0; a < partial.length; a += PARTIAL_SLOTS) t += partial[a];
    return t;
  }

  /** Where the centers of the last stageScreening are, and their largest squared norm. */
  const screening = { cf: 0, cn: 0, kp: 0, c64: 0, cn64: 0, cnMax: 0 };

  /** Centers as float32 (kp × dp, for screening; padding centers have ‖c‖² = +∞) and float64 (k × d). */
  function stageScreening(s: Staged, centers: Float64Array, centerNorms: Float64Array, k: number, d: number): void {
    const p = pool();
    const { dp } = s;
    const kp = Math.ceil(k / 4) * 4;
    const cf = p.alloc('lloyd:cf', kp * dp * 4 + 64);
    const cf32 = p.f32(cf, kp * dp);
    p.kernels.zeroBytes(cf, kp * dp * 4);
    for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) cf32[c * dp + j] = centers[c * d + j];
    const cn = p.alloc('lloyd:cn', kp * 4 + 64);
    const cn32 = p.f32(cn, kp);
    let cnMax = 0;
    for (let c = 0; c < kp; c++) {
      cn32[c] = c < k ? centerNorms[c] : Infinity;
      if (c < k && centerNorms[c] > cnMax) cnMax = centerNorms[c];
    }
    const [c64, cn64] = stageCenters(centers, centerNorms, k, d);
    Object.assign(screening, { cf, cn, kp, c64, cn64, cnMax });
  }

  function setScreening(params: Float64Array, d: number, k: number): void {
    params[L.CF] = screening.cf;
    params[L.CN] = screening.cn;
    params[L.KP] = screening.kp;
    params[L.C64] = screening.c64;
    params[L.CN64] = screening.cn64;
    params[L.K] = k;
    // twice a rigorous bound on the float32 screening error, relative to ‖x‖² + max ‖c‖²
    params[L.MARGIN] = (d / 4 + 5) * 2 ** -22;
    // (with an absolute floor for float32 underflow, see SCREEN_NORM_FLOOR)
    params[L.CN_MAX] = screening.cnMax + SCREEN_NORM_FLOOR;
  }

  /**
   * Centers rounded to multiples of 1/128 as int16 (kp × dp16, zero padded) for Elkan's distance estimates, with
   * twice each center's largest rounding error: |x·c − x·q/128| ≤ ‖x‖₁·max|c − q/128|. Only for centers within
   * 0 … 255 (int16 range); otherwise the estimates are off (QC = 0) and distances are computed in float64.
   */
  function stageQuantized(params: Float64Array, s: Staged, centers: Float64Array, k: number, d: number): void {
    const p = pool();
    const dp16 = Math.ceil(d / 8) * 8;
    const kp = Math.ceil(k / 4) * 4;
    for (let t = 0; t < k * d; t++) if (!(centers[t] >= 0 && centers[t] <= 255)) return;
    const qc = p.alloc('hb:qc', kp * dp16 * 2 + 64);
    const qe = p.alloc('hb:qe', k * 8 + 64);
    const q16 = new Int16Array(p.memory.buffer, qc, kp * dp16);
    const e = p.f64(qe, k);
    p.kernels.zeroBytes(qc, kp * dp16 * 2);
    for (let c = 0; c < k; c++) {
      let worst = 0;
      for (let j = 0; j < d; j++) {
        const v = centers[c * d + j];
        const q = Math.round(v * 128);
        q16[c * dp16 + j] = q;
        const err = Math.abs(v - q / 128);
        if (err > worst) worst = err;
      }
      e[c] = 2 * worst;
    }
    params[L.QC] = qc;
    params[L.DP16] = dp16;
    params[L.QE] = qe;
    params[L.L1] = s.l1;
  }

  /**
   * Elkan's (or, for k > 256, Hamerly's) algorithm across calls: while the same (uint8, cached) data and k come back, the kernel keeps
   * each row's label and bounds, the per-cluster integer sums, and the previous centers; rows whose bounds
   * prove their center is still the nearest are skipped. The result is the same assignment as a full pass.
   */
  let bound: {
    k: number; d: number; n: number; prev: Float64Array; sums: Float64Array; counts: Float64Array;
    /** Σ‖x‖² of the rows, and of which norms array. */
    normSum: number; normSumOf: Float64Array | null;
  } | null = null;

  function assignBounded(a: AssignArgs, s: Staged): number {
    const { d, rowNorms, centers, centerNorms, k, end: n, labels, sums, counts } = a;
    const p = pool();
    const { dp } = s;
    const elkan = k <= MAX_ELKAN_K && n * k * 8 <= MAX_ELKAN_BYTES;
    const first = a.bounds === 'fresh' || bound === null || bound.k !== k || bound.d !== d || bound.n !== n;
    const labOff = p.alloc('hb:labels', n * 4 + 64);
    const upOff = p.alloc('hb:upper', n * 8 + 64);
    const loOff = p.alloc('hb:lower', n * (elkan ? k : 1) * 8 + 64);
    const ccOff = p.alloc('hb:cc', k * k * 8 + 64);
    const cc = p.f64(ccOff, k * k);
    const shiftOff = p.alloc('hb:shift', k * 8 + 64);
    const halfOff = p.alloc('hb:half', k * 8 + 64);
    const shift = p.f64(shiftOff, k);
    const half = p.f64(halfOff, k);
    let max1 = 0;
    let max2 = 0;
    let argMax = -1;
    // relative error bound of a float64 Euclidean distance over d features (a sum of d squares, then √)
    const relErr = Math.max(1e-12, (d + 8) * 2 ** -52);
    if (first) {
      bound = { k, d, n, prev: new Float64Array(k * d), sums: new Float64Array(k * d), counts: new Float64Array(k), normSum: 0, normSumOf: null };
      shift.fill(0);
    } else {
      const prev = (bound as NonNullable<typeof bound>).prev;
      for (let c = 0; c < k; c++) {
        let t = 0;
        for (let j = 0; j < d; j++) {
          const v = centers[c * d + j] - prev[c * d + j];
          t += v * v;
        }
        const sh = Math.sqrt(t) * (1 + relErr);
        shift[c] = sh;
        if (sh > max1) {
          max2 = max1;
          max1 = sh;
          argMax = c;
        } else if (sh > max2) max2 = sh;
      }
    }
    // half the distance from each center to its nearest other center (rounded down a little)
    half.fill(Infinity);
    for (let c = 0; c < k; c++) {
      for (let e = c + 1; e < k; e++) {
        let t = 0;
        for (let j = 0; j < d; j++) {
          const v = centers[c * d + j] - centers[e * d + j];
          t += v * v;
        }
        const h = 0.5 * Math.sqrt(t) * (1 - relErr);
        cc[c * k + e] = h;
        cc[e * k + c] = h;
        if (h < half[c]) half[c] = h;
        if (h < half[e]) half[e] = h;
      }
    }
    const st = bound as NonNullable<typeof bound>;
    st.prev.set(centers.subarray(0, k * d));

    stageScreening(s, centers, centerNorms, k, d);
    const xn = stageAllNorms(rowNorms, n);
    const actors = p.threads + 1;
    const { sumsOff, sumsStride, countsOff, countsStride } = perActorSums(k, dp, 4);
    const [scr, scrStride] = scratch(2 * dp * 4 + (k + 8) * 8 + 64);

    const params = setCommon(s, d, 0, n);
    setScreening(params, d, k);
    params[L.XN] = xn;
    params[L.LABELS] = labOff;
    params[L.UPPER] = upOff;
    params[L.LOWER] = loOff;
    params[L.SHIFT] = shiftOff;
    params[L.SHIFT_MAX1] = max1;
    params[L.SHIFT_MAX2] = max2;
    params[L.ARG_MAX] = argMax;
    params[L.HALF] = halfOff;
    params[L.FIRST] = first ? 1 : 0;
    params[L.CC] = ccOff;
    params[L.MASKS] = s.masks;
    if (elkan && !first && s.l1 !== 0) stageQuantized(params, s, centers, k, d);
    params[L.SUMS] = sumsOff;
    params[L.SUMS_STRIDE] = sumsStride;
    params[L.COUNTS] = countsOff;
    params[L.COUNTS_STRIDE] = countsStride;
    params[L.SCRATCH] = scr;
    params[L.SCRATCH_STRIDE] = scrStride;
    // Elkan's first pass: the tiled full assignment, writing the bounds too
    const program = elkan ? (first ? Program.Assign : Program.AssignElkan) : Program.AssignBounded;
    // Elkan's iterations skip most rows: larger tasks, so the per-task cost (a call with 29 arguments, two atomics)
    // does not dominate
    const chunk = program === Program.AssignElkan ? ELKAN_CHUNK : CHUNK;
    params[L.CHUNK] = chunk;
    const partial = p.runSync(program, nTasks(0, n, chunk), threadsFor(n * k * d));
    lastScreened = program === Program.Assign ? n : sumPartials(partial);

    // per-thread deltas into the kept integer sums
    for (let a2 = 0; a2 < actors; a2++) {
      const cnt = p.i32(countsOff + a2 * countsStride, k);
      const part = p.i32(sumsOff + a2 * sumsStride, k * dp);
      for (let c = 0; c < k; c++) {
        st.counts[c] += cnt[c];
        const so = c * d;
        const po = c * dp;
        for (let j = 0; j < d; j++) st.sums[so + j] += part[po + j];
      }
    }
    labels.set(p.i32(labOff, n));
    if (sums !== undefined && counts !== undefined) {
      for (let t = 0; t < k * d; t++) sums[t] += st.sums[t];
      for (let c = 0; c < k; c++) counts[c] += st.counts[c];
    }
    // Σ‖x − c‖² = Σ‖x‖² + Σ_c (n_c ‖c‖² − 2 c·S_c), exact sums S_c
    let total = 0;
    if (st.normSumOf !== rowNorms) {
      st.normSum = 0;
      for (let i = 0; i < n; i++) st.normSum += rowNorms[i];
      st.normSumOf = rowNorms;
    }
    total += st.normSum;
    for (let c = 0; c < k; c++) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += centers[c * d + j] * st.sums[c * d + j];
      total += st.counts[c] * centerNorms[c] - 2 * dot;
    }
    return total > 0 ? total : 0;
  }

  const kernel: LloydKernel & { stageData(data: RowData, d: number): number } = {
    name: 'wasm-simd',

    /** Copies (or finds) the data in the shared memory; returns its offset. */
    stageData(data: RowData, d: number): number {
      return stage(data, d).x;
    },

    rowNorms(data, d, start, end, out) {
      if (!usable(data, end, d) || end <= start) return tsKernel.rowNorms(data, d, start, end, out);
      const p = pool();
      const s = stage(data, d);
      const n = end;
      const o = p.alloc('lloyd:norms-out', n * 8 + 64);
      const params = setCommon(s, d, start, end);
      params[L.OUT] = o;
      p.runSync(Program.RowNorms, nTasks(start, end), threadsFor((end - start) * d));
      out.set(p.f64(o + start * 8, end - start), start);
    },

    assign(a: AssignArgs): number {
      const { data, d, rowNorms, centers, centerNorms, k, start, end, labels, dist, sums, counts, rows } = a;
      // n: length of the position range's arrays (labels, dist); the data has data.length / d rows
      const n = rows !== undefined ? end : Math.max(end, rowNorms.length);
      if (!usable(data, Math.max(n, data.length / d), d) || end <= start) return tsKernel.assign(a);
      const p = pool();
      const s = stage(data, d);
      if (a.bounds !== undefined && rows === undefined && options.bounds !== false && s.kind === 0 && dist === undefined && start === 0 && end === n && data === cachedData) {
        return assignBounded(a, s);
      }
      const { dp } = s;
      stageScreening(s, centers, centerNorms, k, d);
      let xn: number;
      let rowsOff = 0;
      if (rows !== undefined) {
        const nData = data.length / d;
        xn = stageAllNorms(rowNorms, nData);
        rowsOff = p.alloc('lloyd:rows', n * 4 + 64);
        p.i32(rowsOff, n).set(rows.subarray(start, end), start);
      } else {
        xn = stageNorms(rowNorms, n, start, end);
      }
      const lab = p.alloc('lloyd:labels', n * 4 + 64);
      const dOut = dist !== undefined ? p.alloc('lloyd:dist', n * 8 + 64) : 0;
      const actors = p.threads + 1;
      const accumulate = sums !== undefined && counts !== undefined;
      // the per-row exact distances are only needed for dist; Σ dist comes from the exact sums when they are kept
      const sumsTotal = accumulate && s.kind === 0 && dist === undefined;
      const noTotal = dist === undefined && (a.total === false || sumsTotal);
      const { sumsOff, sumsStride, countsOff, countsStride } = accumulate
        ? perActorSums(k, dp, s.kind === 0 ? 4 : 8)
        : { sumsOff: 0, sumsStride: 0, countsOff: 0, countsStride: 0 };
      const [scr, scrStride] = scratch(2 * dp * 4 + (Math.ceil(k / 4) * 4 + 4) * 8);

      const params = setCommon(s, d, start, end);
      setScreening(params, d, k);
      params[L.XN] = xn;
      params[L.LABELS] = lab;
      params[L.DIST] = dOut;
      params[L.SUMS] = sumsOff;
      params[L.SUMS_STRIDE] = sumsStride;
      params[L.COUNTS] = countsOff;
      params[L.COUNTS_STRIDE] = countsStride;
      params[L.SCRATCH] = scr;
      params[L.SCRATCH_STRIDE] = scrStride;
      params[L.ROWS] = rowsOff;
      params[L.MASKS] = s.masks;
      params[L.NO_TOTAL] = noTotal ? 1 : 0;
      // row lists (mini-batch steps, 1024 rows) in smaller tasks, so two threads end together
      const chunk = rows !== undefined ? ROWS_CHUNK : CHUNK;
      params[L.CHUNK] = chunk;
      const partial = p.runSync(Program.Assign, nTasks(start, end, chunk),
        threadsFor((end - start) * k * d, s.masks !== 0 ? MIN_THREADED_WORK_SPARSE : MIN_THREADED_WORK));
      let total = noTotal ? NaN : sumPartials(partial);
      // with sums: Σ‖x − c‖² = Σ‖x‖² + Σ_c (n_c ‖c‖² − 2 c·S_c) over this call's rows, from its exact integer sums
      let callTotal = 0;
      if (sumsTotal) {
        for (let i = start; i < end; i++) callTotal += rowNorms[rows === undefined ? i : rows[i]];
      }

      labels.set(p.i32(lab + start * 4, end - start), start);
      if (dist !== undefined) dist.set(p.f64(dOut + start * 8, end - start), start);
      if (accumulate) {
        // this call's sums and counts (exact), then into the caller's
        const cs = callSums.length >= k * d ? callSums.fill(0, 0, k * d) : (callSums = new Float64Array(k * d));
        const cc = new Float64Array(k);
        for (let a2 = 0; a2 < actors; a2++) {
          const cnt = p.i32(countsOff + a2 * countsStride, k);
          let any = false;
          for (let c = 0; c < k; c++) if (cnt[c] !== 0) any = true;
          if (!any) continue;
          for (let c = 0; c < k; c++) cc[c] += cnt[c];
          const part = s.kind === 0 ? p.i32(sumsOff + a2 * sumsStride, k * dp) : p.f64(sumsOff + a2 * sumsStride, k * dp);
          for (let c = 0; c < k; c++) {
            if (cnt[c] === 0) continue;
            const so = c * d;
            const po = c * dp;
            for (let j = 0; j < d; j++) cs[so + j] += part[po + j];
          }
        }
        for (let c = 0; c < k; c++) {
          if (cc[c] === 0) continue;
          counts[c] += cc[c];
          let dot = 0;
          const so = c * d;
          for (let j = 0; j < d; j++) {
            sums[so + j] += cs[so + j];
            dot += centers[so + j] * cs[so + j];
          }
          callTotal += cc[c] * centerNorms[c] - 2 * dot;
        }
        if (sumsTotal) total = callTotal > 0 ? callTotal : 0;
      }
      return total;
    },

    distances(a: DistanceArgs): void {
      const { data, d, rowNorms, centers, centerNorms, k, start, end, out, rows } = a;
      const n = rows !== undefined ? end : Math.max(end, rowNorms.length);
      if (!usable(data, Math.max(n, data.length / d), d) || end <= start) return tsKernel.distances(a);
      const p = pool();
      const s = stage(data, d);
      const [c64, cn64] = stageCenters(centers, centerNorms, k, d);
      let xn: number;
      let rowsOff = 0;
      if (rows !== undefined) {
        xn = stageAllNorms(rowNorms, data.length / d);
        rowsOff = p.alloc('lloyd:rows', n * 4 + 64);
        p.i32(rowsOff, n).set(rows.subarray(start, end), start);
      } else {
        xn = stageNorms(rowNorms, n, start, end);
      }
      const o = p.alloc('lloyd:dist-out', (end - start) * k * 8 + 64);
      // integer centers on uint8 data: exact int32 dot products
      let ci16 = 0;
      const dp16 = Math.ceil(d / 8) * 8;
      const kp = Math.ceil(k / 4) * 4;
      if (s.kind === 0 && centers.subarray(0, k * d).every((v) => Number.isInteger(v) && v >= 0 && v <= 255)) {
        // kp rows: the sparse form reads four centers at a time (padding rows are zero)
        ci16 = p.alloc('lloyd:ci16', kp * dp16 * 2 + 64);
        const c16 = new Int16Array(p.memory.buffer, ci16, kp * dp16);
        p.kernels.zeroBytes(ci16, kp * dp16 * 2);
        for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) c16[c * dp16 + j] = centers[c * d + j];
      }
      const [scr, scrStride] = scratch(Math.max(dp16 * 2, s.dp * 4) + 16);
      const params = setCommon(s, d, start, end);
      params[L.C64] = c64;
      params[L.CN64] = cn64;
      params[L.K] = k;
      params[L.XN] = xn;
      params[L.OUT] = o;
      params[L.CI16] = ci16;
      params[L.DP16] = dp16;
      params[L.MASKS] = ci16 !== 0 ? s.masks : 0;
      params[L.ROWS] = rowsOff;
      params[L.SCRATCH] = scr;
      params[L.SCRATCH_STRIDE] = scrStride;
      p.runSync(Program.Distances, nTasks(start, end),
        threadsFor((end - start) * k * d, params[L.MASKS] !== 0 ? MIN_THREADED_WORK_SPARSE : MIN_THREADED_WORK));
      out.set(p.f64(o, (end - start) * k));
    },

    labelledInertia(data, d, centers, labels, start, end) {
      if (!usable(data, end, d) || end <= start) return tsKernel.labelledInertia(data, d, centers, labels, start, end);
      const p = pool();
      const s = stage(data, d);
      const k = centers.length / d;
      const [c64] = stageCenters(centers, new Float64Array(k), k, d);
      const lab = p.alloc('lloyd:labels', end * 4 + 64);
      p.i32(lab, end).set(labels.subarray(start, end), start);
      const [scr, scrStride] = scratch(s.dp * 4 + 16);
      const params = setCommon(s, d, start, end);
      params[L.C64] = c64;
      params[L.LABELS] = lab;
      params[L.SCRATCH] = scr;
      params[L.SCRATCH_STRIDE] = scrStride;
      return sumPartials(p.runSync(Program.Inertia, nTasks(start, end), threadsFor((end - start) * d)));
    },
  };
  return kernel;
}

/**
 * numpy's np.var(X, axis=0).mean() for uint8 data (raw units), from exact integer per-feature sums:
 * var_j = (n·Σx² − (Σx)²) / n², exact up to the final division (needs n²·255² < 2⁵³, n < 3.5 · 10⁵).
 * Returns null when it does not apply (other dtypes, larger n).
 */
export function meanFeatureVarianceU8(data: RowData, n: number, d: number): number | null {
  if (!(data instanceof Uint8Array) || n * n * 65025 >= 2 ** 53 || n * d < 1_000_000) return null;
  const kernel = wasmKernel() as LloydKernel & { stageData?: (data: RowData, d: number) => number };
  const x = kernel.stageData?.(data, d);
  if (x === undefined) return null;
  const pool = sharedKernelPool();
  const actors = pool.threads + 1;
  const stride = Math.ceil((2 * d * 8) / 64) * 64;
  const out = pool.alloc('var:out', stride * actors);
  pool.bytes().fill(0, out, out + stride * actors);
  const scrStride = Math.ceil((Math.ceil(d / 16) * 16 * 8 + 64) / 64) * 64;
  const scr = pool.alloc('var:scratch', scrStride * actors);
  const params = pool.params;
  params.fill(0);
  params[L.X] = x;
  params[L.D] = d;
  params[L.START] = 0;
  params[L.END] = n;
  params[L.CHUNK] = 2048;
  params[L.OUT] = out;
  params[L.SUMS_STRIDE] = stride;
  params[L.SCRATCH] = scr;
  params[L.SCRATCH_STRIDE] = scrStride;
  pool.runSync(Program.FeatureSums, Math.ceil(n / 2048));
  const s = new Float64Array(2 * d);
  for (let a = 0; a < actors; a++) {
    const part = pool.f64(out + a * stride, 2 * d);
    for (let j = 0; j < 2 * d; j++) s[j] += part[j];
  }
  let total = 0;
  for (let j = 0; j < d; j++) total += (n * s[d + j] - s[j] * s[j]) / (n * n);
  return total / d;
}

let shared: LloydKernel | null = null;

/** The process-wide WASM kernel on the shared pool (threads start on first use). */
export function wasmKernel(): LloydKernel {
  shared ??= createWasmKernel();
  return shared;
}
