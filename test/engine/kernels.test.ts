/**
 * Every WASM kernel path against the pure-TS reference and scikit-learn's reference values:
 * uint8 (integer) and float32 paths, one thread and several, Hamerly's bounds on and off.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DataMatrix } from '../../src-shared/model';
import { fitKMeans } from '../../src-main/engine/kmeans';
import { tsKernel } from '../../src-main/engine/kernels/ts-kernel';
import type { LloydKernel, RowData } from '../../src-main/engine/kernels/types';
import { createWasmKernel, lastBoundKind } from '../../src-main/engine/kernels/wasm-kernel';
import { pairwiseClusterDistanceSumsWasm } from '../../src-main/engine/kernels/silhouette-kernel';
import { clusterRowOrder, featureGroupOrder } from '../../src-main/engine/kernels/silhouette-layout';
import { pairwiseClusterDistanceSumsTs, silhouetteSamples } from '../../src-main/engine/metrics/silhouette';
import type { KernelPool } from '../../src-main/engine/kernels/pool';
import { useKernelPools } from '../helpers/pools';
import { Rng } from '../../src-main/engine/rng';
import { floatBlobs, readReference } from '../helpers/metrics-data';
import { mnistMatrix } from '../helpers/mnist-rows';
import { programsOfSync } from '../helpers/programs';
import { Program } from '../../src-main/engine/kernels/programs';

const blobs = floatBlobs().X;
const mnist300 = mnistMatrix(0, 300);

const kernelPools = useKernelPools();
let pool1: KernelPool;
let pool3: KernelPool;
beforeAll(() => {
  pool1 = kernelPools.pool1();
  pool3 = kernelPools.pool3();
});

const pools = (): [string, KernelPool][] => [
  ['1 thread', pool1],
  ['3 threads', pool3],
];

interface SilCase {
  name: string;
  labels: number[];
  silhouetteSamples: number[];
}


describe('silhouette kernel', () => {
  for (const [file, X, tol] of [
    ['metrics-mnist.json', mnist300, 1e-12],
    ['metrics-float.json', blobs, 1e-6],
  ] as const) {
    const cases = readReference<{ cases: SilCase[] }>(file).cases;
    for (const [poolName, getPool, layout] of [
      ['1 thread', () => pool1, false],
      ['3 threads', () => pool3, false],
      ['1 thread, features and rows reordered', () => pool1, true],
      ['3 threads, features and rows reordered', () => pool3, true],
    ] as const) {
      if (layout && file !== 'metrics-mnist.json') continue;
      it(`${file === 'metrics-mnist.json' ? 'uint8 integer' : 'float32'} path, ${poolName}: every sample within ${tol} of scikit-learn`, async () => {
        for (const c of cases) {
          const labels = Int32Array.from(c.labels);
          const kernel = pairwiseClusterDistanceSumsWasm(getPool(), { layoutMinRows: layout ? 0 : Infinity });
          const got = await silhouetteSamples(X, labels, { kernel });
          let worst = 0;
          for (let i = 0; i < X.n; i++) worst = Math.max(worst, Math.abs(got[i] - c.silhouetteSamples[i]));
          expect(worst, `${c.name}`).toBeLessThanOrEqual(tol);
        }
      });
    }
  }

  it('matches the pure-TS sums on 1300 MNIST rows in 10 clusters (uint8 and float32, several threads)', async () => {
    const X = mnistMatrix(1000, 1300);
    const rng = new Rng(3);
    const k = 10;
    const starts = new Int32Array(k + 1);
    // uneven clusters, sizes not multiples of the tile or block sizes
    const sizes = Array.from({ length: k }, () => 1 + rng.nextInt(200));
    const total = sizes.reduce((a, b) => a + b, 0);
    let acc = 0;
    for (let c = 0; c < k; c++) {
      acc += c === k - 1 ? X.n - acc : Math.floor((sizes[c] / total) * X.n);
      starts[c + 1] = acc;
    }
    const ref = await pairwiseClusterDistanceSumsTs({ X, starts });
    for (const layoutMinRows of [Infinity, 0]) {
      const got = await pairwiseClusterDistanceSumsWasm(pool3, { layoutMinRows })({ X, starts });
      expect(maxRelDiff(got, ref), `layoutMinRows ${layoutMinRows}`).toBeLessThan(1e-12);
    }

    const Xf: DataMatrix = { n: X.n, d: X.d, data: Float32Array.from(X.data, (v) => v / 255), scale: 1 };
    const reff = await pairwiseClusterDistanceSumsTs({ X: Xf, starts });
    const gotf = await pairwiseClusterDistanceSumsWasm(pool1)({ X: Xf, starts });
    let worstf = 0;
    for (let t = 0; t < reff.length; t++) worstf = Math.max(worstf, Math.abs(gotf[t] - reff[t]) / Math.max(1, Math.abs(reff[t])));
    expect(worstf).toBeLessThan(1e-5);
  });

  it('integer path on odd shapes: d not a multiple of 8, d < 8, d > 1024, tiny and single-member clusters', async () => {
    const rng = new Rng(11);
    for (const [d, sizes] of [
      [1, [1, 2, 300]],
      [5, [3, 1, 130, 7]],
      [8, [129, 1, 1, 2]],
      [13, [2, 257, 1]],
      [37, [1, 5, 6, 140, 3, 131]],
      [100, [260, 1]],
      [1100, [40, 1, 3, 9]],
    ] as const) {
      const n = sizes.reduce((a, b) => a + b, 0);
      // sparse uint8 rows: zero runs so that the chunk masks skip work; a few all-zero rows
      const data = new Uint8Array(n * d);
      for (let i = 0; i < n; i++) {
        if (rng.nextInt(10) === 0) continue;
        const lo = rng.nextInt(d);
        const hi = Math.min(d, lo + 1 + rng.nextInt(Math.max(1, d >> 1)));
        for (let j = lo; j < hi; j++) data[i * d + j] = rng.nextInt(3) === 0 ? 0 : rng.nextInt(256);
        if (rng.nextInt(4) === 0) data[i * d + rng.nextInt(d)] = 255;
      }
      const X: DataMatrix = { n, d, data, scale: 1 / 255 };
      const starts = new Int32Array(sizes.length + 1);
      sizes.forEach((s, c) => (starts[c + 1] = starts[c] + s));
      const ref = await pairwiseClusterDistanceSumsTs({ X, starts });
      for (const [pool, layoutMinRows] of [[pool1, Infinity], [pool1, 0], [pool3, 0]] as const) {
        const got = await pairwiseClusterDistanceSumsWasm(pool, { layoutMinRows })({ X, starts });
        expect(maxRelDiff(got, ref), `d ${d}, sizes ${sizes.join(' ')}, layoutMinRows ${layoutMinRows}`).toBeLessThan(1e-12);
      }
    }
  });

  it('layout: the feature order is a permutation; the row order keeps every row in its cluster', () => {
    const X = mnistMatrix(0, 1000);
    const perm = featureGroupOrder(X.data as Uint8Array, X.n, X.d, 300);
    expect(Array.from(perm).sort((a, b) => a - b)).toEqual(Array.from({ length: X.d }, (_, i) => i));
    // MNIST's border pixels are zero everywhere: they come last, in their order
    expect(perm[X.d - 1]).toBe(783);
    const masks = new Uint32Array(X.n * 4);
    for (let i = 0; i < X.n; i++) {
      for (let p = 0; p < X.d; p++) if (X.data[i * X.d + perm[p]] !== 0) masks[4 * i + (p >>> 8)] |= 1 << ((p >>> 3) & 31);
    }
    const starts = Int32Array.of(0, 1, 2, 7, 400, 1000);
    const order = clusterRowOrder(masks, 4, X.n, starts);
    expect(Array.from(order).sort((a, b) => a - b)).toEqual(Array.from({ length: X.n }, (_, i) => i));
    for (let c = 0; c + 1 < starts.length; c++) {
      for (let r = starts[c]; r < starts[c + 1]; r++) {
        expect(order[r]).toBeGreaterThanOrEqual(starts[c]);
        expect(order[r]).toBeLessThan(starts[c + 1]);
      }
    }
  });

  it('reports progress up to 1 and stops on abort', async () => {
    const X = mnistMatrix(0, 3000);
    const starts = Int32Array.of(0, 1000, 3000);
    const seen: number[] = [];
    await pairwiseClusterDistanceSumsWasm(pool3)({ X, starts }, { onProgress: (f) => seen.push(f) });
    expect(seen.at(-1)).toBe(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]);

    const ac = new AbortController();
    const p = pairwiseClusterDistanceSumsWasm(pool3)({ X: mnistMatrix(0, 20000), starts: Int32Array.of(0, 20000) }, {
      signal: ac.signal,
      onProgress: () => ac.abort(),
    });
    setTimeout(() => ac.abort(), 20);
    await expect(p).rejects.toThrow();
    // the pool is usable again afterwards
    const again = await pairwiseClusterDistanceSumsWasm(pool3)({ X, starts });
    expect(again.length).toBe(X.n * 2);
  });

  it('silhouetteSamples uses the kernel passed in', async () => {
    const wasm = pairwiseClusterDistanceSumsWasm(pool1);
    let calls = 0;
    const counting: typeof wasm = (rows, opts) => {
      calls++;
      return wasm(rows, opts);
    };
    const labels = Int32Array.from({ length: mnist300.n }, (_, i) => i % 3);
    const got = await silhouetteSamples(mnist300, labels, { kernel: counting });
    expect(calls).toBe(1);
    expect(maxRelDiff(got, await silhouetteSamples(mnist300, labels, { kernel: pairwiseClusterDistanceSumsTs }))).toBeLessThan(1e-12);
  });
});

function maxRelDiff(got: Float64Array, ref: Float64Array): number {
  expect(got.length).toBe(ref.length);
  let worst = 0;
  for (let t = 0; t < ref.length; t++) worst = Math.max(worst, Math.abs(got[t] - ref[t]) / Math.max(1, Math.abs(ref[t])));
  return worst;
}

interface LloydCase {
  name: string;
  dataset: 'mnist' | 'blobs';
  k: number;
  init: { rows: number[]; extra?: number[] };
  maxIter: number;
  tol: number;
  labels: number[];
  inertia: number;
  nIter: number;
}

function initCenters(X: DataMatrix, c: LloydCase): Float64Array {
  const { d, data, scale } = X;
  const out = new Float64Array(c.k * d);
  c.init.rows.forEach((r, i) => {
    for (let j = 0; j < d; j++) out[i * d + j] = data[r * d + j] * scale;
  });
  (c.init.extra ?? []).forEach((v, e) => out.fill(v, (c.init.rows.length + e) * d, (c.init.rows.length + e + 1) * d));
  return out;
}

describe('Lloyd kernel', () => {
  const cases = readReference<{ cases: LloydCase[] }>('kmeans-lloyd.json').cases;
  const variants: [string, () => LloydKernel][] = [
    ['1 thread', () => createWasmKernel(pool1, { bounds: false })],
    ['3 threads', () => createWasmKernel(pool3, { bounds: false })],
    ['3 threads, dense forms (no chunk masks)', () => createWasmKernel(pool3, { bounds: false, sparse: false })],
    ['1 thread, Elkan bounds, dense forms', () => createWasmKernel(pool1, { cacheBytes: 0, sparse: false, yinyangMinK: Infinity })],
    ['3 threads, Hamerly bounds', () => createWasmKernel(pool3, { cacheBytes: 0, elkanMaxK: 0, yinyang: false })],
    ['1 thread, Hamerly bounds', () => createWasmKernel(pool1, { cacheBytes: 0, elkanMaxK: 0, yinyang: false })],
    ['3 threads, Yinyang bounds at every k', () => createWasmKernel(pool3, { cacheBytes: 0, yinyangMinK: 1 })],
    ['1 thread, Yinyang bounds at every k, dense forms', () => createWasmKernel(pool1, { cacheBytes: 0, sparse: false, yinyangMinK: 1 })],
  ];
  for (const [name, make] of variants) {
    it(`${name}: scikit-learn's labels, inertia and iterations on every reference case`, async () => {
      const kernel = make();
      for (const c of cases) {
        const X = c.dataset === 'mnist' ? mnist300 : blobs;
        const r = await fitKMeans(X, { k: c.k, maxIter: c.maxIter, tol: c.tol }, { initCenters: initCenters(X, c), kernel });
        expect(Array.from(r.labels), c.name).toEqual(c.labels);
        expect(Math.abs(r.inertia - c.inertia) / c.inertia, c.name).toBeLessThan(1e-9);
        expect(r.nIter, c.name).toBe(c.nIter);
      }
    });
  }

  it('k-means++ fits on 3000 MNIST rows: the same run as the pure-TS kernel (labels, inertia, history)', async () => {
    const X = mnistMatrix(2000, 3000);
    for (const [name, kernel] of [
      ['bounds', createWasmKernel(pool3, { cacheBytes: 0 })],
      ['no bounds', createWasmKernel(pool1, { bounds: false })],
    ] as const) {
      for (const seed of [0, 7]) {
        const ref = await fitKMeans(X, { k: 10, seed, nInit: 1 }, { kernel: tsKernel });
        const got = await fitKMeans(X, { k: 10, seed, nInit: 1 }, { kernel });
        expect(got.labels, `${name} seed ${seed}`).toEqual(ref.labels);
        expect(got.nIter).toBe(ref.nIter);
        expect(Math.abs(got.inertia - ref.inertia) / ref.inertia).toBeLessThan(1e-12);
        for (let i = 0; i < ref.history.length; i++) {
          expect(Math.abs(got.history[i].inertia - ref.history[i].inertia) / ref.history[i].inertia).toBeLessThan(1e-12);
        }
      }
    }
  });

  it.each([
    ["Elkan's", { yinyangMinK: Infinity }, 'elkan'],
    ["Hamerly's (elkanMaxK 0)", { elkanMaxK: 0, yinyang: false }, 'hamerly'],
    ["Yinyang's (elkanMaxK 0)", { elkanMaxK: 0 }, 'yinyang'],
    ["Yinyang's, dense forms", { sparse: false, yinyangMinK: 1 }, 'yinyang'],
  ] as const)("k = 70 with %s bounds: the same run as the pure-TS kernel", async (_name, opts, kind) => {
    const X = mnistMatrix(5000, 1000);
    const ref = await fitKMeans(X, { k: 70, seed: 3, nInit: 1 }, { kernel: tsKernel });
    const got = await fitKMeans(X, { k: 70, seed: 3, nInit: 1 }, { kernel: createWasmKernel(pool3, { cacheBytes: 0, ...opts }) });
    expect(lastBoundKind()).toBe(kind);
    expect(got.labels).toEqual(ref.labels);
    expect(got.nIter).toBe(ref.nIter);
    expect(Math.abs(got.inertia - ref.inertia) / ref.inertia).toBeLessThan(1e-12);
  });

  it('rowNorms of uint8 rows staged with their chunk masks: the norms from the masks\' pass equal the reference, then from their own pass', () => {
    const X = mnistMatrix(0, 8000);
    const inverted = (X.data as Uint8Array).map((v) => 255 - v);
    for (const data of [X.data as Uint8Array, inverted]) {
      const ref = new Float64Array(X.n);
      tsKernel.rowNorms(data, X.d, 0, X.n, ref);
      for (const [name, pool] of pools()) {
        // cacheBytes 0: the matrix is kept with its masks, so the first call stages it (norms in that pass)
        const kernel = createWasmKernel(pool, { cacheBytes: 0 });
        const first = new Float64Array(X.n);
        const ranFirst = programsOfSync(pool, () => kernel.rowNorms(data, X.d, 0, X.n, first));
        expect(first, name).toEqual(ref);
        // on threads, one pass: the masks' (on one thread the masks are computed inline and the norms have their pass)
        if (pool.threads > 1) expect([...ranFirst], name).toEqual([Program.RowMasks]);
        // staged already: the norms' own pass, on a sub-range too
        const again = new Float64Array(X.n);
        const ranAgain = programsOfSync(pool, () => kernel.rowNorms(data, X.d, 0, X.n, again));
        expect(again, name).toEqual(ref);
        if (pool.threads > 1) expect([...ranAgain], name).toEqual([Program.RowNorms]);
        const part = new Float64Array(X.n);
        kernel.rowNorms(data, X.d, 1000, 5000, part);
        expect(part.subarray(1000, 5000), name).toEqual(ref.subarray(1000, 5000));
        expect(part[999], name).toBe(0);
      }
    }
  });

  it('mini-batch: the same run as the pure-TS kernel', async () => {
    const X = mnistMatrix(0, 4000);
    const ref = await fitKMeans(X, { k: 10, seed: 1, algorithm: 'minibatch', nInit: 1 }, { kernel: tsKernel });
    const got = await fitKMeans(X, { k: 10, seed: 1, algorithm: 'minibatch', nInit: 1 }, { kernel: createWasmKernel(pool3) });
    expect(got.labels).toEqual(ref.labels);
    expect(got.nIter).toBe(ref.nIter);
    expect(Math.abs(got.inertia - ref.inertia) / ref.inertia).toBeLessThan(1e-12);
  });

  it('labelledInertia: the same total, bit for bit, on every call and on one and three threads (task order)', () => {
    // 45,000 rows: above MIN_THREADED_WORK, so the threads share the tasks (differently from run to run)
    const X = mnistMatrix(0, 45_000);
    const { data, n, d } = X;
    const k = 10;
    const centers = rowsAsCentersOf(data, d, k);
    const labels = Int32Array.from({ length: n }, (_, i) => (i * 7) % k);
    const totals = new Set<number>();
    for (const [, pool] of pools()) {
      const kernel = createWasmKernel(pool);
      for (let r = 0; r < 6; r++) totals.add(kernel.labelledInertia(data, d, centers, labels, 0, n));
    }
    expect(totals.size).toBe(1);
    const [total] = [...totals];
    expect(Math.abs(total - tsKernel.labelledInertia(data, d, centers, labels, 0, n)) / total).toBeLessThan(1e-12);
  });

  describe('contract against the pure-TS kernel on sub-ranges', () => {
    const rng = new Rng(11);
    const n = 777;
    const d = 37;
    const k = 7;
    const u8 = new Uint8Array(n * d).map(() => (rng.nextFloat() < 0.4 ? rng.nextInt(256) : 0));
    const f32 = Float32Array.from({ length: n * d }, () => (rng.nextFloat() - 0.5) * 10);
    for (const [dtype, data] of [['uint8', u8], ['float32', f32]] as [string, RowData][]) {
      it(`${dtype}: rowNorms, assign (+ sums, counts, dist), distances, labelledInertia`, () => {
        for (const [, pool] of pools()) {
          const kernel = createWasmKernel(pool, { bounds: false });
          const normsRef = new Float64Array(n);
          const norms = new Float64Array(n);
          tsKernel.rowNorms(data, d, 0, n, normsRef);
          kernel.rowNorms(data, d, 0, n, norms);
          expect(norms).toEqual(normsRef);

          const centers = new Float64Array(k * d).map(() => rng.nextFloat() * 120);
          // a duplicate center: ties go to the lower index
          centers.copyWithin(5 * d, 2 * d, 3 * d);
          const cn = new Float64Array(k);
          for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) cn[c] += centers[c * d + j] ** 2;
          const start = 13;
          const end = 700;
          const mk = () => ({
            labels: new Int32Array(n).fill(-1),
            dist: new Float64Array(n),
            sums: new Float64Array(k * d),
            counts: new Float64Array(k),
          });
          const a = mk();
          const b = mk();
          const args = { data, d, rowNorms: norms, centers, centerNorms: cn, k, start, end };
          const ta = tsKernel.assign({ ...args, ...a });
          const tb = kernel.assign({ ...args, ...b });
          expect(b.labels).toEqual(a.labels);
          expect(b.counts).toEqual(a.counts);
          expect(Math.abs(tb - ta) / ta).toBeLessThan(1e-12);
          for (let i = 0; i < n; i++) expect(Math.abs(b.dist[i] - a.dist[i])).toBeLessThanOrEqual(1e-9 * Math.max(1, a.dist[i]));
          for (let t = 0; t < k * d; t++) expect(Math.abs(b.sums[t] - a.sums[t])).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(a.sums[t])));
          expect(Array.from(b.labels).includes(5)).toBe(false);

          // integer centers (data rows) on uint8 take the exact int32 path
          const rowsC = new Float64Array(3 * d);
          for (let r = 0; r < 3; r++) for (let j = 0; j < d; j++) rowsC[r * d + j] = data[(r * 50) * d + j];
          const rcn = Float64Array.from([0, 1, 2], (r) => normsRef[r * 50]);
          const outRef = new Float64Array((end - start) * 3);
          const out = new Float64Array((end - start) * 3);
          tsKernel.distances({ data, d, rowNorms: norms, centers: rowsC, centerNorms: rcn, k: 3, start, end, out: outRef });
          kernel.distances({ data, d, rowNorms: norms, centers: rowsC, centerNorms: rcn, k: 3, start, end, out });
          for (let t = 0; t < out.length; t++) expect(Math.abs(out[t] - outRef[t])).toBeLessThanOrEqual(1e-9 * Math.max(1, outRef[t]));

          const li = kernel.labelledInertia(data, d, centers, a.labels, start, end);
          const liRef = tsKernel.labelledInertia(data, d, centers, a.labels, start, end);
          expect(Math.abs(li - liRef) / liRef).toBeLessThan(1e-12);
        }
      });
    }
  });
});

/** k centers: rows 0, 100, 200, … of data as float64, moved off the integers (as a fit's means are). */
function rowsAsCentersOf(data: RowData, d: number, k: number): Float64Array {
  const c = new Float64Array(k * d);
  for (let r = 0; r < k; r++) for (let j = 0; j < d; j++) c[r * d + j] = data[r * 100 * d + j] + 0.37 * ((r + j) % 3);
  return c;
}
