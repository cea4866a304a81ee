// Sparse forms on uint8 rows with chunk masks (rowMasksU8): assignment of row lists and k-means++ distances that
// skip the rows' zero 4-pixel chunks.

import { dot64u8, hsum4f } from './lloyd-common';

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
export let touchSink: u32 = 0;
export function touchSinkValue(): u32 {
  return touchSink;
}

/** Loads one byte of every cache line of rows rows[j0 … j1), their masks and norms (a prefetch); returns a mix. */
export function touchRows(x: usize, d: i32, xn: usize, rows: usize, j0: i32, j1: i32, masks: usize): u32 {
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
      let dots = sparseDots4(src, m, m, ci16 + <usize>c * rs16, rs16);
      for (let l = 0; l < 4; l++) {
        if (c + l >= k) break;
        const s = xnv + load<f64>(cn64 + (<usize>(c + l) << 3)) - 2 * <f64>i32x4.extract_lane(dots, 0);
        store<f64>(o + (<usize>(c + l) << 3), s > 0 ? s : 0);
        dots = v128.shuffle<i32>(dots, dots, 1, 2, 3, 0);
      }
    }
  }
  touchSink ^= touched;
}

/**
 * Exact int32 dot products of the uint8 row at src (chunk mask at m) with four int16 center rows (at p0, rs16
 * bytes apart, zero padded), over the 8-pixel chunks holding a 4-pixel chunk that is non-zero in the row and
 * set in the mask at g (m itself, or also the centers' union mask) only: every other chunk adds exact zeros.
 * Lane l is the dot product with center l. Each loaded chunk is shared by the four centers.
 */
