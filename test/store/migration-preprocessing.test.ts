/**
 * Migration 0002 (per-run preprocessing) on a database written before it (schema version 1): it opens, and its
 * runs get the preprocessing they were computed with ('scale' on uint8 images with scale 1/255, 'none' on float data).
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SCHEMA_VERSION, Store } from '../../src-main/store';
import { backupPath } from '../../src-main/store/db';
import { MIGRATIONS } from '../../src-main/store/migrations';
import { paramsFor } from './fixtures/data';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';

let dir: string;
beforeEach(() => {
  dir = makeTempDir('migrate');
});
afterEach(() => {
  removeTempDir(dir);
});

/** A version-1 database with a uint8 dataset (scale 1/255) and a float one (scale 1), one run each; the first is done. */
function writeVersion1(file: string): void {
  const raw = new Database(file);
  MIGRATIONS[0]!.up(raw);
  raw.pragma('user_version = 1');
  const ds = raw.prepare(
    `INSERT INTO datasets (name, hash, n, d, dtype, scale, chunk_rows, source, created_at) VALUES (?, ?, 2, 2, ?, ?, 2, 'test', 0)`,
  );
  const u8 = Number(ds.run('pixels', 'h1', 'uint8', 1 / 255).lastInsertRowid);
  const f32 = Number(ds.run('floats', 'h2', 'float32', 1).lastInsertRowid);
  const run = raw.prepare(
    `INSERT INTO runs (dataset_id, name, algorithm, k, seed, params, silhouette, status, created_at) VALUES (?, ?, 'kmeans', 2, 7, ?, '{"mode":"none"}', ?, 0)`,
  );
  const done = Number(run.run(u8, 'old pixels', JSON.stringify(paramsFor(2)), 'done').lastInsertRowid);
  run.run(f32, 'old floats', JSON.stringify(paramsFor(2)), 'queued');
  raw
    .prepare('INSERT INTO run_arrays (run_id, centers, labels, history) VALUES (?, ?, ?, ?)')
    .run(done, Buffer.from(new Float64Array([0, 1, 0.5, 0.25]).buffer), Buffer.from(new Int32Array([0, 1]).buffer), Buffer.alloc(0));
  raw.close();
}

it('opens a database from before per-run preprocessing and gives its runs the default', () => {
  const file = join(dir, 'v1.sqlite');
  writeVersion1(file);
  const store = Store.open(file);
  expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
  expect(store.db.raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  const byName = new Map(store.runs.list().map((r) => [r.name, r]));
  expect(byName.get('old pixels')!.preprocessing).toBe('scale');
  expect(byName.get('old floats')!.preprocessing).toBe('none');
  const arrays = store.runs.arrays(byName.get('old pixels')!.id)!;
  expect(arrays.centers).toEqual(new Float64Array([0, 1, 0.5, 0.25]));
  expect(arrays.transform).toBeNull();
  // the new column is constrained like the rest of the schema
  expect(() => store.db.raw.prepare("UPDATE runs SET preprocessing = 'whiten'").run()).toThrow(/CHECK/);
  store.close();
});

it('copies the database before migrating it, and a current one is not copied again', () => {
  const file = join(dir, 'v1.sqlite');
  writeVersion1(file);
  Store.open(file).close();
  const backup = backupPath(file, 1);
  const copy = new Database(backup, { readonly: true });
  expect(copy.pragma('user_version', { simple: true })).toBe(1);
  expect(copy.prepare('SELECT name FROM runs ORDER BY id').all()).toEqual([{ name: 'old pixels' }, { name: 'old floats' }]);
  expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
  copy.close();
  rmSync(backup);
  Store.open(file).close();
  expect(existsSync(backup)).toBe(false);
});
