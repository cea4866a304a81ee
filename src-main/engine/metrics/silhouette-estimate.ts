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
import { checkNumberOfLabels, coefficientFromSums, groupRowsByCluster, throwIfCancelled } from './silhouette';

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

/** Student's t 0.975 quantiles for 1 … 30 degrees of freedom. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** Student's t 0.975 quantile of `df` ≥ 1 degrees of freedom: the table, then the Cornish–Fisher expansion (error < 1e-4). */
export function t975(df: number): number {
  if (df <= T975.length) return T975[Math.max(1, Math.floor(df)) - 1];
  const z = Z95;
  const z3 = z ** 3;
  const z5 = z ** 5;
  return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df * df) + (3 * z ** 7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3);
}

/**
 * Running estimate of the all-rows silhouette from groups of rows drawn at random without replacement, each group's
 * coefficients exact: the exact pass's blocks (one cluster's rows each, so rows of a group are alike and must not
 * count as independent draws). The ratio estimator of cluster sampling (Cochran, Sampling Techniques, 6.4, 11.8):
 * mean = Σ y_g / Σ m_g over the groups so far (y_g the sum of a group's coefficients, m_g its rows), and
 * v = (1 − f) / (g · m̄²) · Σ (y_g − mean · m_g)² / (g − 1), the finite-population factor f taken as the share of
 * rows in (f = 1, interval 0, once every row is in; with fewer than 2 groups the interval is infinite), and the
 * interval mean ± t · √v with Student's t of g − 1 degrees of freedom (few groups: wider than the normal one).
 */
export class RunningGroupSilhouette {
  private groups = 0;
  private rows = 0;
  private sy = 0;
  private syy = 0;
  private sxy = 0;
  private sxx = 0;

  constructor(readonly total: number) {
    if (!Number.isInteger(total) || total < 1) throw new RangeError(`total must be a positive integer, got ${total}`);
  }

  /** One group's exact coefficients. */
  addGroup(values: ArrayLike<number>): void {
    const m = values.length;
    if (m === 0) return;
    if (this.rows + m > this.total) throw new RangeError(`more than the ${this.total} rows were added`);
    let y = 0;
    for (let t = 0; t < m; t++) y += values[t];
    this.groups++;
    this.rows += m;
    this.sy += y;
    this.syy += y * y;
    this.sxy += y * m;
    this.sxx += m * m;
  }

  estimate(): SilhouetteEstimate {
    const { groups: g, rows, total } = this;
    const mean = rows === 0 ? NaN : this.sy / rows;
    let halfWidth: number;
    if (rows === total) halfWidth = 0;
    else if (g < 2) halfWidth = Infinity;
    else {
      const residual = Math.max(0, this.syy - 2 * mean * this.sxy + mean * mean * this.sxx) / (g - 1);
      const mBar = rows / g;
      halfWidth = t975(g - 1) * Math.sqrt(((1 - rows / total) * residual) / (g * mBar * mBar));
    }
    return { mean, halfWidth, rows, total };
  }
}

/**
 * The exact pass's running estimate from the rows it has finished and a first sample of rows drawn one by one (the
 * first estimate's). The pass finishes rows in blocks of alike rows (one cluster's, in the layout's order), so its
 * finished rows alone estimate the mean poorly (see {@link RunningGroupSilhouette}); but they are known exactly, and
 * the rows not finished yet are estimated from the sample rows among them: the block order is drawn independently
 * of the sample, so those are a simple random sample of the unfinished rows. With D finished rows of sum S_D, U = N − D
 * unfinished ones and m sample rows among them (mean ȳ, sd s):
 * mean = (S_D + U · ȳ) / N, half-width = (U / N) · z · s/√m · √((U − m)/(U − 1)).
 * Before any row is finished it is the first estimate itself; it closes to the exact mean, interval 0, as the pass
 * ends (and as soon as every unfinished row is a sample row). Fewer than 2 sample rows left: infinite interval.
 */
export class PassSilhouette {
  private readonly done: Uint8Array;
  private doneRows = 0;
  private doneSum = 0;
  /** Sample rows and their values; those finished by the pass drop out of the estimate of the rest. */
  private readonly sampleRows: Int32Array;
  private readonly sampleValues: Float64Array;

  /** @param sampleRows distinct rows drawn at random, with their exact coefficients `sampleValues`. */
  constructor(readonly total: number, sampleRows: Int32Array, sampleValues: Float64Array) {
    if (!Number.isInteger(total) || total < 1) throw new RangeError(`total must be a positive integer, got ${total}`);
    if (sampleRows.length !== sampleValues.length) throw new RangeError('one value per sample row');
    this.done = new Uint8Array(total);
    this.sampleRows = sampleRows.slice();
    this.sampleValues = sampleValues.slice();
  }

  /** Rows the pass has finished, with their exact coefficients (each row once). */
  add(rows: Int32Array, values: Float64Array): void {
    for (let t = 0; t < rows.length; t++) {
      const i = rows[t];
      if (this.done[i] !== 0) throw new RangeError(`row ${i} was added twice`);
      this.done[i] = 1;
      this.doneRows++;
      this.doneSum += values[t];
    }
  }

  estimate(): SilhouetteEstimate {
    const { total: N, doneRows: D } = this;
    const U = N - D;
    let m = 0;
    let sy = 0;
    for (let t = 0; t < this.sampleRows.length; t++) {
      if (this.done[this.sampleRows[t]] !== 0) continue;
      m++;
      sy += this.sampleValues[t];
    }
    if (U === 0) return { mean: this.doneSum / N, halfWidth: 0, rows: N, total: N };
    if (m === 0) return { mean: D === 0 ? NaN : this.doneSum / D, halfWidth: Infinity, rows: D, total: N };
    const yBar = sy / m;
    let ss = 0;
    for (let t = 0; t < this.sampleRows.length; t++) if (this.done[this.sampleRows[t]] === 0) ss += (this.sampleValues[t] - yBar) ** 2;
    let halfWidth: number;
    if (m === U) halfWidth = 0;
    else if (m < 2) halfWidth = Infinity;
    else halfWidth = (U / N) * Z95 * (Math.sqrt(ss / (m - 1)) / Math.sqrt(m)) * Math.sqrt((U - m) / (U - 1));
    return { mean: (this.doneSum + U * yBar) / N, halfWidth, rows: D + m, total: N };
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
  // the kernel gathers the rows in cluster order itself (the WASM one straight into its shared memory)
  const session = (opts.kernel ?? subsetDistanceSumsWasm())({ X, starts }, order);

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
  return (await firstSilhouetteSample(X, labels, opts))?.estimate ?? null;
}

/** {@link firstSilhouetteEstimate} with its rows (`order`) and their coefficients (`samples`, by row), for {@link PassSilhouette}. */
export async function firstSilhouetteSample(
  X: DataMatrix,
  labels: Int32Array,
  opts: { seed?: number; signal?: AbortSignal } = {},
): Promise<ProgressiveSilhouette | null> {
  const k = encodeLabels(labels).counts.length;
  if (k < 2 || k > X.n - 1) return null;
  // the exact pass that follows reuses these regions (a larger matrix than its own), so the memory does not grow
  const kernel = subsetDistanceSumsWasm(undefined, { layoutMinRows: Infinity, regionPrefix: 'sil' });
  return progressiveSilhouette(X, labels, { seed: opts.seed, maxRows: FIRST_ESTIMATE_ROWS, kernel, signal: opts.signal });
}
