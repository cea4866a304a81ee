/**
 * k-means++ steps on the WASM kernel for uint8 rows (kppTrialsU8 of assembly/kpp.ts): each step's candidates
 * against every row in one threaded pass over the chunks that are non-zero in both the row and a candidate, and
 * the candidates' potentials summed per thread. Every value is an exact integer (uint8 rows, data-row
 * candidates), so the sums equal the row-order sums of the generic path whatever the order; the preconditions
 * are in preconditions.ts (kppTrialsApply). kppBoundedSession: the same values for a whole run, with most pairs
 * skipped by a projection bound.
 */
import { isNative } from './native';
import { kppTrialsApply } from './preconditions';
import { KB, L, Program } from './programs';
import type { KppSession, KppSessionArgs, KppTrialArgs } from './types';
import { CHUNK, nTasks, MIN_THREADED_WORK_SPARSE, type WasmStaging } from './wasm-staging';

/** LloydKernel.kmeansPlusPlusTrials on the WASM kernel; null where its preconditions do not hold. */
export function kppTrials(st: WasmStaging, a: KppTrialArgs): Float64Array | null {
  const { data, d, rowNorms, centers, centerNorms, k: T, candidateRows, closest, out } = a;
  const n = rowNorms.length;
  if (!(data instanceof Uint8Array) || data.length !== n * d || st.options.sparse === false || !kppTrialsApply(n, d, T)) return null;
  for (let t = 0; t < T * d; t++) if (!(Number.isInteger(centers[t]) && centers[t] >= 0 && centers[t] <= 255)) return null;
  const s = st.stage(data, d);
  if (s.masks === 0) return null;
  const p = st.pool();
  const [, cn64] = st.stageCenters(centers, centerNorms, T, d);
  const ci16 = trialCenters(st, d, T);
  const c16 = new Int16Array(p.memory.buffer, ci16, T * int16Row(d));
  for (let t = 0; t < T; t++) for (let j = 0; j < d; j++) c16[t * int16Row(d) + j] = centers[t * d + j];
  const cl = p.alloc('kpp:closest', n * 8 + 64);
  p.f64(cl, n).set(closest.subarray(0, n));
  const o = p.alloc('kpp:out', n * T * 8 + 64);
  const total = trialsJob(st, s, d, rowNorms, T, candidateRows, cn64, ci16, cl, o);
  out.set(p.f64(o, n * T));
  return total;
}

/** A session step's number of candidates, checked: at most the session's T0, each with its norm. */
function trialCount(candidateRows: Int32Array, centerNorms: Float64Array, T0: number): number {
  const T = candidateRows.length;
  if (T > T0 || centerNorms.length !== T) throw new Error(`k-means++ session: ${T} candidates, at most ${T0} with their norms`);
  return T;
}

/** Values a row of the trials' int16 candidates takes (d rounded up to 8). */
function int16Row(d: number): number {
  return Math.ceil(d / 8) * 8;
}

/** The trials' int16 candidates: T rows rounded up to 4, int16Row(d) apart, zeroed (fill rows 0 … T − 1). */
function trialCenters(st: WasmStaging, d: number, T: number): number {
  const p = st.pool();
  const bytes = Math.ceil(T / 4) * 4 * int16Row(d) * 2;
  const ci16 = p.alloc('lloyd:ci16', bytes + 64);
  p.kernels.zeroBytes(ci16, bytes);
  return ci16;
}

/**
 * One k-means++ step's trials on the threads (kppTrialsU8): T candidates (data rows candidateRows, int16 at ci16, ‖c‖²
 * at cn64) against every staged row with closest at cl; writes min(‖x_i − c_t‖², closest[i]) to o (n × T) and returns
 * the candidates' potentials (the threads' exact integer sums added up).
 */
