/**
 * The task bodies the kernel threads run (and the main thread, when it takes part in a synchronous job).
 * A job is a program id, a few numbers in `params` (pointers are byte offsets into the shared memory) and
 * a count of tasks; threads take task indices from a shared counter until none are left, so fast threads
 * take more. Each thread (actor) writes only its own slice of the per-actor outputs; the caller reduces them.
 */
import type { KernelExports } from './wasm';

export const Program = {
  SilI16: 1,
  SilF32: 2,
  Assign: 3,
  Distances: 4,
  RowNorms: 5,
  Inertia: 6,
  AssignBounded: 7,
  AssignElkan: 8,
  FeatureSums: 9,
  GramU8: 10,
  CenterPairs: 11,
  KppTrials: 12,
  /** Assign on uint8 rows with chunk masks and ‖x‖₁, screened with int16 quantized centers (QC, DP16, QE, L1). */
  AssignQ: 13,
  KnnF32: 14,
  /** A subset of the rows (query slots) against every row, per cluster (silhouette-subset-kernel.ts). */
  SilSubI16: 16,
  SilSubF32: 17,
  /** Per-cluster sums of given labels (cluster-stats-kernel.ts). */
  ClusterSums: 18,
  /** Each row's squared distance to the center of its label (cluster-stats-kernel.ts). */
  LabelledDistances: 19,
  /** k-means++ trials with projection bounds (wasm-kpp.ts): phase 0 projects the rows, phase 1 scores a step's candidates. */
  KppBounded: 20,
  /** Yinyang's group bounds across Lloyd iterations (wasm-bounded.ts, assembly assignYinyang; layout L with Y). */
  AssignYinyang: 21,
  /** Chunk masks (MASKS) and, when L1 ≠ 0, ‖x‖₁ of uint8 rows, in row tasks (wasm-staging.ts). */
  RowMasks: 23,
} as const;
export type Program = (typeof Program)[keyof typeof Program];

/** What a task body gets: the kernels, the job's parameters, this thread's index and partial results. */
export interface TaskContext {
  ex: KernelExports;
  memory: WebAssembly.Memory;
  /** The job's parameters (shared, read-only during the job). */
  params: Float64Array;
  /** Per-actor float64 results, 8 per actor (e.g. Σ distances). */
  partial: Float64Array;
  actor: number;
}

/** Parameter slots. Silhouette: */
export const S = {
  X: 0, DP: 1, NORMS: 2, SUMS: 3, SUMS_STRIDE: 4, K: 5, COL: 6, COL_STRIDE: 7, BLOCKS: 8, N_BLOCKS: 9, MASKS: 10,
  /** Subset programs: query rows (staged rows 0 … Q − 1) and rows per task. */
  Q: 11, Q_BLOCK: 12,
  /** SilI16 / SilF32: int32 per task, set to 1 (Atomics) when the task is done, so the caller sees which rows are complete; 0 = none. */
  TASK_DONE: 13,
} as const;

/** Lloyd programs (Assign, Distances, RowNorms, Inertia) share one layout. */
export const L = {
  X: 0, KIND: 1, D: 2, DP: 3, START: 4, END: 5, CHUNK: 6,
  CF: 7, CN: 8, KP: 9, C64: 10, CN64: 11, K: 12, XN: 13, MARGIN: 14, CN_MAX: 15,
  LABELS: 16, DIST: 17, SUMS: 18, SUMS_STRIDE: 19, COUNTS: 20, COUNTS_STRIDE: 21,
  SCRATCH: 22, SCRATCH_STRIDE: 23, OUT: 24, CI16: 25, DP16: 26,
  UPPER: 27, LOWER: 28, SHIFT: 29, SHIFT_MAX1: 30, SHIFT_MAX2: 31, ARG_MAX: 32, HALF: 33, FIRST: 34, CC: 35, MASKS: 36, ROWS: 37, QC: 38, QE: 39, L1: 40, NO_TOTAL: 41,
  /** KppTrials: each row's current potential, the candidates' rows (int32), per-actor potentials (64 bytes an actor). */
  CLOSEST: 42, CAND: 43, POTS: 44,
  /** AssignElkan: each center's shifts summed since the bounds were set up (float64), and their error factor. */
  CUM: 45, CUM_EPS: 46,
  /** AssignQ: the int16 centers laid out four to a 64-byte chunk by the native quantizeCenters (0: none, see native.ts). */
  QI: 47,
} as const;

