/**
 * LloydKernel on WASM SIMD and every core (see assembly/lloyd-*.ts for the arithmetic).
 *
 * - assign: fused E-step + M-step accumulation over 256-row tasks; centers screened in float32 (2 rows × 4
 *   centers a tile), near ties settled in float64, so labels and distances are those of the float64 formula;
 *   uint8 sums accumulate exactly in int32 per thread.
 * - distances: exact; for uint8 data and integer centers (k-means++ candidates are data rows) in int32.
 * - rowNorms, labelledInertia: float64, threaded.
 * The data matrix is copied into the pool's shared memory once and reused while the same array is passed
 * (one large and one small matrix are kept at a time; mini-batches are not copied at all, see AssignArgs.rows; a matrix
 * its loader read into the shared memory, KernelPool.allocPinned, is not copied either). float64 data uses the pure-TS kernel.
 */
import { sharedKernelPool, type KernelPool } from './pool';
import { L, Program } from './programs';
import { tsKernel } from './ts-kernel';
import type { AssignArgs, DistanceArgs, LloydKernel, MiniBatchStepArgs, RowData } from './types';
import { wasmLloydAccepts } from './preconditions';
import { assignBounded } from './wasm-bounded';
import { kppBoundedSession, kppPlainSession, kppTrials } from './wasm-kpp';
import { CHUNK, MIN_THREADED_WORK, MIN_THREADED_WORK_SPARSE, nTasks, ROWS_CHUNK, sumPartials, WasmStaging, type WasmKernelOptions } from './wasm-staging';

export { lastBoundKind, lastScreenedRows } from './wasm-bounded';
export { lastKppBoundedRun } from './wasm-kpp';
export type { WasmKernelOptions } from './wasm-staging';

