// k-means++ trials on uint8 rows with chunk masks (rowMasksU8) and integer candidates (data rows): each
// candidate's squared distances to the rows, kept only where they lower the row's current potential, and the
// candidates' potentials, in one pass over the rows.
//
// Exactness: every distance is an exact integer (int32 dot products, float64 norms of integers), so min(dist,
// closest) and sums of them are exact in float64 in any order (while n·d·255² < 2⁵³, checked by the caller).

import { hsum4i, sparseDots4, touchRows, touchSink } from './lloyd-sparse';

/**
 * For rows [i0, i1) and T ≤ 8 candidates (data rows cand[t]): out[(i − i0)·T + t] = min(‖x_i − c_t‖², closest[i])
 * exactly, and pots[t] += that (float64, this actor's own 8 slots). Four candidates at a time share each loaded
 * chunk of a row, and only the chunks that are non-zero both in the row and in one of the four candidates are
 * read (x·c is 0 over the others). ci16: kp ≥ T candidate rows as int16 (dp16 apart, zero padded); cn64: ‖c_t‖²;
 * xn: ‖x_i‖² (float64, by row); scratch: 64 bytes (the groups' union masks).
 */
export function kppTrialsU8(x: usize, d: i32, i0: i32, i1: i32, cn64: usize, T: i32, xn: usize, out: usize,
                            ci16: usize, dp16: i32, masks: usize, closest: usize, cand: usize, pots: usize,
                            scratch: usize): void {
  const rs16 = <usize>dp16 << 1;
  unionMasks(masks, cand, T, scratch);
  for (let i = i0; i < i1; i++) {
    const xnv = load<f64>(xn + (<usize>i << 3));
    const cl = load<f64>(closest + (<usize>i << 3));
    const o = out + ((<usize>(i - i0) * T) << 3);
    const src = x + <usize>i * d;
    const m = masks + (<usize>i << 5);
    for (let t0 = 0; t0 < T; t0 += 4) {
      let dots = sparseDots4(src, m, scratch + (<usize>(t0 >> 2) << 5), ci16 + <usize>t0 * rs16, rs16);
      for (let t = t0; t < min(T, t0 + 4); t++) {
        let s = xnv + load<f64>(cn64 + (<usize>t << 3)) - 2 * <f64>i32x4.extract_lane(dots, 0);
        dots = v128.shuffle<i32>(dots, dots, 1, 2, 3, 0);
        if (!(s > 0)) s = 0;
        const v = s < cl ? s : cl;
        store<f64>(o + (<usize>t << 3), v);
        store<f64>(pots + (<usize>t << 3), load<f64>(pots + (<usize>t << 3)) + v);
      }
    }
  }
}

// k-means++ trials with a lower bound from a projection (kppBoundsU8): each row keeps q_i, P int16 values of
// ⌊(B x_i) / 2^shift⌋ (B a P × d int16 matrix; minus a per-column offset), and an int32 threshold thr_i derived from
// its current potential (wasm-kpp.ts, kppBoundThresholds). Where ‖q_i − q_c‖² ≥ thr_i the candidate cannot lower
// the row's potential (‖x_i − c‖² ≥ closest[i]), so its exact distance is not needed; the others get it exactly
// (int32 sparse dot products), so every potential and every kept distance is the exact integer of kppTrialsU8.

/**
 * Rows [i0, i1): q32[i·P + j] = (B_j · x_i) >> shift, exactly (int32: |B| ≤ 4096 and d ≤ 1024, so
 * |B_j · x_i| ≤ 1024 · 255 · 4096 < 2³¹). b16: P rows of B as int16 (dp16 apart, zero padded), P a multiple of 4;
 * ones: 32 bytes of all-set mask bits (B is dense).
 */
export function kppProjectU8(x: usize, d: i32, i0: i32, i1: i32, masks: usize, b16: usize, dp16: i32, P: i32,
                             shift: i32, q32: usize, ones: usize): void {
  const rs16 = <usize>dp16 << 1;
  for (let i = i0; i < i1; i++) {
    const src = x + <usize>i * d;
    const m = masks + (<usize>i << 5);
    const o = q32 + ((<usize>i * P) << 2);
    for (let j = 0; j < P; j += 4) {
      v128.store(o + (<usize>j << 2), i32x4.shr_s(sparseDots4(src, m, ones, b16 + <usize>j * rs16, rs16), shift));
    }
  }
}