/**
 * AssignYinyang: layout L, and in slots of L that it does not use, the groups of centers: each center's group
 * (int32 k), the centers group by group (int32 k), where each group starts in that list (int32 t + 1), the number
 * of groups t, each group's largest center shift this iteration (float64 t); CUM holds the groups' summed shifts.
 */
export const Y = { GROUP_OF: L.DIST, MEMBERS: L.ROWS, GSTART: L.OUT, T: L.ARG_MAX, GSHIFT: L.SHIFT_MAX1 } as const;

/** KppBounded (assembly/kpp.ts, kppProjectU8 and kppBoundedTrialsU8); rows START … END, CHUNK a task (as L). */
export const KB = {
  PHASE: 0, X: 1, D: 2, MASKS: 3, START: L.START, END: L.END, CHUNK: L.CHUNK, B16: 7, DP16: 8, P: 9, SHIFT: 10, Q32: 11,
  ONES: 12, CN64: 13, T: 14, XN: 15, OUT: 16, CI16: 17, CLOSEST: 18, CAND: 19, RED: 20, Q16: 21, THR: 22, SEL: 23,
  SCRATCH: 24, SCRATCH_STRIDE: 25,
} as const;

/** KnnF32 (k nearest neighbours, assembly/knn.ts): query groups of four rows START … END, CHUNK groups a task. */
export const N = {
  X: 0, D: 1, SCREEN: 2, N: 3, START: 4, END: 5, CHUNK: 6, K: 7, BEST_D: 8, BEST_I: 9,
} as const;

export const PARAM_SLOTS = 48;
export const PARTIAL_SLOTS = 8;

function silTask(c: TaskContext, t: number, int16: boolean): void {
  const p = c.params;
  const blocks = new Int32Array(c.memory.buffer, p[S.BLOCKS], 3 * p[S.N_BLOCKS]);
  const nBlocks = p[S.N_BLOCKS];
  const x = p[S.X];
  const dp = p[S.DP];
  const norms = p[S.NORMS];
  const k = p[S.K];
  const sums = p[S.SUMS] + c.actor * p[S.SUMS_STRIDE];
  const col = p[S.COL] + c.actor * p[S.COL_STRIDE];
  const i0 = blocks[3 * t];
  const i1 = blocks[3 * t + 1];
  const cI = blocks[3 * t + 2];
  for (let b = t; b < nBlocks; b++) {
    const j0 = blocks[3 * b];
    const j1 = blocks[3 * b + 1];
    const cJ = blocks[3 * b + 2];
    const diag = b === t ? 1 : 0;
    if (int16) c.ex.silI16(x, dp, norms, c.params[S.MASKS], sums, k, col, i0, i1, cI, j0, j1, cJ, diag);
    else c.ex.silF32(x, dp, sums, k, col, i0, i1, cI, j0, j1, cJ, diag);
  }
  // after this task's sums: a reader that sees the flag (Atomics.load) sees them
  if (p[S.TASK_DONE] !== 0) Atomics.store(new Int32Array(c.memory.buffer, p[S.TASK_DONE], nBlocks), t, 1);
}

/**
 * Query rows [t·Q_BLOCK, …) against every block of BLOCKS: only the query rows' sums are added (diag = 1 adds
 * row sums alone; a query row's distance to its own copy among the rows is 0).
 */
function silSubTask(c: TaskContext, t: number, int16: boolean): void {
  const p = c.params;
  const nBlocks = p[S.N_BLOCKS];
  const blocks = new Int32Array(c.memory.buffer, p[S.BLOCKS], 3 * nBlocks);
  const sums = p[S.SUMS] + c.actor * p[S.SUMS_STRIDE];
  const i0 = t * p[S.Q_BLOCK];
  const i1 = Math.min(p[S.Q], i0 + p[S.Q_BLOCK]);
  for (let b = 0; b < nBlocks; b++) {
    const j0 = blocks[3 * b];
    const j1 = blocks[3 * b + 1];
    const cJ = blocks[3 * b + 2];
    if (int16) c.ex.silI16(p[S.X], p[S.DP], p[S.NORMS], p[S.MASKS], sums, p[S.K], 0, i0, i1, -1, j0, j1, cJ, 1);
    else c.ex.silF32(p[S.X], p[S.DP], sums, p[S.K], 0, i0, i1, -1, j0, j1, cJ, 1);
  }
}

