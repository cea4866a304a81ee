/**
 * Which kernel programs a piece of code ran on a pool: its synchronous jobs (runSync) or asynchronous ones (runAsync),
 * recorded while f runs. For tests that check a fast path (a program) was taken, not only that the answer is right.
 */
import type { KernelPool } from '../../src-main/engine/kernels/pool';

/** Runs a synchronous f with the pool's synchronous jobs recorded; returns the programs that ran. */
export function programsOfSync(pool: KernelPool, f: () => void): Set<number> {
  const seen = new Set<number>();
  const orig = pool.runSync;
  pool.runSync = function (this: KernelPool, program, nTasks, maxThreads) {
    seen.add(program);
    return orig.call(this, program, nTasks, maxThreads);
  };
  try {
    f();
  } finally {
    pool.runSync = orig;
  }
  return seen;
}

/** Runs f (it may be async) with the pool's synchronous jobs recorded; returns f's result and the programs that ran. */
export async function programsOf<T>(pool: KernelPool, f: () => T | Promise<T>): Promise<[T, Set<number>]> {
  const seen = new Set<number>();
  const orig = pool.runSync;
  pool.runSync = function (this: KernelPool, program, nTasks, maxThreads) {
    seen.add(program);
    return orig.call(this, program, nTasks, maxThreads);
  };
  try {
    return [await f(), seen];
  } finally {
    pool.runSync = orig;
  }
}

/** The same for the pool's asynchronous jobs. */
export async function programsOfAsync<T>(pool: KernelPool, f: () => Promise<T>): Promise<[T, Set<number>]> {
  const seen = new Set<number>();
  const orig = pool.runAsync;
  pool.runAsync = function (this: KernelPool, program, ...rest) {
    seen.add(program);
    return orig.call(this, program, ...rest);
  };
  try {
    return [await f(), seen];
  } finally {
    pool.runAsync = orig;
  }
}
