/**
 * The int16 screening of assignments (assembly assignSparseQ, Program.AssignQ): uint8 rows with chunk masks and
 * ‖x‖₁, centers quantized to steps of 1/128 with a proven error bound, the float64 formula deciding whatever the
 * bound leaves open. Against the pure-TS reference kernel on data unlike MNIST, where the bound and the int32
 * lanes are stressed: inverted digits (dense, bright), rows and centers of 255 at d = 1024 (the lanes' largest
 * sums), d = 4 / 12 / 20 (an 8-pixel chunk reaching past the row), binary rows with duplicates and centers on the
 * rows (exact ties, to the lowest index), centers a hair apart. Full ranges and row lists (mini-batch steps), one
 * thread and three. Every case checks that the int16 path ran, and that centers outside [0, 255] fall back.
 * Both implementations of the kernel: WASM, and native (native/kernels.c) where this machine runs it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Program } from '../../src-main/engine/kernels/programs';
import type { KernelPool } from '../../src-main/engine/kernels/pool';
import { tsKernel } from '../../src-main/engine/kernels/ts-kernel';
import type { LloydKernel } from '../../src-main/engine/kernels/types';
import { createWasmKernel } from '../../src-main/engine/kernels/wasm-kernel';
import { Rng } from '../../src-main/engine/rng';
import { nativeKernelStatus } from '../../src-main/engine/kernels/native';
import { mnistMatrix } from '../helpers/mnist-rows';
import { programsOfSync } from '../helpers/programs';
import { useKernelPools } from '../helpers/pools';

const pools = useKernelPools();
const wasmPools = useKernelPools({ native: false });
const native = nativeKernelStatus().active;
let pool1: KernelPool;
let pool3: KernelPool;
/** Each pool the cases run on, by name: WASM, and native where it runs here. */
let every: [string, KernelPool][];
beforeAll(() => {
  pool1 = pools.pool1();
  pool3 = pools.pool3();
  every = [['WASM, 1 thread', wasmPools.pool1()], ['WASM, 3 threads', wasmPools.pool3()]];
  if (native) every.push(['native, 1 thread', pool1], ['native, 3 threads', pool3]);
});

interface Case {
  name: string;
  data: Uint8Array;
  d: number;
  ks: number[];
}

function cases(): Case[] {
  const rng = new Rng(21);
  const mnist = mnistMatrix(0, 3000).data as Uint8Array;
  const inverted = mnist.map((v) => 255 - v);
  // d = 1024: bright rows (all 255, or 255 with a few holes) against bright centers, the int32 lanes' worst case
  const bright = new Uint8Array(600 * 1024).map(() => (rng.nextFloat() < 0.97 ? 255 : rng.nextInt(256)));
  bright.fill(255, 0, 5 * 1024);
  const small = (d: number, n: number, p: number) => new Uint8Array(n * d).map(() => (rng.nextFloat() < p ? 1 + rng.nextInt(255) : 0));
  // binary rows, many duplicates: exact ties between centers on duplicate rows
  const binary = new Uint8Array(800 * 64);
  for (let i = 0; i < 800; i++) {
    const proto = i % 7;
    for (let j = 0; j < 64; j++) binary[i * 64 + j] = ((j * 7 + proto * 13) % 11) < 4 ? 1 : 0;
  }
  return [
    { name: 'MNIST rows', data: mnist, d: 784, ks: [1, 3, 9, 17, 100] },
    { name: 'inverted MNIST (dense, bright)', data: inverted, d: 784, ks: [2, 8, 13, 64] },
    { name: 'd = 1024, rows and centers near 255', data: bright, d: 1024, ks: [1, 5, 12] },
    { name: 'd = 4', data: small(4, 900, 0.6), d: 4, ks: [1, 3, 7] },
    { name: 'd = 12 (an 8-pixel chunk past the row)', data: small(12, 900, 0.4), d: 12, ks: [2, 9] },
    { name: 'd = 20', data: small(20, 900, 0.2), d: 20, ks: [4, 21] },
    { name: 'binary rows with duplicates', data: binary, d: 64, ks: [3, 7, 10] },
  ];
}

/** k centers: rows of the data (exact ties on duplicates), the same rows nudged by a hair, and running means. */
function centersOf(data: Uint8Array, d: number, k: number, rng: Rng, kind: 'rows' | 'hair' | 'means'): Float64Array {
  const n = data.length / d;
  const c = new Float64Array(k * d);
  for (let e = 0; e < k; e++) {
    const r = rng.nextInt(n);
    for (let j = 0; j < d; j++) c[e * d + j] = data[r * d + j];
    if (kind === 'hair') for (let j = 0; j < d; j++) c[e * d + j] = Math.min(255, c[e * d + j] + (rng.nextFloat() < 0.5 ? 1e-9 : 0));
    if (kind === 'means') {
      const r2 = rng.nextInt(n);
      const w = rng.nextFloat();
      for (let j = 0; j < d; j++) c[e * d + j] = (1 - w) * c[e * d + j] + w * data[r2 * d + j];
    }
  }
  // a duplicate center where there is room: ties go to the lower index
  if (k >= 3) c.copyWithin(2 * d, 0, d);
  return c;
}

