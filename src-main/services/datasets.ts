/** The requests on datasets: list, get, delete, import (one queue, cancellable), and their samples. */
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { DatasetImportOptions, Handlers, ImportReply, RequestOf } from '../../src-shared/api';
import { BUILTIN_MNIST_SOURCE } from '../../src-shared/api';
import { ACTIVE_RUN_STATUSES } from '../../src-shared/params';
import { DEFAULT_LIMITS } from '../datasets/limits';
import { importInWorker } from '../jobs/import-job';
import { ImportCancelledError } from '../jobs/import-queue';
import type { ImportSpec } from '../jobs/protocol';
import { importMatrixLimit } from '../memory-budget';
import type { Upload } from '../uploads';
import { notFound, ServiceError, type ServiceContext } from './context';
import { samplesOf } from '../run-views';

type DatasetRequests = 'datasets/list' | 'datasets/get' | 'datasets/delete' | 'datasets/import' | 'imports/list' | 'imports/cancel' | 'datasets/samples';

export function datasetHandlers(ctx: ServiceContext): Pick<Handlers, DatasetRequests> {
  const { store, imports } = ctx;
  return {
    'datasets/list': () => store.datasets.list(),
    'datasets/get': ({ id }) => store.datasets.get(id) ?? notFound('dataset', id),
    'datasets/delete': ({ id }) => {
      const info = store.datasets.get(id) ?? notFound('dataset', id);
      if (info.source === BUILTIN_MNIST_SOURCE) throw new ServiceError('conflict', 'the built-in MNIST cannot be deleted');
      const active = store.runs.list({ datasetId: id, status: [...ACTIVE_RUN_STATUSES] });
      if (active.length) throw new ServiceError('conflict', `dataset ${id} has ${active.length} queued or running run(s); cancel them first`);
      // a silhouette still being computed for one of its done runs stops with it (its worker would only hold the slot)
      for (const r of store.runs.list({ datasetId: id })) if (r.silhouetteState === 'pending') ctx.scheduler.cancel(r.id);
      store.datasets.delete(id);
      ctx.forgetDataset(id);
      ctx.emit('dataset/deleted', { id });
      return { id };
    },
    'datasets/import': (req) => importDataset(ctx, req),
    'imports/list': () => imports.list(),
    'imports/cancel': ({ importId }) => {
      if (!imports.cancel(importId)) throw new ServiceError('not-found', `import ${importId} is not queued or running`);
      return { importId };
    },
    'datasets/samples': ({ id, indices }) => {
      const ds = ctx.dataset(id);
      for (const i of indices) if (i >= ds.n) throw new ServiceError('bad-request', `datasets/samples: index ${i} is out of range (n = ${ds.n})`);
      return samplesOf(id, ds, indices);
    },
  };
}

type ImportSource = Pick<ImportSpec, 'paths' | 'files' | 'uploads'>;

/** Queues an import: the files are parsed in a worker, the dataset stored in one transaction. */
async function importDataset(ctx: ServiceContext, req: RequestOf<'datasets/import'>): Promise<ImportReply> {
  if ('paths' in req && ctx.opts.host !== 'electron') {
    throw new ServiceError('unsupported', 'import by path is only available in the desktop app; upload the files instead');
  }
  let taken: Upload[] = [];
  try {
    const importId = req.importId ?? randomUUID();
    const { source, names, uploads } = importSource(ctx, req);
    taken = uploads;
    // after the uploads are taken, so a refused request leaves none behind
    if (ctx.imports.has(importId)) throw new ServiceError('conflict', `an import with id ${importId} is already queued or running`);
    const name = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
    return await ctx.imports.add(importId, name, (signal, progress) => parseAndStore(ctx, source, req.options ?? {}, name, signal, progress));
  } catch (e) {
    if (e instanceof ImportCancelledError) throw new ServiceError('conflict', e.message);
    if (ctx.isClosed() && !(e instanceof ServiceError)) throw new ServiceError('internal', (e as Error).message);
    throw e;
  } finally {
    ctx.uploads.discard(taken);
  }
}

/** What the worker reads, the names shown while it does, and the uploads taken from the upload folder. */
function importSource(ctx: ServiceContext, req: RequestOf<'datasets/import'>): { source: ImportSource; names: string[]; uploads: Upload[] } {
  if ('paths' in req) return { source: { paths: req.paths }, names: req.paths.map((p) => basename(p)), uploads: [] };
  if ('files' in req) return { source: { files: req.files }, names: req.files.map((f) => f.name), uploads: [] };
  const found = ctx.uploads.take(req.uploads.map((u) => u.uploadId));
  if (!found.ok) throw new ServiceError('not-found', `upload ${found.missing} does not exist (never uploaded, or already imported or cancelled)`);
  const uploads = found.uploads;
  return { source: { uploads: req.uploads.map((u, i) => ({ name: u.name, path: uploads[i].path })) }, names: req.uploads.map((u) => u.name), uploads };
}

async function parseAndStore(
  ctx: ServiceContext,
  source: ImportSource,
  options: DatasetImportOptions,
  name: string,
  signal: AbortSignal,
  progress: (phase: 'parse' | 'store', fraction: number) => void,
): Promise<ImportReply> {
  const limits = { maxMatrixBytes: Math.min(DEFAULT_LIMITS.maxMatrixBytes, importMatrixLimit()) };
  const spec: ImportSpec = { ...source, dbPath: ctx.dbPath, name: options.name, labelColumn: options.labelColumn, color: options.color, limits };
  // the worker parses and stores (one transaction, its own connection): main's event loop never carries the write
  // of a large dataset, it only reads the new row
  const { datasetId, existed } = await importInWorker(ctx.opts.launcher, spec, progress, signal);
  if (ctx.isClosed()) throw new ServiceError('internal', 'the import was stopped: the app is shutting down');
  // a cancel that came while the dataset was being written: what it wrote is removed again
  if (signal.aborted) {
    if (!existed) ctx.store.datasets.delete(datasetId);
    throw new ImportCancelledError(name);
  }
  progress('store', 1);
  const info = ctx.store.datasets.get(datasetId) ?? notFound('dataset', datasetId);
  if (!existed) ctx.emit('dataset/imported', info);
  return { dataset: info, existed };
}
