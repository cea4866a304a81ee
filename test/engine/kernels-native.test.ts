/**
 * The native kernels (native/kernels.c through native.ts): where they run, what they refuse, and that a whole fit
 * on them gives the WASM kernels' answer bit for bit (labels, centers, inertia, history) on data unlike MNIST.
 * The kernel-level differential cases are in kernels-assign-q.test.ts, which runs every case on both.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { fitKMeans } from '../../src-main/engine/kmeans';
import { isNative, nativeExportsFor, nativeKernelStatus, nativePath } from '../../src-main/engine/kernels/native';
import { Program } from '../../src-main/engine/kernels/programs';
import { pairwiseClusterDistanceSumsWasm } from '../../src-main/engine/kernels/silhouette-kernel';
import { subsetDistanceSumsWasm } from '../../src-main/engine/kernels/silhouette-subset-kernel';
import type { KernelPool } from '../../src-main/engine/kernels/pool';
import { createWasmKernel } from '../../src-main/engine/kernels/wasm-kernel';
import { Rng } from '../../src-main/engine/rng';
import type { DataMatrix } from '../../src-shared/model';
import { mnistMatrix } from '../helpers/mnist-rows';
import { programsOf, programsOfAsync } from '../helpers/programs';
import { useKernelPools } from '../helpers/pools';

const nativePools = useKernelPools();
const wasmPools = useKernelPools({ native: false });

/**
 * What /proc/cpuinfo says the native kernels can use: "avx512vnni" (AVX-512 F, BW, VL and VNNI), "avx2", or "" (null
 * where there is no such file).
 */
function cpuLevel(): string | null {
  let text: string;
  try {
    text = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return null;
  }
  const flags = new Set((/^flags\s*:(.*)$/m.exec(text)?.[1] ?? '').trim().split(/\s+/));
  if (['avx512f', 'avx512bw', 'avx512vl', 'avx512_vnni'].every((f) => flags.has(f))) return 'avx512vnni';
  return flags.has('avx2') ? 'avx2' : '';
}

/** Whether the exact silhouette's kernel runs natively here (AVX-512 VNNI only; with AVX2 it stays WASM). */
const silNative = nativeKernelStatus().active && nativeExportsFor(nativeKernelStatus().features).includes('silI16');

