/**
 * Mini-batch K-means as scikit-learn 1.2's MiniBatchKMeans.fit:
 * - a validation set of initSize rows (with replacement); each of nInit inits runs k-means++ / random on its
 *   own initSize random rows and the one with the lowest validation inertia is kept;
 * - ⌊maxIter · n / batchSize⌋ steps, each on batchSize rows drawn with replacement: assign, then move each center
 *   to the running mean of every point it has received (per-center counts = learning rate 1/count);
 * - random reassignment of centers whose count is below reassignmentRatio × the largest count, checked when
 *   some center is still empty or ≥ 10·k samples were seen since the last check;
 * - early stop when the exponentially weighted average of the batch inertia per sample has not improved for
 *   maxNoImprovement steps, or (tol > 0) when Σ‖Δc‖² ≤ tol · mean feature variance;
 * - a final full pass for labels and inertia (uint8 data: the inertia from that pass's exact cluster sums unless
 *   they may cancel, see below).
 * Raw units throughout.
 */
import type { IterationInfo, KMeansParams, KMeansResult } from '../../../src-shared/model';
import type { Rng } from '../rng';
import { centerNorms, rowsAsCenters, type FitContext } from './common';
import { initIndices } from './init';
import { numpyArgsort } from '../numpy-argsort';

