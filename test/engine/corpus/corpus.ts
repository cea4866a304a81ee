/**
 * The differential corpus: datasets unlike MNIST, built from a seed (nothing large is committed), on which
 * every fast path of the engine must give the TypeScript reference kernel's answer (corpus.test.ts) and a
 * subset scikit-learn's (corpus-sklearn.test.ts, references from scripts/reference/corpus_reference.py).
 *
 * Only `Rng.nextFloat()` (numpy's random_sample) and exact arithmetic (+, −, ×, /, floor) make the values,
 * so the same seed gives the same bytes on any machine.
 */
import type { DataMatrix } from '../../../src-shared/model';
import { Rng } from '../../../src-main/engine/rng';

export interface CorpusCase {
  name: string;
  X: DataMatrix;
  /** Cluster counts to fit. */
  ks: number[];
  /** Also in the scikit-learn subset. */
  sklearn?: boolean;
}

type U8 = Uint8Array;

/** Integer in [lo, hi]. */
function int(r: Rng, lo: number, hi: number): number {
  return lo + Math.floor(r.nextFloat() * (hi - lo + 1));
}

/**
 * n uint8 rows of d values between `protos` prototypes: prototype pixels are non-zero with probability
 * `density`, in [lo, hi]; row i blends prototype i mod protos with a random other one (weight w ≥ 1/2 on
 * its own, so the clusters touch and Lloyd takes many iterations) and replaces about a tenth of its pixels by
 * noise (0 or any value).
 */
function prototypesU8(r: Rng, n: number, d: number, protos: number, density: number, lo: number, hi: number): U8 {
  const p = new Uint8Array(protos * d);
  for (let t = 0; t < p.length; t++) p[t] = r.nextFloat() < density ? int(r, lo, hi) : 0;
  const x = new Uint8Array(n * d);
  for (let i = 0; i < n; i++) {
    const a = (i % protos) * d;
    const b = int(r, 0, protos - 1) * d;
    const w = 0.5 + r.nextFloat() / 2;
    for (let j = 0; j < d; j++) {
      const u = r.nextFloat();
      x[i * d + j] = u < 0.05 ? 0 : u < 0.1 ? int(r, 0, 255) : Math.floor(w * p[a + j] + (1 - w) * p[b + j]);
    }
  }
  return x;
}

/** n float rows of d values: blends of `protos` centers in [−1, 1)·spread (as prototypesU8), plus noise (a sum of four uniforms, centered). */
function blobs(r: Rng, n: number, d: number, protos: number, spread: number, noise: number): Float64Array {
  const c = new Float64Array(protos * d);
  for (let t = 0; t < c.length; t++) c[t] = (2 * r.nextFloat() - 1) * spread;
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const a = (i % protos) * d;
    const b = int(r, 0, protos - 1) * d;
    const w = 0.5 + r.nextFloat() / 2;
    for (let j = 0; j < d; j++) {
      const e = r.nextFloat() + r.nextFloat() + r.nextFloat() + r.nextFloat() - 2;
      x[i * d + j] = w * c[a + j] + (1 - w) * c[b + j] + e * noise;
    }
  }
  return x;
}

function u8(name: string, n: number, d: number, data: U8, ks: number[], sklearn = false): CorpusCase {
  return { name, X: { n, d, data, scale: 1 / 255 }, ks, sklearn };
}

function f32(name: string, n: number, d: number, data: ArrayLike<number>, ks: number[], sklearn = false): CorpusCase {
  return { name, X: { n, d, data: Float32Array.from(data), scale: 1 }, ks, sklearn };
}

