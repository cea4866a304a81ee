// WASM SIMD kernels of K-means: fused assignment + accumulation over a row range, exact squared distances to
// given centers, and squared row norms. Pointers are byte offsets into the (shared) memory; no state, no allocation.
//
// Assignment screens the centers in float32 (2 rows × 4 centers per tile), then settles every row whose best
// two candidates are closer than a rigorous bound on the float32 error by recomputing them in float64, so the
// labels are those of the float64 formula ‖x‖² + ‖c‖² − 2x·c (ties to the lowest index) and the reported
// distance is always the float64 one.

/** Widens row i of a uint8 (kind 0) or float32 (kind 1) matrix into float32 at dst (dp lanes, zero padded). */
function loadRow(x: usize, kind: i32, d: i32, dp: i32, i: i32, dst: usize): void {
  if (kind == 0) {
    const src = x + <usize>i * d;
    let j = 0;
    for (; j + 15 < d; j += 16) {
      const v = v128.load(src + j);
      const lo = i16x8.extend_low_i8x16_u(v);
      const hi = i16x8.extend_high_i8x16_u(v);
      const o = dst + (<usize>j << 2);
      v128.store(o, f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(lo)));
      v128.store(o, f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(lo)), 16);
      v128.store(o, f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(hi)), 32);
      v128.store(o, f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(hi)), 48);
    }
    for (; j < d; j++) store<f32>(dst + (<usize>j << 2), <f32>load<u8>(src + j));
  } else {
    memory.copy(dst, x + ((<usize>i * d) << 2), <usize>d << 2);
  }
  for (let j = d; j < dp; j++) store<f32>(dst + (<usize>j << 2), 0);
}

/** Float64 dot product of a float32 row (dp lanes) with a float64 center (d values). */
function dot64(row: usize, c: usize, d: i32): f64 {
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  let j = 0;
  for (; j + 3 < d; j += 4) {
    const r = v128.load(row + (<usize>j << 2));
    const cp = c + (<usize>j << 3);
    a0 = f64x2.add(a0, f64x2.mul(f64x2.promote_low_f32x4(r), v128.load(cp)));
    a1 = f64x2.add(a1, f64x2.mul(f64x2.promote_low_f32x4(v128.shuffle<f32>(r, r, 2, 3, 2, 3)), v128.load(cp, 16)));
  }
  const s = f64x2.add(a0, a1);
  let t = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; j < d; j++) t += <f64>load<f32>(row + (<usize>j << 2)) * load<f64>(c + (<usize>j << 3));
  return t;
}

/**
 * dot64 of a uint8 row read in place (x + row offset) with a float64 center, over the 4-pixel chunks whose bit is
 * set in the row's 4-word mask: the same products and the same order as dot64 on the widened row, skipping only
 * exact zeros, so the same bits.
 */
function dot64u8(src: usize, c: usize, m: usize): f64 {
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  for (let w = 0; w < 4; w++) {
    let bits = load<u64>(m + (<usize>w << 3));
    const base = <usize>w << 6;
    while (bits != 0) {
      const q = base + <usize>ctz(bits);
      bits &= bits - 1;
      const v = i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(src + (q << 2))));
      const cp = c + (q << 5);
      a0 = f64x2.add(a0, f64x2.mul(f64x2.convert_low_i32x4_u(v), v128.load(cp)));
      a1 = f64x2.add(a1, f64x2.mul(f64x2.convert_low_i32x4_u(v128.shuffle<i32>(v, v, 2, 3, 2, 3)), v128.load(cp, 16)));
    }
  }
  const s = f64x2.add(a0, a1);
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

/**
 * x·q of a uint8 row read in place (src) with an int16 row q, both over dp16 values (d rounded up to 8; q is zero
 * past d, so whatever bytes follow the row count for nothing). Dense: faster here than skipping zero chunks,
 * whose unpredictable branches cost more than the multiply-adds they save.
 * Exact (precondition d ≤ 1024, checked when the data is staged: chunk masks and ‖x‖₁ exist only then): each
 * int32 lane of a0 and a1 sums at most d/16 pair products of at most 2 · 255 · 32767, so |lane| ≤ 64 · 16,711,170
 * < 2³¹; the eight lanes are added in float64 (exact below 2⁵³). The whole dot product is NOT bounded in int32:
 * a dense bright row against bright centers reaches 784 · 255 · 32640 ≈ 6.5 · 10⁹ (the inverted-digits bug,
 * where an int32 horizontal sum wrapped around and Elkan's iterations stopped early on wrong distances).
 */
function dotQ(src: usize, q: usize, dp16: i32): f64 {
  let a0 = i32x4.splat(0);
  let a1 = i32x4.splat(0);
  const n = <usize>dp16;
  let o: usize = 0;
  for (; o + 16 <= n; o += 16) {
    const v = v128.load(src + o);
    a0 = i32x4.add(a0, i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_u(v), v128.load(q + (o << 1))));
    a1 = i32x4.add(a1, i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_u(v), v128.load(q + (o << 1), 16)));
  }
  if (o < n) a0 = i32x4.add(a0, i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_u(v128.load64_zero(src + o)), v128.load(q + (o << 1))));
  return laneSum64(a0) + laneSum64(a1);
}

/**
 * Values per block of the int32 dot products of uint8 rows with values of at most 255 (rowNorms, distances):
 * a lane then sums at most 1024 pair products of at most 2 · 255² = 130,050, 1.3 · 10⁸ < 2³¹, for any d.
 */
