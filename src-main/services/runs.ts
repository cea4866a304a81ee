/** The requests on runs: start (one run, a group over seeds, a sweep over k), list, get, delete, retry, rename, cancel, the queue. */
import { randomUUID } from 'node:crypto';
import type { Handlers, RequestOf, RunInfo, SilhouetteOptions, StartRunReply } from '../../src-shared/api';
import type { KMeansParams } from '../../src-shared/model';
import { defaultPreprocessing } from '../../src-shared/defaults';
import { defaultRunName, silhouetteLabel } from '../../src-shared/run-names';
import { resolveParams } from '../engine/params';
import { runMemoryProblem } from '../memory-budget';
import { sweepStability } from '../sweep-stability';
import { DEFAULT_SILHOUETTE, notFound, ServiceError, type ServiceContext } from './context';

type RunRequests =
  'runs/start' | 'runs/list' | 'runs/get' | 'runs/delete' | 'runs/retry' | 'runs/stability' | 'runs/rename' | 'runs/cancel' | 'runs/computeSilhouette' | 'queue/get';

export function runHandlers(ctx: ServiceContext): Pick<Handlers, RunRequests> {
  const { store, scheduler } = ctx;
  return {
    'runs/start': (req) => startRuns(ctx, req),
    'runs/list': (req) => store.runs.list(req ?? {}),
    'runs/get': ({ id }) => ctx.run(id),
    'runs/delete': ({ id }) => {
      ctx.run(id);
      scheduler.cancel(id);
      store.runs.delete(id);
      ctx.emit('run/deleted', { id });
      return { id };
    },
    'runs/retry': ({ id }) => {
      const run = ctx.run(id);
      if (!store.runs.requeue(id)) throw new ServiceError('conflict', `run ${id} is ${run.status}; only failed, cancelled or interrupted runs can be retried`);
      const queued = ctx.run(id);
      ctx.emit('run/updated', queued);
      scheduler.enqueue(id);
      return queued;
    },
    'runs/stability': ({ sweepId }) => sweepStability(store, sweepId),
    'runs/rename': ({ id, name }) => {
      ctx.run(id);
      store.runs.rename(id, name.trim());
      const run = ctx.run(id);
      ctx.emit('run/updated', run);
      return run;
    },
    'runs/cancel': ({ id }) => cancelRun(ctx, id),
    'runs/computeSilhouette': (req) => computeSilhouette(ctx, req),
    'queue/get': () => scheduler.state(),
  };
}

/** Every parameter set a start request asks for (its sweep's ks × seeds, or one run), each checked against the data. */
function resolveAll(req: RequestOf<'runs/start'>, n: number): { resolved: KMeansParams[]; ks: number[]; seeds: number[] } {
  const ks = req.sweep ? req.sweep.ks : [req.params.k!];
  const seeds = req.sweep?.seeds ?? [req.params.seed ?? 0];
  const resolved = ks.flatMap((k) => seeds.map((seed) => ({ k, seed }))).map(({ k, seed }) => {
    try {
      return resolveParams({ ...req.params, k, seed }, n);
    } catch (e) {
      const err = e as Error & { param?: string };
      if (err.name === 'ParamError') throw new ServiceError('bad-request', `runs/start: params.${err.param}: ${err.message}`);
      throw e;
    }
  });
  return { resolved, ks, seeds };
}

