/**
 * A progressive silhouette: the exact coefficient of rows drawn in random order, each scored against ALL rows
 * (kernels/silhouette-subset-*.ts), summarised after every chunk as a running mean ± 95 % interval of the
 * all-rows silhouette (the mean over every row). Once every row is in, the mean is the exact silhouette
 * (to float64 rounding) and the interval is 0.
 */
import type { DataMatrix } from '../../../src-shared/model';
import { subsetDistanceSumsWasm } from '../kernels/silhouette-subset-kernel';
import type { SubsetDistanceSumsFactory } from '../kernels/silhouette-subset-ts';
import type { ProgressOptions } from '../kernels/types';
import { Rng } from '../rng';
import { checkSamples, encodeLabels } from './labels';
import { checkNumberOfLabels, coefficientFromSums, gatherMatrix, groupRowsByCluster, throwIfCancelled } from './silhouette';

/** z of a two-sided 95 % normal interval. */
const Z95 = 1.959963984540054;

/** The silhouette as known after some rows. */
export interface SilhouetteEstimate {
  /** Mean coefficient of the rows scored so far. */
  mean: number;
  /** Half-width of the 95 % interval of the all-rows mean (0 once every row is in). */
  halfWidth: number;
  /** Rows scored so far … */
  rows: number;
  /** … of this many. */
  total: number;
}

/**
 * Running mean and variance (Welford) of coefficients drawn without replacement from `total` rows. The interval
 * is the normal one with the finite-population correction, mean ± z · s/√m · √((N − m)/(N − 1)), so it closes
 * to 0 when m = N; with fewer than 2 rows it is infinite.
 */
export class RunningSilhouette {
  private m = 0;
  private mean = 0;
  private m2 = 0;

  constructor(readonly total: number) {
    if (!Number.isInteger(total) || total < 1) throw new RangeError(`total must be a positive integer, got ${total}`);
  }

  add(value: number): void {
    if (this.m >= this.total) throw new RangeError(`more than the ${this.total} rows were added`);
    this.m++;
    const delta = value - this.mean;
    this.mean += delta / this.m;
    this.m2 += delta * (value - this.mean);
  }

  estimate(): SilhouetteEstimate {
    const { m, total } = this;
    let halfWidth: number;
    if (m === total) halfWidth = 0;
    else if (m < 2) halfWidth = Infinity;
    else {
      const sd = Math.sqrt(this.m2 / (m - 1));
      halfWidth = Z95 * (sd / Math.sqrt(m)) * Math.sqrt((total - m) / (total - 1));
    }
    return { mean: m === 0 ? NaN : this.mean, halfWidth, rows: m, total };
  }
}

export interface ProgressiveSilhouetteOptions extends ProgressOptions {
  /** Seed of the rows' random order; default 0. */
  seed?: number;
  /** Rows of the first estimate; default {@link FIRST_ESTIMATE_ROWS}. */
  firstRows?: number;
  /** Rows per later chunk (one estimate each); default {@link CHUNK_ROWS}. */
  chunkRows?: number;
  /** Stop after this many rows (default: every row). */
  maxRows?: number;
  /** The subset kernel; default WASM (TypeScript where its preconditions fail). */
  kernel?: SubsetDistanceSumsFactory;
  /** After every chunk: the estimate so far. */
  onEstimate?: (estimate: SilhouetteEstimate) => void;
}

/** Rows of the first estimate (MNIST 70k, 2 cores, loaded machine: ~0.3 s of kernel time). */
export const FIRST_ESTIMATE_ROWS = 128;
/** Rows per refinement chunk. */
export const CHUNK_ROWS = 1024;

export interface ProgressiveSilhouette {
  /** The last estimate (exact when `rows === total`). */
  estimate: SilhouetteEstimate;
  /** Rows scored, in scoring order. */
  order: Int32Array;
  /** Coefficient of every row (NaN for rows not scored). */
  samples: Float64Array;
}

/**
 * Scores rows in a random order (`Rng(seed).permutation(n)`) in chunks, reporting an estimate after each.
 * Requires 2 ≤ distinct labels ≤ n − 1.
 *
 * @param X n × d data; labels n labels (any Int32 values).
 */
export async function progressiveSilhouette(
  X: DataMatrix,
  labels: Int32Array,
  opts: ProgressiveSilhouetteOptions = {},
): Promise<ProgressiveSilhouette> {
  const { n } = X;
  checkSamples(X, labels);
  const { codes, counts } = encodeLabels(labels);
  checkNumberOfLabels(counts.length, n);
  const maxRows = Math.min(n, opts.maxRows ?? n);
  const firstRows = opts.firstRows ?? FIRST_ESTIMATE_ROWS;
  const chunkRows = opts.chunkRows ?? CHUNK_ROWS;
  for (const [name, v] of [['maxRows', maxRows], ['firstRows', firstRows], ['chunkRows', chunkRows]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  }

  const { starts, order } = groupRowsByCluster(codes, counts);
  const positionOf = new Int32Array(n);
  for (let r = 0; r < n; r++) positionOf[order[r]] = r;
  const session = (opts.kernel ?? subsetDistanceSumsWasm())({ X: gatherMatrix(X, order), starts });

  const drawn = new Rng(opts.seed ?? 0).permutation(n);
  const running = new RunningSilhouette(n);
  const samples = new Float64Array(n).fill(NaN);
  let done = 0;
  let estimate = running.estimate();
  while (done < maxRows) {
    throwIfCancelled(opts.signal);
    const end = Math.min(maxRows, done + (done === 0 ? firstRows : chunkRows));
    const rows = drawn.subarray(done, end);
    const positions = rows.map((i) => positionOf[i]);
    let sums: Float64Array;
    try {
      sums = await session.sums(positions, { signal: opts.signal });
    } catch (err) {
      if (opts.signal?.aborted) throwIfCancelled(opts.signal);
      throw err;
    }
    for (let t = 0; t < rows.length; t++) {
      const s = coefficientFromSums(sums, t, codes[rows[t]], counts);
      samples[rows[t]] = s;
      running.add(s);
    }
    done = end;
    estimate = running.estimate();
    opts.onEstimate?.(estimate);
    opts.onProgress?.(done / maxRows);
  }
  return { estimate, order: drawn.slice(0, done), samples };
}

/**
 * The first estimate alone, as fast as it comes: {@link FIRST_ESTIMATE_ROWS} rows, rows staged without the
 * layout step (which pays off only over many rows), in the shared-memory regions of the exact silhouette; null where
 * the silhouette is not defined. Call it before an exact pass, never during one.
 */
export async function firstSilhouetteEstimate(
  X: DataMatrix,
  labels: Int32Array,
  opts: { seed?: number; signal?: AbortSignal } = {},
): Promise<SilhouetteEstimate | null> {
  const k = encodeLabels(labels).counts.length;
  if (k < 2 || k > X.n - 1) return null;
  // the exact pass that follows reuses these regions (a larger matrix than its own), so the memory does not grow
  const kernel = subsetDistanceSumsWasm(undefined, { layoutMinRows: Infinity, regionPrefix: 'sil' });
  return (await progressiveSilhouette(X, labels, { seed: opts.seed, maxRows: FIRST_ESTIMATE_ROWS, kernel, signal: opts.signal })).estimate;
}