const INT_BLOCK = 8192;

/** The four int32 lanes of v added in float64 (exact). */
// @ts-ignore: decorator
@inline function laneSum64(v: v128): f64 {
  const lo = f64x2.convert_low_i32x4_s(v);
  const hi = f64x2.convert_low_i32x4_s(v128.shuffle<i32>(v, v, 2, 3, 2, 3));
  const s = f64x2.add(lo, hi);
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

/**
 * ‖c‖² − 2x·c in float64 for center c (in place with chunk masks, else on the widened row r): the value the
 * reference kernel compares between centers (ts-kernel.ts sums x·c in dot64's order), so a near tie is
 * decided as there.
 */
function exactV(src: usize, r: usize, mk: usize, masks: usize, d: i32, c64: usize, cn64: usize, c: i32): f64 {
  return load<f64>(cn64 + (<usize>c << 3)) -
    2 * (masks != 0 ? dot64u8(src, c64 + ((<usize>c * d) << 3), mk) : dot64(r, c64 + ((<usize>c * d) << 3), d));
}

/**
 * The float64 formula ‖x‖² + (‖c‖² − 2x·c), clamped at 0: a non-decreasing function of exactV, so a distance
 * strictly smaller than another's has the strictly smaller exactV too.
 */
function exactD(x: usize, src: usize, r: usize, mk: usize, masks: usize, d: i32, c64: usize, cn64: usize, c: i32, xnv: f64): f64 {
  const s = xnv + exactV(src, r, mk, masks, d, c64, cn64, c);
  return s > 0 ? s : 0;
}

/** ‖x‖₁ (Σ of the pixels, exact) of uint8 rows [i0, i1) into out[i] (float64). */
export function rowSumsU8(x: usize, d: i32, i0: i32, i1: i32, out: usize): void {
  for (let i = i0; i < i1; i++) {
    const src = x + <usize>i * d;
    let acc = i32x4.splat(0);
    let j = 0;
    for (; j + 15 < d; j += 16) {
      const v = v128.load(src + j);
      acc = i32x4.add(acc, i32x4.extadd_pairwise_i16x8_u(i16x8.extadd_pairwise_i8x16_u(v)));
    }
    let s = i32x4.extract_lane(acc, 0) + i32x4.extract_lane(acc, 1) + i32x4.extract_lane(acc, 2) + i32x4.extract_lane(acc, 3);
    for (; j < d; j++) s += <i32>load<u8>(src + j);
    store<f64>(out + (<usize>i << 3), <f64>s);
  }
}

/** Chunk masks of uint8 rows [i0, i1) (see dot64u8; d a multiple of 4, at most 1024): 32 bytes a row at masks. */
export function rowMasksU8(x: usize, d: i32, i0: i32, i1: i32, masks: usize): void {
  const nq = d >> 2;
  for (let i = i0; i < i1; i++) {
    const src = x + <usize>i * d;
    const m = masks + (<usize>i << 5);
    for (let w = 0; w < 4; w++) {
      let bits: u64 = 0;
      const q0 = w << 6;
      const q1 = min(q0 + 64, nq);
      for (let q = q0; q < q1; q++) if (load<u32>(src + (<usize>q << 2)) != 0) bits |= (<u64>1) << <u64>(q - q0);
      store<u64>(m + (<usize>w << 3), bits);
    }
  }
}

/**
 * Screens the kp (multiple of 4) float32 centers for the row at r (float32, dp lanes): returns the best index
 * and writes the best and second-best screened values ‖c‖² − 2x·c at tmp[0], tmp[1] (float64).
 */
// (two rows at a time are handled inline in assign for speed; this one-row form serves the odd last row)
function screen1(r: usize, dp: i32, cf: usize, cn: usize, kp: i32, tmp: usize): i32 {
  const rs = <usize>dp << 2;
  let best = 0;
  let b1: f32 = Infinity;
  let b2: f32 = Infinity;
  for (let c = 0; c < kp; c += 4) {
    const p0 = cf + <usize>c * rs;
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    for (let o: usize = 0; o < rs; o += 16) {
      const u = v128.load(r + o);
      a0 = f32x4.add(a0, f32x4.mul(u, v128.load(p0 + o)));
      a1 = f32x4.add(a1, f32x4.mul(u, v128.load(p0 + rs + o)));
      a2 = f32x4.add(a2, f32x4.mul(u, v128.load(p0 + 2 * rs + o)));
      a3 = f32x4.add(a3, f32x4.mul(u, v128.load(p0 + 3 * rs + o)));
    }
    const dots = hsum4f(a0, a1, a2, a3);
    const v = f32x4.sub(v128.load(cn + (<usize>c << 2)), f32x4.add(dots, dots));
    for (let l = 0; l < 4; l++) {
      const e = lane(v, l);
      if (e < b1) { b2 = b1; b1 = e; best = c + l; } else if (e < b2) b2 = e;
    }
  }
  store<f64>(tmp, b1);
  store<f64>(tmp, b2, 8);
  return best;
}

// @ts-ignore: decorator
@inline function lane(v: v128, l: i32): f32 {
  return l == 0 ? f32x4.extract_lane(v, 0) : l == 1 ? f32x4.extract_lane(v, 1) : l == 2 ? f32x4.extract_lane(v, 2) : f32x4.extract_lane(v, 3);
}

// @ts-ignore: decorator
@inline function hsum4f(a: v128, b: v128, c: v128, d: v128): v128 {
  const ab = f32x4.add(v128.shuffle<f32>(a, b, 0, 4, 1, 5), v128.shuffle<f32>(a, b, 2, 6, 3, 7));
  const cd = f32x4.add(v128.shuffle<f32>(c, d, 0, 4, 1, 5), v128.shuffle<f32>(c, d, 2, 6, 3, 7));
  return f32x4.add(v128.shuffle<f32>(ab, cd, 0, 1, 4, 5), v128.shuffle<f32>(ab, cd, 2, 3, 6, 7));
}

/**
 * Settles the row at r (float32) given the screened best index and best two screened values; returns the best
 * center index by the float64 formula; stores its float64 squared distance (≥ 0) at tmp[0].
 */
function settle(r: usize, d: i32, xn: f64, best: i32, b1: f64, b2: f64, c64: usize, cn64: usize, k: i32,
                margin: f64, tmp: usize): i32 {
  if (b2 - b1 <= margin) {
    // near tie within the float32 error bound: redo every candidate in float64
    let bd: f64 = Infinity;
    let bi = 0;
    for (let c = 0; c < k; c++) {
      const v = load<f64>(cn64 + (<usize>c << 3)) - 2 * dot64(r, c64 + ((<usize>c * d) << 3), d);
      if (v < bd) { bd = v; bi = c; }
    }
    best = bi;
    let s = xn + bd;
    store<f64>(tmp, s > 0 ? s : 0);
    return best;
  }
  let s = xn + load<f64>(cn64 + (<usize>best << 3)) - 2 * dot64(r, c64 + ((<usize>best * d) << 3), d);
  store<f64>(tmp, s > 0 ? s : 0);
  return best;
}

/** Lower bounds √(‖x‖² + v − margin·(‖x‖² + cnMax)) of row i to centers c … c+3 (those < k) from screened values v. */
function storeLower(lower: usize, i: i32, k: i32, c: i32, v: v128, xnv: f64, margin: f64, cnMax: f64): void {
  const ma = margin * (xnv + cnMax);
  const base = lower + ((<usize>i * k) << 3);
  for (let l = 0; l < 4; l++) {
    if (c + l >= k) break;
    const t = xnv + <f64>lane(v, l) - ma;
    store<f64>(base + (<usize>(c + l) << 3), t > 0 ? Math.sqrt(t) : 0);
  }
}

/** Adds the float32 row at r (dp lanes) to a uint8-sum row (int32, kind 0) or a float64 sum row (kind 1). */
function accumulate(r: usize, kind: i32, dp: i32, dst: usize): void {
  if (kind == 0) {
    for (let j = 0; j < dp; j += 4) {
      const p = dst + (<usize>j << 2);
      v128.store(p, i32x4.add(v128.load(p), i32x4.trunc_sat_f32x4_u(v128.load(r + (<usize>j << 2)))));
    }
  } else {
    for (let j = 0; j < dp; j += 4) {
      const v = v128.load(r + (<usize>j << 2));
      const p = dst + (<usize>j << 3);
      v128.store(p, f64x2.add(v128.load(p), f64x2.promote_low_f32x4(v)));
      v128.store(p, f64x2.add(v128.load(p, 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3))), 16);
    }
  }
}

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

