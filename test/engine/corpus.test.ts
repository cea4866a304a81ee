/**
 * The differential corpus (corpus/corpus.ts): on datasets unlike MNIST (dense, inverted, binary, constant
 * columns, duplicate rows, one hot pixel, d from 1 to 1,500, k from 1 to 200, n close to k, float32 at 1e-6
 * and 1e6, negative values, heavy tails), every WASM fast path gives the TypeScript reference kernel's answer:
 *
 * - Lloyd: labels and n_iter identical, inertia within 1e-12 relative, for the kernel as the app uses it, with
 *   Elkan's / Hamerly's / Yinyang's bounds on (cacheBytes 0: every matrix is kept, so the bounded path runs at any size)
 *   and with the dense forms (no chunk masks, no int16 estimates);
 * - k-means++: the same picks, also with the projection bounds at every k;
 * - mini-batch: the same steps, labels and inertia, with the int16 and the float32 screening of the steps;
 * - silhouette: per-sample values within 1e-12 (uint8) and 1e-6 (float32), with and without the layout step, in
 *   another order of blocks; the rows the exact pass reports before it ends come once each, with their final values.
 *
 * CORPUS_RANDOM=N adds N datasets of seeded random shapes (CORPUS_SEED, default 1) for longer local runs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DataMatrix } from '../../src-shared/model';
import { fitKMeans } from '../../src-main/engine/kmeans';
import { kmeansPlusPlus } from '../../src-main/engine/kmeans/init';
import { tsKernel } from '../../src-main/engine/kernels/ts-kernel';
import type { LloydKernel } from '../../src-main/engine/kernels/types';
import { createWasmKernel } from '../../src-main/engine/kernels/wasm-kernel';
import { pairwiseClusterDistanceSumsWasm } from '../../src-main/engine/kernels/silhouette-kernel';
import { float32SilhouetteScale, uint8SilhouetteFits } from '../../src-main/engine/kernels/preconditions';
import {
  pairwiseClusterDistanceSumsTs,
  silhouetteSamples,
  type PairwiseClusterDistanceSums,
} from '../../src-main/engine/metrics/silhouette';
import { Rng } from '../../src-main/engine/rng';
import type { KernelPool } from '../../src-main/engine/kernels/pool';
import { useKernelPools } from '../helpers/pools';
import { corpus, randomCorpus, type CorpusCase } from './corpus/corpus';

const pools = useKernelPools();
let pool1: KernelPool;
let pool3: KernelPool;
beforeAll(() => {
  pool1 = pools.pool1();
  pool3 = pools.pool3();
});

/** The WASM kernel variants, each made afresh for one fit (a kernel keeps the last matrix it staged). */
const variants: Record<string, () => LloydKernel> = {
  'as the app uses it': () => createWasmKernel(pool3),
  'bounded (Elkan, int16 estimates)': () => createWasmKernel(pool3, { cacheBytes: 0, yinyangMinK: Infinity }),
  "bounded, Hamerly's at every k": () => createWasmKernel(pool3, { cacheBytes: 0, elkanMaxK: 0, yinyang: false }),
  "bounded, Yinyang's at every k (int16 estimates)": () => createWasmKernel(pool3, { cacheBytes: 0, yinyangMinK: 1 }),
  "bounded, Yinyang's at every k, dense forms, one thread": () => createWasmKernel(pool1, { cacheBytes: 0, sparse: false, yinyangMinK: 1 }),
  'bounded, dense forms, one thread': () => createWasmKernel(pool1, { cacheBytes: 0, sparse: false }),
};

/** k-means++ only: the projection bounds (kmeansPlusPlusSession) at every k, on three threads and on one. */
const kppVariants: Record<string, () => LloydKernel> = {
  'k-means++ bounds at every k': () => createWasmKernel(pool3, { kppBoundsMinSteps: 1 }),
  'k-means++ bounds at every k, one thread': () => createWasmKernel(pool1, { kppBoundsMinSteps: 1 }),
};

const extra = Number(process.env.CORPUS_RANDOM ?? 0);
const cases: CorpusCase[] = [...corpus(), ...(extra > 0 ? randomCorpus(extra, Number(process.env.CORPUS_SEED ?? 1)) : [])];