function trialsJob(st: WasmStaging, s: ReturnType<WasmStaging['stage']>, d: number, rowNorms: Float64Array, T: number,
  candidateRows: Int32Array, cn64: number, ci16: number, cl: number, o: number): Float64Array {
  const p = st.pool();
  const n = rowNorms.length;
  const cand = p.alloc('kpp:cand', T * 4 + 64);
  p.i32(cand, T).set(candidateRows.subarray(0, T));
  const actors = p.threads + 1;
  const pots = p.alloc('kpp:pots', actors * 64 + 64);
  p.kernels.zeroBytes(pots, actors * 64);
  const [scr, scrStride] = st.scratch(64);
  const params = st.setCommon(s, d, 0, n);
  params[L.CN64] = cn64;
  params[L.K] = T;
  params[L.XN] = st.stageAllNorms(rowNorms, n);
  params[L.OUT] = o;
  params[L.CI16] = ci16;
  params[L.DP16] = int16Row(d);
  params[L.MASKS] = s.masks;
  params[L.CLOSEST] = cl;
  params[L.CAND] = cand;
  params[L.POTS] = pots;
  params[L.SCRATCH] = scr;
  params[L.SCRATCH_STRIDE] = scrStride;
  p.runSync(Program.KppTrials, nTasks(0, n), st.threadsFor(n * T * d, MIN_THREADED_WORK_SPARSE));
  const perActor = p.f64(pots, actors * 8);
  const total = new Float64Array(T);
  for (let actor = 0; actor < actors; actor++) for (let t = 0; t < T; t++) total[t] += perActor[actor * 8 + t];
  return total;
}

/**
 * A k-means++ run of kppTrials' steps whose per-row state stays on the kernel (LloydKernel.kmeansPlusPlusSession where
 * the bounded session declines, e.g. below KPP_BOUNDS_MIN_STEPS): closest, each step's n × T trial distances and the
 * running sums for the next draw live in the shared memory, the candidates are copied from the staged rows, and
 * commit picks the new closest on the kernel (kppCommit). The same values as kppTrials step by step; its
 * preconditions (kppTrialsApply, exact integer first potentials), else null.
 */
export function kppPlainSession(st: WasmStaging, a: KppSessionArgs): KppSession | null {
  const { data, d, rowNorms, trials: T0 } = a;
  const n = rowNorms.length;
  if (!(data instanceof Uint8Array) || data.length !== n * d || st.options.sparse === false) return null;
  if (!kppTrialsApply(n, d, T0) || a.closest.length !== n) return null;
  for (let i = 0; i < n; i++) {
    const v = a.closest[i];
    if (!(Number.isInteger(v) && v >= 0)) return null;
  }
  const s0 = st.stage(data, d);
  if (s0.masks === 0) return null;
  const p = st.pool();
  const cl = p.alloc('kpps:closest', n * 8 + 64);
  p.f64(cl, n).set(a.closest.subarray(0, n));
  const o = p.alloc('kpps:out', n * T0 * 8 + 64);
  const cum = p.alloc('kpps:cum', n * 8 + 64);
  const cn64 = p.alloc('kpps:cn64', T0 * 8 + 64);
  p.kernels.kppCommit(0, n, -1, T0, o, cl, cum);
  const dp16 = int16Row(d);
  let lastT = 0;
  return {
    kind: 'plain',
    closest: () => p.f64(cl, n),
    cumulative: () => p.f64(cum, n),
    trials(candidateRows, centerNorms) {
      const T = trialCount(candidateRows, centerNorms, T0);
      const s = st.stage(data, d);
      p.f64(cn64, T).set(centerNorms);
      const ci16 = trialCenters(st, d, T);
      const c16 = new Int16Array(p.memory.buffer, ci16, T * dp16);
      for (let t = 0; t < T; t++) c16.set(data.subarray(candidateRows[t] * d, candidateRows[t] * d + d), t * dp16);
      lastT = T;
      return trialsJob(st, s, d, rowNorms, T, candidateRows, cn64, ci16, cl, o);
    },
    commit(t) {
      if (!(t >= 0 && t < lastT)) throw new Error(`k-means++ session: commit(${t}) without its trials`);
      p.kernels.kppCommit(0, n, t, lastT, o, cl, cum);
      lastT = 0;
    },
  };
}