/** The fit; its centers and inertia are in raw units (the caller scales them). */
export async function miniBatchFit(
  ctx: FitContext,
  p: KMeansParams,
  nInit: number,
  tolRaw: number,
  rng: Rng,
  initRaw: Float64Array | null,
): Promise<KMeansResult> {
  const { data, n, d, kernel, rowNorms } = ctx;
  const k = p.k;
  const s2 = ctx.scale * ctx.scale;
  const batchSize = Math.min(p.batchSize, n);
  let initSize = p.initSize ?? 3 * batchSize;
  if (initSize < k) initSize = 3 * k;
  initSize = Math.min(initSize, n);

  // validation set, drawn first as scikit-learn does
  const validIdx = randomRows(kernel, rng, n, initSize);
  const validLabels = new Int32Array(initSize);
  const norms = new Float64Array(k);

  let centers: Float64Array | null = null;
  let bestValid = Infinity;
  let bestRun = 0;
  for (let run = 0; run < nInit; run++) {
    await ctx.checkpoint();
    const runRng = rng; // one stream for the whole fit, as scikit-learn
    let cand: Float64Array;
    if (initRaw) {
      if (initSize < n) randInts(runRng, n, initSize); // scikit-learn draws the init subset even for given centers
      cand = Float64Array.from(initRaw);
    } else if (initSize < n) {
      const sub = randomRows(kernel, runRng, n, initSize);
      const picked = initOnSubsample(p.init, data, d, rowNorms, k, runRng, kernel, sub);
      cand = rowsAsCenters(data, d, Array.from(picked, (pos) => sub[pos]));
    } else {
      cand = rowsAsCenters(data, d, initIndices(p.init, data, n, d, rowNorms, k, runRng, kernel));
    }
    centerNorms(cand, k, d, norms);
    const inertia = kernel.assign({
      data, rows: validIdx, d, rowNorms, start: 0, end: initSize, centers: cand, centerNorms: norms, k, labels: validLabels,
    });
    if (centers === null || inertia < bestValid) {
      centers = cand;
      bestValid = inertia;
      bestRun = run;
    }
  }
  let cur: Float64Array = centers as Float64Array;
  let next: Float64Array = new Float64Array(k * d);

  const counts = new Float64Array(k);
  const batchSums = new Float64Array(k * d);
  const batchCounts = new Float64Array(k);
  const batchLabels = new Int32Array(batchSize);
  const history: IterationInfo[] = [];
  let ewa: number | null = null;
  let ewaMin: number | null = null;
  let noImprovement = 0;
  let sinceReassign = 0;
  const nSteps = Math.max(1, Math.floor((p.maxIter * n) / batchSize));
  const stepRng = rng;
  const alpha = Math.min((batchSize * 2) / (n + 1), 1);

  let step = 0;
  for (step = 0; step < nSteps; step++) {
    await ctx.checkpoint();
    const idx = randomRows(kernel, stepRng, n, batchSize);

    // decided on the counts before this step's update (scikit-learn evaluates it as an argument)
    sinceReassign += batchSize;
    let reassign = false;
    if (counts.some((c) => c === 0) || sinceReassign >= 10 * k) {
      sinceReassign = 0;
      reassign = true;
    }

    if (step === 0) centerNorms(cur, k, d, norms);
    // the kernel's fused step where it has one (the same values), else its assign and the update here
    const fused = kernel.miniBatchStep?.({
      data, rows: idx, d, rowNorms, start: 0, end: batchSize, centers: cur, centerNorms: norms, k, labels: batchLabels, next, counts,
    }) ?? null;
    let batchInertia: number;
    let shift: number;
    if (fused !== null) {
      batchInertia = fused.inertia;
      shift = fused.shift;
    } else {
      batchSums.fill(0);
      batchCounts.fill(0);
      batchInertia = kernel.assign({
        data, rows: idx, d, rowNorms, start: 0, end: batchSize, centers: cur, centerNorms: norms, k,
        labels: batchLabels, sums: batchSums, counts: batchCounts,
      });
      shift = moveCenters(cur, next, counts, batchSums, batchCounts, norms, k, d);
    }
    if (reassign && p.reassignmentRatio > 0 && randomReassign(next, counts, data, idx, d, k, p.reassignmentRatio, stepRng)) {
      // some centers jumped to batch rows: norms and shift from scratch
      centerNorms(next, k, d, norms);
      shift = 0;
      for (let i = 0; i < k * d; i++) {
        const t = next[i] - cur[i];
        shift += t * t;
      }
    }
    const swap = cur;
    cur = next;
    next = swap;

    // convergence monitoring (scikit-learn's _mini_batch_convergence); the first step is the init's inertia
    const perSample = batchInertia / batchSize;
    let stop = false;
    if (step > 0) {
      ewa = ewa === null ? perSample : ewa * (1 - alpha) + perSample * alpha;
      if (tolRaw > 0 && shift <= tolRaw) stop = true;
      else {
        if (ewaMin === null || ewa < ewaMin) {
          noImprovement = 0;
          ewaMin = ewa;
        } else noImprovement++;
        if (noImprovement >= p.maxNoImprovement) stop = true;
      }
    }
    const info: IterationInfo = { run: bestRun, iteration: step + 1, inertia: (ewa ?? perSample) * s2, centerShift: shift * s2 };
    history.push(info);
    ctx.onProgress?.({ ...info, fraction: (step + 1) / nSteps });
    if (stop) break;
  }
  const nIter = Math.min(step + 1, nSteps);

  await ctx.checkpoint();
  const labels = new Int32Array(n);
  centerNorms(cur, k, d, norms);
  let inertia: number;
  if (data instanceof Uint8Array) {
    // integer data: the pass's Σ dist (from the exact cluster sums, Σ‖x‖² + Σ_c (n_c‖c‖² − 2c·S_c), on the WASM
    // kernel) saves a second pass over the data, unless it may cancel badly: its rounding error is at most
    // about (2d + k + 8)·2⁻⁵³·(Σ‖x‖² + Σ_c n_c‖c‖²), which tight clusters (few features, values far from 0)
    // make large against the inertia; then the direct Σ‖x − c‖²
    const counts = new Float64Array(k);
    inertia = kernel.assign({
      data, d, rowNorms, start: 0, end: n, centers: cur, centerNorms: norms, k, labels,
      sums: new Float64Array(k * d), counts,
    });
    let scaleOfTerms = 0;
    for (let i = 0; i < n; i++) scaleOfTerms += rowNorms[i];
    for (let c = 0; c < k; c++) scaleOfTerms += counts[c] * norms[c];
    if ((2 * d + k + 8) * 2 ** -53 * scaleOfTerms > 1e-12 * inertia) inertia = kernel.labelledInertia(data, d, cur, labels, 0, n);
  } else {
    kernel.assign({ data, d, rowNorms, start: 0, end: n, centers: cur, centerNorms: norms, k, labels, total: false });
    inertia = kernel.labelledInertia(data, d, cur, labels, 0, n);
  }
  return { centers: cur, labels, inertia, nIter, bestRun, history };
}

/**
 * One step's update (scikit-learn's _update_center): each center that received batch rows moves to the running
 * mean of every row it has received, (c · n_old + Σ batch rows) / (n_old + n_batch), into next; the others are
 * copied. Also sets the moved centers' squared norms and counts. Returns the squared shift Σ‖next − cur‖².
 * (The WASM kernel's miniBatchStep does the same on its exact sums, assembly/centers.ts miniBatchUpdate.)
 * A function of its own (not inlined in the async fit loop), so that V8 optimizes it within the first steps of
 * a fresh process.
 */
