/**
 * Stored runs: status lifecycle queued → running → done | failed | cancelled, and `interrupted` for runs
 * found `running` when the app starts again (a crash or a kill). A finished run's metrics and arrays are
 * written in one transaction: either all of it is there or none.
 */
import type { RunArrayName, RunArrays, RunInfo, RunOrigin, RunStatus, SilhouetteOptions } from '../../src-shared/api';
import type { IterationInfo, KMeansParams, Metrics, Preprocessing, RunOutcome, SilhouetteResult } from '../../src-shared/model';
import { defaultRunName } from '../../src-shared/run-names';
import { fromBlob, toBlob } from './blobs';
import type { Db } from './db';

interface RunRow {
  id: number;
  dataset_id: number;
  dataset_name: string;
  name: string;
  algorithm: KMeansParams['algorithm'];
  k: number;
  params: string;
  preprocessing: Preprocessing;
  silhouette: string;
  status: RunStatus;
  error: string | null;
  sweep_id: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  fit_ms: number | null;
  metrics_ms: number | null;
  n_iter: number | null;
  metrics: string | null;
  cluster_sizes: string | null;
  origin: RunOrigin['kind'];
  origin_source: string | null;
  silhouette_state: 'pending' | 'final' | 'failed' | null;
  silhouette_error: string | null;
}

const COLUMNS = `runs.id, runs.dataset_id, datasets.name AS dataset_name, runs.name, algorithm, k, params, preprocessing, silhouette, status, error,
  sweep_id, runs.created_at, started_at, finished_at, fit_ms, metrics_ms, n_iter, metrics, cluster_sizes, origin, origin_source,
  silhouette_state, silhouette_error`;
const FROM = 'FROM runs JOIN datasets ON datasets.id = runs.dataset_id';

/** Values per step in the stored history: run, iteration, inertia, centerShift. */
const HISTORY_FIELDS = 4;

export interface NewRun {
  datasetId: number;
  name: string;
  params: KMeansParams;
  preprocessing: Preprocessing;
  silhouette: SilhouetteOptions;
  sweepId: string | null;
  /** Default: computed by the app. */
  origin?: RunOrigin;
}

export type { RunOutcome } from '../../src-shared/model';

/** The per-sample silhouette of computeMetrics as stored (exact: every row, in row order). */
export function silhouetteOutcome(s: { exact: boolean; indices: Int32Array | null; samples: Float64Array } | null): RunOutcome['silhouette'] {
  return s ? { exact: s.exact, indices: s.indices ?? Int32Array.from({ length: s.samples.length }, (_, i) => i), values: s.samples } : null;
}

/** A fit and its metrics as one stored outcome (the worker's result message, and `cluster --save`). */
export function runOutcome(
  fit: { centers: Float64Array; labels: Int32Array; history: IterationInfo[]; nIter: number },
  transform: RunOutcome['transform'],
  metrics: Metrics,
  perSample: Parameters<typeof silhouetteOutcome>[0],
  times: { fitMs: number; metricsMs: number },
): RunOutcome {
  const { centers, labels, history, nIter } = fit;
  return { centers, transform, labels, history, nIter, metrics, silhouette: silhouetteOutcome(perSample), ...times };
}

export function encodeHistory(history: IterationInfo[]): Float64Array {
  const out = new Float64Array(history.length * HISTORY_FIELDS);
  history.forEach((h, i) => {
    out[i * 4] = h.run;
    out[i * 4 + 1] = h.iteration;
    out[i * 4 + 2] = h.inertia;
    out[i * 4 + 3] = h.centerShift;
  });
  return out;
}

export function decodeHistory(a: Float64Array): IterationInfo[] {
  const out: IterationInfo[] = [];
  for (let i = 0; i + 3 < a.length; i += HISTORY_FIELDS) {
    out.push({ run: a[i], iteration: a[i + 1], inertia: a[i + 2], centerShift: a[i + 3] });
  }
  return out;
}

export class RunsRepo {
  constructor(private readonly db: Db) {}

  create(run: NewRun, now = Date.now()): RunInfo {
    const r = this.db
      .stmt(
        `INSERT INTO runs (dataset_id, name, algorithm, k, seed, params, preprocessing, silhouette, status, sweep_id, created_at, origin, origin_source)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?)`,
      )
      .run(
        run.datasetId, run.name, run.params.algorithm, run.params.k, run.params.seed, JSON.stringify(run.params), run.preprocessing,
        JSON.stringify(run.silhouette), run.sweepId, now, run.origin?.kind ?? 'app', run.origin?.source ?? null,
      );
    return this.get(Number(r.lastInsertRowid))!;
  }

