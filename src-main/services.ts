/**
 * Implements the contract (src-shared/api.ts) over the store, the importers and the job scheduler.
 * No Electron import and no transport here: `index.ts` (IPC) and `server.ts` (WebSocket) are thin
 * adapters that call {@link Services.handle} and forward {@link Services.subscribe} events.
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type {
  AppInfo,
  ErrorCode,
  EventName,
  EventOf,
  Handlers,
  ImportReply,
  Reply,
  RequestName,
  RunInfo,
  StartupProgress,
} from '../src-shared/api';
import { BUILTIN_MNIST_SOURCE, isRequestName } from '../src-shared/api';
import type { Dataset, KMeansParams } from '../src-shared/model';
import { defaultPreprocessing } from '../src-shared/defaults';
import { defaultRunName } from '../src-shared/run-names';
import { validateRequest } from '../src-shared/schema';
import { DEFAULT_LIMITS } from './datasets/limits';
import { loadMnist } from './datasets/mnist';
import { resolveParams } from './engine/params';
import type { Launcher } from './jobs/launcher';
import type { ImportSpec } from './jobs/protocol';
import { importInWorker } from './jobs/import-job';
import { ImportCancelledError, ImportQueue } from './jobs/import-queue';
import { UploadFolder, type Upload } from './uploads';
import { recoverSpilledResults } from './jobs/result-spill';
import { Scheduler } from './jobs/scheduler';
import { samplesOf, silhouetteHistogramView } from './run-views';
import { EmbeddingService } from './services/embeddings';
import { watchExternalChanges } from './external-changes';
import { notebookHandlers } from './notebook-handlers';
import { ViewWorker } from './views/view-worker';
import { importMatrixLimit, runMemoryProblem } from './memory-budget';
import { acquireDataFolderLock, type DataFolderLock } from './data-folder-lock';
import { CorruptDatabaseError, DB_FILE, moveAsideDamaged, Store } from './store';
import { describeDbError, isTransientDbError } from './store/errors';
import { sweepStability } from './sweep-stability';
import pkg from '../package.json';

export { DB_FILE };

/** An expected failure with its reply code. */
export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface ServicesOptions {
  /** Directory of the database file (`kmeans-explorer.sqlite`). */
  dataDir: string;
  host: AppInfo['host'];
  launcher: Launcher;
  /** Jobs at once; default 1 (each job uses every core). */
  concurrency?: number;
  /** Import the built-in MNIST into the store on first start; default true. */
  builtinMnist?: boolean;
  /** How often to look for runs saved by another process (`cluster --save`); default 1000 ms. */
  externalPollMs?: number;
  /**
   * A damaged database file (CorruptDatabaseError at open): `'refuse'` (default) throws, `'move-aside'` keeps
   * it as `kmeans-explorer.sqlite.damaged-<time>` and starts with an empty one (see {@link Services.movedAside}).
   */
  onDamagedDatabase?: 'refuse' | 'move-aside';
  /** Kill a job worker silent this long (ms); default KMEANS_WATCHDOG_MS or 25 s (jobs/scheduler.ts). */
  watchdogMs?: number;
}

export type EventListener = <E extends EventName>(name: E, payload: EventOf<E>) => void;

