/**
 * The inner loops of K-means behind one small interface, so a faster implementation (WASM SIMD, threads)
 * can replace the pure-TypeScript one (ts-kernel.ts) without touching the algorithms.
 *
 * Conventions for every method:
 * - `data` is the raw matrix, row-major n × d, in its own dtype (uint8 stays uint8). Values are RAW units:
 *   the engine works in raw units and multiplies by `scale` / `scale²` only at its edges.
 * - Methods work on the row range [start, end) and only write the entries of their outputs for those rows,
 *   so an implementation may split a range into chunks and run them on several threads.
 * - Results must equal the float64 formula up to rounding: the engine is checked against scikit-learn to 1e-9.
 * - Ties in the nearest center go to the lowest center index (as scikit-learn's `sq_dist < min_sq_dist`).
 * - `data` is never changed while a fit uses it: an implementation may keep a large matrix (and bounds
 *   derived from it) by identity across calls, so callers pass a new array for new rows, never a refilled one.
 */

import type { DataMatrix } from '../../../src-shared/model';
import type { Rng } from '../rng';

/** Raw values of a data matrix, row-major n × d. */
export type RowData = Uint8Array | Float32Array | Float64Array;

/** Centers, k × d row-major, raw units, with their squared norms. */
export interface CenterSet {
  /** k × d, row-major, raw units. */
  centers: Float64Array;
  /** ‖c‖², length ≥ k. */
  centerNorms: Float64Array;
  k: number;
}

export interface RowRange {
  data: RowData;
  d: number;
  /** ‖x_i‖² of every row (length n, indexed by absolute row), from `rowNorms`. */
  rowNorms: Float64Array;
  start: number;
  end: number;
}

export interface AssignArgs extends RowRange, CenterSet {
  /**
   * Optional row list (mini-batches): [start, end) are then positions in it; position i works on data row
   * rows[i] (norm rowNorms[rows[i]]) and writes labels[i] and dist[i]. Saves gathering the rows into a new matrix.
   */
  rows?: Int32Array;
  /**
   * For Lloyd's iterations, where the same data and k come back with moved centers: 'fresh' (first iteration)
   * lets the kernel set up per-row bounds (Elkan's) for the next calls, 'keep' lets it use and update the bounds
   * of the previous call to skip rows they prove unchanged (as 'fresh' if it has none). The result is the same
   * as without. Leave unset for a one-off pass.
   */
  bounds?: 'fresh' | 'keep';
  /** false: the caller ignores the returned Σ dist (a labels-only pass), which may then be NaN. */
  total?: boolean;
  /** Out: index of the nearest center of row i, written at labels[i] for i in [start, end). */
  labels: Int32Array;
  /** Optional out: squared distance of row i to its nearest center, clamped at ≥ 0, at dist[i]. */
  dist?: Float64Array;
  /**
   * Optional in/out (both or neither): sums[c·d + j] += x_ij and counts[c] += 1 for every row i assigned to c.
   * The caller zeroes them; a threaded implementation accumulates per thread and adds the partial sums in.
   */
  sums?: Float64Array;
  counts?: Float64Array;
}

/** A mini-batch step (LloydKernel.miniBatchStep): the batch's rows, the centers before (centers) and after (next). */
export interface MiniBatchStepArgs extends RowRange, CenterSet {
  /** The batch: position i is data row rows[i]. */
  rows: Int32Array;
  /** Out: the batch rows' labels. */
  labels: Int32Array;
  /** Out: the centers after the step (k × d). */
  next: Float64Array;
  /** In/out: every center's running count (rows received so far). centerNorms is in/out too (moved centers' ‖c‖²). */
  counts: Float64Array;
}

export interface DistanceArgs extends RowRange, CenterSet {
  /** Optional row list, as AssignArgs.rows: position i works on data row rows[i] (norm rowNorms[rows[i]]). */
  rows?: Int32Array;
  /** Out: out[(i − start)·k + c] = ‖x_i − c‖², clamped at ≥ 0. Length ≥ (end − start)·k. */
  out: Float64Array;
}

