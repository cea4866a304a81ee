/**
 * The WASM kernel's one-pass k-means++ trials (kmeansPlusPlusTrials, assembly kppTrialsU8): on uint8 rows its
 * min(distance, closest) values and potentials equal the reference kernel's distances followed by row-order sums,
 * bit for bit, for one to eight candidates (groups of four and a partial group), sparse rows, zero rows, duplicate
 * rows and candidates that share no non-zero pixel with most rows; where its preconditions fail it answers null.
 * The bounded session (kmeansPlusPlusSession): the same potentials and closest at every step, whatever the basis;
 * where it declines, the plain session (kppTrials' steps with their state on the kernel): the same again.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { KernelPool } from '../../src-main/engine/kernels/pool';
import { tsKernel } from '../../src-main/engine/kernels/ts-kernel';
import type { LloydKernel, RowData } from '../../src-main/engine/kernels/types';
import { isNative } from '../../src-main/engine/kernels/native';
import { createWasmKernel, lastKppBoundedRun } from '../../src-main/engine/kernels/wasm-kernel';
import { gershgorinTs, kernelBasis, KPP_BOUND_DIMS, quantizeBasis } from '../../src-main/engine/kernels/wasm-kpp';
import { WasmStaging } from '../../src-main/engine/kernels/wasm-staging';
import { kmeansPlusPlus } from '../../src-main/engine/kmeans/init';
import { rowsAsCenters } from '../../src-main/engine/kmeans/common';
import { Rng } from '../../src-main/engine/rng';
import { useKernelPools } from '../helpers/pools';
import { roughAxes } from '../helpers/rough-axes';

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

describe('kmeansPlusPlusSession (projection bounds, kppBoundedTrialsU8)', () => {
  /** The reference run: the generic steps (distances, min with closest, row-order sums) on the TS kernel. */
  function referenceRun(data: RowData, n: number, d: number, rn: Float64Array, steps: Int32Array[], pickOf: (pots: Float64Array) => number) {
    const closest = new Float64Array(n);
    tsKernel.distances({ data, d, rowNorms: rn, start: 0, end: n, centers: rowsAsCenters(data, d, [0]), centerNorms: Float64Array.of(rn[0]), k: 1, out: closest });
    const first = closest.slice();
    const pots: Float64Array[] = [];
    const closests: Float64Array[] = [];
    for (const cand of steps) {
      const r = reference(data, n, d, rn, cand, closest);
      pots.push(r.pots);
      const best = pickOf(r.pots);
      for (let i = 0; i < n; i++) closest[i] = r.out[i * cand.length + best];
      closests.push(closest.slice());
    }
    return { first, pots, closests };
  }

  const axes = (d: number, seed: number) => (p: number): Float64Array => {
    // any basis keeps the values: a random one (a poor bound) and the first rows (a better one) are both tried
    const r = new Rng(seed);
    return Float64Array.from({ length: p * d }, () => r.nextFloat() - 0.5);
  };

  it.each([
    [784, 1200, 8],
    [784, 600, 3],
    [64, 700, 6],
    [1024, 300, 5],
    [4, 500, 4],
    [36, 400, 1],
    [8, 30, 7],
  ])('d = %i, n = %i, %i candidates a step: the reference potentials and closest at every step, on one and three threads', (d, n, T) => {
    const data = sparseRows(n, d, d * 3 + T);
    const rn = norms(data, n, d);
    const r = new Rng(d + n);
    // candidates: random rows, a zero row, a duplicated row, the first center itself, and repeats
    const steps = Array.from({ length: 12 }, (_, s) => Int32Array.from({ length: T }, (_, t) => (s === 1 && t === 0 ? 3 : s === 2 && t === 0 ? 5 : s === 3 ? 0 : r.nextInt(n))));
    const pickOf = (pots: Float64Array): number => pots.indexOf(Math.min(...pots));
    const want = referenceRun(data, n, d, rn, steps, pickOf);
    const rowsBasis = (p: number): Float64Array => Float64Array.from(data.subarray(0, Math.min(p, n) * d));
    // random directions, the first rows, and the kernel's own (rough principal axes, no basis given)
    // and the plain session (bounds off, or fewer steps than they need), on one and three threads
    for (const [pool, basis, options] of [
      [pool1, axes(d, 1), { kppBoundsMinSteps: 1 }], [pool3, rowsBasis, { kppBoundsMinSteps: 1 }], [pool3, undefined, { kppBoundsMinSteps: 1 }],
      [pool1, undefined, { kppBounds: false }], [pool3, undefined, { kppBoundsMinSteps: steps.length + 1 }],
    ] as const) {
      const kernel = createWasmKernel(pool, options);
      const before = lastKppBoundedRun();
      const s = kernel.kmeansPlusPlusSession!({ data, d, rowNorms: rn, closest: want.first, trials: T, steps: steps.length, basis });
      expect(s).not.toBeNull();
      const bounded = !('kppBounds' in options) && options.kppBoundsMinSteps === 1;
      expect(s!.kind).toBe(bounded ? 'bounded' : 'plain');
      expect(Array.from(s!.closest())).toEqual(Array.from(want.first));
      steps.forEach((cand, i) => {
        const pots = s!.trials(cand, Float64Array.from(cand, (c) => rn[c]));
        expect(Array.from(pots), `step ${i}`).toEqual(Array.from(want.pots[i]));
        s!.commit(pickOf(pots));
        expect(Array.from(s!.closest()), `step ${i}`).toEqual(Array.from(want.closests[i]));
        // the running sums the next draw searches: numpy's cumsum of closest, in row order, bit for bit
        let acc = 0;
        const cum = Float64Array.from(want.closests[i], (v) => (acc += v));
        expect(Array.from(s!.cumulative!()), `step ${i}`).toEqual(Array.from(cum));
      });
      if (bounded) {
        const run = lastKppBoundedRun()!;
        expect(run.steps).toBe(steps.length);
        expect(run.pairs).toBe(steps.length * n * T);
      } else {
        expect(lastKppBoundedRun()).toEqual(before);
      }
    }
  });

  it.each([
    [784, 2000, 64],
    [784, 300, 64],
    [13, 600, 64],
    [3, 700, 64],
    [1024, 90, 64],
    [1024, 90, 96],
    [40, 20, 64],
  ])("the kernel's own basis (d = %i, n = %i, P = %i): orthonormal, roughAxes' directions over the same evenly spaced rows", (d, n, P) => {
    // rows in general position (no zero or repeated rows among the first m), so the directions are well defined
    const r = new Rng(d + n);
    const data = Uint8Array.from({ length: n * d }, () => (r.nextFloat() < 0.3 ? 1 + r.nextInt(255) : 0));
    const st = new WasmStaging(pool3, {});
    const s = st.stage(data, d);
    const q = kernelBasis(st, s.x, n, d, P);
    const count = Math.min(n, 512);
    const m = Math.min(P, count, d) & ~1;
    expect(q.length).toBe(m * d);
    const sub = new Uint8Array(count * d);
    for (let r = 0; r < count; r++) sub.set(data.subarray(Math.floor((r * n) / count) * d, Math.floor((r * n) / count) * d + d), r * d);
    const want = roughAxes({ n: count, d, data: sub, scale: 1 }, m, 2);
    let worst = 0;
    for (let a = 0; a < m; a++) {
      for (let b = 0; b < m; b++) {
        let g = 0;
        for (let j = 0; j < d; j++) g += q[a * d + j] * q[b * d + j];
        // a row of the block may be zero where the sample spans fewer than m directions
        const norm = (() => { let t = 0; for (let j = 0; j < d; j++) t += q[a * d + j] ** 2; return t; })();
        if (a === b) expect(norm === 0 || Math.abs(g - 1) < 1e-9).toBe(true);
        else expect(Math.abs(g)).toBeLessThan(1e-9);
      }
      for (let j = 0; j < d; j++) worst = Math.max(worst, Math.abs(q[a * d + j] - want[a * d + j]));
    }
    // the same float64 steps in another order of additions: the same directions up to rounding, where they are
    // defined (the centered rows span count − 1 directions at most: beyond that a direction is rounding noise)
    if (m < count - 1) expect(worst).toBeLessThan(1e-6);
  });

  it('skips most pairs on clustered sparse rows with principal axes, and keeps the picks of the steps without bounds', () => {
    // 40 tight groups of sparse rows: after a few picks most candidates are far from most rows
    const n = 2000;
    const d = 784;
    const r = new Rng(5);
    const protos = sparseRows(40, d, 9);
    const data = new Uint8Array(n * d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = Math.max(0, Math.min(255, protos[(i % 40) * d + j] + (protos[(i % 40) * d + j] > 0 ? r.nextInt(21) - 10 : 0)));
    const rn = norms(data, n, d);
    const k = 60;
    const without = kmeansPlusPlus(data, n, d, rn, k, new Rng(2), createWasmKernel(pool3, { kppBounds: false }));
    const withBounds = kmeansPlusPlus(data, n, d, rn, k, new Rng(2), createWasmKernel(pool3, { kppBoundsMinSteps: 1 }));
    expect(Array.from(withBounds)).toEqual(Array.from(without));
    expect(Array.from(withBounds)).toEqual(Array.from(kmeansPlusPlus(data, n, d, rn, k, new Rng(2), tsKernel)));
    const run = lastKppBoundedRun()!;
    expect(run.steps).toBe(k - 1);
    expect(run.computed / run.pairs).toBeLessThan(0.5);
  });

  it('declines the bounds where their preconditions fail (the plain session then), and answers null where those of the trials fail', () => {
    const n = 200;
    const d = 64;
    const data = sparseRows(n, d, 4);
    const rn = norms(data, n, d);
    const closest = new Float64Array(n);
    tsKernel.distances({ data, d, rowNorms: rn, start: 0, end: n, centers: rowsAsCenters(data, d, [0]), centerNorms: Float64Array.of(rn[0]), k: 1, out: closest });
    const basis = (p: number): Float64Array => Float64Array.from(data.subarray(0, p * d));
    const args = { data: data as RowData, d, rowNorms: rn, closest, trials: 4, steps: 50, basis };
    const cases: [string, object, object, 'plain' | null][] = [
      ['float32 rows', {}, { data: Float32Array.from(data) }, null],
      ['d = 66', {}, { data: sparseRows(n, 66, 2), d: 66, rowNorms: norms(sparseRows(n, 66, 2), n, 66) }, null],
      ['9 candidates', {}, { trials: 9 }, null],
      ['sparse: false', { sparse: false }, {}, null],
      ['a potential that is not an integer', {}, { closest: closest.map((v, i) => (i === 7 ? v + 0.5 : v)) }, null],
      ['kppBounds: false', { kppBounds: false }, {}, 'plain'],
      ['fewer steps than kppBoundsMinSteps', { kppBoundsMinSteps: 51 }, {}, 'plain'],
      ['a zero basis', {}, { basis: (p: number) => new Float64Array(p * d) }, 'plain'],
      ['a basis with NaN', {}, { basis: (p: number) => new Float64Array(p * d).fill(NaN) }, 'plain'],
      ['an empty basis', {}, { basis: () => new Float64Array(0) }, 'plain'],
    ];
    for (const [what, options, change, kind] of cases) {
      const s = createWasmKernel(pool3, options).kmeansPlusPlusSession!({ ...args, ...change });
      expect(s === null ? null : s.kind, what).toBe(kind);
    }
    // by default: the bounds from 40 steps over WASM trials; over native ones from 200 steps and 10,000 rows
    const nativeTrials = isNative(pool3.kernels.kppTrialsU8);
    expect(createWasmKernel(pool3).kmeansPlusPlusSession!(args)?.kind).toBe(nativeTrials ? 'plain' : 'bounded');
    expect(createWasmKernel(pool3).kmeansPlusPlusSession!({ ...args, steps: 300 })?.kind).toBe(nativeTrials ? 'plain' : 'bounded');
    expect(createWasmKernel(pool3, { kppBoundsMinSteps: 50 }).kmeansPlusPlusSession!(args)?.kind).toBe('bounded');
    // k-means++ on float32 rows with the bounds allowed: the session declines, the picks are the reference's
    const f = Float32Array.from(data);
    expect(Array.from(kmeansPlusPlus(f, n, d, rn, 30, new Rng(1), createWasmKernel(pool3, { kppBoundsMinSteps: 1 }))))
      .toEqual(Array.from(kmeansPlusPlus(f, n, d, rn, 30, new Rng(1), tsKernel)));
  });

  it('quantizeBasis bounds B Bᵀ from above and keeps every ‖q_i − q_c‖² within int32 by its shift', () => {
    for (const [d, seed] of [[784, 1], [4, 2], [1024, 3]]) {
      const r = new Rng(seed);
      const basis = Float64Array.from({ length: KPP_BOUND_DIMS * d }, () => r.nextFloat() - 0.5);
      const q = quantizeBasis(basis, KPP_BOUND_DIMS, d)!;
      const dp16 = Math.ceil(d / 8) * 8;
      // ‖B v‖² ≤ λ ‖v‖² for random v (λ a bound on the largest eigenvalue of B Bᵀ)
      for (let trial = 0; trial < 20; trial++) {
        const v = Float64Array.from({ length: d }, () => r.nextFloat() * 510 - 255);
        let bv = 0;
        for (let a = 0; a < KPP_BOUND_DIMS; a++) {
          let s = 0;
          for (let j = 0; j < d; j++) s += q.b16[a * dp16 + j] * v[j];
          bv += s * s;
        }
        expect(bv).toBeLessThanOrEqual(q.lambda * v.reduce((t, x) => t + x * x, 0));
      }
      expect((Math.sqrt(q.lambda) * 255 * Math.sqrt(d) / 2 ** q.shift + Math.sqrt(KPP_BOUND_DIMS)) ** 2).toBeLessThanOrEqual(2 ** 29);
      expect(Math.max(...Array.from(q.b16, Math.abs))).toBe(4096);
      // the kernel's basisGershgorin (what the session uses) gives the same integer λ
      const off = pool3.alloc('test:b16', KPP_BOUND_DIMS * dp16 * 2 + 64);
      new Int16Array(pool3.memory.buffer, off, KPP_BOUND_DIMS * dp16).set(q.b16);
      expect(pool3.kernels.basisGershgorin(off, KPP_BOUND_DIMS, dp16)).toBe(gershgorinTs(q.b16, KPP_BOUND_DIMS, dp16));
      expect(gershgorinTs(q.b16, KPP_BOUND_DIMS, dp16)).toBe(q.lambda);
    }
    // negative entries, the largest magnitudes: |G_ab| summed, exact beyond int32
    const dp16 = 1024;
    const b16 = Int16Array.from({ length: KPP_BOUND_DIMS * dp16 }, (_, i) => (i % 3 === 0 ? -4096 : 4096));
    const off = pool3.alloc('test:b16', b16.length * 2 + 64);
    new Int16Array(pool3.memory.buffer, off, b16.length).set(b16);
    const lambda = gershgorinTs(b16, KPP_BOUND_DIMS, dp16);
    expect(lambda).toBeGreaterThan(2 ** 31);
    expect(pool3.kernels.basisGershgorin(off, KPP_BOUND_DIMS, dp16)).toBe(lambda);
  });
});
