/**
 * The preconditions of the WASM kernels' shortcuts, in one place, checked when data is staged. Every shortcut
 * falls back to an exact path (a dense form, float64, or the TypeScript reference kernel) when its
 * precondition does not hold, so results never depend on the data looking like MNIST.
 *
 * | shortcut | where | precondition | enforced by |
 * |---|---|---|---|
 * | int32 cluster sums of uint8 rows | wasm-kernel (assign, Elkan/Hamerly deltas) | n · 255 < 2³¹ | `uint8SumsFit` (else TS kernel) |
 * | chunk masks, sparse forms (assignSparse, distancesSparse, dot64u8) | assembly/lloyd-sparse.ts | uint8, d % 4 = 0, d ≤ 1024 (256 chunk bits a row) | `uint8MasksApply` (else dense forms) |
 * | int16 center estimates in Elkan's iterations (dotQ) | assembly/lloyd-bounded.ts | masks as above (so d ≤ 1024), every center in [0, 255] | `uint8MasksApply`; centers checked per iteration in stageQuantized (else float64) |
 * | int32 dot products of uint8 rows (rowNorms, integer-center distances) | assembly/lloyd-dense.ts | none: int32 lanes over blocks of 8192 values, added in float64 | — |
 * | float32 screening of centers | assembly/lloyd-common.ts (screen1, screenAll, settle) | every value finite and d · max\|x\|² ≤ 2¹²⁰ (no float32 overflow; underflow is covered by an absolute floor in the margin) | `float32Screenable` (else TS kernel) |
 * | k-means++ trials in one pass over the chunks non-zero in both row and candidates, potentials summed per thread (kppTrialsU8) | assembly/kpp.ts | chunk masks as above, integer candidates in [0, 255], ≤ 8 candidates (k < e⁷), n · d · 255² < 2⁵³ (every potential an exact integer in float64, so any order of the sum) | `kppTrialsApply` and the candidates checked per step in wasm-kpp.ts (else `distances`) |
 * | k-means++ trials skipping the (row, candidate) pairs whose projection bound ‖q_i − q_c‖² ≥ thr_i proves ‖x_i − c‖² ≥ closest[i] (kppBoundedTrialsU8; the others exact as above) | assembly/kpp.ts, wasm-kpp.ts | as kppTrialsU8, and: the first potentials exact integers, a finite non-zero basis; q_i = ⌊B x_i / 2^shift⌋ with B the basis rounded to int16 (\|B\| ≤ 4096, so B x_i exact in int32), λ ≥ the largest eigenvalue of B Bᵀ (Gershgorin, exact integers), shift such that every ‖q_i − q_c‖² ≤ 2²⁹; thr_i = ⌈(√P + √(λ·closest[i]) / 2^shift)²⌉ widened by 1e-9 (so a skipped pair has ‖x_i − c‖² > closest[i]: it leaves the potential as it is) | `kppTrialsApply`, and checked in `kppBoundedSession` (else kppTrialsU8) |
 * | center-to-center distances in two f64 lanes (centerPairs, another order of the sum) | assembly/lloyd-bounded.ts | none: any order of a sum of d squares stays within the (d + 8)·2⁻⁵² relative error the bounds already allow for | — |
 * | int32 silhouette distances | assembly/silhouette.ts | uint8, 2 · d · 255² < 2³¹ (d ≤ 16,513) | `uint8SilhouetteFits` (else float path or TS) |
 * | float32 silhouette distances | assembly/silhouette.ts | finite data, rows scaled by a power of two to max\|x\| ∈ (½, 1] (no overflow, no underflow of typical squared differences) | `float32SilhouetteScale` (else TS reference) |
 */
import type { RowData } from './types';

/** Largest d of the chunk masks (4 words of 64 bits, one bit per 4 pixels). */
export const MASK_MAX_D = 1024;

/** uint8 cluster sums in int32 per thread: every row adds at most 255 per feature. */
export function uint8SumsFit(n: number): boolean {
  return n * 255 < 2 ** 31;
}

/** k-means++ trials on the threads (kppTrialsU8): ≤ 8 candidates a step and exact-integer potentials in float64. */
export function kppTrialsApply(n: number, d: number, trials: number): boolean {
  return uint8MasksApply(d) && trials <= 8 && n * d * 255 * 255 < 2 ** 53;
}

/** Chunk masks (and with them the sparse forms and Elkan's int16 estimates) for uint8 rows of d values. */
export function uint8MasksApply(d: number): boolean {
  return d % 4 === 0 && d <= MASK_MAX_D;
}

/** Largest d for which ‖a‖² + ‖b‖² and 2 a·b of uint8 rows fit in int32 (2 · d · 255² < 2³¹). */
export const SILHOUETTE_MAX_INT_D = Math.floor((2 ** 31 - 1) / (2 * 255 * 255));

export function uint8SilhouetteFits(d: number): boolean {
  return d <= SILHOUETTE_MAX_INT_D;
}

/**
 * Absolute floor added to the largest center norm in the float32 screening margin: products and sums that
 * underflow float32 lose at most 2⁻¹⁵⁰ each, (2d + 8) · 2⁻¹⁵⁰ in all, which margin · 2⁻¹²⁰ exceeds for any d.
 */
export const SCREEN_NORM_FLOOR = 2 ** -120;

const maxAbsOf = new WeakMap<Float32Array, number>();

/** max|x| of a float32 array (NaN when a value is not finite), scanned once per array (arrays are not changed while in use). */
export function float32MaxAbs(data: Float32Array): number {
  const known = maxAbsOf.get(data);
  if (known !== undefined) return known;
  let max = 0;
  let finite = true;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    const a = v < 0 ? -v : v;
    if (a > max) max = a;
    else if (!(a <= max)) finite = false; // NaN
  }
  const out = finite && Number.isFinite(max) ? max : NaN;
  maxAbsOf.set(data, out);
  return out;
}

/**
 * Float32 data the float32 screening may take: every value finite and d · max|x|² ≤ 2¹²⁰, so that no dot
 * product or squared norm of rows and centers (means of rows, so within max|x|) overflows float32 (largest 2¹²⁸).
 */
export function float32Screenable(data: Float32Array, d: number): boolean {
  const max = float32MaxAbs(data);
  return max === max && d * max * max <= 2 ** 120;
}

/**
 * The power of two that brings max|x| of finite float32 data into (1/2, 1] for the float32 silhouette, whose
 * squared differences would otherwise overflow (large values) or underflow to 0 (values near 1e-20 and
 * below): exact for every normal value, and the silhouette does not change with the scale of the data.
 * null when the data is not finite or all zero.
 */
export function float32SilhouetteScale(data: Float32Array): number | null {
  const max = float32MaxAbs(data);
  if (!(max > 0)) return null;
  return 2 ** -Math.ceil(Math.log2(max));
}

/** Whether the WASM Lloyd kernel may take this matrix of n rows at all (else the TS reference kernel). */
export function wasmLloydAccepts(data: RowData, n: number, d: number): boolean {
  if (data instanceof Uint8Array) return uint8SumsFit(n);
  if (data instanceof Float32Array) return float32Screenable(data, d);
  return false;
}
