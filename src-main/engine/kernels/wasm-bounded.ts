/**
 * Bounded assignment across Lloyd iterations on the WASM kernel, with Elkan's bounds (k ≤ MAX_ELKAN_K and n × k
 * float64 within MAX_ELKAN_BYTES), else Yinyang's group bounds (n × k/10), else Hamerly's: while the same (uint8, cached) data and k come back, each row's label and
 * bounds, the per-cluster integer sums and the previous centers are kept (WasmStaging.bound); rows whose bounds
 * prove their center is still the nearest are skipped. The result is the same assignment as a full pass.
 */
import { L, Program, Y } from './programs';
import type { AssignArgs } from './types';
import { CHUNK, nTasks, sumPartials, type CenterGroups, type Staged, type WasmStaging } from './wasm-staging';

/**
 * Up to this many clusters (and MAX_ELKAN_BYTES of bounds) the bounded assignment keeps Elkan's k lower bounds a
 * row, above Hamerly's one. On the 70k MNIST digits Elkan's bounds took k = 100 from about 19 s to 12 s and
 * k = 200 from about 120 s to 24 s (CLI fits, seed 0, same 129 / 120 iterations and inertia). At k = 500 on the
 * first 10,000 digits (seed 0, 17 iterations, same inertia) the assignments took 2.1 s with Elkan's bounds against
 * 6.8 s with Hamerly's, which re-screens most rows at that k; so Elkan's run up to k = 1024 now.
 */
export const MAX_ELKAN_K = 1024;
/** Centers per group of Yinyang's bounds (t = round(k / YINYANG_GROUP_SIZE) groups, Ding et al.'s k / 10). */
export const YINYANG_GROUP_SIZE = 10;
/** Lloyd iterations of the grouping of the centers (Ding et al.: 5; the grouping changes the speed, never the labels). */
const GROUPING_ITERATIONS = 5;
/** Elkan's n × k float64 lower bounds at most this large (70,000 × 500 rows: 280 MB; 70,000 × 1024: 573 MB is over). */
export const MAX_ELKAN_BYTES = 384 * 2 ** 20;
/** Centers per task of the center-to-center distances (the tasks near c = 0 have the most pairs: small tasks balance). */
const CENTER_PAIR_ROWS = 4;
/**
 * The half distances between centers are recomputed once the mean center shift summed since they were exact
 * reaches this fraction of their mean (until then they are kept as lower bounds, see assignBounded).
 */
const CC_REFRESH = 0.05;
/** Rows per task of Elkan's bounded iterations. */
const ELKAN_CHUNK = 2048;
/** Rows re-screened by the last bounded assignment (for benchmarks and tests). */
let lastScreened = 0;
export function lastScreenedRows(): number {
  return lastScreened;
}
/** Which bounds the last bounded assignment kept (for benchmarks and tests). */
let lastKind: 'yinyang' | 'elkan' | 'hamerly' | null = null;
export function lastBoundKind(): 'yinyang' | 'elkan' | 'hamerly' | null {
  return lastKind;
}

/**
 * The k centers (k × d) in t groups by a few Lloyd iterations on the centers themselves from t of them evenly spaced
 * (deterministic; a group may end up empty).
 */
export function groupCenters(centers: Float64Array, k: number, d: number, t: number): CenterGroups {
  const g = new Float64Array(t * d);
  for (let q = 0; q < t; q++) g.set(centers.subarray(Math.floor((q * k) / t) * d, (Math.floor((q * k) / t) + 1) * d), q * d);
  const groupOf = new Int32Array(k);
  const count = new Int32Array(t);
  for (let it = 0; it < GROUPING_ITERATIONS; it++) {
    for (let c = 0; c < k; c++) {
      let best = 0;
      let bd = Infinity;
      for (let q = 0; q < t; q++) {
        let s = 0;
        for (let j = 0; j < d; j++) {
          const v = centers[c * d + j] - g[q * d + j];
          s += v * v;
        }
        if (s < bd) {
          bd = s;
          best = q;
        }
      }
      groupOf[c] = best;
    }
    if (it === GROUPING_ITERATIONS - 1) break;
    count.fill(0);
    const sums = new Float64Array(t * d);
    for (let c = 0; c < k; c++) {
      count[groupOf[c]]++;
      for (let j = 0; j < d; j++) sums[groupOf[c] * d + j] += centers[c * d + j];
    }
    for (let q = 0; q < t; q++) if (count[q] > 0) for (let j = 0; j < d; j++) g[q * d + j] = sums[q * d + j] / count[q];
  }
  const start = new Int32Array(t + 1);
  for (let c = 0; c < k; c++) start[groupOf[c] + 1]++;
  for (let q = 0; q < t; q++) start[q + 1] += start[q];
  const members = new Int32Array(k);
  const fill = start.slice(0, t);
  for (let c = 0; c < k; c++) members[fill[groupOf[c]]++] = c;
  return { t, groupOf, members, start, cum: new Float64Array(t) };
}

