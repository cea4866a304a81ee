/**
 * The requests that read a finished run: its arrays, the views computed from them (contingency, silhouette
 * histogram, members, comparison, profiles), and dataset samples (rows as the renderer draws them).
 */
import type { Handlers } from '../../src-shared/api';
import { silhouetteHistogramView } from '../run-views';
import { notFound, ServiceError, type ServiceContext } from './context';

type ViewRequests = 'runs/arrays' | 'runs/contingency' | 'runs/silhouetteHistogram' | 'runs/members' | 'runs/compare' | 'runs/profiles';

export function viewHandlers(ctx: ServiceContext): Pick<Handlers, ViewRequests> {
  const { store, views } = ctx;
  return {
    'runs/arrays': ({ id, include }) => ctx.doneArrays(id, include).arrays,
    'runs/contingency': ({ id }) => {
      const { run, arrays } = ctx.doneArrays(id, ['labels']);
      const ds = store.datasets.get(run.datasetId)!;
      const trueLabels = store.datasets.labels(run.datasetId);
      if (!trueLabels || !ds.labelNames) throw new ServiceError('conflict', `dataset ${ds.name} has no true labels`);
      return views.contingency(id, arrays.labels!, arrays.k, trueLabels, ds.labelNames);
    },
    'runs/silhouetteHistogram': ({ id, bins }) => {
      const { run, arrays } = ctx.doneArrays(id, ['labels', 'silhouette']);
      if (!arrays.silhouette) throw new ServiceError('conflict', `run ${id} has no silhouette values (mode ${run.silhouette.mode})`);
      return silhouetteHistogramView(id, arrays.labels!, arrays.k, arrays.silhouette, bins ?? 40);
    },
    'runs/members': (req) => members(ctx, req),
    'runs/compare': ({ a, b }) => {
      const ra = ctx.doneArrays(a, ['labels']);
      const rb = ctx.doneArrays(b, ['labels']);
      if (ra.run.datasetId !== rb.run.datasetId) {
        throw new ServiceError('conflict', `runs ${a} and ${b} are on different datasets (${ra.run.datasetName}, ${rb.run.datasetName})`);
      }
      return views.compare({ id: a, k: ra.arrays.k, labels: ra.arrays.labels! }, { id: b, k: rb.arrays.k, labels: rb.arrays.labels! });
    },
    'runs/profiles': ({ id }) => {
      // in the view thread, which reads the dataset itself: the rows never load into main for this
      const { run, arrays } = ctx.doneArrays(id, ['labels']);
      const hash = store.datasets.get(run.datasetId)?.hash ?? notFound('dataset', run.datasetId);
      return views.profiles({ dbPath: ctx.dbPath, datasetId: run.datasetId, hash, runId: id, labels: arrays.labels!, k: arrays.k });
    },
  };
}

async function members(ctx: ServiceContext, req: Parameters<Handlers['runs/members']>[0]): Promise<Awaited<ReturnType<Handlers['runs/members']>>> {
  const { run, arrays } = ctx.doneArrays(req.id, ['labels', 'centers', 'silhouette']);
  if (req.cluster >= arrays.k) throw new ServiceError('bad-request', `runs/members: cluster must be < k = ${arrays.k}, got ${req.cluster}`);
  if (req.sortBy === 'silhouette' && !arrays.silhouette) {
    throw new ServiceError('conflict', `run ${req.id} has no silhouette values (mode ${run.silhouette.mode})`);
  }
  // sorting a cluster's rows needs the dataset: in the view thread, off main's event loop
  const hash = ctx.store.datasets.get(run.datasetId)?.hash ?? notFound('dataset', run.datasetId);
  const m = await ctx.views.members({
    dbPath: ctx.dbPath, datasetId: run.datasetId, hash, labels: arrays.labels!, centers: arrays.centers!, silhouette: arrays.silhouette,
    query: { ...req, offset: req.offset ?? 0 }, transform: arrays.transform, withRows: req.withRows !== false,
  });
  return { id: req.id, cluster: req.cluster, ...m };
}
