/**
 * A pool of kernel threads (worker_threads) sharing one WebAssembly memory (a SharedArrayBuffer), sized by
 * os.availableParallelism(). Data is copied into the shared memory once; jobs are split into tasks (row
 * ranges or row blocks) that the threads take from a shared counter. Two ways to run a job:
 * - runSync: the calling thread takes tasks too and blocks until the job is done (for the synchronous
 *   LloydKernel interface, called from the job worker process);
 * - runAsync: only the pool threads work; the caller's event loop stays free, gets progress, and can cancel
 *   (an AbortSignal: threads stop at the next task boundary).
 * Threads are unref'ed, so an idle pool never keeps the process alive; close() stops them explicitly.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startEntryThread } from '../../entry-path';
import { C, CONTROL_LENGTH, INVITE, JOIN, JOINED, READY, readError, REVOKED, SLEEP, SPIN_MS, spinWhile, takeTasks, type ThreadInit } from './control';
import { PARAM_SLOTS, PARTIAL_SLOTS, runTask, type Program, type TaskContext } from './programs';
import { instantiate, kernelModule, MAX_PAGES, sharedMemory, type KernelExports } from './wasm';
import { CancelledError } from '../errors';
import { withNativeKernels } from './native';

const PAGE = 65536;
const ALIGN = 64;

export interface AsyncJobOptions {
  signal?: AbortSignal;
  /** Fraction of tasks done, 0 … 1 (weighted by `weights` when given), about every 100 ms and at the end. */
  onProgress?: (fraction: number) => void;
  /** Relative cost of each task, for the progress fraction (tasks are taken in index order). */
  weights?: ArrayLike<number>;
}

interface Region {
  offset: number;
  size: number;
}

export class KernelPool {
  /** Number of threads that compute in an async job (sync jobs: these minus one, plus the caller). */
  readonly threads: number;
  readonly memory: WebAssembly.Memory;
  private readonly module: WebAssembly.Module;
  private readonly ex: KernelExports;
  private readonly controlBuf = new SharedArrayBuffer(4 * CONTROL_LENGTH);
  private readonly control = new Int32Array(this.controlBuf);
  private readonly paramsBuf = new SharedArrayBuffer(8 * PARAM_SLOTS);
  /** The current job's parameters: write them, then run a job. */
  readonly params = new Float64Array(this.paramsBuf);
  private readonly partialBuf: SharedArrayBuffer;
  private readonly partial: Float64Array;
  private readonly errorText = new SharedArrayBuffer(4096);
  private readonly workers: Worker[] = [];
  private readonly startErrors: string[] = [];
  private readonly regions = new Map<string, Region>();
  private top = ALIGN;
  /** Arrays handed out by allocPinned, by identity, with their offsets; their regions are never reused. */
  private readonly pinned = new WeakMap<Uint8Array, number>();
  /** End of the last pinned region (reset keeps everything below it). */
  private pinnedTop = ALIGN;
  /** Highest end of any region so far: the memory above it has never been written (fresh pages are zero). */
  private highWater = ALIGN;
  private busy = false;
  private closed = false;

  /** Whether the native kernels replace their WASM exports where they can run (native.ts; default true). */
  readonly native: boolean;

  constructor(threads = availableParallelism(), options: { native?: boolean } = {}) {
    if (!(Number.isInteger(threads) && threads >= 1 && threads <= 255)) throw new RangeError(`threads must be 1…255, got ${threads}`);
    this.threads = threads;
    this.module = kernelModule();
    this.memory = sharedMemory(16);
    this.native = options.native ?? true;
    const wasm = instantiate(this.module, this.memory);
    this.ex = this.native ? withNativeKernels(wasm, this.memory) : wasm;
    this.partialBuf = new SharedArrayBuffer(8 * PARTIAL_SLOTS * (threads + 1));
    this.partial = new Float64Array(this.partialBuf);
    // an async job needs `threads` pool threads; a sync job uses threads − 1 of them plus the caller
    for (let i = 0; i < threads; i++) this.workers.push(this.spawn(i));
  }

