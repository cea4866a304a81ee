/**
 * The scikit-learn subset of the differential corpus, and the dense-image cases of the correctness issue,
 * against scikit-learn 1.2 (test/reference/corpus-sklearn.json, scripts/reference/corpus_reference.py):
 * - corpus datasets: KMeans(n_init=1, random_state=3) and MiniBatchKMeans(batch_size=64, n_init='auto',
 *   random_state=5) labels, n_iter / n_steps and inertia, on the WASM kernel (bounded, so Elkan's int16
 *   estimates and Hamerly's bounds run at these sizes) and on the default kernel;
 * - the 10,000 MNIST test digits inverted: KMeans(10, n_init='auto', random_state=0) gives 45 iterations and
 *   inertia 3.9269e5 (the fast path used to stop after 8 at 3.9669e5);
 * - MiniBatchKMeans(10, n_init='auto', random_state=s) on the 70k digits, s = 0, 1, 2 (n_init 'auto' = 1).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fitKMeans } from '../../src-main/engine/kmeans';
import { createWasmKernel } from '../../src-main/engine/kernels/wasm-kernel';
import type { LloydKernel } from '../../src-main/engine/kernels/types';
import { loadMnist } from '../../src-main/datasets/mnist';
import type { KernelPool } from '../../src-main/engine/kernels/pool';
import { readReference } from '../helpers/metrics-data';
import { useKernelPools } from '../helpers/pools';
import { numpyArgsort } from '../../src-main/engine/numpy-argsort';
import { corpus } from './corpus/corpus';

interface Fit { nIter?: number; nSteps?: number; inertia: number; labels: number[] }
interface Ref {
  corpus: { dataset: string; k: number; lloyd: Fit; minibatch: Fit }[];
  inverted: { nIter: number; inertia: number; counts: number[] };
  minibatch: { seed: number; nSteps: number; inertia: number; counts: number[] }[];
  argsort: { values: number[]; order: number[] }[];
}
const ref = readReference<Ref>('corpus-sklearn.json');
const sets = new Map(corpus().map((c) => [c.name, c.X]));

const pools = useKernelPools();
let pool3: KernelPool;
beforeAll(() => {
  pool3 = pools.pool3();
});

const relErr = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);
const counts = (labels: Int32Array, k: number): number[] => {
  const c = new Array<number>(k).fill(0);
  for (const l of labels) c[l]++;
  return c;
};

describe('differential corpus against scikit-learn', () => {
  it('covers the subset the reference script wrote', () => {
    expect(ref.corpus.length).toBeGreaterThanOrEqual(15);
    for (const c of ref.corpus) expect(sets.has(c.dataset), c.dataset).toBe(true);
  });

  /**
   * Where scikit-learn's own mini-batch answer changes when the data is inverted (x → 255 − x, the same
   * distances), a float64 near tie decides between labels, and its BLAS rounding cannot be reproduced: there
   * the same steps and nearly the same labels are asked (the inverted twin is asked exactly).
   */
  const sklearnNearTies = new Set(['u8-sparse-784 k=65']);

  it('a near-tie exception is one: scikit-learn itself is not invariant to the inversion there', () => {
    for (const key of sklearnNearTies) {
      const [name, kk] = key.split(' k=');
      const a = ref.corpus.find((c) => c.dataset === name && c.k === Number(kk))!;
      const b = ref.corpus.find((c) => c.dataset === name.replace('sparse', 'inverted') && c.k === Number(kk))!;
      expect(a.minibatch.labels).not.toEqual(b.minibatch.labels);
    }
  });

  it.each(ref.corpus.map((c) => [c.dataset, c.k, c] as const))('%s k=%i', async (name, k, c) => {
    const X = sets.get(name)!;
    const kernels: [string, LloydKernel | undefined][] = [['default', undefined], ['wasm, bounded', createWasmKernel(pool3, { cacheBytes: 0 })]];
    for (const [what, kernel] of kernels) {
      const km = await fitKMeans(X, { k, nInit: 1, seed: 3, algorithm: 'kmeans' }, { kernel });
      expect(km.nIter, `${what} lloyd`).toBe(c.lloyd.nIter);
      expect(Array.from(km.labels), `${what} lloyd`).toEqual(c.lloyd.labels);
      expect(relErr(km.inertia, c.lloyd.inertia), `${what} lloyd`).toBeLessThan(1e-9);
      const mb = await fitKMeans(X, { k, seed: 5, algorithm: 'minibatch', batchSize: 64 }, { kernel });
      expect(mb.nIter, `${what} minibatch`).toBe(c.minibatch.nSteps);
      if (sklearnNearTies.has(`${name} k=${k}`)) {
        const same = c.minibatch.labels.filter((l, i) => l === mb.labels[i]).length;
        expect(same / X.n, `${what} minibatch`).toBeGreaterThan(0.98);
        expect(relErr(mb.inertia, c.minibatch.inertia), `${what} minibatch`).toBeLessThan(0.01);
        continue;
      }
      expect(Array.from(mb.labels), `${what} minibatch`).toEqual(c.minibatch.labels);
      expect(relErr(mb.inertia, c.minibatch.inertia), `${what} minibatch`).toBeLessThan(1e-9);
    }
  }, 60_000);
});

it("numpyArgsort gives NumPy's order among equal values (MiniBatchKMeans's reassignment)", () => {
  expect(ref.argsort.length).toBeGreaterThan(20);
  for (const a of ref.argsort) expect(Array.from(numpyArgsort(a.values)), `n=${a.values.length}`).toEqual(a.order);
});

describe('dense images and n_init auto, default kernels', () => {
  const mnist = loadMnist();

  it("the inverted MNIST test digits: scikit-learn's 45 iterations and inertia", async () => {
    const n = 10_000;
    const data = mnist.data.slice(60_000 * 784).map((v) => 255 - v);
    const r = await fitKMeans({ n, d: 784, data, scale: 1 / 255 }, { k: 10, seed: 0 });
    expect(r.nIter).toBe(ref.inverted.nIter);
    expect(relErr(r.inertia, ref.inverted.inertia)).toBeLessThan(1e-9);
    expect(counts(r.labels, 10)).toEqual(ref.inverted.counts);
  }, 60_000);

  it.each(ref.minibatch.map((m) => [m.seed, m] as const))("MiniBatchKMeans(n_init='auto') on the 70k digits, seed %i", async (seed, m) => {
    const r = await fitKMeans(mnist, { k: 10, seed, algorithm: 'minibatch', nInit: 'auto' });
    expect(r.nIter).toBe(m.nSteps);
    expect(relErr(r.inertia, m.inertia)).toBeLessThan(1e-9);
    expect(counts(r.labels, 10)).toEqual(m.counts);
  }, 60_000);
});
