// MT19937 draws on the kernel, bit for bit those of src-main/engine/rng.ts (numpy's legacy RandomState): a mini-batch
// step's thousand row indices without a JavaScript loop. The caller hands over the generator's state (rng.ts
// getState) and takes it back (setState), so the stream goes on exactly as if rng.ts had drawn them.

const N = 624;
const M = 397;

/** MT19937's twist of the 624 words at key (init_genrand's recurrence, as rng.ts twist). */
function twist(key: usize): void {
  let i = 0;
  for (; i < N - M; i++) {
    const y = (load<u32>(key + (<usize>i << 2)) & 0x80000000) | (load<u32>(key + (<usize>(i + 1) << 2)) & 0x7fffffff);
    store<u32>(key + (<usize>i << 2), load<u32>(key + (<usize>(i + M) << 2)) ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0));
  }
  for (; i < N - 1; i++) {
    const y = (load<u32>(key + (<usize>i << 2)) & 0x80000000) | (load<u32>(key + (<usize>(i + 1) << 2)) & 0x7fffffff);
    store<u32>(key + (<usize>i << 2), load<u32>(key + (<usize>(i + M - N) << 2)) ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0));
  }
  const y = (load<u32>(key + (<usize>(N - 1) << 2)) & 0x80000000) | (load<u32>(key) & 0x7fffffff);
  store<u32>(key + (<usize>(N - 1) << 2), load<u32>(key + (<usize>(M - 1) << 2)) ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0));
}

/**
 * rng.ts randInts(n, m) (numpy's randint(0, n, size=m)): m integers uniform in [0, n), 2 ≤ n ≤ 2³¹, each by masked
 * rejection (next word & mask until ≤ n − 1, mask the smallest 2^b − 1 ≥ n − 1), into out (int32). key: the 624 state
 * words, pos: the next word's index (624: twist first). Returns the position after the draws (the state is in key).
 */
export function mtRandInts(key: usize, pos: i32, n: u32, m: i32, out: usize): i32 {
  const max: u32 = n - 1;
  let mask = max;
  mask |= mask >>> 1;
  mask |= mask >>> 2;
  mask |= mask >>> 4;
  mask |= mask >>> 8;
  mask |= mask >>> 16;
  for (let i = 0; i < m; i++) {
    let v: u32;
    do {
      if (pos >= N) {
        twist(key);
        pos = 0;
      }
      let y = load<u32>(key + (<usize>pos << 2));
      pos++;
      y ^= y >>> 11;
      y ^= (y << 7) & 0x9d2c5680;
      y ^= (y << 15) & 0xefc60000;
      y ^= y >>> 18;
      v = y & mask;
    } while (v > max);
    store<u32>(out + (<usize>i << 2), v);
  }
  return pos;
}
