/**
 * Staging for the WASM LloydKernel (wasm-kernel.ts): the data (unless its loader put it there), norms and
 * centers copied into the pool's shared memory, the parameter block, per-thread scratch and sums. One WasmStaging per kernel keeps what it staged.
 */
import { interleavedQBytes, isNative } from './native';
import type { KernelPool } from './pool';
import { L, PARTIAL_SLOTS, Program } from './programs';
import type { RowData } from './types';
import { SCREEN_NORM_FLOOR, uint8MasksApply } from './preconditions';

/** Rows per task. */
export const CHUNK = 256;
/** Rows per task of assignments of row lists. */
export const ROWS_CHUNK = 128;
/** Below this many multiply-adds (about 2 ms on one core) a call runs on the calling thread alone: waking a thread can cost as much. */
export const MIN_THREADED_WORK = 32_000_000;
/**
 * The same for the sparse forms on uint8 rows (chunk masks), which do about a third of the dense forms' work:
 * a mini-batch step of 1024 MNIST rows (0.4 ms on one core) is worth a second thread (a wake-up costs tens of µs).
 */
export const MIN_THREADED_WORK_SPARSE = 4_000_000;
/** Matrices of at least this many bytes are cached by identity instead of copied on every call. */
export const CACHE_BYTES = 4 << 20;

export interface Staged {
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
  /** Elkan's, Yinyang's or Hamerly's bounds across assign calls on the same uint8 data (default true). */
  bounds?: boolean;
  /** Elkan's bounds up to this k, Yinyang's or Hamerly's above (default MAX_ELKAN_K of wasm-bounded.ts; 0: never Elkan's). */
  elkanMaxK?: number;
  /** Yinyang's group bounds where Elkan's do not fit (k or memory), before Hamerly's (default true). */
  yinyang?: boolean;
  /** Yinyang's group bounds from this k on even where Elkan's fit (default Infinity; for tests and benchmarks). */
  yinyangMinK?: number;
  /** Centers per group of Yinyang's bounds (default YINYANG_GROUP_SIZE of wasm-bounded.ts). */
  yinyangGroupSize?: number;
  /** Matrices of at least this many bytes are kept in shared memory between calls (default 4 MiB). */
  cacheBytes?: number;
  /**
   * uint8 rows (d a multiple of 4, at most 1024) get chunk masks, and assignments and k-means++ distances skip
   * their zero chunks (default true; false keeps the dense forms, same results).
   */
  sparse?: boolean;
  /**
   * k-means++ on uint8 rows skips the (row, candidate) pairs a projection bound proves useless (wasm-kpp.ts,
   * kppBoundedSession; default true; false: every pair's distance, same results).
   */
  kppBounds?: boolean;
  /**
   * The bounds only for runs of at least this many steps (k − 1; default KPP_BOUNDS_MIN_STEPS of wasm-kpp.ts, or with
   * native trials KPP_BOUNDS_MIN_STEPS_NATIVE and KPP_BOUNDS_MIN_ROWS_NATIVE rows; given, it is the only rule).
   */
  kppBoundsMinSteps?: number;
  /**
   * Assignments without bounds on uint8 rows with chunk masks screen with int16 quantized centers where they fit
   * (assignSparseQ; default true; false: the float32 screening, same results).
   */
  quantized?: boolean;
  /** Projected values a row keeps for those bounds (a multiple of 16; default KPP_BOUND_DIMS of wasm-kpp.ts). */
  kppBoundDims?: number;
}

/** Elkan's or Hamerly's state kept across bounded assignments (wasm-bounded.ts); dropped when new data is staged. */
export interface BoundState {
  /** The kept integer sums (k × d) and counts (k): views of kept.sums and kept.counts. */
  k: number; d: number; n: number; sums: Float64Array; counts: Float64Array;
  /** Where the previous centers (k × d), the sums and the counts are in the shared memory. */
  kept: { prev: number; sums: number; counts: number };
  /** Elkan's: each center's shifts summed since the bounds were set up (the bounds are kept shifted by them), and over how many iterations. */
  cum: Float64Array; iterations: number;
  /** Σ‖x‖² of the rows, and of which norms array. */
  normSum: number; normSumOf: Float64Array | null;
  /**
   * Mean center shifts summed since the half distances between centers were computed exactly, and those
   * half distances' mean (wasm-bounded.ts keeps them as decreasing lower bounds in between).
   */
  ccAge: number; ccMean: number;
  /** Yinyang's groups of centers (set up on the first pass), null for Elkan's and Hamerly's. */
  groups: CenterGroups | null;
}

