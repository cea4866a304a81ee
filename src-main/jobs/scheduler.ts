/**
 * The job queue. Runs are executed in their own process (see launcher.ts), `concurrency` at a time
 * (default 1: each job uses every core), in the order they were queued. The scheduler owns the run
 * status transitions after `queued`: running → done (result persisted in one transaction) | failed
 * (worker error, crash, kill, or a worker that stopped responding) | cancelled.
 *
 * Main never dies of one job: every database write here is guarded. A finished result that cannot be written
 * now (the database is locked by another connection, the disk is full) is kept in memory and written when
 * the database allows; meanwhile the run's event says why it waits. A run that cannot be marked running
 * stays at the head of the queue until it can. A worker that sends nothing (no heartbeat, no progress) for
 * `watchdogMs` is killed and its run marked failed.
 *
 * A run is `done` as soon as its result is saved; its silhouette follows from the same worker (a `silhouette`
 * message) and is stored into the saved run. Until then the job keeps its slot (the next queued run starts after
 * the silhouette), stays in the queue's `running` list in phase 'silhouette', and is watched as before. If the
 * silhouette does not come (the worker fails, dies or hangs, the run is cancelled, the app closes), the run stays
 * `done` and only its silhouette becomes 'failed', with the reason.
 *
 * A done run's silhouette can also be computed afterwards (`enqueueSilhouette`): a job of its own in the same queue
 * and slot, watched, cancelled and failed like the silhouette that follows a result (it only ever touches the
 * silhouette, never the run's status or result).
 */
import type { JobProgress, QueueState, RunInfo } from '../../src-shared/api';
import type { Store } from '../store';
import { describeDbError, isTransientDbError } from '../store/errors';
import type { RunOutcome } from '../store/runs-repo';
import type { SilhouetteResult } from '../../src-shared/model';
import { describeExit, type Launcher, type WorkerExit, type WorkerHandle } from './launcher';
import { silhouetteSpec, type FromWorker, type ToWorker } from './protocol';
import { spillResult } from './result-spill';
import { validSilhouetteEstimate } from '../../src-shared/schema';

/**
 * Default silence after which a worker counts as hung (killed within 1.2 × this, so under 30 s);
 * `KMEANS_WATCHDOG_MS` overrides it (the fault tests use 2.5 s).
 */
export const DEFAULT_WATCHDOG_MS = 25_000;
/** A worker gets this long (at least) to load and send its first message. */
const STARTUP_GRACE_MS = 30_000;
/** First wait before a failed database write is tried again; doubles up to RETRY_MAX_MS. */
const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 4_000;

/** The watchdog timeout from the environment (positive integer ms), else the default. */
export function watchdogMsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.KMEANS_WATCHDOG_MS);
  return Number.isInteger(v) && v > 0 ? v : DEFAULT_WATCHDOG_MS;
}

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
  /** Kill a worker silent for this long; default {@link watchdogMsFromEnv}. */
  watchdogMs?: number;
  /** The data folder: results still waiting for the database at close are kept under it (result-spill.ts). */
  spillDir?: string;
}

/** A write that failed for a reason that may clear (locked, disk full); tried again until it succeeds. */
interface PendingWrite {
  /** Throws when the database still refuses; returns whether the run changed. */
  write(): boolean;
  /** What the user sees on the run while it waits. */
  waiting: string;
  /** Called when the write fails for a reason that will not pass. */
  onPermanent(e: unknown): void;
  /** The result this write saves (kept in a file if the app closes before it is written). */
  outcome?: RunOutcome;
}

interface Active {
  runId: number;
  worker: WorkerHandle;
  progress: JobProgress | null;
  /** Set when main decided the outcome (result saved, cancelled); the exit is then expected. */
  settled: boolean;
  exited: Promise<void>;
  watchdog: NodeJS.Timeout | null;
  /** Date.now() of the last message (or of the launch). */
  lastHeard: number;
  /** The worker has sent anything at all (the start-up grace is over). */
  alive: boolean;
  /** The saved result, while its silhouette is computed (the run is `done`); null before the result. */
  outcome: RunOutcome | null;
  /** A silhouette job: the run was done before it started, and only its silhouette is computed. */
  silhouetteOnly: boolean;
}

/** The job is past the run's result: what fails now is only its silhouette. */
const afterDone = (a: Active): boolean => a.outcome !== null || a.silhouetteOnly;

