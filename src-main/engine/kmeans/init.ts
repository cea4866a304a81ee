/**
 * Initial centers: scikit-learn's greedy k-means++ and 'random' (k distinct rows), drawn with our seeded Rng.
 * Same algorithms and the same draws as scikit-learn 1.2 (_kmeans_plusplus, _init_centroids): our Rng is numpy's
 * RandomState, so a seed picks the same rows as random_state=seed (up to floating-point near-ties in k-means++).
 */
import type { InitMethod } from '../../../src-shared/model';
import type { DistanceArgs, LloydKernel, RowData } from '../kernels/types';
import type { Rng } from '../rng';
import { rowsAsCenters } from './common';

/**
 * k-means++ with n_local_trials = 2 + ⌊ln k⌋: each new center is the best (lowest potential) of that many
 * candidates sampled with probability ∝ squared distance to the closest chosen center.
 * @param rowNorms ‖x_i‖² of the rows of data (raw units), indexed by data row.
 * @param rows optional: the m candidate rows are data rows rows[0 … m) (a subsample), else rows 0 … m − 1.
 * @returns positions (among the m) of the k chosen rows.
 */
export function kmeansPlusPlus(
  data: RowData,
  m: number,
  d: number,
  rowNorms: Float64Array,
  k: number,
  rng: Rng,
  kernel: LloydKernel,
  rows?: Int32Array,
): Int32Array {
  const row = (pos: number): number => (rows === undefined ? pos : rows[pos]);
  const nTrials = 2 + Math.floor(Math.log(k));
  const chosen = new Int32Array(k).fill(-1);
  const first = rng.nextInt(m); // random_state.randint(n_samples)
  chosen[0] = first;

  let closest: Float64Array = new Float64Array(m);
  const firstCenter = rowsAsCenters(data, d, [row(first)]);
  kernel.distances({
    data, rows, d, rowNorms, start: 0, end: m,
    centers: firstCenter, centerNorms: Float64Array.of(rowNorms[row(first)]), k: 1, out: closest,
  });
  let pot = sum(closest);
  const whole = rows === undefined && rowNorms.length === m;
  // the kernel's whole-run form where it applies (the same values, with most pairs skipped by bounds)
  const session = whole && k > 1 ? kernel.kmeansPlusPlusSession?.({
    data, d, rowNorms, closest, trials: nTrials, steps: k - 1,
  }) ?? null : null;

  const cumsum = new Float64Array(m);
  const candIds = new Int32Array(nTrials);
  const candNorms = new Float64Array(nTrials);
  const dist = new Float64Array(m * nTrials);
  let nextClosest: Float64Array = new Float64Array(m);
  for (let c = 1; c < k; c++) {
    if (session !== null) closest = session.closest();
    // random_state's draws against stable_cumsum(closest): the session's own running sums where it keeps them
    let running: Float64Array = cumsum;
    if (session?.cumulative !== undefined) running = session.cumulative();
    else runningSums(closest, m, cumsum);
    for (let t = 0; t < nTrials; t++) {
      const r = rng.nextFloat() * pot; // random_state.uniform(size=n_local_trials) * current_pot
      candIds[t] = Math.min(searchSorted(running, r), m - 1);
      candNorms[t] = rowNorms[row(candIds[t])];
    }
    if (session !== null) {
      const pots = session.trials(candIds, candNorms);
      const bestT = argMin(pots);
      session.commit(bestT);
      pot = pots[bestT];
      chosen[c] = candIds[bestT];
      continue;
    }
    const centers = rowsAsCenters(data, d, Array.from(candIds, row));
    // the kernel's one-pass form where it applies (the same values and sums), else distances and row-order sums
    const fused = whole ? kernel.kmeansPlusPlusTrials?.({
      data, d, rowNorms, centers, centerNorms: candNorms, k: nTrials, candidateRows: candIds, closest, out: dist,
    }) ?? null : null;
    const pots = fused ?? trialPotentials(kernel, { data, rows, d, rowNorms, start: 0, end: m, centers, centerNorms: candNorms, k: nTrials, out: dist }, closest, nTrials);
    const bestT = argMin(pots);
    const bestPot = pots[bestT];
    keepCloser(dist, nTrials, bestT, closest, m, nextClosest);
    [closest, nextClosest] = [nextClosest, closest];
    pot = bestPot;
    chosen[c] = candIds[bestT];
  }
  return chosen;
}

