/**
 * The contract at the edge: every request type rejects malformed payloads with a clear `bad-request`
 * naming the field, before any handler runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_NAMES, type RequestName } from '../../src-shared/api';
import { validateRequest } from '../../src-shared/schema';
import { ChildProcessLauncher } from '../../src-main/jobs/launcher';
import { Services } from '../../src-main/services';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';

/** For each request: malformed payloads and a fragment the error message must contain. */
const MALFORMED: Record<RequestName, [payload: unknown, mentions: string][]> = {
  'app/info': [[{ x: 1 }, 'x is not a known field'], [[1], 'payload must be an object']],
  'datasets/list': [[{ id: 1 }, 'id is not a known field'], ['all', 'payload must be an object']],
  'datasets/get': [[{}, 'id must be an integer'], [{ id: '1' }, 'id must be an integer'], [{ id: 0 }, 'id must be'], [null, 'payload must be an object']],
  'datasets/delete': [[{ id: 1.5 }, 'id must be an integer'], [undefined, 'payload must be an object']],
  'datasets/import': [
    [{}, 'paths or files or uploads must be given'],
    [{ paths: ['a'], files: [] }, 'paths or files or uploads must be given'],
    [{ paths: [] }, 'paths must have 1 to 100 elements'],
    [{ paths: [3] }, 'paths[0] must be a string'],
    [{ files: [{ name: 'a.csv', bytes: 'abc' }] }, 'files[0].bytes must be a Uint8Array'],
    [{ files: [{ name: '', bytes: new Uint8Array(1) }] }, 'files[0].name must not be empty'],
    [{ paths: ['a'], options: { labelColumn: 3 } }, 'options.labelColumn must be a string'],
    [{ paths: ['a'], options: { header: true } }, 'options.header is not a known field'],
    [{ paths: ['a'], options: { color: 'cmyk' } }, "options.color must be one of 'auto', 'gray', 'rgb'"],
    [{ paths: ['a'], uploads: [{ name: 'a.csv', uploadId: 'x' }] }, 'paths or files or uploads must be given'],
    [{ uploads: [{ name: 'a.csv', uploadId: '../etc/passwd' }] }, "uploads[0].uploadId must be 1 to 64 letters, digits or '-'"],
    [{ uploads: [{ name: 'a.csv', uploadId: 'u1' }, { name: 'b.csv', uploadId: 'u1' }] }, 'uploads[1].uploadId names an upload already named before'],
    [{ uploads: [{ name: 'a.csv' }] }, 'uploads[0].uploadId must be'],
    [{ paths: ['a'], importId: 'a b' }, 'importId must be 1 to 64 letters'],
  ],
  'imports/list': [[{ all: true }, 'all is not a known field']],
  'imports/cancel': [[{}, 'importId must be'], [{ importId: 'x'.repeat(65) }, 'importId must be 1 to 64 letters']],
  'datasets/samples': [
    [{ id: 1 }, 'indices must be an array'],
    [{ id: 1, indices: [0, -1] }, 'indices[1] must be an integer'],
    [{ id: 1, indices: new Array(10_001).fill(0) }, 'indices must have 0 to 10000 elements'],
  ],
  'runs/start': [
    [{ datasetId: 1, params: {} }, 'params.k must be an integer'],
    [{ datasetId: 1, params: { k: 0 } }, 'params.k must be an integer'],
    [{ params: { k: 3 } }, 'datasetId must be an integer'],
    [{ datasetId: 1, params: { k: 3, algorithm: 'dbscan' } }, "params.algorithm must be one of 'kmeans', 'minibatch'"],
    [{ datasetId: 1, params: { k: 3, tol: -1 } }, 'params.tol must be a number'],
    [{ datasetId: 1, params: { k: 3, seed: 2 ** 32 } }, 'params.seed must be an integer'],
    [{ datasetId: 1, params: { k: 3, nInit: 'many' } }, 'params.nInit must be an integer'],
    [{ datasetId: 1, params: { k: 3, kk: 3 } }, 'params.kk is not a known field'],
    [{ datasetId: 1, params: { k: 3 }, silhouette: { mode: 'some' } }, "silhouette.mode must be one of 'exact', 'sample', 'none'"],
    [{ datasetId: 1, params: { k: 3 }, silhouette: { mode: 'sample', sampleSize: 1 } }, 'silhouette.sampleSize must be an integer'],
    [{ datasetId: 1, params: {}, sweep: { ks: [] } }, 'sweep.ks must have 1 to 500 elements'],
    [{ datasetId: 1, params: {}, sweep: { ks: [2, 2] } }, 'sweep.ks must not repeat a k'],
    [{ datasetId: 1, params: {}, sweep: { ks: [501] } }, 'sweep.ks[0] must be an integer in [1, 500]'],
    [{ datasetId: 1, params: {}, sweep: { ks: [2], seeds: [-1] } }, 'sweep.seeds[0] must be an integer'],
    [{ datasetId: 1, params: {}, sweep: { ks: Array.from({ length: 30 }, (_, i) => i + 1), seeds: Array.from({ length: 100 }, (_, i) => i) } }, 'at most 2000'],
    [{ datasetId: 1, params: { k: 3 }, name: '   ' }, 'name must not be empty'],
    [{ datasetId: 1, params: { k: 3 }, preprocessing: 'whiten' }, "preprocessing must be one of 'none', 'scale', 'standardize', got \"whiten\""],
  ],
  'runs/list': [[{ status: ['finished'] }, 'status[0] must be one of'], [{ datasetId: -1 }, 'datasetId must be an integer']],
  'runs/get': [[{ id: null }, 'id must be an integer']],
  'runs/delete': [[{ id: 1, force: true }, 'force is not a known field']],
  'runs/rename': [[{ id: 1 }, 'name must be a string'], [{ id: 1, name: 'x'.repeat(201) }, 'name must be at most 200 characters']],
  'runs/cancel': [[{ id: [1] }, 'id must be an integer']],
  'runs/computeSilhouette': [
    [{ id: 1, mode: 'exact' }, 'id is not a known field'],
    [{ mode: 'exact' }, 'runId must be an integer'],
    [{ runId: 1, mode: 'none' }, "mode must be one of 'sample', 'exact'"],
    [{ runId: 1 }, "mode must be one of 'sample', 'exact'"],
    [{ runId: 1, mode: 'sample', sampleSize: 1 }, 'sampleSize must be an integer in [2,'],
    [{ runId: 1, mode: 'exact', sampleSize: 100 }, "sampleSize goes with mode 'sample'"],
  ],
  'runs/retry': [[{ id: 0 }, 'id must be an integer'], [{}, 'id must be an integer']],
  'runs/stability': [[{ sweepId: '' }, 'sweepId must not be empty'], [{ sweepId: 3 }, 'sweepId must be a string'], [{ sweepId: 'a', x: 1 }, 'x is not a known field']],
  'runs/arrays': [[{ id: 1, include: ['centres'] }, "include[0] must be one of 'centers'"]],
  'runs/contingency': [[{}, 'id must be an integer']],
  'runs/silhouetteHistogram': [[{ id: 1, bins: 1 }, 'bins must be an integer in [2, 200]'], [{ id: 1, bins: 1000 }, 'bins must be an integer in [2, 200]']],
  'runs/members': [
    [{ id: 1, cluster: 0, sortBy: 'distance', order: 'asc' }, 'limit must be an integer'],
    [{ id: 1, cluster: 0, sortBy: 'size', order: 'asc', limit: 5 }, "sortBy must be one of 'distance', 'silhouette'"],
    [{ id: 1, cluster: -1, sortBy: 'distance', order: 'asc', limit: 5 }, 'cluster must be an integer'],
    [{ id: 1, cluster: 0, sortBy: 'distance', order: 'up', limit: 5 }, "order must be one of 'asc', 'desc'"],
    [{ id: 1, cluster: 0, sortBy: 'distance', order: 'asc', limit: 5, withRows: 'yes' }, 'withRows must be a boolean'],
  ],
  'runs/compare': [[{ a: 1 }, 'b must be an integer'], [{ a: 1, b: 'two' }, 'b must be an integer']],
  'runs/importLabeling': [
    [{ datasetId: 1 }, 'file must be an object'],
    [{ datasetId: 1, file: { name: 'l.npy', bytes: [1, 2] } }, 'file.bytes must be a Uint8Array'],
    [{ datasetId: 1, file: { name: 'l.npy', bytes: new Uint8Array(1) }, silhouette: { mode: 'all' } }, 'silhouette.mode must be one of'],
    [{ datasetId: 'x', file: { name: 'l.npy', bytes: new Uint8Array(1) } }, 'datasetId must be an integer'],
  ],
  'runs/export': [[{}, 'id must be an integer'], [{ id: 1, format: 'zip' }, 'format is not a known field']],
  'runs/profiles': [[{ id: 0 }, 'id must be'], [{ id: 1, k: 2 }, 'k is not a known field']],
  'queue/get': [[{ all: true }, 'all is not a known field']],
  'embeddings/get': [
    [{ datasetId: 1 }, "method must be one of 'pca'"],
    [{ datasetId: 1, method: 'tsne' }, "method must be one of 'pca'"],
    [{ datasetId: 1, method: 'pca', seed: -1 }, 'seed must be an integer'],
    [{ datasetId: 1, method: 'pca', preprocessing: 'whiten' }, 'preprocessing must be one of'],
  ],
  'embeddings/cancel': [[{ method: 'pca' }, 'datasetId must be an integer']],
};

