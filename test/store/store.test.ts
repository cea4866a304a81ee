import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { NewerDatabaseError, SCHEMA_VERSION, Store } from '../../src-main/store';
import { fakeOutcome, paramsFor, smallDataset } from './fixtures/data';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';

let dir: string;
beforeEach(() => {
  dir = makeTempDir('store');
});
afterEach(() => {
  removeTempDir(dir);
});

describe('store', () => {
  it('migrates an empty file to the current schema with WAL, foreign keys and STRICT tables', () => {
    const file = join(dir, 'db.sqlite');
    const store = Store.open(file);
    const raw = store.db.raw;
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = raw.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table'").all() as { name: string; sql: string }[];
    expect(tables.map((t) => t.name).sort()).toEqual(['dataset_chunks', 'datasets', 'embeddings', 'meta', 'run_arrays', 'runs']);
    for (const t of tables) expect(t.sql).toMatch(/STRICT\s*$/);
    store.close();
    // reopening a current file changes nothing
    const again = Store.open(file);
    expect(again.db.raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    again.close();
  });

  it('round-trips a dataset (in chunks, in its dtype) and a run with its arrays', () => {
    const store = Store.open(join(dir, 'db.sqlite'));
    const ds = smallDataset(1, 20_000, 100); // 2 MB → several 1 MiB chunks
    const { info, existed } = store.datasets.insert(ds);
    expect(existed).toBe(false);
    expect(info).toMatchObject({ n: 20_000, d: 100, dtype: 'uint8', labelNames: ['a', 'b', 'c'], imageShape: [4, 4, 1], runCount: 0 });
    expect(info.classCounts).toEqual([6667, 6667, 6666]);
    const chunks = store.db.raw.prepare('SELECT count(*) AS c FROM dataset_chunks WHERE dataset_id = ?').get(info.id) as { c: number };
    expect(chunks.c).toBeGreaterThan(1);
    const loaded = store.datasets.load(info.id)!;
    expect(loaded.data).toBeInstanceOf(Uint8Array);
    expect(Buffer.compare(Buffer.from(loaded.data), Buffer.from(ds.data))).toBe(0);
    expect(Array.from(loaded.labels!)).toEqual(Array.from(ds.labels!));
    expect(loaded.scale).toBe(ds.scale);

    const f32: typeof ds = { ...ds, name: 'f32', dtype: 'float32', data: Float32Array.from(ds.data.subarray(0, 5000), (v) => v / 3), n: 50 };
    f32.labels = ds.labels!.subarray(0, 50);
    const f = store.datasets.insert(f32).info;
    expect(store.datasets.load(f.id)!.data).toEqual(f32.data);

    const run = store.runs.create({ datasetId: info.id, name: 'r', params: paramsFor(3), preprocessing: 'standardize', silhouette: { mode: 'sample', sampleSize: 3 }, sweepId: 's1' });
    expect(run.status).toBe('queued');
    store.runs.markRunning(run.id);
    const outcome = fakeOutcome(ds.n, 3, ds.d);
    expect(store.runs.saveResult(run.id, outcome)).toBe(true);
    const got = store.runs.get(run.id)!;
    expect(got).toMatchObject({ status: 'done', nIter: 2, fitMs: 12, metricsMs: 3, sweepId: 's1', datasetName: ds.name, params: paramsFor(3), preprocessing: 'standardize' });
    expect(got.metrics).toEqual(outcome.metrics);
    expect(got.clusterSizes).toEqual([6667, 6667, 6666]);
    const arrays = store.runs.arrays(run.id)!;
    expect(arrays.centers).toEqual(outcome.centers);
    expect(arrays.labels).toEqual(outcome.labels);
    expect(arrays.history).toEqual(outcome.history);
    expect(arrays.silhouette).toEqual(outcome.silhouette);
    expect(arrays.transform).toEqual(outcome.transform);
    const some = store.runs.arrays(run.id, ['centers'])!;
    expect(some.labels).toBeNull();
    expect(some.centers).toEqual(outcome.centers);
    expect(some.transform).toEqual(outcome.transform);
    expect(store.runs.arrays(run.id, ['labels'])!.transform).toBeNull();
    // a finished run cannot be finished again
    expect(store.runs.markEnded(run.id, 'failed', 'x')).toBe(false);
    expect(store.datasets.get(info.id)!.runCount).toBe(1);
    // deleting the dataset deletes its runs and arrays (foreign keys)
    expect(store.datasets.delete(info.id)).toBe(true);
    expect(store.runs.get(run.id)).toBeNull();
    expect((store.db.raw.prepare('SELECT count(*) AS c FROM run_arrays').get() as { c: number }).c).toBe(0);
    store.close();
  });

  it('stores identical content once', () => {
    const store = Store.open(join(dir, 'db.sqlite'));
    const a = store.datasets.insert(smallDataset(5));
    const b = store.datasets.insert({ ...smallDataset(5), name: 'another name', source: 'elsewhere' });
    expect(b.existed).toBe(true);
    expect(b.info.id).toBe(a.info.id);
    const c = store.datasets.insert(smallDataset(6));
    expect(c.existed).toBe(false);
    expect(store.datasets.list().map((d) => d.id)).toEqual([a.info.id, c.info.id]);
    store.close();
  });

  it('refuses a database from a newer version and leaves it untouched', () => {
    const file = join(dir, 'db.sqlite');
    Store.open(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.exec('CREATE TABLE future (x INTEGER) STRICT');
    raw.close();
    expect(() => Store.open(file)).toThrow(NewerDatabaseError);
    expect(() => Store.open(file)).toThrow(new RegExp(`newer version of K-means Explorer.*schema version ${SCHEMA_VERSION + 1}`));
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    expect(check.prepare("SELECT name FROM sqlite_schema WHERE name = 'future'").get()).toBeTruthy();
    check.close();
  });

  it('refuses a newer database byte for byte unchanged, journal mode included', () => {
    const file = join(dir, 'db.sqlite');
    const raw = new Database(file);
    raw.pragma('journal_mode = DELETE');
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const before = readFileSync(file);
    expect(() => Store.open(file)).toThrow(NewerDatabaseError);
    expect(() => Store.open(file, { readonly: true })).toThrow(NewerDatabaseError);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('after a kill -9 mid-run, reopening marks the run interrupted and keeps every other row', async () => {
    const file = join(dir, 'db.sqlite');
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures/crash-child.ts'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.includes('\n')) resolve(out.trim());
      });
      child.on('exit', (code) => reject(new Error(`child exited early with ${code}`)));
    });
    const [, doneId, queuedId, runningId] = line.split(' ').map(Number);
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGKILL');
    expect(await exited).toBeDefined();

    const store = Store.open(file);
    expect(store.runs.interruptRunning()).toEqual([runningId]);
    expect(store.runs.get(runningId)).toMatchObject({ status: 'interrupted', error: expect.stringMatching(/stopped/) });
    expect(store.runs.get(queuedId)!.status).toBe('queued');
    expect(store.runs.get(doneId)!.status).toBe('done');
    expect(store.runs.arrays(doneId)!.labels!.length).toBe(300);
    expect(store.datasets.list()).toHaveLength(1);
    store.close();
  });
});