function rowRange(p: Float64Array, t: number): [number, number] {
  const s = p[L.START] + t * p[L.CHUNK];
  return [s, Math.min(p[L.END], s + p[L.CHUNK])];
}

export function runTask(program: Program, c: TaskContext, t: number): void {
  const p = c.params;
  switch (program) {
    case Program.SilI16:
      return silTask(c, t, true);
    case Program.SilF32:
      return silTask(c, t, false);
    case Program.SilSubI16:
      return silSubTask(c, t, true);
    case Program.SilSubF32:
      return silSubTask(c, t, false);
    case Program.Assign: {
      const [i0, i1] = rowRange(p, t);
      const sums = p[L.SUMS] === 0 ? 0 : p[L.SUMS] + c.actor * p[L.SUMS_STRIDE];
      const counts = p[L.SUMS] === 0 ? 0 : p[L.COUNTS] + c.actor * p[L.COUNTS_STRIDE];
      // uint8 rows with chunk masks: the sparse form (same results)
      c.partial[c.actor * PARTIAL_SLOTS] += p[L.MASKS] !== 0 ? c.ex.assignSparse(
        p[L.X], p[L.D], p[L.DP], i0, i1, p[L.CF], p[L.CN], p[L.KP], p[L.C64], p[L.CN64], p[L.K], p[L.XN],
        p[L.MARGIN], p[L.CN_MAX], p[L.LABELS], p[L.DIST], sums, counts, p[L.SCRATCH] + c.actor * p[L.SCRATCH_STRIDE],
        p[L.UPPER], p[L.LOWER], p[L.ROWS], p[L.MASKS], p[L.NO_TOTAL],
      ) : c.ex.assign(
        p[L.X], p[L.KIND], p[L.D], p[L.DP], i0, i1, p[L.CF], p[L.CN], p[L.KP], p[L.C64], p[L.CN64], p[L.K], p[L.XN],
        p[L.MARGIN], p[L.CN_MAX], p[L.LABELS], p[L.DIST], sums, counts, p[L.SCRATCH] + c.actor * p[L.SCRATCH_STRIDE],
        p[L.UPPER], p[L.LOWER], p[L.ROWS],
      );
      return;
    }
    case Program.AssignQ: {
      const [i0, i1] = rowRange(p, t);
      const sums = p[L.SUMS] === 0 ? 0 : p[L.SUMS] + c.actor * p[L.SUMS_STRIDE];
      const counts = p[L.SUMS] === 0 ? 0 : p[L.COUNTS] + c.actor * p[L.COUNTS_STRIDE];
      c.partial[c.actor * PARTIAL_SLOTS] += c.ex.assignSparseQ(
        p[L.X], p[L.D], i0, i1, p[L.QC], p[L.DP16], p[L.QE], p[L.L1], p[L.C64], p[L.CN64], p[L.K], p[L.XN],
        p[L.LABELS], p[L.DIST], sums, counts, p[L.SCRATCH] + c.actor * p[L.SCRATCH_STRIDE], p[L.ROWS], p[L.MASKS],
        p[L.NO_TOTAL], p[L.QI],
      );
      return;
    }
    case Program.AssignBounded: {
      const [i0, i1] = rowRange(p, t);
      c.partial[c.actor * PARTIAL_SLOTS] += c.ex.assignBounded(
        p[L.X], p[L.D], p[L.DP], i0, i1, p[L.CF], p[L.CN], p[L.KP], p[L.C64], p[L.CN64], p[L.K], p[L.XN],
        p[L.MARGIN], p[L.CN_MAX], p[L.LABELS], p[L.UPPER], p[L.LOWER], p[L.SHIFT], p[L.SHIFT_MAX1], p[L.SHIFT_MAX2],
        p[L.ARG_MAX], p[L.HALF], p[L.SUMS] + c.actor * p[L.SUMS_STRIDE], p[L.COUNTS] + c.actor * p[L.COUNTS_STRIDE],
        p[L.SCRATCH] + c.actor * p[L.SCRATCH_STRIDE], p[L.FIRST],
      );
      return;
    }
    case Program.AssignElkan: {
      const [i0, i1] = rowRange(p, t);
      c.partial[c.actor * PARTIAL_SLOTS] += c.ex.assignElkan(
        p[L.X], p[L.D], p[L.DP], i0, i1, p[L.CF], p[L.CN], p[L.KP], p[L.C64], p[L.CN64], p[L.K], p[L.XN],
        p[L.MARGIN], p[L.CN_MAX], p[L.LABELS], p[L.UPPER], p[L.LOWER], p[L.SHIFT], p[L.CC], p[L.HALF],
        p[L.SUMS] + c.actor * p[L.SUMS_STRIDE], p[L.COUNTS] + c.actor * p[L.COUNTS_STRIDE],
        p[L.SCRATCH] + c.actor * p[L.SCRATCH_STRIDE], p[L.FIRST], p[L.MASKS], p[L.QC], p[L.DP16], p[L.QE], p[L.L1],
        p[L.CUM], p[L.CUM_EPS],
      );
      return;
    }
    case Program.AssignYinyang: {
      const [i0, i1] = rowRange(p, t);
      c.partial[c.actor * PARTIAL_SLOTS] += c.ex.assignYinyang(
        p[L.X], p[L.D], p[L.DP], i0, i1, p[L.CF], p[L.CN], p[L.KP], p[L.C64], p[L.CN64], p[L.K], p[L.XN],
        p[L.MARGIN], p[L.CN_MAX], p[L.LABELS], p[L.UPPER], p[L.LOWER], p[L.SHIFT], p[L.CC], p[L.HALF],
        p[L.SUMS] + c.actor * p[L.SUMS_STRIDE], p[L.COUNTS] + c.actor * p[L.COUNTS_STRIDE],
        p[L.SCRATCH] + c.actor * p[L.SCRATCH_STRIDE], p[L.FIRST], p[L.MASKS], p[L.QC], p[L.DP16], p[L.QE], p[L.L1],
        p[L.CUM], p[L.CUM_EPS], p[Y.MEMBERS], p[Y.GSTART], p[Y.GROUP_OF], p[Y.T], p[Y.GSHIFT],
      );
      return;
    }
    case Program.GramU8: {
      // per-actor int32 Gram (OUT, stride SUMS_STRIDE), sums (SUMS, stride COUNTS_STRIDE), scratch
      const [i0, i1] = rowRange(p, t);
      c.ex.gramU8(p[L.X], p[L.D], i0, i1, p[L.OUT] + c.actor * p[L.SUMS_STRIDE], p[L.SUMS] + c.actor * p[L.COUNTS_STRIDE],
        p[L.SCRATCH] + c.actor * p[L.SCRATCH_STRIDE]);
      return;
    }
    case Program.FeatureSums: {
      const [i0, i1] = rowRange(p, t);
      c.ex.featureSumsU8(p[L.X], p[L.D], i0, i1, p[L.OUT] + c.actor * p[L.SUMS_STRIDE], p[L.SCRATCH] + c.actor * p[L.SCRATCH_STRIDE]);
      return;
    }
    case Program.Distances: {
      const [i0, i1] = rowRange(p, t);
      const out = p[L.OUT] + (i0 - p[L.START]) * p[L.K] * 8;
      // integer centers on uint8 rows with chunk masks: the sparse form (same values)
      if (p[L.MASKS] !== 0) {
        return c.ex.distancesSparse(p[L.X], p[L.D], i0, i1, p[L.CN64], p[L.K], p[L.XN], out, p[L.CI16], p[L.DP16], p[L.MASKS], p[L.ROWS]);
      }
      c.ex.distances(p[L.X], p[L.KIND], p[L.D], p[L.DP], i0, i1, p[L.C64], p[L.CN64], p[L.K], p[L.XN], out,
        p[L.CI16], p[L.DP16], p[L.SCRATCH] + c.actor * p[L.SCRATCH_STRIDE], p[L.ROWS]);
      return;
    }
    case Program.CenterPairs: {
      const [c0, c1] = rowRange(p, t);
      c.ex.centerPairs(p[L.C64], p[L.K], p[L.D], c0, c1, p[L.OUT]);
      return;
    }
    case Program.KppTrials: {
      const [i0, i1] = rowRange(p, t);
      c.ex.kppTrialsU8(p[L.X], p[L.D], i0, i1, p[L.CN64], p[L.K], p[L.XN], p[L.OUT] + (i0 - p[L.START]) * p[L.K] * 8,
        p[L.CI16], p[L.DP16], p[L.MASKS], p[L.CLOSEST], p[L.CAND], p[L.POTS] + c.actor * 64,
        p[L.SCRATCH] + c.actor * p[L.SCRATCH_STRIDE]);
      return;
    }
    case Program.KppBounded: {
      const [i0, i1] = rowRange(p, t);
      if (p[KB.PHASE] === 0) {
        c.ex.kppProjectU8(p[KB.X], p[KB.D], i0, i1, p[KB.MASKS], p[KB.B16], p[KB.DP16], p[KB.P], p[KB.SHIFT], p[KB.Q32], p[KB.ONES]);
      } else {
        c.ex.kppBoundedTrialsU8(p[KB.X], p[KB.D], i0, i1, p[KB.CN64], p[KB.T], p[KB.XN],
          p[KB.OUT] + (i0 - p[KB.START]) * p[KB.T] * 8, p[KB.CI16], p[KB.DP16], p[KB.MASKS], p[KB.CLOSEST], p[KB.CAND],
          p[KB.RED] + c.actor * 128, p[KB.Q16], p[KB.P], p[KB.THR], p[KB.SEL], p[KB.SCRATCH] + c.actor * p[KB.SCRATCH_STRIDE]);
      }
      return;
    }
    case Program.RowNorms: {
      const [i0, i1] = rowRange(p, t);
      c.ex.rowNorms(p[L.X], p[L.KIND], p[L.D], i0, i1, p[L.OUT]);
      return;
    }
    case Program.RowMasks: {
      const [i0, i1] = rowRange(p, t);
      // masks, ‖x‖₁ and (WasmStaging.stage's normsOut) ‖x‖² while the rows are in the cache
      c.ex.rowStageU8(p[L.X], p[L.D], i0, i1, p[L.MASKS], p[L.L1], p[L.OUT]);
      return;
    }
    case Program.Inertia: {
      const [i0, i1] = rowRange(p, t);
      const v = c.ex.labelledInertia(p[L.X], p[L.KIND], p[L.D], p[L.DP], i0, i1, p[L.C64], p[L.LABELS],
        p[L.SCRATCH] + c.actor * p[L.SCRATCH_STRIDE]);
      // OUT: each task's sum in its own slot, for a total in task order whichever thread ran which task
      if (p[L.OUT] !== 0) new Float64Array(c.memory.buffer, p[L.OUT] + t * 8, 1)[0] = v;
      else c.partial[c.actor * PARTIAL_SLOTS] += v;
      return;
    }
    case Program.KnnF32: {
      const i0 = p[N.START] + t * p[N.CHUNK];
      c.ex.knnF32(p[N.X], p[N.D], p[N.N], i0, Math.min(p[N.END], i0 + p[N.CHUNK]), p[N.K], p[N.SCREEN], p[N.BEST_D], p[N.BEST_I]);
      return;
    }
    case Program.ClusterSums: {
      const [i0, i1] = rowRange(p, t);
      c.ex.clusterSums(p[L.X], p[L.KIND], p[L.D], p[L.DP], i0, i1, p[L.LABELS], p[L.SUMS] + c.actor * p[L.SUMS_STRIDE],
        p[L.COUNTS] + c.actor * p[L.COUNTS_STRIDE], p[L.SCRATCH] + c.actor * p[L.SCRATCH_STRIDE]);
      return;
    }
    case Program.LabelledDistances: {
      const [i0, i1] = rowRange(p, t);
      c.ex.labelledDistances(p[L.X], p[L.KIND], p[L.D], p[L.DP], i0, i1, p[L.C64], p[L.LABELS], p[L.OUT],
        p[L.SCRATCH] + c.actor * p[L.SCRATCH_STRIDE]);
      return;
    }
    default:
      throw new Error(`unknown kernel program ${String(program)}`);
  }
}