  private spawn(index: number): Worker {
    const init: ThreadInit = {
      index,
      threads: this.threads,
      module: this.module,
      memory: this.memory,
      control: this.controlBuf,
      params: this.paramsBuf,
      partial: this.partialBuf,
      errorText: this.errorText,
      native: this.native,
    };
    const w = startEntryThread('kernel-thread', { workerData: init });
    w.on('online', () => Atomics.store(this.control, READY + index, 1));
    w.on('error', (e) => this.startErrors.push(String(e?.stack ?? e)));
    w.on('exit', () => Atomics.store(this.control, READY + index, 2));
    w.unref();
    return w;
  }

  /** Resolves once every thread has started (or failed to). */
  async ready(timeoutMs = 30_000): Promise<void> {
    const t0 = Date.now();
    for (;;) {
      let pending = 0;
      for (let i = 0; i < this.threads; i++) if (Atomics.load(this.control, READY + i) === 0) pending++;
      if (pending === 0) break;
      if (Date.now() - t0 > timeoutMs) throw new Error(`kernel threads did not start within ${timeoutMs} ms`);
      await new Promise<void>((r) => { setTimeout(r, 5); });
    }
    if (this.liveWorkers().length === 0) {
      throw new Error(`no kernel thread could start: ${this.startErrors.join('\n') || 'unknown error'}`);
    }
  }

