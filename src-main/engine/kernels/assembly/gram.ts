// Gram matrix of uint8 rows, exactly in integers: G[a][b] += x_a · x_b for a ≤ b, and s[a] += x_a, over rows
// [i0, i1). Zeros add nothing, so 16-byte chunks of a row that are all zero are skipped (exact). For each non-zero
// x_a, the chunks at or after a's chunk are added in SIMD (u8 → u16 × u16 → u32 lanes); this also writes some
// b < a inside a's own chunk, which is below the diagonal: only a ≤ b is complete and read by the caller.
// Accumulators are int32: exact while the caller adds at most 33,025 rows (33,025 · 255² < 2³¹) into one G
// before reducing it into float64 (engine/embed/gram.ts does this round by round).

/**
 * x: uint8 rows of d bytes; g: d × d int32 (row-major; entries a ≤ b are the sums); sums: d int32;
 * scratch: 4 · d bytes (the offsets of the row's non-zero chunks).
 */
export function gramU8(x: usize, d: i32, i0: i32, i1: i32, g: usize, sums: usize, scratch: usize): void {
  const dv = d & ~15;
  for (let i = i0; i < i1; i++) {
    const src = x + <usize>i * d;
    let nc = 0;
    for (let j = 0; j < dv; j += 16) {
      if (v128.any_true(v128.load(src + j))) {
        store<i32>(scratch + (<usize>nc << 2), j);
        nc++;
      }
    }
    for (let c = 0; c < nc; c++) {
      const j0 = load<i32>(scratch + (<usize>c << 2));
      for (let a = j0; a < j0 + 16; a++) {
        const va = <i32>load<u8>(src + a);
        if (va == 0) continue;
        const ps = sums + (<usize>a << 2);
        store<i32>(ps, load<i32>(ps) + va);
        const row = g + ((<usize>a * d) << 2);
        const w = i16x8.splat(<i16>va);
        for (let cc = c; cc < nc; cc++) {
          const jj = load<i32>(scratch + (<usize>cc << 2));
          const v = v128.load(src + jj);
          const lo = i16x8.extend_low_i8x16_u(v);
          const hi = i16x8.extend_high_i8x16_u(v);
          const o = row + (<usize>jj << 2);
          v128.store(o, i32x4.add(v128.load(o), i32x4.extmul_low_i16x8_u(lo, w)));
          v128.store(o, i32x4.add(v128.load(o, 16), i32x4.extmul_high_i16x8_u(lo, w)), 16);
          v128.store(o, i32x4.add(v128.load(o, 32), i32x4.extmul_low_i16x8_u(hi, w)), 32);
          v128.store(o, i32x4.add(v128.load(o, 48), i32x4.extmul_high_i16x8_u(hi, w)), 48);
        }
        for (let j = dv; j < d; j++) {
          const p = row + (<usize>j << 2);
          store<i32>(p, load<i32>(p) + va * <i32>load<u8>(src + j));
        }
      }
    }
    // the columns after the last whole chunk
    for (let a = dv; a < d; a++) {
      const va = <i32>load<u8>(src + a);
      if (va == 0) continue;
      const ps = sums + (<usize>a << 2);
      store<i32>(ps, load<i32>(ps) + va);
      const row = g + ((<usize>a * d) << 2);
      for (let j = a; j < d; j++) {
        const p = row + (<usize>j << 2);
        store<i32>(p, load<i32>(p) + va * <i32>load<u8>(src + j));
      }
    }
  }
}