/** One k-means++ step's trials over all rows 0 … n − 1 (see LloydKernel.kmeansPlusPlusTrials). */
export interface KppTrialArgs extends CenterSet {
  data: RowData;
  d: number;
  /** ‖x_i‖² of every row (length n). */
  rowNorms: Float64Array;
  /** The candidates' data rows (length k); centers holds those rows as float64. */
  candidateRows: Int32Array;
  /** ‖x_i − nearest chosen center‖² of every row (length n). */
  closest: Float64Array;
  /** Out: out[i·k + t] = min(‖x_i − candidate t‖², closest[i]) (length ≥ n·k). */
  out: Float64Array;
}

/** A k-means++ run over all rows 0 … n − 1 whose per-row state the kernel keeps (LloydKernel.kmeansPlusPlusSession). */
export interface KppSessionArgs {
  data: RowData;
  d: number;
  /** ‖x_i‖² of every row (length n). */
  rowNorms: Float64Array;
  /** ‖x_i − first center‖² of every row (length n); copied. */
  closest: Float64Array;
  /** Candidates a step (2 + ⌊ln k⌋). */
  trials: number;
  /** Steps to come (k − 1): the kernel declines where its set-up would cost more than it saves. */
  steps: number;
  /**
   * p × d (row-major, fewer rows allowed) directions along which the rows vary most, e.g. principal axes; called
   * only when the session applies. Only the speed depends on them, never a value. Absent: the kernel's own (the
   * WASM kernel: rough principal axes of 512 evenly spaced rows, computed on the kernel).
   */
  basis?(p: number): Float64Array;
}

/** Steps of a k-means++ run, in this order: closest(), trials(…), commit(best), closest(), … */
export interface KppSession {
  /** Optional, for tests and benchmarks: which form runs ('bounded': projection bounds skip pairs; 'plain': none skipped). */
  readonly kind?: 'bounded' | 'plain';
  /** ‖x_i − nearest chosen center‖² of every row (length n); valid until the next call on the session. */
  closest(): Float64Array;
  /** Optional: the running sums of closest() in row order (numpy's cumsum, the same float64 values); valid as closest(). */
  cumulative?(): Float64Array;
  /**
   * Each candidate's potential Σ_i min(‖x_i − c_t‖², closest[i]), the exact integers of `distances` and row-order
   * sums. candidateRows: data rows (at most the session's trials), centerNorms their ‖c_t‖².
   */
  trials(candidateRows: Int32Array, centerNorms: Float64Array): Float64Array;
  /** Candidate t of the last trials becomes a center: closest[i] = min(closest[i], ‖x_i − c_t‖²). */
  commit(t: number): void;
}

