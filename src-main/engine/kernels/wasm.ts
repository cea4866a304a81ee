/**
 * Loads the compiled WASM SIMD kernels (src-main/engine/kernels/assembly → build/kernels.wasm).
 * From the bundle the module is read from out/main/kernels/kernels.wasm (emitted by the Vite plugin in
 * scripts/build-kernels.mjs); from TypeScript sources it is built first when missing or stale.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { bundleDir } from '../../entry-path';

/** Exports of kernels.wasm; pointers are byte offsets into the shared memory, see assembly/*.ts. */
export interface KernelExports {
  centerPairs(c64: number, k: number, d: number, c0: number, c1: number, out: number): void;
  silI16(x: number, dp: number, norms: number, masks: number, sums: number, k: number, col: number,
    i0: number, i1: number, cI: number, j0: number, j1: number, cJ: number, diag: number): void;
  silF32(x: number, dp: number, sums: number, k: number, col: number,
    i0: number, i1: number, cI: number, j0: number, j1: number, cJ: number, diag: number): void;
  assign(x: number, kind: number, d: number, dp: number, i0: number, i1: number, cf: number, cn: number, kp: number,
    c64: number, cn64: number, k: number, xn: number, margin: number, cnMax: number,
    labels: number, dist: number, sums: number, counts: number, scratch: number, upper: number, lower: number, rows: number): number;
  distancesSparse(x: number, d: number, i0: number, i1: number, cn64: number, k: number, xn: number, out: number,
    ci16: number, dp16: number, masks: number, rows: number): void;
  assignSparse(x: number, d: number, dp: number, i0: number, i1: number, cf: number, cn: number, kp: number,
    c64: number, cn64: number, k: number, xn: number, margin: number, cnMax: number,
    labels: number, dist: number, sums: number, counts: number, scratch: number, upper: number, lower: number,
    rows: number, masks: number, noTotal: number): number;
  assignSparseQ(x: number, d: number, i0: number, i1: number, qc: number, dp16: number, qe: number, l1: number,
    c64: number, cn64: number, k: number, xn: number, labels: number, dist: number, sums: number, counts: number,
    scratch: number, rows: number, masks: number, noTotal: number, qi?: number): number;
  assignSparseQScratch(d: number, k: number): number;
  assignBounded(x: number, d: number, dp: number, i0: number, i1: number, cf: number, cn: number, kp: number,
    c64: number, cn64: number, k: number, xn: number, margin: number, cnMax: number, labels: number, upper: number,
    lower: number, shift: number, shiftMax1: number, shiftMax2: number, argMax: number, half: number, dsums: number,
    dcounts: number, scratch: number, first: number): number;
  assignElkan(x: number, d: number, dp: number, i0: number, i1: number, cf: number, cn: number, kp: number,
    c64: number, cn64: number, k: number, xn: number, margin: number, cnMax: number, labels: number, upper: number,
    lower: number, shift: number, cc: number, half: number, dsums: number, dcounts: number, scratch: number,
    first: number, masks: number, qc: number, dp16: number, qe: number, l1: number, cum: number, cumEps: number): number;
  assignYinyang(x: number, d: number, dp: number, i0: number, i1: number, cf: number, cn: number, kp: number,
    c64: number, cn64: number, k: number, xn: number, margin: number, cnMax: number, labels: number, upper: number,
    lower: number, shift: number, cc: number, half: number, dsums: number, dcounts: number, scratch: number,
    first: number, masks: number, qc: number, dp16: number, qe: number, l1: number, cum: number, cumEps: number,
    members: number, gstart: number, groupOf: number, t: number, gshift: number): number;
  rowSumsU8(x: number, d: number, i0: number, i1: number, out: number): void;
  zeroBytes(p: number, n: number): void;
  featureSumsU8(x: number, d: number, i0: number, i1: number, out: number, scratch: number): void;
  gramU8(x: number, d: number, i0: number, i1: number, g: number, sums: number, scratch: number): void;
  rowMasksU8(x: number, d: number, i0: number, i1: number, masks: number): void;
  /** rowMasksU8, rowSumsU8 (l1 ≠ 0) and rowNorms (out ≠ 0) of uint8 rows [i0, i1): the staging of the sparse kernels. */
  rowStageU8(x: number, d: number, i0: number, i1: number, masks: number, l1: number, out: number): void;
  kppTrialsU8(x: number, d: number, i0: number, i1: number, cn64: number, T: number, xn: number, out: number,
    ci16: number, dp16: number, masks: number, closest: number, cand: number, pots: number, scratch: number): void;
  kppProjectU8(x: number, d: number, i0: number, i1: number, masks: number, b16: number, dp16: number, P: number,
    shift: number, q32: number, ones: number): void;
  kppBoundedTrialsU8(x: number, d: number, i0: number, i1: number, cn64: number, T: number, xn: number, out: number,
    ci16: number, dp16: number, masks: number, closest: number, cand: number, red: number, q16: number, P: number,
    thr: number, sel: number, scratch: number): void;
  /** rng.ts randInts(n, m) on the 624 state words at key from position pos, into out (int32); returns the new position. */
  mtRandInts(key: number, pos: number, n: number, m: number, out: number): number;
  /** closest[i] = out[(i − i0)·T + best] for rows [i0, i1) (best ≥ 0), then cum = their running sums in row order. */
  kppCommit(i0: number, i1: number, best: number, T: number, out: number, closest: number, cum: number): void;
  kppBoundedCommit(i0: number, i1: number, all: number, best: number, T: number, out: number, sel: number,
    closest: number, thr: number, sqrtP: number, a: number, cum: number): void;
  basisGershgorin(b16: number, P: number, dp16: number): number;
  kppBasisU8(x: number, d: number, rows: number, count: number, P: number, iterations: number, Q: number, mean: number,
    Qt: number, W: number, two: number): void;
  kppColumnRange(q32: number, P: number, i0: number, i1: number, lo: number, hi: number): void;
  centersI16(c64: number, k: number, d: number, dp16: number, ci16: number): number;
  centerShifts(c64: number, prev: number, k: number, d: number, relErr: number, shift: number): void;
  mergeActorSums(sums: number, sumsStride: number, counts: number, countsStride: number, actors: number, k: number, d: number,
    dp: number, keptSums: number, keptCounts: number): void;
  sumsInertia(total: number, c64: number, cn64: number, keptSums: number, keptCounts: number, k: number, d: number): number;
  miniBatchUpdate(sums: number, sumsStride: number, counts: number, countsStride: number, actors: number, k: number, d: number,
    dp: number, cur: number, cn64: number, run: number, next: number, norms: number, total: number, out: number): number;
  centersF32(c64: number, k: number, d: number, dp: number, cf: number): void;
  halfDistances(cc: number, shift: number, k: number, exact: number, relErr: number, half: number): number;
  /** qi (native kernels only; WASM has five parameters and ignores it): where to lay the int16 centers out for assignSparseQ. */
  quantizeCenters(c64: number, k: number, d: number, dp16: number, qc: number, qe: number, qi?: number): number;
  kppOffsetQ16(q32: number, P: number, i0: number, i1: number, mid: number, q16: number): void;
  distances(x: number, kind: number, d: number, dp: number, i0: number, i1: number, c64: number, cn64: number, k: number,
    xn: number, out: number, ci16: number, dp16: number, scratch: number, rows: number): void;
  knnF32(p: number, d: number, n: number, g0: number, g1: number, k: number, screen: number, bestD: number, bestI: number): void;
  rowNorms(x: number, kind: number, d: number, i0: number, i1: number, out: number): void;
  labelledInertia(x: number, kind: number, d: number, dp: number, i0: number, i1: number, c64: number, labels: number,
    scratch: number): number;
  clusterSums(x: number, kind: number, d: number, dp: number, i0: number, i1: number, labels: number, sums: number, counts: number,
    scratch: number): void;
  labelledDistances(x: number, kind: number, d: number, dp: number, i0: number, i1: number, c64: number, labels: number, out: number,
    scratch: number): void;
}

