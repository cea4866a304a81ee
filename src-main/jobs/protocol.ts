/**
 * Messages between main (scheduler) and a job worker process. Sent with structured clone
 * (utilityProcess, or child_process with `serialization: 'advanced'`), so typed arrays cross as they are.
 */
import type { JobProgress, SilhouetteOptions } from '../../src-shared/api';
import type { KMeansParams } from '../../src-shared/model';
import type { RunOutcome } from '../store/runs-repo';

export interface JobSpec {
  runId: number;
  /** The SQLite file; the worker opens it read-only. */
  dbPath: string;
  datasetId: number;
  params: KMeansParams;
  silhouette: SilhouetteOptions;
}

export type ToWorker = { type: 'start'; job: JobSpec };

export type FromWorker =
  | { type: 'progress'; progress: JobProgress }
  | { type: 'result'; runId: number; outcome: RunOutcome }
  /** A clean failure (bad parameters, unreadable dataset, …): `name` is the error class (ParamError, …). */
  | { type: 'error'; runId: number; name: string; message: string };