describe('where the native kernels run', () => {
  it('they run on a CPU with AVX-512 VNNI or AVX2 (a build that failed here is a failure), and say why not elsewhere', () => {
    const status = nativeKernelStatus();
    const cpu = cpuLevel();
    if (process.env.KMEANS_EXPLORER_NATIVE === '0') {
      expect(status).toMatchObject({ active: false, reason: 'KMEANS_EXPLORER_NATIVE=0' });
    } else if (cpu && process.platform === 'linux' && process.arch === 'x64') {
      expect(status, `native kernels at ${nativePath()}`).toEqual({ active: true, features: cpu, reason: null });
    } else {
      expect(status.active).toBe(false);
      expect(status.reason).toMatch(/AVX-512|AVX2|not built|did not load/);
    }
  });

  it('put the exports of their CPU level in the place of the WASM ones, and only those', () => {
    expect(nativeExportsFor('avx512vnni')).toEqual(['assignSparseQ', 'silI16', 'quantizeCenters', 'rowStageU8', 'kppTrialsU8']);
    expect(nativeExportsFor('avx2')).toEqual(['assignSparseQ', 'quantizeCenters', 'rowStageU8', 'kppTrialsU8']);
    expect(nativeExportsFor('')).toEqual([]);
    const ex = nativePools.pool1().kernels;
    const expected = nativeKernelStatus().active ? nativeExportsFor(nativeKernelStatus().features) : [];
    for (const name of ['assignSparseQ', 'silI16', 'quantizeCenters', 'rowStageU8', 'kppTrialsU8'] as const) expect(isNative(ex[name]), name).toBe(expected.includes(name));
  });

  it.runIf(nativeKernelStatus().active)('refuses offsets outside the bound memory with a RangeError (the process goes on)', () => {
    const mod = createRequire(nativePath())(nativePath()) as {
      bind(view: Uint8Array): void;
      assignSparseQ(...args: number[]): number;
      quantizeCenters(...args: number[]): number;
      rowStageU8(...args: number[]): void;
      kppTrialsU8(...args: number[]): void;
    };
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 4, shared: true });
    mod.bind(new Uint8Array(memory.buffer));
    const d = 16;
    // x, d, i0, i1, qc, dp16, qe, l1, c64, cn64, k, xn, labels, dist, sums, counts, scratch, rows, masks, noTotal
    // …, noTotal, qi (the centers as the native quantizeCenters lays them out)
    const good = [0, d, 0, 4, 4096, 16, 8192, 9216, 10240, 12288, 2, 13312, 14336, 0, 0, 0, 16384, 0, 20480, 1, 28672];
    expect(() => mod.assignSparseQ(...good)).not.toThrow();
    const noLayout = [...good];
    noLayout[20] = 0;
    expect(() => mod.assignSparseQ(...noLayout)).toThrow(RangeError);
    const layoutOutside = [...good];
    layoutOutside[20] = 2 * 65536 - 100;
    expect(() => mod.assignSparseQ(...layoutOutside)).toThrow(RangeError);
    const tooFar = [...good];
    tooFar[3] = 100_000; // rows past the memory's end
    expect(() => mod.assignSparseQ(...tooFar)).toThrow(RangeError);
    const badRows = [...good];
    badRows[17] = 1 << 30; // a row list outside the memory
    expect(() => mod.assignSparseQ(...badRows)).toThrow(RangeError);
    const rowList = [...good];
    rowList[17] = 24576;
    new Int32Array(memory.buffer, 24576, 4).set([0, 1, 2, 1 << 28]); // a listed row outside the memory
    expect(() => mod.assignSparseQ(...rowList)).toThrow(RangeError);
    expect(() => mod.assignSparseQ(1, 2)).toThrow(TypeError);
    // c64, k, d, dp16, qc, qe, qi: the layout's region checked too
    expect(mod.quantizeCenters(4096, 2, d, 16, 8192, 9216, 28672)).toBe(1);
    expect(() => mod.quantizeCenters(4096, 2, d, 16, 8192, 9216, 2 * 65536 - 100)).toThrow(RangeError);
    expect(() => mod.quantizeCenters(4096, 2, d, 16, 2 * 65536 - 8, 9216)).toThrow(RangeError);
    // x, d, i0, i1, masks, l1, out: rows, masks and outputs inside the memory, d a multiple of 4 up to 1024
    expect(() => mod.rowStageU8(0, d, 0, 4, 8192, 9216, 10240)).not.toThrow();
    expect(() => mod.rowStageU8(0, d, 0, 4, 8192, 0, 0)).not.toThrow();
    expect(() => mod.rowStageU8(0, d, 0, 100_000, 8192, 0, 0)).toThrow(RangeError);
    expect(() => mod.rowStageU8(0, d, 0, 4, 2 * 65536 - 64, 0, 0)).toThrow(RangeError);
    expect(() => mod.rowStageU8(0, d, 0, 4, 8192, 2 * 65536 - 8, 0)).toThrow(RangeError);
    expect(() => mod.rowStageU8(0, 18, 0, 4, 8192, 0, 0)).toThrow(RangeError);
    expect(() => mod.rowStageU8(0, 1028, 0, 4, 8192, 0, 0)).toThrow(RangeError);
    // x, d, i0, i1, cn64, T, xn, out, ci16, dp16, masks, closest, cand, pots, scratch (candidates 0 and 1)
    const trials = [0, d, 0, 4, 4096, 2, 4608, 5120, 6144, 16, 8192, 9216, 10240, 10752, 0];
    expect(() => mod.kppTrialsU8(...trials)).not.toThrow();
    const withT = (i: number, v: number) => trials.map((t, j) => (j === i ? v : t));
    expect(() => mod.kppTrialsU8(...withT(5, 9))).toThrow(RangeError); // more than 8 candidates
    expect(() => mod.kppTrialsU8(...withT(3, 100_000))).toThrow(RangeError); // rows past the memory's end
    expect(() => mod.kppTrialsU8(...withT(7, 2 * 65536 - 8))).toThrow(RangeError); // outputs outside
    expect(() => mod.kppTrialsU8(...withT(8, 2 * 65536 - 16))).toThrow(RangeError); // candidates' int16 rows outside
    new Int32Array(memory.buffer, 10240, 2).set([0, 1 << 26]); // a candidate row outside the memory
    expect(() => mod.kppTrialsU8(...trials)).toThrow(RangeError);
  });

  it.runIf(nativeKernelStatus().active)('stage rows as the WASM kernel does: the same chunk masks, ‖x‖₁ and ‖x‖², any d and density', () => {
    const rng = new Rng(11);
    const native = nativePools.pool1();
    const wasm = wasmPools.pool1();
    expect(isNative(native.kernels.rowStageU8)).toBe(true);
    expect(isNative(wasm.kernels.rowStageU8)).toBe(false);
    // d = 4 … 1024 (tails of 4-pixel chunks after the 32-pixel steps), sparse to full rows, all 255, zero rows
    for (const d of [4, 12, 28, 32, 36, 60, 100, 784, 1000, 1024]) {
      for (const p of [0, 0.05, 0.3, 1]) {
        const n = 37;
        const data = Uint8Array.from({ length: n * d }, (_, t) =>
          Math.floor(t / d) === 5 ? 255 : rng.nextFloat() < p ? 1 + rng.nextInt(255) : 0);
        const expected = { masks: new Uint8Array(n * 32), l1: new Float64Array(n), norms: new Float64Array(n) };
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < d; j++) {
            const v = data[i * d + j];
            expected.l1[i] += v;
            expected.norms[i] += v * v;
            if (v !== 0) expected.masks[i * 32 + (j >> 5)] |= 1 << ((j >> 2) & 7);
          }
        }
        for (const pool of [native, wasm]) {
          const x = pool.alloc('test:stage-x', n * d + 64);
          const masks = pool.alloc('test:stage-masks', n * 32 + 64);
          const l1 = pool.alloc('test:stage-l1', n * 8 + 64);
          const out = pool.alloc('test:stage-out', n * 8 + 64);
          pool.bytes().set(data, x);
          pool.bytes().fill(0xee, masks, masks + n * 32);
          // rows 3 … n − 1: rows outside the range stay as they were
          pool.kernels.rowStageU8(x, d, 3, n, masks, l1, out);
          const what = `d = ${d}, density ${p}, ${isNative(pool.kernels.rowStageU8) ? 'native' : 'WASM'}`;
          expect(pool.bytes().slice(masks + 3 * 32, masks + n * 32), what).toEqual(expected.masks.slice(3 * 32));
          expect(pool.bytes()[masks + 2 * 32 + 31], what).toBe(0xee);
          expect(pool.f64(l1 + 3 * 8, n - 3), what).toEqual(expected.l1.slice(3));
          expect(pool.f64(out + 3 * 8, n - 3), what).toEqual(expected.norms.slice(3));
        }
      }
    }
  });
});

