/**
 * `numpy.argsort(values)` as NumPy 1.24 computes it for float64 (kind='quicksort', the default): an introsort
 * (median-of-three quicksort, insertion sort of at most 16 elements, heapsort past 2·⌊log₂ n⌋ levels). It is not
 * stable, and scikit-learn's MiniBatchKMeans uses it to choose which low-count centers to reassign, where equal
 * counts are common; reproducing NumPy's order of equal values is what makes the same seed give the same run.
 * Port of numpy/core/src/npysort/quicksort.cpp (aquicksort_) and heapsort.cpp (aheapsort_).
 *
 * @param v n values (no NaN).
 * @returns the n indices ordering v ascending, in NumPy's order among equal values.
 */
export function numpyArgsort(v: ArrayLike<number>): Int32Array {
  const n = v.length;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const SMALL = 15; // SMALL_QUICKSORT: partitions of at most 16 elements are insertion-sorted
  const swap = (a: number, b: number): void => {
    const t = idx[a];
    idx[a] = idx[b];
    idx[b] = t;
  };
  const stack: number[] = [];
  const depths: number[] = [];
  let pl = 0;
  let pr = n - 1;
  let cdepth = msb(n) * 2;
  for (;;) {
    if (cdepth < 0) {
      heapsort(v, idx, pl, pr - pl + 1);
    } else {
      while (pr - pl > SMALL) {
        const pm = pl + ((pr - pl) >> 1);
        if (v[idx[pm]] < v[idx[pl]]) swap(pm, pl);
        if (v[idx[pr]] < v[idx[pm]]) swap(pr, pm);
        if (v[idx[pm]] < v[idx[pl]]) swap(pm, pl);
        const vp = v[idx[pm]];
        let pi = pl;
        let pj = pr - 1;
        swap(pm, pj);
        for (;;) {
          do ++pi; while (v[idx[pi]] < vp);
          do --pj; while (vp < v[idx[pj]]);
          if (pi >= pj) break;
          swap(pi, pj);
        }
        swap(pi, pr - 1);
        // the larger partition waits on the stack
        if (pi - pl < pr - pi) {
          stack.push(pi + 1, pr);
          pr = pi - 1;
        } else {
          stack.push(pl, pi - 1);
          pl = pi + 1;
        }
        depths.push(--cdepth);
      }
      for (let pi = pl + 1; pi <= pr; ++pi) {
        const vi = idx[pi];
        const vp = v[vi];
        let pj = pi;
        while (pj > pl && vp < v[idx[pj - 1]]) {
          idx[pj] = idx[pj - 1];
          pj--;
        }
        idx[pj] = vi;
      }
    }
    if (stack.length === 0) break;
    pr = stack.pop() as number;
    pl = stack.pop() as number;
    cdepth = depths.pop() as number;
  }
  return idx;
}

/** ⌊log₂ n⌋ (0 for n ≤ 1), NumPy's npy_get_msb. */
function msb(n: number): number {
  let depth = 0;
  while ((n >>= 1) > 0) depth++;
  return depth;
}

/** NumPy's aheapsort_ on idx[start … start + n). */
function heapsort(v: ArrayLike<number>, idx: Int32Array, start: number, n: number): void {
  // 1-based heap indexing: a[i] is idx[start + i − 1]
  const base = start - 1;
  for (let l = n >> 1; l > 0; --l) {
    const tmp = idx[base + l];
    let i = l;
    for (let j = l << 1; j <= n; ) {
      if (j < n && v[idx[base + j]] < v[idx[base + j + 1]]) j += 1;
      if (v[tmp] < v[idx[base + j]]) {
        idx[base + i] = idx[base + j];
        i = j;
        j += j;
      } else break;
    }
    idx[base + i] = tmp;
  }
  for (let m = n; m > 1; ) {
    const tmp = idx[base + m];
    idx[base + m] = idx[base + 1];
    m -= 1;
    let i = 1;
    for (let j = 2; j <= m; ) {
      if (j < m && v[idx[base + j]] < v[idx[base + j + 1]]) j++;
      if (v[tmp] < v[idx[base + j]]) {
        idx[base + i] = idx[base + j];
        i = j;
        j += j;
      } else break;
    }
    idx[base + i] = tmp;
  }
}
