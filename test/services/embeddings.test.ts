/**
 * Dataset maps through the services with real worker processes and a real SQLite file: computed once in a
 * worker (progress events), then read from the cache; the column names of a CSV header kept; a 2-column
 * dataset is its own map; cancel; bad requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_UMAP_ROWS, type EventName, type ReplyOf, type RequestName, type RequestOf } from '../../src-shared/api';
import { pca } from '../../src-main/engine/embed';
import { Rng } from '../../src-main/engine/rng';
import { ChildProcessLauncher } from '../../src-main/jobs/launcher';
import { Services } from '../../src-main/services';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';

let dir: string;
let services: Services;
const events: { name: EventName; payload: unknown }[] = [];

async function call<K extends RequestName>(name: K, req: RequestOf<K>): Promise<ReplyOf<K>> {
  const r = await services.handle(name, req);
  if (!r.ok) throw new Error(`${name} failed: ${r.code} ${r.message}`);
  return r.data as ReplyOf<K>;
}

/** n rows of `columns` random values plus a label column, as CSV with a header. */
function csv(n: number, columns: string[]): { bytes: Uint8Array; values: Float32Array } {
  const rng = new Rng(11);
  const values = new Float32Array(n * columns.length);
  let s = `${columns.join(',')},label\n`;
  for (let i = 0; i < n; i++) {
    const row = columns.map((_, j) => Number((rng.nextFloat() * (j + 1) + (i % 3) * 2).toFixed(3)));
    row.forEach((v, j) => (values[i * columns.length + j] = v));
    s += `${row.join(',')},${i % 3}\n`;
  }
  return { bytes: new TextEncoder().encode(s), values };
}

beforeAll(() => {
  dir = makeTempDir('embed');
  services = new Services({ dataDir: dir, host: 'browser', launcher: new ChildProcessLauncher(), builtinMnist: false });
  services.subscribe((name, payload) => events.push({ name, payload }));
});

afterAll(async () => {
  await services.close();
  removeTempDir(dir);
});

describe('embeddings/get', () => {
  it('computes the PCA map in a worker, then answers from the cache', async () => {
    const columns = ['sepal length', 'sepal width', 'petal length', 'petal width'];
    const { bytes, values } = csv(200, columns);
    const { dataset } = await call('datasets/import', { files: [{ name: 'iris-like.csv', bytes }] });
    expect(dataset.columnNames).toEqual(columns);
    expect(dataset.d).toBe(4);

    const first = await call('embeddings/get', { datasetId: dataset.id, method: 'pca' });
    expect(first.cached).toBe(false);
    expect(first.kind).toBe('pca');
    expect(first.n).toBe(200);
    expect(first.labels && Array.from(first.labels.subarray(0, 4))).toEqual([0, 1, 2, 0]);
    const expected = pca({ n: 200, d: 4, data: values, scale: 1 });
    expect(first.explainedVarianceRatio![0]).toBeCloseTo(expected.explainedVarianceRatio[0], 12);
    for (let i = 0; i < 400; i++) expect(first.coords[i]).toBeCloseTo(expected.coords[i], 4);
    const progress = events.filter((e) => e.name === 'embedding/progress' && (e.payload as { datasetId: number }).datasetId === dataset.id);
    expect(progress.at(-1)?.payload).toMatchObject({ method: 'pca', preprocessing: 'none', fraction: 1 });

    const second = await call('embeddings/get', { datasetId: dataset.id, method: 'pca' });
    expect(second.cached).toBe(true);
    expect(Array.from(second.coords)).toEqual(Array.from(first.coords));
    expect(second.explainedVarianceRatio).toEqual(first.explainedVarianceRatio);

    // another preprocessing is another map
    const std = await call('embeddings/get', { datasetId: dataset.id, method: 'pca', preprocessing: 'standardize' });
    expect(std.cached).toBe(false);
    expect(std.explainedVarianceRatio![0]).not.toBeCloseTo(first.explainedVarianceRatio![0], 3);
  }, 60_000);

  it('gives a 2-column dataset as its own map', async () => {
    const { bytes, values } = csv(30, ['x', 'y']);
    const { dataset } = await call('datasets/import', { files: [{ name: 'xy.csv', bytes }] });
    const map = await call('embeddings/get', { datasetId: dataset.id, method: 'pca' });
    expect(map.kind).toBe('data');
    expect(map.explainedVarianceRatio).toBeNull();
    expect(Array.from(map.coords)).toEqual(Array.from(values));
  }, 60_000);

  it('cancels a running computation; the next request computes it again', async () => {
    const { bytes } = csv(500, ['a', 'b', 'c']);
    const { dataset } = await call('datasets/import', { files: [{ name: 'abc.csv', bytes }] });
    const req = { datasetId: dataset.id, method: 'pca' as const };
    const pending = services.handle('embeddings/get', req);
    const cancelled = await call('embeddings/cancel', req);
    expect(cancelled).toEqual({ cancelled: true });
    const reply = await pending;
    expect(reply).toMatchObject({ ok: false, code: 'conflict' });
    expect(await call('embeddings/cancel', req)).toEqual({ cancelled: false });
    expect((await call('embeddings/get', req)).cached).toBe(false);
  }, 60_000);

  it('answers bad requests with a clear error', async () => {
    expect(await services.handle('embeddings/get', { datasetId: 999, method: 'pca' })).toMatchObject({ ok: false, code: 'not-found' });
    const { bytes } = csv(10, ['only']);
    const { dataset } = await call('datasets/import', { files: [{ name: 'one.csv', bytes }] });
    const r = await services.handle('embeddings/get', { datasetId: dataset.id, method: 'pca' });
    expect(r).toMatchObject({ ok: false, code: 'bad-request' });
    expect(!r.ok && r.message).toMatch(/at least 2 rows and 2 columns/);
  }, 60_000);

  it('refuses UMAP above MAX_UMAP_ROWS by name; a map of that size is cached and read back from the database', async () => {
    const n = MAX_UMAP_ROWS + 1;
    const { bytes, values } = csv(n, ['x', 'y']);
    const { dataset } = await call('datasets/import', { files: [{ name: 'big.csv', bytes }] });
    const r = await services.handle('embeddings/get', { datasetId: dataset.id, method: 'umap' });
    expect(r).toMatchObject({ ok: false, code: 'bad-request' });
    expect(!r.ok && r.message).toMatch(/UMAP is limited to 70,000 rows, dataset big has 70,001/);
    const first = await call('embeddings/get', { datasetId: dataset.id, method: 'pca' });
    const again = await call('embeddings/get', { datasetId: dataset.id, method: 'pca' });
    expect([first.cached, again.cached]).toEqual([false, true]);
    expect(again.n).toBe(n);
    expect(Array.from(again.coords.subarray(0, 4))).toEqual(Array.from(values.subarray(0, 4)));
    expect(Array.from(again.coords.subarray(2 * n - 2))).toEqual(Array.from(values.subarray(2 * n - 2)));
  }, 120_000);
});