/** Σ_i ‖x_i − c_{labels[i]}‖² over [i0, i1), from the differences, in float64. */
export function labelledInertia(x: usize, kind: i32, d: i32, dp: i32, i0: i32, i1: i32, c64: usize, labels: usize, scratch: usize): f64 {
  let total: f64 = 0;
  for (let i = i0; i < i1; i++) {
    loadRow(x, kind, d, dp, i, scratch);
    const c = c64 + ((<usize>load<i32>(labels + (<usize>i << 2)) * d) << 3);
    let a0 = f64x2.splat(0);
    let a1 = f64x2.splat(0);
    let j = 0;
    for (; j + 3 < d; j += 4) {
      const r = v128.load(scratch + (<usize>j << 2));
      const cp = c + (<usize>j << 3);
      const t0 = f64x2.sub(f64x2.promote_low_f32x4(r), v128.load(cp));
      const t1 = f64x2.sub(f64x2.promote_low_f32x4(v128.shuffle<f32>(r, r, 2, 3, 2, 3)), v128.load(cp, 16));
      a0 = f64x2.add(a0, f64x2.mul(t0, t0));
      a1 = f64x2.add(a1, f64x2.mul(t1, t1));
    }
    const sv = f64x2.add(a0, a1);
    let s = f64x2.extract_lane(sv, 0) + f64x2.extract_lane(sv, 1);
    for (; j < d; j++) {
      const t = <f64>load<f32>(scratch + (<usize>j << 2)) - load<f64>(c + (<usize>j << 3));
      s += t * t;
    }
    total += s;
  }
  return total;
}