/** x·c of a uint8 row with one int16 row over the 8-pixel chunks non-zero in both masks (one lane of sparseDots4). */
@inline function sparseDot1(src: usize, m: usize, g: usize, c16: usize): i32 {
  let a = i32x4.splat(0);
  for (let w = 0; w < 4; w++) {
    const b4 = load<u64>(m + (<usize>w << 3)) & load<u64>(g + (<usize>w << 3));
    let bits8 = (b4 | (b4 >> 1)) & 0x5555555555555555;
    const base = <usize>w << 8;
    while (bits8 != 0) {
      const px = base + (<usize>ctz(bits8) << 2);
      bits8 &= bits8 - 1;
      a = i32x4.add(a, i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_u(v128.load64_zero(src + px)), v128.load(c16 + (px << 1))));
    }
  }
  return i32x4.extract_lane(a, 0) + i32x4.extract_lane(a, 1) + i32x4.extract_lane(a, 2) + i32x4.extract_lane(a, 3);
}

/** Rows a block of kppBoundedTrialsU8: their bounds first, then the exact distances of the pairs left. */
const BLOCK: i32 = 64;

/**
 * For rows [i0, i1) and T ≤ 8 candidates (data rows cand[t], int16 rows at ci16): where ‖q_i − q_cand‖² < thr[i],
 * out[(i − i0)·T + t] = ‖x_i − c_t‖² (exact) and bit t of sel[i] is set; the other outputs are not written (those
 * candidates leave the row's potential as it is). red[t] += closest[i] − ‖x_i − c_t‖² where that is positive (this
 * actor's own 8 slots; slot 8 counts the distances computed), so a candidate's potential is Σ closest − red[t],
 * exactly. ‖q_i − q_c‖² fits in int32 (the caller's choice of shift bounds it by 2²⁹), so do the int16 differences.
 * Per block of BLOCK rows: the bounds of four candidates at a time in one vector (the first half of the P values
 * first: a partial sum already ≥ thr prunes as the whole would); then the rows with pairs left, whose pixels are
 * touched a few rows ahead (their cache misses overlap): a group of four with one pair left gets that dot product
 * alone, one with more the four (sharing the row's chunks, as kppTrialsU8).
 * scratch: 64 bytes (the groups' union masks), then 4·BLOCK (rows left) and BLOCK (their pairs' bits).
 */
