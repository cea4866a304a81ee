// Bounded assignment across Lloyd iterations (Hamerly's one lower bound a row, Elkan's k): rows whose bounds prove
// their center unchanged are skipped, the rest re-screened; labels and sums stay those of a full pass.

import { dot64, dotQ, exactD, exactV, hsum4f, lane, loadRow, screen1, screenAll, settle } from './lloyd-common';

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

/**
 * Assignment with Elkan's bounds (uint8 data), rows [i0, i1): like assignBounded, but with one lower bound per
 * row and center (lower: n × k float64) and the half distances between centers (cc: k × k float64, half: per
 * center the smallest of its row). Distances to single centers are computed in float64 (‖x‖² + ‖c‖² − 2x·c),
 * so the labels are those of a full float64 pass, ties to the lowest index. masks ≠ 0: chunk masks from
 * rowMasksU8, the distances then read the uint8 rows in place and skip zero chunks. Returns the number of rows
 * visited beyond the bound test.
 *
 * The lower bounds are kept shifted: lower holds l + S_c, where S_c (cum, k float64) is the sum of center c's
 * shifts since the bounds were set up, so a bound is l' − S_c now (Elkan's l − shift each iteration, without
 * rewriting n × k bounds every iteration; no clamp at 0, a negative bound only skips nothing). The float64 sums
 * and differences are off by less than cumEps·(l' + S_c) (cumEps = (iterations + 4)·2⁻⁵², from the caller), which
 * is subtracted from every bound.
 */