/** moveRow for the uint8 row at src, read in place (int32 delta sums rows of dp lanes). */
function moveRowU8(src: usize, d: i32, dp: i32, dsums: usize, dcounts: usize, a: i32, b: i32): void {
  const rs = <usize>dp << 2;
  const bp = dcounts + (<usize>b << 2);
  store<i32>(bp, load<i32>(bp) + 1);
  const sb = dsums + <usize>b * rs;
  const sa = a >= 0 ? dsums + <usize>a * rs : 0;
  if (a >= 0) {
    const ap = dcounts + (<usize>a << 2);
    store<i32>(ap, load<i32>(ap) - 1);
  }
  const dv = d & ~15;
  for (let j = 0; j < dv; j += 16) {
    const v = v128.load(src + j);
    const lo = i16x8.extend_low_i8x16_u(v);
    const hi = i16x8.extend_high_i8x16_u(v);
    const x0 = i32x4.extend_low_i16x8_u(lo);
    const x1 = i32x4.extend_high_i16x8_u(lo);
    const x2 = i32x4.extend_low_i16x8_u(hi);
    const x3 = i32x4.extend_high_i16x8_u(hi);
    const pb = sb + (<usize>j << 2);
    v128.store(pb, i32x4.add(v128.load(pb), x0));
    v128.store(pb, i32x4.add(v128.load(pb, 16), x1), 16);
    v128.store(pb, i32x4.add(v128.load(pb, 32), x2), 32);
    v128.store(pb, i32x4.add(v128.load(pb, 48), x3), 48);
    if (a >= 0) {
      const pa = sa + (<usize>j << 2);
      v128.store(pa, i32x4.sub(v128.load(pa), x0));
      v128.store(pa, i32x4.sub(v128.load(pa, 16), x1), 16);
      v128.store(pa, i32x4.sub(v128.load(pa, 32), x2), 32);
      v128.store(pa, i32x4.sub(v128.load(pa, 48), x3), 48);
    }
  }
  for (let j = dv; j < d; j++) {
    const v = <i32>load<u8>(src + j);
    const pb = sb + (<usize>j << 2);
    store<i32>(pb, load<i32>(pb) + v);
    if (a >= 0) {
      const pa = sa + (<usize>j << 2);
      store<i32>(pa, load<i32>(pa) - v);
    }
  }
}

/** Moves the widened uint8 row at r from cluster a (none when a < 0) to b in the int32 delta sums and counts. */
function moveRow(r: usize, dp: i32, dsums: usize, dcounts: usize, a: i32, b: i32): void {
  const rs = <usize>dp << 2;
  const bp = dcounts + (<usize>b << 2);
  store<i32>(bp, load<i32>(bp) + 1);
  const sb = dsums + <usize>b * rs;
  for (let j = 0; j < dp; j += 4) {
    const p = sb + (<usize>j << 2);
    v128.store(p, i32x4.add(v128.load(p), i32x4.trunc_sat_f32x4_u(v128.load(r + (<usize>j << 2)))));
  }
  if (a < 0) return;
  const ap = dcounts + (<usize>a << 2);
  store<i32>(ap, load<i32>(ap) - 1);
  const sa = dsums + <usize>a * rs;
  for (let j = 0; j < dp; j += 4) {
    const p = sa + (<usize>j << 2);
    v128.store(p, i32x4.sub(v128.load(p), i32x4.trunc_sat_f32x4_u(v128.load(r + (<usize>j << 2)))));
  }
}

/**
 * Relative error bound of the float64 formula ‖x‖² + ‖c‖² − 2x·c over d features: the dot product and ‖c‖²
 * each err by at most γ_d ≈ d · 2⁻⁵³ of Σ|x_j c_j| ≤ (‖x‖² + ‖c‖²)/2 and of ‖c‖², the additions by 3 · 2⁻⁵³:
 * (2d + 8) · 2⁻⁵³ · (‖x‖² + ‖c‖²) in all (the bounds' distances are √ of it). It grows with d, so rows of
 * 1,500 or 50,000 values keep a rigorous margin.
 */
function epsFormula(d: i32): f64 {
  const e = (<f64>(2 * d) + 8) * 1.1102230246251565e-16;
  return e > 1.1368683772161603e-13 ? e : 1.1368683772161603e-13;
}

/**
 * Assignment with Hamerly's bounds (uint8 data), for rows [i0, i1). State kept by the caller between calls on
 * the same data: labels (int32, the current assignment, −1 = none), upper (float64, ≥ distance to the assigned
 * center) and lower (float64, ≤ distance to every other center), in Euclidean raw units.
 * shift: per-center movement since the previous call (float64 k), shiftMax1/shiftMax2/argMax: the largest two
 * movements and the index of the largest; half: per center half the distance to its nearest other center.
 * Rows whose bounds prove the assigned center is strictly nearest (with a rounding margin) are skipped; the
 * others are re-screened as in `assign`. Rows that change cluster move between the per-thread delta sums
 * dsums (k × dp int32) and dcounts (k int32). first ≠ 0: no previous state, every row is assigned.
 * Returns the number of rows that were screened.
 */
