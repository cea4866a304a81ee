/**
 * The requests that read a finished run: its arrays, the views computed from them (contingency, silhouette
 * histogram, members, comparison, profiles), and dataset samples (rows as the renderer draws them).
 */
import type { Handlers } from '../../src-shared/api';
import type { Dataset } from '../../src-shared/model';
import { clusterMembers, clusterProfiles, silhouetteHistogramView } from '../run-views';
import { ServiceError, type ServiceContext } from './context';

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
      const { run, arrays } = ctx.doneArrays(id, ['labels']);
      return clusterProfiles(id, ctx.dataset(run.datasetId), arrays.labels!, arrays.k);
    },
  };
}

function members(ctx: ServiceContext, req: Parameters<Handlers['runs/members']>[0]): ReturnType<Handlers['runs/members']> {
  const { run, arrays } = ctx.doneArrays(req.id, ['labels', 'centers', 'silhouette']);
  if (req.cluster >= arrays.k) throw new ServiceError('bad-request', `runs/members: cluster must be < k = ${arrays.k}, got ${req.cluster}`);
  if (req.sortBy === 'silhouette' && !arrays.silhouette) {
    throw new ServiceError('conflict', `run ${req.id} has no silhouette values (mode ${run.silhouette.mode})`);
  }
  const ds = ctx.dataset(run.datasetId);
  const m = clusterMembers(ds, arrays.labels!, arrays.centers!, arrays.silhouette, { ...req, offset: req.offset ?? 0 }, arrays.transform);
  return {
    id: req.id,
    cluster: req.cluster,
    ...m,
    samples: req.withRows === false ? null : samplesOf(run.datasetId, ds, Array.from(m.indices)),
  };
}

/** Rows `indices` of a dataset, in its own dtype, with their labels. */
export function samplesOf(datasetId: number, ds: Dataset, indices: number[]) {
  const data = ds.dtype === 'uint8' ? new Uint8Array(indices.length * ds.d) : new Float32Array(indices.length * ds.d);
  indices.forEach((row, r) => data.set(ds.data.subarray(row * ds.d, (row + 1) * ds.d), r * ds.d));
  return {
    datasetId,
    indices: Int32Array.from(indices),
    d: ds.d,
    dtype: ds.dtype,
    scale: ds.scale,
    data,
    labels: ds.labels ? Int32Array.from(indices, (i) => ds.labels![i]) : null,
    imageShape: ds.imageShape ?? null,
  };
}