export function assignElkan(x: usize, d: i32, dp: i32, i0: i32, i1: i32,
                            cf: usize, cn: usize, kp: i32, c64: usize, cn64: usize, k: i32, xn: usize, margin: f64, cnMax: f64,
                            labels: usize, upper: usize, lower: usize, shift: usize, cc: usize, half: usize,
                            dsums: usize, dcounts: usize, scratch: usize, first: i32, masks: usize,
                            qc: usize, dp16: i32, qe: usize, l1: usize, cum: usize, cumEps: f64): i32 {
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
        store<f64>(lb + (<usize>c << 3), (e > 0 ? Math.sqrt(e) : 0) + load<f64>(cum + (<usize>c << 3)));
      }
      best = settle(r, d, xnv, sb, v1, v2, c64, cn64, k, marginAbs, tmp + (<usize>kp << 3));
      u = Math.sqrt(load<f64>(tmp + (<usize>kp << 3)));
    } else {
      a = load<i32>(lp);
      best = a;
      u = load<f64>(up) + load<f64>(shift + (<usize>a << 3));
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
      const ev = f64x2.splat(cumEps);
      for (let c0 = 0; c0 < k; c0 += 4) {
        if (c0 + 4 <= k) {
          // four centers' tests at once (the same float64 operations as below, lane by lane): when every one
          // holds, none of the four is visited
          const umv = f64x2.splat(u + m);
          const lp0 = lb + (<usize>c0 << 3);
          const sp0 = cum + (<usize>c0 << 3);
          const hp0 = cc + ((<usize>best * k + c0) << 3);
          const l0 = v128.load(lp0);
          const l1 = v128.load(lp0, 16);
          const s0 = v128.load(sp0);
          const s1 = v128.load(sp0, 16);
          const z0 = f64x2.pmax(v128.load(hp0), f64x2.sub(f64x2.sub(l0, s0), f64x2.mul(ev, f64x2.add(l0, s0))));
          const z1 = f64x2.pmax(v128.load(hp0, 16), f64x2.sub(f64x2.sub(l1, s1), f64x2.mul(ev, f64x2.add(l1, s1))));
          if (v128.all_true<i64>(v128.and(f64x2.lt(umv, z0), f64x2.lt(umv, z1)))) continue;
        }
        const c1 = c0 + 4 < k ? c0 + 4 : k;
        for (let c = c0; c < c1; c++) {
          if (c == best) continue;
          const lsh = load<f64>(lb + (<usize>c << 3));
          const sc = load<f64>(cum + (<usize>c << 3));
          const lc = (lsh - sc) - cumEps * (lsh + sc);
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
            store<f64>(lb + (<usize>best << 3), (lo > 0 ? Math.sqrt(lo) : 0) + load<f64>(cum + (<usize>best << 3)));
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
          store<f64>(lb + (<usize>c << 3), (lo > 0 ? Math.sqrt(lo) : 0) + sc);
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
 * Squared distances between centers, for the bounds' center-to-center terms: out[c·k + e] = ‖c − e‖² (float64) for
 * c in [c0, c1) and every e > c; c64: k × d float64 centers. Two f64 lanes, four other centers a pass over c's
 * values. Another order of the sum than one feature at a time: its rounding stays within the relative error bound
 * the caller allows for (d + 8)·2⁻⁵² (wasm-bounded.ts), as any order of d non-negative terms does.
 */
export function centerPairs(c64: usize, k: i32, d: i32, c0: i32, c1: i32, out: usize): void {
  const rs = <usize>d << 3;
  const d2 = d & ~1;
  for (let c = c0; c < c1; c++) {
    const a = c64 + <usize>c * rs;
    const o = out + (<usize>c * <usize>k << 3);
    let e = c + 1;
    for (; e + 3 < k; e += 4) {
      const b0 = c64 + <usize>e * rs;
      const b1 = b0 + rs;
      const b2 = b1 + rs;
      const b3 = b2 + rs;
      let s0 = f64x2.splat(0);
      let s1 = f64x2.splat(0);
      let s2 = f64x2.splat(0);
      let s3 = f64x2.splat(0);
      for (let j = 0; j < d2; j += 2) {
        const off = <usize>j << 3;
        const x = v128.load(a + off);
        const v0 = f64x2.sub(x, v128.load(b0 + off));
        const v1 = f64x2.sub(x, v128.load(b1 + off));
        const v2 = f64x2.sub(x, v128.load(b2 + off));
        const v3 = f64x2.sub(x, v128.load(b3 + off));
        s0 = f64x2.add(s0, f64x2.mul(v0, v0));
        s1 = f64x2.add(s1, f64x2.mul(v1, v1));
        s2 = f64x2.add(s2, f64x2.mul(v2, v2));
        s3 = f64x2.add(s3, f64x2.mul(v3, v3));
      }
      let t0 = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1);
      let t1 = f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1);
      let t2 = f64x2.extract_lane(s2, 0) + f64x2.extract_lane(s2, 1);
      let t3 = f64x2.extract_lane(s3, 0) + f64x2.extract_lane(s3, 1);
      if (d2 < d) {
        const off = <usize>d2 << 3;
        const x = load<f64>(a + off);
        const v0 = x - load<f64>(b0 + off);
        const v1 = x - load<f64>(b1 + off);
        const v2 = x - load<f64>(b2 + off);
        const v3 = x - load<f64>(b3 + off);
        t0 += v0 * v0;
        t1 += v1 * v1;
        t2 += v2 * v2;
        t3 += v3 * v3;
      }
      store<f64>(o + (<usize>e << 3), t0);
      store<f64>(o + (<usize>(e + 1) << 3), t1);
      store<f64>(o + (<usize>(e + 2) << 3), t2);
      store<f64>(o + (<usize>(e + 3) << 3), t3);
    }
    for (; e < k; e++) {
      const b = c64 + <usize>e * rs;
      let s = f64x2.splat(0);
      for (let j = 0; j < d2; j += 2) {
        const off = <usize>j << 3;
        const v = f64x2.sub(v128.load(a + off), v128.load(b + off));
        s = f64x2.add(s, f64x2.mul(v, v));
      }
      let t = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
      if (d2 < d) {
        const off = <usize>d2 << 3;
        const v = load<f64>(a + off) - load<f64>(b + off);
        t += v * v;
      }
      store<f64>(o + (<usize>e << 3), t);
    }
  }
}

/**
 * Assignment with Yinyang's group bounds (Ding et al., 2015; uint8 data), rows [i0, i1): like assignElkan, but one
 * lower bound per row and group of centers (lower: n × t float64) instead of one per center, so at k = 500 and
 * t = 50 a tenth of Elkan's bound memory and traffic. A group's bound is ≤ the distance from the row to every
 * member except the row's assigned center. Groups: members (k int32) lists the centers group by group, group g's
 * are members[gstart[g] … gstart[g + 1]) (gstart: t + 1 int32), groupOf (k int32) the group of each center.
 *
 * Filters, in order, each sound as Elkan's tests are (u + m < a lower bound of every other center proves the
 * assigned one nearest, m the formula's error, see assignBounded): the half distance to the nearest other center;
 * the group filter u + m < (group bound); inside a group that fails it, the local filter per member c,
 * u + m < max(the group bound before this iteration's shift − shift[c], half the distance from the best center to
 * c). Members that pass no filter get their distance as in assignElkan (int16 estimate and its error bound with qc,
 * else the float64 formula; a near tie is decided by the float64 formula, ties to the lowest index), so the labels
 * are those of a full float64 pass. The group's new bound is the smallest lower bound over its members other than
 * the best center; a center that stops being the best gives its lower bound to its group.
 *
 * The bounds are kept shifted as in assignElkan: lower holds l + S_g, where S_g (cum, t float64) sums the group's
 * largest member shift gshift[g] (t float64, this iteration's in gshift) since the bounds were set up, so a bound is
 * l' − S_g now, off by less than cumEps·(l' + S_g). A group with no member but the assigned center has the bound
 * 1e300. first ≠ 0: no previous state; every row is screened (as in assignElkan's first pass) and its bounds set.
 * Returns the number of rows visited beyond the bound tests.
 */
export function assignYinyang(x: usize, d: i32, dp: i32, i0: i32, i1: i32,
                              cf: usize, cn: usize, kp: i32, c64: usize, cn64: usize, k: i32, xn: usize, margin: f64, cnMax: f64,
                              labels: usize, upper: usize, lower: usize, shift: usize, cc: usize, half: usize,
                              dsums: usize, dcounts: usize, scratch: usize, first: i32, masks: usize,
                              qc: usize, dp16: i32, qe: usize, l1: usize, cum: usize, cumEps: f64,
                              members: usize, gstart: usize, groupOf: usize, t: i32, gshift: usize): i32 {
  const rs16 = <usize>dp16 << 1;
  const rs = <usize>dp << 2;
  const r = scratch;
  const tmp = scratch + rs;
  const eps = epsFormula(d);
  let visited = 0;
  for (let i = i0; i < i1; i++) {
    const lp = labels + (<usize>i << 2);
    const up = upper + (<usize>i << 3);
    const lb = lower + ((<usize>i * <usize>t) << 3);
    const xnv = load<f64>(xn + (<usize>i << 3));
    const m = Math.sqrt((xnv + cnMax) * eps) + 1e-9;
    const src = x + <usize>i * d;
    const mk = masks + (<usize>i << 5);
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
      const best = settle(r, d, xnv, sb, v1, v2, c64, cn64, k, marginAbs, tmp + (<usize>kp << 3));
      store<f64>(up, Math.sqrt(load<f64>(tmp + (<usize>kp << 3))));
      for (let g = 0; g < t; g++) {
        let lo: f64 = Infinity;
        const q1 = load<i32>(gstart + (<usize>(g + 1) << 2));
        for (let q = load<i32>(gstart + (<usize>g << 2)); q < q1; q++) {
          const c = load<i32>(members + (<usize>q << 2));
          if (c == best) continue;
          const e = xnv + load<f64>(tmp + (<usize>c << 3)) - marginAbs;
          if (e < lo) lo = e;
        }
        const b = lo > 0 ? Math.sqrt(lo) : 0;
        store<f64>(lb + (<usize>g << 3), (b < 1e300 ? b : 1e300) + load<f64>(cum + (<usize>g << 3)));
      }
      store<i32>(lp, best);
      moveRowU8(src, d, dp, dsums, dcounts, -1, best);
      continue;
    }
    const a = load<i32>(lp);
    let best = a;
    let u = load<f64>(up) + load<f64>(shift + (<usize>a << 3));
    const ha = load<f64>(half + (<usize>a << 3));
    if (u + m < ha) {
      store<f64>(up, u);
      continue;
    }
    if (qc == 0 && masks == 0) loadRow(x, 0, d, dp, i, r);
    const l1v = qc != 0 ? load<f64>(l1 + (<usize>i << 3)) : 0;
    const ga = load<i32>(groupOf + (<usize>a << 2));
    let tight = false;
    let db: f64 = 0;
    let eb: f64 = 0;
    // a lower bound of the distance to a once another center is the best (it then belongs in its group's bound)
    let aLo: f64 = 0;
    for (let g = 0; g < t; g++) {
      const gp = lb + (<usize>g << 3);
      const lsh = load<f64>(gp);
      const sc = load<f64>(cum + (<usize>g << 3));
      const lg = (lsh - sc) - cumEps * (lsh + sc);
      // the group filter
      if (u + m < lg) continue;
      if (!tight) {
        visited++;
        if (qc != 0) {
          const cnb = load<f64>(cn64 + (<usize>a << 3));
          db = xnv + cnb - dotQ(src, qc + <usize>a * rs16, dp16) * 0.015625;
          eb = l1v * load<f64>(qe + (<usize>a << 3)) + 1e-12 * (xnv + cnb);
        } else {
          db = exactD(x, src, r, mk, masks, d, c64, cn64, a, xnv);
        }
        u = Math.sqrt(db + eb);
        tight = true;
        if (u + m < ha) break;
        if (u + m < lg) continue;
      }
      // the local filter: each member's bound from the group's bound before this iteration's shift (the float64
      // sum and difference off by less than 2⁻⁵¹ of their magnitudes)
      const gs = load<f64>(gshift + (<usize>g << 3));
      const lgp = lg + gs;
      const lerr = (Math.abs(lg) + gs) * 4.440892098500626e-16;
      let newMin: f64 = g == ga && best != a ? aLo : 1e300;
      const q1 = load<i32>(gstart + (<usize>(g + 1) << 2));
      for (let q = load<i32>(gstart + (<usize>g << 2)); q < q1; q++) {
        const c = load<i32>(members + (<usize>q << 2));
        // a: its bound is not in the group's (it is aLo once replaced)
        if (c == a) continue;
        const lc = (lgp - load<f64>(shift + (<usize>c << 3))) - lerr;
        const h = load<f64>(cc + ((<usize>best * k + c) << 3));
        const z = lc > h ? lc : h;
        if (u + m < z) {
          // skipped by the half distance alone: ‖x − c‖ ≥ ‖b − c‖ − ‖x − b‖ ≥ 2h − u − m, less m for the formula
          const lh = 2 * h - u - 3 * m;
          const lk = lc > lh ? lc : lh;
          if (lk < newMin) newMin = lk;
          continue;
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
        let cWins = false;
        if (dc + ec < db - eb) {
          // certainly nearer
          cWins = true;
        } else if (dc - ec <= db + eb) {
          // too close to tell (or a tie): ‖c‖² − 2x·c in float64 decides, ties to the lower index (as in assignElkan)
          const vb = exactV(src, r, mk, masks, d, c64, cn64, best);
          const vc = exactV(src, r, mk, masks, d, c64, cn64, c);
          const sb = xnv + vb;
          db = sb > 0 ? sb : 0;
          eb = 0;
          if (vc < vb || (vc == vb && c < best)) {
            cWins = true;
            const s = xnv + vc;
            dc = s > 0 ? s : 0;
            ec = 0;
          } else {
            u = Math.sqrt(db);
          }
        }
        if (cWins) {
          // the replaced best's lower bound joins its group's bound
          const lo = db - eb;
          const pLo = lo > 0 ? Math.sqrt(lo) : 0;
          if (best == a) aLo = pLo;
          const gb = load<i32>(groupOf + (<usize>best << 2));
          if (gb == g) {
            if (pLo < newMin) newMin = pLo;
          } else {
            const bp = lb + (<usize>gb << 3);
            const v = pLo + load<f64>(cum + (<usize>gb << 3));
            if (v < load<f64>(bp)) store<f64>(bp, v);
          }
          best = c;
          db = dc;
          eb = ec;
          u = Math.sqrt(dc + ec);
        } else {
          const lo = dc - ec;
          const cLo = lo > 0 ? Math.sqrt(lo) : 0;
          if (cLo < newMin) newMin = cLo;
        }
      }
      store<f64>(gp, (newMin > 0 ? newMin : 0) + sc);
    }
    store<f64>(up, u);
    if (best != a) {
      store<i32>(lp, best);
      moveRowU8(src, d, dp, dsums, dcounts, a, best);
    }
  }
  return visited;
}