export class Scheduler {
  private readonly queue: number[] = [];
  /** Queued run ids whose job is a done run's silhouette (enqueueSilhouette), not a fit. */
  private readonly silhouetteJobs = new Set<number>();
  private readonly active = new Map<number, Active>();
  private readonly concurrency: number;
  private readonly watchdogMs: number;
  /** Writes waiting for the database, by run id (at most one per run: its result, or its end). */
  private readonly pending = new Map<number, PendingWrite>();
  private retryTimer: NodeJS.Timeout | null = null;
  private retryMs = RETRY_FIRST_MS;
  private closed = false;

  constructor(private readonly opts: SchedulerOptions) {
    this.concurrency = Math.max(1, opts.concurrency ?? 1);
    this.watchdogMs = opts.watchdogMs ?? watchdogMsFromEnv();
  }

  /** Adds a queued run to the end of the queue. */
  enqueue(runId: number): void {
    if (this.closed || this.queue.includes(runId) || this.active.has(runId)) return;
    this.queue.push(runId);
    this.pump();
  }

  /**
   * Queues the silhouette of a done run whose silhouette the store holds as 'pending' (restartSilhouette), behind the
   * queued runs. False when it is queued or running already, or the scheduler is closed.
   */
  enqueueSilhouette(runId: number): boolean {
    if (this.closed || this.queue.includes(runId) || this.active.has(runId)) return false;
    this.silhouetteJobs.add(runId);
    this.queue.push(runId);
    this.pump();
    return true;
  }

  /**
   * Cancels a queued or running run: a running worker is killed at once. Returns false when the run is
   * neither queued nor running here. The run is `cancelled` when this returns, except a `done` run computing its
   * silhouette: only the silhouette stops (it becomes 'failed', the result stays).
   */
  cancel(runId: number): boolean {
    const q = this.queue.indexOf(runId);
    if (q >= 0) {
      this.queue.splice(q, 1);
      if (this.silhouetteJobs.delete(runId)) this.failSilhouette(runId, 'cancelled before the silhouette was computed');
      else this.finish(runId, 'cancelled', null);
      return true;
    }
    const a = this.active.get(runId);
    if (!a) return false;
    a.settled = true;
    a.worker.kill();
    if (afterDone(a)) this.failSilhouette(a.runId, 'cancelled before the silhouette was computed');
    else this.finish(runId, 'cancelled', null);
    return true;
  }

  /** Why a finished run is not saved yet (the database refused the write), or null. */
  waitingReason(runId: number): string | null {
    return this.pending.get(runId)?.waiting ?? null;
  }

  /** Runs whose result or end waits for the database. */
  pendingWrites(): number[] {
    return [...this.pending.keys()];
  }

  /** Process id of the worker computing `runId` (diagnostics, tests). */
  workerPid(runId: number): number | undefined {
    return this.active.get(runId)?.worker.pid;
  }

  state(): QueueState {
    const running = [...this.active.values()].map((a) => ({ run: this.runInfo(a.runId), progress: a.progress }));
    const saving = [...this.pending.keys()].filter((id) => !this.active.has(id)).map((id) => ({ run: this.runInfo(id), progress: null }));
    return {
      running: [...running, ...saving].filter((r): r is { run: RunInfo; progress: JobProgress | null } => r.run !== null),
      queued: this.queue.map((id) => this.runInfo(id)).filter((r): r is RunInfo => r !== null),
      concurrency: this.concurrency,
    };
  }

