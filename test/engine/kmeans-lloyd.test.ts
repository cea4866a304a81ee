/**
 * Lloyd from given centers against scikit-learn 1.2 KMeans(init=centers, n_init=1, algorithm='lloyd')
 * (test/reference/kmeans-lloyd.json, scripts/reference/kmeans_reference.py): same labels, same number of
 * iterations, centers and inertia within 1e-9 relative, on the uint8 (scale 1/255), float32 and float64 paths.
 */
import { describe, expect, it } from 'vitest';
import { fitKMeans } from '../../src-main/engine/kmeans';
import type { DataMatrix } from '../../src-shared/model';
import { floatBlobs, readReference } from '../helpers/metrics-data';
import { mnistMatrix } from '../helpers/mnist-rows';

interface LloydCase {
  name: string;
  dataset: 'mnist' | 'blobs';
  k: number;
  init: { rows: number[]; extra?: number[] };
  maxIter: number;
  tol: number;
  stop: 'strict' | 'tol' | 'max_iter';
  labels: number[];
  centers: number[];
  inertia: number;
  nIter: number;
}

const ref = readReference<{ cases: LloydCase[] }>('kmeans-lloyd.json');
const mnistU8 = mnistMatrix(0, 300);
const mnistF64: DataMatrix = { n: 300, d: 784, data: Float64Array.from(mnistU8.data, (v) => v / 255), scale: 1 };
const blobsF32 = floatBlobs().X;
const blobsF64: DataMatrix = { ...blobsF32, data: Float64Array.from(blobsF32.data) };

const paths: Record<LloydCase['dataset'], [string, DataMatrix][]> = {
  mnist: [
    ['uint8 × 1/255', mnistU8],
    ['float64', mnistF64],
  ],
  blobs: [
    ['float32', blobsF32],
    ['float64', blobsF64],
  ],
};

/** Initial centers in feature units: the given rows, then one center per `extra` value (every feature = value). */
function initCenters(X: DataMatrix, c: LloydCase): Float64Array {
  const { d } = X;
  const out = new Float64Array(c.k * d);
  c.init.rows.forEach((r, i) => {
    for (let j = 0; j < d; j++) out[i * d + j] = X.data[r * d + j] * X.scale;
  });
  (c.init.extra ?? []).forEach((v, e) => out.fill(v, (c.init.rows.length + e) * d, (c.init.rows.length + e + 1) * d));
  return out;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
    if (err > worst) worst = err;
  }
  expect(worst).toBeLessThanOrEqual(rel);
}

describe('Lloyd from given centers matches scikit-learn', () => {
  it('covers strict convergence, tol stop, max_iter and an empty cluster', () => {
    expect(new Set(ref.cases.map((c) => c.stop))).toEqual(new Set(['strict', 'tol', 'max_iter']));
    expect(ref.cases.some((c) => c.init.extra)).toBe(true);
  });

  for (const c of ref.cases) {
    for (const [pathName, X] of paths[c.dataset]) {
      it(`${c.name} (${c.stop}) on the ${pathName} path`, async () => {
        const r = await fitKMeans(X, { k: c.k, maxIter: c.maxIter, tol: c.tol }, { initCenters: initCenters(X, c) });
        expect(r.nIter).toBe(c.nIter);
        expect(Array.from(r.labels)).toEqual(c.labels);
        expectClose(r.centers, c.centers, 1e-9);
        expect(Math.abs(r.inertia - c.inertia) / c.inertia).toBeLessThanOrEqual(1e-9);
        expect(r.history).toHaveLength(c.nIter);
        expect(r.bestRun).toBe(0);
      });
    }
  }
});