export function assignBounded(ws: WasmStaging, a: AssignArgs, s: Staged): number {
  const { d, rowNorms, centers, centerNorms, k, end: n, labels, sums, counts } = a;
  const p = ws.pool();
  const { dp } = s;
  const nGroups = Math.max(1, Math.round(k / (ws.options.yinyangGroupSize ?? YINYANG_GROUP_SIZE)));
  // Elkan's n × k lower bounds where they fit, else Yinyang's n × t, else Hamerly's n
  const elkan = k <= (ws.options.elkanMaxK ?? MAX_ELKAN_K) && n * k * 8 <= MAX_ELKAN_BYTES && k < (ws.options.yinyangMinK ?? Infinity);
  const yinyang = !elkan && ws.options.yinyang !== false && n * nGroups * 8 <= MAX_ELKAN_BYTES;
  const first = a.bounds === 'fresh' || ws.bound === null || ws.bound.k !== k || ws.bound.d !== d || ws.bound.n !== n ||
    (ws.bound.groups !== null) !== yinyang || (ws.bound.groups !== null && ws.bound.groups.t !== nGroups);
  const labOff = p.alloc('hb:labels', n * 4 + 64);
  const upOff = p.alloc('hb:upper', n * 8 + 64);
  const loOff = p.alloc('hb:lower', n * (yinyang ? nGroups : elkan ? k : 1) * 8 + 64);
  const ccOff = p.alloc('hb:cc', k * k * 8 + 64);
  const shiftOff = p.alloc('hb:shift', k * 8 + 64);
  const halfOff = p.alloc('hb:half', (k + 1) * 8 + 64);
  const shift = p.f64(shiftOff, k);
  const half = p.f64(halfOff, k);
  let max1 = 0;
  let max2 = 0;
  let argMax = -1;
  // relative error bound of a float64 Euclidean distance over d features (a sum of d squares, then √)
  const relErr = Math.max(1e-12, (d + 8) * 2 ** -52);
  // the centers' float64 copy in the shared memory first: the shifts, center pairs and screening read it
  const [c64, cn64] = ws.stageCenters(centers, centerNorms, k, d);
  if (first) {
    // the previous centers and the kept integer sums live in the shared memory (the kernel's k × d loops read them)
    const prevOff = p.alloc('hb:prev', k * d * 8 + 64);
    const sumsKeptOff = p.alloc('hb:kept-sums', k * d * 8 + 64);
    const countsKeptOff = p.alloc('hb:kept-counts', k * 8 + 64);
    p.kernels.zeroBytes(prevOff, k * d * 8);
    p.kernels.zeroBytes(sumsKeptOff, k * d * 8);
    p.kernels.zeroBytes(countsKeptOff, k * 8);
    ws.bound = {
      k, d, n, sums: p.f64(sumsKeptOff, k * d), counts: p.f64(countsKeptOff, k),
      kept: { prev: prevOff, sums: sumsKeptOff, counts: countsKeptOff }, cum: new Float64Array(k),
      iterations: 0, normSum: 0, normSumOf: null, ccAge: 0, ccMean: 0, groups: yinyang ? groupCenters(centers, k, d, nGroups) : null,
    };
    shift.fill(0);
  } else {
    p.kernels.centerShifts(c64, (ws.bound as NonNullable<typeof ws.bound>).kept.prev, k, d, relErr, shiftOff);
    for (let c = 0; c < k; c++) {
      const sh = shift[c];
      if (sh > max1) {
        max2 = max1;
        max1 = sh;
        argMax = c;
      } else if (sh > max2) max2 = sh;
    }
  }
  const st = ws.bound as NonNullable<typeof ws.bound>;
  // half the distance from each center to its nearest other center (rounded down a little)
  half.fill(Infinity);
  // the k × k half distances between centers are lower bounds only (the bounds' tests hold with any lower bound):
  // once the centers move little they are kept, each less half the two centers' shifts (‖c' − e'‖ ≥ ‖c − e‖ −
  // shift_c − shift_e), instead of k² d products a pass; recomputed when the mean shift summed since they were
  // exact reaches CC_REFRESH of their mean
  let meanShift = 0;
  for (let c = 0; c < k; c++) meanShift += shift[c] / k;
  const exactPairs = first || st.ccAge + meanShift > CC_REFRESH * st.ccMean;
  if (exactPairs) {
    // ‖c − e‖² of every pair on the threads (assembly centerPairs: four pairs a pass, rows of CENTER_PAIR_ROWS
    // centers a task), then halved and rounded down here
    const pp = ws.setCommon(s, d, 0, k);
    pp[L.CHUNK] = CENTER_PAIR_ROWS;
    pp[L.C64] = c64;
    pp[L.K] = k;
    pp[L.OUT] = ccOff;
    p.runSync(Program.CenterPairs, nTasks(0, k, CENTER_PAIR_ROWS), ws.threadsFor((k * k * d) / 2));
  } else {
    st.ccAge += meanShift;
  }
  // halved, rounded down, both triangles, +∞ on the diagonal (the assembly's four-at-a-time tests read it for the
  // best center, which they skip), and each center's smallest in half
  const halfSum = p.kernels.halfDistances(ccOff, shiftOff, k, exactPairs ? 1 : 0, relErr, halfOff);
  if (exactPairs) {
    const m = p.f64(halfOff, k + 1)[k];
    st.ccMean = m > 0 ? halfSum / m : 0;
    st.ccAge = 0;
  }
  p.bytes().copyWithin(st.kept.prev, c64, c64 + k * d * 8);
  // Elkan's bounds are kept shifted by the centers' summed shifts (assembly assignElkan), not rewritten every iteration
  if (!first) {
    for (let c = 0; c < k; c++) st.cum[c] += shift[c];
    st.iterations++;
  }
  const cumOff = p.alloc('hb:cum', k * 8 + 64);
  const gr = st.groups;
  let gshiftOff = 0;
  if (gr !== null) {
    // Yinyang's bounds are kept shifted by each group's largest center shift, summed
    gshiftOff = p.alloc('hb:gshift', gr.t * 8 + 64);
    const gshift = p.f64(gshiftOff, gr.t);
    gshift.fill(0);
    for (let c = 0; c < k; c++) if (shift[c] > gshift[gr.groupOf[c]]) gshift[gr.groupOf[c]] = shift[c];
    if (!first) for (let g = 0; g < gr.t; g++) gr.cum[g] += gshift[g];
    p.f64(cumOff, gr.t).set(gr.cum);
  } else {
    p.f64(cumOff, k).set(st.cum);
  }

  ws.stageScreening(s, centers, centerNorms, k, d);
  const xn = ws.stageAllNorms(rowNorms, n);
  const actors = p.threads + 1;
  const { sumsOff, sumsStride, countsOff, countsStride } = ws.perActorSums(k, dp, 4);
  const [scr, scrStride] = ws.scratch(2 * dp * 4 + (k + 8) * 8 + 64);

  const params = ws.setCommon(s, d, 0, n);
  ws.setScreening(params, d, k);
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
  params[L.CUM] = cumOff;
  params[L.CUM_EPS] = (st.iterations + 4) * 2 ** -52;
  params[L.MASKS] = s.masks;
  if ((elkan || yinyang) && !first && s.l1 !== 0) ws.stageQuantized(params, s, k, d);
  if (gr !== null) {
    const gOff = p.alloc('hb:group-of', k * 4 + 64);
    const mOff = p.alloc('hb:members', k * 4 + 64);
    const sOff = p.alloc('hb:group-start', (gr.t + 1) * 4 + 64);
    p.i32(gOff, k).set(gr.groupOf);
    p.i32(mOff, k).set(gr.members);
    p.i32(sOff, gr.t + 1).set(gr.start);
    params[Y.GROUP_OF] = gOff;
    params[Y.MEMBERS] = mOff;
    params[Y.GSTART] = sOff;
    params[Y.T] = gr.t;
    params[Y.GSHIFT] = gshiftOff;
  }
  params[L.SUMS] = sumsOff;
  params[L.SUMS_STRIDE] = sumsStride;
  params[L.COUNTS] = countsOff;
  params[L.COUNTS_STRIDE] = countsStride;
  params[L.SCRATCH] = scr;
  params[L.SCRATCH_STRIDE] = scrStride;
  // Elkan's first pass: the tiled full assignment, writing the bounds too
  const program = yinyang ? Program.AssignYinyang : elkan ? (first ? Program.Assign : Program.AssignElkan) : Program.AssignBounded;
  // Elkan's and Yinyang's iterations skip most rows: larger tasks, so the per-task cost (a call with 29 arguments,
  // two atomics) does not dominate
  const chunk = program === Program.AssignElkan || (yinyang && !first) ? ELKAN_CHUNK : CHUNK;
  params[L.CHUNK] = chunk;
  const partial = p.runSync(program, nTasks(0, n, chunk), ws.threadsFor(n * k * d));
  lastScreened = program === Program.Assign ? n : sumPartials(partial);
  lastKind = yinyang ? 'yinyang' : elkan ? 'elkan' : 'hamerly';

  // per-thread deltas into the kept integer sums
  p.kernels.mergeActorSums(sumsOff, sumsStride, countsOff, countsStride, actors, k, d, dp, st.kept.sums, st.kept.counts);
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
  total = p.kernels.sumsInertia(total, c64, cn64, st.kept.sums, st.kept.counts, k, d);
  return total > 0 ? total : 0;
}
