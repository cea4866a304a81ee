/**
 * prepareForKernels (a spare worker's read-ahead): a large uint8 matrix copied into the kernels' shared memory and
 * staged there; the same bytes and fields, and fits on it equal fits on the original. Other matrices come back as
 * they are.
 */
import { afterAll, expect, it } from 'vitest';
import { prepareForKernels } from '../../src-main/engine/kernels/default';
import { sharedKernelPool } from '../../src-main/engine/kernels/pool';
import { fitKMeans } from '../../src-main/engine/kmeans';
import { mnistMatrix } from '../helpers/mnist-rows';

afterAll(async () => {
  await sharedKernelPool().close();
});

it('moves a large uint8 matrix into the shared memory: the same bytes and fields, the same fits', async () => {
  await sharedKernelPool().ready();
  const X = { ...mnistMatrix(0, 3000), labels: Int32Array.from({ length: 3000 }, (_, i) => i % 10) };
  const P = prepareForKernels(X);
  expect(P === X).toBe(false);
  expect(P.data === X.data).toBe(false);
  expect(sharedKernelPool().pinnedOffset(P.data)).not.toBeNull();
  expect(sharedKernelPool().pinnedOffset(X.data)).toBeNull();
  expect(Buffer.compare(P.data as Uint8Array, X.data as Uint8Array)).toBe(0);
  expect(P.labels === X.labels).toBe(true);
  expect([P.n, P.d, P.scale]).toEqual([X.n, X.d, X.scale]);
  for (const algorithm of ['kmeans', 'minibatch'] as const) {
    const a = await fitKMeans(X, { k: 8, seed: 3, algorithm });
    const b = await fitKMeans(P, { k: 8, seed: 3, algorithm });
    expect(b.labels).toEqual(a.labels);
    expect(b.centers).toEqual(a.centers);
    expect(b.nIter).toBe(a.nIter);
    expect(b.inertia).toBe(a.inertia);
  }
});

it('leaves float32 and small matrices as they are', () => {
  const f32 = { n: 2000, d: 784, data: new Float32Array(2000 * 784).fill(0.5), scale: 1 };
  expect(prepareForKernels(f32) === f32).toBe(true);
  const small = mnistMatrix(0, 500);
  expect(prepareForKernels(small) === small).toBe(true);
});
