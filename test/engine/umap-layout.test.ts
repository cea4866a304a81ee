/**
 * umap-layout.ts is umap-js' algorithm: for the same k-NN graph, seed and epochs it gives umap-js 1.4's map, on the
 * float blobs and on 300 MNIST digits (PCA-50), through rows whose neighbours are all duplicates (ρ = 0).
 */
import { UMAP } from 'umap-js';
import { describe, expect, it } from 'vitest';
import type { DataMatrix } from '../../src-shared/model';
import { knn, type Knn } from '../../src-main/engine/embed/knn';
import { pca } from '../../src-main/engine/embed/pca';
import { fuzzyGraph, powExpLog, UmapLayout } from '../../src-main/engine/embed/umap-layout';
import { Rng } from '../../src-main/engine/rng';
import { floatBlobs } from '../helpers/metrics-data';
import { mnistMatrix } from '../helpers/mnist-rows';

function viaUmapJs(g: Knn, n: number, nEpochs: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const u = new UMAP({ nComponents: 2, nNeighbors: g.k, minDist: 0.1, nEpochs, random: () => rng.nextFloat() });
  const rows = (a: Int32Array | Float64Array): number[][] => Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * g.k, (i + 1) * g.k)));
  u.setPrecomputedKNN(rows(g.indices), rows(g.distances));
  const epochs = u.initializeFit(new Array<number[]>(n));
  for (let e = 0; e < epochs; e++) u.step();
  return Float64Array.from(u.getEmbedding().flat());
}

function viaLayout(g: Knn, n: number, nEpochs: number, seed: number, pow: (x: number, e: number) => number = Math.pow): Float64Array {
  const rng = new Rng(seed);
  const layout = new UmapLayout(fuzzyGraph(g, n, nEpochs), nEpochs, 0.1, () => rng.nextFloat(), pow);
  let steps = 0;
  while (layout.step()) steps++;
  expect(steps + 1).toBe(nEpochs);
  expect(layout.step()).toBe(false);
  return layout.embedding;
}

/** The blobs with their first 30 rows repeated 16 times: those rows' 15 neighbours are all at distance 0. */
function withDuplicates(): DataMatrix {
  const { X } = floatBlobs();
  const extra = 30 * 16;
  const data = new Float32Array((X.n + extra) * X.d);
  data.set(X.data as Float32Array);
  for (let c = 0; c < extra; c++) data.set((X.data as Float32Array).subarray((c % 30) * X.d, (c % 30 + 1) * X.d), (X.n + c) * X.d);
  return { n: X.n + extra, d: X.d, data, scale: 1 };
}

describe('UMAP layout', () => {
  it.each([
    ['float blobs', () => floatBlobs().X, 120, 3],
    ['300 MNIST digits on PCA-50', () => {
      const p = pca(mnistMatrix(0, 300), { nComponents: 50, maxIterations: 20 });
      return { n: 300, d: 50, data: Float32Array.from(p.coords), scale: 1 };
    }, 60, 0],
    ['blobs with duplicate rows', withDuplicates, 40, 1],
  ] as const)('%s: the same map as umap-js', async (_name, data, nEpochs, seed) => {
    const X = data();
    const g = await knn(X, 15);
    const ours = viaLayout(g, X.n, nEpochs, seed);
    const theirs = viaUmapJs(g, X.n, nEpochs, seed);
    expect(ours).toHaveLength(theirs.length);
    let worst = 0;
    for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i]! - theirs[i]!));
    expect(worst).toBeLessThan(1e-9);
  }, 60_000);

  it('its default power, exp(e · ln x), is within 1e-13 relative of Math.pow over the distances a layout meets', () => {
    let worst = 0;
    for (const e of [0.895 - 1, 0.895, 0.5, 1.2, 1.9 - 1, 1.9]) {
      for (let t = -30; t <= 12; t += 0.01) {
        const x = Math.exp(t);
        worst = Math.max(worst, Math.abs(powExpLog(x, e) / Math.pow(x, e) - 1));
      }
    }
    expect(worst).toBeGreaterThan(0); // it is not Math.pow itself
    expect(worst).toBeLessThan(1e-13);
  });

  it('with its default power, one epoch moves the points as umap-js does, within 1e-12', async () => {
    const X = floatBlobs().X;
    const g = await knn(X, 15);
    const ours = viaLayout(g, X.n, 2, 3, powExpLog);
    const theirs = viaUmapJs(g, X.n, 2, 3);
    let worst = 0;
    for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i]! - theirs[i]!));
    expect(worst).toBeLessThan(1e-12);
  });
});