/**
 * Positions of the initial centers among the m rows (data rows 0 … m − 1, or rows[0 … m) when given), by the given
 * method ('random': permutation(m)[:k]).
 */
export function initIndices(
  method: InitMethod,
  data: RowData,
  m: number,
  d: number,
  rowNorms: Float64Array,
  k: number,
  rng: Rng,
  kernel: LloydKernel,
  rows?: Int32Array,
): Int32Array {
  return method === 'k-means++' ? kmeansPlusPlus(data, m, d, rowNorms, k, rng, kernel, rows) : rng.sampleWithoutReplacement(m, k);
}

/**
 * Each candidate's potential Σ_i min(‖x_i − c_t‖², closest[i]) in row order, from the kernel's distances (written
 * to a.out, m × nTrials); up to four candidates per pass over the rows.
 */
function trialPotentials(kernel: LloydKernel, a: DistanceArgs, closest: Float64Array, nTrials: number): Float64Array {
  kernel.distances(a);
  const dist = a.out;
  const m = a.end;
  const pots = new Float64Array(nTrials);
  for (let t0 = 0; t0 < nTrials; t0 += 4) {
    const nt = Math.min(4, nTrials - t0);
    let p0 = 0;
    let p1 = 0;
    let p2 = 0;
    let p3 = 0;
    for (let i = 0, o = t0; i < m; i++, o += nTrials) {
      const cl = closest[i];
      const v0 = dist[o];
      p0 += v0 < cl ? v0 : cl;
      if (nt > 1) {
        const v1 = dist[o + 1];
        p1 += v1 < cl ? v1 : cl;
      }
      if (nt > 2) {
        const v2 = dist[o + 2];
        p2 += v2 < cl ? v2 : cl;
      }
      if (nt > 3) {
        const v3 = dist[o + 3];
        p3 += v3 < cl ? v3 : cl;
      }
    }
    pots[t0] = p0;
    if (nt > 1) pots[t0 + 1] = p1;
    if (nt > 2) pots[t0 + 2] = p2;
    if (nt > 3) pots[t0 + 3] = p3;
  }
  return pots;
}

/**
 * out[i] = closest[0] + … + closest[i], added in row order (numpy's cumsum), for i < m. This loop and keepCloser are
 * functions of their own so that V8 optimizes them within the first steps of a fresh process.
 */
function runningSums(closest: Float64Array, m: number, out: Float64Array): void {
  let acc = 0;
  for (let i = 0; i < m; i++) {
    acc += closest[i];
    out[i] = acc;
  }
}

/** out[i] = min(dist[i·nTrials + t], closest[i]) for i < m: each row's potential once trial t is chosen. */
function keepCloser(dist: Float64Array, nTrials: number, t: number, closest: Float64Array, m: number, out: Float64Array): void {
  for (let i = 0; i < m; i++) {
    const v = dist[i * nTrials + t];
    out[i] = v < closest[i] ? v : closest[i];
  }
}

/** Position of the first smallest value below Infinity (0 when there is none; NaN never wins). */
function argMin(a: Float64Array): number {
  let best = 0;
  let bestValue = Infinity;
  for (let t = 0; t < a.length; t++) {
    if (a[t] < bestValue) {
      bestValue = a[t];
      best = t;
    }
  }
  return best;
}

/** numpy.searchsorted(a, v, side='left'): first index i with a[i] ≥ v (a non-decreasing). */
function searchSorted(a: Float64Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function sum(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}
