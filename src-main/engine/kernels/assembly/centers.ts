// Per-iteration work on the k centers that the bounded assignments' caller (wasm-bounded.ts, wasm-staging.ts) did in
// JavaScript on the calling thread while the kernel threads waited: k × d loops every Lloyd iteration (about 0.8 s of a
// k = 100 fit on MNIST). Each function does the same float64 operations in the same order as the JavaScript it
// replaces (scalar, one feature at a time), so every value is the same bit for bit.

/** shift[c] = √(Σ_j (c64[c·d + j] − prev[c·d + j])²) · (1 + relErr), c < k. */
export function centerShifts(c64: usize, prev: usize, k: i32, d: i32, relErr: f64, shift: usize): void {
  const rs = <usize>d << 3;
  for (let c = 0; c < k; c++) {
    const a = c64 + <usize>c * rs;
    const b = prev + <usize>c * rs;
    let t: f64 = 0;
    for (let j = 0; j < d; j++) {
      const v = load<f64>(a + (<usize>j << 3)) - load<f64>(b + (<usize>j << 3));
      t += v * v;
    }
    store<f64>(shift + (<usize>c << 3), Math.sqrt(t) * (1 + relErr));
  }
}

/**
 * The threads' int32 cluster sums (k × dp per actor, sumsStride bytes apart) and counts (k per actor, countsStride
 * apart) added into the kept float64 sums (k × d) and counts (k), actor by actor (integers: exact in any order).
 */
export function mergeActorSums(sums: usize, sumsStride: i32, counts: usize, countsStride: i32, actors: i32, k: i32, d: i32,
                               dp: i32, keptSums: usize, keptCounts: usize): void {
  for (let a = 0; a < actors; a++) {
    const cnt = counts + <usize>a * countsStride;
    const part = sums + <usize>a * sumsStride;
    for (let c = 0; c < k; c++) {
      // (no center is skipped: the bounded passes add count deltas, which can be 0 where the sums moved)
      const kc = keptCounts + (<usize>c << 3);
      store<f64>(kc, load<f64>(kc) + <f64>load<i32>(cnt + (<usize>c << 2)));
      const so = keptSums + ((<usize>c * d) << 3);
      const po = part + ((<usize>c * dp) << 2);
      let j = 0;
      for (; j + 3 < d; j += 4) {
        const v = v128.load(po + (<usize>j << 2));
        const o = so + (<usize>j << 3);
        v128.store(o, f64x2.add(v128.load(o), f64x2.convert_low_i32x4_s(v)));
        v128.store(o, f64x2.add(v128.load(o, 16), f64x2.convert_low_i32x4_s(v128.shuffle<i32>(v, v, 2, 3, 2, 3))), 16);
      }
      for (; j < d; j++) {
        const o = so + (<usize>j << 3);
        store<f64>(o, load<f64>(o) + <f64>load<i32>(po + (<usize>j << 2)));
      }
    }
  }
}

/**
 * mergeActorSums (into zeroed sums and counts), sumsInertia and the update of minibatch.ts (moveCenters) of a mini-batch step in one pass over
 * the threads' int32 partials, with their values: each center's batch count and sums are exact integers whatever the
 * order they are added in, and the inertia's dot product, the new centers, their norms and the shift are accumulated
 * in the order of those functions. Writes the step's inertia (total plus the centers' terms) at out; returns the
 * squared shift. cur: the step's centers (k × d), cn64 their ‖c‖², run: the running counts (in/out), next: k × d out,
 * norms: k in/out (the moved centers' ‖c‖²); out 0: no inertia written.
 */
