/**
 * The pool's synchronous jobs: the caller takes tasks beside the threads it invites, and once every task is taken it
 * lets go of the threads that have not started (they take no part: no task, no partial, not counted as finished)
 * instead of waiting for them to be scheduled. Many quick jobs in a row, on more threads than cores, must each give
 * the reference's values, and every invited thread is either waited for or let go, never both.
 */
import { expect, it } from 'vitest';
import { L, Program } from '../../src-main/engine/kernels/programs';
import { tsKernel } from '../../src-main/engine/kernels/ts-kernel';
import { Rng } from '../../src-main/engine/rng';
import { useKernelPools } from '../helpers/pools';
import type { KernelPool } from '../../src-main/engine/kernels/pool';

const pools = useKernelPools();

/** The parameters of a RowNorms job over the n uint8 rows of d at x, in tasks of `chunk` rows, into out. */
function setRowNormsJob(pool: KernelPool, x: number, n: number, d: number, chunk: number, out: number): void {
  const p = pool.params;
  p.fill(0);
  p[L.X] = x;
  p[L.KIND] = 0;
  p[L.D] = d;
  p[L.START] = 0;
  p[L.END] = n;
  p[L.CHUNK] = chunk;
  p[L.OUT] = out;
}

it('hundreds of quick jobs: every output is the reference, every invited thread joined or was let go', () => {
  const pool = pools.pool3();
  const r = new Rng(3);
  const n = 96;
  const d = 20;
  const x = pool.alloc('test:x', n * d + 64);
  const out = pool.alloc('test:out', n * 8 + 64);
  const before = pool.syncHelperStats;
  for (let job = 0; job < 400; job++) {
    const data = Uint8Array.from({ length: n * d }, () => r.nextInt(256));
    pool.bytes().set(data, x);
    pool.bytes().fill(0xee, out, out + n * 8);
    const want = new Float64Array(n);
    tsKernel.rowNorms(data, d, 0, n, want);
    // tasks of 1 to 8 rows: from 12 tasks to 96, over the caller and up to three threads
    const chunk = 1 + (job % 8);
    setRowNormsJob(pool, x, n, d, chunk, out);
    pool.runSync(Program.RowNorms, Math.ceil(n / chunk), 4);
    expect(Array.from(pool.f64(out, n)), `job ${job}`).toEqual(Array.from(want));
  }
  const after = pool.syncHelperStats;
  const invited = after.invited - before.invited;
  expect(invited).toBe(400 * 3);
  expect(after.joined - before.joined + after.revoked - before.revoked).toBe(invited);
});

it('a job wakes the threads it invites, asleep or still polling: every output the reference, every invited thread joined or let go', async () => {
  const pool = pools.pool3();
  const r = new Rng(4);
  const n = 96;
  const d = 20;
  const x = pool.alloc('test:x', n * d + 64);
  const out = pool.alloc('test:out', n * 8 + 64);
  const data = Uint8Array.from({ length: n * d }, () => r.nextInt(256));
  pool.bytes().set(data, x);
  const want = new Float64Array(n);
  tsKernel.rowNorms(data, d, 0, n, want);
  const before = pool.syncHelperStats;
  let invited = 0;
  for (let job = 0; job < 120; job++) {
    // every few jobs a pause longer than the threads poll (SPIN_MS), so that they are asleep when the job comes
    if (job % 6 === 0) await new Promise((res) => setTimeout(res, 3));
    pool.bytes().fill(0xee, out, out + n * 8);
    setRowNormsJob(pool, x, n, d, 1, out);
    const maxThreads = 1 + (job % 4);
    pool.runSync(Program.RowNorms, n, maxThreads);
    invited += maxThreads - 1;
    expect(Array.from(pool.f64(out, n)), `job ${job}`).toEqual(Array.from(want));
  }
  const after = pool.syncHelperStats;
  expect(after.invited - before.invited).toBe(invited);
  expect(after.joined - before.joined + after.revoked - before.revoked).toBe(invited);
  // an asynchronous job (only pool threads compute) after the threads have gone to sleep
  await new Promise((res) => setTimeout(res, 20));
  pool.bytes().fill(0xee, out, out + n * 8);
  setRowNormsJob(pool, x, n, d, 1, out);
  await pool.runAsync(Program.RowNorms, n);
  expect(Array.from(pool.f64(out, n))).toEqual(Array.from(want));
});
