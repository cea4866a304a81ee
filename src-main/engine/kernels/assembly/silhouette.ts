// WASM SIMD kernels of the exact silhouette: per-row, per-cluster sums of Euclidean distances over a block
// pair (rows [i0, i1) of cluster cI × rows [j0, j1) of cluster cJ), 2 × 4 tiles.
// All pointers are byte offsets into the (shared) memory; nothing here allocates or keeps state, so any number
// of instances may run on one memory at once as long as their output regions differ.

// Lane sums of four i32x4 accumulators, as one i32x4 [Σa, Σb, Σc, Σd].
// @ts-ignore: decorator
@inline function hsum4i(a: v128, b: v128, c: v128, d: v128): v128 {
  const ab = i32x4.add(v128.shuffle<i32>(a, b, 0, 4, 1, 5), v128.shuffle<i32>(a, b, 2, 6, 3, 7));
  const cd = i32x4.add(v128.shuffle<i32>(c, d, 0, 4, 1, 5), v128.shuffle<i32>(c, d, 2, 6, 3, 7));
  return i32x4.add(v128.shuffle<i32>(ab, cd, 0, 1, 4, 5), v128.shuffle<i32>(ab, cd, 2, 3, 6, 7));
}

// @ts-ignore: decorator
@inline function hsum4f(a: v128, b: v128, c: v128, d: v128): v128 {
  const ab = f32x4.add(v128.shuffle<f32>(a, b, 0, 4, 1, 5), v128.shuffle<f32>(a, b, 2, 6, 3, 7));
  const cd = f32x4.add(v128.shuffle<f32>(c, d, 0, 4, 1, 5), v128.shuffle<f32>(c, d, 2, 6, 3, 7));
  return f32x4.add(v128.shuffle<f32>(ab, cd, 0, 1, 4, 5), v128.shuffle<f32>(ab, cd, 2, 3, 6, 7));
}

// @ts-ignore: decorator
@inline function hsumI(a: v128): i32 {
  return i32x4.extract_lane(a, 0) + i32x4.extract_lane(a, 1) + i32x4.extract_lane(a, 2) + i32x4.extract_lane(a, 3);
}

// @ts-ignore: decorator
@inline function hsumF(a: v128): f32 {
  return f32x4.extract_lane(a, 0) + f32x4.extract_lane(a, 1) + f32x4.extract_lane(a, 2) + f32x4.extract_lane(a, 3);
}