export function assignBounded(x: usize, d: i32, dp: i32, i0: i32, i1: i32,
                              cf: usize, cn: usize, kp: i32, c64: usize, cn64: usize, k: i32, xn: usize, margin: f64, cnMax: f64,
                              labels: usize, upper: usize, lower: usize, shift: usize, shiftMax1: f64, shiftMax2: f64,
                              argMax: i32, half: usize, dsums: usize, dcounts: usize, scratch: usize, first: i32): i32 {
  const rs = <usize>dp << 2;
  const r = scratch;
  const tmp = scratch + rs;
  const eps = epsFormula(d);
  let screened = 0;
  for (let i = i0; i < i1; i++) {
    const lp = labels + (<usize>i << 2);
    const up = upper + (<usize>i << 3);
    const lo = lower + (<usize>i << 3);
    const xnv = load<f64>(xn + (<usize>i << 3));
    // absolute error bound of a distance from the float64 formula (√ of the squared-distance error, see epsFormula)
    const m = Math.sqrt((xnv + cnMax) * eps) + 1e-9;
    const a = first != 0 ? -1 : load<i32>(lp);
    let loaded = false;
    if (a >= 0) {
      let u = load<f64>(up) + load<f64>(shift + (<usize>a << 3));
      const l = load<f64>(lo) - (a == argMax ? shiftMax2 : shiftMax1);
      const h = load<f64>(half + (<usize>a << 3));
      const z = l > h ? l : h;
      if (u + m < z) {
        store<f64>(up, u);
        store<f64>(lo, l);
        continue;
      }
      loadRow(x, 0, d, dp, i, r);
      loaded = true;
      const de = xnv + load<f64>(cn64 + (<usize>a << 3)) - 2 * dot64(r, c64 + ((<usize>a * d) << 3), d);
      u = Math.sqrt(de > 0 ? de : 0);
      if (u + m < z) {
        store<f64>(up, u);
        store<f64>(lo, l);
        continue;
      }
    }
    if (!loaded) loadRow(x, 0, d, dp, i, r);
    screened++;
    const best = screen1(r, dp, cf, cn, kp, tmp);
    const v1 = load<f64>(tmp);
    const v2 = load<f64>(tmp, 8);
    const marginAbs = margin * (xnv + cnMax);
    const b = settle(r, d, xnv, best, v1, v2, c64, cn64, k, marginAbs, tmp);
    const db = load<f64>(tmp);
    store<f64>(up, Math.sqrt(db));
    const second = (b == best ? v2 : v1) - marginAbs + xnv;
    store<f64>(lo, second > 0 ? Math.sqrt(second) : 0);
    if (b != a) {
      store<i32>(lp, b);
      moveRow(r, dp, dsums, dcounts, a, b);
    }
  }
  return screened;
}

/** Screens all kp float32 centers for the row at r; writes ‖c‖² − 2x·c (float64) at out[c]; returns the best index. */
function screenAll(r: usize, dp: i32, cf: usize, cn: usize, kp: i32, out: usize): i32 {
  const rs = <usize>dp << 2;
  let best = 0;
  let b1: f32 = Infinity;
  for (let c = 0; c < kp; c += 4) {
    const p0 = cf + <usize>c * rs;
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    for (let o: usize = 0; o < rs; o += 16) {
      const u = v128.load(r + o);
      a0 = f32x4.add(a0, f32x4.mul(u, v128.load(p0 + o)));
      a1 = f32x4.add(a1, f32x4.mul(u, v128.load(p0 + rs + o)));
      a2 = f32x4.add(a2, f32x4.mul(u, v128.load(p0 + 2 * rs + o)));
      a3 = f32x4.add(a3, f32x4.mul(u, v128.load(p0 + 3 * rs + o)));
    }
    const dots = hsum4f(a0, a1, a2, a3);
    const v = f32x4.sub(v128.load(cn + (<usize>c << 2)), f32x4.add(dots, dots));
    for (let l = 0; l < 4; l++) {
      const e = lane(v, l);
      store<f64>(out + (<usize>(c + l) << 3), <f64>e);
      if (e < b1) { b1 = e; best = c + l; }
    }
  }
  return best;
}

/**
 * Assignment with Elkan's bounds (uint8 data), rows [i0, i1): like assignBounded, but with one lower bound per
 * row and center (lower: n × k float64) and the half distances between centers (cc: k × k float64, half: per
 * center the smallest of its row). Distances to single centers are computed in float64 (‖x‖² + ‖c‖² − 2x·c),
 * so the labels are those of a full float64 pass, ties to the lowest index. masks ≠ 0: chunk masks from
 * rowMasksU8, the distances then read the uint8 rows in place and skip zero chunks. Returns the number of rows
 * visited beyond the bound test.
 */
