// WASM SIMD kernels of the label-free indices (cluster-stats-kernel.ts, for metrics/internal.ts): per-cluster sums of given labels and
// each row's squared distance to the center of its label. Rows are read as float32 (exact for uint8 and float32 data).

import { loadRow } from './lloyd-common';

/**
 * ‖row − c‖² in float64: row is float32 (d values at `row`, as loadRow leaves it), c float64 (d values at `c`).
 * Computed from the differences, not through norms.
 */
export function rowToCenterSq(row: usize, c: usize, d: i32): f64 {
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  let j = 0;
  for (; j + 3 < d; j += 4) {
    const r = v128.load(row + (<usize>j << 2));
    const cp = c + (<usize>j << 3);
    const t0 = f64x2.sub(f64x2.promote_low_f32x4(r), v128.load(cp));
    const t1 = f64x2.sub(f64x2.promote_low_f32x4(v128.shuffle<f32>(r, r, 2, 3, 2, 3)), v128.load(cp, 16));
    a0 = f64x2.add(a0, f64x2.mul(t0, t0));
    a1 = f64x2.add(a1, f64x2.mul(t1, t1));
  }
  const sv = f64x2.add(a0, a1);
  let s = f64x2.extract_lane(sv, 0) + f64x2.extract_lane(sv, 1);
  for (; j < d; j++) {
    const t = <f64>load<f32>(row + (<usize>j << 2)) - load<f64>(c + (<usize>j << 3));
    s += t * t;
  }
  return s;
}

/**
 * Rows [i0, i1) added to the sums of their label: sums[c·d + j] += x_ij (float64, k × d) and counts[c] += 1
 * (float64, k), c = labels[i] in 0 … k − 1. x: data (kind 0 uint8, 1 float32), n × d; dp: d rounded up to 4;
 * scratch: 4 · dp bytes. uint8 sums stay exact integers (n · 255 < 2⁵³).
 */
export function clusterSums(x: usize, kind: i32, d: i32, dp: i32, i0: i32, i1: i32, labels: usize, sums: usize, counts: usize, scratch: usize): void {
  for (let i = i0; i < i1; i++) {
    loadRow(x, kind, d, dp, i, scratch);
    const c = <usize>load<i32>(labels + (<usize>i << 2));
    const cnt = counts + (c << 3);
    store<f64>(cnt, load<f64>(cnt) + 1);
    const s = sums + ((c * <usize>d) << 3);
    let j = 0;
    for (; j + 3 < d; j += 4) {
      const r = v128.load(scratch + (<usize>j << 2));
      const p = s + (<usize>j << 3);
      v128.store(p, f64x2.add(v128.load(p), f64x2.promote_low_f32x4(r)));
      v128.store(p, f64x2.add(v128.load(p, 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(r, r, 2, 3, 2, 3))), 16);
    }
    for (; j < d; j++) {
      const p = s + (<usize>j << 3);
      store<f64>(p, load<f64>(p) + <f64>load<f32>(scratch + (<usize>j << 2)));
    }
  }
}

/**
 * out[i] = ‖x_i − c_{labels[i]}‖² (float64) for rows [i0, i1). c64: k × d float64 centers; out: n float64 (absolute
 * row index); scratch: 4 · dp bytes.
 */
export function labelledDistances(x: usize, kind: i32, d: i32, dp: i32, i0: i32, i1: i32, c64: usize, labels: usize, out: usize, scratch: usize): void {
  for (let i = i0; i < i1; i++) {
    loadRow(x, kind, d, dp, i, scratch);
    const c = c64 + ((<usize>load<i32>(labels + (<usize>i << 2)) * d) << 3);
    store<f64>(out + (<usize>i << 3), rowToCenterSq(scratch, c, d));
  }
}
