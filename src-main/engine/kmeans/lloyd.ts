/**
 * One run of Lloyd's algorithm from given centers, as scikit-learn 1.2's _kmeans_single_lloyd:
 * E-step + M-step per iteration, empty clusters relocated to the points farthest from their centers,
 * strict convergence when the labels stop changing, else tol on the total squared center shift,
 * and a final E-step so the labels match the returned centers.
 */
import type { IterationInfo } from '../../../src-shared/model';
import { centerNorms, featureMeans, type FitContext } from './common';

export interface LloydRun {
  /** k × d, raw units. */
  centers: Float64Array;
  labels: Int32Array;
  /** Raw units (× scale² for feature units). */
  inertia: number;
  nIter: number;
  /** Feature units, as reported. */
  history: IterationInfo[];
}

/**
 * @param init k × d initial centers, raw units (not modified).
 * @param tolRaw absolute tolerance on Σ‖Δc‖², raw units (scikit-learn's _tolerance × 1/scale²).
 * @param run index of this initialisation, for progress; fractions are computed as (run·maxIter + it)/(nRuns·maxIter).
 */
export async function lloydRun(
  ctx: FitContext,
  init: Float64Array,
  k: number,
  maxIter: number,
  tolRaw: number,
  run: number,
  nRuns: number,
): Promise<LloydRun> {
  const { data, n, d, kernel, rowNorms } = ctx;
  const s2 = ctx.scale * ctx.scale;
  let centers = Float64Array.from(init);
  let centersNew = new Float64Array(k * d);
  const norms = new Float64Array(k);
  const counts = new Float64Array(k);
  const labels = new Int32Array(n).fill(-1);
  const labelsOld = new Int32Array(n).fill(-1);
  const history: IterationInfo[] = [];
  let strict = false;
  let it = 0;
  let mean: Float64Array | null = null;

  for (it = 0; it < maxIter; it++) {
    await ctx.checkpoint();
    centerNorms(centers, k, d, norms);
    centersNew.fill(0);
    counts.fill(0);
    const inertia = kernel.assign({
      data, d, rowNorms, start: 0, end: n, centers, centerNorms: norms, k, labels, sums: centersNew, counts,
      bounds: it === 0 ? 'fresh' : 'keep',
    });
    relocateEmptyClusters(ctx, centers, centersNew, counts, labels, k);
    for (let c = 0; c < k; c++) {
      const b = c * d;
      if (counts[c] > 0) {
        const inv = 1 / counts[c];
        for (let j = 0; j < d; j++) centersNew[b + j] *= inv;
      } else {
        // scikit-learn leaves an empty cluster (only possible with duplicate points) at 0 of its mean-centered data
        mean ??= featureMeans(data, n, d);
        centersNew.set(mean, b);
      }
    }
    let shift = 0;
    for (let i = 0; i < k * d; i++) {
      const t = centersNew[i] - centers[i];
      shift += t * t;
    }
    [centers, centersNew] = [centersNew, centers];

    const info: IterationInfo = { run, iteration: it + 1, inertia: inertia * s2, centerShift: shift * s2 };
    history.push(info);
    ctx.onProgress?.({ ...info, fraction: (run * maxIter + it + 1) / (nRuns * maxIter) });

    if (equal(labels, labelsOld)) {
      strict = true;
      break;
    }
    if (shift <= tolRaw) break;
    labelsOld.set(labels);
  }
  const nIter = Math.min(it + 1, maxIter);

  if (!strict) {
    centerNorms(centers, k, d, norms);
    kernel.assign({ data, d, rowNorms, start: 0, end: n, centers, centerNorms: norms, k, labels, bounds: 'keep' });
  }
  const inertia = kernel.labelledInertia(data, d, centers, labels, 0, n);
  return { centers, labels, inertia, nIter, history };
}

/**
 * scikit-learn's _relocate_empty_clusters_dense: each empty cluster takes the point farthest from its
 * (old) center, removing it from its cluster's sums. Farthest first, ties by lowest row index
 * (scikit-learn's argpartition leaves that order unspecified). Labels are not changed.
 * @param sums k × d per-cluster sums (raw units), updated in place; counts likewise.
 */
function relocateEmptyClusters(
  ctx: FitContext,
  centersOld: Float64Array,
  sums: Float64Array,
  counts: Float64Array,
  labels: Int32Array,
  k: number,
): void {
  const empty: number[] = [];
  for (let c = 0; c < k; c++) if (counts[c] === 0) empty.push(c);
  if (empty.length === 0) return;
  const { data, n, d } = ctx;
  const dist = new Float64Array(n);
  let max = 0;
  for (let i = 0; i < n; i++) {
    const b = i * d;
    const cb = labels[i] * d;
    let s = 0;
    for (let j = 0; j < d; j++) {
      const t = data[b + j] - centersOld[cb + j];
      s += t * t;
    }
    dist[i] = s;
    if (s > max) max = s;
  }
  // more clusters than distinct points: relocating is pointless
  if (max === 0) return;
  const far = farthest(dist, empty.length);
  for (let e = 0; e < empty.length; e++) {
    const i = far[e];
    const to = empty[e];
    const from = labels[i];
    const b = i * d;
    for (let j = 0; j < d; j++) {
      sums[from * d + j] -= data[b + j];
      sums[to * d + j] = data[b + j];
    }
    counts[to] = 1;
    counts[from] -= 1;
  }
}

/** Indices of the m largest values, largest first, ties by lowest index. */
function farthest(dist: Float64Array, m: number): number[] {
  const out: number[] = [];
  if (m <= 8) {
    const taken = new Set<number>();
    for (let e = 0; e < m; e++) {
      let best = -1;
      for (let i = 0; i < dist.length; i++) {
        if (!taken.has(i) && (best < 0 || dist[i] > dist[best])) best = i;
      }
      taken.add(best);
      out.push(best);
    }
    return out;
  }
  const idx = Array.from({ length: dist.length }, (_, i) => i);
  idx.sort((a, b) => dist[b] - dist[a] || a - b);
  return idx.slice(0, m);
}

function equal(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
