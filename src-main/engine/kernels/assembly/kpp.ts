// k-means++ trials on uint8 rows with chunk masks (rowMasksU8) and integer candidates (data rows): each
// candidate's squared distances to the rows, kept only where they lower the row's current potential, and the
// candidates' potentials, in one pass over the rows.
//
// Exactness: every distance is an exact integer (int32 dot products, float64 norms of integers), so min(dist,
// closest) and sums of them are exact in float64 in any order (while n·d·255² < 2⁵³, checked by the caller).

import { sparseDots4 } from './lloyd-sparse';

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
  // the union of each group's four candidate masks (groups past 2 are not needed: T ≤ 8)
  for (let t0 = 0; t0 < T; t0 += 4) {
    const g = scratch + (<usize>(t0 >> 2) << 5);
    for (let w = 0; w < 4; w++) {
      let u: u64 = 0;
      for (let t = t0; t < min(T, t0 + 4); t++) u |= load<u64>(masks + (<usize>load<i32>(cand + (<usize>t << 2)) << 5) + (<usize>w << 3));
      store<u64>(g + (<usize>w << 3), u);
    }
  }
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
