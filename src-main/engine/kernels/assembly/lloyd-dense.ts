// WASM SIMD kernels of K-means on dense rows: fused assignment + accumulation over a row range, exact squared
// distances to given centers, squared row norms, the labelled inertia and per-feature sums (see lloyd-common.ts).

import { rowToCenterSq } from './cluster-stats';
import { INT_BLOCK, accumulate, dot64, hsum4f, lane, laneSum64, loadRow, rowMasksU8, rowSumsU8, screen1, screenAll, settle, storeLower } from './lloyd-common';

/**
 * E-step (+ M-step accumulation) for rows [i0, i1).
 * x: data (kind 0 uint8, 1 float32), n × d. dp: d rounded up to 4.
 * cf: kp × dp float32 centers (kp a multiple of 4; padding centers have cn = +∞), cn: kp float32 ‖c‖².
 * c64: k × d float64 centers, cn64: k float64 ‖c‖², xn: n float64 ‖x‖².
 * margin: relative float32 error bound, multiplied by ‖x‖² + cnMax (cnMax = max ‖c‖²).
 * labels: n int32 (written), dist: n float64 (written unless 0).
 * sums: k × dp int32 (kind 0) or float64 (kind 1), counts: k int32 — both added to unless sums is 0.
 * scratch: 2·dp float32 + 16 bytes. Returns Σ dist over the range (float64).
 * upper, lower (0 = not wanted): Elkan's bounds for a first pass, the distance to the nearest center (upper, n
 * float64) and, per center, a lower bound of the distance from the screened value (lower, n × k float64).
 * rows (0 = none): int32 row indices; then [i0, i1) are positions in that list, position i works on data row
 * rows[i] (its norm at xn[rows[i]]) and writes labels[i], dist[i]; upper and lower must be 0.
 */
