/**
 * Starts the WASM kernel threads of the process (the shared pool) without waiting for them: each thread takes 60–100 ms
 * of CPU to start and then compiles its share of the kernels, which a command that computes should have done while it
 * loads its code and its dataset rather than inside its first fit. Imports only the pool, so that the CLI entry can
 * call it before the command's own code loads. A failure is left to the fit, which starts the pool itself and says
 * why it cannot.
 */
import { sharedKernelPool } from '../engine/kernels/pool';

export function startKernelThreads(): void {
  try {
    void sharedKernelPool()
      .ready()
      .catch(() => undefined);
  } catch {
    // see above: the fit reports it
  }
}
