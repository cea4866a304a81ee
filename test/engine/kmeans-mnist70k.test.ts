/**
 * All 70,000 MNIST digits, KMeans(10, n_init=1, lloyd) with seeds 0-4 against scikit-learn 1.2 with the same
 * random_state (test/reference/kmeans-mnist70k.json, scripts/reference/kmeans_mnist70k_reference.py): the same
 * k-means++ rows, then the same Lloyd iterations, so the same n_iter, inertia and cluster sizes
 * (about 2 s per fit with the WASM kernel).
 */
import { describe, expect, it } from 'vitest';
import { fitKMeans } from '../../src-main/engine/kmeans';
import { kmeansPlusPlus } from '../../src-main/engine/kmeans/init';
import { defaultLloydKernel } from '../../src-main/engine/kernels/default';
import { loadMnist } from '../../src-main/datasets/mnist';
import { Rng } from '../../src-main/engine/rng';
import { readReference } from '../helpers/metrics-data';

interface Run { seed: number; initIndices: number[]; nIter: number; inertia: number; counts: number[] }
const ref = readReference<{ runs: Run[] }>('kmeans-mnist70k.json');

describe('KMeans on the 70k MNIST digits, same seed as scikit-learn', () => {
  const ds = loadMnist();
  const X = { n: ds.n, d: ds.d, data: ds.data, scale: ds.scale };

  it.each(ref.runs.map((r) => [r.seed, r] as const))('seed %i', async (seed, run) => {
    const kernel = defaultLloydKernel(X);
    const norms = new Float64Array(X.n);
    kernel.rowNorms(X.data, X.d, 0, X.n, norms);
    expect(Array.from(kmeansPlusPlus(X.data, X.n, X.d, norms, 10, new Rng(seed), kernel))).toEqual(run.initIndices);

    const t = performance.now();
    const r = await fitKMeans(X, { k: 10, nInit: 1, seed, algorithm: 'kmeans' });
    const counts = new Array<number>(10).fill(0);
    for (const l of r.labels) counts[l]++;
    console.log(`seed ${seed}: nIter ${r.nIter} (sklearn ${run.nIter}), inertia ${r.inertia} (sklearn ${run.inertia}), ${((performance.now() - t) / 1000).toFixed(1)} s`);
    expect(r.nIter).toBe(run.nIter);
    expect(Math.abs(r.inertia - run.inertia) / run.inertia).toBeLessThan(1e-9);
    expect(counts).toEqual(run.counts);
  }, 180_000);
});