/** The fixed corpus (at least 20 datasets), all from `seed`. */
export function corpus(seed = 20261201): CorpusCase[] {
  const r = new Rng(seed);
  const out: CorpusCase[] = [];

  const sparse = prototypesU8(r, 800, 784, 12, 0.19, 1, 255);
  out.push(u8('u8-sparse-784', 800, 784, sparse, [1, 2, 10, 65], true));
  out.push(u8('u8-inverted-784', 800, 784, sparse.map((v) => 255 - v), [2, 10, 65], true));
  out.push(u8('u8-dense-bright-784', 800, 784, prototypesU8(r, 800, 784, 10, 1, 150, 255), [10, 65], true));
  out.push(u8('u8-binary-0-255-784', 600, 784, prototypesU8(r, 600, 784, 8, 0.3, 1, 1).map((v) => (v === 0 ? 0 : 255)), [10]));
  const constCols = prototypesU8(r, 500, 100, 6, 0.5, 1, 255);
  for (let i = 0; i < 500; i++) for (let j = 0; j < 100; j += 3) constCols[i * 100 + j] = 77;
  out.push(u8('u8-constant-columns-100', 500, 100, constCols, [2, 10]));
  const uniq = prototypesU8(r, 40, 64, 5, 0.6, 1, 255);
  const dup = new Uint8Array(600 * 64);
  for (let i = 0; i < 600; i++) dup.set(uniq.subarray((i % 40) * 64, (i % 40 + 1) * 64), i * 64);
  out.push(u8('u8-duplicate-rows-64', 600, 64, dup, [10, 65]));
  const hot = new Uint8Array(700 * 784);
  for (let i = 0; i < 700; i++) hot[i * 784 + ((i % 20) * 37 + 11)] = 255;
  out.push(u8('u8-one-hot-pixel-784', 700, 784, hot, [10]));
  const zeros = prototypesU8(r, 600, 196, 6, 0.3, 1, 255);
  for (let i = 0; i < 600; i += 3) zeros.fill(0, i * 196, (i + 1) * 196);
  out.push(u8('u8-zero-rows-196', 600, 196, zeros, [10]));
  out.push(u8('u8-d1', 500, 1, prototypesU8(r, 500, 1, 7, 1, 0, 255), [1, 2, 10]));
  out.push(u8('u8-d3', 500, 3, prototypesU8(r, 500, 3, 7, 0.8, 0, 255), [2, 10]));
  out.push(u8('u8-d5', 500, 5, prototypesU8(r, 500, 5, 7, 0.8, 0, 255), [10], true));
  out.push(u8('u8-dense-786', 500, 786, prototypesU8(r, 500, 786, 8, 0.9, 60, 255), [10]));
  out.push(u8('u8-dense-1000', 400, 1000, prototypesU8(r, 400, 1000, 8, 0.9, 100, 255), [10]));
  out.push(u8('u8-dense-1500', 400, 1500, prototypesU8(r, 400, 1500, 8, 0.9, 100, 255), [10], true));
  out.push(u8('u8-sparse-1500', 400, 1500, prototypesU8(r, 400, 1500, 8, 0.15, 1, 255), [10]));
  out.push(u8('u8-k200-64', 1000, 64, prototypesU8(r, 1000, 64, 150, 0.5, 1, 255), [200]));
  out.push(u8('u8-n-close-to-k', 70, 36, prototypesU8(r, 70, 36, 60, 0.5, 1, 255), [65]));
  out.push(f32('f32-d5', 600, 5, blobs(r, 600, 5, 6, 10, 1), [2, 10], true));
  out.push(f32('f32-scale-1e-6', 600, 20, blobs(r, 600, 20, 6, 1e-6, 2e-7), [10], true));
  out.push(f32('f32-scale-1e6', 600, 20, blobs(r, 600, 20, 6, 1e6, 2e5), [10], true));
  out.push(f32('f32-negative-784', 500, 784, blobs(r, 500, 784, 8, 1, 0.5).map((v) => v - 3), [10, 65]));
  // heavy tails: a symmetric u/(1 − u) spread around the blobs
  const heavy = blobs(r, 600, 12, 5, 3, 0.2);
  for (let t = 0; t < heavy.length; t++) {
    const u = r.nextFloat() * 0.999;
    heavy[t] += (r.nextFloat() < 0.5 ? -1 : 1) * (u / (1 - u)) * 0.1;
  }
  out.push(f32('f32-heavy-tails-12', 600, 12, heavy, [2, 10], true));
  out.push(f32('f32-d1500', 300, 1500, blobs(r, 300, 1500, 6, 1, 0.3), [10]));
  out.push(f32('f32-d1', 400, 1, blobs(r, 400, 1, 5, 100, 3), [2, 10]));
  // (new datasets go last, so the ones before keep their bytes and their scikit-learn references)
  // Hamerly's bounds (k above Elkan's 256)
  out.push(u8('u8-k300-32', 900, 32, prototypesU8(r, 900, 32, 200, 0.6, 1, 255), [300]));
  // float32 near its limits: squares underflow (1e-30) or overflow (1e30) in float32
  out.push(f32('f32-scale-1e-30', 2100, 16, blobs(r, 2100, 16, 5, 1e-30, 3e-31), [3, 10]));
  out.push(f32('f32-scale-1e30', 2100, 16, blobs(r, 2100, 16, 5, 1e30, 3e29), [3, 10]));
  // rows longer than int32 horizontal sums allow (Σ x² > 2³¹: 50,000 bright pixels, about 224 × 224 images)
  out.push(u8('u8-dense-bright-50000', 60, 50_000, prototypesU8(r, 60, 50_000, 4, 1, 200, 255), [3]));
  // large k (issue 17): Elkan's bounds on sparse MNIST-like rows at k = 100, Hamerly's at k = 500, float32 at k = 100
  out.push(u8('u8-sparse-k100-784', 1000, 784, prototypesU8(r, 1000, 784, 80, 0.19, 1, 255), [100]));
  out.push(u8('u8-k500-64', 1500, 64, prototypesU8(r, 1500, 64, 350, 0.5, 1, 255), [500]));
  out.push(f32('f32-k100-48', 1000, 48, blobs(r, 1000, 48, 70, 4, 1), [100]));
  // Yinyang's group bounds (issue 17, the default from k = 64 on the uint8 path): dense inverted rows of odd d (no
  // chunk masks) at k = 150; 160 rows of only 70 distinct values at k = 100 > n / 2 (duplicate centers, empty
  // clusters); bright dense rows at k = 2 and 7 (one group)
  const inv = prototypesU8(r, 1200, 787, 90, 0.2, 1, 255).map((v) => 255 - v);
  out.push(u8('u8-inverted-k150-787', 1200, 787, inv, [150]));
  const few = prototypesU8(r, 70, 30, 40, 0.5, 1, 255);
  const dupRows = new Uint8Array(160 * 30);
  for (let i = 0; i < 160; i++) dupRows.set(few.subarray((i % 70) * 30, (i % 70 + 1) * 30), i * 30);
  out.push(u8('u8-duplicates-k100-n160', 160, 30, dupRows, [100]));
  out.push(u8('u8-dense-bright-k2-k7-100', 700, 100, prototypesU8(r, 700, 100, 9, 1, 120, 255), [2, 7]));
  return out;
}