/**
 * The last bounded k-means++ run of this process, so far: steps, (row, candidate) pairs, exact distances computed, and
 * its number among the process's bounded runs (id, from 1).
 */
let lastBoundedRun: { steps: number; pairs: number; computed: number; id: number } | null = null;
let boundedRuns = 0;
export function lastKppBoundedRun(): { steps: number; pairs: number; computed: number; id: number } | null {
  return lastBoundedRun === null ? null : { ...lastBoundedRun };
}

/** The bounds' own basis comes from at most this many evenly spaced rows, by this many power iterations. */
const AXES_ROWS = 512;
const AXES_ITERATIONS = 2;

/**
 * The session's own basis (KppSessionArgs.basis absent): up to P directions (an even number, at most the rows
 * and d; row-major m × d) near the top principal axes of AXES_ROWS evenly spaced rows of the staged uint8 rows at x,
 * on the calling thread (kppBasisU8, block power iteration as embed/pca.ts roughAxes). Only the bounds' pruning
 * depends on it, never a value.
 */
export function kernelBasis(st: WasmStaging, x: number, n: number, d: number, P: number): Float64Array {
  const count = Math.min(n, AXES_ROWS);
  const m = Math.min(P, count, d) & ~1;
  if (m < 2) return new Float64Array(0);
  const p = st.pool();
  const rows = p.alloc('kppb:axes-rows', count * 4 + 64);
  const r32 = p.i32(rows, count);
  for (let r = 0; r < count; r++) r32[r] = Math.floor((r * n) / count);
  const Q = p.alloc('kppb:axes-q', m * d * 8 + 64);
  const mean = p.alloc('kppb:axes-mean', d * 8 + 64);
  const Qt = p.alloc('kppb:axes-qt', d * m * 8 + 64);
  const W = p.alloc('kppb:axes-w', count * m * 8 + 64);
  const two = p.alloc('kppb:axes-two', 2 * m * 8 + 64);
  p.kernels.kppBasisU8(x, d, rows, count, m, AXES_ITERATIONS, Q, mean, Qt, W, two);
  return p.f64(Q, m * d).slice();
}

/**
 * Projected values a row keeps for the k-means++ bounds (a multiple of 16: two halves of int16 vectors). 96 or 128
 * halve the exact distances at k = 200–500 on MNIST, but their bound tests cost as much (scripts/measure-kpp.ts --dims).
 */
export const KPP_BOUND_DIMS = 64;

/** The bounds' set-up (a basis, one projection of every row) pays from about this many steps on (k ≈ 40) over WASM trials. */
export const KPP_BOUNDS_MIN_STEPS = 40;
/**
 * Over the native trials (kppTrialsU8 on AVX2, three to four times the WASM one's speed) the plain steps are faster
 * up to k = 100 on MNIST at any n, and the bounds gain about a fifth from k = 500 on 10,000 rows or more
 * (scripts/measure-kpp.ts on an AMD EPYC with AVX2, MNIST 70,000: k = 100 0.48–0.73 s plain, 0.63–0.85 s bounded;
 * k = 500 2.5–3.0 s plain, 2.0–2.3 s bounded; the 3,072 rows of a mini-batch init, k = 100, in a fresh process:
 * 49–50 ms plain, 80–88 ms bounded).
 */
export const KPP_BOUNDS_MIN_STEPS_NATIVE = 200;
export const KPP_BOUNDS_MIN_ROWS_NATIVE = 10_000;
/** Largest |entry| of the int16 basis B: |B_j · x| ≤ 1024 · 255 · 4096 < 2³¹ for d ≤ 1024. */
const BASIS_MAX = 4096;
/** Bound on every ‖q_i − q_c‖² (int32 sums of int16 squares with room: each |q_ij − q_cj| ≤ 2^14.5). */
const QQ_MAX = 2 ** 29;

/** The int16 basis B (P rows, dp16 apart), λ ≥ its largest eigenvalue of B Bᵀ, and the shift of q = ⌊B x / 2^shift⌋. */
interface QuantizedBasis { b16: Int16Array; lambda: number; shift: number }