export interface LloydKernel {
  /** Short name for logs and benchmarks ('ts', 'wasm-simd', …). */
  readonly name: string;
  /** out[i] = ‖x_i‖² for i in [start, end). */
  rowNorms(data: RowData, d: number, start: number, end: number, out: Float64Array): void;
  /** E-step (and M-step accumulation when sums/counts are given). Returns Σ dist over the range (NaN allowed with total: false). */
  assign(args: AssignArgs): number;
  /** Squared distances of the rows to every center (k-means++ candidates). */
  distances(args: DistanceArgs): void;
  /**
   * Optional fast path of a k-means++ step: fills out and returns each candidate's potential Σ_i out[i·k + t],
   * values and sums exactly those of `distances` followed by the row-order sums (so only where they are exact
   * integers in any order), or null when its preconditions do not hold (then the caller takes `distances`).
   */
  kmeansPlusPlusTrials?(args: KppTrialArgs): Float64Array | null;
  /**
   * Optional faster form of a whole k-means++ run (the same values as kmeansPlusPlusTrials step by step), or null
   * where its preconditions do not hold or it would not pay (then the caller takes the steps above).
   */
  kmeansPlusPlusSession?(args: KppSessionArgs): KppSession | null;
  /**
   * Optional fused mini-batch step: `assign` of the batch (labels written, Σ dist returned as `inertia`) with its
   * cluster sums and counts, then minibatch.ts's update of the centers on them (each center that received rows to the
   * running mean into next, its norm into centerNorms, its count into counts; the others copied), all with the same
   * values as those two; or null where its preconditions do not hold (then the caller does the two itself).
   */
  miniBatchStep?(args: MiniBatchStepArgs): { inertia: number; shift: number } | null;
  /**
   * Optional: rng.randInts(n, m) drawn on the kernel (the same values, and rng's state afterwards the same), or null
   * where it does not apply (then the caller draws them itself).
   */
  randomRows?(rng: Rng, n: number, m: number): Int32Array | null;
  /**
   * Σ_i ‖x_i − centers[labels[i]]‖² over the range, computed directly from the differences
   * (as scikit-learn's _inertia_dense), not through norms.
   */
  labelledInertia(data: RowData, d: number, centers: Float64Array, labels: Int32Array, start: number, end: number): number;
}

export interface ProgressOptions {
  /** Checked between chunks; once aborted the computation rejects with CancelledError. */
  signal?: AbortSignal;
  /** Fraction of the work done, 0 … 1, reported between chunks. */
  onProgress?: (fraction: number) => void;
}

/**
 * Rows grouped by cluster: cluster c occupies rows `starts[c]` … `starts[c + 1] − 1` of `X`.
 * `starts.length === k + 1`, `starts[k] === X.n`.
 */
export interface GroupedRows {
  X: DataMatrix;
  starts: Int32Array;
}

/**
 * The O(n² d) step of the silhouette: for every row i and cluster c, the sum of Euclidean distances
 * (feature units, float64) from row i to the rows of cluster c. Returns an n × k row-major matrix.
 * A row's distance to itself is 0, so it does not matter that it is in its own cluster's sum.
 *
 * This is the function a faster kernel (WASM SIMD, threads) replaces; it must keep the contract:
 * same sums up to float64 rounding, progress and cancellation at chunk boundaries.
 */
export type PairwiseClusterDistanceSums = (rows: GroupedRows, opts?: PairwiseSumsOptions) => Promise<Float64Array>;

/** Options of a {@link PairwiseClusterDistanceSums}: progress, cancellation, and (where the kernel can) rows as they complete. */
export interface PairwiseSumsOptions extends ProgressOptions {
  /**
   * Rows whose sums are final before the pass ends, one group a call: their positions in the grouped rows and
   * their sums (positions.length × k, bit for bit what the pass returns for them). A kernel that calls it
   * (the WASM one) reports every row exactly once, in groups (blocks of one cluster's rows) drawn in a seeded
   * random order without replacement, the last ones before its final onProgress(1); others never call it.
   */
  onRowsDone?: (positions: Int32Array, sums: Float64Array) => void;
}

/**
 * The two row passes of the label-free indices (metrics/internal.ts), raw units, float64 results:
 * per-cluster sums and each row's squared distance to the center of its label.
 */
export interface ClusterStatsKernel {
  /** sums[c·d + j] = Σ x_ij over the rows with codes[i] = c (k × d). */
  clusterSums(data: RowData, d: number, codes: Int32Array, k: number): Float64Array;
  /** out[i] = ‖x_i − centers[labels[i]]‖² (n values, from the differences); labels are center indices 0 … k − 1. */
  labelledDistances(data: RowData, d: number, centers: Float64Array, labels: Int32Array): Float64Array;
  /** Σ_i ‖x_i − centers[labels[i]]‖², as LloydKernel.labelledInertia over every row. */
  labelledInertia(data: RowData, d: number, centers: Float64Array, labels: Int32Array): number;
}
