/**
 * Which implementation the engine uses by default: the WASM SIMD kernels on every core for inputs big enough
 * to repay starting the threads, the pure-TS reference otherwise (and for float64 data).
 * KMEANS_EXPLORER_KERNEL=ts in the environment keeps the pure-TS kernels everywhere.
 */
import type { DataMatrix } from '../../../src-shared/model';
import { sharedKernelPool } from './pool';
import { pairwiseClusterDistanceSumsWasm } from './silhouette-kernel';
import { pairwiseClusterDistanceSumsTs } from './silhouette-ts';
import { tsKernel } from './ts-kernel';
import { clusterStatsAccepts, wasmClusterStats } from './cluster-stats-kernel';
import type { ClusterStatsKernel, LloydKernel, PairwiseClusterDistanceSums } from './types';
import { meanFeatureVarianceU8, wasmKernel } from './wasm-kernel';

/** Matrices with fewer values than this stay on the TS kernel (one Lloyd iteration then takes well under 10 ms). */
const MIN_WASM_VALUES = 1_000_000;
/** Silhouettes of fewer rows stay on the TS reference. */
const MIN_WASM_SILHOUETTE_ROWS = 2000;

let unavailable: string | null = null;

/** False with KMEANS_EXPLORER_KERNEL=ts, or (with one warning on stderr) when the WASM kernels cannot start. */
function wasmAllowed(): boolean {
  if (process.env.KMEANS_EXPLORER_KERNEL === 'ts' || unavailable !== null) return false;
  try {
    sharedKernelPool();
    return true;
  } catch (e) {
    unavailable = e instanceof Error ? e.message : String(e);
    process.stderr.write(`kmeans-explorer: WASM kernels unavailable, using the TypeScript kernels: ${unavailable}\n`);
    return false;
  }
}

function fast(data: DataMatrix['data']): boolean {
  return data instanceof Uint8Array || data instanceof Float32Array;
}

/**
 * A zeroed byte array for a loader to read a uint8 dataset of `bytes` values into: inside the WASM kernels' shared
 * memory when they would take it (KernelPool.allocPinned), so that its fits read it where it is instead of
 * copying it first; else (small data, KMEANS_EXPLORER_KERNEL=ts, no room) a plain Uint8Array. It stays in the
 * process's kernel memory for as long as the process runs: for the loads of a command or job, not of a server.
 */
export function kernelDataBytes(bytes: number): Uint8Array {
  if (bytes >= MIN_WASM_VALUES && wasmAllowed()) {
    try {
      return sharedKernelPool().allocPinned(bytes);
    } catch {
      // more than the kernels' 4 GiB: the fit copies what it can take, or uses the TS kernels
    }
  }
  return new Uint8Array(bytes);
}

/**
 * A uint8 matrix the default kernel will take, copied into the kernels' shared memory (kernelDataBytes) and staged
 * there (chunk masks and ‖x‖₁, by a row-norms pass) while nothing else runs: a spare worker's read-ahead, so that
 * its job's fit finds the data where the kernels read it. X itself where that does not apply (other dtypes, small
 * data, no WASM kernels, the pool busy, no room in its memory). Same values: only where the bytes live changes.
 */
export function prepareForKernels<T extends DataMatrix>(X: T): T {
  if (!(X.data instanceof Uint8Array) || X.n * X.d < MIN_WASM_VALUES || !wasmAllowed()) return X;
  const pool = sharedKernelPool();
  if (pool.isBusy) return X;
  const data = kernelDataBytes(X.data.length);
  if (pool.pinnedOffset(data) === null) return X;
  data.set(X.data);
  wasmKernel().rowNorms(data, X.d, 0, X.n, new Float64Array(X.n));
  return { ...X, data };
}

/** The LloydKernel fitKMeans uses when none is given. */
export function defaultLloydKernel(X: DataMatrix): LloydKernel {
  return wasmAllowed() && fast(X.data) && X.n * X.d >= MIN_WASM_VALUES ? wasmKernel() : tsKernel;
}

/** The kernel for all-pairs distances (k nearest neighbours: n² d multiply-adds): WASM once that work is large. */
export function defaultPairsKernel(X: DataMatrix): LloydKernel {
  return wasmAllowed() && fast(X.data) && X.n * X.n * X.d >= MIN_WASM_VALUES ? wasmKernel() : tsKernel;
}

/** np.var(X, axis=0).mean() in raw units from exact integer sums on the WASM threads (large uint8 data), else null. */
export function fastMeanFeatureVariance(data: DataMatrix['data'], n: number, d: number): number | null {
  return wasmAllowed() ? meanFeatureVarianceU8(data, n, d) : null;
}

/** The row passes of the label-free indices: WASM for large uint8 / float32 matrices, else null (the TS reference). */
export function defaultClusterStatsKernel(X: DataMatrix): ClusterStatsKernel | null {
  return wasmAllowed() && X.n * X.d >= MIN_WASM_VALUES && clusterStatsAccepts(X.data, X.n, X.d) ? wasmClusterStats : null;
}

const wasmSilhouette = pairwiseClusterDistanceSumsWasm();

/** The silhouette's pairwise step metrics use when none is given: WASM for ≥ 2000 uint8 / float32 rows, else the TS reference. */
export const pairwiseClusterDistanceSumsAuto: PairwiseClusterDistanceSums = (rows, opts) =>
  wasmAllowed() && fast(rows.X.data) && rows.X.n >= MIN_WASM_SILHOUETTE_ROWS
    ? wasmSilhouette(rows, opts)
    : pairwiseClusterDistanceSumsTs(rows, opts);
