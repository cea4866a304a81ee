/**
 * Same seed, same draws as scikit-learn 1.2 (our Rng is numpy's RandomState): k-means++ picks, whole KMeans fits
 * (n_init 1 and 3, k-means++ and random) and MiniBatchKMeans fits (validation set, init subsets, batches,
 * reassignments) against test/reference/kmeans-seeded.json, written by scripts/reference/kmeans_seeded_reference.py.
 */
import { describe, expect, it } from 'vitest';
import type { DataMatrix, InitMethod } from '../../src-shared/model';
import { fitKMeans } from '../../src-main/engine/kmeans';
import { kmeansPlusPlus } from '../../src-main/engine/kmeans/init';
import { tsKernel } from '../../src-main/engine/kernels/ts-kernel';
import { Rng } from '../../src-main/engine/rng';
import { floatBlobs, readReference } from '../helpers/metrics-data';
import { mnistMatrix } from '../helpers/mnist-rows';

type Name = 'blobs' | 'mnist';
interface Kpp { dataset: Name; k: number; seed: number; indices: number[] }
interface Fit { dataset: Name; k: number; seed: number; labels: number[]; nIter: number; inertia: number }
interface KMeansFit extends Fit { init: InitMethod; nInit: number }
interface MiniBatchFit extends Fit { batchSize: number; nSteps: number; initRows?: number[] }
const ref = readReference<{ kpp: Kpp[]; kmeans: KMeansFit[]; minibatch: MiniBatchFit[] }>('kmeans-seeded.json');

const sets: Record<Name, DataMatrix> = { blobs: floatBlobs().X, mnist: mnistMatrix(0, 300) };

function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

describe('k-means++ picks the rows scikit-learn picks with random_state=seed', () => {
  it.each(ref.kpp.map((c) => [c.dataset, c.k, c.seed, c] as const))('%s k=%i seed %i', (name, k, seed, c) => {
    const { n, d, data } = sets[name];
    const norms = new Float64Array(n);
    tsKernel.rowNorms(data, d, 0, n, norms);
    expect(Array.from(kmeansPlusPlus(data, n, d, norms, k, new Rng(seed), tsKernel))).toEqual(c.indices);
  });
});

describe('KMeans: same labels, n_iter and inertia as scikit-learn with random_state=seed', () => {
  it.each(ref.kmeans.map((c) => [c.dataset, c.k, c.init, c.nInit, c.seed, c] as const))(
    '%s k=%i %s nInit=%i seed %i',
    async (name, k, init, nInit, seed, c) => {
      const r = await fitKMeans(sets[name], { k, init, nInit, seed, algorithm: 'kmeans' });
      expect(Array.from(r.labels)).toEqual(c.labels);
      expect(r.nIter).toBe(c.nIter);
      expect(relErr(r.inertia, c.inertia)).toBeLessThan(1e-9);
    },
  );
});

describe('MiniBatchKMeans: same steps, inertia and labels as scikit-learn with random_state=seed', () => {
  it.each(ref.minibatch.map((c) => [c.dataset, c.k, c.batchSize, c.initRows ? 'given rows' : 'k-means++', c.seed, c] as const))(
    '%s k=%i batchSize=%i init %s seed %i',
    async (name, k, batchSize, _init, seed, c) => {
      const X = sets[name];
      const initCenters = c.initRows ? Float64Array.from(c.initRows.flatMap((i) => Array.from(X.data.subarray(i * X.d, (i + 1) * X.d), (v) => v * X.scale))) : undefined;
      // the reference: MiniBatchKMeans(n_init=3), or n_init=1 from given rows
      const r = await fitKMeans(X, { k, batchSize, seed, algorithm: 'minibatch', nInit: c.initRows ? 1 : 3 }, { initCenters });
      expect(r.nIter).toBe(c.nSteps);
      expect(relErr(r.inertia, c.inertia)).toBeLessThan(1e-9);
      expect(Array.from(r.labels)).toEqual(c.labels);
    },
  );
});