export function kppBoundedTrialsU8(x: usize, d: i32, i0: i32, i1: i32, cn64: usize, T: i32, xn: usize, out: usize,
                                   ci16: usize, dp16: i32, masks: usize, closest: usize, cand: usize, red: usize,
                                   q16: usize, P: i32, thr: usize, sel: usize, scratch: usize): void {
  const rs16 = <usize>dp16 << 1;
  const qs = <usize>P << 1;
  const half = qs >> 1;
  unionMasks(masks, cand, T, scratch);
  const left = scratch + 64;
  const leftBits = left + (<usize>BLOCK << 2);
  let touched: u32 = 0;
  let computed: i32 = 0;
  for (let b0 = i0; b0 < i1; b0 += BLOCK) {
    const b1 = min(i1, b0 + BLOCK);
    let nl = 0;
    for (let i = b0; i < b1; i++) {
      const qi = q16 + <usize>i * qs;
      const th = i32x4.splat(load<i32>(thr + (<usize>i << 2)));
      let bits: i32 = 0;
      for (let t0 = 0; t0 < T; t0 += 4) {
        const nt = min(4, T - t0);
        // candidates past T compare the row with itself (a bound of 0) and are masked off
        const c0 = q16 + <usize>load<i32>(cand + (<usize>t0 << 2)) * qs;
        const c1 = nt > 1 ? q16 + <usize>load<i32>(cand + (<usize>(t0 + 1) << 2)) * qs : qi;
        const c2 = nt > 2 ? q16 + <usize>load<i32>(cand + (<usize>(t0 + 2) << 2)) * qs : qi;
        const c3 = nt > 3 ? q16 + <usize>load<i32>(cand + (<usize>(t0 + 3) << 2)) * qs : qi;
        let a0 = i32x4.splat(0), a1 = i32x4.splat(0), a2 = i32x4.splat(0), a3 = i32x4.splat(0);
        let live: i32 = 0;
        for (let j: usize = 0; j < qs; j += 16) {
          const v = v128.load(qi + j);
          const e0 = i16x8.sub(v, v128.load(c0 + j));
          const e1 = i16x8.sub(v, v128.load(c1 + j));
          const e2 = i16x8.sub(v, v128.load(c2 + j));
          const e3 = i16x8.sub(v, v128.load(c3 + j));
          a0 = i32x4.add(a0, i32x4.dot_i16x8_s(e0, e0));
          a1 = i32x4.add(a1, i32x4.dot_i16x8_s(e1, e1));
          a2 = i32x4.add(a2, i32x4.dot_i16x8_s(e2, e2));
          a3 = i32x4.add(a3, i32x4.dot_i16x8_s(e3, e3));
          if (j + 16 == half || j + 16 == qs) {
            live = i32x4.bitmask(i32x4.lt_s(hsum4i(a0, a1, a2, a3), th)) & ((1 << nt) - 1);
            if (live == 0) break;
          }
        }
        bits |= live << t0;
      }
      if (bits != 0) {
        store<i32>(left + (<usize>nl << 2), i);
        store<u8>(leftBits + <usize>nl, <u8>bits);
        nl++;
      }
      store<u8>(sel + <usize>i, 0);
    }
    for (let e = 0; e < nl; e++) {
      if ((e & 3) == 0) touched ^= touchRows(x, d, xn, left, e + (e == 0 ? 1 : 4), min(e + 8, nl), masks);
      const i = load<i32>(left + (<usize>e << 2));
      const liveAll = <i32>load<u8>(leftBits + <usize>e);
      const src = x + <usize>i * d;
      const m = masks + (<usize>i << 5);
      const xnv = load<f64>(xn + (<usize>i << 3));
      const cl = load<f64>(closest + (<usize>i << 3));
      const o = out + ((<usize>(i - i0) * T) << 3);
      let bits: i32 = 0;
      for (let t0 = 0; t0 < T; t0 += 4) {
        const nt = min(4, T - t0);
        const live = (liveAll >> t0) & 15;
        if (live == 0) continue;
        const c16 = ci16 + <usize>t0 * rs16;
        let dots: v128;
        let done: i32;
        if ((live & (live - 1)) == 0) {
          const t = ctz(live);
          const row = <usize>load<i32>(cand + (<usize>(t0 + t) << 2));
          dots = i32x4.splat(sparseDot1(src, m, masks + (row << 5), c16 + <usize>t * rs16));
          done = live;
        } else {
          dots = sparseDots4(src, m, scratch + (<usize>(t0 >> 2) << 5), c16, rs16);
          done = (1 << nt) - 1;
        }
        bits |= done << t0;
        for (let t = t0; t < t0 + nt; t++) {
          const dt = i32x4.extract_lane(dots, 0);
          dots = v128.shuffle<i32>(dots, dots, 1, 2, 3, 0);
          if (((done >> (t - t0)) & 1) == 0) continue;
          let s = xnv + load<f64>(cn64 + (<usize>t << 3)) - 2 * <f64>dt;
          if (!(s > 0)) s = 0;
          store<f64>(o + (<usize>t << 3), s);
          if (s < cl) store<f64>(red + (<usize>t << 3), load<f64>(red + (<usize>t << 3)) + (cl - s));
        }
      }
      store<u8>(sel + <usize>i, <u8>bits);
      computed += popcnt(bits);
    }
  }
  store<f64>(red + 64, load<f64>(red + 64) + <f64>computed);
  touchSink ^= touched;
}

/** scratch + 32·g: the union of the chunk masks of candidates 4g … 4g + 3 (rows cand[t], t < T ≤ 8). */
function unionMasks(masks: usize, cand: usize, T: i32, scratch: usize): void {
  for (let t0 = 0; t0 < T; t0 += 4) {
    const g = scratch + (<usize>(t0 >> 2) << 5);
    for (let w = 0; w < 4; w++) {
      let u: u64 = 0;
      for (let t = t0; t < min(T, t0 + 4); t++) u |= load<u64>(masks + (<usize>load<i32>(cand + (<usize>t << 2)) << 5) + (<usize>w << 3));
      store<u64>(g + (<usize>w << 3), u);
    }
  }
}

