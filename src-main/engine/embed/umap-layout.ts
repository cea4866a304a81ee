/**
 * UMAP's graph and layout, as umap-js 1.4 computes them (the same steps, constants and random draws, in the same
 * order), over typed arrays instead of umap-js' Map-based sparse matrices and arrays of arrays, which took minutes at
 * 70,000 rows. test/engine/umap-layout.test.ts checks that both give the same map for the same k-NN and seed.
 *
 * - Graph (umap-js fuzzySimplicialSet, local connectivity 1, bandwidth 1, set-op mix ratio 1): per row ρ (the
 *   nearest non-zero distance) and σ (binary search, 64 steps, for Σ exp(−(d − ρ)/σ) = log₂ k), memberships
 *   exp(−(d − ρ)/σ), symmetrised as P + Pᵀ − P∘Pᵀ; edges below max / nEpochs are dropped.
 * - Layout (umap-js optimizeLayoutStep): uniform initial coordinates in [−10, 10), SGD with UMAP's curve
 *   1 / (1 + a d^(2b)) (a, b fitted to spread 1 and minDist by umap-js' findABParams), gradients clipped to ±4,
 *   5 negative samples per positive one, learning rate 1 decaying linearly, repulsion strength 1; each edge is
 *   sampled in proportion to its weight.
 */
// findABParams is not re-exported by umap-js' index
import { findABParams } from 'umap-js/dist/umap';
import type { Knn } from './knn';

const SMOOTH_K_TOLERANCE = 1e-5;
const MIN_K_DIST_SCALE = 1e-3;
const SMOOTH_K_ITERATIONS = 64;
const NEGATIVE_SAMPLE_RATE = 5;
const CLIP = 4;

/** The sampled edges of the fuzzy graph, in (tail, head) order: tail the row, head the column. */
export interface UmapGraph {
  n: number;
  head: Int32Array;
  tail: Int32Array;
  /** Epochs between two samples of each edge: max weight / weight. */
  epochsPerSample: Float64Array;
}

/** The symmetric fuzzy graph of a k-NN (row itself first, distances ascending) for a layout of nEpochs. */
export function fuzzyGraph(knn: Knn, n: number, nEpochs: number): UmapGraph {
  const { k, indices, distances } = knn;
  const { sigmas, rhos } = smoothKnnDistance(distances, n, k);
  const member = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let q = 0; q < k; q++) {
      const a = i * k + q;
      const j = indices[a];
      if (j < 0 || j === i) continue;
      const d = distances[a] - rhos[i];
      member[a] = d <= 0 ? 1 : Math.exp(-(d / sigmas[i]));
    }
  }
  // P(j, i): j's list holds at most k entries
  const find = (j: number, i: number): number => {
    for (let q = 0; q < k; q++) if (indices[j * k + q] === i) return j * k + q;
    return -1;
  };
  // the union of P's and Pᵀ's entries, value (p + pᵀ) − p·pᵀ; row counts first, then a CSR per row
  const count = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    for (let q = 0; q < k; q++) {
      const j = indices[i * k + q];
      if (j < 0 || j === i) continue;
      count[i + 1]++;
      if (find(j, i) < 0) count[j + 1]++;
    }
  }
  for (let i = 0; i < n; i++) count[i + 1] += count[i];
  const fill = count.slice(0, n);
  const cols = new Int32Array(count[n]);
  const vals = new Float64Array(count[n]);
  for (let i = 0; i < n; i++) {
    for (let q = 0; q < k; q++) {
      const j = indices[i * k + q];
      if (j < 0 || j === i) continue;
      const p = member[i * k + q];
      const back = find(j, i);
      const pt = back < 0 ? 0 : member[back];
      cols[fill[i]] = j;
      vals[fill[i]++] = p + pt - p * pt;
      if (back < 0) {
        cols[fill[j]] = i;
        vals[fill[j]++] = pt + p - pt * p;
      }
    }
  }
  let max = 0;
  for (const v of vals) if (max < v) max = v;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    sortSegment(cols, vals, count[i], count[i + 1]);
    for (let e = count[i]; e < count[i + 1]; e++) if (vals[e] && !(vals[e] < max / nEpochs)) keep.push(e);
  }
  const head = new Int32Array(keep.length);
  const tail = new Int32Array(keep.length);
  const epochsPerSample = new Float64Array(keep.length);
  let row = 0;
  keep.forEach((e, s) => {
    while (count[row + 1] <= e) row++;
    tail[s] = row;
    head[s] = cols[e];
    epochsPerSample[s] = nEpochs / ((vals[e] / max) * nEpochs);
  });
  return { n, head, tail, epochsPerSample };
}

