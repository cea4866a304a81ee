/**
 * ClusterStatsKernel on the WASM SIMD threads (assembly/cluster-stats.ts), for uint8 and float32 rows (read as float32,
 * exact for both; float64 data stays on the TS reference). The matrix is the one the Lloyd kernel staged for the fit
 * (found by identity, not copied again); only the labels are copied. Each thread adds into its own float64 sums, which
 * are added here: uint8 sums are exact integers, float32 sums differ from a row-order sum by rounding only.
 */
import { sharedKernelPool, type KernelPool } from './pool';
import { wasmLloydAccepts } from './preconditions';
import { L, Program } from './programs';
import type { ClusterStatsKernel, LloydKernel, RowData } from './types';
import { nTasks, MIN_THREADED_WORK } from './wasm-staging';
import { createWasmKernel, wasmKernel } from './wasm-kernel';

/** Rows per task: the per-thread sums are k × d, so tasks are larger than the Lloyd kernel's. */
const CHUNK = 2048;

/** Whether the WASM pass takes this matrix (uint8 with exact int32-free float64 sums, or finite float32). */
export function clusterStatsAccepts(data: RowData, n: number, d: number): boolean {
  return d > 0 && n > 0 && wasmLloydAccepts(data, n, d);
}

/** A Lloyd kernel that can stage a matrix (the WASM kernel): its staged copy is the one these passes read. */
type StagingKernel = LloydKernel & { stageData(data: RowData, d: number): number };

/**
 * The WASM ClusterStatsKernel on `pool`, reading the matrices `lloyd` staged (a fit's matrix is then not copied
 * again). Default: the shared pool and the process-wide WASM kernel.
 */
export function createWasmClusterStats(pool: () => KernelPool = sharedKernelPool, lloyd: () => LloydKernel = wasmKernel): ClusterStatsKernel {
  function staged(data: RowData, d: number, labels: Int32Array, n: number) {
    const x = (lloyd() as StagingKernel).stageData(data, d);
    const p = pool();
    const lab = p.alloc('stats:labels', n * 4 + 64);
    p.i32(lab, n).set(labels.subarray(0, n));
    const dp = Math.ceil(d / 4) * 4;
    const actors = p.threads + 1;
    const scrStride = Math.ceil((dp * 4 + 64) / 64) * 64;
    const scr = p.alloc('stats:scratch', scrStride * actors);
    const params = p.params;
    params.fill(0);
    params[L.X] = x;
    params[L.KIND] = data instanceof Uint8Array ? 0 : 1;
    params[L.D] = d;
    params[L.DP] = dp;
    params[L.START] = 0;
    params[L.END] = n;
    params[L.CHUNK] = CHUNK;
    params[L.LABELS] = lab;
    params[L.SCRATCH] = scr;
    params[L.SCRATCH_STRIDE] = scrStride;
    const threads = n * d < MIN_THREADED_WORK / 8 ? 1 : p.threads;
    return { pool: p, params, actors, threads, tasks: nTasks(0, n, CHUNK) };
  }

  return {
    clusterSums(data, d, codes, k) {
      const n = data.length / d;
      const { pool, params, actors, threads, tasks } = staged(data, d, codes, n);
      const sumsStride = Math.ceil((k * d * 8) / 64) * 64;
      const countsStride = Math.ceil((k * 8) / 64) * 64;
      const sums = pool.alloc('stats:sums', sumsStride * actors);
      const counts = pool.alloc('stats:counts', countsStride * actors);
      pool.kernels.zeroBytes(sums, sumsStride * actors);
      pool.kernels.zeroBytes(counts, countsStride * actors);
      params[L.SUMS] = sums;
      params[L.SUMS_STRIDE] = sumsStride;
      params[L.COUNTS] = counts;
      params[L.COUNTS_STRIDE] = countsStride;
      pool.runSync(Program.ClusterSums, tasks, threads);
      const out = new Float64Array(k * d);
      for (let a = 0; a < actors; a++) {
        const part = pool.f64(sums + a * sumsStride, k * d);
        for (let j = 0; j < k * d; j++) out[j] += part[j];
      }
      return out;
    },

    labelledDistances(data, d, centers, labels) {
      const n = data.length / d;
      const { pool, params, threads, tasks } = staged(data, d, labels, n);
      const c64 = pool.alloc('stats:centers', centers.length * 8 + 64);
      pool.f64(c64, centers.length).set(centers);
      const out = pool.alloc('stats:dist', n * 8 + 64);
      params[L.C64] = c64;
      params[L.OUT] = out;
      pool.runSync(Program.LabelledDistances, tasks, threads);
      return pool.f64(out, n).slice();
    },

    labelledInertia(data, d, centers, labels) {
      return lloyd().labelledInertia(data, d, centers, labels, 0, data.length / d);
    },
  };
}

/** The process-wide WASM ClusterStatsKernel (shared pool, the fit's staged matrix). */
export const wasmClusterStats: ClusterStatsKernel = createWasmClusterStats();

/** A WASM ClusterStatsKernel with its own Lloyd kernel on `pool` (tests, benchmarks). */
export function wasmClusterStatsOn(pool: KernelPool): ClusterStatsKernel {
  const lloyd = createWasmKernel(pool);
  return createWasmClusterStats(() => pool, () => lloyd);
}