const MNIST_META = 'builtin-mnist-imported';
const DEFAULT_SILHOUETTE = { mode: 'sample', sampleSize: 10_000 } as const;
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
      { runAdded: (r) => this.emit('run/updated', r), datasetChanged: (d) => this.emit('dataset/imported', d) },
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
    for (const l of this.listeners) {
      try {
        l(name, payload);
      } catch (e) {
        console.error(`event listener failed on ${name}:`, e);
      }
    }
  }

  private async importMnist(): Promise<void> {
    // Let the host finish starting (and the renderer connect) before the synchronous work.
    await new Promise((r) => setTimeout(r, 0));
    const progress = (message: string, fraction: number): void => {
      this.startup = { task: 'import-mnist', message, fraction };
      this.emit('app/startup', this.startup);
    };
    try {
      progress('Reading the built-in MNIST (70,000 images)', 0);
      const mnist = loadMnist();
      progress('Storing MNIST in the database', 0.4);
      await new Promise((r) => setTimeout(r, 0));
      if (this.closed) return;
      const { info, existed } = this.store.datasets.insert(mnist);
      this.store.setMeta(MNIST_META, String(info.id));
      if (!existed) this.emit('dataset/imported', info);
    } catch (e) {
      console.error('could not import the built-in MNIST:', e);
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

  private makeHandlers(): Handlers {
    const { store, scheduler } = this;
    return {
      'app/info': () => ({
        version: pkg.version,
        host: this.opts.host,
        dataDir: this.opts.dataDir,
        cores: availableParallelism(),
        startup: this.startup,
      }),

      'datasets/list': () => store.datasets.list(),
      'datasets/get': ({ id }) => store.datasets.get(id) ?? notFound('dataset', id),
      'datasets/delete': ({ id }) => {
        const info = store.datasets.get(id) ?? notFound('dataset', id);
        if (info.source === BUILTIN_MNIST_SOURCE) throw new ServiceError('conflict', 'the built-in MNIST cannot be deleted');
        const active = store.runs.list({ datasetId: id, status: ['queued', 'running'] });
        if (active.length) throw new ServiceError('conflict', `dataset ${id} has ${active.length} queued or running run(s); cancel them first`);
        store.datasets.delete(id);
        if (this.cached?.id === id) this.cached = null;
        this.emit('dataset/deleted', { id });
        return { id };
      },
      'datasets/import': async (req) => {
        const options = req.options ?? {};
        if ('paths' in req && this.opts.host !== 'electron') {
          throw new ServiceError('unsupported', 'import by path is only available in the desktop app; upload the files instead');
        }
        let taken: Upload[] = [];
        try {
          const importId = req.importId ?? randomUUID();
          let source: Pick<ImportSpec, 'paths' | 'files' | 'uploads'>;
          let names: string[];
          if ('paths' in req) [source, names] = [{ paths: req.paths }, req.paths.map((p) => basename(p))];
          else if ('files' in req) [source, names] = [{ files: req.files }, req.files.map((f) => f.name)];
          else {
            const found = this.uploads.take(req.uploads.map((u) => u.uploadId));
            if (!found.ok) throw new ServiceError('not-found', `upload ${found.missing} does not exist (never uploaded, or already imported or cancelled)`);
            taken = found.uploads;
            source = { uploads: req.uploads.map((u, i) => ({ name: u.name, path: taken[i].path })) };
            names = req.uploads.map((u) => u.name);
          }
          // after the uploads are taken, so a refused request leaves none behind
          if (this.imports.has(importId)) throw new ServiceError('conflict', `an import with id ${importId} is already queued or running`);
          const name = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
          return await this.imports.add(importId, name, async (signal, progress) => {
            // the worker parses and stores (one transaction, its own connection): main's event loop never
            // carries the write of a large dataset, it only reads the new row
            const { datasetId, existed } = await importInWorker(
              this.opts.launcher,
              { ...source, dbPath: this.dbPath, name: options.name, labelColumn: options.labelColumn, color: options.color, limits: { maxMatrixBytes: Math.min(DEFAULT_LIMITS.maxMatrixBytes, importMatrixLimit()) } },
              progress,
              signal,
            );
            if (this.closed) throw new ServiceError('internal', 'the import was stopped: the app is shutting down');
            // a cancel that came while the dataset was being written: what it wrote is removed again
            if (signal.aborted) {
              if (!existed) store.datasets.delete(datasetId);
              throw new ImportCancelledError(name);
            }
            progress('store', 1);
            const info = store.datasets.get(datasetId) ?? notFound('dataset', datasetId);
            if (!existed) this.emit('dataset/imported', info);
            return { dataset: info, existed } satisfies ImportReply;
          });
        } catch (e) {
          if (e instanceof ImportCancelledError) throw new ServiceError('conflict', e.message);
          if (this.closed && !(e instanceof ServiceError)) throw new ServiceError('internal', (e as Error).message);
          throw e;
        } finally {
          this.uploads.discard(taken);
        }
      },
      'imports/list': () => this.imports.list(),
      'imports/cancel': ({ importId }) => {
        if (!this.imports.cancel(importId)) throw new ServiceError('not-found', `import ${importId} is not queued or running`);
        return { importId };
      },
      'datasets/samples': ({ id, indices }) => {
        const ds = this.dataset(id);
        for (const i of indices) if (i >= ds.n) throw new ServiceError('bad-request', `datasets/samples: index ${i} is out of range (n = ${ds.n})`);
        return samplesOf(id, ds, indices);
      },

      'runs/start': (req) => {
        const ds = store.datasets.get(req.datasetId) ?? notFound('dataset', req.datasetId);
        const ks = req.sweep ? req.sweep.ks : [req.params.k!];
        const seeds = req.sweep?.seeds ?? [req.params.seed ?? 0];
        const resolved: KMeansParams[] = ks.flatMap((k) => seeds.map((seed) => ({ k, seed }))).map(({ k, seed }) => {
          try {
            return resolveParams({ ...req.params, k, seed }, ds.n);
          } catch (e) {
            const err = e as Error & { param?: string };
            if (err.name === 'ParamError') throw new ServiceError('bad-request', `runs/start: params.${err.param}: ${err.message}`);
            throw e;
          }
        });
        const silhouette = req.silhouette ?? { ...DEFAULT_SILHOUETTE };
        if (silhouette.mode === 'sample' && silhouette.sampleSize === undefined) silhouette.sampleSize = DEFAULT_SILHOUETTE.sampleSize;
        const preprocessing = req.preprocessing ?? defaultPreprocessing(ds);
        // before anything is queued: a run that cannot fit in memory is refused with the numbers
        const tooBig = runMemoryProblem(ds, Math.max(...resolved.map((p) => p.k)), preprocessing, silhouette);
        if (tooBig) throw new ServiceError('unsupported', `runs/start: ${tooBig}`);
        const sweepId = req.sweep ? randomUUID() : null;
        // a sweep's runs are created together or not at all
        const runs = store.db.transaction(() =>
          resolved.map((params) => {
            const name = !req.name
              ? defaultRunName(params, silhouette)
              : !req.sweep
                ? req.name
                : `${req.name}${ks.length > 1 ? ` k=${params.k}` : ''}${seeds.length > 1 ? ` seed ${params.seed}` : ''}`;
            return store.runs.create({ datasetId: ds.id, name, params, preprocessing, silhouette, sweepId });
          }),
        );
        for (const r of runs) this.emit('run/updated', r);
        for (const r of runs) scheduler.enqueue(r.id);
        return { runs: runs.map((r) => store.runs.get(r.id)!), sweepId };
      },
      'runs/list': (req) => store.runs.list(req ?? {}),
      'runs/get': ({ id }) => this.run(id),
      'runs/delete': ({ id }) => {
        this.run(id);
        scheduler.cancel(id);
        store.runs.delete(id);
        this.emit('run/deleted', { id });
        return { id };
      },
      'runs/retry': ({ id }) => {
        const run = this.run(id);
        if (!store.runs.requeue(id)) throw new ServiceError('conflict', `run ${id} is ${run.status}; only failed, cancelled or interrupted runs can be retried`);
        const queued = this.run(id);
        this.emit('run/updated', queued);
        scheduler.enqueue(id);
        return queued;
      },
      'runs/stability': ({ sweepId }) => sweepStability(store, sweepId),
      'runs/rename': ({ id, name }) => {
        this.run(id);
        store.runs.rename(id, name.trim());
        const run = this.run(id);
        this.emit('run/updated', run);
        return run;
      },
      'runs/cancel': ({ id }) => {
        const run = this.run(id);
        if (!scheduler.cancel(id)) {
          if (run.status === 'queued' || run.status === 'running') {
            // not known to this scheduler (should not happen): end it anyway
            store.runs.markEnded(id, 'cancelled', null);
            const ended = this.run(id);
            this.emit('run/updated', ended);
            return ended;
          }
          throw new ServiceError('conflict', `run ${id} is already ${run.status}`);
        }
        return this.run(id);
      },
      'runs/arrays': ({ id, include }) => this.doneArrays(id, include).arrays,
      'runs/contingency': ({ id }) => {
        const { run, arrays } = this.doneArrays(id, ['labels']);
        const ds = store.datasets.get(run.datasetId)!;
        const trueLabels = store.datasets.labels(run.datasetId);
        if (!trueLabels || !ds.labelNames) throw new ServiceError('conflict', `dataset ${ds.name} has no true labels`);
        return this.views.contingency(id, arrays.labels!, arrays.k, trueLabels, ds.labelNames);
      },
      'runs/silhouetteHistogram': ({ id, bins }) => {
        const { run, arrays } = this.doneArrays(id, ['labels', 'silhouette']);
        if (!arrays.silhouette) throw new ServiceError('conflict', `run ${id} has no silhouette values (mode ${run.silhouette.mode})`);
        return silhouetteHistogramView(id, arrays.labels!, arrays.k, arrays.silhouette, bins ?? 40);
      },
      'runs/members': async (req) => {
        const { run, arrays } = this.doneArrays(req.id, ['labels', 'centers', 'silhouette']);
        if (req.cluster >= arrays.k) throw new ServiceError('bad-request', `runs/members: cluster must be < k = ${arrays.k}, got ${req.cluster}`);
        if (req.sortBy === 'silhouette' && !arrays.silhouette) {
          throw new ServiceError('conflict', `run ${req.id} has no silhouette values (mode ${run.silhouette.mode})`);
        }
        const hash = store.datasets.get(run.datasetId)?.hash ?? notFound('dataset', run.datasetId);
        const m = await this.views.members({
          dbPath: this.dbPath, datasetId: run.datasetId, hash, labels: arrays.labels!, centers: arrays.centers!, silhouette: arrays.silhouette,
          query: { ...req, offset: req.offset ?? 0 }, transform: arrays.transform, withRows: req.withRows !== false,
        });
        return { id: req.id, cluster: req.cluster, ...m };
      },
      'runs/compare': ({ a, b }) => {
        const ra = this.doneArrays(a, ['labels']);
        const rb = this.doneArrays(b, ['labels']);
        if (ra.run.datasetId !== rb.run.datasetId) {
          throw new ServiceError('conflict', `runs ${a} and ${b} are on different datasets (${ra.run.datasetName}, ${rb.run.datasetName})`);
        }
        return this.views.compare({ id: a, k: ra.arrays.k, labels: ra.arrays.labels! }, { id: b, k: rb.arrays.k, labels: rb.arrays.labels! });
      },

      'runs/profiles': ({ id }) => {
        const { run, arrays } = this.doneArrays(id, ['labels']);
        const hash = store.datasets.get(run.datasetId)?.hash ?? notFound('dataset', run.datasetId);
        return this.views.profiles({ dbPath: this.dbPath, datasetId: run.datasetId, hash, runId: id, labels: arrays.labels!, k: arrays.k });
      },
      'queue/get': () => scheduler.state(),

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

function notFound(what: string, id: number): never {
  throw new ServiceError('not-found', `${what} ${id} does not exist`);
}

function errorReply(name: RequestName, e: unknown): Reply<never> {
  const err = e as Error & { code?: unknown; param?: string };
  if (err instanceof ServiceError) return { ok: false, code: err.code, message: err.message };
  if (err?.name === 'DatasetError' || err?.name === 'ParamError') return { ok: false, code: 'bad-request', message: `${name}: ${err.message}` };
  if (isTransientDbError(e)) return { ok: false, code: 'busy', message: `${name}: the database refused the request for now: ${describeDbError(e)}; try again` };
  console.error(`${name} failed:`, e);
  return { ok: false, code: 'internal', message: `${name} failed: ${err?.message ?? String(e)}` };
}