export function miniBatchUpdate(sums: usize, sumsStride: i32, counts: usize, countsStride: i32, actors: i32, k: i32, d: i32,
                                dp: i32, cur: usize, cn64: usize, run: usize, next: usize, norms: usize, total: f64,
                                out: usize): f64 {
  let shift: f64 = 0;
  const rs = <usize>d << 3;
  for (let c = 0; c < k; c++) {
    let bc: f64 = 0;
    for (let a = 0; a < actors; a++) bc += <f64>load<i32>(counts + <usize>a * countsStride + (<usize>c << 2));
    const a0 = cur + <usize>c * rs;
    const o = next + <usize>c * rs;
    const po = sums + ((<usize>c * dp) << 2);
    let dot: f64 = 0;
    if (bc > 0) {
      const old = load<f64>(run + (<usize>c << 3));
      const tot = old + bc;
      const inv = 1 / tot;
      let nrm: f64 = 0;
      // four features at a time: the actors' int32 sums added as integers (exact, the same value as the float64 sum
      // of each), the products and the new values in f64x2 lanes (each lane the scalar operations), and the three
      // sums then taken lane by lane in feature order, as the scalar loop below adds them
      const oldv = f64x2.splat(old);
      const invv = f64x2.splat(inv);
      let j = 0;
      for (; j + 3 < d; j += 4) {
        let si = v128.load(po + (<usize>j << 2));
        for (let a = 1; a < actors; a++) si = i32x4.add(si, v128.load(po + <usize>a * sumsStride + (<usize>j << 2)));
        const s01 = f64x2.convert_low_i32x4_s(si);
        const s23 = f64x2.convert_low_i32x4_s(v128.shuffle<i32>(si, si, 2, 3, 2, 3));
        const c01 = v128.load(a0 + (<usize>j << 3));
        const c23 = v128.load(a0 + (<usize>j << 3), 16);
        const p01 = f64x2.mul(c01, s01);
        const p23 = f64x2.mul(c23, s23);
        const v01 = f64x2.mul(f64x2.add(f64x2.mul(c01, oldv), s01), invv);
        const v23 = f64x2.mul(f64x2.add(f64x2.mul(c23, oldv), s23), invv);
        v128.store(o + (<usize>j << 3), v01);
        v128.store(o + (<usize>j << 3), v23, 16);
        const n01 = f64x2.mul(v01, v01);
        const n23 = f64x2.mul(v23, v23);
        const t01 = f64x2.sub(v01, c01);
        const t23 = f64x2.sub(v23, c23);
        const q01 = f64x2.mul(t01, t01);
        const q23 = f64x2.mul(t23, t23);
        dot += f64x2.extract_lane(p01, 0);
        nrm += f64x2.extract_lane(n01, 0);
        shift += f64x2.extract_lane(q01, 0);
        dot += f64x2.extract_lane(p01, 1);
        nrm += f64x2.extract_lane(n01, 1);
        shift += f64x2.extract_lane(q01, 1);
        dot += f64x2.extract_lane(p23, 0);
        nrm += f64x2.extract_lane(n23, 0);
        shift += f64x2.extract_lane(q23, 0);
        dot += f64x2.extract_lane(p23, 1);
        nrm += f64x2.extract_lane(n23, 1);
        shift += f64x2.extract_lane(q23, 1);
      }
      for (; j < d; j++) {
        let sj: f64 = 0;
        for (let a = 0; a < actors; a++) sj += <f64>load<i32>(po + <usize>a * sumsStride + (<usize>j << 2));
        const cj = load<f64>(a0 + (<usize>j << 3));
        dot += cj * sj;
        const v = (cj * old + sj) * inv;
        store<f64>(o + (<usize>j << 3), v);
        nrm += v * v;
        const t = v - cj;
        shift += t * t;
      }
      store<f64>(norms + (<usize>c << 3), nrm);
      store<f64>(run + (<usize>c << 3), tot);
    } else {
      // no rows: the sums are 0 and so is the dot product
      memory.copy(o, a0, rs);
    }
    total += bc * load<f64>(cn64 + (<usize>c << 3)) - 2 * dot;
  }
  if (out != 0) store<f64>(out, total);
  return shift;
}

/**
 * Σ‖x − c_label‖² from the exact cluster sums: total + Σ_c (n_c ‖c‖² − 2 c·S_c), c in order, each dot product one
 * feature at a time (c64: k × d centers, cn64: ‖c‖², keptSums: S, k × d, keptCounts: n_c).
 */
export function sumsInertia(total: f64, c64: usize, cn64: usize, keptSums: usize, keptCounts: usize, k: i32, d: i32): f64 {
  const rs = <usize>d << 3;
  for (let c = 0; c < k; c++) {
    const a = c64 + <usize>c * rs;
    const b = keptSums + <usize>c * rs;
    let dot: f64 = 0;
    for (let j = 0; j < d; j++) dot += load<f64>(a + (<usize>j << 3)) * load<f64>(b + (<usize>j << 3));
    total += load<f64>(keptCounts + (<usize>c << 3)) * load<f64>(cn64 + (<usize>c << 3)) - 2 * dot;
  }
  return total;
}

/** cf[c·dp + j] = (float32) c64[c·d + j] for c < k, j < d (the caller zeroed cf, padding included). */
export function centersF32(c64: usize, k: i32, d: i32, dp: i32, cf: usize): void {
  for (let c = 0; c < k; c++) {
    const a = c64 + ((<usize>c * d) << 3);
    const o = cf + ((<usize>c * dp) << 2);
    for (let j = 0; j < d; j++) store<f32>(o + (<usize>j << 2), <f32>load<f64>(a + (<usize>j << 3)));
  }
}

/**
 * ci16[c·dp16 + j] = c64[c·d + j] as int16 (the caller zeroed ci16) when every value is an integer in [0, 255]
 * (k-means++ candidates are data rows), and returns 1; else returns 0 (ci16 then partly written, not to be used).
 */
