/**
 * Seeded PRNG: numpy's legacy `RandomState(seed)` (MT19937 seeded by init_genrand), bit for bit, so that
 * a seed draws exactly what scikit-learn 1.2 draws with `random_state=seed`: the same k-means++ picks,
 * mini-batches and silhouette samples. Pure 32-bit integer arithmetic, the same stream on every machine.
 * Each method names the numpy call it reproduces (numpy 1.24: mtrand.pyx, _bounded_integers.pyx,
 * distributions.c); test/engine/rng.test.ts checks them against numpy's output.
 */
const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER = 0x80000000;
const LOWER = 0x7fffffff;

export class Rng {
  private readonly mt = new Uint32Array(N);
  private pos = N;

  /** `numpy.random.RandomState(seed)`: seed is an integer in [0, 2^32). */
  constructor(seed: number) {
    if (!(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)) {
      throw new RangeError(`Rng: seed must be an integer in [0, 2^32 − 1], got ${seed}`);
    }
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1];
      mt[i] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) >>> 0;
    }
  }

  private twist(): void {
    const mt = this.mt;
    let i = 0;
    let y: number;
    for (; i < N - M; i++) {
      y = (mt[i] & UPPER) | (mt[i + 1] & LOWER);
      mt[i] = mt[i + M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; i < N - 1; i++) {
      y = (mt[i] & UPPER) | (mt[i + 1] & LOWER);
      mt[i] = mt[i + M - N] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    y = (mt[N - 1] & UPPER) | (mt[0] & LOWER);
    mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.pos = 0;
  }

  /**
   * The generator's state for a kernel that draws as this generator does (kernels/assembly/rng.ts): its 624 words
   * copied into key, and the position of the next word (returned). setState takes both back; the stream then goes on
   * as if this generator had made the draws.
   */
  getState(key: Uint32Array): number {
    key.set(this.mt);
    return this.pos;
  }

  setState(key: Uint32Array, pos: number): void {
    if (!(Number.isInteger(pos) && pos >= 0 && pos <= N) || key.length < N) throw new RangeError(`setState: ${N} words and a position in [0, ${N}]`);
    this.mt.set(key.subarray(0, N));
    this.pos = pos;
  }

  /** Uniform integer in [0, 2^32): MT19937's next output (numpy's `next_uint32`). */
  nextUint32(): number {
    if (this.pos >= N) this.twist();
    let y = this.mt[this.pos++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** Uniform double in [0, 1) from two draws, 53 bits: `random_sample()` (also `uniform()` with low 0, high 1). */
  nextFloat(): number {
    const a = this.nextUint32() >>> 5; // 27 bits
    const b = this.nextUint32() >>> 6; // 26 bits
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** `uniform(size=m)`: m values of {@link nextFloat}. */
  uniform(m: number): Float64Array {
    const out = new Float64Array(m);
    for (let i = 0; i < m; i++) out[i] = this.nextFloat();
    return out;
  }

  /**
   * Uniform integer in [0, n), 0 < n ≤ 2^32: legacy `randint(n)` (int64), masked rejection sampling —
   * draw next_uint32 & mask until ≤ n − 1, mask = the smallest 2^b − 1 ≥ n − 1. n = 1 draws nothing.
   */
  nextInt(n: number): number {
    if (!(Number.isInteger(n) && n > 0 && n <= 4294967296)) throw new RangeError(`nextInt: n must be an integer in (0, 2^32], got ${n}`);
    return this.bounded(n - 1, maskOf(n - 1));
  }

  /** Legacy `randint(0, n, size=m)`: m integers uniform in [0, n), each drawn as {@link nextInt}. n ≤ 2^31. */
  randInts(n: number, m: number): Int32Array {
    if (!(Number.isInteger(n) && n > 0 && n <= 2147483648)) throw new RangeError(`randInts: n must be an integer in (0, 2^31], got ${n}`);
    const out = new Int32Array(m);
    const max = n - 1;
    if (max === 0) return out;
    const mask = maskOf(max);
    // bounded() inlined (a mini-batch step draws a thousand of these)
    const mt = this.mt;
    for (let i = 0; i < m; i++) {
      let v: number;
      do {
        if (this.pos >= N) this.twist();
        let y = mt[this.pos++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        v = (y & mask) >>> 0;
      } while (v > max);
      out[i] = v;
    }
    return out;
  }

  /**
   * Legacy `permutation(n)`: arange(n) shuffled as `RandomState.shuffle` does — for i from n − 1 down to 1,
   * swap element i with element `random_interval(i)` (masked rejection in [0, i]).
   */
  permutation(n: number): Int32Array {
    if (!(Number.isInteger(n) && n >= 0 && n <= 2147483648)) throw new RangeError(`permutation: n must be an integer in [0, 2^31], got ${n}`);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i >= 1; i--) {
      const j = this.bounded(i, maskOf(i));
      const t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
    return out;
  }

  /**
   * k distinct indices from [0, n), in random order: legacy `choice(n, size=k, replace=False)`, which is
   * `permutation(n)[:k]` (so it draws n − 1 bounded integers whatever k is).
   */
  sampleWithoutReplacement(n: number, k: number): Int32Array {
    if (k > n) throw new RangeError(`cannot sample ${k} of ${n} without replacement`);
    return this.permutation(n).slice(0, k);
  }

  /** Masked rejection: a uniform integer in [0, max] (max < 2^32; max = 0 draws nothing). */
  private bounded(max: number, mask: number): number {
    if (max === 0) return 0;
    for (;;) {
      const v = (this.nextUint32() & mask) >>> 0;
      if (v <= max) return v;
    }
  }
}

/** The smallest 2^b − 1 ≥ v (v < 2^32), as numpy's gen_mask. */
function maskOf(v: number): number {
  let m = v >>> 0;
  m |= m >>> 1;
  m |= m >>> 2;
  m |= m >>> 4;
  m |= m >>> 8;
  m |= m >>> 16;
  return m >>> 0;
}