  get(id: number): RunInfo | null {
    const row = this.db.stmt<[number], RunRow>(`SELECT ${COLUMNS} ${FROM} WHERE runs.id = ?`).get(id);
    return row ? toInfo(row) : null;
  }

  /** Newest first. */
  list(filter: { datasetId?: number; sweepId?: string; status?: RunStatus[] } = {}): RunInfo[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.datasetId !== undefined) (where.push('runs.dataset_id = ?'), args.push(filter.datasetId));
    if (filter.sweepId !== undefined) (where.push('runs.sweep_id = ?'), args.push(filter.sweepId));
    if (filter.status?.length) (where.push(`runs.status IN (${filter.status.map(() => '?').join(', ')})`), args.push(...filter.status));
    const sql = `SELECT ${COLUMNS} ${FROM} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY runs.id DESC`;
    return this.db.stmt<unknown[], RunRow>(sql).all(...args).map(toInfo);
  }

  /** Ids of runs in `status`, oldest first. */
  idsWithStatus(status: RunStatus): number[] {
    return this.db.stmt<[string], { id: number }>('SELECT id FROM runs WHERE status = ? ORDER BY id').all(status).map((r) => r.id);
  }

  rename(id: number, name: string): boolean {
    return this.db.stmt('UPDATE runs SET name = ? WHERE id = ?').run(name, id).changes > 0;
  }

  markRunning(id: number, now = Date.now()): void {
    this.db.stmt("UPDATE runs SET status = 'running', started_at = ?, error = NULL WHERE id = ? AND status = 'queued'").run(now, id);
  }

  /** Ends a queued or running run without results. Returns false if it was already finished. */
  markEnded(id: number, status: 'failed' | 'cancelled' | 'interrupted', error: string | null, now = Date.now()): boolean {
    return (
      this.db
        .stmt("UPDATE runs SET status = ?, error = ?, finished_at = ? WHERE id = ? AND status IN ('queued', 'running')")
        .run(status, error, now, id).changes > 0
    );
  }

  /** A failed, cancelled or interrupted run back to `queued` (error and times cleared). False for any other status. */
  requeue(id: number): boolean {
    return (
      this.db
        .stmt("UPDATE runs SET status = 'queued', error = NULL, started_at = NULL, finished_at = NULL WHERE id = ? AND status IN ('failed', 'cancelled', 'interrupted')")
        .run(id).changes > 0
    );
  }

  /**
   * Writes the results and status `done` in one transaction. Returns false if the run is no longer running (or
   * `interrupted`: a result kept in a file while the app closed, saved at a later start).
   */
  saveResult(id: number, outcome: RunOutcome, now = Date.now()): boolean {
    const k = this.db.stmt<[number], { k: number }>('SELECT k FROM runs WHERE id = ?').get(id)?.k ?? 0;
    const sizes = new Array<number>(k).fill(0);
    for (const c of outcome.labels) if (c >= 0 && c < k) sizes[c]++;
    return this.db.transaction(() => {
      const changed = this.db
        .stmt(
          `UPDATE runs SET status = 'done', error = NULL, finished_at = ?, fit_ms = ?, metrics_ms = ?, n_iter = ?, inertia = ?,
             metrics = ?, cluster_sizes = ?, silhouette_state = ?, silhouette_error = NULL WHERE id = ? AND status IN ('running', 'interrupted')`,
        )
        .run(
          now, outcome.fitMs, outcome.metricsMs, outcome.nIter, outcome.metrics.inertia, JSON.stringify(outcome.metrics), JSON.stringify(sizes),
          outcome.silhouettePending ? 'pending' : 'final', id,
        ).changes;
      if (changed === 0) return false;
      const s = outcome.silhouette;
      this.db
        .stmt(
          `INSERT INTO run_arrays (run_id, centers, labels, history, silhouette_exact, silhouette_indices, silhouette_values,
             transform_offset, transform_factor)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          toBlob(outcome.centers),
          toBlob(outcome.labels),
          toBlob(encodeHistory(outcome.history)),
          s ? (s.exact ? 1 : 0) : null,
          s ? toBlob(s.indices) : null,
          s ? toBlob(s.values) : null,
          outcome.transform ? toBlob(outcome.transform.offset) : null,
          outcome.transform ? toBlob(outcome.transform.factor) : null,
        );
      return true;
    });
  }

  /**
   * Stores a run computed elsewhere (`cluster --save`, an imported labeling) with its results, in one
   * transaction: another process (the open app) sees all of it or nothing.
   */
  insertFinished(run: NewRun, outcome: RunOutcome, now = Date.now()): RunInfo {
    return this.db.transaction(() => {
      const { id } = this.create(run, now);
      this.markRunning(id, now);
      if (!this.saveResult(id, outcome, now)) throw new Error(`run ${id} could not be stored`);
      return this.get(id)!;
    });
  }

  /**
   * Stores the silhouette that followed a done run's result (mean into the metrics, per-sample values into its
   * arrays), in one transaction. False when the run's silhouette is not pending (deleted, failed, already final).
   */
  saveSilhouette(id: number, result: SilhouetteResult): boolean {
    return this.db.transaction(() => {
      const row = this.db
        .stmt<[number], { metrics: string | null }>("SELECT metrics FROM runs WHERE id = ? AND status = 'done' AND silhouette_state = 'pending'")
        .get(id);
      if (!row?.metrics) return false;
      const metrics: Metrics = { ...(JSON.parse(row.metrics) as Metrics), silhouette: result.value };
      this.db
        .stmt("UPDATE runs SET metrics = ?, metrics_ms = COALESCE(?, metrics_ms), silhouette_state = 'final', silhouette_error = NULL WHERE id = ?")
        .run(JSON.stringify(metrics), result.metricsMs, id);
      const s = result.silhouette;
      this.db
        .stmt('UPDATE run_arrays SET silhouette_exact = ?, silhouette_indices = ?, silhouette_values = ? WHERE run_id = ?')
        .run(s ? (s.exact ? 1 : 0) : null, s ? toBlob(s.indices) : null, s ? toBlob(s.values) : null, id);
      return true;
    });
  }

  /**
   * A done run's silhouette to be computed again (`runs/computeSilhouette`), in one transaction: its options become
   * `silhouette`, its state 'pending'; the old value and per-sample values go (they belong to the old options, and
   * the histogram and members must not show them under the new ones). A name that was the default for the old
   * options becomes the default for the new ones. False when the run is not done or its silhouette is pending.
   */
  restartSilhouette(id: number, silhouette: SilhouetteOptions): boolean {
    return this.db.transaction(() => {
      const row = this.db
        .stmt<[number], { metrics: string | null; name: string; params: string; silhouette: string }>(
          "SELECT metrics, name, params, silhouette FROM runs WHERE id = ? AND status = 'done' AND silhouette_state IS NOT 'pending'",
        )
        .get(id);
      if (!row?.metrics) return false;
      const metrics: Metrics = { ...(JSON.parse(row.metrics) as Metrics), silhouette: null };
      const params = JSON.parse(row.params) as KMeansParams;
      const wasDefault = row.name === defaultRunName(params, JSON.parse(row.silhouette) as SilhouetteOptions);
      this.db
        .stmt("UPDATE runs SET silhouette = ?, metrics = ?, name = ?, silhouette_state = 'pending', silhouette_error = NULL WHERE id = ?")
        .run(JSON.stringify(silhouette), JSON.stringify(metrics), wasDefault ? defaultRunName(params, silhouette) : row.name, id);
      this.db.stmt('UPDATE run_arrays SET silhouette_exact = NULL, silhouette_indices = NULL, silhouette_values = NULL WHERE run_id = ?').run(id);
      return true;
    });
  }

  /** A pending silhouette that will not come (worker gone, cancelled, app closed): 'failed' with `why`. False if it was not pending. */
  failSilhouette(id: number, why: string): boolean {
    return this.db.stmt("UPDATE runs SET silhouette_state = 'failed', silhouette_error = ? WHERE id = ? AND silhouette_state = 'pending'").run(why, id).changes > 0;
  }

  /** At start-up: silhouettes left 'pending' by a crash or a kill become 'failed'. Returns their run ids. */
  failPendingSilhouettes(): number[] {
    const ids = this.db.stmt<[], { id: number }>("SELECT id FROM runs WHERE silhouette_state = 'pending' ORDER BY id").all().map((r) => r.id);
    if (ids.length) {
      this.db
        .stmt("UPDATE runs SET silhouette_state = 'failed', silhouette_error = 'the app stopped while the silhouette was computed' WHERE silhouette_state = 'pending'")
        .run();
    }
    return ids;
  }

  /** Stored arrays of a done run (only those in `include`), or null when it has none. */
  arrays(id: number, include: readonly RunArrayName[] = ['centers', 'labels', 'silhouette', 'history']): RunArrays | null {
    const cols = ['runs.k', 'datasets.d'];
    if (include.includes('centers')) cols.push('a.centers', 'a.transform_offset', 'a.transform_factor');
    if (include.includes('labels')) cols.push('a.labels');
    if (include.includes('history')) cols.push('a.history');
    if (include.includes('silhouette')) cols.push('a.silhouette_exact', 'a.silhouette_indices', 'a.silhouette_values');
    const row = this.db
      .stmt<[number], Record<string, unknown>>(
        `SELECT ${cols.join(', ')} FROM run_arrays a JOIN runs ON runs.id = a.run_id JOIN datasets ON datasets.id = runs.dataset_id WHERE a.run_id = ?`,
      )
      .get(id);
    if (!row) return null;
    const blob = (name: string) => row[name] as Buffer | null | undefined;
    const silIdx = blob('silhouette_indices');
    const silVal = blob('silhouette_values');
    const offset = blob('transform_offset');
    const factor = blob('transform_factor');
    return {
      id,
      k: row.k as number,
      d: row.d as number,
      centers: blob('centers') ? fromBlob(blob('centers')!, Float64Array) : null,
      transform: offset && factor ? { offset: fromBlob(offset, Float64Array), factor: fromBlob(factor, Float64Array) } : null,
      labels: blob('labels') ? fromBlob(blob('labels')!, Int32Array) : null,
      history: blob('history') ? decodeHistory(fromBlob(blob('history')!, Float64Array)) : null,
      silhouette:
        silIdx && silVal
          ? { exact: row.silhouette_exact === 1, indices: fromBlob(silIdx, Int32Array), values: fromBlob(silVal, Float64Array) }
          : null,
    };
  }

  delete(id: number): boolean {
    return this.db.stmt('DELETE FROM runs WHERE id = ?').run(id).changes > 0;
  }

  /** At start-up: runs left `running` by a crash or a kill become `interrupted`. Returns their ids. */
  interruptRunning(now = Date.now()): number[] {
    const ids = this.idsWithStatus('running');
    if (ids.length) {
      this.db
        .stmt("UPDATE runs SET status = 'interrupted', error = 'the app stopped while this run was computing', finished_at = ? WHERE status = 'running'")
        .run(now);
    }
    return ids;
  }
}

function toInfo(r: RunRow): RunInfo {
  return {
    id: r.id,
    name: r.name,
    datasetId: r.dataset_id,
    datasetName: r.dataset_name,
    algorithm: r.algorithm,
    params: JSON.parse(r.params) as KMeansParams,
    preprocessing: r.preprocessing,
    silhouette: JSON.parse(r.silhouette) as SilhouetteOptions,
    status: r.status,
    error: r.error,
    sweepId: r.sweep_id,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    fitMs: r.fit_ms,
    metricsMs: r.metrics_ms,
    nIter: r.n_iter,
    metrics: r.metrics ? (JSON.parse(r.metrics) as Metrics) : null,
    clusterSizes: r.cluster_sizes ? (JSON.parse(r.cluster_sizes) as number[]) : null,
    origin: { kind: r.origin, source: r.origin_source },
    ...silhouetteStatus(r),
  };
}

/** A run's silhouette state: stored since it follows `done`; runs saved before (NULL) had it with their result. */
function silhouetteStatus(r: RunRow): Pick<RunInfo, 'silhouetteState' | 'silhouetteError'> {
  const mode = (JSON.parse(r.silhouette) as SilhouetteOptions).mode;
  if (r.status !== 'done' || mode === 'none') return { silhouetteState: 'none', silhouetteError: null };
  return { silhouetteState: r.silhouette_state ?? 'final', silhouetteError: r.silhouette_state === 'failed' ? r.silhouette_error : null };
}
