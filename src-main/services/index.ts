/**
 * Implements the contract (src-shared/api.ts) over the store, the importers and the job scheduler: the Services
 * object owns the store, the queue and the workers; each domain's handlers live beside it (datasets.ts, runs.ts,
 * views.ts, embeddings.ts) and get what they need through one ServiceContext.
 * No Electron import and no transport here: `src-main/index.ts` (IPC) and `server.ts` (WebSocket) are thin
 * adapters that call {@link Services.handle} and forward {@link Services.subscribe} events.
 */
import { availableParallelism } from 'node:os';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EventName, EventOf, Handlers, Reply, RequestName, RunInfo, StartupProgress } from '../../src-shared/api';
import { isRequestName } from '../../src-shared/api';
import type { Dataset } from '../../src-shared/model';
import { validateRequest } from '../../src-shared/schema';
import { ImportQueue } from '../jobs/import-queue';
import { UploadFolder } from '../uploads';
import { recoverSpilledResults } from '../jobs/result-spill';
import { Scheduler } from '../jobs/scheduler';
import { EmbeddingService } from './embeddings';
import { watchExternalChanges } from '../external-changes';
import { notebookHandlers } from '../notebook-handlers';
import { ViewWorker } from '../views/view-worker';
import { acquireDataFolderLock, type DataFolderLock } from '../data-folder-lock';
import { CorruptDatabaseError, DB_FILE, moveAsideDamaged, Store } from '../store';
import { describeDbError, isTransientDbError } from '../store/errors';
import { importInWorker } from '../jobs/import-job';
import { DEFAULT_SILHOUETTE, notFound, ServiceError, type ServiceContext, type ServicesOptions } from './context';
import { datasetHandlers } from './datasets';
import { runHandlers } from './runs';
import { viewHandlers } from './views';
import pkg from '../../package.json';

export { DB_FILE };

export { ServiceError, type ServicesOptions };

export type EventListener = <E extends EventName>(name: E, payload: EventOf<E>) => void;

const MNIST_META = 'builtin-mnist-imported';
/**
 * Main waits at most this long for another connection's write lock: a locked database must not stall every
 * client for seconds. Failed result writes are retried by the scheduler; a request gets a `busy` reply.
 */
const MAIN_BUSY_TIMEOUT_MS = 250;

export class Services {
  readonly handlers: Handlers;
  readonly dbPath: string;
  /** Resolves when start-up work (the MNIST import) is finished. */
  readonly ready: Promise<void>;
  /** Where a damaged database was moved before this start (onDamagedDatabase: 'move-aside'), else null. */
  readonly movedAside: string | null = null;
  private readonly store: Store;
  private readonly scheduler: Scheduler;
  private readonly lock: DataFolderLock;
  /** The Hungarian matchings of compare and contingency, off main's event loop when large. */
  private readonly views = new ViewWorker();
  private readonly embeddings: EmbeddingService;
  private readonly listeners = new Set<EventListener>();
  /** Dataset imports, one at a time, listed and cancellable. */
  private readonly imports = new ImportQueue((p) => this.emit('import/progress', p));
  /** Files uploaded in browser mode (server.ts streams them here), until their import ends. */
  readonly uploads: UploadFolder;
  private startup: StartupProgress | null = null;
  /** Aborted by close(): stops import workers still parsing. */
  private readonly closing = new AbortController();
  /** Datasets in memory for samples and members (the most recent one; MNIST is 55 MB). */
  private cached: { id: number; dataset: Dataset } | null = null;
  private closed = false;
  private readonly stopWatching: () => void;
  /** Ids of the runs announced by this process (run/updated). */
  private readonly ownRuns = new Set<number>();

