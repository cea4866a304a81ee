/**
 * Crashes and kills: kill -9 of the server mid-run then a restart; kill -9 of a worker; a stopped (SIGSTOP)
 * worker caught by the watchdog. The queue always goes on and the database stays sound.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../src-main/data-folder-lock';
import { cleanup, integrity, QUICK, runReaches, seedDataset, serve, SLOW, startRun, stop, tempDataDir, until, workerPids } from './harness';

const dataDir = (): string => tempDataDir('crash');
afterAll(cleanup);

describe('crash and kill', () => {
  it('kill -9 of the server mid-run: after a restart the run is interrupted, the queued one runs, the file is sound', async () => {
    const dir = dataDir();
    const datasetId = seedDataset(dir);
    const first = await serve(dir);
    const slow = await startRun(first.api, datasetId, SLOW);
    const queued = await startRun(first.api, datasetId, QUICK);
    await runReaches(first.api, slow, ['running']);
    await until(() => (workerPids(first.pid).length ? true : undefined), 'a worker');
    first.child.kill('SIGKILL');
    await first.exit;
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true); // left behind by the kill: stale, taken over below

    const second = await serve(dir);
    expect(await runReaches(second.api, slow, ['interrupted'], 5_000)).toMatchObject({ error: expect.stringContaining('stopped') });
    expect((await runReaches(second.api, queued, ['done', 'failed'])).status).toBe('done');
    await stop(second);
    expect(integrity(dir)).toBe('ok');
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  }, 90_000);

  it('kill -9 of a worker fails its run with the reason; a stopped worker is killed by the watchdog; the queue goes on', async () => {
    const dir = dataDir();
    const datasetId = seedDataset(dir);
    const s = await serve(dir, { env: { KMEANS_WATCHDOG_MS: '2500' } });

    const killed = await startRun(s.api, datasetId, SLOW);
    const stopped = await startRun(s.api, datasetId, SLOW);
    const last = await startRun(s.api, datasetId, QUICK);

    await runReaches(s.api, killed, ['running']);
    const [w1] = await until(() => (workerPids(s.pid).length ? workerPids(s.pid) : undefined), 'the first worker');
    process.kill(w1, 'SIGKILL');
    expect(await runReaches(s.api, killed, ['failed'])).toMatchObject({ error: expect.stringMatching(/worker process was killed \(SIGKILL\)/) });

    await runReaches(s.api, stopped, ['running']);
    await s.api.waitEvent('job/progress', (p) => p.runId === stopped && p.phase === 'fit');
    const [w2] = await until(() => workerPids(s.pid).find((p) => p !== w1) ?? undefined, 'the second worker').then((p) => [p]);
    process.kill(w2, 'SIGSTOP');
    const failed = await runReaches(s.api, stopped, ['failed', 'done'], 30_000);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/^stopped responding/);
    await until(() => (workerPids(s.pid).includes(w2) ? undefined : true), 'the stopped worker to be gone', 10_000);

    expect((await runReaches(s.api, last, ['done', 'failed'])).status).toBe('done');
    expect((await s.api.call('app/info', {})).version).toBeTruthy(); // the server is still answering
    await stop(s);
    expect((await s.exit).code).toBe(0);
    expect(integrity(dir)).toBe('ok');
  }, 90_000);
});