/** Centers in t groups (Yinyang's bounds): each center's group, the centers group by group, where each group starts. */
export interface CenterGroups {
  t: number; groupOf: Int32Array; members: Int32Array; start: Int32Array;
  /** Each group's largest center shift summed since the bounds were set up (the group bounds are kept shifted by it). */
  cum: Float64Array;
}

export class WasmStaging {
  private poolCache: KernelPool | null = null;
  cachedData: RowData | null = null;
  private cachedStage: Staged | null = null;
  private cachedSmall: RowData | null = null;
  private smallStage: Staged | null = null;
  /** Scratch for one call's cluster sums. */
  callSums = new Float64Array(0);
  /** Every row norm (n of them) in shared memory; not copied again while the same array comes back. */
  private stagedNorms: { norms: Float64Array; off: number } | null = null;
  /** Where the centers of the last stageScreening are, and their largest squared norm. */
  private readonly screening = { cf: 0, cn: 0, kp: 0, c64: 0, cn64: 0, cnMax: 0, k: 0, d: 0, dp: 0 };
  /**
   * Elkan's (or, for larger k, Hamerly's) algorithm across calls: while the same (uint8, cached) data and k come back, the kernel keeps
   * each row's label and bounds, the per-cluster integer sums, and the previous centers (wasm-bounded.ts).
   */
  bound: BoundState | null = null;

  constructor(
    private readonly poolOrGetter: KernelPool | (() => KernelPool),
    readonly options: WasmKernelOptions,
  ) {}

  pool(): KernelPool {
    return (this.poolCache ??= typeof this.poolOrGetter === 'function' ? this.poolOrGetter() : this.poolOrGetter);
  }

  /** Where the last stage() call also wrote every row's ‖x‖² (its normsOut, in the masks' pass), else 0. */
  normsWritten = 0;