  private liveWorkers(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.threads; i++) if (Atomics.load(this.control, READY + i) === 1) out.push(i);
    return out;
  }

  // ---- shared memory -------------------------------------------------------------------------------------

  /**
   * A region of the shared memory for `key`, at least `bytes` long, 64-byte aligned; its offset stays the same
   * while later requests for the same key fit. Regions of other keys are kept. Grows the memory as needed.
   */
  alloc(key: string, bytes: number): number {
    const r = this.regions.get(key);
    if (r !== undefined && r.size >= bytes) return r.offset;
    if (r !== undefined && r.offset + r.size === this.top) {
      // the last region grows in place
      this.ensure(r.offset + bytes);
      r.size = roundUp(bytes);
      this.top = r.offset + r.size;
      return r.offset;
    }
    const offset = this.top;
    this.ensure(offset + bytes);
    this.regions.set(key, { offset, size: roundUp(bytes) });
    this.top = offset + roundUp(bytes);
    this.highWater = Math.max(this.highWater, this.top);
    return offset;
  }

  /**
   * A zeroed byte array of `bytes` inside the shared memory, for a loader to fill in place: a dataset read
   * there is where the kernels read it, so no fit copies it (WasmStaging.stage finds it by pinnedOffset). 64-byte
   * aligned with 64 bytes after it that nothing else uses (vector loads may read past a row's end); its
   * region is never reused, also not after reset(), for as long as the pool lives.
   */
  allocPinned(bytes: number): Uint8Array {
    if (!(Number.isInteger(bytes) && bytes >= 0)) throw new RangeError(`allocPinned: bytes must be an integer ≥ 0, got ${bytes}`);
    const fresh = this.top >= this.highWater;
    const offset = this.alloc(`pinned:${this.top}`, bytes + 64);
    this.pinnedTop = this.top;
    const view = new Uint8Array(this.memory.buffer, offset, bytes);
    // memory never written before is zero already (filling it would only touch 55 MB of pages twice)
    if (!fresh) view.fill(0);
    this.pinned.set(view, offset);
    return view;
  }

  /** The offset of `data` in the shared memory when it is an array allocPinned returned (the same object), else null. */
  pinnedOffset(data: ArrayBufferView): number | null {
    return data instanceof Uint8Array ? (this.pinned.get(data) ?? null) : null;
  }

  /** Forgets every region above the last pinned one (their memory is reused by later allocations); pinned regions stay. */
  reset(): void {
    for (const [key, r] of this.regions) if (r.offset >= this.pinnedTop) this.regions.delete(key);
    this.top = this.pinnedTop;
  }

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const need = Math.ceil((end - have) / PAGE);
    const pages = have / PAGE;
    if (pages + need > MAX_PAGES) throw new RangeError(`kernel memory would exceed 4 GiB (${end} bytes)`);
    // grow generously: data sets are copied once and then reused
    this.memory.grow(Math.min(MAX_PAGES - pages, Math.max(need, Math.ceil(pages / 4))));
  }

  /** True while a job runs (a runAsync job lasts until it is awaited): another cannot start. */
  get isBusy(): boolean {
    return this.busy;
  }

  /** The shared memory as bytes (a fresh view: the memory may have grown). */
  bytes(): Uint8Array {
    return new Uint8Array(this.memory.buffer);
  }

  f64(offset: number, length: number): Float64Array {
    return new Float64Array(this.memory.buffer, offset, length);
  }

  i32(offset: number, length: number): Int32Array {
    return new Int32Array(this.memory.buffer, offset, length);
  }

  f32(offset: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, offset, length);
  }

  /** Kernels bound to the shared memory, for work on the calling thread. */
  get kernels(): KernelExports {
    return this.ex;
  }

  // ---- jobs --------------------------------------------------------------------------------------------

  /** Starts a job for the given pool threads; returns the generation. */
  private dispatch(program: Program, nTasks: number, participants: number[]): number {
    const c = this.control;
    if (this.busy) throw new Error('kernel pool is busy with another job');
    if (this.closed) throw new Error('kernel pool is closed');
    this.partial.fill(0);
    Atomics.store(c, C.NEXT, 0);
    Atomics.store(c, C.DONE, 0);
    Atomics.store(c, C.CANCEL, 0);
    Atomics.store(c, C.ERROR, 0);
    Atomics.store(c, C.N_TASKS, nTasks);
    Atomics.store(c, C.PROGRAM, program);
    Atomics.store(c, C.PAGES, this.memory.buffer.byteLength / 65536);
    Atomics.store(c, C.FINISHED, 0);
    const gen = (Atomics.load(c, C.GEN) + 1) | 0;
    // GEN first: a thread that sees its invitation checks that it is for the current job
    Atomics.store(c, C.GEN, gen);
    for (const i of participants) {
      Atomics.store(c, JOIN + i, 0);
      Atomics.store(c, INVITE + i, gen);
      // only a thread that sleeps is woken (a system call, slow on a VM: up to milliseconds); one still polling
      // after its last job sees the word change, and the threads left out of the job are not disturbed. A thread
      // that sets SLEEP after this read finds the word changed when it waits, and does not block.
      if (Atomics.load(c, SLEEP + i) !== 0) Atomics.notify(c, INVITE + i);
    }
    this.busy = true;
    return gen;
  }

  private finish(): Float64Array {
    this.busy = false;
    if (Atomics.load(this.control, C.ERROR) !== 0) throw new Error(`kernel thread failed: ${readError(this.errorText)}`);
    return this.partial;
  }

  /**
   * Runs `nTasks` tasks of `program` with the parameters in `params`, on the calling thread and up to
   * `maxThreads − 1` pool threads, and blocks until all are done. Returns the per-actor partial results
   * (8 float64 per actor; actor `threads` is the caller).
   */
  runSync(program: Program, nTasks: number, maxThreads = this.threads): Float64Array {
    const helpers = this.liveWorkers().slice(0, Math.max(0, Math.min(maxThreads, nTasks) - 1));
    const ctx: TaskContext = { ex: this.ex, memory: this.memory, params: this.params, partial: this.partial, actor: this.threads };
    if (helpers.length === 0) {
      // the calling thread alone: no job generation, so no thread is woken up for nothing
      if (this.busy) throw new Error('kernel pool is busy with another job');
      this.partial.fill(0);
      for (let t = 0; t < nTasks; t++) runTask(program, ctx, t);
      return this.partial;
    }
    this.dispatch(program, nTasks, helpers);
    try {
      takeTasks(this.control, program, ctx);
    } catch (e) {
      Atomics.store(this.control, C.CANCEL, 1);
      this.waitFinished(this.joinedOrRevoke(helpers));
      this.busy = false;
      throw e;
    }
    // every task is taken: a thread not yet started on the job (not scheduled, or still waking) is let go rather than
    // waited for, so a step never waits on a thread that does none of its work
    this.waitFinished(this.joinedOrRevoke(helpers));
    return this.finish();
  }

  /** The helpers that have joined the job; the others are revoked (they will take no part in it). */
  private joinedOrRevoke(helpers: number[]): number[] {
    const joined = helpers.filter((i) => Atomics.compareExchange(this.control, JOIN + i, 0, REVOKED) === JOINED);
    this.helperStats.invited += helpers.length;
    this.helperStats.joined += joined.length;
    for (const i of helpers) if (Atomics.load(this.control, JOIN + i) === REVOKED) this.helperStats.revoked++;
    return joined;
  }

  /** Pool threads invited to synchronous jobs so far, how many joined them and how many were let go (for tests and benchmarks). */
  get syncHelperStats(): { invited: number; joined: number; revoked: number } {
    return { ...this.helperStats };
  }
  private readonly helperStats = { invited: 0, joined: 0, revoked: 0 };

  /** Blocks until the given threads (all joined) have finished the job; throws if one of them has died meanwhile. */
  private waitFinished(helpers: number[]): void {
    for (let round = 0; ; round++) {
      const f = Atomics.load(this.control, C.FINISHED);
      if (f >= helpers.length) return;
      if (round === 0) {
        spinWhile(this.control, C.FINISHED, f, SPIN_MS);
        continue;
      }
      if (Atomics.wait(this.control, C.FINISHED, f, 1000) === 'timed-out' && helpers.some((i) => Atomics.load(this.control, READY + i) !== 1)) {
        this.busy = false;
        throw new Error('a kernel thread exited during a job');
      }
    }
  }

  /** Like runSync but only pool threads compute; the caller awaits, gets progress and may cancel. */
  async runAsync(program: Program, nTasks: number, opts: AsyncJobOptions = {}): Promise<Float64Array> {
    await this.ready();
    opts.signal?.throwIfAborted();
    const workers = this.liveWorkers();
    this.dispatch(program, nTasks, workers);
    const cum = cumulative(opts.weights, nTasks);
    // waitAsync does not keep the event loop alive: hold the threads referenced while the job runs
    for (const w of this.workers) w.ref();
    const onAbort = (): void => {
      Atomics.store(this.control, C.CANCEL, 1);
    };
    opts.signal?.addEventListener('abort', onAbort);
    let lastReport = 0;
    try {
      for (;;) {
        const f = Atomics.load(this.control, C.FINISHED);
        if (f >= workers.length) break;
        const wait = (Atomics as unknown as { waitAsync?: AtomicsWaitAsync }).waitAsync;
        if (wait !== undefined) {
          const r = wait(this.control, C.FINISHED, f, 100);
          if (r.async) await r.value;
        } else {
          await new Promise<void>((res) => { setTimeout(res, 10); });
        }
        if (opts.onProgress !== undefined && Date.now() - lastReport >= 100) {
          lastReport = Date.now();
          const done = Math.min(nTasks, Atomics.load(this.control, C.DONE));
          opts.onProgress(cum[done] / cum[nTasks]);
        }
      }
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
      for (const w of this.workers) w.unref();
    }
    if (Atomics.load(this.control, C.CANCEL) !== 0 && Atomics.load(this.control, C.DONE) < nTasks) {
      this.busy = false;
      throw opts.signal?.reason instanceof Error ? opts.signal.reason : new CancelledError();
    }
    const out = this.finish();
    opts.onProgress?.(1);
    return out;
  }

  /** Stops the threads; the pool cannot be used afterwards. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.control, C.STOP, 1);
    // every thread's word changes (to no job's generation), so that each wakes, sees STOP and ends
    for (let i = 0; i < this.threads; i++) {
      Atomics.sub(this.control, INVITE + i, 1);
      Atomics.notify(this.control, INVITE + i);
    }
    await Promise.all(this.workers.map((w) => w.terminate()));
    if (sharedPool === this) sharedPool = null;
  }
}

type AtomicsWaitAsync = (
  a: Int32Array,
  index: number,
  value: number,
  timeout?: number,
) => { async: false; value: string } | { async: true; value: Promise<string> };

function roundUp(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

function cumulative(weights: ArrayLike<number> | undefined, n: number): Float64Array {
  const cum = new Float64Array(n + 1);
  for (let t = 0; t < n; t++) cum[t + 1] = cum[t] + (weights ? weights[t] : 1);
  if (cum[n] === 0) cum[n] = 1;
  return cum;
}

let sharedPool: KernelPool | null = null;

/** The process-wide pool (created on first use with os.availableParallelism() threads). */
export function sharedKernelPool(): KernelPool {
  sharedPool ??= new KernelPool();
  return sharedPool;
}
