// Exact k nearest neighbours of float32 rows by squared Euclidean distance Σ (x_t − y_t)², in tiles of four query
// rows × four reference rows. Rows are packed in groups of four, column-interleaved (group g, column t, lane l at
// ((g · d + t) · 4 + l) · 4 bytes), so one vector load gives a column of four reference rows and one splat load a
// query's value; a group's missing rows are +∞ (never a neighbour). A task's query groups pass over the reference
// groups in blocks of REF_GROUPS (a block stays in L2 meanwhile).
//
// Screening, exact: the first `screen` columns' partial sum is a lower bound of the whole sum (every term is ≥ 0),
// so a tile whose 16 partial sums are all at or above their query's current k-th distance is dropped without the
// other columns. Columns in decreasing variance (principal components) make this drop most tiles.
//
// Each query row keeps its k best in a sorted list (ascending); a candidate enters only when strictly below the
// k-th, and the list shifts only entries strictly above it, so of equal float32 distances the lower reference index
// wins (references come in increasing index). The query row itself is skipped (the caller puts it first).

const REF_GROUPS: i32 = 128;

/** Offers (dist, j) to the sorted list of k at bd (f32) / bi (i32). */
// @ts-ignore: decorator
@inline function offer(bd: usize, bi: usize, k: i32, dist: f32, j: i32): void {
  let p = k - 1;
  if (!(dist < load<f32>(bd + (<usize>p << 2)))) return;
  while (p > 0) {
    const prev = load<f32>(bd + (<usize>(p - 1) << 2));
    if (!(prev > dist)) break;
    store<f32>(bd + (<usize>p << 2), prev);
    store<i32>(bi + (<usize>p << 2), load<i32>(bi + (<usize>(p - 1) << 2)));
    p--;
  }
  store<f32>(bd + (<usize>p << 2), dist);
  store<i32>(bi + (<usize>p << 2), j);
}

/** Offers the four lanes of acc (distances of query q to reference rows j0 … j0 + 3) to q's list. */
// @ts-ignore: decorator
@inline function offer4(bd: usize, bi: usize, k: i32, acc: v128, q: i32, j0: i32): void {
  if (j0 != q) offer(bd, bi, k, f32x4.extract_lane(acc, 0), j0);
  if (j0 + 1 != q) offer(bd, bi, k, f32x4.extract_lane(acc, 1), j0 + 1);
  if (j0 + 2 != q) offer(bd, bi, k, f32x4.extract_lane(acc, 2), j0 + 2);
  if (j0 + 3 != q) offer(bd, bi, k, f32x4.extract_lane(acc, 3), j0 + 3);
}

/**
 * p: the packed rows (groups of four, see above; n rows, d columns); query groups [g0, g1); bestD: n × k float32 and
 * bestI: n × k int32 lists, of which the rows of those groups (below n) are written: the k nearest other rows,
 * nearest first (−1 / +∞ when there are fewer than k others). `screen`: columns of the partial-sum test (1 … d).
 */
export function knnF32(p: usize, d: i32, n: i32, g0: i32, g1: i32, k: i32, screen: i32, bestD: usize, bestI: usize): void {
  const groupBytes = <usize>d << 4;
  const listBytes = <usize>k << 2;
  const nGroups = (n + 3) >> 2;
  const q0 = g0 << 2;
  const q1 = min(n, g1 << 2);
  for (let i = q0; i < q1; i++) {
    for (let s = 0; s < k; s++) {
      store<f32>(bestD + <usize>i * listBytes + (<usize>s << 2), Infinity);
      store<i32>(bestI + <usize>i * listBytes + (<usize>s << 2), -1);
    }
  }
  const screenBytes = <usize>screen << 4;
  for (let r0 = 0; r0 < nGroups; r0 += REF_GROUPS) {
    const r1 = min(nGroups, r0 + REF_GROUPS);
    for (let g = g0; g < g1; g++) {
      const qa = p + <usize>g * groupBytes;
      const q = g << 2;
      const live = min(4, n - q);
      // a row beyond n gets a worst of −∞: it never wants a candidate
      const bd0 = bestD + <usize>q * listBytes;
      const bi0 = bestI + <usize>q * listBytes;
      for (let r = r0; r < r1; r++) {
        const rb = p + <usize>r * groupBytes;
        let a0 = f32x4.splat(0);
        let a1 = f32x4.splat(0);
        let a2 = f32x4.splat(0);
        let a3 = f32x4.splat(0);
        let t: usize = 0;
        for (; t < screenBytes; t += 16) {
          const y = v128.load(rb + t);
          const e0 = f32x4.sub(v128.load32_splat(qa + t), y);
          const e1 = f32x4.sub(v128.load32_splat(qa + t + 4), y);
          const e2 = f32x4.sub(v128.load32_splat(qa + t + 8), y);
          const e3 = f32x4.sub(v128.load32_splat(qa + t + 12), y);
          a0 = f32x4.add(a0, f32x4.mul(e0, e0));
          a1 = f32x4.add(a1, f32x4.mul(e1, e1));
          a2 = f32x4.add(a2, f32x4.mul(e2, e2));
          a3 = f32x4.add(a3, f32x4.mul(e3, e3));
        }
        const w0 = f32x4.splat(load<f32>(bd0 + listBytes - 4));
        const w1 = live > 1 ? f32x4.splat(load<f32>(bd0 + 2 * listBytes - 4)) : f32x4.splat(-Infinity);
        const w2 = live > 2 ? f32x4.splat(load<f32>(bd0 + 3 * listBytes - 4)) : f32x4.splat(-Infinity);
        const w3 = live > 3 ? f32x4.splat(load<f32>(bd0 + 4 * listBytes - 4)) : f32x4.splat(-Infinity);
        const want = v128.or(v128.or(f32x4.lt(a0, w0), f32x4.lt(a1, w1)), v128.or(f32x4.lt(a2, w2), f32x4.lt(a3, w3)));
        if (!v128.any_true(want)) continue;
        for (; t < groupBytes; t += 16) {
          const y = v128.load(rb + t);
          const e0 = f32x4.sub(v128.load32_splat(qa + t), y);
          const e1 = f32x4.sub(v128.load32_splat(qa + t + 4), y);
          const e2 = f32x4.sub(v128.load32_splat(qa + t + 8), y);
          const e3 = f32x4.sub(v128.load32_splat(qa + t + 12), y);
          a0 = f32x4.add(a0, f32x4.mul(e0, e0));
          a1 = f32x4.add(a1, f32x4.mul(e1, e1));
          a2 = f32x4.add(a2, f32x4.mul(e2, e2));
          a3 = f32x4.add(a3, f32x4.mul(e3, e3));
        }
        const j0 = r << 2;
        offer4(bd0, bi0, k, a0, q, j0);
        if (live > 1) offer4(bd0 + listBytes, bi0 + listBytes, k, a1, q + 1, j0);
        if (live > 2) offer4(bd0 + 2 * listBytes, bi0 + 2 * listBytes, k, a2, q + 2, j0);
        if (live > 3) offer4(bd0 + 3 * listBytes, bi0 + 3 * listBytes, k, a3, q + 3, j0);
      }
    }
  }
}