export function assignElkan(x: usize, d: i32, dp: i32, i0: i32, i1: i32,
                            cf: usize, cn: usize, kp: i32, c64: usize, cn64: usize, k: i32, xn: usize, margin: f64, cnMax: f64,
                            labels: usize, upper: usize, lower: usize, shift: usize, cc: usize, half: usize,
                            dsums: usize, dcounts: usize, scratch: usize, first: i32, masks: usize,
                            qc: usize, dp16: i32, qe: usize, l1: usize): i32 {
  const rs16 = <usize>dp16 << 1;
  const rs = <usize>dp << 2;
  const r = scratch;
  const tmp = scratch + rs;
  const eps = epsFormula(d);
  let visited = 0;
  for (let i = i0; i < i1; i++) {
    const lp = labels + (<usize>i << 2);
    const up = upper + (<usize>i << 3);
    const lb = lower + ((<usize>i * k) << 3);
    const xnv = load<f64>(xn + (<usize>i << 3));
    const m = Math.sqrt((xnv + cnMax) * eps) + 1e-9;
    const src = x + <usize>i * d;
    const mk = masks + (<usize>i << 5);
    let a = -1;
    let best = 0;
    let u: f64 = 0;
    if (first != 0) {
      loadRow(x, 0, d, dp, i, r);
      visited++;
      const sb = screenAll(r, dp, cf, cn, kp, tmp);
      let v1: f64 = Infinity;
      let v2: f64 = Infinity;
      for (let c = 0; c < k; c++) {
        const e = load<f64>(tmp + (<usize>c << 3));
        if (e < v1) { v2 = v1; v1 = e; } else if (e < v2) v2 = e;
      }
      const marginAbs = margin * (xnv + cnMax);
      for (let c = 0; c < k; c++) {
        const e = xnv + load<f64>(tmp + (<usize>c << 3)) - marginAbs;
        store<f64>(lb + (<usize>c << 3), e > 0 ? Math.sqrt(e) : 0);
      }
      best = settle(r, d, xnv, sb, v1, v2, c64, cn64, k, marginAbs, tmp + (<usize>kp << 3));
      u = Math.sqrt(load<f64>(tmp + (<usize>kp << 3)));
    } else {
      a = load<i32>(lp);
      best = a;
      u = load<f64>(up) + load<f64>(shift + (<usize>a << 3));
      // every lower bound drops by its center's shift (two at a time), not below 0
      let c = 0;
      for (; c + 1 < k; c += 2) {
        const q = lb + (<usize>c << 3);
        v128.store(q, f64x2.max(f64x2.sub(v128.load(q), v128.load(shift + (<usize>c << 3))), f64x2.splat(0)));
      }
      if (c < k) {
        const q = lb + (<usize>c << 3);
        const l = load<f64>(q) - load<f64>(shift + (<usize>c << 3));
        store<f64>(q, l > 0 ? l : 0);
      }
      if (u + m < load<f64>(half + (<usize>a << 3))) {
        store<f64>(up, u);
        continue;
      }
      if (qc == 0 && masks == 0) loadRow(x, 0, d, dp, i, r);
      // squared distances of the row to single centers: with quantized centers (qc ≠ 0) an int16 estimate and its
      // error bound e (|estimate − float64 formula| ≤ e), else the float64 formula itself (e = 0)
      const l1v = qc != 0 ? load<f64>(l1 + (<usize>i << 3)) : 0;
      let tight = false;
      let db: f64 = 0;
      let eb: f64 = 0;
      for (let c = 0; c < k; c++) {
        if (c == best) continue;
        const lc = load<f64>(lb + (<usize>c << 3));
        const h = load<f64>(cc + ((<usize>best * k + c) << 3));
        const z = lc > h ? lc : h;
        if (u + m < z) continue;
        if (!tight) {
          visited++;
          if (qc != 0) {
            const cnb = load<f64>(cn64 + (<usize>best << 3));
            db = xnv + cnb - dotQ(src, qc + <usize>best * rs16, dp16) * 0.015625;
            eb = l1v * load<f64>(qe + (<usize>best << 3)) + 1e-12 * (xnv + cnb);
          } else {
            db = exactD(x, src, r, mk, masks, d, c64, cn64, best, xnv);
          }
          u = Math.sqrt(db + eb);
          const lo = db - eb;
          store<f64>(lb + (<usize>best << 3), lo > 0 ? Math.sqrt(lo) : 0);
          tight = true;
          if (u + m < z) continue;
        }
        let dc: f64;
        let ec: f64 = 0;
        if (qc != 0) {
          const cnc = load<f64>(cn64 + (<usize>c << 3));
          dc = xnv + cnc - dotQ(src, qc + <usize>c * rs16, dp16) * 0.015625;
          ec = l1v * load<f64>(qe + (<usize>c << 3)) + 1e-12 * (xnv + cnc);
        } else {
          dc = exactD(x, src, r, mk, masks, d, c64, cn64, c, xnv);
        }
        const lo = dc - ec;
        store<f64>(lb + (<usize>c << 3), lo > 0 ? Math.sqrt(lo) : 0);
        if (dc + ec < db - eb) {
          // certainly nearer
          best = c;
          db = dc;
          eb = ec;
          u = Math.sqrt(dc + ec);
        } else if (dc - ec <= db + eb) {
          // too close to tell (or a tie): ‖c‖² − 2x·c in float64 decides, as in the reference kernel, ties to
          // the lower index
          const vb = exactV(src, r, mk, masks, d, c64, cn64, best);
          const vc = exactV(src, r, mk, masks, d, c64, cn64, c);
          let v = vb;
          if (vc < vb || (vc == vb && c < best)) {
            best = c;
            v = vc;
          }
          const s = xnv + v;
          db = s > 0 ? s : 0;
          eb = 0;
          u = Math.sqrt(db);
        }
      }
    }
    store<f64>(up, u);
    if (best != a) {
      store<i32>(lp, best);
      moveRowU8(src, d, dp, dsums, dcounts, a, best);
    }
  }
  return visited;
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

/**
 * Decodes the non-zero 4-pixel chunks of the uint8 row at src (chunk mask at m, from rowMasksU8) into list:
 * 32 bytes an entry, the chunk's byte offset into a float32 center row (i32) at +0 and its four pixels as f32x4
 * at +16. Returns the number of entries.
 */
function decodeRow(src: usize, m: usize, list: usize): i32 {
  let e = 0;
  for (let w = 0; w < 4; w++) {
    let bits = load<u64>(m + (<usize>w << 3));
    const base = <usize>w << 6;
    while (bits != 0) {
      const q = base + <usize>ctz(bits);
      bits &= bits - 1;
      const v = f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(src + (q << 2)))));
      const o = list + (<usize>e << 5);
      store<i32>(o, <i32>(q << 4));
      v128.store(o, v, 16);
      e++;
    }
  }
  return e;
}

/**
 * `assign` for uint8 rows with chunk masks (rowMasksU8; d a multiple of 4, at most 1024), one row at a time over
 * its non-zero 4-pixel chunks only: the same float32 screening (zero chunks add exact zeros), the same float64
 * settling (dot64u8 gives the bits of dot64), so the same labels and distances as `assign`, several times faster
 * on sparse rows such as MNIST's. Same arguments as `assign` plus masks (upper and lower as there). noTotal ≠ 0
 * (with dist and upper 0): the exact distance of a row is computed only to settle a near tie, and the returned
 * sum is meaningless.
 * scratch: 32·(d/4) + 8·(kp + 4) bytes.
 */