  /**
   * The data in the shared memory, with chunk masks and ‖x‖₁ for uint8 rows (see Staged). normsOut: where the pass
   * that computes the masks may also write every row's ‖x‖² (rowNorms' values), saving the norms a pass of their own
   * over the data; normsWritten says whether it did.
   */
  stage(data: RowData, d: number, normsOut = 0): Staged {
    this.normsWritten = 0;
    const p = this.pool();
    const kind: 0 | 1 = data instanceof Uint8Array ? 0 : 1;
    const dp = Math.ceil(d / 4) * 4;
    const big = data.byteLength >= (this.options.cacheBytes ?? CACHE_BYTES);
    if (big && data === this.cachedData && this.cachedStage !== null) return this.cachedStage;
    // a small matrix (a k-means++ subsample, say) is also kept while the same array comes back
    if (!big && data === this.cachedSmall && this.smallStage !== null && this.smallStage.dp === dp) return this.smallStage;
    // a dataset its loader read into the shared memory (KernelPool.allocPinned) is used where it is
    let x = p.pinnedOffset(data);
    if (x === null) {
      x = p.alloc(big ? 'lloyd:x' : 'lloyd:x-small', data.byteLength + 64);
      p.bytes().set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), x);
    }
    const s: Staged = { x, kind, dp, masks: 0, l1: 0 };
    if (!big) {
      this.cachedSmall = data;
      this.smallStage = s;
    }
    if (kind === 0 && uint8MasksApply(d) && this.options.sparse !== false) {
      const n = data.length / d;
      s.masks = p.alloc(big ? 'lloyd:masks' : 'lloyd:masks-small', n * 32 + 64);
      if (big) s.l1 = p.alloc('lloyd:l1', n * 8 + 64);
      // one pass for both, on the threads for a large matrix (on the calling thread while an async job has them)
      const threads = p.isBusy ? 1 : this.threadsFor(n * d, MIN_THREADED_WORK_SPARSE);
      if (threads > 1) {
        const params = this.setCommon(s, d, 0, n);
        params[L.MASKS] = s.masks;
        params[L.L1] = s.l1;
        // each task's rows are still in the cache for their norms
        params[L.OUT] = normsOut;
        p.runSync(Program.RowMasks, nTasks(0, n), threads);
        this.normsWritten = normsOut;
      } else {
        p.kernels.rowStageU8(x, d, 0, n, s.masks, s.l1, normsOut);
        this.normsWritten = normsOut;
      }
    }
    if (big) {
      this.cachedData = data;
      this.cachedStage = s;
      this.bound = null;
    }
    return s;
  }

  threadsFor(work: number, min = MIN_THREADED_WORK): number {
    const max = Math.min(this.options.threads ?? this.pool().threads, this.pool().threads);
    return work < min ? 1 : max;
  }

  /** Copies rowNorms[start, end) to the shared memory at the same absolute indices. */
  stageNorms(rowNorms: Float64Array, n: number, start: number, end: number): number {
    const p = this.pool();
    const off = p.alloc('lloyd:xn', n * 8 + 64);
    p.f64(off, n).set(rowNorms.subarray(start, end), start);
    return off;
  }

  /** Every row norm (n of them) in shared memory; not copied again while the same array comes back. */
  stageAllNorms(rowNorms: Float64Array, n: number): number {
    const p = this.pool();
    const off = p.alloc('lloyd:xn-all', n * 8 + 64);
    if (this.stagedNorms !== null && this.stagedNorms.norms === rowNorms && this.stagedNorms.off === off) return off;
    p.f64(off, n).set(rowNorms.subarray(0, n));
    this.stagedNorms = { norms: rowNorms, off };
    return off;
  }

  stageCenters(centers: Float64Array, centerNorms: Float64Array, k: number, d: number): [number, number] {
    const p = this.pool();
    const c64 = p.alloc('lloyd:c64', k * d * 8 + 64);
    p.f64(c64, k * d).set(centers.subarray(0, k * d));
    const cn64 = p.alloc('lloyd:cn64', k * 8 + 64);
    p.f64(cn64, k).set(centerNorms.subarray(0, k));
    return [c64, cn64];
  }

  setCommon(s: Staged, d: number, start: number, end: number): Float64Array {
    const params = this.pool().params;
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

  scratch(bytesPerActor: number): [number, number] {
    const p = this.pool();
    const stride = Math.ceil((bytesPerActor + 64) / 64) * 64;
    return [p.alloc('lloyd:scratch', stride * (p.threads + 1)), stride];
  }

  /** Zeroed per-thread cluster sums (k × dp values of `bytes` each) and int32 counts (k), for every actor. */
  perActorSums(k: number, dp: number, bytes: 4 | 8) {
    const p = this.pool();
    const actors = p.threads + 1;
    const sumsStride = Math.ceil((k * dp * bytes) / 64) * 64;
    const countsStride = Math.ceil((k * 4) / 64) * 64;
    const sumsOff = p.alloc('lloyd:sums', sumsStride * actors);
    const countsOff = p.alloc('lloyd:counts', countsStride * actors);
    p.kernels.zeroBytes(sumsOff, sumsStride * actors);
    p.kernels.zeroBytes(countsOff, countsStride * actors);
    return { sumsOff, sumsStride, countsOff, countsStride };
  }

  /**
   * Centers as float32 (kp × dp, for screening; padding centers have ‖c‖² = +∞) and float64 (k × d). With
   * float32 false the float32 copy waits (cf = 0) for stageFloatCenters: the int16 screening does not read it.
   */
  stageScreening(s: Staged, centers: Float64Array, centerNorms: Float64Array, k: number, d: number, float32 = true): void {
    const p = this.pool();
    const kp = Math.ceil(k / 4) * 4;
    const [c64, cn64] = this.stageCenters(centers, centerNorms, k, d);
    this.screening.c64 = c64;
    this.screening.k = k;
    this.screening.d = d;
    this.screening.dp = s.dp;
    const cf = float32 ? this.stageFloatCenters() : 0;
    const cn = p.alloc('lloyd:cn', kp * 4 + 64);
    const cn32 = p.f32(cn, kp);
    let cnMax = 0;
    for (let c = 0; c < kp; c++) {
      cn32[c] = c < k ? centerNorms[c] : Infinity;
      if (c < k && centerNorms[c] > cnMax) cnMax = centerNorms[c];
    }
    Object.assign(this.screening, { cf, cn, kp, c64, cn64, cnMax });
  }

  /** The float32 copy of the last stageScreening's centers (kp × dp, zero padded); returns its offset, also kept as cf. */
  stageFloatCenters(): number {
    const p = this.pool();
    const { c64, k, d, dp } = this.screening;
    const kp = Math.ceil(k / 4) * 4;
    const cf = p.alloc('lloyd:cf', kp * dp * 4 + 64);
    p.kernels.zeroBytes(cf, kp * dp * 4);
    p.kernels.centersF32(c64, k, d, dp, cf);
    this.screening.cf = cf;
    return cf;
  }

  /** The float64 centers and norms the last stageScreening put in the shared memory. */
  get screened(): { c64: number; cn64: number } {
    return { c64: this.screening.c64, cn64: this.screening.cn64 };
  }

  setScreening(params: Float64Array, d: number, k: number): void {
    params[L.CF] = this.screening.cf;
    params[L.CN] = this.screening.cn;
    params[L.KP] = this.screening.kp;
    params[L.C64] = this.screening.c64;
    params[L.CN64] = this.screening.cn64;
    params[L.K] = k;
    // twice a rigorous bound on the float32 screening error, relative to ‖x‖² + max ‖c‖²
    params[L.MARGIN] = (d / 4 + 5) * 2 ** -22;
    // (with an absolute floor for float32 underflow, see SCREEN_NORM_FLOOR)
    params[L.CN_MAX] = this.screening.cnMax + SCREEN_NORM_FLOOR;
  }

  /**
   * Centers rounded to multiples of 1/128 as int16 (kp × dp16, zero padded) for Elkan's distance estimates, with
   * twice each center's largest rounding error: |x·c − x·q/128| ≤ ‖x‖₁·max|c − q/128|. Only for centers within
   * 0 … 255 (int16 range); otherwise the estimates are off (QC = 0) and distances are computed in float64. Call it
   * after stageScreening of the same centers (it reads their float64 copy there).
   */
  stageQuantized(params: Float64Array, s: Staged, k: number, d: number): void {
    const p = this.pool();
    const dp16 = Math.ceil(d / 8) * 8;
    const kp = Math.ceil(k / 4) * 4;
    const qc = p.alloc('hb:qc', kp * dp16 * 2 + 64);
    const qe = p.alloc('hb:qe', k * 8 + 64);
    // quantizeCenters writes every value of the k rows when it succeeds: only the padding needs zeros (all of it where
    // the rows have padding columns)
    if (dp16 > d) p.kernels.zeroBytes(qc, kp * dp16 * 2);
    else if (kp > k) p.kernels.zeroBytes(qc + k * dp16 * 2, (kp - k) * dp16 * 2);
    // the native kernels also lay the centers out for their assignSparseQ (native.ts), once a step instead of per task
    const qi = isNative(p.kernels.quantizeCenters) ? p.alloc('hb:qi', interleavedQBytes(k, d)) : 0;
    if (p.kernels.quantizeCenters(this.screening.c64, k, d, dp16, qc, qe, qi) === 0) return;
    params[L.QI] = qi;
    params[L.QC] = qc;
    params[L.DP16] = dp16;
    params[L.QE] = qe;
    params[L.L1] = s.l1;
  }
}

export function nTasks(start: number, end: number, chunk = CHUNK): number {
  return Math.ceil((end - start) / chunk);
}

export function sumPartials(partial: Float64Array): number {
  let t = 0;
  for (let a = 0; a < partial.length; a += PARTIAL_SLOTS) t += partial[a];
  return t;
}
