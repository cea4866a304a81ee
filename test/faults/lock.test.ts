/**
 * The database locked by another connection while a job finishes, and a second app on the same data folder.
 * Nothing may take the server down, and no finished result may be lost.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunInfo } from '../../src-shared/api';
import { SPILL_DIR } from '../../src-main/jobs/result-spill';
import { cleanup, holdWriteLock, integrity, QUICK, runReaches, serve, serveExpectingExit, serveWithRunningJob, stop, tempDataDir } from './harness';

const dataDir = (): string => tempDataDir('lock');
afterAll(cleanup);

/** A few seconds of Lloyd iterations (long enough to take the lock while it computes). */
const MEDIUM = { k: 16, nInit: 2, maxIter: 80, tol: 0, init: 'random' } as const;

describe('a locked database', () => {
  it('a write lock held 15 s while a job finishes: the server stays up, says why the result waits, and saves it once the lock goes', async () => {
    const dir = dataDir();
    const { s, datasetId, id } = await serveWithRunningJob(dir, MEDIUM);
    const release = holdWriteLock(dir);
    const lockedAt = Date.now();
    try {
      const waiting = (await s.api.waitEvent('run/updated', (r) => r.id === id && /waits for the database/.test(r.error ?? ''), 30_000)) as RunInfo;
      expect(waiting.status).toBe('running');
      expect(waiting.error).toMatch(/saving the result waits for the database \(database is locked \(SQLITE_BUSY\)\)/);

      // reads answer; a write gets a clear `busy` reply instead of a crash or a stall
      expect((await s.api.call('runs/list', {})).map((r) => r.id)).toContain(id);
      const rename = await s.api.request('runs/rename', { id, name: 'renamed' });
      expect(rename).toMatchObject({ ok: false, code: 'busy', message: expect.stringContaining('database is locked') });
      const queue = await s.api.call('queue/get', {});
      expect(queue.running.find((r) => r.run.id === id)?.run.error).toMatch(/waits for the database/);
      // creating a run is a write too: refused as busy, not queued half-way
      expect(await s.api.request('runs/start', { datasetId, params: QUICK, silhouette: { mode: 'none' } })).toMatchObject({ ok: false, code: 'busy' });

      await new Promise((r) => setTimeout(r, Math.max(0, 15_000 - (Date.now() - lockedAt))));
      expect((await s.api.call('runs/get', { id })).status).toBe('running');
    } finally {
      release();
    }
    const done = await runReaches(s.api, id, ['done', 'failed'], 20_000);
    expect(done).toMatchObject({ status: 'done', error: null });
    const arrays = await s.api.call('runs/arrays', { id, include: ['labels', 'centers'] });
    expect(arrays.labels!.length).toBe(20_000);
    expect(arrays.centers!.length).toBe(16 * 32);
    expect(s.child.exitCode).toBeNull();
    await stop(s);
    expect(integrity(dir)).toBe('ok');
  }, 90_000);
});

describe('one data folder, one app', () => {
  it('a second serve on the folder is refused naming the first one, exits 2, and the first keeps its run and result', async () => {
    const dir = dataDir();
    const { s: first, id } = await serveWithRunningJob(dir, MEDIUM);

    const second = await serveExpectingExit(dir);
    expect(second.code).toBe(2);
    expect(second.output).toContain(`the data folder ${dir} is in use by another K-means Explorer: browser mode ("kmeans-explorer serve"), process ${first.pid}`);
    expect(second.output).not.toMatch(/at http:/);
    expect((await first.api.call('runs/get', { id })).status).toBe('running'); // untouched by the second one

    const done = await runReaches(first.api, id, ['done', 'failed', 'interrupted']);
    expect(done).toMatchObject({ status: 'done', error: null });
    await stop(first);

    expect(integrity(dir)).toBe('ok');

    // the folder is free again once the first one stopped
    const third = await serve(dir);
    expect((await third.api.call('runs/get', { id })).status).toBe('done');
    await stop(third);
  }, 90_000);
});

describe('closing while a result waits for the database', () => {
  it('keeps the result in a file and saves it at the next start', async () => {
    const dir = dataDir();
    const { s, id } = await serveWithRunningJob(dir, MEDIUM);
    const release = holdWriteLock(dir);
    try {
      await s.api.waitEvent('run/updated', (r) => r.id === id && /waits for the database/.test(r.error ?? ''), 30_000);
      await stop(s); // SIGTERM: the app closes with the result still unsaved
      expect(s.output()).toMatch(new RegExp(`run ${id}: the database did not take its result before closing; kept in .*${SPILL_DIR}`));
      expect(readdirSync(join(dir, SPILL_DIR))).toEqual([`run-${id}.v8`]);
    } finally {
      release();
    }
    const again = await serve(dir);
    expect(await again.api.call('runs/get', { id })).toMatchObject({ status: 'done', error: null });
    expect((await again.api.call('runs/arrays', { id, include: ['labels'] })).labels).toHaveLength(20_000);
    expect(readdirSync(join(dir, SPILL_DIR))).toEqual([]);
    await stop(again);
    expect(integrity(dir)).toBe('ok');
  }, 90_000);
});
