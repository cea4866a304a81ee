/** Closing the app mid-run and starting again: the running run is interrupted, the queued one runs. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventName, RunInfo } from '../../src-shared/api';
import { Rng } from '../../src-main/engine/rng';
import { ChildProcessLauncher } from '../../src-main/jobs/launcher';
import { DB_FILE, Services } from '../../src-main/services';
import { Store } from '../../src-main/store';
import { tempDir } from '../helpers/temp-dir';

const dir = tempDir('restart');

function until<T>(get: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const tick = (): void => {
      const v = get();
      if (v !== undefined) return resolve(v);
      if (Date.now() - t0 > timeoutMs) return reject(new Error('timed out'));
      setTimeout(tick, 10);
    };
    tick();
  });
}

describe('services across a restart', () => {
  it('interrupts the running run on close and runs the queued one after the next start', async () => {
    const store = Store.open(join(dir, DB_FILE));
    const rng = new Rng(9);
    const n = 20_000;
    const d = 32;
    const data = Float32Array.from({ length: n * d }, () => rng.nextFloat());
    const datasetId = store.datasets.insert({ name: 'noise', source: 'test', n, d, dtype: 'float32', data, scale: 1 }).info.id;
    store.close();

    const events: { name: EventName; payload: unknown }[] = [];
    const first = new Services({ dataDir: dir, host: 'browser', launcher: new ChildProcessLauncher(), builtinMnist: false });
    first.subscribe((name, payload) => events.push({ name, payload }));
    const slow = (await first.handle('runs/start', { datasetId, params: { k: 64, nInit: 50, maxIter: 1000, tol: 0, init: 'random' } })) as {
      ok: true;
      data: { runs: RunInfo[] };
    };
    const quick = (await first.handle('runs/start', { datasetId, params: { k: 2, nInit: 1 }, silhouette: { mode: 'none' } })) as {
      ok: true;
      data: { runs: RunInfo[] };
    };
    const slowId = slow.data.runs[0].id;
    const quickId = quick.data.runs[0].id;
    await until(() => events.find((e) => e.name === 'job/progress' && (e.payload as { phase: string }).phase === 'fit'));
    await first.close();
    expect(events.some((e) => e.name === 'run/updated' && (e.payload as RunInfo).id === slowId && (e.payload as RunInfo).status === 'interrupted')).toBe(true);

    const second = new Services({ dataDir: dir, host: 'browser', launcher: new ChildProcessLauncher(), builtinMnist: false });
    const get = async (id: number) => ((await second.handle('runs/get', { id })) as { ok: true; data: RunInfo }).data;
    expect(await get(slowId)).toMatchObject({ status: 'interrupted', error: expect.stringContaining('closed') });
    let done = await get(quickId);
    for (const t0 = Date.now(); ['queued', 'running'].includes(done.status) && Date.now() - t0 < 30_000; done = await get(quickId)) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(done.status).toBe('done');
    await second.close();
  });
});