/** uint8 matrices unlike MNIST (and MNIST), large enough for the WASM kernel's staging (cacheBytes 0 keeps the masks). */
function datasets(): [string, DataMatrix][] {
  const rng = new Rng(5);
  const mnist = mnistMatrix(0, 6000);
  const inverted: DataMatrix = { ...mnist, data: (mnist.data as Uint8Array).map((v) => 255 - v) };
  // dense bright blobs around 8 prototypes at d = 1000 (an 8-pixel chunk past the row), duplicates included
  const n = 3000;
  const d = 1000;
  const protos = Array.from({ length: 8 }, () => Uint8Array.from({ length: d }, () => 128 + rng.nextInt(128)));
  const blobs = new Uint8Array(n * d);
  for (let i = 0; i < n; i++) {
    const p = protos[i % 8];
    for (let j = 0; j < d; j++) blobs[i * d + j] = i % 50 === 0 ? p[j] : Math.max(0, Math.min(255, p[j] + rng.nextInt(61) - 30));
  }
  // sparse binary rows, d = 44 (chunk masks need a multiple of 4; the last 8-pixel chunk reaches past the row)
  const sparse = Uint8Array.from({ length: 4000 * 44 }, () => (rng.nextFloat() < 0.15 ? 1 : 0));
  return [
    ['MNIST 6,000', mnist],
    ['inverted MNIST (dense, bright)', inverted],
    ['dense blobs, d = 1000', { n, d, data: blobs, scale: 1 / 255 }],
    ['sparse binary, d = 44', { n: 4000, d: 44, data: sparse, scale: 1 }],
  ];
}

function fitWith(pool: KernelPool, X: DataMatrix, params: Parameters<typeof fitKMeans>[1]) {
  return fitKMeans(X, params, { kernel: createWasmKernel(pool, { cacheBytes: 0 }) });
}


describe.runIf(nativeKernelStatus().active).each(datasets())('%s: a whole fit, native against WASM', (_name, X) => {
  it.each([
    ['mini-batch', 7, { algorithm: 'minibatch', batchSize: 512, nInit: 2 }],
    ['mini-batch', 60, { algorithm: 'minibatch', batchSize: 1024 }],
    ['K-means', 12, { algorithm: 'kmeans' }],
  ] as const)('%s, k = %i: the same labels, centers, inertia and history, bit for bit', async (_alg, k, extra) => {
    const params = { k, seed: 3, ...extra };
    for (const [nativePool, wasmPool] of [[nativePools.pool1(), wasmPools.pool1()], [nativePools.pool3(), wasmPools.pool3()]]) {
      const [a, ran] = await programsOf(nativePool, () => fitWith(nativePool, X, params));
      const b = await fitWith(wasmPool, X, params);
      // (K-means assigns with bounds: the int16 screening runs there only where a pass has none, if at all)
      if (extra.algorithm === 'minibatch') expect(ran.has(Program.AssignQ), 'the int16 screening (natively) ran').toBe(true);
      expect(a.labels).toEqual(b.labels);
      expect(a.centers).toEqual(b.centers);
      expect(a.inertia).toBe(b.inertia);
      expect(a.nIter).toBe(b.nIter);
      expect(a.history).toEqual(b.history);
    }
  }, 120_000);
});