/**
 * The row's threshold on ‖q_i − q_c‖² for potential cl: ⌈(√P + a·√cl)²⌉ with a = √λ / 2^shift (λ ≥ the largest
 * eigenvalue of B Bᵀ), widened by 1e-9 against rounding and capped at 2³¹ − 1 (never reached by ‖q_i − q_c‖²).
 */
@inline function boundThreshold(cl: f64, sqrtP: f64, a: f64): i32 {
  const r = sqrtP + a * Math.sqrt(cl) * (1 + 1e-9);
  const t = Math.ceil(r * r * (1 + 1e-9));
  return t >= 2147483647 ? 2147483647 : <i32>t;
}

/**
 * Rows [i0, i1) after candidate `best` (best ≥ 0) of the last kppTrialsU8 (out, T a row) became a center: closest[i] =
 * out[(i − i0)·T + best] (kppTrialsU8 wrote min(‖x_i − c‖², closest[i]) there); then cum[i − i0] = closest[i0] + … +
 * closest[i] (float64, added in row order, as numpy's cumsum), for the next candidates' draw. best < 0: only cum.
 */
export function kppCommit(i0: i32, i1: i32, best: i32, T: i32, out: usize, closest: usize, cum: usize): void {
  let acc: f64 = 0;
  for (let i = i0; i < i1; i++) {
    const c = closest + (<usize>i << 3);
    if (best >= 0) store<f64>(c, load<f64>(out + ((<usize>(i - i0) * T + best) << 3)));
    acc += load<f64>(c);
    store<f64>(cum + (<usize>(i - i0) << 3), acc);
  }
}

/**
 * Rows [i0, i1) after candidate `best` of the last kppBoundedTrialsU8 became a center: where it was computed (bit
 * best of sel[i]) and lower, closest[i] = out[i·T + best] and thr[i] follows. all ≠ 0: every row's thr[i] from
 * closest[i] (the start). cum ≠ 0: also cum[i] = closest[i0] + … + closest[i] (float64, added in row order, as
 * numpy's cumsum), for the next candidates' draw.
 */
export function kppBoundedCommit(i0: i32, i1: i32, all: i32, best: i32, T: i32, out: usize, sel: usize,
                                 closest: usize, thr: usize, sqrtP: f64, a: f64, cum: usize): void {
  let acc: f64 = 0;
  for (let i = i0; i < i1; i++) {
    const c = closest + (<usize>i << 3);
    let changed = all != 0;
    if (!changed && ((<i32>load<u8>(sel + <usize>i) >> best) & 1) != 0) {
      const s = load<f64>(out + ((<usize>i * T + best) << 3));
      if (s < load<f64>(c)) {
        store<f64>(c, s);
        changed = true;
      }
    }
    if (changed) store<i32>(thr + (<usize>i << 2), boundThreshold(load<f64>(c), sqrtP, a));
    if (cum != 0) {
      acc += load<f64>(c);
      store<f64>(cum + (<usize>(i - i0) << 3), acc);
    }
  }
}

// The k-means++ bounds' basis on the kernel (kppBasisU8): directions near the top principal axes of a few uint8 rows,
// by block power iteration as embed/pca.ts roughAxes (the same steps, in float64, two vector lanes at a time). Any
// basis keeps the k-means++ values exact (the bounds hold for every B); a good one only prunes more pairs.

/** a[ao … ao + d) · b[bo … bo + d) (float64, byte offsets). */
@inline function dotF64(a: usize, b: usize, d: i32): f64 {
  let acc = f64x2.splat(0);
  let j = 0;
  for (; j + 2 <= d; j += 2) acc = f64x2.add(acc, f64x2.mul(v128.load(a + (<usize>j << 3)), v128.load(b + (<usize>j << 3))));
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  if (j < d) s += load<f64>(a + (<usize>j << 3)) * load<f64>(b + (<usize>j << 3));
  return s;
}