/** umap-js smoothKNNDistance (local connectivity 1, bandwidth 1): σ and ρ of every row. */
function smoothKnnDistance(distances: Float64Array, n: number, k: number): { sigmas: Float64Array; rhos: Float64Array } {
  const target = Math.log(k) / Math.log(2);
  const rhos = new Float64Array(n);
  const sigmas = new Float64Array(n);
  let meanAll: number | null = null;
  const rowMean = (i: number): number => {
    let s = 0;
    for (let q = 0; q < k; q++) s += distances[i * k + q];
    return s / k;
  };
  for (let i = 0; i < n; i++) {
    const o = i * k;
    let rho = 0;
    for (let q = 0; q < k; q++) {
      if (distances[o + q] > 0) {
        rho = distances[o + q];
        break;
      }
    }
    // no non-zero distance (all neighbours are duplicates): ρ stays 0, as in umap-js
    rhos[i] = rho;
    let lo = 0;
    let hi = Infinity;
    let mid = 1;
    for (let it = 0; it < SMOOTH_K_ITERATIONS; it++) {
      let psum = 0;
      for (let q = 1; q < k; q++) {
        const d = distances[o + q] - rho;
        psum += d > 0 ? Math.exp(-(d / mid)) : 1;
      }
      if (Math.abs(psum - target) < SMOOTH_K_TOLERANCE) break;
      if (psum > target) {
        hi = mid;
        mid = (lo + hi) / 2;
      } else {
        lo = mid;
        mid = hi === Infinity ? mid * 2 : (lo + hi) / 2;
      }
    }
    if (rho > 0) {
      const m = rowMean(i);
      sigmas[i] = mid < MIN_K_DIST_SCALE * m ? MIN_K_DIST_SCALE * m : mid;
    } else {
      if (meanAll === null) {
        let s = 0;
        for (let r = 0; r < n; r++) s += rowMean(r);
        meanAll = s / n;
      }
      sigmas[i] = mid < MIN_K_DIST_SCALE * meanAll ? MIN_K_DIST_SCALE * meanAll : mid;
    }
  }
  return { sigmas, rhos };
}

/** Sorts cols[a … b) ascending, carrying vals (insertion sort: a row has about k to 2k entries). */
function sortSegment(cols: Int32Array, vals: Float64Array, a: number, b: number): void {
  for (let x = a + 1; x < b; x++) {
    const c = cols[x];
    const v = vals[x];
    let y = x - 1;
    while (y >= a && cols[y] > c) {
      cols[y + 1] = cols[y];
      vals[y + 1] = vals[y];
      y--;
    }
    cols[y + 1] = c;
    vals[y + 1] = v;
  }
}

/** UMAP's SGD over a fuzzy graph in 2-D, one epoch per step(). */
export class UmapLayout {
  /** n × 2 coordinates, row-major. */
  readonly embedding: Float64Array;
  private readonly a: number;
  private readonly b: number;
  private readonly epochOfNextSample: Float64Array;
  private readonly epochOfNextNegativeSample: Float64Array;
  private readonly epochsPerNegativeSample: Float64Array;
  private alpha = 1;
  private epoch = 0;