function startRuns(ctx: ServiceContext, req: RequestOf<'runs/start'>): StartRunReply {
  const { store } = ctx;
  const ds = store.datasets.get(req.datasetId) ?? notFound('dataset', req.datasetId);
  const { resolved, ks, seeds } = resolveAll(req, ds.n);
  const silhouette = req.silhouette ?? { ...DEFAULT_SILHOUETTE };
  if (silhouette.mode === 'sample' && silhouette.sampleSize === undefined) silhouette.sampleSize = DEFAULT_SILHOUETTE.sampleSize;
  const preprocessing = req.preprocessing ?? defaultPreprocessing(ds);
  // before anything is queued: a run that cannot fit in memory is refused with the numbers
  const tooBig = runMemoryProblem(ds, Math.max(...resolved.map((p) => p.k)), preprocessing, silhouette);
  if (tooBig) throw new ServiceError('unsupported', `runs/start: ${tooBig}`);
  const sweepId = req.sweep ? randomUUID() : null;
  const nameOf = (params: KMeansParams): string =>
    !req.name
      ? defaultRunName(params, silhouette)
      : !req.sweep
        ? req.name
        : `${req.name}${ks.length > 1 ? ` k=${params.k}` : ''}${seeds.length > 1 ? ` seed ${params.seed}` : ''}`;
  // a sweep's runs are created together or not at all
  const runs = store.db.transaction(() =>
    resolved.map((params) => store.runs.create({ datasetId: ds.id, name: nameOf(params), params, preprocessing, silhouette, sweepId })),
  );
  for (const r of runs) ctx.emit('run/updated', r);
  for (const r of runs) ctx.scheduler.enqueue(r.id);
  return { runs: runs.map((r) => store.runs.get(r.id)!), sweepId };
}

/** The silhouette options of a request: a sample without a size takes the default size, as runs/start gives it. */
function requestedSilhouette(req: RequestOf<'runs/computeSilhouette'>): SilhouetteOptions {
  return req.mode === 'sample' ? { mode: 'sample', sampleSize: req.sampleSize ?? DEFAULT_SILHOUETTE.sampleSize } : { mode: 'exact' };
}

const sameSilhouette = (a: SilhouetteOptions, b: SilhouetteOptions): boolean =>
  a.mode === b.mode && (a.mode !== 'sample' || (a.sampleSize ?? DEFAULT_SILHOUETTE.sampleSize) === (b.sampleSize ?? DEFAULT_SILHOUETTE.sampleSize));

/** Queues a done run's silhouette as a job of its own (jobs/scheduler.ts enqueueSilhouette). */
function computeSilhouette(ctx: ServiceContext, req: RequestOf<'runs/computeSilhouette'>): RunInfo {
  const { store, scheduler } = ctx;
  const id = req.runId;
  const run = ctx.run(id);
  const what = `runs/computeSilhouette: run ${id}`;
  if (run.status !== 'done') throw new ServiceError('conflict', `${what} is ${run.status}; only a done run's silhouette can be computed`);
  if (run.silhouetteState === 'pending') throw new ServiceError('conflict', `${what}: its silhouette is already being computed`);
  const silhouette = requestedSilhouette(req);
  if (run.silhouetteState === 'final' && sameSilhouette(run.silhouette, silhouette)) {
    throw new ServiceError('conflict', `${what}: its ${silhouetteLabel(silhouette)} is computed already`);
  }
  // the runs of a deleted dataset go with it; a dataset that is gone anyway is said so, not left to the worker
  const ds = store.datasets.get(run.datasetId);
  if (!ds) throw new ServiceError('not-found', `${what}: its dataset ${run.datasetId} was deleted`);
  const tooBig = runMemoryProblem(ds, run.params.k, run.preprocessing, silhouette);
  if (tooBig) throw new ServiceError('unsupported', `${what}: ${tooBig}`);
  if (!store.runs.restartSilhouette(id, silhouette)) throw new ServiceError('conflict', `${what} changed meanwhile; try again`);
  const pending = ctx.run(id);
  ctx.emit('run/updated', pending);
  if (!scheduler.enqueueSilhouette(id)) {
    // not queued (the app is closing): the silhouette will not come, and says so
    store.runs.failSilhouette(id, 'not computed: the app is shutting down');
    ctx.emit('run/updated', ctx.run(id));
    throw new ServiceError('conflict', `${what}: the app is shutting down`);
  }
  return pending;
}

function cancelRun(ctx: ServiceContext, id: number) {
  const run = ctx.run(id);
  if (ctx.scheduler.cancel(id)) return ctx.run(id);
  if (run.status !== 'queued' && run.status !== 'running') throw new ServiceError('conflict', `run ${id} is already ${run.status}`);
  // not known to this scheduler (should not happen): end it anyway
  ctx.store.runs.markEnded(id, 'cancelled', null);
  const ended = ctx.run(id);
  ctx.emit('run/updated', ended);
  return ended;
}
