/**
 * k-means++ and random initialisation: determinism by seed, and the inertia of every seed against scikit-learn's
 * with the same random_state (test/reference/kmeans-stats.json; our Rng is numpy's RandomState, drawn in
 * scikit-learn's order, so the runs are the same ones).
 */
import { describe, expect, it } from 'vitest';
import { fitKMeans } from '../../src-main/engine/kmeans';
import { kmeansPlusPlus } from '../../src-main/engine/kmeans/init';
import { tsKernel } from '../../src-main/engine/kernels/ts-kernel';
import { Rng } from '../../src-main/engine/rng';
import { readReference } from '../helpers/metrics-data';
import { mean, nearestCenters } from '../helpers/kmeans-check';
import { mnistMatrix } from '../helpers/mnist-rows';

interface Summary {
  mean: number;
  values: number[];
}
const stats = readReference<{ seeds: number[]; stats: Record<string, Summary> }>('kmeans-stats.json');
const X = mnistMatrix(0, 300);

// random runs 10 inits per fit, so it is checked on the first 10 seeds only (its spread over seeds is small)
describe.each([
  ['k-means++', 'mnist-k10-k-means++-ninit1', 20],
  ['random', 'mnist-k10-random-ninit10', 10],
] as const)('init %s', (init, key, nSeeds) => {
  it('gives the same result for the same seed and a different one for another seed', async () => {
    const a = await fitKMeans(X, { k: 10, init, seed: 7 });
    const b = await fitKMeans(X, { k: 10, init, seed: 7 });
    const c = await fitKMeans(X, { k: 10, init, seed: 8 });
    expect(b.labels).toEqual(a.labels);
    expect(b.centers).toEqual(a.centers);
    expect(b.inertia).toBe(a.inertia);
    expect(Array.from(c.centers)).not.toEqual(Array.from(a.centers));
  });

  it("gives scikit-learn's inertia for every seed (same draws), and labels matching centers", async () => {
    const ours: number[] = [];
    for (const seed of stats.seeds.slice(0, nSeeds)) {
      const r = await fitKMeans(X, { k: 10, init, seed });
      ours.push(r.inertia);
      if (seed < 3) {
        const direct = nearestCenters(X, r.centers, 10);
        expect(r.labels).toEqual(direct.labels);
        expect(Math.abs(r.inertia - direct.dist.reduce((s, v) => s + v, 0)) / r.inertia).toBeLessThan(1e-9);
      }
    }
    const ref = stats.stats[key].values.slice(0, nSeeds);
    ours.forEach((v, i) => expect(Math.abs(v - ref[i]) / ref[i], `seed ${stats.seeds[i]}`).toBeLessThan(1e-9));
    expect(Math.abs(mean(ours) - stats.stats[key].mean) / stats.stats[key].mean).toBeLessThan(0.015);
  });
});

describe('kmeansPlusPlus', () => {
  it('picks one row from each of k far-apart groups, for every seed', () => {
    // 4 tight groups of 25 points around (0,0), (100,0), (0,100), (100,100)
    const d = 2;
    const n = 100;
    const data = new Float64Array(n * d);
    const jitter = new Rng(1);
    for (let i = 0; i < n; i++) {
      const g = i % 4;
      data[i * d] = (g & 1) * 100 + jitter.nextFloat();
      data[i * d + 1] = (g >> 1) * 100 + jitter.nextFloat();
    }
    const norms = new Float64Array(n);
    tsKernel.rowNorms(data, d, 0, n, norms);
    for (let seed = 0; seed < 20; seed++) {
      const idx = kmeansPlusPlus(data, n, d, norms, 4, new Rng(seed), tsKernel);
      expect(new Set(Array.from(idx, (i) => i % 4)).size).toBe(4);
    }
  });
});

describe('nInit', () => {
  it("runs 'auto' = 1 init for k-means++ and 10 for random, keeping the lowest inertia", async () => {
    for (const [init, expected] of [['k-means++', 1], ['random', 10]] as const) {
      const finals = new Map<number, number>();
      const r = await fitKMeans(X, { k: 5, init, seed: 3 }, { onProgress: (p) => finals.set(p.run, p.iteration) });
      expect(finals.size).toBe(expected);
      expect(r.bestRun).toBeLessThan(expected);
      expect(r.nIter).toBe(finals.get(r.bestRun));
    }
  });

  it('keeps the best of several inits: never worse than a single init from the same seed', async () => {
    for (const seed of [0, 1, 2]) {
      const many = await fitKMeans(X, { k: 10, init: 'random', nInit: 5, seed });
      const one = await fitKMeans(X, { k: 10, init: 'random', nInit: 1, seed });
      // run 0 of both fits starts from the same centers (first fork of the same seeded Rng)
      expect(many.inertia).toBeLessThanOrEqual(one.inertia * (1 + 1e-12));
    }
  });
});
