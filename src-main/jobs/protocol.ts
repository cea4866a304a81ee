/**
 * Messages between main (scheduler) and a job worker process. Sent with structured clone
 * (utilityProcess, or child_process with `serialization: 'advanced'`), so typed arrays cross as they are.
 */
import type { EmbeddingMethod, JobProgress, SilhouetteOptions } from '../../src-shared/api';
import type { Dataset, KMeansParams, Preprocessing } from '../../src-shared/model';
import type { Embedding } from '../engine/embed';
import type { RunOutcome } from '../store/runs-repo';

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

/** A dataset import: the worker parses, main stores. */
export interface ImportSpec {
  /** Files on disk (Electron) … */
  paths?: string[];
  /** … or uploaded bytes (browser mode). */
  files?: { name: string; bytes: Uint8Array }[];
  labelColumn?: string;
  color?: 'auto' | 'gray' | 'rgb';
}

/** A dataset map: the worker loads the dataset read-only, preprocesses it and computes the map; main caches it. */
export interface EmbedSpec {
  dbPath: string;
  datasetId: number;
  method: EmbeddingMethod;
  preprocessing: Preprocessing;
  seed: number;
}

export type ToWorker = { type: 'start'; job: JobSpec } | { type: 'import'; spec: ImportSpec } | { type: 'embed'; spec: EmbedSpec };

export type FromWorker =
  | { type: 'progress'; progress: JobProgress }
  | { type: 'result'; runId: number; outcome: RunOutcome }
  | { type: 'import-progress'; fraction: number }
  | { type: 'imported'; dataset: Dataset }
  | { type: 'embed-progress'; fraction: number; epoch?: number; epochs?: number }
  | { type: 'embedded'; embedding: Embedding; computeMs: number }
  /**
   * A clean failure (bad parameters, unreadable dataset, …): `name` is the error class (ParamError,
   * DatasetError, …); runId is null for an import.
   */
  | { type: 'error'; runId: number | null; name: string; message: string };