function moveCenters(
  cur: Float64Array,
  next: Float64Array,
  counts: Float64Array,
  batchSums: Float64Array,
  batchCounts: Float64Array,
  norms: Float64Array,
  k: number,
  d: number,
): number {
  let shift = 0;
  for (let c = 0; c < k; c++) {
    const b = c * d;
    if (batchCounts[c] > 0) {
      const old = counts[c];
      const total = old + batchCounts[c];
      const inv = 1 / total;
      let nrm = 0;
      for (let j = b; j < b + d; j++) {
        const v = (cur[j] * old + batchSums[j]) * inv;
        next[j] = v;
        nrm += v * v;
        const t = v - cur[j];
        shift += t * t;
      }
      norms[c] = nrm;
      counts[c] = total;
    } else {
      for (let j = b; j < b + d; j++) next[j] = cur[j];
    }
  }
  return shift;
}

/**
 * scikit-learn's low-count reassignment: centers with count < ratio · max count (at most half a batch of them,
 * the lowest counts first) move to distinct random rows of the batch (data rows `batch`); their counts become the smallest
 * count among the centers that stay. Returns whether any center moved.
 */
function randomReassign(
  centers: Float64Array,
  counts: Float64Array,
  data: ArrayLike<number>,
  batch: Int32Array,
  d: number,
  k: number,
  ratio: number,
  rng: Rng,
): boolean {
  const m = batch.length;
  let max = 0;
  for (let c = 0; c < k; c++) if (counts[c] > max) max = counts[c];
  const limit = ratio * max;
  let to: number[] = [];
  for (let c = 0; c < k; c++) if (counts[c] < limit) to.push(c);
  if (to.length > 0.5 * m) {
    const keep = Math.floor(0.5 * m);
    // scikit-learn: to_reassign[np.argsort(weight_sums)[keep:]] = False, in NumPy's order among equal counts
    const allowed = new Set(numpyArgsort(counts).subarray(0, keep));
    to = to.filter((c) => allowed.has(c));
  }
  if (to.length === 0) return false;
  const rows = rng.sampleWithoutReplacement(m, to.length);
  const moved = new Set(to);
  let minStay = Infinity;
  for (let c = 0; c < k; c++) if (!moved.has(c) && counts[c] < minStay) minStay = counts[c];
  for (let e = 0; e < to.length; e++) {
    const c = to[e];
    const b = batch[rows[e]] * d;
    for (let j = 0; j < d; j++) centers[c * d + j] = data[b + j];
    if (Number.isFinite(minStay)) counts[c] = minStay;
  }
  return true;
}

/**
 * The init's positions among the subsample's rows (data rows sub[0 … m)). uint8 rows are first gathered into a matrix
 * of their own, so that k-means++ takes the kernel's whole-matrix forms (one threaded pass per step, or the
 * projection bounds from k = 41 on) instead of a distances call and JS sums per step: the same picks, since every
 * distance and potential on uint8 rows is an exact integer in both. Other rows are read in place.
 */
function initOnSubsample(
  method: KMeansParams['init'],
  data: Float64Array | Float32Array | Uint8Array,
  d: number,
  rowNorms: Float64Array,
  k: number,
  rng: Rng,
  kernel: FitContext['kernel'],
  sub: Int32Array,
): Int32Array {
  const m = sub.length;
  if (!(data instanceof Uint8Array) || method !== 'k-means++') return initIndices(method, data, m, d, rowNorms, k, rng, kernel, sub);
  const rows = new Uint8Array(m * d);
  const norms = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const r = sub[i];
    rows.set(data.subarray(r * d, r * d + d), i * d);
    norms[i] = rowNorms[r];
  }
  return initIndices(method, rows, m, d, norms, k, rng, kernel);
}

/** m integers uniform in [0, n), with replacement (numpy's randint(0, n, m)). */
function randInts(rng: Rng, n: number, m: number): Int32Array {
  return rng.randInts(n, m);
}

/** randInts, drawn on the kernel where it can (the same values and the same stream after them). */
function randomRows(kernel: FitContext['kernel'], rng: Rng, n: number, m: number): Int32Array {
  return kernel.randomRows?.(rng, n, m) ?? randInts(rng, n, m);
}
