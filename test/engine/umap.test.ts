/**
 * UMAP's output (its exact k-NN graph is tested in knn.test.ts): the seeded UMAP
 * layout (same seed, same map; neighbourhoods of the float blobs kept). The trustworthiness check against
 * scikit-learn on the 8×8 digits is scripts/reference/umap_trustworthiness.py.
 */
import { describe, expect, it } from 'vitest';
import { MAX_UMAP_ROWS } from '../../src-shared/api';
import { umap } from '../../src-main/engine/embed/umap';
import { embed } from '../../src-main/engine/embed';
import { CancelledError } from '../../src-main/engine/errors';
import { floatBlobs } from '../helpers/metrics-data';
import { mnistMatrix } from '../helpers/mnist-rows';

describe('umap', () => {
  const { X, y } = floatBlobs();

  it('is seeded: the same seed gives the same map, another seed another one', async () => {
    const a = await umap(X, { seed: 3, nEpochs: 60 });
    const b = await umap(X, { seed: 3, nEpochs: 60 });
    const c = await umap(X, { seed: 4, nEpochs: 60 });
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(a.every(Number.isFinite)).toBe(true);
  }, 60_000);

  it('keeps the blobs apart: the 10 nearest map neighbours of a point share its blob', async () => {
    const progress: [number, number | undefined][] = [];
    const coords = await umap(X, { seed: 0, onProgress: (f, e) => progress.push([f, e]) });
    let same = 0;
    for (let i = 0; i < X.n; i++) {
      const near = Array.from({ length: X.n }, (_, j) => j)
        .filter((j) => j !== i)
        .sort((p, q) => Math.hypot(coords[2 * p]! - coords[2 * i]!, coords[2 * p + 1]! - coords[2 * i + 1]!) - Math.hypot(coords[2 * q]! - coords[2 * i]!, coords[2 * q + 1]! - coords[2 * i + 1]!))
        .slice(0, 10);
      same += near.filter((j) => y[j] === y[i]).length;
    }
    expect(same / (X.n * 10)).toBeGreaterThan(0.95);
    // progress per epoch (500 for 240 rows), ending at 1
    expect(progress.filter(([, e]) => e !== undefined)).toHaveLength(500);
    expect(progress.at(-1)).toEqual([1, 500]);
  }, 60_000);

  it('projects wide data on 50 principal components first, and stops when cancelled', async () => {
    const wide = mnistMatrix(0, 300);
    const map = await embed(wide, 'umap', { seed: 1 });
    expect(map.kind).toBe('umap');
    expect(map.coords).toHaveLength(600);
    const c = new AbortController();
    c.abort();
    await expect(umap(wide, { signal: c.signal })).rejects.toThrow(CancelledError);
    await expect(umap({ n: 10, d: 3, data: new Float32Array(30), scale: 1 })).rejects.toThrow(/needs more than 15 rows/);
    const n = MAX_UMAP_ROWS + 1;
    await expect(umap({ n, d: 3, data: new Float32Array(3 * n), scale: 1 })).rejects.toThrow(/UMAP is limited to 70,000 rows/);
  }, 60_000);
});
