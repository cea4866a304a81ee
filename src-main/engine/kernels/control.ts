/**
 * The shared control block of a kernel pool and the loop each kernel thread runs.
 * Threads block in Atomics.wait until a job invites them, take task indices from a shared counter,
 * check the cancel flag between tasks, and count themselves finished; no messages on the hot path.
 */
import { PARAM_SLOTS, PARTIAL_SLOTS, runTask, type Program, type TaskContext } from './programs';
import { instantiate, precompileKernels } from './wasm';
import { withNativeKernels } from './native';

/** Int32 slots of the control block. */
export const C = {
  GEN: 0, STOP: 1, NEXT: 2, DONE: 3, CANCEL: 4, N_TASKS: 5, PROGRAM: 6, FINISHED: 8, ERROR: 9,
  /** The shared memory's size in 64 KiB pages when the job started (as the pool's thread saw it). */
  PAGES: 7,
} as const;
export const CONTROL_SLOTS = 16;
/**
 * Slots after the control words: INVITE + i = the generation thread i takes part in (thread i waits on this word, so
 * that a job wakes only the threads it invites); READY + i = 1 once started.
 */
export const INVITE = CONTROL_SLOTS;
export const READY = CONTROL_SLOTS + 256;
/** SLEEP + i: 1 while thread i is (about to be) blocked in Atomics.wait; a job notifies only such threads. */
export const SLEEP = CONTROL_SLOTS + 768;
/**
 * JOIN + i: thread i's part in the current job: 0 invited, JOINED once it has taken part (it then counts in
 * FINISHED), REVOKED when a synchronous caller, its tasks all taken, went on without it. Thread and caller change it
 * with compareExchange from 0, so exactly one of them decides: a thread never touches a job it was revoked from.
 */
export const JOIN = CONTROL_SLOTS + 512;
export const JOINED = 1;
export const REVOKED = -1;
export const CONTROL_LENGTH = CONTROL_SLOTS + 1024;

/** What a kernel thread is started with (workerData). */
export interface ThreadInit {
  index: number;
  /** Number of threads in the pool (they split the kernels' precompilation). */
  threads: number;
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  params: SharedArrayBuffer;
  partial: SharedArrayBuffer;
  /** UTF-8 text of the first error, NUL-padded. */
  errorText: SharedArrayBuffer;
  /** Whether the native kernels replace their WASM exports where they can run (native.ts). */
  native: boolean;
}

/** Records the first error of a job in the shared error buffer (the flag is set by the caller). */
export function writeError(buf: SharedArrayBuffer, message: string): void {
  const bytes = new TextEncoder().encode(message).subarray(0, buf.byteLength - 1);
  const view = new Uint8Array(buf);
  view.fill(0);
  view.set(bytes);
}

export function readError(buf: SharedArrayBuffer): string {
  const view = new Uint8Array(buf);
  let end = view.indexOf(0);
  if (end < 0) end = view.length;
  return new TextDecoder().decode(view.slice(0, end));
}

/** Takes tasks until none are left or the job is cancelled. Returns the number of tasks run. */
export function takeTasks(control: Int32Array, program: Program, ctx: TaskContext): number {
  const nTasks = Atomics.load(control, C.N_TASKS);
  let ran = 0;
  for (;;) {
    if (Atomics.load(control, C.CANCEL) !== 0 || Atomics.load(control, C.ERROR) !== 0) break;
    const t = Atomics.add(control, C.NEXT, 1);
    if (t >= nTasks) break;
    runTask(program, ctx, t);
    ran++;
    Atomics.add(control, C.DONE, 1);
  }
  return ran;
}

/**
 * Jobs often come in quick succession (a mini-batch step every few hundred µs, a Lloyd iteration every few ms), and
 * waking a thread blocked in Atomics.wait can take longer than a step on a virtual machine. So a thread (and the
 * caller waiting for its threads) first polls for this long before it blocks.
 */
export const SPIN_MS = 0.5;

/** Polls until control[index] ≠ value or ms have passed. */
export function spinWhile(control: Int32Array, index: number, value: number, ms: number): void {
  const t0 = performance.now();
  // the clock every 64 polls: performance.now() costs more than a poll, and before V8 optimizes this loop each call
  // leaves a heap number behind (a thread spinning between a fit's steps filled its young generation every ~30 ms)
  for (let i = 1; Atomics.load(control, index) === value; i++) {
    if ((i & 63) === 0 && performance.now() - t0 > ms) return;
  }
}

/** Body of a kernel thread: serves jobs until STOP. */
export function threadLoop(init: ThreadInit): void {
  const control = new Int32Array(init.control);
  const wasm = instantiate(init.module, init.memory);
  const ex = init.native ? withNativeKernels(wasm, init.memory, () => Atomics.load(control, C.PAGES) * 65536) : wasm;
  const ctx: TaskContext = {
    ex,
    memory: init.memory,
    params: new Float64Array(init.params, 0, PARAM_SLOTS),
    partial: new Float64Array(init.partial),
    actor: init.index,
  };
  // the threads compile the fit's kernels, each its share, while the caller is still loading its data (a job
  // dispatched meanwhile is not missed: GEN has moved on from 0 and the wait below returns at once)
  precompileKernels(wasm, init.index, init.threads);
  const invite = INVITE + init.index;
  // the last invitation seen (a job's generation)
  let seen = 0;
  // poll only after a job this thread took part in (a thread left out must not take a core from those working)
  let worked = false;
  for (;;) {
    if (worked) spinWhile(control, invite, seen, SPIN_MS);
    worked = false;
    // (SLEEP is set before the wait reads the word: a job that finds it 0 has already changed the word, see dispatch)
    Atomics.store(control, SLEEP + init.index, 1);
    Atomics.wait(control, invite, seen);
    Atomics.store(control, SLEEP + init.index, 0);
    seen = Atomics.load(control, invite);
    if (Atomics.load(control, C.STOP) !== 0) break;
    // invited to the current job (GEN is set before the invitations), and not revoked by a caller that went on
    // without this thread (which then takes no part at all)
    if (Atomics.load(control, C.GEN) === seen && Atomics.compareExchange(control, JOIN + init.index, 0, JOINED) === 0) {
      try {
        takeTasks(control, Atomics.load(control, C.PROGRAM) as Program, ctx);
      } catch (e) {
        if (Atomics.compareExchange(control, C.ERROR, 0, 1) === 0) {
          writeError(init.errorText, e instanceof Error ? (e.stack ?? e.message) : String(e));
        }
      }
      Atomics.add(control, C.FINISHED, 1);
      Atomics.notify(control, C.FINISHED);
      worked = true;
    }
  }
}

export { PARTIAL_SLOTS };