  /**
   * Opens the store (throws NewerDatabaseError for a database from a newer app), marks runs left
   * `running` as `interrupted`, re-queues `queued` runs, and starts the MNIST import when needed.
   */
  constructor(private readonly opts: ServicesOptions) {
    this.dbPath = join(opts.dataDir, DB_FILE);
    mkdirSync(opts.dataDir, { recursive: true });
    // one data folder, one app: before anything reads or changes the database (throws DataFolderLockedError)
    this.lock = acquireDataFolderLock(opts.dataDir, opts.host);
    try {
      try {
        this.store = Store.open(this.dbPath, { busyTimeoutMs: MAIN_BUSY_TIMEOUT_MS });
      } catch (e) {
        if (!(e instanceof CorruptDatabaseError) || opts.onDamagedDatabase !== 'move-aside') throw e;
        this.movedAside = moveAsideDamaged(this.dbPath);
        console.error(`${e.message} It was moved to ${this.movedAside}; starting with an empty database.`);
        this.store = Store.open(this.dbPath, { busyTimeoutMs: MAIN_BUSY_TIMEOUT_MS });
      }
      // results the database would not take before the last close were kept in files: saved first
      for (const id of recoverSpilledResults(opts.dataDir, this.store.runs)) console.error(`run ${id}: its kept result was saved`);
      this.store.runs.interruptRunning();
      // a silhouette that was being computed after its run's `done` will not come: say so rather than spin
      for (const id of this.store.runs.failPendingSilhouettes()) console.error(`run ${id}: its silhouette was not computed (the app stopped)`);
      this.uploads = new UploadFolder(join(opts.dataDir, 'uploads'));
    } catch (e) {
      this.lock.release();
      throw e;
    }
    this.scheduler = new Scheduler({
      store: this.store,
      dbPath: this.dbPath,
      launcher: opts.launcher,
      concurrency: opts.concurrency,
      watchdogMs: opts.watchdogMs,
      spillDir: opts.dataDir,
      events: {
        progress: (p) => this.emit('job/progress', p),
        runUpdated: (r) => this.emit('run/updated', r),
      },
    });
    for (const id of this.store.runs.idsWithStatus('queued')) this.scheduler.enqueue(id);
    this.embeddings = new EmbeddingService({
      store: this.store, dbPath: this.dbPath, launcher: opts.launcher,
      onProgress: (p) => this.emit('embedding/progress', p),
      fail: (code, message) => new ServiceError(code, message),
    });
    this.handlers = this.makeHandlers();
    this.stopWatching = watchExternalChanges(
      this.store,
      { runAdded: (r) => this.emit('run/updated', r), datasetChanged: (d) => this.emit('dataset/imported', d), isOwn: (id) => this.ownRuns.has(id) },
      opts.externalPollMs,
    );
    this.ready = opts.builtinMnist === false || this.store.getMeta(MNIST_META) ? Promise.resolve() : this.importMnist();
  }

  /** Validates and answers one request; never throws. */
  async handle(name: unknown, payload: unknown): Promise<Reply<unknown>> {
    if (!isRequestName(name)) return { ok: false, code: 'bad-request', message: `unknown request ${JSON.stringify(name)}` };
    if (this.closed) return { ok: false, code: 'internal', message: 'the app is shutting down' };
    const v = validateRequest(name, payload);
    if (!v.ok) return { ok: false, code: 'bad-request', message: v.message };
    try {
      const handler = this.handlers[name] as (req: unknown) => unknown;
      return { ok: true, data: await handler(v.value) };
    } catch (e) {
      return errorReply(name, e);
    }
  }

