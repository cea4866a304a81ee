/**
 * Kernel pools of one and of three threads for a test file: started before its tests, closed after them.
 * Call at the top level of the file; the returned getters are valid inside tests. `native: false` keeps the WASM
 * kernels where the native ones would replace them (native.ts).
 */
import { afterAll, beforeAll } from 'vitest';
import { KernelPool } from '../../src-main/engine/kernels/pool';

export function useKernelPools(options: { native?: boolean } = {}): { pool1: () => KernelPool; pool3: () => KernelPool } {
  let p1: KernelPool | null = null;
  let p3: KernelPool | null = null;
  beforeAll(async () => {
    p1 = new KernelPool(1, options);
    p3 = new KernelPool(3, options);
    await Promise.all([p1.ready(), p3.ready()]);
  });
  afterAll(async () => {
    await p1?.close();
    await p3?.close();
  });
  const get = (p: KernelPool | null): KernelPool => {
    if (p === null) throw new Error('kernel pools are only ready inside tests');
    return p;
  };
  return { pool1: () => get(p1), pool3: () => get(p3) };
}