export function assign(x: usize, kind: i32, d: i32, dp: i32, i0: i32, i1: i32,
                       cf: usize, cn: usize, kp: i32, c64: usize, cn64: usize, k: i32, xn: usize, margin: f64, cnMax: f64,
                       labels: usize, dist: usize, sums: usize, counts: usize, scratch: usize,
                       upper: usize, lower: usize, rows: usize): f64 {
  const rs = <usize>dp << 2;
  const r0 = scratch;
  const r1 = scratch + rs;
  const tmp = scratch + 2 * rs;
  const srs: usize = kind == 0 ? rs : rs << 1;
  let total: f64 = 0;
  let i = i0;
  for (; i < i1; i += 2) {
    const two = i + 1 < i1;
    // data rows of positions i, i + 1 (themselves unless a row list is given)
    const ra = rows != 0 ? load<i32>(rows + (<usize>i << 2)) : i;
    const rb = rows != 0 && two ? load<i32>(rows + (<usize>(i + 1) << 2)) : i + 1;
    loadRow(x, kind, d, dp, ra, r0);
    let bestA = 0, bestB = 0;
    let a1: f32 = Infinity, a2: f32 = Infinity, b1: f32 = Infinity, b2: f32 = Infinity;
    if (two) {
      loadRow(x, kind, d, dp, rb, r1);
      for (let c = 0; c < kp; c += 4) {
        const p0 = cf + <usize>c * rs;
        const p1 = p0 + rs;
        const p2 = p1 + rs;
        const p3 = p2 + rs;
        let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s02 = f32x4.splat(0), s03 = f32x4.splat(0);
        let s10 = f32x4.splat(0), s11 = f32x4.splat(0), s12 = f32x4.splat(0), s13 = f32x4.splat(0);
        for (let o: usize = 0; o < rs; o += 16) {
          const u0 = v128.load(r0 + o);
          const u1 = v128.load(r1 + o);
          let v = v128.load(p0 + o);
          s00 = f32x4.add(s00, f32x4.mul(u0, v));
          s10 = f32x4.add(s10, f32x4.mul(u1, v));
          v = v128.load(p1 + o);
          s01 = f32x4.add(s01, f32x4.mul(u0, v));
          s11 = f32x4.add(s11, f32x4.mul(u1, v));
          v = v128.load(p2 + o);
          s02 = f32x4.add(s02, f32x4.mul(u0, v));
          s12 = f32x4.add(s12, f32x4.mul(u1, v));
          v = v128.load(p3 + o);
          s03 = f32x4.add(s03, f32x4.mul(u0, v));
          s13 = f32x4.add(s13, f32x4.mul(u1, v));
        }
        const cnv = v128.load(cn + (<usize>c << 2));
        const da = hsum4f(s00, s01, s02, s03);
        const db = hsum4f(s10, s11, s12, s13);
        const va = f32x4.sub(cnv, f32x4.add(da, da));
        const vb = f32x4.sub(cnv, f32x4.add(db, db));
        if (lower != 0) {
          storeLower(lower, i, k, c, va, load<f64>(xn + (<usize>i << 3)), margin, cnMax);
          storeLower(lower, i + 1, k, c, vb, load<f64>(xn + (<usize>(i + 1) << 3)), margin, cnMax);
        }
        for (let l = 0; l < 4; l++) {
          const e = lane(va, l);
          if (e < a1) { a2 = a1; a1 = e; bestA = c + l; } else if (e < a2) a2 = e;
          const f = lane(vb, l);
          if (f < b1) { b2 = b1; b1 = f; bestB = c + l; } else if (f < b2) b2 = f;
        }
      }
    } else if (lower != 0) {
      bestA = screenAll(r0, dp, cf, cn, kp, tmp);
      const xv = load<f64>(xn + (<usize>i << 3));
      const ma = margin * (xv + cnMax);
      for (let c = 0; c < k; c++) {
        const e = load<f64>(tmp + (<usize>c << 3));
        if (e < <f64>a1) { a2 = a1; a1 = <f32>e; } else if (e < <f64>a2) a2 = <f32>e;
        const t = xv + e - ma;
        store<f64>(lower + ((<usize>i * k + c) << 3), t > 0 ? Math.sqrt(t) : 0);
      }
    } else {
      bestA = screen1(r0, dp, cf, cn, kp, tmp);
      a1 = <f32>load<f64>(tmp);
      a2 = <f32>load<f64>(tmp, 8);
    }
    for (let h = 0; h < 2; h++) {
      if (h == 1 && !two) break;
      const row = h == 0 ? i : i + 1;
      const r = h == 0 ? r0 : r1;
      const xnv = load<f64>(xn + (<usize>(h == 0 ? ra : rb) << 3));
      const lab = settle(r, d, xnv, h == 0 ? bestA : bestB, h == 0 ? <f64>a1 : <f64>b1, h == 0 ? <f64>a2 : <f64>b2,
        c64, cn64, k, margin * (xnv + cnMax), tmp);
      const dd = load<f64>(tmp);
      store<i32>(labels + (<usize>row << 2), lab);
      if (dist != 0) store<f64>(dist + (<usize>row << 3), dd);
      if (upper != 0) store<f64>(upper + (<usize>row << 3), Math.sqrt(dd));
      total += dd;
      if (sums != 0) {
        accumulate(r, kind, dp, sums + <usize>lab * srs);
        const cp = counts + (<usize>lab << 2);
        store<i32>(cp, load<i32>(cp) + 1);
      }
    }
  }
  return total;
}

/**
 * Exact float64 squared distances of rows [i0, i1) to k centers: out[(i − i0)·k + c] = max(0, ‖x‖² + ‖c‖² − 2x·c).
 * rows ≠ 0: [i0, i1) are positions in that int32 row list (as in `assign`).
 * Centers in c64 (k × d float64). When ci16 ≠ 0 (uint8 data, every center integer in 0…255, given as kp × dp16
 * int16 rows, dp16 a multiple of 8), the dot products are exact int32 (i32x4.dot_i16x8_s).
 */
