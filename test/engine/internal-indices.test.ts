/** internalIndices (one fused pass over the rows) gives the separate functions' values to the bit. */
import { describe, expect, it } from 'vitest';
import type { DataMatrix } from '../../src-shared/model';
import { Rng } from '../../src-main/engine/rng';
import { calinskiHarabasz, daviesBouldin, inertia, internalIndices } from '../../src-main/engine/metrics';
import { clusterMeans } from '../../src-main/engine/metrics/internal';
import { encodeLabels } from '../../src-main/engine/metrics/labels';

function data(n: number, d: number, k: number, seed: number, float: boolean): { X: DataMatrix; labels: Int32Array; centers: Float64Array } {
  const rng = new Rng(seed);
  const labels = Int32Array.from({ length: n }, () => Math.floor(rng.nextFloat() * k));
  const values = Array.from({ length: n * d }, (_, t) => (labels[Math.floor(t / d)] * 40 + rng.nextFloat() * 120) % 256);
  const X: DataMatrix = float ? { n, d, data: Float32Array.from(values, (v) => v / 7 - 3), scale: 1 } : { n, d, data: Uint8Array.from(values), scale: 1 / 255 };
  const centers = Float64Array.from({ length: k * d }, () => rng.nextFloat());
  return { X, labels, centers };
}

describe('internalIndices', () => {
  for (const float of [false, true]) {
    it(`equals inertia, daviesBouldin and calinskiHarabasz exactly (${float ? 'float32' : 'uint8'}, given centers and cluster means)`, () => {
      const { X, labels, centers } = data(3001, 13, 7, float ? 5 : 4, float);
      const withCenters = internalIndices(X, labels, centers);
      expect(withCenters.inertia).toBe(inertia(X, labels, centers));
      expect(withCenters.daviesBouldin).toBe(daviesBouldin(X, labels));
      expect(withCenters.calinskiHarabasz).toBe(calinskiHarabasz(X, labels));
      const { codes, counts } = encodeLabels(labels);
      const { centroids } = clusterMeans(X, codes, counts);
      const toMeans = internalIndices(X, labels, null);
      expect(toMeans.inertia).toBe(inertia(X, codes, centroids));
      expect(toMeans.daviesBouldin).toBe(withCenters.daviesBouldin);
      expect(toMeans.calinskiHarabasz).toBe(withCenters.calinskiHarabasz);
      expect(withCenters.inertia).not.toBe(toMeans.inertia); // random centers are not the means
    });
  }

  it('gives only the inertia for one cluster, and names a label with no center', () => {
    const { X, centers } = data(50, 4, 1, 6, false);
    const one = new Int32Array(50);
    expect(internalIndices(X, one, centers)).toEqual({ inertia: inertia(X, one, centers), daviesBouldin: null, calinskiHarabasz: null });
    const bad = Int32Array.from({ length: 50 }, (_, i) => i % 2);
    expect(() => internalIndices(X, bad, centers)).toThrow(/label 1 of row 1 is not a center index 0 … 0/);
  });
});
