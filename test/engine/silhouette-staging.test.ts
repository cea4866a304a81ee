/**
 * stageSilhouetteRows gathering rows straight into the shared memory (a row order and query slots, as the first
 * silhouette sample stages them) gives the same staged bytes as staging a matrix gathered beforehand in JS with the
 * slots' zero rows in front (what it staged before): rows, norms, masks, row order and scale, byte for byte, on
 * uint8 and float32 data of odd d, with and without the layout step.
 */
import { describe, expect, it } from 'vitest';
import type { DataMatrix } from '../../src-shared/model';
import type { KernelPool } from '../../src-main/engine/kernels/pool';
import { gatherRows } from '../../src-main/engine/kernels/rows';
import { stageSilhouetteRows, type StagedSilhouetteRows } from '../../src-main/engine/kernels/silhouette-kernel';
import { groupRowsByCluster } from '../../src-main/engine/metrics/silhouette';
import { encodeLabels } from '../../src-main/engine/metrics/labels';
import { Rng } from '../../src-main/engine/rng';
import { useKernelPools } from '../helpers/pools';

const pools = useKernelPools();

function randomMatrix(n: number, d: number, float: boolean, seed: number): DataMatrix {
  const rng = new Rng(seed);
  if (float) {
    const data = new Float32Array(n * d);
    for (let i = 0; i < data.length; i++) data[i] = rng.nextFloat() < 0.3 ? 0 : (rng.nextFloat() - 0.6) * 37.5;
    return { n, d, data, scale: 1 };
  }
  const data = new Uint8Array(n * d);
  // mostly zeros, as image data: the masks and the layout have something to find
  for (let i = 0; i < data.length; i++) data[i] = rng.nextFloat() < 0.7 ? 0 : Math.floor(rng.nextFloat() * 256);
  return { n, d, data, scale: 1 / 255 };
}

function stagedBytes(pool: KernelPool, st: StagedSilhouetteRows, n: number, intPath: boolean): Uint8Array[] {
  const b = pool.bytes();
  const out = [b.slice(st.xOff, st.xOff + n * st.dp * (intPath ? 2 : 4))];
  if (st.normsOff !== 0) out.push(b.slice(st.normsOff, st.normsOff + 4 * n));
  if (st.masksOff !== 0) out.push(b.slice(st.masksOff, st.masksOff + 16 * n));
  return out;
}

describe('silhouette staging: rows gathered in place equal a matrix gathered beforehand', () => {
  for (const float of [false, true]) {
    for (const d of [3, 13, 784, 1030]) {
      for (const layoutMinRows of [0, Infinity]) {
        if (float && layoutMinRows === 0) continue; // the layout is the integer path's only
        it(`${float ? 'float32' : 'uint8'}, d = ${d}, layout ${layoutMinRows === 0 ? 'on' : 'off'}`, () => {
          const pool = pools.pool3();
          const n = 300;
          const slots = 7;
          const X = randomMatrix(n, d, float, d + (float ? 1 : 0));
          const rng = new Rng(5);
          const labels = Int32Array.from({ length: n }, () => Math.floor(rng.nextFloat() * 4));
          const { codes, counts } = encodeLabels(labels);
          const { starts, order } = groupRowsByCluster(codes, counts);
          const withSlots = new Int32Array(starts.length + 1);
          for (let c = 0; c < starts.length; c++) withSlots[c + 1] = slots + starts[c];
          // before: the slots' zero rows and the grouped rows in one JS array
          const grouped = gatherRows(X.data as Uint8Array | Float32Array, d, order);
          const slotted = new (grouped.constructor as Uint8ArrayConstructor | Float32ArrayConstructor)((slots + n) * d);
          slotted.set(grouped, slots * d);
          const intPath = !float;
          const ref = stageSilhouetteRows(pool, { X: { ...X, n: slots + n, data: slotted }, order: null, slots: 0, starts: withSlots }, intPath, layoutMinRows, 'test-ref');
          const got = stageSilhouetteRows(pool, { X, order, slots, starts: withSlots }, intPath, layoutMinRows, 'test-got');
          expect(got.dp).toBe(ref.dp);
          expect(got.pow2).toBe(ref.pow2);
          expect(got.rowOrder).toEqual(ref.rowOrder);
          if (layoutMinRows === 0 && d <= 1024 && !float) expect(got.rowOrder).not.toBeNull();
          expect(got.normsOff === 0).toBe(ref.normsOff === 0);
          expect(got.masksOff === 0).toBe(ref.masksOff === 0);
          const a = stagedBytes(pool, ref, slots + n, intPath);
          const b = stagedBytes(pool, got, slots + n, intPath);
          expect(b.length).toBe(a.length);
          for (let t = 0; t < a.length; t++) expect(Buffer.compare(Buffer.from(b[t]), Buffer.from(a[t]))).toBe(0);
        });
      }
    }
  }

  it('refuses a row order that is not a permutation of the rows', () => {
    const pool = pools.pool1();
    const X = randomMatrix(10, 3, false, 1);
    const starts = Int32Array.from([0, 10]);
    const order = Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 8]);
    expect(() => stageSilhouetteRows(pool, { X, order, slots: 0, starts }, true, Infinity, 'test-bad')).toThrow(RangeError);
  });
});
