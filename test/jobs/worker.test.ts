/** The job worker process on its own: it stops when main goes away instead of computing on for nobody. */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryPoint } from '../../src-main/entry-path';
import { resolveParams } from '../../src-main/engine/params';
import { Rng } from '../../src-main/engine/rng';
import type { FromWorker, ToWorker } from '../../src-main/jobs/protocol';
import { Store } from '../../src-main/store';
import { tempDir } from '../helpers/temp-dir';

const dir = tempDir('worker');

describe('job worker', () => {
  it('exits when its IPC channel to main closes (main crashed or was killed)', async () => {
    const dbPath = join(dir, 'db.sqlite');
    const store = Store.open(dbPath);
    const rng = new Rng(3);
    const n = 20_000;
    const d = 32;
    const data = Float32Array.from({ length: n * d }, () => rng.nextFloat());
    const datasetId = store.datasets.insert({ name: 'noise', source: 'test', n, d, dtype: 'float32', data, scale: 1 }).info.id;
    store.close();

    const entry = entryPoint('worker');
    const child = fork(entry.file, [], { execArgv: entry.execArgv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const fitting = new Promise<void>((resolve) =>
      child.on('message', (m: FromWorker) => {
        if (m.type === 'progress' && m.progress.phase === 'fit' && m.progress.iteration !== undefined) resolve();
      }),
    );
    // seconds of work: many long Lloyd runs on structureless data
    const params = resolveParams({ k: 64, nInit: 50, maxIter: 1000, tol: 0, init: 'random', seed: 1 }, n);
    const start: ToWorker = { type: 'start', job: { runId: 1, dbPath, datasetId, params, preprocessing: 'none', silhouette: { mode: 'none' } } };
    child.send(start);
    await fitting;
    const t0 = Date.now();
    child.disconnect();
    const code = await Promise.race([exited, new Promise<'alive'>((r) => setTimeout(() => r('alive'), 3000))]);
    if (code === 'alive') child.kill('SIGKILL');
    expect(code).not.toBe('alive');
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});