export function distances(x: usize, kind: i32, d: i32, dp: i32, i0: i32, i1: i32, c64: usize, cn64: usize, k: i32,
                          xn: usize, out: usize, ci16: usize, dp16: i32, scratch: usize, rows: usize): void {
  const rs16 = <usize>dp16 << 1;
  for (let i = i0; i < i1; i++) {
    const row = rows != 0 ? load<i32>(rows + (<usize>i << 2)) : i;
    const xnv = load<f64>(xn + (<usize>row << 3));
    const o = out + ((<usize>(i - i0) * k) << 3);
    if (ci16 != 0) {
      // row as int16 into scratch
      const src = x + <usize>row * d;
      let j = 0;
      for (; j + 7 < d; j += 8) v128.store(scratch + (<usize>j << 1), i16x8.extend_low_i8x16_u(v128.load64_zero(src + j)));
      for (; j < d; j++) store<i16>(scratch + (<usize>j << 1), <i16>load<u8>(src + j));
      for (; j < dp16; j++) store<i16>(scratch + (<usize>j << 1), 0);
      for (let c = 0; c < k; c++) {
        const cp = ci16 + <usize>c * rs16;
        // exact for any d: int32 lanes over blocks of INT_BLOCK values, added in float64 (as in rowNorms)
        let dot: f64 = 0;
        for (let q0: usize = 0; q0 < rs16; q0 += <usize>INT_BLOCK << 1) {
          const q1 = min(rs16, q0 + (<usize>INT_BLOCK << 1));
          let acc = i32x4.splat(0);
          for (let q = q0; q < q1; q += 16) acc = i32x4.add(acc, i32x4.dot_i16x8_s(v128.load(scratch + q), v128.load(cp + q)));
          dot += laneSum64(acc);
        }
        const s = xnv + load<f64>(cn64 + (<usize>c << 3)) - 2 * dot;
        store<f64>(o + (<usize>c << 3), s > 0 ? s : 0);
      }
    } else {
      loadRow(x, kind, d, dp, row, scratch);
      for (let c = 0; c < k; c++) {
        const s = xnv + load<f64>(cn64 + (<usize>c << 3)) - 2 * dot64(scratch, c64 + ((<usize>c * d) << 3), d);
        store<f64>(o + (<usize>c << 3), s > 0 ? s : 0);
      }
    }
  }
}

/** ‖x_i‖² (float64, exact for uint8) of rows [i0, i1) into out[i]. */
export function rowNorms(x: usize, kind: i32, d: i32, i0: i32, i1: i32, out: usize): void {
  for (let i = i0; i < i1; i++) {
    let s: f64 = 0;
    if (kind == 0) {
      // exact for any d: int32 lanes over blocks of INT_BLOCK values (a lane ≤ INT_BLOCK / 8 · 2 · 255² < 2³¹),
      // each block's lanes added in float64
      const src = x + <usize>i * d;
      let j = 0;
      while (j + 7 < d) {
        const end = min(d & ~7, j + INT_BLOCK);
        let acc = i32x4.splat(0);
        for (; j < end; j += 8) {
          const v = i16x8.extend_low_i8x16_u(v128.load64_zero(src + j));
          acc = i32x4.add(acc, i32x4.dot_i16x8_s(v, v));
        }
        s += laneSum64(acc);
      }
      for (; j < d; j++) { const v = <f64>load<u8>(src + j); s += v * v; }
    } else {
      const src = x + ((<usize>i * d) << 2);
      for (let j = 0; j < d; j++) { const v = <f64>load<f32>(src + (<usize>j << 2)); s += v * v; }
    }
    store<f64>(out + (<usize>i << 3), s);
  }
}

/**
 * The staging of uint8 rows [i0, i1) for the sparse kernels: their chunk masks (rowMasksU8), ‖x‖₁ into l1 (rowSumsU8;
 * 0: none) and ‖x‖² into out (rowNorms; 0: none). The native kernels do the three in one pass over each row.
 */