  /**
   * Kills every worker: running runs become `interrupted`. Queued runs stay `queued` in the store (the next
   * start queues them again).
   */
  async close(): Promise<void> {
    this.closed = true;
    // a queued silhouette will not come (a queued run is queued again at the next start; a silhouette job is not)
    for (const runId of this.queue) if (this.silhouetteJobs.has(runId)) this.failSilhouette(runId, 'not computed: the app was closed before it started');
    this.silhouetteJobs.clear();
    this.queue.length = 0;
    const exits = [...this.active.values()].map((a) => {
      a.settled = true;
      this.stopWatchdog(a);
      a.worker.kill();
      if (afterDone(a)) this.failSilhouette(a.runId, 'the app was closed while the silhouette was computed');
      else {
        this.guarded(`marking run ${a.runId} interrupted`, () => {
          if (this.opts.store.runs.markEnded(a.runId, 'interrupted', 'the app was closed while this run was computing')) this.emitRun(a.runId);
        });
      }
      return a.exited;
    });
    await Promise.all(exits);
    // a last try for the writes still waiting; what still fails is reported (the run shows `interrupted` next time)
    this.retryPending();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    for (const [runId, w] of this.pending) {
      if (w.outcome && this.opts.spillDir) {
        try {
          const file = spillResult(this.opts.spillDir, runId, w.outcome);
          console.error(`run ${runId}: the database did not take its result before closing; kept in ${file}, saved at the next start`);
          continue;
        } catch (e) {
          console.error(`run ${runId}: could not keep its result in a file either:`, e);
        }
      }
      console.error(`run ${runId}: closed before the database accepted its write (${w.waiting}); it will show as interrupted`);
    }
  }

  private pump(): void {
    while (!this.closed && this.active.size < this.concurrency && this.queue.length > 0) {
      const runId = this.queue.shift()!;
      if (!this.start(runId)) {
        // the database refused to mark it running: keep it first in line and try again later
        this.queue.unshift(runId);
        this.scheduleRetry();
        return;
      }
    }
  }

  /** Starts `runId`'s worker (a fit, or a done run's silhouette); false when the database could not be read or written (try again later). */
  private start(runId: number): boolean {
    if (this.silhouetteJobs.has(runId)) return this.startSilhouette(runId);
    const { store } = this.opts;
    let run: RunInfo | null;
    try {
      run = store.runs.get(runId);
      if (!run || run.status !== 'queued') return true;
      store.runs.markRunning(runId);
    } catch (e) {
      console.error(`run ${runId}: could not mark it running, will retry: ${describeDbError(e)}`);
      return false;
    }
    this.emitRun(runId);
    this.launch(runId, false, {
      type: 'start',
      job: { runId, dbPath: this.opts.dbPath, datasetId: run.datasetId, params: run.params, preprocessing: run.preprocessing, silhouette: run.silhouette },
    });
    return true;
  }

  /** Starts the worker of a done run's silhouette (still 'pending' in the store, else there is nothing to do). */
  private startSilhouette(runId: number): boolean {
    let run: RunInfo | null;
    try {
      run = this.opts.store.runs.get(runId);
    } catch (e) {
      console.error(`run ${runId}: could not read it to compute its silhouette, will retry: ${describeDbError(e)}`);
      return false;
    }
    this.silhouetteJobs.delete(runId);
    if (!run || run.status !== 'done' || run.silhouetteState !== 'pending') return true;
    this.launch(runId, true, { type: 'silhouette', spec: silhouetteSpec(run, this.opts.dbPath) });
    return true;
  }

  /** Launches a worker for `runId`, watches it and sends it its job; a failure to launch or to send fails the job. */
  private launch(runId: number, silhouetteOnly: boolean, message: Extract<ToWorker, { type: 'start' | 'silhouette' }>): void {
    const fail = (why: string): void => (silhouetteOnly ? this.failSilhouette(runId, `not computed: ${why}`) : this.finish(runId, 'failed', why));
    let worker: WorkerHandle;
    try {
      worker = this.opts.launcher.launch();
    } catch (e) {
      fail(`could not start the worker process: ${(e as Error).message}`);
      return;
    }
    let onExited!: () => void;
    const active: Active = {
      runId, worker, progress: null, settled: false, exited: new Promise((r) => (onExited = r)), watchdog: null, lastHeard: Date.now(), alive: false,
      outcome: null, silhouetteOnly,
    };
    this.active.set(runId, active);
    worker.onMessage((m) => this.guarded(`a message of run ${runId}'s worker`, () => this.onMessage(active, m)));
    worker.onExit((exit) => {
      this.guarded(`the exit of run ${runId}'s worker`, () => this.onExit(active, exit));
      onExited();
    });
    this.armWatchdog(active);
    try {
      worker.send({ ...message, heartbeatMs: Math.max(100, Math.floor(this.watchdogMs / 5)) });
    } catch (e) {
      active.settled = true;
      this.stopWatchdog(active);
      worker.kill();
      fail(`could not send the job to the worker process: ${(e as Error).message}`);
      this.release(active);
    }
  }