/** Page count the module declares as maximum (4 GiB); the shared memory must not exceed it. */
export const MAX_PAGES = 65536;

let cached: WebAssembly.Module | null = null;

function sourceWasmPath(): string {
  // this file is src-main/engine/kernels/wasm.ts when running from sources
  const here = typeof __dirname === 'string' ? __dirname : dirname(new URL(import.meta.url).pathname);
  return join(here, 'build', 'kernels.wasm');
}

function ensureBuiltFromSource(wasm: string): void {
  const asm = join(dirname(wasm), '..', 'assembly');
  const root = join(dirname(wasm), '..', '..', '..', '..');
  const script = join(root, 'scripts', 'build-kernels.mjs');
  let stale = !existsSync(wasm);
  if (!stale) {
    const t = statSync(wasm).mtimeMs;
    stale = readdirSync(asm).some((f) => f.endsWith('.ts') && statSync(join(asm, f)).mtimeMs > t);
  }
  if (!stale || !existsSync(script)) return;
  const r = spawnSync(process.execPath, [script], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building the WASM kernels failed:\n${r.stdout}${r.stderr}`);
}

/** Path of kernels.wasm for the code running now. */
export function wasmPath(): string {
  const out = bundleDir();
  if (out !== null) return join(out, 'kernels', 'kernels.wasm');
  const p = sourceWasmPath();
  ensureBuiltFromSource(p);
  return p;
}

/**
 * V8 compiles a WASM function with Liftoff (its baseline compiler) on its first call and only later, once it has
 * run for a while, with TurboFan; a kernel called once over all the rows (row norms, chunk masks) stays in
 * Liftoff code to the end, two to four times slower on these SIMD loops (chunk masks, ‖x‖₁ and row norms of
 * MNIST: 88 ms of CPU with Liftoff, 35 ms with TurboFan). So the kernels are compiled with TurboFan directly
 * (still lazily, each function on its first call: a few ms each). The flag is process-wide (the kernel threads
 * share it) and read when a function is compiled; these kernels are the only WASM the app runs.
 */
function preferOptimizingCompiler(): void {
  setFlagsFromString('--no-liftoff');
}

/** The compiled module (compiled once per thread; a Module can be posted to worker threads). */
export function kernelModule(): WebAssembly.Module {
  if (cached === null) {
    const p = wasmPath();
    if (!existsSync(p)) throw new Error(`WASM kernels not found at ${p}; run "npm run build"`);
    preferOptimizingCompiler();
    cached = new WebAssembly.Module(readFileSync(p));
  }
  return cached;
}

/** A shared memory the kernels can run on (SharedArrayBuffer-backed), of `pages` × 64 KiB. */
export function sharedMemory(pages: number): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: pages, maximum: MAX_PAGES, shared: true });
}

/**
 * Each kernel a K-means fit and its metrics call, on an empty row range (i0 = i1 = 0, no centers, no candidates): no
 * loop runs and nothing is read or written (kernels whose set-up writes scratch before their row loop, such as
 * kppBoundedTrialsU8's mask union, are left out). In the order a fit on uint8 rows first calls them: staging (chunk
 * masks, ‖x‖₁, norms), the tolerance's feature sums, k-means++, Elkan's first pass and iterations (with their k × d work on the
 * centers, assembly/centers.ts; halfDistances writes half[k] and is left out), the inertia, then the float forms and
 * the label-free indices.
 */
const PRECOMPILE: ((ex: KernelExports) => void)[] = [
  (ex) => ex.rowStageU8(0, 4, 0, 0, 0, 0, 0),
  // (the mini-batch steps' rows; pos 0, no draws: the state is not read)
  (ex) => ex.mtRandInts(0, 0, 2, 0, 0),
  (ex) => ex.rowMasksU8(0, 4, 0, 0, 0),
  (ex) => ex.rowSumsU8(0, 4, 0, 0, 0),
  (ex) => ex.rowNorms(0, 0, 4, 0, 0, 0),
  (ex) => ex.featureSumsU8(0, 4, 0, 0, 0, 0),
  (ex) => ex.centersI16(0, 0, 4, 8, 0),
  (ex) => ex.distancesSparse(0, 4, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0),
  (ex) => ex.kppTrialsU8(0, 4, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0),
  (ex) => ex.kppCommit(0, 0, -1, 1, 0, 0, 0),
  (ex) => ex.basisGershgorin(0, 0, 8),
  // the projection bounds' set-up (from k = 41), on d = 0 and no rows
  (ex) => ex.kppBasisU8(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
  (ex) => ex.kppProjectU8(0, 4, 0, 0, 0, 0, 8, 0, 0, 0, 0),
  (ex) => ex.kppColumnRange(0, 0, 0, 0, 0, 0),
  (ex) => ex.kppOffsetQ16(0, 0, 0, 0, 0, 0),
  (ex) => ex.kppBoundedCommit(0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0),
  (ex) => ex.centersF32(0, 0, 4, 4, 0),
  (ex) => ex.assignSparse(0, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
  (ex) => ex.assignSparseQ(0, 4, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
  (ex) => ex.mergeActorSums(0, 0, 0, 0, 0, 0, 4, 4, 0, 0),
  (ex) => ex.sumsInertia(0, 0, 0, 0, 0, 0, 4),
  (ex) => ex.miniBatchUpdate(0, 0, 0, 0, 0, 0, 4, 4, 0, 0, 0, 0, 0, 0, 0),
  (ex) => ex.centerPairs(0, 0, 4, 0, 0, 0),
  (ex) => ex.centerShifts(0, 0, 0, 4, 0, 0),
  (ex) => ex.quantizeCenters(0, 0, 4, 8, 0, 0),
  (ex) => ex.assignElkan(0, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
  (ex) => ex.labelledInertia(0, 0, 4, 4, 0, 0, 0, 0, 0),
  (ex) => ex.assign(0, 0, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
  (ex) => ex.distances(0, 0, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0),
  (ex) => ex.assignBounded(0, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
  (ex) => ex.clusterSums(0, 0, 4, 4, 0, 0, 0, 0, 0, 0),
  (ex) => ex.labelledDistances(0, 0, 4, 4, 0, 0, 0, 0, 0, 0),
];

/**
 * Compiles the kernels a fit calls (V8 compiles each function on its first call, see preferOptimizingCompiler) by
 * calling each on an empty row range (PRECOMPILE). The compiled code belongs to the module, which every kernel
 * thread shares, so the threads split the list (thread `part` of `parts` compiles every parts-th kernel, in the
 * order a fit needs them) and do it at their start, while the dataset loads: a fresh process's first fit finds
 * them compiled (about 40 ms of CPU with TurboFan, half as long on each of two threads).
 */
export function precompileKernels(ex: KernelExports, part = 0, parts = 1): void {
  if (!(Number.isInteger(parts) && parts >= 1 && Number.isInteger(part) && part >= 0 && part < parts)) {
    throw new RangeError(`precompileKernels: part must be 0 … parts − 1, got ${part} of ${parts}`);
  }
  for (let i = part; i < PRECOMPILE.length; i += parts) PRECOMPILE[i](ex);
}

/** How many kernels precompileKernels compiles in all (for tests). */
export const PRECOMPILED_KERNELS = PRECOMPILE.length;

export function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): KernelExports {
  const instance = new WebAssembly.Instance(module, {
    env: {
      memory,
      abort(): never {
        throw new Error('WASM kernel aborted');
      },
    },
  });
  return instance.exports as unknown as KernelExports;
}
