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