export function rowStageU8(x: usize, d: i32, i0: i32, i1: i32, masks: usize, l1: usize, out: usize): void {
  rowMasksU8(x, d, i0, i1, masks);
  if (l1 != 0) rowSumsU8(x, d, i0, i1, l1);
  if (out != 0) rowNorms(x, 0, d, i0, i1, out);
}

/** Σ_i ‖x_i − c_{labels[i]}‖² over [i0, i1), from the differences, in float64. */
export function labelledInertia(x: usize, kind: i32, d: i32, dp: i32, i0: i32, i1: i32, c64: usize, labels: usize, scratch: usize): f64 {
  let total: f64 = 0;
  for (let i = i0; i < i1; i++) {
    loadRow(x, kind, d, dp, i, scratch);
    const c = c64 + ((<usize>load<i32>(labels + (<usize>i << 2)) * d) << 3);
    const s = rowToCenterSq(scratch, c, d);
    total += s;
  }
  return total;
}

/**
 * Per-feature Σx and Σx² of uint8 rows [i0, i1), exact (as integers in float64 up to 2⁵³), added to out[j] and
 * out[d + j]. Blocks of ≤ 2048 rows sum in int32 (Σx² < 2048 · 255² < 2³¹), 16 features at a time.
 * scratch: 8 · (d rounded up to 16) bytes.
 */
export function featureSumsU8(x: usize, d: i32, i0: i32, i1: i32, out: usize, scratch: usize): void {
  const d16 = (d + 15) & ~15;
  const sx = scratch;
  const sq = scratch + (<usize>d16 << 2);
  const dv = d & ~15;
  for (let c0 = i0; c0 < i1; c0 += 2048) {
    const c1 = min(c0 + 2048, i1);
    memory.fill(scratch, 0, <usize>d16 << 3);
    for (let i = c0; i < c1; i++) {
      const src = x + <usize>i * d;
      for (let j = 0; j < dv; j += 16) {
        const v = v128.load(src + j);
        const lo = i16x8.extend_low_i8x16_u(v);
        const hi = i16x8.extend_high_i8x16_u(v);
        const px = sx + (<usize>j << 2);
        const pq = sq + (<usize>j << 2);
        v128.store(px, i32x4.add(v128.load(px), i32x4.extend_low_i16x8_u(lo)));
        v128.store(px, i32x4.add(v128.load(px, 16), i32x4.extend_high_i16x8_u(lo)), 16);
        v128.store(px, i32x4.add(v128.load(px, 32), i32x4.extend_low_i16x8_u(hi)), 32);
        v128.store(px, i32x4.add(v128.load(px, 48), i32x4.extend_high_i16x8_u(hi)), 48);
        v128.store(pq, i32x4.add(v128.load(pq), i32x4.extmul_low_i16x8_u(lo, lo)));
        v128.store(pq, i32x4.add(v128.load(pq, 16), i32x4.extmul_high_i16x8_u(lo, lo)), 16);
        v128.store(pq, i32x4.add(v128.load(pq, 32), i32x4.extmul_low_i16x8_u(hi, hi)), 32);
        v128.store(pq, i32x4.add(v128.load(pq, 48), i32x4.extmul_high_i16x8_u(hi, hi)), 48);
      }
      for (let j = dv; j < d; j++) {
        const v = <i32>load<u8>(src + j);
        const px = sx + (<usize>j << 2);
        const pq = sq + (<usize>j << 2);
        store<i32>(px, load<i32>(px) + v);
        store<i32>(pq, load<i32>(pq) + v * v);
      }
    }
    for (let j = 0; j < d; j++) {
      const o = out + (<usize>j << 3);
      store<f64>(o, load<f64>(o) + <f64>load<i32>(sx + (<usize>j << 2)));
      const o2 = out + (<usize>(d + j) << 3);
      store<f64>(o2, load<f64>(o2) + <f64>load<i32>(sq + (<usize>j << 2)));
    }
  }
}