  /** Listens to every event; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Kills running jobs and closes the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closing.abort();
    this.imports.close('the import was stopped: the app is shutting down');
    this.stopWatching();
    this.embeddings.close();
    await this.ready.catch(() => undefined);
    await this.scheduler.close();
    this.opts.launcher.close?.();
    this.views.close();
    this.uploads.clear();
    this.store.close();
    this.lock.release();
    this.listeners.clear();
  }

  private emit<E extends EventName>(name: E, payload: EventOf<E>): void {
    // runs this app announced are its own: the external-changes watcher does not announce them again
    if (name === 'run/updated') this.ownRuns.add((payload as RunInfo).id);
    for (const l of this.listeners) {
      try {
        l(name, payload);
      } catch (e) {
        console.error(`event listener failed on ${name}:`, e);
      }
    }
  }

  private async importMnist(): Promise<void> {
    const progress = (message: string, fraction: number): void => {
      this.startup = { task: 'import-mnist', message, fraction };
      this.emit('app/startup', this.startup);
    };
    try {
      progress('Reading the built-in MNIST (70,000 images)', 0);
      // in a worker, like any import: it reads and writes the 55 MB itself, so main answers requests meanwhile
      const { datasetId, existed } = await importInWorker(
        this.opts.launcher,
        { dbPath: this.dbPath, builtin: 'mnist' },
        (phase, f) => progress(phase === 'parse' ? 'Reading the built-in MNIST (70,000 images)' : 'Storing MNIST in the database', phase === 'parse' ? 0.4 * f : 0.4 + 0.6 * f),
        this.closing.signal,
      );
      if (this.closed) return;
      const info = this.store.datasets.get(datasetId);
      if (!info) throw new Error(`the stored MNIST (dataset ${datasetId}) is missing`);
      this.store.setMeta(MNIST_META, String(info.id));
      if (!existed) this.emit('dataset/imported', info);
    } catch (e) {
      if (!this.closed) console.error('could not import the built-in MNIST:', e);
    } finally {
      this.startup = null;
      if (!this.closed) this.emit('app/startup', null);
    }
  }

  private dataset(id: number): Dataset {
    if (this.cached?.id === id) return this.cached.dataset;
    const dataset = this.store.datasets.load(id);
    if (!dataset) throw new ServiceError('not-found', `dataset ${id} does not exist`);
    this.cached = { id, dataset };
    return dataset;
  }

  private run(id: number): RunInfo {
    const run = this.store.runs.get(id);
    if (!run) throw new ServiceError('not-found', `run ${id} does not exist`);
    return run;
  }

  private doneArrays(id: number, include: Parameters<Store['runs']['arrays']>[1]) {
    const run = this.run(id);
    if (run.status !== 'done') throw new ServiceError('conflict', `run ${id} is ${run.status}, not done`);
    const arrays = this.store.runs.arrays(id, include);
    if (!arrays) throw new ServiceError('internal', `run ${id} is done but its arrays are missing`);
    return { run, arrays };
  }

  /** The context each domain's handler builder works with (services/context.ts). */
  private context(): ServiceContext {
    return {
      opts: this.opts,
      dbPath: this.dbPath,
      store: this.store,
      scheduler: this.scheduler,
      imports: this.imports,
      uploads: this.uploads,
      views: this.views,
      emit: (name, payload) => this.emit(name, payload),
      isClosed: () => this.closed,
      dataset: (id) => this.dataset(id),
      forgetDataset: (id) => {
        if (this.cached?.id === id) this.cached = null;
      },
      run: (id) => this.run(id),
      doneArrays: (id, include) => this.doneArrays(id, include),
    };
  }

  private makeHandlers(): Handlers {
    const ctx = this.context();
    const { store } = this;
    return {
      'app/info': () => ({
        version: pkg.version,
        host: this.opts.host,
        dataDir: this.opts.dataDir,
        cores: availableParallelism(),
        startup: this.startup,
      }),
      ...datasetHandlers(ctx),
      ...runHandlers(ctx),
      ...viewHandlers(ctx),
      ...notebookHandlers({
        store,
        dbPath: this.dbPath,
        launcher: this.opts.launcher,
        closing: this.closing.signal,
        defaultSilhouette: DEFAULT_SILHOUETTE,
        doneArrays: (id) => this.doneArrays(id, ['centers', 'labels', 'silhouette']),
        datasetInfo: (id) => store.datasets.get(id) ?? notFound('dataset', id),
        announce: (run) => {
          this.emit('run/updated', run);
          const ds = store.datasets.get(run.datasetId);
          if (ds) this.emit('dataset/imported', ds);
        },
      }),
      ...this.embeddings.handlers(),
    };
  }
}

function errorReply(name: RequestName, e: unknown): Reply<never> {
  const err = e as Error & { code?: unknown; param?: string };
  if (err instanceof ServiceError) return { ok: false, code: err.code, message: err.message };
  if (err?.name === 'DatasetError' || err?.name === 'ParamError') return { ok: false, code: 'bad-request', message: `${name}: ${err.message}` };
  if (isTransientDbError(e)) return { ok: false, code: 'busy', message: `${name}: the database refused the request for now: ${describeDbError(e)}; try again` };
  console.error(`${name} failed:`, e);
  return { ok: false, code: 'internal', message: `${name} failed: ${err?.message ?? String(e)}` };
}