export function centersI16(c64: usize, k: i32, d: i32, dp16: i32, ci16: usize): i32 {
  for (let c = 0; c < k; c++) {
    const a = c64 + ((<usize>c * d) << 3);
    const o = ci16 + ((<usize>c * dp16) << 1);
    for (let j = 0; j < d; j++) {
      const v = load<f64>(a + (<usize>j << 3));
      if (!(v >= 0 && v <= 255 && v == Math.floor(v))) return 0;
      store<i16>(o + (<usize>j << 1), <i16>(<i32>v));
    }
  }
  return 1;
}

/**
 * Centers as int16 steps of 1/128 (qc: c·dp16 + j; the caller zeroed qc) and each center's error bound
 * qe[c] = 2 · max_j |c_j − q_j / 128|, with q = JavaScript's Math.round(c_j · 128) (halves up). Returns 0, writing
 * nothing after the first bad value, when a value is not in [0, 255] (NaN included); else 1.
 */
export function quantizeCenters(c64: usize, k: i32, d: i32, dp16: i32, qc: usize, qe: usize): i32 {
  const n = k * d;
  for (let t = 0; t < n; t++) {
    const v = load<f64>(c64 + (<usize>t << 3));
    if (!(v >= 0 && v <= 255)) return 0;
  }
  const half = f64x2.splat(0.5);
  const one = f64x2.splat(1);
  const s128 = f64x2.splat(128);
  for (let c = 0; c < k; c++) {
    const a = c64 + ((<usize>c * d) << 3);
    const o = qc + ((<usize>c * dp16) << 1);
    // two values at a time, each with the scalar steps below (all exact but v − q/128, rounded as there)
    let w2 = f64x2.splat(0);
    let j = 0;
    for (; j + 1 < d; j += 2) {
      const v = v128.load(a + (<usize>j << 3));
      const s = f64x2.mul(v, s128);
      const f = f64x2.floor(s);
      const q = f64x2.add(f, v128.and(f64x2.ge(f64x2.sub(s, f), half), one));
      store<i16>(o + (<usize>j << 1), <i16>(<i32>f64x2.extract_lane(q, 0)));
      store<i16>(o + (<usize>j << 1), <i16>(<i32>f64x2.extract_lane(q, 1)), 2);
      w2 = f64x2.max(w2, f64x2.abs(f64x2.sub(v, f64x2.div(q, s128))));
    }
    let worst: f64 = max(f64x2.extract_lane(w2, 0), f64x2.extract_lane(w2, 1));
    for (; j < d; j++) {
      const v = load<f64>(a + (<usize>j << 3));
      const s = v * 128;
      // Math.round for s ≥ 0: ⌊s⌋, plus one where the fraction (exact: s < 2^15) is at least ½
      let q = Math.floor(s);
      if (s - q >= 0.5) q += 1;
      store<i16>(o + (<usize>j << 1), <i16>(<i32>q));
      const err = Math.abs(v - q / 128);
      if (err > worst) worst = err;
    }
    store<f64>(qe + (<usize>c << 3), 2 * worst);
  }
  return 1;
}

/**
 * The half distances between centers for the bounds (wasm-bounded.ts): with exact ≠ 0, cc holds ‖c − e‖² (upper
 * triangle, c < e) and becomes 0.5·√(‖c − e‖²)·(1 − relErr); else cc holds the last half distances, each lowered
 * by the two centers' mean shift and the rounding of that difference. Both triangles are written, the diagonal is
 * +∞, and half[c] (set to +∞ by the caller) becomes the smallest of c's row. Returns Σ half[c] over the centers
 * with a finite one, and writes their number to half[k] (one float64 past the k).
 */
export function halfDistances(cc: usize, shift: usize, k: i32, exact: i32, relErr: f64, half: usize): f64 {
  for (let c = 0; c < k; c++) {
    const hc = half + (<usize>c << 3);
    const sc = load<f64>(shift + (<usize>c << 3));
    for (let e = c + 1; e < k; e++) {
      const o = cc + ((<usize>c * k + e) << 3);
      let h: f64;
      if (exact != 0) {
        h = 0.5 * Math.sqrt(load<f64>(o)) * (1 - relErr);
      } else {
        const v = load<f64>(o);
        const t = 0.5 * (sc + load<f64>(shift + (<usize>e << 3)));
        h = v - t - 8.881784197001252e-16 * (Math.abs(v) + t);
      }
      store<f64>(o, h);
      store<f64>(cc + ((<usize>e * k + c) << 3), h);
      if (h < load<f64>(hc)) store<f64>(hc, h);
      const he = half + (<usize>e << 3);
      if (h < load<f64>(he)) store<f64>(he, h);
    }
  }
  let sum: f64 = 0;
  let m: f64 = 0;
  for (let c = 0; c < k; c++) {
    store<f64>(cc + ((<usize>c * k + c) << 3), Infinity);
    const h = load<f64>(half + (<usize>c << 3));
    if (h < Infinity) {
      sum += h;
      m += 1;
    }
  }
  store<f64>(half + (<usize>k << 3), m);
  return sum;
}