export function assignSparse(x: usize, d: i32, dp: i32, i0: i32, i1: i32,
                             cf: usize, cn: usize, kp: i32, c64: usize, cn64: usize, k: i32, xn: usize, margin: f64, cnMax: f64,
                             labels: usize, dist: usize, sums: usize, counts: usize, scratch: usize,
                             upper: usize, lower: usize, rows: usize, masks: usize, noTotal: i32): f64 {
  const rs = <usize>dp << 2;
  const list = scratch;
  const vals = scratch + ((<usize>(d >> 2)) << 5);
  let total: f64 = 0;
  let touched: u32 = 0;
  for (let i = i0; i < i1; i++) {
    // rows picked from anywhere (mini-batches) miss the caches: every 8 rows, touch the next 8 rows' masks,
    // norms and pixels so that their loads overlap instead of waiting one after another
    if (rows != 0 && ((i - i0) & 7) == 0) touched ^= touchRows(x, d, xn, rows, i + 8, min(i + 16, i1), masks);
    const row = rows != 0 ? load<i32>(rows + (<usize>i << 2)) : i;
    const src = x + <usize>row * d;
    const mk = masks + (<usize>row << 5);
    const ne = decodeRow(src, mk, list);
    const lend = list + (<usize>ne << 5);
    let c = 0;
    for (; c + 7 < kp; c += 8) {
      const p0 = cf + <usize>c * rs;
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
      let a4 = f32x4.splat(0), a5 = f32x4.splat(0), a6 = f32x4.splat(0), a7 = f32x4.splat(0);
      for (let o = list; o < lend; o += 32) {
        const p = p0 + <usize>load<i32>(o);
        const u = v128.load(o, 16);
        a0 = f32x4.add(a0, f32x4.mul(u, v128.load(p)));
        a1 = f32x4.add(a1, f32x4.mul(u, v128.load(p + rs)));
        a2 = f32x4.add(a2, f32x4.mul(u, v128.load(p + 2 * rs)));
        a3 = f32x4.add(a3, f32x4.mul(u, v128.load(p + 3 * rs)));
        a4 = f32x4.add(a4, f32x4.mul(u, v128.load(p + 4 * rs)));
        a5 = f32x4.add(a5, f32x4.mul(u, v128.load(p + 5 * rs)));
        a6 = f32x4.add(a6, f32x4.mul(u, v128.load(p + 6 * rs)));
        a7 = f32x4.add(a7, f32x4.mul(u, v128.load(p + 7 * rs)));
      }
      const d0 = hsum4f(a0, a1, a2, a3);
      const d1 = hsum4f(a4, a5, a6, a7);
      const cp = cn + (<usize>c << 2);
      v128.store(vals + (<usize>c << 2), f32x4.sub(v128.load(cp), f32x4.add(d0, d0)));
      v128.store(vals + (<usize>(c + 4) << 2), f32x4.sub(v128.load(cp, 16), f32x4.add(d1, d1)));
    }
    for (; c < kp; c += 4) {
      const p0 = cf + <usize>c * rs;
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
      for (let o = list; o < lend; o += 32) {
        const p = p0 + <usize>load<i32>(o);
        const u = v128.load(o, 16);
        a0 = f32x4.add(a0, f32x4.mul(u, v128.load(p)));
        a1 = f32x4.add(a1, f32x4.mul(u, v128.load(p + rs)));
        a2 = f32x4.add(a2, f32x4.mul(u, v128.load(p + 2 * rs)));
        a3 = f32x4.add(a3, f32x4.mul(u, v128.load(p + 3 * rs)));
      }
      const d0 = hsum4f(a0, a1, a2, a3);
      v128.store(vals + (<usize>c << 2), f32x4.sub(v128.load(cn + (<usize>c << 2)), f32x4.add(d0, d0)));
    }
    let best = 0;
    let b1: f32 = Infinity;
    let b2: f32 = Infinity;
    if (i == i0 && rows != 0) touched ^= touchRows(x, d, xn, rows, i0 + 1, min(i0 + 8, i1), masks);
    for (let e = 0; e < kp; e++) {
      const v = load<f32>(vals + (<usize>e << 2));
      if (v < b1) { b2 = b1; b1 = v; best = e; } else if (v < b2) b2 = v;
    }
    const xnv = load<f64>(xn + (<usize>row << 3));
    // settle as `settle` does, with the in-place uint8 dot products
    // (the same association as settle's, so the same bits)
    let s: f64;
    if (<f64>b2 - <f64>b1 <= margin * (xnv + cnMax)) {
      let bd: f64 = Infinity;
      for (let e = 0; e < k; e++) {
        const v = load<f64>(cn64 + (<usize>e << 3)) - 2 * dot64u8(src, c64 + ((<usize>e * d) << 3), mk);
        if (v < bd) { bd = v; best = e; }
      }
      s = xnv + bd;
    } else if (noTotal != 0 && dist == 0 && upper == 0) {
      // the label is settled; its exact distance is not wanted (the caller sums from the cluster sums)
      s = 0;
    } else {
      s = xnv + load<f64>(cn64 + (<usize>best << 3)) - 2 * dot64u8(src, c64 + ((<usize>best * d) << 3), mk);
    }
    if (s < 0) s = 0;
    store<i32>(labels + (<usize>i << 2), best);
    if (dist != 0) store<f64>(dist + (<usize>i << 3), s);
    if (upper != 0) {
      store<f64>(upper + (<usize>i << 3), Math.sqrt(s));
      const ma = margin * (xnv + cnMax);
      const lb = lower + ((<usize>i * k) << 3);
      for (let e = 0; e < k; e++) {
        const t = xnv + <f64>load<f32>(vals + (<usize>e << 2)) - ma;
        store<f64>(lb + (<usize>e << 3), t > 0 ? Math.sqrt(t) : 0);
      }
    }
    total += s;
    if (sums != 0) {
      const sb = sums + <usize>best * rs;
      for (let o = list; o < lend; o += 32) {
        const p = sb + <usize>load<i32>(o);
        v128.store(p, i32x4.add(v128.load(p), i32x4.trunc_sat_f32x4_u(v128.load(o, 16))));
      }
      const cp = counts + (<usize>best << 2);
      store<i32>(cp, load<i32>(cp) + 1);
    }
  }
  touchSink ^= touched;
  return total;
}