  /**
   * Checks the worker every watchdogMs / 5: silent for watchdogMs (before its first message: the start-up
   * grace), it is killed and its run fails. So a hung worker goes within 1.2 × watchdogMs.
   */
  private armWatchdog(a: Active): void {
    const every = Math.max(50, Math.floor(this.watchdogMs / 5));
    a.watchdog = setInterval(() => {
      this.guarded(`the watchdog of run ${a.runId}`, () => {
        const limit = a.alive ? this.watchdogMs : Math.max(STARTUP_GRACE_MS, this.watchdogMs);
        const silent = Date.now() - a.lastHeard;
        if (a.settled || silent < limit) return;
        a.settled = true;
        this.stopWatchdog(a);
        a.worker.kill();
        const what = a.alive ? `sent nothing for ${(silent / 1000).toFixed(1)} s` : `did not start within ${(silent / 1000).toFixed(1)} s`;
        this.failActive(a, `stopped responding: the worker process ${what} and was killed`);
        this.release(a);
      });
    }, every);
    a.watchdog.unref?.();
  }

  private stopWatchdog(a: Active): void {
    if (a.watchdog) clearInterval(a.watchdog);
    a.watchdog = null;
  }

  private onMessage(a: Active, m: FromWorker): void {
    if (a.settled) return;
    // the first sign of life ends the start-up grace: from then on, silence longer than watchdogMs is a hang
    a.alive = true;
    a.lastHeard = Date.now();
    switch (m.type) {
      case 'heartbeat':
        return;
      case 'progress':
        if (m.progress.runId !== a.runId) return;
        a.progress = withValidEstimate(m.progress);
        this.opts.events.progress(a.progress);
        return;
      case 'result': {
        if (afterDone(a)) return;
        if (m.outcome.silhouettePending) {
          // the run is done now; the worker goes on with the silhouette and keeps the slot until it lands
          a.outcome = m.outcome;
          this.saveResult(a.runId, m.outcome);
          return;
        }
        a.settled = true;
        this.stopWatchdog(a);
        a.worker.kill();
        this.saveResult(a.runId, m.outcome);
        this.release(a);
        return;
      }
      case 'silhouette':
        if (!afterDone(a) || m.runId !== a.runId) return;
        a.settled = true;
        this.stopWatchdog(a);
        a.worker.kill();
        this.saveSilhouette(a.runId, a.outcome, m.result);
        this.release(a);
        return;
      case 'error':
        a.settled = true;
        this.stopWatchdog(a);
        this.failActive(a, m.name && m.name !== 'Error' ? `${m.name}: ${m.message}` : m.message);
        a.worker.kill();
        this.release(a);
        return;
    }
  }

  private onExit(a: Active, exit: WorkerExit): void {
    this.stopWatchdog(a);
    if (!a.settled) {
      a.settled = true;
      this.failActive(a, `the worker process ${describeExit(exit)} before finishing`);
    }
    this.release(a);
  }

  /** Persists a finished result now, or keeps it and retries while the database refuses for a passing reason. */
  private saveResult(runId: number, outcome: RunOutcome): void {
    this.write(runId, 'finished: saving the result', () => {
      const saved = this.opts.store.runs.saveResult(runId, outcome);
      if (!saved && this.opts.store.runs.get(runId)) {
        console.error(`run ${runId}: its result arrived after the run had ended; it was not saved`);
      }
      return saved;
    }, (e) => this.finish(runId, 'failed', `could not save the result: ${describeDbError(e)}`), outcome);
  }

  /**
   * Stores the silhouette that followed a saved result. When the result itself still waits for the database,
   * both are written together (one outcome, also what is kept in a file at close).
   */
  private saveSilhouette(runId: number, outcome: RunOutcome | null, result: SilhouetteResult): void {
    if (outcome && this.pending.get(runId)?.outcome) {
      const silhouette = result.silhouette;
      this.saveResult(runId, { ...outcome, metrics: { ...outcome.metrics, silhouette: result.value }, silhouette, metricsMs: result.metricsMs ?? outcome.metricsMs, silhouettePending: false });
      return;
    }
    this.write(runId, 'saving the silhouette', () => this.opts.store.runs.saveSilhouette(runId, result), () => this.failSilhouette(runId, 'it could not be saved'));
  }

