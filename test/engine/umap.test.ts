/**
 * UMAP's inputs and output: the exact k-NN graph from the engine's distance kernels against a brute-force
 * float64 search (TS kernel on float32 blobs, WASM kernel on 800 uint8 MNIST digits), and the seeded UMAP
 * layout (same seed, same map; neighbourhoods of the float blobs kept). The trustworthiness check against
 * scikit-learn on the 8×8 digits is scripts/reference/umap_trustworthiness.py.
 */
import { describe, expect, it } from 'vitest';
import { MAX_UMAP_ROWS } from '../../src-shared/api';
import type { DataMatrix } from '../../src-shared/model';
import { exactKnn } from '../../src-main/engine/embed/knn';
import { umap } from '../../src-main/engine/embed/umap';
import { embed } from '../../src-main/engine/embed';
import { tsKernel } from '../../src-main/engine/kernels/ts-kernel';
import { wasmKernel } from '../../src-main/engine/kernels/wasm-kernel';
import { CancelledError, ParamError } from '../../src-main/engine/errors';
import { floatBlobs } from '../helpers/metrics-data';
import { mnistMatrix } from '../helpers/mnist-rows';

/** k nearest rows of every row by float64 distances, ties to the lower index, self first. */
function bruteKnn(X: DataMatrix, k: number): { indices: number[][]; distances: number[][] } {
  const { n, d, data, scale } = X;
  const indices: number[][] = [];
  const distances: number[][] = [];
  for (let i = 0; i < n; i++) {
    const all = Array.from({ length: n }, (_, j) => {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const e = (data[i * d + t] - data[j * d + t]) * scale;
        s += e * e;
      }
      return { j, dist: j === i ? -1 : Math.sqrt(s) };
    }).sort((a, b) => a.dist - b.dist || a.j - b.j);
    indices.push(all.slice(0, k).map((x) => x.j));
    distances.push(all.slice(0, k).map((x) => Math.max(0, x.dist)));
  }
  return { indices, distances };
}

describe('exact k-NN', () => {
  it.each([
    ['float32 blobs, TS kernel', () => floatBlobs().X, tsKernel],
    ['800 uint8 MNIST digits, WASM kernel', () => mnistMatrix(0, 800), wasmKernel()],
  ] as const)('%s: the same neighbours as a brute-force float64 search', (_name, data, kernel) => {
    const X = data();
    const k = 15;
    const r = exactKnn(X, k, { kernel });
    const ref = bruteKnn(X, k);
    let same = 0;
    for (let i = 0; i < X.n; i++) {
      expect(r.indices[i * k]).toBe(i);
      for (let q = 0; q < k; q++) {
        if (r.indices[i * k + q] === ref.indices[i]![q]) same++;
        expect(r.distances[i * k + q]).toBeCloseTo(ref.distances[i]![q]!, 9);
      }
    }
    // distances equal to 1e-9 and indices equal except where two neighbours are at the same distance
    expect(same / (X.n * k)).toBeGreaterThan(0.999);
  }, 60_000);

  it('rejects k out of range', () => {
    expect(() => exactKnn(floatBlobs().X, 0)).toThrow(ParamError);
    expect(() => exactKnn(floatBlobs().X, 241)).toThrow(/nNeighbors must be an integer 1 … 240/);
  });
});

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
    await expect(umap({ n, d: 3, data: new Float32Array(3 * n), scale: 1 })).rejects.toThrow(/UMAP is limited to 20,000 rows/);
  }, 60_000);
});