/** `count` datasets of seeded random shapes (for long local runs: CORPUS_RANDOM=count npm run test:corpus). */
export function randomCorpus(count: number, seed: number): CorpusCase[] {
  const r = new Rng(seed);
  const out: CorpusCase[] = [];
  for (let c = 0; c < count; c++) {
    const d = [1, 2, 3, 5, 7, 16, 63, 64, 100, 255, 784, 786, 1000, 1024, 1025, 1500][int(r, 0, 15)];
    const n = int(r, 20, Math.max(40, Math.min(1500, Math.floor(400_000 / d))));
    const k = Math.min(n, [1, 2, 3, 10, 33, 64, 65, 130, 200][int(r, 0, 8)]);
    const protos = int(r, 1, 30);
    if (r.nextFloat() < 0.6) {
      const density = [0.05, 0.2, 0.5, 1][int(r, 0, 3)];
      const lo = int(r, 0, 200);
      let data = prototypesU8(r, n, d, protos, density, lo, int(r, lo, 255));
      if (r.nextFloat() < 0.3) data = data.map((v) => 255 - v);
      out.push(u8(`random-${c}-u8-n${n}-d${d}-k${k}`, n, d, data, [k]));
    } else {
      const scale = [1e-6, 1e-3, 1, 1e3, 1e6][int(r, 0, 4)];
      const offset = r.nextFloat() < 0.3 ? -5 * scale : 0;
      const data = blobs(r, n, d, protos, scale, scale * 0.3).map((v) => v + offset);
      out.push(f32(`random-${c}-f32-n${n}-d${d}-k${k}`, n, d, data, [k]));
    }
  }
  return out;
}
