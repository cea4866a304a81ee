/**
 * Migration 0003 (a run's origin, a CSV dataset's column layout) on a database written before it: older runs are
 * the app's own, older datasets have no layout, and the new columns are constrained.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Store } from '../../src-main/store';
import { MIGRATIONS } from '../../src-main/store/migrations';
import { m0003RunOrigin } from '../../src-main/store/migrations/0003-run-origin';
import { paramsFor } from './fixtures/data';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';

let dir: string;
beforeEach(() => {
  dir = makeTempDir('migrate-origin');
});
afterEach(() => {
  removeTempDir(dir);
});

it('gives older runs the origin "app" and older datasets no CSV layout', () => {
  const file = join(dir, 'before.sqlite');
  const before = MIGRATIONS.indexOf(m0003RunOrigin);
  expect(before).toBeGreaterThan(0);
  const raw = new Database(file);
  for (let v = 0; v < before; v++) MIGRATIONS[v]!.up(raw);
  raw.pragma(`user_version = ${before}`);
  const ds = Number(
    raw.prepare(`INSERT INTO datasets (name, hash, n, d, dtype, scale, chunk_rows, source, created_at) VALUES ('t', 'h', 2, 2, 'float32', 1, 2, 't.csv', 0)`).run()
      .lastInsertRowid,
  );
  raw
    .prepare(`INSERT INTO runs (dataset_id, name, algorithm, k, seed, params, silhouette, status, created_at) VALUES (?, 'old', 'kmeans', 2, 0, ?, '{"mode":"none"}', 'queued', 0)`)
    .run(ds, JSON.stringify(paramsFor(2)));
  raw.close();

  const store = Store.open(file);
  expect(store.runs.list()[0]!.origin).toEqual({ kind: 'app', source: null });
  expect(store.datasets.csvLayout(ds)).toBeNull();
  expect(() => store.db.raw.prepare("UPDATE runs SET origin = 'spark'").run()).toThrow(/CHECK/);
  store.close();
});
