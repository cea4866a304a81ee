/**
 * What the request handlers of every domain (datasets.ts, runs.ts, views.ts) share: the expected-failure error,
 * the options of the services, and the context the Services object (index.ts) hands each builder.
 */
import type { AppInfo, ErrorCode, EventName, EventOf, RunInfo } from '../../src-shared/api';
import type { Dataset } from '../../src-shared/model';
import { DEFAULT_SILHOUETTE_SAMPLE } from '../../src-shared/params';
import type { ImportQueue } from '../jobs/import-queue';
import type { Launcher } from '../jobs/launcher';
import type { Scheduler } from '../jobs/scheduler';
import type { Store } from '../store';
import type { UploadFolder } from '../uploads';
import type { ViewWorker } from '../views/view-worker';

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

export function notFound(what: string, id: number): never {
  throw new ServiceError('not-found', `${what} ${id} does not exist`);
}

/** A run's silhouette when the request gives none. */
export const DEFAULT_SILHOUETTE = { mode: 'sample', sampleSize: DEFAULT_SILHOUETTE_SAMPLE } as const;

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
   * it as `kmeans-explorer.sqlite.damaged-<time>` and starts with an empty one (see Services.movedAside).
   */
  onDamagedDatabase?: 'refuse' | 'move-aside';
  /** Kill a job worker silent this long (ms); default KMEANS_WATCHDOG_MS or 25 s (jobs/scheduler.ts). */
  watchdogMs?: number;
}

/** What a handler builder works with; the Services object owns every part of it. */
export interface ServiceContext {
  readonly opts: ServicesOptions;
  /** The database file, for workers and the view thread that open their own connection. */
  readonly dbPath: string;
  readonly store: Store;
  readonly scheduler: Scheduler;
  /** Dataset imports, one at a time, listed and cancellable. */
  readonly imports: ImportQueue;
  /** Files uploaded in browser mode, until their import ends. */
  readonly uploads: UploadFolder;
  /** The Hungarian matchings of compare and contingency, off main's event loop when large. */
  readonly views: ViewWorker;
  emit<E extends EventName>(name: E, payload: EventOf<E>): void;
  /** True once close() has begun. */
  isClosed(): boolean;
  /** The dataset with its matrix (the most recent one is kept in memory); not-found when it does not exist. */
  dataset(id: number): Dataset;
  /** Drops a deleted dataset from memory. */
  forgetDataset(id: number): void;
  /** A run's info; not-found when it does not exist. */
  run(id: number): RunInfo;
  /** A done run and the arrays asked for; conflict when the run is not done. */
  doneArrays(id: number, include: Parameters<Store['runs']['arrays']>[1]): { run: RunInfo; arrays: NonNullable<ReturnType<Store['runs']['arrays']>> };
}
