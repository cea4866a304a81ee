/**
 * The WASM kernel's one-pass k-means++ trials (kmeansPlusPlusTrials, assembly kppTrialsU8): on uint8 rows its
 * min(distance, closest) values and potentials equal the reference kernel's distances followed by row-order sums,
 * bit for bit, for one to eight candidates (groups of four and a partial group), sparse rows, zero rows, duplicate
 * rows and candidates that share no non-zero pixel with most rows; where its preconditions fail it answers null.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { KernelPool } from '../../src-main/engine/kernels/pool';
import { tsKernel } from '../../src-main/engine/kernels/ts-kernel';
import type { LloydKernel, RowData } from '../../src-main/engine/kernels/types';
import { createWasmKernel } from '../../src-main/engine/kernels/wasm-kernel';
import { rowsAsCenters } from '../../src-main/engine/kmeans/common';
import { Rng } from '../../src-main/engine/rng';
import { useKernelPools } from '../helpers/pools';

const pools = useKernelPools();
let pool1: KernelPool;
let pool3: KernelPool;
beforeAll(() => {
  pool1 = pools.pool1();
  pool3 = pools.pool3();
});

/** n × d uint8 rows: ~20 % non-zero pixels in blobs, every 7th row all zeros, every 11th a copy of row 1. */
function sparseRows(n: number, d: number, seed: number): Uint8Array {
  const r = new Rng(seed);
  const x = new Uint8Array(n * d);
  for (let i = 0; i < n; i++) {
    if (i % 7 === 3) continue;
    if (i % 11 === 5) {
      x.copyWithin(i * d, d, 2 * d);
      continue;
    }
    const at = r.nextInt(Math.max(1, d - 40));
    for (let j = 0; j < d; j++) if ((j >= at && j < at + 40 && r.nextFloat() < 0.7) || r.nextFloat() < 0.03) x[i * d + j] = 1 + r.nextInt(255);
  }
  return x;
}

function norms(data: RowData, n: number, d: number): Float64Array {
  const out = new Float64Array(n);
  tsKernel.rowNorms(data, d, 0, n, out);
  return out;
}

/** The reference: distances, then min with closest and row-order sums (as kmeansPlusPlus without the fast path). */
function reference(data: RowData, n: number, d: number, rn: Float64Array, cand: Int32Array, closest: Float64Array) {
  const T = cand.length;
  const dist = new Float64Array(n * T);
  tsKernel.distances({ data, d, rowNorms: rn, start: 0, end: n, centers: rowsAsCenters(data, d, Array.from(cand)), centerNorms: Float64Array.from(cand, (c) => rn[c]), k: T, out: dist });
  const pots = new Float64Array(T);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < T; t++) {
      const v = Math.min(dist[i * T + t], closest[i]);
      dist[i * T + t] = v;
      pots[t] += v;
    }
  }
  return { out: dist, pots };
}

function trials(kernel: LloydKernel, data: RowData, n: number, d: number, rn: Float64Array, cand: Int32Array, closest: Float64Array) {
  const out = new Float64Array(n * cand.length).fill(-1);
  const pots = kernel.kmeansPlusPlusTrials!({
    data, d, rowNorms: rn, centers: rowsAsCenters(data, d, Array.from(cand)), centerNorms: Float64Array.from(cand, (c) => rn[c]),
    k: cand.length, candidateRows: cand, closest, out,
  });
  return { out, pots };
}

describe.each([
  [784, 1000],
  [64, 700],
  [1024, 300],
])('d = %i, n = %i', (d, n) => {
  it.each([1, 3, 4, 6, 8])('%i candidates: the reference values and potentials on one and on three threads', (T) => {
    const data = sparseRows(n, d, d + T);
    const rn = norms(data, n, d);
    const r = new Rng(T);
    // closest: the distance to one row (as after the first k-means++ step), lowered to 0 on some rows
    const first = r.nextInt(n);
    const closest = new Float64Array(n);
    tsKernel.distances({ data, d, rowNorms: rn, start: 0, end: n, centers: rowsAsCenters(data, d, [first]), centerNorms: Float64Array.of(rn[first]), k: 1, out: closest });
    for (let i = 0; i < n; i += 13) closest[i] = 0;
    // candidates: a zero row, a duplicated row and random rows
    const cand = Int32Array.from({ length: T }, (_, t) => (t === 0 ? 3 : t === 1 ? 5 : r.nextInt(n)));
    const want = reference(data, n, d, rn, cand, closest);
    for (const pool of [pool1, pool3]) {
      const got = trials(createWasmKernel(pool, { cacheBytes: 0 }), data, n, d, rn, cand, closest);
      expect(got.pots).not.toBeNull();
      expect(Array.from(got.pots!)).toEqual(Array.from(want.pots));
      expect(got.out).toEqual(want.out);
    }
  });
});

it('answers null where its preconditions fail: float32 rows, d not a multiple of 4, more than 8 candidates, dense forms', () => {
  const n = 200;
  const cases: [string, RowData, number, number, object][] = [
    ['float32', Float32Array.from(sparseRows(n, 64, 1)), 64, 4, {}],
    ['d = 66', sparseRows(n, 66, 2), 66, 4, {}],
    ['9 candidates', sparseRows(n, 64, 3), 64, 9, {}],
    ['sparse: false', sparseRows(n, 64, 4), 64, 4, { sparse: false }],
  ];
  for (const [what, data, d, T, options] of cases) {
    const rn = norms(data, n, d);
    const cand = Int32Array.from({ length: T }, (_, t) => t * 7);
    const got = trials(createWasmKernel(pool3, options), data, n, d, rn, cand, new Float64Array(n).fill(1e9));
    expect(got.pots, what).toBeNull();
  }
  // the same uint8 rows with d = 64 do take the fast path
  const data = sparseRows(n, 64, 3);
  const rn = norms(data, n, 64);
  expect(trials(createWasmKernel(pool3), data, n, 64, rn, Int32Array.of(1, 2, 3, 4), new Float64Array(n).fill(1e9)).pots).not.toBeNull();
});
