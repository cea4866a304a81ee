/**
 * precompileKernels (run by the first kernel thread at its start): it calls the fit's kernels on empty row
 * ranges to have them compiled, and must neither fail nor write a byte of the shared memory, whatever it holds.
 */
import { expect, it } from 'vitest';
import { instantiate, kernelModule, precompileKernels, sharedMemory } from '../../src-main/engine/kernels/wasm';

it('calls the kernels on empty ranges: no error, the shared memory unchanged', () => {
  const memory = sharedMemory(4);
  const bytes = new Uint8Array(memory.buffer);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37 + 11) & 255;
  const before = Uint8Array.from(bytes);
  const ex = instantiate(kernelModule(), memory);
  precompileKernels(ex);
  precompileKernels(ex);
  expect(Buffer.compare(new Uint8Array(memory.buffer), before)).toBe(0);
});
