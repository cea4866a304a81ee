/**
 * Data layout of the integer silhouette kernel: an order of the features and an order of the rows inside each
 * cluster chosen so that the kernel's 2 × 4 tiles meet fewer non-zero 8-value chunks. Euclidean distances do
 * not depend on the order of the features, and a row's per-cluster sums do not depend on where its cluster's
 * rows sit, so both orders change the work only, not the result (up to float64 rounding of the sums).
 *
 * - Features: grouped 8 by 8 so that each group's features tend to be non-zero in the same rows (a greedy
 *   Jaccard grouping on a sample of rows): on MNIST the groups become small patches of neighbouring pixels,
 *   and a digit touches fewer of them than of the 8-pixel runs along image rows.
 * - Rows: inside each cluster, a k-d tree order (median splits down to 4 rows) on the first principal
 *   components of the rows' chunk masks, so the 2 rows and the 4 columns of a tile have similar masks and
 *   their union stays small.
 * On MNIST the two together cut the chunks per tile by about a third.
 */

/** Bit count of a 32-bit word. */
function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/**
 * A feature order: perm[p] is the source feature put at position p. Features are taken 8 at a time: the most
 * often non-zero feature left, then the 7 whose non-zero rows overlap the group's most (Jaccard index), on a
 * sample of at most `sampleRows` rows. Features never non-zero in the sample come last, in their order.
 */
export function featureGroupOrder(data: Uint8Array, n: number, d: number, sampleRows = 1024): Int32Array {
  const step = Math.max(1, Math.floor(n / sampleRows));
  const ns = Math.ceil(n / step);
  const nw = Math.ceil(ns / 32);
  // per feature, the bitset of sample rows where it is non-zero
  const bits = new Uint32Array(d * nw);
  for (let r = 0, i = 0; i < n; r++, i += step) {
    const b = i * d;
    const word = r >>> 5;
    const bit = 1 << (r & 31);
    for (let p = 0; p < d; p++) if (data[b + p] !== 0) bits[p * nw + word] |= bit;
  }
  const count = new Int32Array(d);
  for (let p = 0; p < d; p++) {
    let c = 0;
    for (let w = 0; w < nw; w++) c += popcount(bits[p * nw + w]);
    count[p] = c;
  }
  const perm = new Int32Array(d);
  let out = 0;
  const left: number[] = [];
  for (let p = 0; p < d; p++) if (count[p] > 0) left.push(p);
  const union = new Uint32Array(nw);
  while (left.length > 0) {
    let si = 0;
    for (let t = 1; t < left.length; t++) if (count[left[t]] > count[left[si]]) si = t;
    const seed = left[si];
    left[si] = left[left.length - 1];
    left.pop();
    perm[out++] = seed;
    union.set(bits.subarray(seed * nw, seed * nw + nw));
    for (let g = 1; g < 8 && left.length > 0; g++) {
      let best = 0;
      let bestScore = -1;
      for (let t = 0; t < left.length; t++) {
        const o = left[t] * nw;
        let inter = 0;
        let uni = 0;
        for (let w = 0; w < nw; w++) {
          const a = union[w];
          const b = bits[o + w];
          inter += popcount(a & b);
          uni += popcount(a | b);
        }
        const score = inter / uni;
        if (score > bestScore) {
          bestScore = score;
          best = t;
        }
      }
      const f = left[best];
      left[best] = left[left.length - 1];
      left.pop();
      perm[out++] = f;
      for (let w = 0; w < nw; w++) union[w] |= bits[f * nw + w];
    }
  }
  for (let p = 0; p < d; p++) if (count[p] === 0) perm[out++] = p;
  return perm;
}

/** Number of principal components the row order looks at. */
const PCS = 8;
/** Rows of the k-d tree's leaves: the tiles' column count. */
const LEAF = 4;

/**
 * An order of the rows inside each cluster: order[r] is the row put at position r (rows of cluster c stay in
 * starts[c] … starts[c + 1] − 1). masks: `words` 32-bit words a row, bit b set when chunk b is non-zero.
 */