  /** The job fails: the run (no result yet), or only its silhouette (the run is `done`). */
  private failActive(a: Active, why: string): void {
    if (afterDone(a)) this.failSilhouette(a.runId, `not computed: ${why}`);
    else this.finish(a.runId, 'failed', why);
  }

  /**
   * Marks a pending silhouette 'failed' with `why`, after the result's write when that still waits for the
   * database (so the run is saved first, then its silhouette marked).
   */
  private failSilhouette(runId: number, why: string): void {
    const prior = this.pending.get(runId);
    let priorDone = !prior;
    const both = (): boolean => {
      if (!priorDone) {
        prior!.write();
        priorDone = true;
      }
      return this.opts.store.runs.failSilhouette(runId, why) || prior !== undefined;
    };
    this.write(runId, 'recording that its silhouette failed', both, () => undefined, prior?.outcome);
  }

  /**
   * Runs `write` now; when it throws a transient database error, keeps it (one per run, the newest wins) and
   * tells the run's listeners why it waits; any other error goes to `onPermanent`.
   */
  private write(runId: number, what: string, write: () => boolean, onPermanent: (e: unknown) => void, outcome?: RunOutcome): void {
    try {
      if (write()) this.emitRun(runId);
      this.pending.delete(runId);
    } catch (e) {
      if (!isTransientDbError(e)) {
        this.pending.delete(runId);
        console.error(`run ${runId}: could not write ${what}:`, e);
        this.guarded(`recording run ${runId}'s failure`, () => onPermanent(e));
        return;
      }
      const waiting = `${what} waits for the database (${describeDbError(e)}); retrying`;
      const first = !this.pending.has(runId);
      this.pending.set(runId, { write, waiting, onPermanent, outcome });
      if (first) {
        console.error(`run ${runId}: ${waiting}`);
        this.emitRun(runId);
      }
      this.scheduleRetry();
    }
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.guarded('retrying the waiting database writes', () => {
        const before = this.pending.size + this.queue.length;
        this.retryPending();
        this.pump();
        const progressed = this.pending.size + this.queue.length < before;
        this.retryMs = progressed ? RETRY_FIRST_MS : Math.min(RETRY_MAX_MS, this.retryMs * 2);
        if (this.pending.size) this.scheduleRetry();
      });
    }, this.retryMs);
    this.retryTimer.unref?.();
  }

  private retryPending(): void {
    for (const [runId, w] of [...this.pending]) {
      try {
        const changed = w.write();
        this.pending.delete(runId);
        if (changed) this.emitRun(runId);
      } catch (e) {
        if (!isTransientDbError(e)) {
          this.pending.delete(runId);
          console.error(`run ${runId}: could not write it:`, e);
          this.guarded(`recording run ${runId}'s failure`, () => w.onPermanent(e));
        }
      }
    }
  }

  private release(a: Active): void {
    if (this.active.get(a.runId) === a) {
      this.active.delete(a.runId);
      this.pump();
    }
  }

  private finish(runId: number, status: 'failed' | 'cancelled', error: string | null): void {
    this.write(runId, `recording that it is ${status}`, () => this.opts.store.runs.markEnded(runId, status, error), () => undefined);
  }

  /** The stored run, with the reason its write waits (if it does) in `error`; null when it cannot be read. */
  private runInfo(runId: number): RunInfo | null {
    let run: RunInfo | null = null;
    try {
      run = this.opts.store.runs.get(runId);
    } catch (e) {
      console.error(`run ${runId}: could not read it: ${describeDbError(e)}`);
    }
    const waiting = this.pending.get(runId)?.waiting;
    return run && waiting ? { ...run, error: waiting } : run;
  }

  private emitRun(runId: number): void {
    const run = this.runInfo(runId);
    if (run) this.opts.events.runUpdated(run);
  }

  /** Runs `fn`, logging instead of throwing: a worker event or timer must never take main down. */
  private guarded(what: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      console.error(`scheduler: ${what} failed:`, e);
    }
  }
}

/** The worker's progress as shown: a malformed silhouette estimate is left out (the progress itself still counts). */
export function withValidEstimate(p: JobProgress): JobProgress {
  if (p.silhouetteEstimate === undefined || validSilhouetteEstimate(p.silhouetteEstimate)) return p;
  const { silhouetteEstimate: _dropped, ...rest } = p;
  return rest;
}