@inline export function sparseDots4(src: usize, m: usize, g: usize, p0: usize, rs16: usize): v128 {
  let a0 = i32x4.splat(0), a1 = i32x4.splat(0), a2 = i32x4.splat(0), a3 = i32x4.splat(0);
  for (let w = 0; w < 4; w++) {
    // bit 2r of bits8: 8-pixel chunk r of this word (4-pixel chunks 2r, 2r + 1)
    const b4 = load<u64>(m + (<usize>w << 3)) & load<u64>(g + (<usize>w << 3));
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
  return hsum4i(a0, a1, a2, a3);
}

/** Lane l of the result: the horizontal sum of the l-th argument (int32 lanes, wrapping). */
@inline export function hsum4i(a0: v128, a1: v128, a2: v128, a3: v128): v128 {
  const ab = i32x4.add(v128.shuffle<i32>(a0, a1, 0, 4, 1, 5), v128.shuffle<i32>(a0, a1, 2, 6, 3, 7));
  const cd = i32x4.add(v128.shuffle<i32>(a2, a3, 0, 4, 1, 5), v128.shuffle<i32>(a2, a3, 2, 6, 3, 7));
  return i32x4.add(v128.shuffle<i32>(ab, cd, 0, 1, 4, 5), v128.shuffle<i32>(ab, cd, 2, 3, 6, 7));
}

/**
 * Decodes the 8-pixel chunks of the uint8 row at src (chunk mask at m) that hold a non-zero 4-pixel chunk: entry e
 * gets the chunk's byte offset into an int16 center row at offs + 4e (i32) and its eight pixels as i16x8 at
 * pix + 16e (a chunk reaching past d reads bytes after the row: the int16 centers are zero there, see
 * assignSparseQ). Returns the number of entries.
 */
function decodeRow8(src: usize, m: usize, offs: usize, pix: usize): i32 {
  let e = 0;
  for (let w = 0; w < 4; w++) {
    const b4 = load<u64>(m + (<usize>w << 3));
    // bit 2r: 8-pixel chunk r of this word (4-pixel chunks 2r, 2r + 1)
    let bits8 = (b4 | (b4 >> 1)) & 0x5555555555555555;
    const base = <usize>w << 8;
    while (bits8 != 0) {
      const px = base + (<usize>ctz(bits8) << 2);
      bits8 &= bits8 - 1;
      store<i32>(offs + (<usize>e << 2), <i32>(px << 1));
      v128.store(pix + (<usize>e << 4), i16x8.extend_low_i8x16_u(v128.load64_zero(src + px)));
      e++;
    }
  }
  return e;
}

/** [Σ lanes of a, Σ lanes of b] as float64 (exact: each int32 lane is converted before any addition). */
// @ts-ignore: decorator
@inline function hsum2d(a: v128, b: v128): v128 {
  const sa = f64x2.add(f64x2.convert_low_i32x4_s(a), f64x2.convert_low_i32x4_s(v128.shuffle<i32>(a, a, 2, 3, 2, 3)));
  const sb = f64x2.add(f64x2.convert_low_i32x4_s(b), f64x2.convert_low_i32x4_s(v128.shuffle<i32>(b, b, 2, 3, 2, 3)));
  return f64x2.add(v128.shuffle<f64>(sa, sb, 0, 2), v128.shuffle<f64>(sa, sb, 1, 3));
}

/** Rows a block of assignSparseQ: their decoded chunks and one block of 8 int16 centers stay in the L1 cache together. */
const Q_ROWS: i32 = 16;

/** Bytes of scratch assignSparseQ needs per thread (d ≤ 1024, k centers). */
export function assignSparseQScratch(d: i32, k: i32): i32 {
  const kp = (k + 3) & ~3;
  const chunks = (d + 7) >> 3;
  return Q_ROWS * chunks * 20 + (Q_ROWS + 4) * 4 + Q_ROWS * (kp + 8) * 8 + (kp + 8) * 8 + 64;
}

/**
 * `assign` for uint8 rows with chunk masks and ‖x‖₁ (l1), screening the centers with int16 quantized centers
 * (qc, kp = k rounded up to 4 rows of dp16 int16, zero padded; qe their error, from quantizeCenters), then
 * settling in float64: the same labels as the reference kernel (the float64 ‖c‖² − 2x·c, dot64's order, ties
 * to the lowest index), the same sums and counts, and the same float64 distances where they are asked for.
 *
 * For center c the estimate is Q_c = ‖c‖² − (x·q_c)/64, with x·q_c exact in int32 lanes (precondition d ≤ 1024,
 * q ≤ 32,640: a lane sums at most d/8 pair products of at most 2 · 255 · 32,640, 2.13 · 10⁹ < 2³¹) and its lanes
 * added in float64 (exact). Its distance from the reference's float64 value V_c is at most
 * e_c = ‖x‖₁ · qe_c + 10⁻¹² · (‖x‖² + ‖c‖²): the quantization (|2x·c − x·q_c/64| ≤ ‖x‖₁ · 2 max|c − q_c/128|)
 * plus the float64 roundings of V_c and of Q_c (each below (d + 2) · 2⁻⁵³ · (‖x‖² + ‖c‖²)), as in assignElkan.
 * With b the center of the smallest Q_c + e_c, every center whose Q_c − e_c exceeds Q_b + e_b has V_c > V_b and
 * cannot be the reference's label; when b is the only one left it is the label, else the float64 values of those
 * left decide (dot64u8, the reference's bits), ties to the lowest index.
 *
 * Rows go in blocks of Q_ROWS: decoded first, then each block of 8 centers against all of them (the centers'
 * loads then hit the L1 cache, where one row against all centers at once would miss it from k ≈ 20 on).
 * noTotal ≠ 0 (with dist 0): a row's exact distance is computed only to settle, and the returned sum is
 * meaningless. scratch: assignSparseQScratch(d, k) bytes.
 */
export function assignSparseQ(x: usize, d: i32, i0: i32, i1: i32, qc: usize, dp16: i32, qe: usize, l1: usize,
                              c64: usize, cn64: usize, k: i32, xn: usize,
                              labels: usize, dist: usize, sums: usize, counts: usize, scratch: usize,
                              rows: usize, masks: usize, noTotal: i32): f64 {
  const rs16 = <usize>dp16 << 1;
  const rs = (<usize>((d + 3) >> 2)) << 4; // int32 sums: dp lanes a center
  const kp = (k + 3) & ~3;
  const chunks = <usize>((d + 7) >> 3);
  const offs = scratch;
  const pix = offs + <usize>Q_ROWS * chunks * 4;
  const starts = pix + <usize>Q_ROWS * chunks * 16;
  const dots = (starts + <usize>(Q_ROWS + 4) * 4 + 15) & ~15;
  const dstride = (<usize>kp + 8) << 3;
  const lows = dots + <usize>Q_ROWS * dstride;
  const inv64 = f64x2.splat(0.015625); // x·q / 64 estimates 2x·c
  let total: f64 = 0;
  let touched: u32 = 0;
  if (rows != 0) touched ^= touchRows(x, d, xn, rows, i0, min(i0 + Q_ROWS, i1), masks);
  for (let b0 = i0; b0 < i1; b0 += Q_ROWS) {
    const b1 = min(b0 + Q_ROWS, i1);
    const nb = b1 - b0;
    // the next block's rows (picked from anywhere) are loaded meanwhile
    if (rows != 0) touched ^= touchRows(x, d, xn, rows, b1, min(b1 + Q_ROWS, i1), masks);
    let ne = 0;
    for (let r = 0; r < nb; r++) {
      const row = rows != 0 ? load<i32>(rows + (<usize>(b0 + r) << 2)) : b0 + r;
      store<i32>(starts + (<usize>r << 2), ne);
      ne += decodeRow8(x + <usize>row * d, masks + (<usize>row << 5), offs + (<usize>ne << 2), pix + (<usize>ne << 4));
    }
    store<i32>(starts + (<usize>nb << 2), ne);
    let c = 0;
    for (; c + 7 < kp; c += 8) {
      const p0 = qc + <usize>c * rs16;
      for (let r = 0; r < nb; r++) {
        let a0 = i32x4.splat(0), a1 = i32x4.splat(0), a2 = i32x4.splat(0), a3 = i32x4.splat(0);
        let a4 = i32x4.splat(0), a5 = i32x4.splat(0), a6 = i32x4.splat(0), a7 = i32x4.splat(0);
        const e1 = load<i32>(starts + (<usize>(r + 1) << 2));
        for (let e = load<i32>(starts + (<usize>r << 2)); e < e1; e++) {
          const p = p0 + <usize>load<i32>(offs + (<usize>e << 2));
          const u = v128.load(pix + (<usize>e << 4));
          a0 = i32x4.add(a0, i32x4.dot_i16x8_s(u, v128.load(p)));
          a1 = i32x4.add(a1, i32x4.dot_i16x8_s(u, v128.load(p + rs16)));
          a2 = i32x4.add(a2, i32x4.dot_i16x8_s(u, v128.load(p + 2 * rs16)));
          a3 = i32x4.add(a3, i32x4.dot_i16x8_s(u, v128.load(p + 3 * rs16)));
          a4 = i32x4.add(a4, i32x4.dot_i16x8_s(u, v128.load(p + 4 * rs16)));
          a5 = i32x4.add(a5, i32x4.dot_i16x8_s(u, v128.load(p + 5 * rs16)));
          a6 = i32x4.add(a6, i32x4.dot_i16x8_s(u, v128.load(p + 6 * rs16)));
          a7 = i32x4.add(a7, i32x4.dot_i16x8_s(u, v128.load(p + 7 * rs16)));
        }
        const o = dots + <usize>r * dstride + (<usize>c << 3);
        v128.store(o, f64x2.mul(hsum2d(a0, a1), inv64));
        v128.store(o, f64x2.mul(hsum2d(a2, a3), inv64), 16);
        v128.store(o, f64x2.mul(hsum2d(a4, a5), inv64), 32);
        v128.store(o, f64x2.mul(hsum2d(a6, a7), inv64), 48);
      }
    }
    for (; c < kp; c += 4) {
      const p0 = qc + <usize>c * rs16;
      for (let r = 0; r < nb; r++) {
        let a0 = i32x4.splat(0), a1 = i32x4.splat(0), a2 = i32x4.splat(0), a3 = i32x4.splat(0);
        const e1 = load<i32>(starts + (<usize>(r + 1) << 2));
        for (let e = load<i32>(starts + (<usize>r << 2)); e < e1; e++) {
          const p = p0 + <usize>load<i32>(offs + (<usize>e << 2));
          const u = v128.load(pix + (<usize>e << 4));
          a0 = i32x4.add(a0, i32x4.dot_i16x8_s(u, v128.load(p)));
          a1 = i32x4.add(a1, i32x4.dot_i16x8_s(u, v128.load(p + rs16)));
          a2 = i32x4.add(a2, i32x4.dot_i16x8_s(u, v128.load(p + 2 * rs16)));
          a3 = i32x4.add(a3, i32x4.dot_i16x8_s(u, v128.load(p + 3 * rs16)));
        }
        const o = dots + <usize>r * dstride + (<usize>c << 3);
        v128.store(o, f64x2.mul(hsum2d(a0, a1), inv64));
        v128.store(o, f64x2.mul(hsum2d(a2, a3), inv64), 16);
      }
    }
    for (let r = 0; r < nb; r++) {
      const i = b0 + r;
      const row = rows != 0 ? load<i32>(rows + (<usize>i << 2)) : i;
      const src = x + <usize>row * d;
      const mk = masks + (<usize>row << 5);
      const dr = dots + <usize>r * dstride;
      const xnv = load<f64>(xn + (<usize>row << 3));
      const l1v = load<f64>(l1 + (<usize>row << 3));
      // the smallest upper bound Q_c + e_c, then the centers whose lower bound Q_c − e_c does not exceed it
      let best = 0;
      let ub: f64 = Infinity;
      for (let e = 0; e < k; e++) {
        const cnv = load<f64>(cn64 + (<usize>e << 3));
        const q = cnv - load<f64>(dr + (<usize>e << 3));
        const err = l1v * load<f64>(qe + (<usize>e << 3)) + 1e-12 * (xnv + cnv);
        store<f64>(lows + (<usize>e << 3), q - err);
        if (q + err < ub) { ub = q + err; best = e; }
      }
      let others = 0;
      for (let e = 0; e < k; e++) if (e != best && load<f64>(lows + (<usize>e << 3)) <= ub) others++;
      let s: f64;
      if (others != 0) {
        let bd: f64 = Infinity;
        for (let e = 0; e < k; e++) {
          if (load<f64>(lows + (<usize>e << 3)) > ub) continue;
          const v = load<f64>(cn64 + (<usize>e << 3)) - 2 * dot64u8(src, c64 + ((<usize>e * d) << 3), mk);
          if (v < bd) { bd = v; best = e; }
        }
        s = xnv + bd;
      } else if (noTotal != 0 && dist == 0) {
        s = 0;
      } else {
        s = xnv + (load<f64>(cn64 + (<usize>best << 3)) - 2 * dot64u8(src, c64 + ((<usize>best * d) << 3), mk));
      }
      if (s < 0) s = 0;
      store<i32>(labels + (<usize>i << 2), best);
      if (dist != 0) store<f64>(dist + (<usize>i << 3), s);
      total += s;
      if (sums != 0) {
        // the row's non-zero 4-pixel chunks into its center's int32 sums
        const sb = sums + <usize>best * rs;
        for (let w = 0; w < 4; w++) {
          let bits = load<u64>(mk + (<usize>w << 3));
          const base = <usize>w << 6;
          while (bits != 0) {
            const q = base + <usize>ctz(bits);
            bits &= bits - 1;
            const p = sb + (q << 4);
            v128.store(p, i32x4.add(v128.load(p), i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(src + (q << 2))))));
          }
        }
        const cp = counts + (<usize>best << 2);
        store<i32>(cp, load<i32>(cp) + 1);
      }
    }
  }
  touchSink ^= touched;
  return total;
}