/** dst[0 … P) += a · src[0 … P) (float64, P even, byte offsets). */
@inline function axpyF64(dst: usize, src: usize, a: f64, P: i32): void {
  const av = f64x2.splat(a);
  for (let k = 0; k < P; k += 2) {
    const o = <usize>k << 3;
    v128.store(dst + o, f64x2.add(v128.load(dst + o), f64x2.mul(av, v128.load(src + o))));
  }
}

/** Rows of V (P × d float64, d apart) made orthonormal in place: modified Gram–Schmidt, twice (a zero row stays zero). */
export function orthonormalizeRows(V: usize, P: i32, d: i32): void {
  const rs = <usize>d << 3;
  for (let pass = 0; pass < 2; pass++) {
    for (let k = 0; k < P; k++) {
      const vk = V + <usize>k * rs;
      for (let j = 0; j < k; j++) {
        const vj = V + <usize>j * rs;
        const r = dotF64(vk, vj, d);
        for (let i = 0; i < d; i++) store<f64>(vk + (<usize>i << 3), load<f64>(vk + (<usize>i << 3)) - r * load<f64>(vj + (<usize>i << 3)));
      }
      const norm = Math.sqrt(dotF64(vk, vk, d));
      if (norm > 0) for (let i = 0; i < d; i++) store<f64>(vk + (<usize>i << 3), load<f64>(vk + (<usize>i << 3)) / norm);
    }
  }
}

/**
 * P orthonormal directions (P × d float64 at Q) near the top principal axes of the `count` uint8 rows x + rows[r]·d
 * (P ≤ count, P ≤ d, P even): the centered rows' first P, then `iterations` times Q ← orth(Q Aᵀ A) with A the centered
 * rows, over their non-zero values. Work: mean (d), Qt (d × P), W (count × P), two (P) float64.
 */
export function kppBasisU8(x: usize, d: i32, rows: usize, count: i32, P: i32, iterations: i32, Q: usize, mean: usize,
                           Qt: usize, W: usize, two: usize): void {
  const rs = <usize>d << 3;
  const ps = <usize>P << 3;
  for (let j = 0; j < d; j++) store<f64>(mean + (<usize>j << 3), 0);
  for (let r = 0; r < count; r++) {
    const src = x + <usize>load<i32>(rows + (<usize>r << 2)) * d;
    for (let j = 0; j < d; j++) {
      const v = <i32>load<u8>(src + <usize>j);
      if (v != 0) store<f64>(mean + (<usize>j << 3), load<f64>(mean + (<usize>j << 3)) + <f64>v);
    }
  }
  for (let j = 0; j < d; j++) store<f64>(mean + (<usize>j << 3), load<f64>(mean + (<usize>j << 3)) / <f64>count);
  for (let k = 0; k < P; k++) {
    const src = x + <usize>load<i32>(rows + (<usize>k << 2)) * d;
    for (let j = 0; j < d; j++) store<f64>(Q + <usize>k * rs + (<usize>j << 3), <f64>load<u8>(src + <usize>j) - load<f64>(mean + (<usize>j << 3)));
  }
  orthonormalizeRows(Q, P, d);
  const qm = two;
  const w1 = two + ps;
  for (let it = 0; it < iterations; it++) {
    for (let k = 0; k < P; k++) for (let j = 0; j < d; j++) store<f64>(Qt + <usize>j * ps + (<usize>k << 3), load<f64>(Q + <usize>k * rs + (<usize>j << 3)));
    for (let k = 0; k < P; k++) store<f64>(qm + (<usize>k << 3), 0);
    for (let j = 0; j < d; j++) axpyF64(qm, Qt + <usize>j * ps, load<f64>(mean + (<usize>j << 3)), P);
    // W = A Qᵀ: W_r = Σ_j x_rj Qt_j − Q μ
    for (let r = 0; r < count; r++) {
      const src = x + <usize>load<i32>(rows + (<usize>r << 2)) * d;
      const w = W + <usize>r * ps;
      for (let k = 0; k < P; k += 2) v128.store(w + (<usize>k << 3), f64x2.neg(v128.load(qm + (<usize>k << 3))));
      for (let j = 0; j < d; j++) {
        const v = <i32>load<u8>(src + <usize>j);
        if (v != 0) axpyF64(w, Qt + <usize>j * ps, <f64>v, P);
      }
    }
    // Qt = Xᵀ W, w1 = Σ_r W_r; then Q = (Aᵀ W)ᵀ = Qt − μ w1ᵀ, transposed
    for (let t = 0; t < d * P; t++) store<f64>(Qt + (<usize>t << 3), 0);
    for (let k = 0; k < P; k++) store<f64>(w1 + (<usize>k << 3), 0);
    for (let r = 0; r < count; r++) {
      const src = x + <usize>load<i32>(rows + (<usize>r << 2)) * d;
      const w = W + <usize>r * ps;
      axpyF64(w1, w, 1, P);
      for (let j = 0; j < d; j++) {
        const v = <i32>load<u8>(src + <usize>j);
        if (v != 0) axpyF64(Qt + <usize>j * ps, w, <f64>v, P);
      }
    }
    for (let k = 0; k < P; k++) {
      const w1k = load<f64>(w1 + (<usize>k << 3));
      for (let j = 0; j < d; j++) {
        store<f64>(Q + <usize>k * rs + (<usize>j << 3), load<f64>(Qt + <usize>j * ps + (<usize>k << 3)) - w1k * load<f64>(mean + (<usize>j << 3)));
      }
    }
    orthonormalizeRows(Q, P, d);
  }
}