describe('request validation', () => {
  it('has malformed cases for every request type', () => {
    expect(Object.keys(MALFORMED).sort()).toEqual([...REQUEST_NAMES].sort());
  });

  for (const name of REQUEST_NAMES) {
    it(`${name} rejects malformed payloads naming the field`, () => {
      for (const [payload, mentions] of MALFORMED[name]) {
        const v = validateRequest(name, payload);
        expect(v.ok, JSON.stringify(payload)).toBe(false);
        if (!v.ok) {
          expect(v.message.startsWith(`${name}: `)).toBe(true);
          expect(v.message).toContain(mentions);
        }
      }
    });
  }
});

describe('services answer malformed requests without throwing', () => {
  let dir: string;
  let services: Services;
  beforeAll(() => {
    dir = makeTempDir('contract');
    services = new Services({ dataDir: dir, host: 'browser', launcher: new ChildProcessLauncher(), builtinMnist: false });
  });
  afterAll(async () => {
    await services.close();
    removeTempDir(dir);
  });

  it('every malformed payload gets {ok: false, code: "bad-request"}', async () => {
    for (const name of REQUEST_NAMES) {
      for (const [payload, mentions] of MALFORMED[name]) {
        const r = await services.handle(name, payload);
        expect(r).toEqual({ ok: false, code: 'bad-request', message: expect.stringContaining(mentions) });
      }
    }
  });

  it('an unknown request name is a bad request', async () => {
    expect(await services.handle('runs/explode', {})).toEqual({ ok: false, code: 'bad-request', message: 'unknown request "runs/explode"' });
    expect(await services.handle(42, {})).toMatchObject({ ok: false, code: 'bad-request' });
    expect(await services.handle('__proto__', {})).toMatchObject({ ok: false, code: 'bad-request' });
  });

  it('parameters out of range for the data are a bad request naming the parameter', async () => {
    const csv = new TextEncoder().encode('a,b\n0,1\n2,3\n4,5\n');
    const imported = (await services.handle('datasets/import', { files: [{ name: 'three.csv', bytes: csv }] })) as { ok: true; data: { dataset: { id: number } } };
    const datasetId = imported.data.dataset.id;
    expect(await services.handle('runs/start', { datasetId, params: { k: 4 } })).toEqual({
      ok: false,
      code: 'bad-request',
      message: 'runs/start: params.k: k must be an integer in [1, n=3], got 4',
    });
    expect(await services.handle('runs/start', { datasetId, params: {}, sweep: { ks: [2, 5] } })).toMatchObject({ ok: false, message: expect.stringContaining('got 5') });
    expect(await services.handle('runs/list', {})).toEqual({ ok: true, data: [] });
  });

  it('well-formed requests on missing ids are not-found', async () => {
    expect(await services.handle('runs/get', { id: 99 })).toEqual({ ok: false, code: 'not-found', message: 'run 99 does not exist' });
    expect(await services.handle('datasets/get', { id: 5 })).toMatchObject({ ok: false, code: 'not-found' });
    expect(await services.handle('runs/start', { datasetId: 5, params: { k: 2 } })).toMatchObject({ ok: false, code: 'not-found' });
  });
});