/** Squared distances (i32x4, exact) → Euclidean distances as two f64x2 (low lanes, high lanes), added together. */
// @ts-ignore: decorator
@inline function sqrtSumLanes(sq: v128, col: usize): f64 {
  const lo = f64x2.sqrt(f64x2.convert_low_i32x4_s(sq));
  const hi = f64x2.sqrt(f64x2.convert_low_i32x4_s(v128.shuffle<i32>(sq, sq, 2, 3, 2, 3)));
  if (col != 0) {
    v128.store(col, f64x2.add(v128.load(col), lo));
    v128.store(col, f64x2.add(v128.load(col, 16), hi), 16);
  }
  const s = f64x2.add(lo, hi);
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

// @ts-ignore: decorator
@inline function sqrtSumLanesF(sq: v128, col: usize): f64 {
  const z = f32x4.splat(0);
  const q = f32x4.max(sq, z);
  const lo = f64x2.sqrt(f64x2.promote_low_f32x4(q));
  const hi = f64x2.sqrt(f64x2.promote_low_f32x4(v128.shuffle<f32>(q, q, 2, 3, 2, 3)));
  if (col != 0) {
    v128.store(col, f64x2.add(v128.load(col), lo));
    v128.store(col, f64x2.add(v128.load(col, 16), hi), 16);
  }
  const s = f64x2.add(lo, hi);
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

function dotI16(a: usize, b: usize, rs: usize): i32 {
  let acc = i32x4.splat(0);
  for (let o: usize = 0; o < rs; o += 16) acc = i32x4.add(acc, i32x4.dot_i16x8_s(v128.load(a + o), v128.load(b + o)));
  return hsumI(acc);
}

function sqdF32(a: usize, b: usize, rs: usize): f32 {
  let acc = f32x4.splat(0);
  for (let o: usize = 0; o < rs; o += 16) {
    const t = f32x4.sub(v128.load(a + o), v128.load(b + o));
    acc = f32x4.add(acc, f32x4.mul(t, t));
  }
  return hsumF(acc);
}

/**
 * Integer path. x: n × dp int16 rows (dp a multiple of 8, zero padded), norms: n int32 ‖x‖².
 * masks (0, or when dp ≤ 1024): per row two u64 words, bit b set when the row's 8-value chunk b is not all zero;
 * the 2 × 4 tiles then skip the chunks that are zero in both rows or in all four columns (MNIST: ~60 %).
 * sums: n × k float64 (this thread's), col: scratch of (j1 − j0 + 4) float64.
 * Adds Σ_j dist(i, j) to sums[i·k + cJ] for every row i, and, unless diag, Σ_i dist(i, j) to sums[j·k + cI].
 * With diag (i0 = j0, i1 = j1) only row sums are added: each ordered pair is then counted once.
 */
export function silI16(x: usize, dp: i32, norms: usize, masks: usize, sums: usize, k: i32, col: usize,
                       i0: i32, i1: i32, cI: i32, j0: i32, j1: i32, cJ: i32, diag: i32): void {
  const rs = <usize>dp << 1;
  const nc = j1 - j0;
  if (diag == 0) memory.fill(col, 0, <usize>(nc + 4) << 3);
  const colp: usize = diag != 0 ? 0 : col;
  let i = i0;
  for (; i + 1 < i1; i += 2) {
    const pa0 = x + <usize>i * rs;
    const pa1 = pa0 + rs;
    const na0 = i32x4.splat(load<i32>(norms + (<usize>i << 2)));
    const na1 = i32x4.splat(load<i32>(norms + (<usize>(i + 1) << 2)));
    let ma0: u64 = 0;
    let ma1: u64 = 0;
    if (masks != 0) {
      const mp = masks + (<usize>i << 4);
      ma0 = load<u64>(mp) | load<u64>(mp, 16);
      ma1 = load<u64>(mp, 8) | load<u64>(mp, 24);
    }
    let r0: f64 = 0;
    let r1: f64 = 0;
    let j = j0;
    for (; j + 3 < j1; j += 4) {
      const pb0 = x + <usize>j * rs;
      const pb1 = pb0 + rs;
      const pb2 = pb1 + rs;
      const pb3 = pb2 + rs;
      let a00 = i32x4.splat(0), a01 = i32x4.splat(0), a02 = i32x4.splat(0), a03 = i32x4.splat(0);
      let a10 = i32x4.splat(0), a11 = i32x4.splat(0), a12 = i32x4.splat(0), a13 = i32x4.splat(0);
      if (masks != 0) {
        // only the 16-byte chunks where one of the two rows and one of the four columns is non-zero
        const mp = masks + (<usize>j << 4);
        for (let w = 0; w < 2; w++) {
          const wo = <usize>w << 3;
          let m = (load<u64>(mp + wo) | load<u64>(mp + wo, 16) | load<u64>(mp + wo, 32) | load<u64>(mp + wo, 48)) &
            (w == 0 ? ma0 : ma1);
          const base = <usize>w << 10;
          while (m != 0) {
            const o = base + (<usize>ctz(m) << 4);
            m &= m - 1;
            const u0 = v128.load(pa0 + o);
            const u1 = v128.load(pa1 + o);
            let v = v128.load(pb0 + o);
            a00 = i32x4.add(a00, i32x4.dot_i16x8_s(u0, v));
            a10 = i32x4.add(a10, i32x4.dot_i16x8_s(u1, v));
            v = v128.load(pb1 + o);
            a01 = i32x4.add(a01, i32x4.dot_i16x8_s(u0, v));
            a11 = i32x4.add(a11, i32x4.dot_i16x8_s(u1, v));
            v = v128.load(pb2 + o);
            a02 = i32x4.add(a02, i32x4.dot_i16x8_s(u0, v));
            a12 = i32x4.add(a12, i32x4.dot_i16x8_s(u1, v));
            v = v128.load(pb3 + o);
            a03 = i32x4.add(a03, i32x4.dot_i16x8_s(u0, v));
            a13 = i32x4.add(a13, i32x4.dot_i16x8_s(u1, v));
          }
        }
      } else {
        let o: usize = 0;
        for (; o + 16 < rs; o += 32) {
          let u0 = v128.load(pa0 + o);
          let u1 = v128.load(pa1 + o);
          let v = v128.load(pb0 + o);
          a00 = i32x4.add(a00, i32x4.dot_i16x8_s(u0, v));
          a10 = i32x4.add(a10, i32x4.dot_i16x8_s(u1, v));
          v = v128.load(pb1 + o);
          a01 = i32x4.add(a01, i32x4.dot_i16x8_s(u0, v));
          a11 = i32x4.add(a11, i32x4.dot_i16x8_s(u1, v));
          v = v128.load(pb2 + o);
          a02 = i32x4.add(a02, i32x4.dot_i16x8_s(u0, v));
          a12 = i32x4.add(a12, i32x4.dot_i16x8_s(u1, v));
          v = v128.load(pb3 + o);
          a03 = i32x4.add(a03, i32x4.dot_i16x8_s(u0, v));
          a13 = i32x4.add(a13, i32x4.dot_i16x8_s(u1, v));
          u0 = v128.load(pa0 + o, 16);
          u1 = v128.load(pa1 + o, 16);
          v = v128.load(pb0 + o, 16);
          a00 = i32x4.add(a00, i32x4.dot_i16x8_s(u0, v));
          a10 = i32x4.add(a10, i32x4.dot_i16x8_s(u1, v));
          v = v128.load(pb1 + o, 16);
          a01 = i32x4.add(a01, i32x4.dot_i16x8_s(u0, v));
          a11 = i32x4.add(a11, i32x4.dot_i16x8_s(u1, v));
          v = v128.load(pb2 + o, 16);
          a02 = i32x4.add(a02, i32x4.dot_i16x8_s(u0, v));
          a12 = i32x4.add(a12, i32x4.dot_i16x8_s(u1, v));
          v = v128.load(pb3 + o, 16);
          a03 = i32x4.add(a03, i32x4.dot_i16x8_s(u0, v));
          a13 = i32x4.add(a13, i32x4.dot_i16x8_s(u1, v));
        }
        for (; o < rs; o += 16) {
          const u0 = v128.load(pa0 + o);
          const u1 = v128.load(pa1 + o);
          let v = v128.load(pb0 + o);
          a00 = i32x4.add(a00, i32x4.dot_i16x8_s(u0, v));
          a10 = i32x4.add(a10, i32x4.dot_i16x8_s(u1, v));
          v = v128.load(pb1 + o);
          a01 = i32x4.add(a01, i32x4.dot_i16x8_s(u0, v));
          a11 = i32x4.add(a11, i32x4.dot_i16x8_s(u1, v));
          v = v128.load(pb2 + o);
          a02 = i32x4.add(a02, i32x4.dot_i16x8_s(u0, v));
          a12 = i32x4.add(a12, i32x4.dot_i16x8_s(u1, v));
          v = v128.load(pb3 + o);
          a03 = i32x4.add(a03, i32x4.dot_i16x8_s(u0, v));
          a13 = i32x4.add(a13, i32x4.dot_i16x8_s(u1, v));
        }
      }
      const nb = v128.load(norms + (<usize>j << 2));
      // ‖a‖² + ‖b‖² − 2 a·b, exact in int32 (784 · 255² · 2 < 2³¹)
      const s0 = i32x4.sub(i32x4.add(na0, nb), i32x4.shl(hsum4i(a00, a01, a02, a03), 1));
      const s1 = i32x4.sub(i32x4.add(na1, nb), i32x4.shl(hsum4i(a10, a11, a12, a13), 1));
      const cp: usize = colp != 0 ? colp + (<usize>(j - j0) << 3) : 0;
      r0 += sqrtSumLanes(s0, cp);
      r1 += sqrtSumLanes(s1, cp);
    }
    for (; j < j1; j++) {
      const pb = x + <usize>j * rs;
      const nb = load<i32>(norms + (<usize>j << 2));
      const d0 = Math.sqrt(<f64>(load<i32>(norms + (<usize>i << 2)) + nb - 2 * dotI16(pa0, pb, rs)));
      const d1 = Math.sqrt(<f64>(load<i32>(norms + (<usize>(i + 1) << 2)) + nb - 2 * dotI16(pa1, pb, rs)));
      r0 += d0;
      r1 += d1;
      if (colp != 0) {
        const cq = colp + (<usize>(j - j0) << 3);
        store<f64>(cq, load<f64>(cq) + d0 + d1);
      }
    }
    const s0p = sums + ((<usize>i * k + cJ) << 3);
    store<f64>(s0p, load<f64>(s0p) + r0);
    const s1p = sums + ((<usize>(i + 1) * k + cJ) << 3);
    store<f64>(s1p, load<f64>(s1p) + r1);
  }
  if (i < i1) {
    const pa = x + <usize>i * rs;
    const na = load<i32>(norms + (<usize>i << 2));
    let r: f64 = 0;
    for (let j = j0; j < j1; j++) {
      const dd = Math.sqrt(<f64>(na + load<i32>(norms + (<usize>j << 2)) - 2 * dotI16(pa, x + <usize>j * rs, rs)));
      r += dd;
      if (colp != 0) {
        const cq = colp + (<usize>(j - j0) << 3);
        store<f64>(cq, load<f64>(cq) + dd);
      }
    }
    const sp = sums + ((<usize>i * k + cJ) << 3);
    store<f64>(sp, load<f64>(sp) + r);
  }
  if (colp != 0) {
    for (let j = j0; j < j1; j++) {
      const sp = sums + ((<usize>j * k + cI) << 3);
      store<f64>(sp, load<f64>(sp) + load<f64>(colp + (<usize>(j - j0) << 3)));
    }
  }
}

/**
 * Float path, same contract as silI16: x is n × dp float32 (dp a multiple of 4, zero padded); squared
 * distances are summed from the differences (no cancellation), in float32 lanes, then sqrt in float64.
 */
export function silF32(x: usize, dp: i32, sums: usize, k: i32, col: usize,
                       i0: i32, i1: i32, cI: i32, j0: i32, j1: i32, cJ: i32, diag: i32): void {
  const rs = <usize>dp << 2;
  const nc = j1 - j0;
  if (diag == 0) memory.fill(col, 0, <usize>(nc + 4) << 3);
  const colp: usize = diag != 0 ? 0 : col;
  let i = i0;
  for (; i + 1 < i1; i += 2) {
    const pa0 = x + <usize>i * rs;
    const pa1 = pa0 + rs;
    let r0: f64 = 0;
    let r1: f64 = 0;
    let j = j0;
    for (; j + 3 < j1; j += 4) {
      const pb0 = x + <usize>j * rs;
      const pb1 = pb0 + rs;
      const pb2 = pb1 + rs;
      const pb3 = pb2 + rs;
      let a00 = f32x4.splat(0), a01 = f32x4.splat(0), a02 = f32x4.splat(0), a03 = f32x4.splat(0);
      let a10 = f32x4.splat(0), a11 = f32x4.splat(0), a12 = f32x4.splat(0), a13 = f32x4.splat(0);
      for (let o: usize = 0; o < rs; o += 16) {
        const u0 = v128.load(pa0 + o);
        const u1 = v128.load(pa1 + o);
        let v = v128.load(pb0 + o);
        let t = f32x4.sub(u0, v);
        a00 = f32x4.add(a00, f32x4.mul(t, t));
        t = f32x4.sub(u1, v);
        a10 = f32x4.add(a10, f32x4.mul(t, t));
        v = v128.load(pb1 + o);
        t = f32x4.sub(u0, v);
        a01 = f32x4.add(a01, f32x4.mul(t, t));
        t = f32x4.sub(u1, v);
        a11 = f32x4.add(a11, f32x4.mul(t, t));
        v = v128.load(pb2 + o);
        t = f32x4.sub(u0, v);
        a02 = f32x4.add(a02, f32x4.mul(t, t));
        t = f32x4.sub(u1, v);
        a12 = f32x4.add(a12, f32x4.mul(t, t));
        v = v128.load(pb3 + o);
        t = f32x4.sub(u0, v);
        a03 = f32x4.add(a03, f32x4.mul(t, t));
        t = f32x4.sub(u1, v);
        a13 = f32x4.add(a13, f32x4.mul(t, t));
      }
      const cp: usize = colp != 0 ? colp + (<usize>(j - j0) << 3) : 0;
      r0 += sqrtSumLanesF(hsum4f(a00, a01, a02, a03), cp);
      r1 += sqrtSumLanesF(hsum4f(a10, a11, a12, a13), cp);
    }
    for (; j < j1; j++) {
      const pb = x + <usize>j * rs;
      const d0 = Math.sqrt(<f64>sqdF32(pa0, pb, rs));
      const d1 = Math.sqrt(<f64>sqdF32(pa1, pb, rs));
      r0 += d0;
      r1 += d1;
      if (colp != 0) {
        const cq = colp + (<usize>(j - j0) << 3);
        store<f64>(cq, load<f64>(cq) + d0 + d1);
      }
    }
    const s0p = sums + ((<usize>i * k + cJ) << 3);
    store<f64>(s0p, load<f64>(s0p) + r0);
    const s1p = sums + ((<usize>(i + 1) * k + cJ) << 3);
    store<f64>(s1p, load<f64>(s1p) + r1);
  }
  if (i < i1) {
    const pa = x + <usize>i * rs;
    let r: f64 = 0;
    for (let j = j0; j < j1; j++) {
      const dd = Math.sqrt(<f64>sqdF32(pa, x + <usize>j * rs, rs));
      r += dd;
      if (colp != 0) {
        const cq = colp + (<usize>(j - j0) << 3);
        store<f64>(cq, load<f64>(cq) + dd);
      }
    }
    const sp = sums + ((<usize>i * k + cJ) << 3);
    store<f64>(sp, load<f64>(sp) + r);
  }
  if (colp != 0) {
    for (let j = j0; j < j1; j++) {
      const sp = sums + ((<usize>j * k + cI) << 3);
      store<f64>(sp, load<f64>(sp) + load<f64>(colp + (<usize>(j - j0) << 3)));
    }
  }
}

/**
 * Staging of the integer path, rows [r0, r1): norms[r] = ‖row r‖² and masks[r] (4 u32 words) the non-zero
 * 8-value chunks of row r of src (n × d uint8) with feature j moved to position inv[j] (int32; 0 = unmoved).
 */
export function silMasksU8(src: usize, d: i32, r0: i32, r1: i32, inv: usize, norms: usize, masks: usize): void {
  for (let r = r0; r < r1; r++) {
    const b = src + <usize>r * <usize>d;
    let s: i32 = 0;
    let m0: u64 = 0;
    let m1: u64 = 0;
    for (let j = 0; j < d; j++) {
      const v = <i32>load<u8>(b + <usize>j);
      if (v != 0) {
        s += v * v;
        const ch = (inv == 0 ? j : load<i32>(inv + (<usize>j << 2))) >>> 3;
        if (ch < 64) m0 |= <u64>1 << <u64>ch;
        else m1 |= <u64>1 << <u64>(ch - 64);
      }
    }
    store<i32>(norms + (<usize>r << 2), s);
    store<u64>(masks + (<usize>r << 4), m0);
    store<u64>(masks + (<usize>r << 4), m1, 8);
  }
}

/**
 * Staged rows [r0, r1) as int16, dp values a row (zero padded): value p of staged row r = feature perm[p]
 * (int32; perm 0 = unmoved) of row r of src (n × d uint8). Each source row is first copied to `row`
 * (d bytes), so src may lie at the end of dst's region: rows taken in increasing order, staged row r
 * overwrites no source row after r.
 */
export function silStageU8(src: usize, d: i32, dp: i32, r0: i32, r1: i32, perm: usize, row: usize, dst: usize): void {
  for (let r = r0; r < r1; r++) {
    memory.copy(row, src + <usize>r * <usize>d, <usize>d);
    const o = dst + ((<usize>r * <usize>dp) << 1);
    if (perm == 0) {
      for (let p = 0; p < d; p++) store<i16>(o + (<usize>p << 1), <i16>load<u8>(row + <usize>p));
    } else {
      for (let p = 0; p < d; p++) store<i16>(o + (<usize>p << 1), <i16>load<u8>(row + <usize>load<i32>(perm + (<usize>p << 2))));
    }
    for (let p = d; p < dp; p++) store<i16>(o + (<usize>p << 1), 0);
  }
}