function norms(c: Float64Array, k: number, d: number): Float64Array {
  const out = new Float64Array(k);
  for (let e = 0; e < k; e++) for (let j = 0; j < d; j++) out[e] += c[e * d + j] * c[e * d + j];
  return out;
}

function run(kernel: LloydKernel, data: Uint8Array, d: number, rowNorms: Float64Array, centers: Float64Array, k: number, rows?: Int32Array) {
  const m = rows?.length ?? data.length / d;
  const out = { labels: new Int32Array(m), dist: new Float64Array(m), sums: new Float64Array(k * d), counts: new Float64Array(k) };
  const total = kernel.assign({ data, d, rowNorms, centers, centerNorms: norms(centers, k, d), k, start: 0, end: m, rows, ...out });
  return { ...out, total };
}


describe.each(cases().map((c) => [c.name, c] as const))('%s', (_name, c) => {
  it.each(c.ks)('k = %i: the reference labels, counts, sums and distances, full range and row lists', (k) => {
    const { data, d } = c;
    const n = data.length / d;
    const rng = new Rng(100 + k);
    const rowNorms = new Float64Array(n);
    tsKernel.rowNorms(data, d, 0, n, rowNorms);
    const rows = Int32Array.from({ length: 1024 }, () => rng.nextInt(n));
    for (const kind of ['rows', 'hair', 'means'] as const) {
      const centers = centersOf(data, d, k, rng, kind);
      for (const rowList of [undefined, rows]) {
        const ref = run(tsKernel, data, d, rowNorms, centers, k, rowList);
        for (const [pname, pool] of every) {
          const what = `${kind} centers, ${rowList ? 'row list' : 'full range'}, ${pname}`;
          let got: ReturnType<typeof run> | null = null;
          // cacheBytes 0: every matrix is kept in the kernels' memory with its masks and ‖x‖₁
          const ran = programsOfSync(pool, () => (got = run(createWasmKernel(pool, { cacheBytes: 0 }), data, d, rowNorms, centers, k, rowList)));
          expect(ran.has(Program.AssignQ), `${what}: the int16 screening ran`).toBe(true);
          const g = got as unknown as ReturnType<typeof run>;
          expect(g.labels, what).toEqual(ref.labels);
          expect(g.counts, what).toEqual(ref.counts);
          expect(g.sums, what).toEqual(ref.sums);
          expect(g.dist, what).toEqual(ref.dist);
          expect(Math.abs(g.total - ref.total), what).toBeLessThanOrEqual(1e-12 * Math.max(1, ref.total));
        }
      }
    }
  }, 60_000);
});

describe('where the int16 screening does not apply', () => {
  it('centers outside [0, 255] (given centers): the float32 screening, the same answers as the reference', () => {
    const data = mnistMatrix(0, 2000).data as Uint8Array;
    const d = 784;
    const n = 2000;
    const k = 6;
    const rowNorms = new Float64Array(n);
    tsKernel.rowNorms(data, d, 0, n, rowNorms);
    const centers = centersOf(data, d, k, new Rng(3), 'means');
    centers[5] = -0.5;
    centers[d + 7] = 255.5;
    const ref = run(tsKernel, data, d, rowNorms, centers, k);
    let got: ReturnType<typeof run> | null = null;
    const ran = programsOfSync(pool3, () => (got = run(createWasmKernel(pool3, { cacheBytes: 0 }), data, d, rowNorms, centers, k)));
    expect(ran.has(Program.AssignQ)).toBe(false);
    expect(ran.has(Program.Assign)).toBe(true);
    const g = got as unknown as ReturnType<typeof run>;
    expect(g.labels).toEqual(ref.labels);
    expect(g.sums).toEqual(ref.sums);
  });

  it('quantized: false keeps the float32 screening, with the same answers', () => {
    const data = mnistMatrix(0, 2000).data as Uint8Array;
    const d = 784;
    const rowNorms = new Float64Array(2000);
    tsKernel.rowNorms(data, d, 0, 2000, rowNorms);
    const centers = centersOf(data, d, 10, new Rng(4), 'means');
    let q: ReturnType<typeof run> | null = null;
    let f: ReturnType<typeof run> | null = null;
    const ranQ = programsOfSync(pool3, () => (q = run(createWasmKernel(pool3, { cacheBytes: 0 }), data, d, rowNorms, centers, 10)));
    const ranF = programsOfSync(pool3, () => (f = run(createWasmKernel(pool3, { cacheBytes: 0, quantized: false }), data, d, rowNorms, centers, 10)));
    expect(ranQ.has(Program.AssignQ)).toBe(true);
    expect(ranF.has(Program.AssignQ)).toBe(false);
    expect((q as unknown as ReturnType<typeof run>).labels).toEqual((f as unknown as ReturnType<typeof run>).labels);
    expect((q as unknown as ReturnType<typeof run>).sums).toEqual((f as unknown as ReturnType<typeof run>).sums);
  });
});
