/**
 * K-means against Lloyd's iteration in exact arithmetic (test/reference/exact-lloyd.json,
 * scripts/reference/exact_lloyd.py): integer sums and counts for the centers, int64 distances, exact rational
 * comparisons where two centers are nearly equally far, scikit-learn's own k-means++ picks and stopping rule.
 *
 * Where scikit-learn's float64 rounding decides a tie, its answer depends on the OpenBLAS kernel it runs: on
 * MNIST 70k at k = 61, seed 0, KMeans(lloyd) takes 111 iterations with the SkylakeX and Haswell kernels and 106 with
 * the Cooperlake one, on the same machine (docs/benchmarks.md). The exact iteration is the answer rounding cannot
 * move; the engine must give it on every kernel, there and on the uint8 sets of the corpus at large k.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { fitKMeans } from '../../src-main/engine/kmeans';
import { createWasmKernel } from '../../src-main/engine/kernels/wasm-kernel';
import type { LloydKernel } from '../../src-main/engine/kernels/types';
import type { KernelPool } from '../../src-main/engine/kernels/pool';
import { loadMnist } from '../../src-main/datasets/mnist';
import type { DataMatrix } from '../../src-shared/model';
import { readReference } from '../helpers/metrics-data';
import { useKernelPools } from '../helpers/pools';
import { corpus } from './corpus/corpus';

interface Answer { nIter: number; inertia: number; counts: number[]; labelsSha256: string }
interface Entry { dataset: string; k: number; seed: number; exact: Answer; rowsDecidedExactly: number; sklearn: { nIter: number; inertia: number; labelsSha256: string } }
const ref = readReference<{ blas: string[]; mnist: Entry[]; corpus: Entry[] }>('exact-lloyd.json');

const pools = useKernelPools();
let pool3: KernelPool;
beforeAll(() => {
  pool3 = pools.pool3();
});

/** SHA-256 of the labels as uint16 little-endian, as the script hashes them. */
function labelsSha256(labels: Int32Array): string {
  const u16 = new Uint16Array(labels.length);
  for (let i = 0; i < labels.length; i++) u16[i] = labels[i];
  const bytes = new Uint8Array(u16.buffer);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('big-endian host');
  return createHash('sha256').update(bytes).digest('hex');
}

function counts(labels: Int32Array, k: number): number[] {
  const c = new Array<number>(k).fill(0);
  for (const l of labels) c[l]++;
  return c;
}

async function expectExact(X: DataMatrix, e: Entry): Promise<void> {
  const kernels: [string, LloydKernel | undefined][] = [['default', undefined], ['wasm, bounded', createWasmKernel(pool3, { cacheBytes: 0 })]];
  for (const [what, kernel] of kernels) {
    const r = await fitKMeans(X, { k: e.k, init: 'k-means++', nInit: 1, seed: e.seed, algorithm: 'kmeans' }, { kernel });
    expect(r.nIter, what).toBe(e.exact.nIter);
    expect(counts(r.labels, e.k), what).toEqual(e.exact.counts);
    expect(labelsSha256(r.labels), what).toBe(e.exact.labelsSha256);
    expect(Math.abs(r.inertia - e.exact.inertia) / e.exact.inertia, what).toBeLessThan(1e-9);
  }
}

describe('K-means equals exact-arithmetic Lloyd', () => {
  it('the reference holds the tie case and the large-k corpus sets', () => {
    const m = ref.mnist.find((e) => e.k === 61)!;
    expect(m.rowsDecidedExactly).toBeGreaterThan(0);
    expect(ref.corpus.map((e) => e.k).sort((a, b) => a - b)).toEqual([100, 150, 200, 300, 500]);
  });

  const sets = new Map(corpus().map((c) => [c.name, c.X]));
  it.each(ref.corpus.map((e) => [e.dataset, e.k, e] as const))('corpus %s k=%i', async (name, _k, e) => {
    await expectExact(sets.get(name)!, e);
  }, 60_000);

  it.each(ref.mnist.map((e) => [e.k, e] as const))('MNIST 70k k=%i seed 0 (a first-iteration tie)', async (_k, e) => {
    await expectExact(loadMnist(), e);
  }, 180_000);
});