/**
 * basis (up to P rows of d) rounded to int16 with |B| ≤ BASIS_MAX; null unless finite and non-zero. λ is Gershgorin's
 * bound on B Bᵀ (max_a Σ_b |G_ab|, an exact integer), from lambdaOf: by default the loop below; the session passes the
 * kernel's basisGershgorin (the same integer, without a P² · d loop of JavaScript in a fresh process).
 */
export function quantizeBasis(
  basis: Float64Array,
  P: number,
  d: number,
  lambdaOf: (b16: Int16Array, P: number, dp16: number) => number = gershgorinTs,
): QuantizedBasis | null {
  const rows = Math.min(P, Math.floor(basis.length / d));
  const dp16 = Math.ceil(d / 8) * 8;
  let max = 0;
  for (let i = 0; i < rows * d; i++) max = Math.max(max, Math.abs(basis[i]));
  if (!(max > 0 && Number.isFinite(max))) return null;
  const b16 = new Int16Array(P * dp16);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < d; j++) b16[r * dp16 + j] = Math.max(-BASIS_MAX, Math.min(BASIS_MAX, Math.round((basis[r * d + j] / max) * BASIS_MAX)));
  }
  const lambda = lambdaOf(b16, P, dp16);
  if (lambda === 0) return null;
  // ‖q_i − q_c‖ ≤ ‖B(x_i − x_c)‖ / 2^shift + √P ≤ √λ · 255 · √d / 2^shift + √P
  const spread = Math.sqrt(lambda) * 255 * Math.sqrt(d) * (1 + 1e-9);
  let shift = 0;
  while ((spread / 2 ** shift + Math.sqrt(P)) ** 2 > QQ_MAX) shift++;
  return { b16, lambda, shift };
}

/** Gershgorin on G = B Bᵀ: every entry an integer below d · 4096² (exact in float64), so λ is exact. */
export function gershgorinTs(b16: Int16Array, P: number, dp16: number): number {
  let lambda = 0;
  for (let a = 0; a < P; a++) {
    let row = 0;
    for (let b = 0; b < P; b++) {
      let g = 0;
      for (let j = 0; j < dp16; j++) g += b16[a * dp16 + j] * b16[b * dp16 + j];
      row += Math.abs(g);
    }
    lambda = Math.max(lambda, row);
  }
  return lambda;
}

/** gershgorinTs on the kernel (basisGershgorin): b16 copied to the shared memory, where the session keeps it. */
export function gershgorinOn(st: WasmStaging): (b16: Int16Array, P: number, dp16: number) => number {
  return (b16, P, dp16) => {
    const p = st.pool();
    const off = p.alloc('kppb:b16', P * dp16 * 2 + 64);
    new Int16Array(p.memory.buffer, off, P * dp16).set(b16);
    return p.kernels.basisGershgorin(off, P, dp16);
  };
}

/**
 * A k-means++ run on the WASM kernel for uint8 rows that skips the (row, candidate) pairs a projection bound
 * proves useless. Each row keeps q_i = ⌊B x_i / 2^shift⌋ (KPP_BOUND_DIMS int16 values, minus per-column offsets),
 * B the basis rounded to int16. With λ ≥ the largest eigenvalue of B Bᵀ, ‖B(x − c)‖ ≤ √λ ‖x − c‖, and flooring
 * moves each difference by less than one step, so ‖q_i − q_c‖ < √λ ‖x_i − c‖ / 2^shift + √P: where
 * ‖q_i − q_c‖² ≥ thr_i = (√P + √(λ · closest[i]) / 2^shift)² (rounded up and widened), ‖x_i − c‖² > closest[i] and
 * the candidate leaves the row as it is. The other pairs get their exact integer distances (as kppTrialsU8), so
 * potentials, picks and closest are the same. Preconditions (checked here, else null): those of kppTrialsU8, the
 * first potentials exact integers, a usable basis; worth it only from KPP_BOUNDS_MIN_STEPS steps.
 */