/** Rows [i0, i1) of q32 (P int32 a row, P a multiple of 4): each column's smallest and largest value into lo, hi (P int32, updated). */
export function kppColumnRange(q32: usize, P: i32, i0: i32, i1: i32, lo: usize, hi: usize): void {
  const rs = <usize>P << 2;
  for (let j: usize = 0; j < rs; j += 16) {
    let l = v128.load(lo + j);
    let h = v128.load(hi + j);
    for (let i = i0; i < i1; i++) {
      const v = v128.load(q32 + <usize>i * rs + j);
      l = i32x4.min_s(l, v);
      h = i32x4.max_s(h, v);
    }
    v128.store(lo + j, l);
    v128.store(hi + j, h);
  }
}

/** Rows [i0, i1): q16[i·P + j] = q32[i·P + j] − mid[j] (the caller has checked that every difference fits int16). */
export function kppOffsetQ16(q32: usize, P: i32, i0: i32, i1: i32, mid: usize, q16: usize): void {
  const rs = <usize>P << 2;
  for (let i = i0; i < i1; i++) {
    const src = q32 + <usize>i * rs;
    const dst = q16 + (<usize>i * rs >> 1);
    for (let j: usize = 0; j < rs; j += 32) {
      const a = i32x4.sub(v128.load(src + j), v128.load(mid + j));
      const b = i32x4.sub(v128.load(src + j + 16), v128.load(mid + j + 16));
      v128.store(dst + (j >> 1), i16x8.narrow_i32x4_s(a, b));
    }
  }
}

/**
 * Gershgorin's bound on the largest eigenvalue of G = B Bᵀ for the P int16 rows of B (dp16 apart, dp16 a multiple of
 * 8): max_a Σ_b |G_ab|, exactly. Each G_ab sums int32 pairs (two products below 4096² · 2 < 2³¹, the basis' bound
 * BASIS_MAX) in int64, so any order gives the same integer, below 2⁵³ (P · dp16 · 4096² here), exact as float64.
 */
export function basisGershgorin(b16: usize, P: i32, dp16: i32): f64 {
  const rs = <usize>dp16 << 1;
  let lambda: i64 = 0;
  for (let a = 0; a < P; a++) {
    let row: i64 = 0;
    const ra = b16 + <usize>a * rs;
    for (let b = 0; b < P; b++) {
      const rb = b16 + <usize>b * rs;
      let g = i64x2.splat(0);
      for (let j = 0; j < dp16; j += 8) {
        const p = i32x4.dot_i16x8_s(v128.load(ra + (<usize>j << 1)), v128.load(rb + (<usize>j << 1)));
        g = i64x2.add(g, i64x2.add(i64x2.extend_low_i32x4_s(p), i64x2.extend_high_i32x4_s(p)));
      }
      const v = i64x2.extract_lane(g, 0) + i64x2.extract_lane(g, 1);
      row += v < 0 ? -v : v;
    }
    if (row > lambda) lambda = row;
  }
  return <f64>lambda;
}
