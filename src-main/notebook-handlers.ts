/**
 * The requests that take a run to a notebook and bring one back: `runs/export` (labels.npy, centers.npy, run.json,
 * reproduce.py: the files `cluster --export` writes) and `runs/importLabeling` (a labels file made elsewhere
 * becomes an external run; parsed and measured in a worker process, stored by main in one transaction).
 */
import type { DatasetInfo, Handlers, RunArrays, RunInfo, SilhouetteOptions } from '../src-shared/api';
import { buildRunExport } from './export/run-export';
import { labelingInWorker } from './jobs/import-job';
import type { Launcher } from './jobs/launcher';
import type { Store } from './store';

export interface NotebookContext {
  store: Store;
  dbPath: string;
  launcher: Launcher;
  /** Aborted when the app closes: stops a labeling still being measured. */
  closing: AbortSignal;
  defaultSilhouette: SilhouetteOptions;
  /** The run and its arrays, or a ServiceError (not found, not done). */
  doneArrays(id: number): { run: RunInfo; arrays: RunArrays };
  /** A dataset's info, or a not-found ServiceError. */
  datasetInfo(id: number): DatasetInfo;
  announce(run: RunInfo): void;
}

export function notebookHandlers(ctx: NotebookContext): Pick<Handlers, 'runs/export' | 'runs/importLabeling'> {
  return {
    'runs/export': ({ id }) => {
      const { run, arrays } = ctx.doneArrays(id);
      const ds = ctx.datasetInfo(run.datasetId);
      const csv = ctx.store.datasets.csvLayout(ds.id) ?? undefined;
      const sil = arrays.silhouette;
      const external = run.origin.kind === 'external';
      const made = buildRunExport({
        name: run.name,
        origin: run.origin,
        dataset: { name: ds.name, source: ds.source, n: ds.n, d: ds.d, dtype: ds.dtype, scale: ds.scale, csv },
        params: external ? null : run.params,
        preprocessing: run.preprocessing,
        transform: arrays.transform,
        labels: arrays.labels!,
        centers: arrays.centers!,
        k: arrays.k,
        metrics: run.metrics!,
        nIter: external ? null : run.nIter,
        silhouette: sil ? { mode: run.silhouette.mode, exact: sil.exact, sampleSize: sil.indices.length } : null,
      });
      return { id, ...made };
    },
    'runs/importLabeling': async (req) => {
      const ds = ctx.datasetInfo(req.datasetId);
      const silhouette = req.silhouette ?? { ...ctx.defaultSilhouette };
      const made = await labelingInWorker(
        ctx.launcher,
        { dbPath: ctx.dbPath, datasetId: ds.id, file: req.file, name: req.name?.trim() || undefined, silhouette },
        ctx.closing,
      );
      const run = ctx.store.runs.insertFinished({ ...made.run, datasetId: ds.id }, made.outcome);
      ctx.announce(run);
      return run;
    },
  };
}
