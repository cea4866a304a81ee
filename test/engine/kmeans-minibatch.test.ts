/**
 * Mini-batch K-means against scikit-learn 1.2 MiniBatchKMeans with the same random_state
 * (test/reference/kmeans-stats.json): inertia and steps of every seed, labels consistent with the centers.
 */
import { describe, expect, it } from 'vitest';
import { fitKMeans } from '../../src-main/engine/kmeans';
import { readReference } from '../helpers/metrics-data';
import { mean, nearestCenters } from '../helpers/kmeans-check';
import { mnistMatrix } from '../helpers/mnist-rows';

interface Summary {
  mean: number;
  values: number[];
  steps: { mean: number; values: number[] };
}
const stats = readReference<{ seeds: number[]; stats: Record<string, Summary> }>('kmeans-stats.json');
const X = mnistMatrix(0, 300);

describe.each([64, 1024])('minibatch, batchSize %i', (batchSize) => {
  const ref = stats.stats[`mnist-k10-minibatch-bs${batchSize}`];

  it("gives scikit-learn's inertia and number of steps for every seed (same draws)", async () => {
    const inertia: number[] = [];
    const steps: number[] = [];
    for (const seed of stats.seeds) {
      // the reference is MiniBatchKMeans(n_init=3), explicitly
      const r = await fitKMeans(X, { k: 10, algorithm: 'minibatch', batchSize, seed, nInit: 3 });
      inertia.push(r.inertia);
      steps.push(r.nIter);
    }
    inertia.forEach((v, i) => expect(Math.abs(v - ref.values[i]) / ref.values[i], `seed ${stats.seeds[i]}`).toBeLessThan(1e-9));
    // early stop by maxNoImprovement long before the ⌊100·n/batch⌋ step limit, when scikit-learn stops
    expect(steps).toEqual(ref.steps.values);
    expect(Math.abs(mean(inertia) - ref.mean) / ref.mean).toBeLessThan(0.03);
  });

  it('returns labels and inertia of a full final pass over the returned centers', async () => {
    const r = await fitKMeans(X, { k: 10, algorithm: 'minibatch', batchSize, seed: 5 });
    const direct = nearestCenters(X, r.centers, 10);
    expect(r.labels).toEqual(direct.labels);
    const inertia = direct.dist.reduce((s, v) => s + v, 0);
    expect(Math.abs(r.inertia - inertia) / inertia).toBeLessThan(1e-9);
  });
});

describe('minibatch options', () => {
  it('is deterministic by seed', async () => {
    const a = await fitKMeans(X, { k: 8, algorithm: 'minibatch', batchSize: 50, seed: 11 });
    const b = await fitKMeans(X, { k: 8, algorithm: 'minibatch', batchSize: 50, seed: 11 });
    const c = await fitKMeans(X, { k: 8, algorithm: 'minibatch', batchSize: 50, seed: 12 });
    expect(b.centers).toEqual(a.centers);
    expect(b.nIter).toBe(a.nIter);
    expect(Array.from(c.centers)).not.toEqual(Array.from(a.centers));
  });

  it('takes at most ⌊maxIter·n/batchSize⌋ steps, and fraction reaches 1 when it runs them all', async () => {
    const fractions: number[] = [];
    const r = await fitKMeans(
      X,
      { k: 10, algorithm: 'minibatch', batchSize: 64, maxIter: 1, maxNoImprovement: 1000, seed: 0 },
      { onProgress: (p) => fractions.push(p.fraction) },
    );
    expect(r.nIter).toBe(Math.floor(300 / 64));
    expect(fractions).toEqual([1, 2, 3, 4].map((s) => s / 4));
  });

  it('stops on tol when the centers move less than tol × mean variance', async () => {
    const free = await fitKMeans(X, { k: 10, algorithm: 'minibatch', batchSize: 32, maxNoImprovement: 1000, seed: 0 });
    const tol = await fitKMeans(X, { k: 10, algorithm: 'minibatch', batchSize: 32, maxNoImprovement: 1000, tol: 0.05, seed: 0 });
    expect(tol.nIter).toBeLessThan(free.nIter);
    const last = tol.history[tol.history.length - 1];
    expect(last.centerShift).toBeGreaterThan(0);
  });

  it('reassigns centers that receive no points (none stays empty with reassignment on)', async () => {
    // centers far from every point: without reassignment most of them would never move
    const far = new Float64Array(10 * 784).fill(3);
    for (let c = 0; c < 784; c++) far[c] = X.data[c] / 255;
    const withRe = await fitKMeans(X, { k: 10, algorithm: 'minibatch', batchSize: 64, seed: 1 }, { initCenters: far });
    const without = await fitKMeans(
      X,
      { k: 10, algorithm: 'minibatch', batchSize: 64, seed: 1, reassignmentRatio: 0 },
      { initCenters: far },
    );
    expect(new Set(withRe.labels).size).toBe(10);
    expect(new Set(without.labels).size).toBe(1);
    expect(withRe.inertia).toBeLessThan(without.inertia);
  });
});