/** Rows grouped by cluster (sizes), from X's first rows. */
function grouped(X: DataMatrix, sizes: number[]): { X: DataMatrix; starts: Int32Array } {
  const n = sizes.reduce((a, b) => a + b, 0);
  const starts = new Int32Array(sizes.length + 1);
  for (let c = 0; c < sizes.length; c++) starts[c + 1] = starts[c] + sizes[c];
  return { X: { ...X, n, data: X.data.subarray(0, n * X.d) }, starts };
}

describe.runIf(silNative)('the exact silhouette (silI16), native against WASM', () => {
  const rng = new Rng(8);
  const mnist = mnistMatrix(0, 2600);
  const inverted: DataMatrix = { ...mnist, data: (mnist.data as Uint8Array).map((v) => 255 - v) };
  const wide = (d: number, n: number, p: number): DataMatrix => ({
    n, d, scale: 1, data: Uint8Array.from({ length: n * d }, () => (rng.nextFloat() < p ? rng.nextInt(256) : 0)),
  });
  const cases: [string, DataMatrix, number[]][] = [
    ['MNIST, 10 clusters of odd sizes', mnist, [301, 257, 1, 2, 3, 130, 129, 640, 511, 626]],
    ['inverted MNIST (dense, bright)', inverted, [700, 900, 1000]],
    ['one cluster', mnist, [1999]],
    ['d = 1000, dense (the last 32-value chunk ends past the row)', wide(1000, 700, 0.9), [250, 450]],
    ['d = 1500 (no chunk masks)', wide(1500, 500, 0.3), [123, 377]],
    ['d = 12, mostly zeros', wide(12, 2100, 0.2), [1000, 3, 1097]],
  ];
  it.each(cases)('%s: the same n × k sums (bit for bit on one thread), with and without the layout', async (_name, X, sizes) => {
    const rows = grouped(X, sizes);
    for (const layoutMinRows of [0, Infinity]) {
      for (const [nativePool, wasmPool] of [[nativePools.pool1(), wasmPools.pool1()], [nativePools.pool3(), wasmPools.pool3()]]) {
        const [a, ran] = await programsOfAsync(nativePool, () => pairwiseClusterDistanceSumsWasm(nativePool, { layoutMinRows })(rows));
        const b = await pairwiseClusterDistanceSumsWasm(wasmPool, { layoutMinRows })(rows);
        expect(ran.has(Program.SilI16), 'the integer path ran').toBe(true);
        const what = `${nativePool.threads} threads, layout from ${layoutMinRows} rows`;
        if (nativePool.threads === 1) expect(a, what).toEqual(b);
        else {
          // several threads add their own sums, whichever tasks they took, so the last bits vary from run to run
          let worst = 0;
          for (let q = 0; q < a.length; q++) worst = Math.max(worst, Math.abs(a[q] - b[q]) / Math.max(1, Math.abs(b[q])));
          expect(worst, what).toBeLessThanOrEqual(1e-12);
        }
      }
    }
  }, 120_000);
});

describe.runIf(silNative)('the silhouette estimate (chosen rows against all rows, silI16 without cluster), native against WASM', () => {
  it.each([
    ['MNIST, 10 clusters', mnistMatrix(0, 2600), [301, 257, 1, 2, 3, 130, 129, 640, 511, 626]],
    ['d = 16, 8,200 rows (the layout step)', { n: 8200, d: 16, scale: 1, data: Uint8Array.from({ length: 8200 * 16 }, (_, t) => ((t * 7919) % 13 < 4 ? 0 : (t * 31) % 256)) }, [2000, 3000, 3200]],
  ] as [string, DataMatrix, number[]][])('%s: the same sums for chosen rows, bit for bit on one thread', async (_name, X, sizes) => {
    const rows = grouped(X, sizes);
    const n = rows.X.n;
    const chosen = Int32Array.from({ length: 300 }, (_, i) => (i * 7907) % n);
    const [a, ran] = await programsOfAsync(nativePools.pool1(), () => subsetDistanceSumsWasm(nativePools.pool1())(rows).sums(chosen));
    const b = await subsetDistanceSumsWasm(wasmPools.pool1())(rows).sums(chosen);
    expect(ran.has(Program.SilSubI16), 'the integer subset path ran').toBe(true);
    expect(a).toEqual(b);
  }, 120_000);
});
