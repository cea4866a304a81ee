// Shared pieces of the WASM SIMD K-means kernels (lloyd-dense.ts, lloyd-bounded.ts, lloyd-sparse.ts): row loading and
// widening, float64 / int32 / int16 dot products, the float32 screening of centers and its float64 settling, lower
// bounds and accumulation. Pointers are byte offsets into the (shared) memory; no state, no allocation.
//
// Assignment screens the centers in float32 (2 rows × 4 centers per tile), then settles every row whose best
// two candidates are closer than a rigorous bound on the float32 error by recomputing them in float64, so the
// labels are those of the float64 formula ‖x‖² + ‖c‖² − 2x·c (ties to the lowest index) and the reported
// distance is always the float64 one.

/** Widens row i of a uint8 (kind 0) or float32 (kind 1) matrix into float32 at dst (dp lanes, zero padded). */
export function loadRow(x: usize, kind: i32, d: i32, dp: i32, i: i32, dst: usize): void {
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
export function dot64(row: usize, c: usize, d: i32): f64 {
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
export function dot64u8(src: usize, c: usize, m: usize): f64 {
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
export function dotQ(src: usize, q: usize, dp16: i32): f64 {
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
export const INT_BLOCK = 8192;

/** The four int32 lanes of v added in float64 (exact). */
// @ts-ignore: decorator
@inline export function laneSum64(v: v128): f64 {
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
export function exactV(src: usize, r: usize, mk: usize, masks: usize, d: i32, c64: usize, cn64: usize, c: i32): f64 {
  return load<f64>(cn64 + (<usize>c << 3)) -
    2 * (masks != 0 ? dot64u8(src, c64 + ((<usize>c * d) << 3), mk) : dot64(r, c64 + ((<usize>c * d) << 3), d));
}

/**
 * The float64 formula ‖x‖² + (‖c‖² − 2x·c), clamped at 0: a non-decreasing function of exactV, so a distance
 * strictly smaller than another's has the strictly smaller exactV too.
 */
export function exactD(x: usize, src: usize, r: usize, mk: usize, masks: usize, d: i32, c64: usize, cn64: usize, c: i32, xnv: f64): f64 {
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
      let q = q0;
      // four chunks (16 bytes) at a time: lane l of the compare is chunk q + l
      for (; q + 3 < q1; q += 4) {
        const nz = i32x4.bitmask(i32x4.ne(v128.load(src + (<usize>q << 2)), i32x4.splat(0)));
        bits |= (<u64>nz) << <u64>(q - q0);
      }
      for (; q < q1; q++) if (load<u32>(src + (<usize>q << 2)) != 0) bits |= (<u64>1) << <u64>(q - q0);
      store<u64>(m + (<usize>w << 3), bits);
    }
  }
}

/**
 * Screens the kp (multiple of 4) float32 centers for the row at r (float32, dp lanes): returns the best index
 * and writes the best and second-best screened values ‖c‖² − 2x·c at tmp[0], tmp[1] (float64).
 */
// (two rows at a time are handled inline in assign for speed; this one-row form serves the odd last row)
export function screen1(r: usize, dp: i32, cf: usize, cn: usize, kp: i32, tmp: usize): i32 {
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
@inline export function lane(v: v128, l: i32): f32 {
  return l == 0 ? f32x4.extract_lane(v, 0) : l == 1 ? f32x4.extract_lane(v, 1) : l == 2 ? f32x4.extract_lane(v, 2) : f32x4.extract_lane(v, 3);
}

// @ts-ignore: decorator
@inline export function hsum4f(a: v128, b: v128, c: v128, d: v128): v128 {
  const ab = f32x4.add(v128.shuffle<f32>(a, b, 0, 4, 1, 5), v128.shuffle<f32>(a, b, 2, 6, 3, 7));
  const cd = f32x4.add(v128.shuffle<f32>(c, d, 0, 4, 1, 5), v128.shuffle<f32>(c, d, 2, 6, 3, 7));
  return f32x4.add(v128.shuffle<f32>(ab, cd, 0, 1, 4, 5), v128.shuffle<f32>(ab, cd, 2, 3, 6, 7));
}

/**
 * Settles the row at r (float32) given the screened best index and best two screened values; returns the best
 * center index by the float64 formula; stores its float64 squared distance (≥ 0) at tmp[0].
 */
export function settle(r: usize, d: i32, xn: f64, best: i32, b1: f64, b2: f64, c64: usize, cn64: usize, k: i32,
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
export function storeLower(lower: usize, i: i32, k: i32, c: i32, v: v128, xnv: f64, margin: f64, cnMax: f64): void {
  const ma = margin * (xnv + cnMax);
  const base = lower + ((<usize>i * k) << 3);
  for (let l = 0; l < 4; l++) {
    if (c + l >= k) break;
    const t = xnv + <f64>lane(v, l) - ma;
    store<f64>(base + (<usize>(c + l) << 3), t > 0 ? Math.sqrt(t) : 0);
  }
}

/** Adds the float32 row at r (dp lanes) to a uint8-sum row (int32, kind 0) or a float64 sum row (kind 1). */
export function accumulate(r: usize, kind: i32, dp: i32, dst: usize): void {
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

/** Screens all kp float32 centers for the row at r; writes ‖c‖² − 2x·c (float64) at out[c]; returns the best index. */
export function screenAll(r: usize, dp: i32, cf: usize, cn: usize, kp: i32, out: usize): i32 {
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

/** Zeroes n bytes at p (memory.fill: much faster than a typed array's fill on the shared buffer from JS). */
export function zeroBytes(p: usize, n: usize): void {
  memory.fill(p, 0, n);
}