export function kppBoundedSession(st: WasmStaging, a: KppSessionArgs): KppSession | null {
  const { data, d, rowNorms, trials: T0 } = a;
  const n = rowNorms.length;
  const P = st.options.kppBoundDims ?? KPP_BOUND_DIMS;
  if (!(Number.isInteger(P) && P >= 16 && P % 16 === 0)) throw new RangeError(`kppBoundDims must be a positive multiple of 16, got ${P}`);
  if (!(data instanceof Uint8Array) || data.length !== n * d || st.options.sparse === false || st.options.kppBounds === false) return null;
  if (!kppTrialsApply(n, d, T0) || a.closest.length !== n) return null;
  // (a given kppBoundsMinSteps, as the tests give, replaces both rules)
  const nativeTrials = isNative(st.pool().kernels.kppTrialsU8);
  const minSteps = st.options.kppBoundsMinSteps ?? (nativeTrials ? KPP_BOUNDS_MIN_STEPS_NATIVE : KPP_BOUNDS_MIN_STEPS);
  const minRows = st.options.kppBoundsMinSteps === undefined && nativeTrials ? KPP_BOUNDS_MIN_ROWS_NATIVE : 0;
  if (a.steps < minSteps || n < minRows) return null;
  let pot = 0;
  for (let i = 0; i < n; i++) {
    const v = a.closest[i];
    if (!(Number.isInteger(v) && v >= 0)) return null;
    pot += v;
  }
  const s0 = st.stage(data, d);
  if (s0.masks === 0) return null;
  const qb = quantizeBasis(a.basis !== undefined ? a.basis(P) : kernelBasis(st, s0.x, n, d, P), P, d, gershgorinOn(st));
  if (qb === null) return null;
  const p = st.pool();
  const dp16 = Math.ceil(d / 8) * 8;
  const actors = p.threads + 1;

  // q32 = B x >> shift on the threads, then per-column offsets to the middle of each column's range (int16)
  const b16 = p.alloc('kppb:b16', P * dp16 * 2 + 64);
  new Int16Array(p.memory.buffer, b16, P * dp16).set(qb.b16);
  const ones = p.alloc('kppb:ones', 64);
  p.bytes().fill(0xff, ones, ones + 32);
  const q32 = p.alloc('kppb:q32', n * P * 4 + 64);
  const params = p.params;
  params.fill(0);
  params[KB.PHASE] = 0;
  params[KB.X] = s0.x;
  params[KB.D] = d;
  params[KB.MASKS] = s0.masks;
  params[KB.START] = 0;
  params[KB.END] = n;
  params[KB.CHUNK] = CHUNK;
  params[KB.B16] = b16;
  params[KB.DP16] = dp16;
  params[KB.P] = P;
  params[KB.SHIFT] = qb.shift;
  params[KB.Q32] = q32;
  params[KB.ONES] = ones;
  p.runSync(Program.KppBounded, nTasks(0, n), st.threadsFor(n * P * d, MIN_THREADED_WORK_SPARSE));
  const q16 = p.alloc('kppb:q16', n * P * 2 + 64);
  {
    const lo = p.alloc('kppb:lo', P * 4 + 64);
    const hi = p.alloc('kppb:hi', P * 4 + 64);
    p.i32(lo, P).fill(2 ** 31 - 1);
    p.i32(hi, P).fill(-(2 ** 31));
    p.kernels.kppColumnRange(q32, P, 0, n, lo, hi);
    const l32 = p.i32(lo, P);
    const h32 = p.i32(hi, P);
    const mid = Int32Array.from(l32, (l, j) => Math.floor((l + h32[j]) / 2));
    // |q − mid| ≤ (hi − lo) / 2 + 1 ≤ 2^13.5 by the choice of shift; checked anyway, as int16 must hold it
    for (let j = 0; j < P; j++) if (h32[j] - mid[j] > 32767 || mid[j] - l32[j] > 32767) return null;
    l32.set(mid);
    p.kernels.kppOffsetQ16(q32, P, 0, n, lo, q16);
  }

  const cl = p.alloc('kppb:closest', n * 8 + 64);
  p.f64(cl, n).set(a.closest.subarray(0, n));
  const thr = p.alloc('kppb:thr', n * 4 + 64);
  const sel = p.alloc('kppb:sel', n + 64);
  const o = p.alloc('kppb:out', n * T0 * 8 + 64);
  const cand = p.alloc('kppb:cand', 8 * 4 + 64);
  const cn64 = p.alloc('kppb:cn64', 8 * 8 + 64);
  const ci16 = p.alloc('kppb:ci16', 8 * dp16 * 2 + 64);
  const red = p.alloc('kppb:red', actors * 128 + 64);
  const sqrtP = Math.sqrt(P);
  const coef = Math.sqrt(qb.lambda) / 2 ** qb.shift;
  const cum = p.alloc('kppb:cum', n * 8 + 64);
  p.kernels.kppBoundedCommit(0, n, 1, 0, T0, o, sel, cl, thr, sqrtP, coef, cum);
  const stats = { steps: 0, pairs: 0, computed: 0, id: ++boundedRuns };
  lastBoundedRun = stats;
  let last: Float64Array | null = null;
  let lastT = 0;

  return {
    kind: 'bounded',
    closest: () => p.f64(cl, n),
    cumulative: () => p.f64(cum, n),
    trials(candidateRows, centerNorms) {
      const T = trialCount(candidateRows, centerNorms, T0);
      const s = st.stage(data, d);
      p.i32(cand, T).set(candidateRows);
      p.f64(cn64, T).set(centerNorms);
      p.kernels.zeroBytes(ci16, T * dp16 * 2);
      const c16 = new Int16Array(p.memory.buffer, ci16, T * dp16);
      for (let t = 0; t < T; t++) c16.set(data.subarray(candidateRows[t] * d, candidateRows[t] * d + d), t * dp16);
      p.kernels.zeroBytes(red, actors * 128);
      const pr = p.params;
      pr.fill(0);
      pr[KB.PHASE] = 1;
      pr[KB.X] = s.x;
      pr[KB.D] = d;
      pr[KB.MASKS] = s.masks;
      pr[KB.START] = 0;
      pr[KB.END] = n;
      pr[KB.CHUNK] = CHUNK;
      pr[KB.DP16] = dp16;
      pr[KB.P] = P;
      pr[KB.CN64] = cn64;
      pr[KB.T] = T;
      pr[KB.XN] = st.stageAllNorms(rowNorms, n);
      pr[KB.OUT] = o;
      pr[KB.CI16] = ci16;
      pr[KB.CLOSEST] = cl;
      pr[KB.CAND] = cand;
      pr[KB.RED] = red;
      pr[KB.Q16] = q16;
      pr[KB.THR] = thr;
      pr[KB.SEL] = sel;
      const [scr, scrStride] = st.scratch(64 + 5 * 64);
      pr[KB.SCRATCH] = scr;
      pr[KB.SCRATCH_STRIDE] = scrStride;
      p.runSync(Program.KppBounded, nTasks(0, n), st.threadsFor(n * T * P, MIN_THREADED_WORK_SPARSE));
      const perActor = p.f64(red, actors * 16);
      const pots = new Float64Array(T).fill(pot);
      for (let actor = 0; actor < actors; actor++) {
        for (let t = 0; t < T; t++) pots[t] -= perActor[actor * 16 + t];
        stats.computed += perActor[actor * 16 + 8];
      }
      stats.steps++;
      stats.pairs += n * T;
      last = pots;
      lastT = T;
      return pots;
    },
    commit(t) {
      if (last === null || !(t >= 0 && t < lastT)) throw new Error(`k-means++ session: commit(${t}) without its trials`);
      p.kernels.kppBoundedCommit(0, n, 0, t, lastT, o, sel, cl, thr, sqrtP, coef, cum);
      pot = last[t];
      last = null;
    },
  };
}