export function createWasmKernel(poolOrGetter: KernelPool | (() => KernelPool) = sharedKernelPool, options: WasmKernelOptions = {}): LloydKernel {
  const st = new WasmStaging(poolOrGetter, options);
  const pool = (): KernelPool => st.pool();
  /** The shortcuts' preconditions (preconditions.ts); otherwise the TS reference kernel. */
  const usable = (data: RowData, n: number, d: number): boolean => wasmLloydAccepts(data, n, d);

  const kernel: LloydKernel & { stageData(data: RowData, d: number): number } = {
    name: 'wasm-simd',

    /** Copies (or finds) the data in the shared memory; returns its offset. */
    stageData(data: RowData, d: number): number {
      return st.stage(data, d).x;
    },

    rowNorms(data, d, start, end, out) {
      if (!usable(data, end, d) || end <= start) return tsKernel.rowNorms(data, d, start, end, out);
      const p = pool();
      const n = end;
      const o = p.alloc('lloyd:norms-out', n * 8 + 64);
      // all the rows: the staging's pass may compute their norms with their chunk masks
      const s = st.stage(data, d, start === 0 && end * d === data.length ? o : 0);
      if (st.normsWritten !== o) {
        const params = st.setCommon(s, d, start, end);
        params[L.OUT] = o;
        p.runSync(Program.RowNorms, nTasks(start, end), st.threadsFor((end - start) * d));
      }
      out.set(p.f64(o + start * 8, end - start), start);
    },

    assign(a: AssignArgs): number {
      return assignOn(a, null);
    },

    miniBatchStep(a: MiniBatchStepArgs) {
      const { data, d, end } = a;
      // uint8 rows (exact int32 sums on the kernel) in a row list; otherwise the caller's assign and update
      if (!(data instanceof Uint8Array) || !usable(data, Math.max(end, data.length / d), d) || end <= a.start) return null;
      const move = { next: a.next, counts: a.counts, shift: 0 };
      // (a.counts are the running counts, which the move updates, not the batch counts an assign would add to)
      const inertia = assignOn({ ...a, counts: undefined }, move);
      return { inertia, shift: move.shift };
    },

    randomRows(rng, n, m) {
      // (n = 1 draws nothing: rng.randInts' own case)
      if (!(Number.isInteger(n) && n >= 2 && n <= 2 ** 31 && Number.isInteger(m) && m >= 0)) return null;
      const p = pool();
      const key = p.alloc('rng:key', 624 * 4 + 64);
      const out = p.alloc('rng:out', m * 4 + 64);
      const pos = p.kernels.mtRandInts(key, rng.getState(new Uint32Array(p.memory.buffer, key, 624)), n, m, out);
      rng.setState(new Uint32Array(p.memory.buffer, key, 624), pos);
      return p.i32(out, m).slice();
    },

    distances(a: DistanceArgs): void {
      const { data, d, rowNorms, centers, centerNorms, k, start, end, out, rows } = a;
      const n = rows !== undefined ? end : Math.max(end, rowNorms.length);
      if (!usable(data, Math.max(n, data.length / d), d) || end <= start) return tsKernel.distances(a);
      const p = pool();
      const s = st.stage(data, d);
      const [c64, cn64] = st.stageCenters(centers, centerNorms, k, d);
      let xn: number;
      let rowsOff = 0;
      if (rows !== undefined) {
        xn = st.stageAllNorms(rowNorms, data.length / d);
        rowsOff = p.alloc('lloyd:rows', n * 4 + 64);
        p.i32(rowsOff, n).set(rows.subarray(start, end), start);
      } else {
        xn = st.stageNorms(rowNorms, n, start, end);
      }
      const o = p.alloc('lloyd:dist-out', (end - start) * k * 8 + 64);
      // integer centers on uint8 data: exact int32 dot products
      let ci16 = 0;
      const dp16 = Math.ceil(d / 8) * 8;
      const kp = Math.ceil(k / 4) * 4;
      if (s.kind === 0) {
        // kp rows: the sparse form reads four centers at a time (padding rows are zero)
        ci16 = p.alloc('lloyd:ci16', kp * dp16 * 2 + 64);
        p.kernels.zeroBytes(ci16, kp * dp16 * 2);
        if (p.kernels.centersI16(c64, k, d, dp16, ci16) === 0) ci16 = 0;
      }
      const [scr, scrStride] = st.scratch(Math.max(dp16 * 2, s.dp * 4) + 16);
      const params = st.setCommon(s, d, start, end);
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
        st.threadsFor((end - start) * k * d, params[L.MASKS] !== 0 ? MIN_THREADED_WORK_SPARSE : MIN_THREADED_WORK));
      out.set(p.f64(o, (end - start) * k));
    },

    kmeansPlusPlusTrials(a) {
      return usable(a.data, a.rowNorms.length, a.d) ? kppTrials(st, a) : null;
    },

    kmeansPlusPlusSession(a) {
      // the bounds where they pay (wasm-kpp.ts, KPP_BOUNDS_MIN_STEPS), else kppTrials' steps with their state kept here
      return usable(a.data, a.rowNorms.length, a.d) ? (kppBoundedSession(st, a) ?? kppPlainSession(st, a)) : null;
    },

    labelledInertia(data, d, centers, labels, start, end) {
      if (!usable(data, end, d) || end <= start) return tsKernel.labelledInertia(data, d, centers, labels, start, end);
      const p = pool();
      const s = st.stage(data, d);
      const k = centers.length / d;
      const [c64] = st.stageCenters(centers, new Float64Array(k), k, d);
      const lab = p.alloc('lloyd:labels', end * 4 + 64);
      p.i32(lab, end).set(labels.subarray(start, end), start);
      const [scr, scrStride] = st.scratch(s.dp * 4 + 16);
      const params = st.setCommon(s, d, start, end);
      params[L.C64] = c64;
      params[L.LABELS] = lab;
      params[L.SCRATCH] = scr;
      params[L.SCRATCH_STRIDE] = scrStride;
      // the tasks' sums added in task order: the same total on every run, whichever thread took which task
      const tasks = nTasks(start, end);
      const perTask = p.alloc('lloyd:task-inertia', tasks * 8 + 64);
      params[L.OUT] = perTask;
      p.runSync(Program.Inertia, tasks, st.threadsFor((end - start) * d));
      const sums = p.f64(perTask, tasks);
      let total = 0;
      for (let t = 0; t < tasks; t++) total += sums[t];
      return total;
    },
  };
  /**
   * assign, and with `move` (miniBatchStep) the mini-batch update on the call's exact sums in place of adding them to
   * the caller's: next centers, counts and norms from the WASM miniBatchUpdate, its squared shift into move.shift.
   */
  function assignOn(a: AssignArgs, move: { next: Float64Array; counts: Float64Array; shift: number } | null): number {
      const { data, d, rowNorms, centers, centerNorms, k, start, end, labels, dist, rows } = a;
      // n: length of the position range's arrays (labels, dist); the data has data.length / d rows
      const n = rows !== undefined ? end : Math.max(end, rowNorms.length);
      if (!usable(data, Math.max(n, data.length / d), d) || end <= start) return tsKernel.assign(a);
      const p = pool();
      const s = st.stage(data, d);
      if (a.bounds !== undefined && rows === undefined && st.options.bounds !== false && s.kind === 0 && dist === undefined && start === 0 && end === n && data === st.cachedData) {
        return assignBounded(st, a, s);
      }
      const { dp } = s;
      // uint8 rows with chunk masks and ‖x‖₁, centers within [0, 255]: the int16 screening (same results), which
      // needs no float32 centers
      const wantQ = s.masks !== 0 && s.l1 !== 0 && st.options.quantized !== false;
      st.stageScreening(s, centers, centerNorms, k, d, !wantQ);
      let xn: number;
      let rowsOff = 0;
      if (rows !== undefined) {
        const nData = data.length / d;
        xn = st.stageAllNorms(rowNorms, nData);
        rowsOff = p.alloc('lloyd:rows', n * 4 + 64);
        p.i32(rowsOff, n).set(rows.subarray(start, end), start);
      } else {
        xn = st.stageNorms(rowNorms, n, start, end);
      }
      const lab = p.alloc('lloyd:labels', n * 4 + 64);
      const dOut = dist !== undefined ? p.alloc('lloyd:dist', n * 8 + 64) : 0;
      const actors = p.threads + 1;
      const { sums, counts } = a;
      const accumulate = move !== null || (sums !== undefined && counts !== undefined);
      // the per-row exact distances are only needed for dist; Σ dist comes from the exact sums when they are kept
      const sumsTotal = accumulate && s.kind === 0 && dist === undefined;
      const noTotal = dist === undefined && (a.total === false || sumsTotal);
      const { sumsOff, sumsStride, countsOff, countsStride } = accumulate
        ? st.perActorSums(k, dp, s.kind === 0 ? 4 : 8)
        : { sumsOff: 0, sumsStride: 0, countsOff: 0, countsStride: 0 };
      const kp = Math.ceil(k / 4) * 4;
      const [scr, scrStride] = st.scratch(Math.max(2 * dp * 4 + (kp + 4) * 8, s.masks !== 0 ? p.kernels.assignSparseQScratch(d, k) : 0));

      const params = st.setCommon(s, d, start, end);
      if (wantQ) st.stageQuantized(params, s, k, d);
      const quantized = params[L.QC] !== 0;
      // centers outside [0, 255]: the float32 screening after all
      if (wantQ && !quantized) st.stageFloatCenters();
      st.setScreening(params, d, k);
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
      const partial = p.runSync(quantized ? Program.AssignQ : Program.Assign, nTasks(start, end, chunk),
        st.threadsFor((end - start) * k * d, s.masks !== 0 ? MIN_THREADED_WORK_SPARSE : MIN_THREADED_WORK));
      let total = noTotal ? NaN : sumPartials(partial);
      // with sums: Σ‖x − c‖² = Σ‖x‖² + Σ_c (n_c ‖c‖² − 2 c·S_c) over this call's rows, from its exact integer sums
      let callTotal = sumsTotal ? normsSum(rowNorms, rows, start, end) : 0;

      labels.set(p.i32(lab + start * 4, end - start), start);
      if (dist !== undefined) dist.set(p.f64(dOut + start * 8, end - start), start);
      if (accumulate) {
        // this call's sums and counts (exact), then into the caller's
        if (s.kind === 0) {
          // int32 partials: added up on the kernel (exact in any order), the inertia terms there too
          if (move !== null) {
            // a mini-batch step: merged, the inertia's terms and the update in one pass (miniBatchUpdate), from the
            // staged centers (the caller's, the same values)
            const nextOff = p.alloc('mb:next', k * d * 8 + 64);
            const runOff = p.alloc('mb:counts', k * 8 + 64);
            const normsOff = p.alloc('mb:norms', k * 8 + 64);
            const totalOff = p.alloc('mb:total', 64);
            p.f64(runOff, k).set(move.counts.subarray(0, k));
            p.f64(normsOff, k).set(centerNorms.subarray(0, k));
            move.shift = p.kernels.miniBatchUpdate(sumsOff, sumsStride, countsOff, countsStride, actors, k, d, dp,
              st.screened.c64, st.screened.cn64, runOff, nextOff, normsOff, callTotal, totalOff);
            if (sumsTotal) callTotal = p.f64(totalOff, 1)[0];
            move.next.set(p.f64(nextOff, k * d));
            move.counts.set(p.f64(runOff, k));
            centerNorms.set(p.f64(normsOff, k));
          } else {
            const csOff = p.alloc('lloyd:call-sums', k * d * 8 + 64);
            const ccOff = p.alloc('lloyd:call-counts', k * 8 + 64);
            p.kernels.zeroBytes(csOff, k * d * 8);
            p.kernels.zeroBytes(ccOff, k * 8);
            p.kernels.mergeActorSums(sumsOff, sumsStride, countsOff, countsStride, actors, k, d, dp, csOff, ccOff);
            addSums(sums as Float64Array, counts as Float64Array, p.f64(csOff, k * d), p.f64(ccOff, k), k, d);
            // (a cluster without rows adds exactly 0 there: the same value as skipping it, as the float64 path does)
            if (sumsTotal) callTotal = p.kernels.sumsInertia(callTotal, st.screened.c64, st.screened.cn64, csOff, ccOff, k, d);
          }
        } else if (sums !== undefined && counts !== undefined) {
          // float64 partials: added actor by actor in this order
          const cs = st.callSums.length >= k * d ? st.callSums.fill(0, 0, k * d) : (st.callSums = new Float64Array(k * d));
          const cc = new Float64Array(k);
          for (let a2 = 0; a2 < actors; a2++) {
            const cnt = p.i32(countsOff + a2 * countsStride, k);
            let any = false;
            for (let c = 0; c < k; c++) if (cnt[c] !== 0) any = true;
            if (!any) continue;
            for (let c = 0; c < k; c++) cc[c] += cnt[c];
            const part = p.f64(sumsOff + a2 * sumsStride, k * dp);
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
        }
        if (sumsTotal) total = callTotal > 0 ? callTotal : 0;
      }
      return total;
  }

  return kernel;
  }

/**
 * Σ rowNorms over positions [start, end) (rows[i] where there is a row list), in position order. Small functions
 * such as this and addSums are optimized by V8 within a fresh process's first few calls; inlined in assign they
 * ran unoptimized through the first tens of mini-batch steps.
 */
function normsSum(rowNorms: Float64Array, rows: Int32Array | undefined, start: number, end: number): number {
  let t = 0;
  if (rows === undefined) for (let i = start; i < end; i++) t += rowNorms[i];
  else for (let i = start; i < end; i++) t += rowNorms[rows[i]];
  return t;
}

/** counts[c] += cc[c] and sums[c·d + j] += cs[c·d + j] for each cluster c with cc[c] ≠ 0 (exact integer sums). */
function addSums(sums: Float64Array, counts: Float64Array, cs: Float64Array, cc: Float64Array, k: number, d: number): void {
  for (let c = 0; c < k; c++) {
    if (cc[c] === 0) continue;
    counts[c] += cc[c];
    const so = c * d;
    for (let j = 0; j < d; j++) sums[so + j] += cs[so + j];
  }
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
