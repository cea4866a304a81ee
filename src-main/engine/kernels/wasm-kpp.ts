/**
 * k-means++ steps on the WASM kernel for uint8 rows (kppTrialsU8 of assembly/kpp.ts): each step's candidates
 * against every row in one threaded pass over the chunks that are non-zero in both the row and a candidate, and
 * the candidates' potentials summed per thread. Every value is an exact integer (uint8 rows, data-row
 * candidates), so the sums equal the row-order sums of the generic path whatever the order; the preconditions
 * are in preconditions.ts (kppTrialsApply).
 */
import { kppTrialsApply } from './preconditions';
import { L, Program } from './programs';
import type { KppTrialArgs } from './types';
import { nTasks, MIN_THREADED_WORK_SPARSE, type WasmStaging } from './wasm-staging';

/** LloydKernel.kmeansPlusPlusTrials on the WASM kernel; null where its preconditions do not hold. */
export function kppTrials(st: WasmStaging, a: KppTrialArgs): Float64Array | null {
  const { data, d, rowNorms, centers, centerNorms, k: T, candidateRows, closest, out } = a;
  const n = rowNorms.length;
  if (!(data instanceof Uint8Array) || data.length !== n * d || st.options.sparse === false || !kppTrialsApply(n, d, T)) return null;
  for (let t = 0; t < T * d; t++) if (!(Number.isInteger(centers[t]) && centers[t] >= 0 && centers[t] <= 255)) return null;
  const s = st.stage(data, d);
  if (s.masks === 0) return null;
  const p = st.pool();
  const [, cn64] = st.stageCenters(centers, centerNorms, T, d);
  const dp16 = Math.ceil(d / 8) * 8;
  const kp = Math.ceil(T / 4) * 4;
  const ci16 = p.alloc('lloyd:ci16', kp * dp16 * 2 + 64);
  p.kernels.zeroBytes(ci16, kp * dp16 * 2);
  const c16 = new Int16Array(p.memory.buffer, ci16, kp * dp16);
  for (let t = 0; t < T; t++) for (let j = 0; j < d; j++) c16[t * dp16 + j] = centers[t * d + j];
  const cand = p.alloc('kpp:cand', T * 4 + 64);
  p.i32(cand, T).set(candidateRows.subarray(0, T));
  const cl = p.alloc('kpp:closest', n * 8 + 64);
  p.f64(cl, n).set(closest.subarray(0, n));
  const o = p.alloc('kpp:out', n * T * 8 + 64);
  const actors = p.threads + 1;
  const pots = p.alloc('kpp:pots', actors * 64 + 64);
  p.kernels.zeroBytes(pots, actors * 64);
  const [scr, scrStride] = st.scratch(64);
  const params = st.setCommon(s, d, 0, n);
  params[L.CN64] = cn64;
  params[L.K] = T;
  params[L.XN] = st.stageAllNorms(rowNorms, n);
  params[L.OUT] = o;
  params[L.CI16] = ci16;
  params[L.DP16] = dp16;
  params[L.MASKS] = s.masks;
  params[L.CLOSEST] = cl;
  params[L.CAND] = cand;
  params[L.POTS] = pots;
  params[L.SCRATCH] = scr;
  params[L.SCRATCH_STRIDE] = scrStride;
  p.runSync(Program.KppTrials, nTasks(0, n), st.threadsFor(n * T * d, MIN_THREADED_WORK_SPARSE));
  out.set(p.f64(o, n * T));
  const perActor = p.f64(pots, actors * 8);
  const total = new Float64Array(T);
  for (let actor = 0; actor < actors; actor++) for (let t = 0; t < T; t++) total[t] += perActor[actor * 8 + t];
  return total;
}