  constructor(
    private readonly graph: UmapGraph,
    readonly nEpochs: number,
    minDist: number,
    private readonly random: () => number,
    /** x^e. Default {@link powExpLog}; `Math.pow` gives umap-js' map bit for bit (test/engine/umap-layout.test.ts). */
    private readonly pow: (x: number, e: number) => number = powExpLog,
  ) {
    const { a, b } = findABParams(1, minDist);
    this.a = a;
    this.b = b;
    this.embedding = new Float64Array(graph.n * 2);
    for (let i = 0; i < graph.n * 2; i++) this.embedding[i] = random() * 20 + -10;
    this.epochsPerNegativeSample = graph.epochsPerSample.map((e) => e / NEGATIVE_SAMPLE_RATE);
    this.epochOfNextNegativeSample = this.epochsPerNegativeSample.slice();
    this.epochOfNextSample = graph.epochsPerSample.slice();
  }

  /** Runs the next epoch; false once all nEpochs have run. */
  step(): boolean {
    const n = this.epoch;
    if (n >= this.nEpochs) return false;
    const { head, tail, epochsPerSample } = this.graph;
    const nVertices = this.graph.n;
    const { a, b, alpha, embedding: y, epochOfNextSample, epochOfNextNegativeSample, epochsPerNegativeSample, pow } = this;
    for (let i = 0; i < epochsPerSample.length; i++) {
      if (epochOfNextSample[i] > n) continue;
      const j = head[i];
      const k = tail[i];
      const cj = 2 * j;
      const ck = 2 * k;
      let dx = y[cj] - y[ck];
      let dy = y[cj + 1] - y[ck + 1];
      let dist2 = dx * dx + dy * dy;
      let coeff = 0;
      if (dist2 > 0) {
        coeff = -2 * a * b * pow(dist2, b - 1);
        coeff /= a * pow(dist2, b) + 1;
      }
      // umap-js moves x, then y, each from the coordinates as they are then
      let g = clip(coeff * dx);
      y[cj] += g * alpha;
      y[ck] += -g * alpha;
      g = clip(coeff * dy);
      y[cj + 1] += g * alpha;
      y[ck + 1] += -g * alpha;
      epochOfNextSample[i] += epochsPerSample[i];
      const nNeg = Math.floor((n - epochOfNextNegativeSample[i]) / epochsPerNegativeSample[i]);
      for (let p = 0; p < nNeg; p++) {
        const o = 2 * Math.floor(this.random() * nVertices);
        dx = y[cj] - y[o];
        dy = y[cj + 1] - y[o + 1];
        dist2 = dx * dx + dy * dy;
        let rc = 0;
        if (dist2 > 0) {
          rc = 2 * b;
          rc /= (0.001 + dist2) * (a * pow(dist2, b) + 1);
        } else if (o === cj) {
          continue;
        }
        y[cj] += (rc > 0 ? clip(rc * dx) : CLIP) * alpha;
        y[cj + 1] += (rc > 0 ? clip(rc * dy) : CLIP) * alpha;
      }
      epochOfNextNegativeSample[i] += nNeg * epochsPerNegativeSample[i];
    }
    this.alpha = 1 * (1 - n / this.nEpochs);
    this.epoch++;
    return this.epoch < this.nEpochs;
  }
}

/**
 * x^e as exp(e · ln x) for x > 0: the layout's only deviation from umap-js, which calls Math.pow. V8's Math.pow is
 * about 40 % of an epoch; this takes half as long (70,000 rows: 0.23 s against 0.43 s an epoch) and stays within
 * 1e-13 relative of it over the distances a layout meets (test/engine/umap-layout.test.ts). The SGD is chaotic, so
 * after many epochs the map differs from umap-js' in its details, not in its neighbourhoods (trustworthiness).
 */
export function powExpLog(x: number, e: number): number {
  return Math.exp(e * Math.log(x));
}

function clip(x: number): number {
  return x > CLIP ? CLIP : x < -CLIP ? -CLIP : x;
}