export function clusterRowOrder(masks: Uint32Array, words: number, n: number, starts: Int32Array, sampleRows = 2048): Int32Array {
  // chunks in use: up to the highest bit set in any row
  let nch = 0;
  for (let w = words - 1; w >= 0 && nch === 0; w--) {
    let any = 0;
    for (let i = 0; i < n; i++) any |= masks[i * words + w];
    if (any !== 0) nch = w * 32 + 32 - Math.clz32(any);
  }
  // mean and covariance of the mask bits on a sample of rows
  const step = Math.max(1, Math.floor(n / sampleRows));
  const mean = new Float64Array(nch);
  const cov = new Float64Array(nch * nch);
  const on = new Int32Array(nch);
  let ns = 0;
  for (let i = 0; i < n; i += step) {
    ns++;
    let non = 0;
    for (let w = 0; w < words; w++) {
      let m = masks[i * words + w];
      while (m !== 0) {
        on[non++] = w * 32 + (31 - Math.clz32(m & -m));
        m &= m - 1;
      }
    }
    for (let x = 0; x < non; x++) {
      const a = on[x];
      mean[a]++;
      for (let y = 0; y < non; y++) cov[a * nch + on[y]]++;
    }
  }
  for (let a = 0; a < nch; a++) mean[a] /= ns;
  for (let a = 0; a < nch; a++) for (let b = 0; b < nch; b++) cov[a * nch + b] = cov[a * nch + b] / ns - mean[a] * mean[b];
  const vecs = principalComponents(cov, nch);
  // each row's coordinates, key[i·PCS + q]: the sums of the components over its non-zero chunks
  const comp = new Float64Array(words * 32 * PCS);
  for (let q = 0; q < PCS; q++) for (let c = 0; c < nch; c++) comp[c * PCS + q] = vecs[q][c];
  const key = new Float64Array(PCS * n);
  for (let i = 0; i < n; i++) {
    const o = i * PCS;
    for (let w = 0; w < words; w++) {
      let m = masks[i * words + w];
      while (m !== 0) {
        const c = (w * 32 + (31 - Math.clz32(m & -m))) * PCS;
        m &= m - 1;
        for (let q = 0; q < PCS; q++) key[o + q] += comp[c + q];
      }
    }
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const k = starts.length - 1;
  const sum = new Float64Array(PCS);
  const sum2 = new Float64Array(PCS);
  for (let c = 0; c < k; c++) kdSplit(order, key, starts[c], starts[c + 1], sum, sum2);
  return order;
}

/** The first PCS eigenvectors of the nch × nch covariance matrix, by power iteration with deflation. */
function principalComponents(cov: Float64Array, nch: number): Float64Array[] {
  const vecs: Float64Array[] = [];
  const tmp = new Float64Array(nch);
  for (let q = 0; q < PCS; q++) {
    const v = new Float64Array(nch);
    for (let c = 0; c < nch; c++) v[c] = Math.sin(c * (q + 1) + 1);
    for (let it = 0; it < 30; it++) {
      for (const u of vecs) {
        let s = 0;
        for (let c = 0; c < nch; c++) s += u[c] * v[c];
        for (let c = 0; c < nch; c++) v[c] -= s * u[c];
      }
      let norm = 0;
      for (let a = 0; a < nch; a++) {
        let s = 0;
        for (let b = 0; b < nch; b++) s += cov[a * nch + b] * v[b];
        tmp[a] = s;
        norm += s * s;
      }
      norm = Math.sqrt(norm);
      if (norm === 0) break;
      for (let c = 0; c < nch; c++) v[c] = tmp[c] / norm;
    }
    vecs.push(v);
  }
  return vecs;
}

/** Orders order[lo … hi) as a k-d tree: split at a multiple of LEAF near the median of the widest coordinate. */
function kdSplit(order: Int32Array, key: Float64Array, lo: number, hi: number, sum: Float64Array, sum2: Float64Array): void {
  if (hi - lo <= LEAF) return;
  sum.fill(0);
  sum2.fill(0);
  for (let t = lo; t < hi; t++) {
    const o = order[t] * PCS;
    for (let q = 0; q < PCS; q++) {
      const x = key[o + q];
      sum[q] += x;
      sum2[q] += x * x;
    }
  }
  let dim = 0;
  let widest = -1;
  for (let q = 0; q < PCS; q++) {
    const v = sum2[q] - (sum[q] * sum[q]) / (hi - lo);
    if (v > widest) {
      widest = v;
      dim = q;
    }
  }
  const mid = lo + Math.ceil((hi - lo) / 2 / LEAF) * LEAF;
  select(order, key, dim, lo, hi - 1, mid);
  kdSplit(order, key, lo, mid, sum, sum2);
  kdSplit(order, key, mid, hi, sum, sum2);
}

/** Quickselect: rearranges order[lo … hi] so that the rows before `nth` have keys ≤ those from `nth` on. */
function select(order: Int32Array, key: Float64Array, dim: number, lo: number, hi: number, nth: number): void {
  while (hi > lo) {
    const pivot = key[order[(lo + hi) >>> 1] * PCS + dim];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (key[order[i] * PCS + dim] < pivot) i++;
      while (key[order[j] * PCS + dim] > pivot) j--;
      if (i <= j) {
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
        i++;
        j--;
      }
    }
    if (nth <= j) hi = j;
    else if (nth >= i) lo = i;
    else return;
  }
}
