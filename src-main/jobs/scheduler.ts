/**
 * The job queue. Runs are executed in their own process (see launcher.ts), `concurrency` at a time
 * (default 1: each job uses every core), in the order they were queued. The scheduler owns the run
 * status transitions after `queued`: running → done (result persisted in one transaction) | failed
 * (worker error, crash, or kill) | cancelled.
 */
import type { JobProgress, QueueState, RunInfo } from '../../src-shared/api';
import type { Store } from '../store';
import type { Launcher, WorkerExit, WorkerHandle } from './launcher';
import type { FromWorker } from './protocol';

export interface SchedulerEvents {
  progress(p: JobProgress): void;
  /** A run changed status (or got its results). */
  runUpdated(run: RunInfo): void;
}

export interface SchedulerOptions {
  store: Store;
  /** The database file the workers open read-only. */
  dbPath: string;
  launcher: Launcher;
  events: SchedulerEvents;
  concurrency?: number;
}

interface Active {
  runId: number;
  worker: WorkerHandle;
  progress: JobProgress | null;
  /** Set when main decided the outcome (result saved, cancelled); the exit is then expected. */
  settled: boolean;
  exited: Promise<void>;
}

export class Scheduler {
  private readonly queue: number[] = [];
  private readonly active = new Map<number, Active>();
  private readonly concurrency: number;
  private closed = false;

  constructor(private readonly opts: SchedulerOptions) {
    this.concurrency = Math.max(1, opts.concurrency ?? 1);
  }

  /** Adds a queued run to the end of the queue. */
  enqueue(runId: number): void {
    if (this.closed || this.queue.includes(runId) || this.active.has(runId)) return;
    this.queue.push(runId);
    this.pump();
  }

  /**
   * Cancels a queued or running run: a running worker is killed at once. Returns false when the run is
   * neither queued nor running here. The run is `cancelled` when this returns.
   */
  cancel(runId: number): boolean {
    const q = this.queue.indexOf(runId);
    if (q >= 0) {
      this.queue.splice(q, 1);
      this.finish(runId, 'cancelled', null);
      return true;
    }
    const a = this.active.get(runId);
    if (!a) return false;
    a.settled = true;
    a.worker.kill();
    this.finish(runId, 'cancelled', null);
    return true;
  }

  /** Process id of the worker computing `runId` (diagnostics, tests). */
  workerPid(runId: number): number | undefined {
    return this.active.get(runId)?.worker.pid;
  }

  state(): QueueState {
    const runs = this.opts.store.runs;
    return {
      running: [...this.active.values()].map((a) => ({ run: runs.get(a.runId)!, progress: a.progress })).filter((r) => r.run),
      queued: this.queue.map((id) => runs.get(id)).filter((r): r is RunInfo => r !== null),
      concurrency: this.concurrency,
    };
  }

  /**
   * Kills every worker: running runs become `interrupted`. Queued runs stay `queued` in the store (the next
   * start queues them again).
   */
  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    const exits = [...this.active.values()].map((a) => {
      a.settled = true;
      a.worker.kill();
      if (this.opts.store.runs.markEnded(a.runId, 'interrupted', 'the app was closed while this run was computing')) this.emitRun(a.runId);
      return a.exited;
    });
    await Promise.all(exits);
  }

  private pump(): void {
    while (!this.closed && this.active.size < this.concurrency && this.queue.length > 0) {
      const runId = this.queue.shift()!;
      this.start(runId);
    }
  }

  private start(runId: number): void {
    const { store } = this.opts;
    const run = store.runs.get(runId);
    if (!run || run.status !== 'queued') return;
    store.runs.markRunning(runId);
    this.emitRun(runId);
    let worker: WorkerHandle;
    try {
      worker = this.opts.launcher.launch();
    } catch (e) {
      this.finish(runId, 'failed', `could not start the worker process: ${(e as Error).message}`);
      return;
    }
    let onExited!: () => void;
    const active: Active = { runId, worker, progress: null, settled: false, exited: new Promise((r) => (onExited = r)) };
    this.active.set(runId, active);
    worker.onMessage((m) => this.onMessage(active, m));
    worker.onExit((exit) => {
      this.onExit(active, exit);
      onExited();
    });
    worker.send({
      type: 'start',
      job: { runId, dbPath: this.opts.dbPath, datasetId: run.datasetId, params: run.params, preprocessing: run.preprocessing, silhouette: run.silhouette },
    });
  }

  private onMessage(a: Active, m: FromWorker): void {
    if (a.settled) return;
    switch (m.type) {
      case 'progress':
        if (m.progress.runId !== a.runId) return;
        a.progress = m.progress;
        this.opts.events.progress(m.progress);
        return;
      case 'result': {
        a.settled = true;
        let saved = false;
        let error: string | null = null;
        try {
          saved = this.opts.store.runs.saveResult(a.runId, m.outcome);
        } catch (e) {
          error = `could not save the result: ${(e as Error).message}`;
        }
        a.worker.kill();
        if (error) this.finish(a.runId, 'failed', error);
        else if (saved) this.emitRun(a.runId);
        this.release(a);
        return;
      }
      case 'error':
        a.settled = true;
        this.finish(a.runId, 'failed', m.name && m.name !== 'Error' ? `${m.name}: ${m.message}` : m.message);
        a.worker.kill();
        this.release(a);
        return;
    }
  }

  private onExit(a: Active, exit: WorkerExit): void {
    if (!a.settled) {
      a.settled = true;
      const how = exit.signal ? `was killed (${exit.signal})` : `exited with code ${exit.code}`;
      this.finish(a.runId, 'failed', `the worker process ${how} before finishing`);
    }
    this.release(a);
  }

  private release(a: Active): void {
    if (this.active.get(a.runId) === a) {
      this.active.delete(a.runId);
      this.pump();
    }
  }

  private finish(runId: number, status: 'failed' | 'cancelled', error: string | null): void {
    if (this.opts.store.runs.markEnded(runId, status, error)) this.emitRun(runId);
  }

  private emitRun(runId: number): void {
    const run = this.opts.store.runs.get(runId);
    if (run) this.opts.events.runUpdated(run);
  }
}
