/**
 * Memory before allocation: a run's peak is estimated from n, d, k, the dtype, the preprocessing and the
 * silhouette mode, and a run that would not fit in this machine's memory is refused with the numbers, before a
 * worker starts. Imports get a matrix limit from the same budget (the importers check it against the sizes a
 * file declares, before they allocate).
 *
 * The model is calibrated on measured peaks (resident set, one fit on all 70,000 × 784 MNIST digits, this
 * engine): 345–360 MB for K-means k = 10 and 50, 624 MB with `standardize` (a float32 copy of the data).
 */
import { totalmem } from 'node:os';
import type { SilhouetteOptions } from '../src-shared/api';
import type { DType, Preprocessing } from '../src-shared/model';
import { DEFAULT_SILHOUETTE_SAMPLE } from '../src-shared/params';
import { formatBytes } from './datasets/limits';

const MB = 1e6;
/** Node, the WASM kernels and their thread pool, before any data. */
const BASE_BYTES = 160 * MB;
/** The matrix as loaded, its staged copy in the kernels' memory, and the blobs it was read from. */
const MATRIX_FACTOR = 3.6;
/** A transformed float32 copy of the matrix and its staged copy. */
const COPY_FACTOR = 1.25;
/** Share of the machine's memory one job may plan to use (main, the OS and the browser need the rest). */
const MACHINE_SHARE = 0.8;
/** An import holds the file bytes, the parsed matrix, and main its copy while storing: a third each. */
const IMPORT_SHARE = 1 / 3;

const BYTES: Record<DType, number> = { uint8: 1, float32: 4 };

export interface RunShape {
  n: number;
  d: number;
  dtype: DType;
  /** The dataset's scale (raw × scale = feature units); 'none' on scaled data makes a copy. */
  scale: number;
}

/** Bytes one job may plan for: `KMEANS_MEMORY_BUDGET` (bytes) if set, else 80 % of the machine's memory. */
export function memoryBudgetBytes(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.KMEANS_MEMORY_BUDGET);
  return Number.isFinite(v) && v > 0 ? v : Math.floor(totalmem() * MACHINE_SHARE);
}

/** Whether preprocess() makes a float32 copy of the data (see engine/preprocess.ts fitTransform). */
function copies(shape: RunShape, preprocessing: Preprocessing): boolean {
  if (preprocessing === 'standardize') return true;
  if (preprocessing === 'scale') return shape.dtype !== 'uint8';
  return shape.scale !== 1;
}

/** Estimated peak bytes of one clustering job (worker process). */
export function estimateRunBytes(shape: RunShape, k: number, preprocessing: Preprocessing, silhouette: SilhouetteOptions): number {
  const { n, d } = shape;
  const matrix = n * d * BYTES[shape.dtype];
  const copy = copies(shape, preprocessing) ? n * d * 4 : 0;
  const perRow = n * (4 + 8 + 8) + n * k * 2; // labels, distances, weights; int16 bounds per center
  const sil = silhouette.mode === 'exact' ? n * k * 8 + n * 16 : silhouette.mode === 'sample' ? Math.min(n, silhouette.sampleSize ?? DEFAULT_SILHOUETTE_SAMPLE) * (k * 8 + 16) : 0;
  return Math.ceil(BASE_BYTES + MATRIX_FACTOR * matrix + COPY_FACTOR * copy + perRow + sil);
}

/** Null when the run fits the budget, else the message that says why not and what would fit. */
export function runMemoryProblem(shape: RunShape, k: number, preprocessing: Preprocessing, silhouette: SilhouetteOptions, budget = memoryBudgetBytes()): string | null {
  const need = estimateRunBytes(shape, k, preprocessing, silhouette);
  if (need <= budget) return null;
  const hints: string[] = [];
  if (copies(shape, preprocessing)) hints.push(`preprocessing that needs no copy (${shape.dtype === 'uint8' ? "'scale'" : "'none'"})`);
  if (silhouette.mode === 'exact') hints.push("the sampled silhouette");
  hints.push('fewer rows');
  return (
    `this run needs about ${formatBytes(need)} of memory (${shape.n} × ${shape.d} ${shape.dtype}, k = ${k}, ${preprocessing}, silhouette ${silhouette.mode}), ` +
    `more than the ${formatBytes(budget)} a job may use here; try ${hints.join(', or ')}`
  );
}

/** The largest matrix an import may declare: a third of the budget (at most the importers' own 4 GiB limit). */
export function importMatrixLimit(budget = memoryBudgetBytes()): number {
  return Math.floor(budget * IMPORT_SHARE);
}
