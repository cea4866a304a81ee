/**
 * precompileKernels (run by the kernel threads at their start, each its share): it calls the fit's kernels on empty
 * row ranges to have them compiled, and must neither fail nor write a byte of the shared memory, whatever it holds;
 * the threads' shares together must call every kernel of the list exactly once.
 */
import { expect, it } from 'vitest';
import { instantiate, kernelModule, precompileKernels, sharedMemory, type KernelExports } from '../../src-main/engine/kernels/wasm';

function patterned(pages: number): { memory: WebAssembly.Memory; before: Uint8Array } {
  const memory = sharedMemory(pages);
  const bytes = new Uint8Array(memory.buffer);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37 + 11) & 255;
  return { memory, before: Uint8Array.from(bytes) };
}

/** The real exports (a frozen object, so copied), recording the name of every kernel called. */
function recording(ex: KernelExports, calls: string[]): KernelExports {
  const out: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(ex)) {
    out[name] = typeof f !== 'function' ? f : (...args: number[]) => {
      calls.push(name);
      return (f as (...a: number[]) => unknown)(...args);
    };
  }
  return out as unknown as KernelExports;
}

it('calls the kernels on empty ranges: no error, the shared memory unchanged', () => {
  const { memory, before } = patterned(4);
  const ex = instantiate(kernelModule(), memory);
  precompileKernels(ex);
  precompileKernels(ex);
  expect(Buffer.compare(new Uint8Array(memory.buffer), before)).toBe(0);
});

it('the shares of 1 … 5 threads together call each kernel of the whole list once, the memory unchanged', () => {
  const { memory, before } = patterned(4);
  const ex = instantiate(kernelModule(), memory);
  const all: string[] = [];
  precompileKernels(recording(ex, all));
  // the fit's kernels beyond the first list (feature sums for the tolerance, k-means++ distances, center pairs)
  for (const name of ['rowMasksU8', 'featureSumsU8', 'distancesSparse', 'kppTrialsU8', 'assignSparse', 'centerPairs', 'assignElkan', 'labelledInertia']) {
    expect(all).toContain(name);
  }
  expect(new Set(all).size).toBe(all.length);
  for (let parts = 1; parts <= 5; parts++) {
    const calls: string[] = [];
    const shares: string[][] = [];
    for (let part = 0; part < parts; part++) {
      const share: string[] = [];
      precompileKernels(recording(ex, share), part, parts);
      shares.push(share);
      calls.push(...share);
    }
    expect([...calls].sort()).toEqual([...all].sort());
    // the kernels a fit needs first are spread over the threads: each of the first `parts` goes to its own thread
    for (let part = 0; part < Math.min(parts, all.length); part++) expect(shares[part][0]).toBe(all[part]);
  }
  expect(Buffer.compare(new Uint8Array(memory.buffer), before)).toBe(0);
});

it('rejects a share outside 0 … parts − 1', () => {
  const ex = instantiate(kernelModule(), sharedMemory(1));
  expect(() => precompileKernels(ex, 2, 2)).toThrow(RangeError);
  expect(() => precompileKernels(ex, 0, 0)).toThrow(RangeError);
  expect(() => precompileKernels(ex, -1, 2)).toThrow(RangeError);
  expect(() => precompileKernels(ex, 0.5, 2)).toThrow(RangeError);
});