function relErr(a: number, b: number): number {
  return a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

function isInteger(X: DataMatrix): boolean {
  return X.data instanceof Uint8Array;
}

function silhouetteWith(kernel: PairwiseClusterDistanceSums, X: DataMatrix, labels: Int32Array): Promise<Float64Array> {
  return silhouetteSamples(X, labels, { kernel });
}

it('has at least 20 datasets of unlike shapes', () => {
  const base = corpus();
  expect(base.length).toBeGreaterThanOrEqual(20);
  const ds = new Set(base.map((c) => c.X.d));
  for (const d of [1, 3, 5, 784, 1000, 1500]) expect(ds.has(d), `d = ${d}`).toBe(true);
  const ks = new Set(base.flatMap((c) => c.ks));
  for (const k of [1, 2, 10, 65, 100, 200, 500]) expect(ks.has(k), `k = ${k}`).toBe(true);
  // the same seed, the same bytes
  expect(Array.from(corpus()[2].X.data.subarray(0, 50))).toEqual(Array.from(base[2].X.data.subarray(0, 50)));
});

describe.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
  const { X, ks } = c;

  it.each(ks)('Lloyd k=%i: every WASM path gives the reference labels, n_iter and inertia', async (k) => {
    const params = { k, seed: 3, nInit: 1, algorithm: 'kmeans' as const };
    const ref = await fitKMeans(X, params, { kernel: tsKernel });
    for (const [what, make] of Object.entries(variants)) {
      const got = await fitKMeans(X, params, { kernel: make() });
      expect(got.nIter, what).toBe(ref.nIter);
      expect(got.labels, what).toEqual(ref.labels);
      expect(relErr(got.inertia, ref.inertia), what).toBeLessThan(1e-12);
    }
  }, 120_000);

  it.each(ks)('k-means++ k=%i: the same picks', (k) => {
    const norms = new Float64Array(X.n);
    tsKernel.rowNorms(X.data, X.d, 0, X.n, norms);
    const ref = kmeansPlusPlus(X.data, X.n, X.d, norms, k, new Rng(11), tsKernel);
    for (const [what, make] of Object.entries({ ...variants, ...kppVariants })) {
      expect(Array.from(kmeansPlusPlus(X.data, X.n, X.d, norms, k, new Rng(11), make())), what).toEqual(Array.from(ref));
    }
  });

  it.each(ks)('mini-batch k=%i: the same steps, labels and inertia', async (k) => {
    const params = { k, seed: 5, algorithm: 'minibatch' as const, batchSize: 64 };
    const ref = await fitKMeans(X, params, { kernel: tsKernel });
    // cacheBytes 0: every uint8 matrix kept with its chunk masks and ‖x‖₁, so the steps screen in int16 (assignSparseQ)
    for (const [what, opts] of [['as the app uses it', {}], ['int16 screening', { cacheBytes: 0 }], ['float32 screening', { cacheBytes: 0, quantized: false }]] as const) {
      const got = await fitKMeans(X, params, { kernel: createWasmKernel(pool3, opts) });
      expect(got.nIter, what).toBe(ref.nIter);
      expect(got.labels, what).toEqual(ref.labels);
      // every step's update (on uint8 rows the kernel's fused miniBatchStep) the same bits as the reference's
      expect(got.centers, what).toEqual(ref.centers);
      expect(got.history.map((h) => h.centerShift), what).toEqual(ref.history.map((h) => h.centerShift));
      expect(relErr(got.inertia, ref.inertia), what).toBeLessThan(1e-12);
    }
    // the kernel's fused step against its own assign and the update in TypeScript: every step the same bits
    const fused = await fitKMeans(X, params, { kernel: createWasmKernel(pool3, { cacheBytes: 0 }) });
    const unfused = await fitKMeans(X, params, { kernel: { ...createWasmKernel(pool3, { cacheBytes: 0 }), miniBatchStep: undefined } });
    expect(fused.history).toEqual(unfused.history);
    expect(fused.centers).toEqual(unfused.centers);
    expect(fused.labels).toEqual(unfused.labels);
  }, 120_000);

  it.runIf(X.data instanceof Uint8Array)('read into the kernels\' memory (allocPinned): used in place, the same mini-batch and Lloyd runs', async () => {
    const k = ks[ks.length - 1];
    const pinned = pool3.allocPinned(X.data.length);
    pinned.set(X.data);
    const Xp: DataMatrix = { ...X, data: pinned };
    for (const algorithm of ['minibatch', 'kmeans'] as const) {
      const params = { k, seed: 7, nInit: 1, algorithm, batchSize: 64 };
      const ref = await fitKMeans(X, params, { kernel: tsKernel });
      for (const options of [{}, { cacheBytes: 0 }]) {
        const kernel = createWasmKernel(pool3, options) as LloydKernel & { stageData(data: DataMatrix['data'], d: number): number };
        expect(kernel.stageData(pinned, X.d)).toBe(pool3.pinnedOffset(pinned));
        const got = await fitKMeans(Xp, params, { kernel });
        expect(got.nIter, algorithm).toBe(ref.nIter);
        expect(got.labels, algorithm).toEqual(ref.labels);
        expect(relErr(got.inertia, ref.inertia), algorithm).toBeLessThan(1e-12);
      }
    }
    expect(Buffer.compare(pinned, X.data as Uint8Array)).toBe(0);
  }, 60_000);

  it('silhouette: per-sample values as the reference, with and without the layout step', async () => {
    const k = Math.min(10, X.n - 1);
    const { labels } = await fitKMeans(X, { k, seed: 1, nInit: 1 }, { kernel: tsKernel });
    if (new Set(labels).size < 2) return expect(new Set(labels).size).toBe(1); // one distinct point: no silhouette
    const ref = await silhouetteWith(pairwiseClusterDistanceSumsTs, X, labels);
    const tol = isInteger(X) ? 1e-12 : 1e-6;
    // the WASM kernel takes these (else it hands over to the reference, which reports no rows before the end)
    const wasmPath =
      (X.data instanceof Uint8Array && uint8SilhouetteFits(X.d)) || (X.data instanceof Float32Array && float32SilhouetteScale(X.data) !== null);
    for (const [what, kernel] of [
      ['default', pairwiseClusterDistanceSumsWasm(pool3)],
      ['layout from 0 rows', pairwiseClusterDistanceSumsWasm(pool3, { layoutMinRows: 0 })],
      ['another order of blocks, one thread', pairwiseClusterDistanceSumsWasm(pool1, { blockSeed: 99 })],
    ] as const) {
      // the rows the pass reports before it ends: each once, with the value it then returns
      const early = new Float64Array(X.n).fill(NaN);
      let reports = 0;
      const got = await silhouetteSamples(X, labels, {
        kernel,
        onSamples: (rows, values) => {
          reports++;
          rows.forEach((i, t) => {
            expect(Number.isNaN(early[i]), `${what}: row ${i} reported twice`).toBe(true);
            early[i] = values[t];
          });
        },
      });
      let worst = 0;
      for (let i = 0; i < X.n; i++) worst = Math.max(worst, Math.abs(got[i] - ref[i]));
      expect(worst, what).toBeLessThan(tol);
      if (wasmPath) {
        expect(reports, what).toBeGreaterThanOrEqual(Math.ceil(X.n / 128));
        for (let i = 0; i < X.n; i++) if (!Object.is(early[i], got[i])) expect.fail(`${what}: row ${i} reported ${early[i]}, returned ${got[i]}`);
      } else expect(reports, what).toBe(0);
    }
  }, 60_000);
});

it('an empty cluster (two equal initial centers) is refilled the same way on every path', async () => {
  const c = corpus().find((x) => x.name === 'u8-duplicate-rows-64') as CorpusCase;
  const { X } = c;
  const rows = [0, 0, 1, 2, 3, 4, 5, 6, 7, 8];
  const init = Float64Array.from(rows.flatMap((i) => Array.from(X.data.subarray(i * X.d, (i + 1) * X.d), (v) => v * X.scale)));
  const ref = await fitKMeans(X, { k: 10, seed: 0 }, { kernel: tsKernel, initCenters: init });
  expect(new Set(ref.labels).size).toBe(10); // the empty cluster was refilled
  for (const [what, make] of Object.entries(variants)) {
    const got = await fitKMeans(X, { k: 10, seed: 0 }, { kernel: make(), initCenters: init });
    expect(got.nIter, what).toBe(ref.nIter);
    expect(got.labels, what).toEqual(ref.labels);
    expect(relErr(got.inertia, ref.inertia), what).toBeLessThan(1e-12);
  }
});