/** Where the touching loads end up, so that they are not optimized away (read by the exported touchSinkValue). */
let touchSink: u32 = 0;
export function touchSinkValue(): u32 {
  return touchSink;
}

/** Loads one byte of every cache line of rows rows[j0 … j1), their masks and norms (a prefetch); returns a mix. */
function touchRows(x: usize, d: i32, xn: usize, rows: usize, j0: i32, j1: i32, masks: usize): u32 {
  let t: u32 = 0;
  for (let j = j0; j < j1; j++) {
    const row = load<i32>(rows + (<usize>j << 2));
    const src = x + <usize>row * d;
    t ^= load<u32>(masks + (<usize>row << 5)) ^ load<u32>(xn + (<usize>row << 3));
    for (let o = 0; o < d; o += 64) t += load<u8>(src + o);
    t += load<u8>(src + d - 1);
  }
  return t;
}

/**
 * `distances` for uint8 rows with chunk masks (rowMasksU8) and integer centers (ci16, kp ≥ k rows of dp16 int16,
 * zero padded): exact int32 dot products over the 8-pixel chunks that are non-zero in the row only (zero chunks
 * add exact zeros), so the same values as `distances`. Four centers at a time share each loaded chunk.
 */
export function distancesSparse(x: usize, d: i32, i0: i32, i1: i32, cn64: usize, k: i32, xn: usize, out: usize,
                                ci16: usize, dp16: i32, masks: usize, rows: usize): void {
  const rs16 = <usize>dp16 << 1;
  let touched: u32 = 0;
  for (let i = i0; i < i1; i++) {
    // rows picked from anywhere: touch the next rows ahead so that their cache misses overlap (as in assignSparse)
    if (rows != 0 && ((i - i0) & 7) == 0) {
      touched ^= touchRows(x, d, xn, rows, i + (i == i0 ? 1 : 8), min(i + 16, i1), masks);
    }
    const row = rows != 0 ? load<i32>(rows + (<usize>i << 2)) : i;
    const xnv = load<f64>(xn + (<usize>row << 3));
    const o = out + ((<usize>(i - i0) * k) << 3);
    const src = x + <usize>row * d;
    const m = masks + (<usize>row << 5);
    for (let c = 0; c < k; c += 4) {
      const p0 = ci16 + <usize>c * rs16;
      let a0 = i32x4.splat(0), a1 = i32x4.splat(0), a2 = i32x4.splat(0), a3 = i32x4.splat(0);
      for (let w = 0; w < 4; w++) {
        // bit 2r of bits8: 8-pixel chunk r of this word (4-pixel chunks 2r, 2r + 1)
        const b4 = load<u64>(m + (<usize>w << 3));
        let bits8 = (b4 | (b4 >> 1)) & 0x5555555555555555;
        const base = <usize>w << 8; // pixel offset of the word's first chunk
        while (bits8 != 0) {
          const px = base + (<usize>ctz(bits8) << 2);
          bits8 &= bits8 - 1;
          const v = i16x8.extend_low_i8x16_u(v128.load64_zero(src + px));
          const q = p0 + (px << 1);
          a0 = i32x4.add(a0, i32x4.dot_i16x8_s(v, v128.load(q)));
          a1 = i32x4.add(a1, i32x4.dot_i16x8_s(v, v128.load(q + rs16)));
          a2 = i32x4.add(a2, i32x4.dot_i16x8_s(v, v128.load(q + 2 * rs16)));
          a3 = i32x4.add(a3, i32x4.dot_i16x8_s(v, v128.load(q + 3 * rs16)));
        }
      }
      for (let l = 0; l < 4; l++) {
        if (c + l >= k) break;
        const acc = l == 0 ? a0 : l == 1 ? a1 : l == 2 ? a2 : a3;
        const dot = i32x4.extract_lane(acc, 0) + i32x4.extract_lane(acc, 1) + i32x4.extract_lane(acc, 2) + i32x4.extract_lane(acc, 3);
        const s = xnv + load<f64>(cn64 + (<usize>(c + l) << 3)) - 2 * <f64>dot;
        store<f64>(o + (<usize>(c + l) << 3), s > 0 ? s : 0);
      }
    }
  }
  touchSink ^= touched;
}

/** Zeroes n bytes at p (memory.fill: much faster than a typed array's fill on the shared buffer from JS). */
export function zeroBytes(p: usize, n: usize): void {
  memory.fill(p, 0, n);
}
