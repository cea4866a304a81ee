/**
 * An import finishes while another connection holds the write lock: the worker that parsed it also writes it
 * (main's event loop never carries the write), waits for the lock and retries past its busy timeout, and the
 * dataset is stored once the lock goes. Meanwhile main answers other requests.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, csv, holdWriteLock, integrity, serve, stop, tempDataDir } from './harness';

afterAll(cleanup);

describe('an import while the database is locked', () => {
  it('waits past the busy timeout, is stored once the lock goes, and main answers meanwhile', async () => {
    const dir = tempDataDir('import-lock');
    const s = await serve(dir);
    const release = holdWriteLock(dir);
    let releasedAt = Infinity;
    let answeredAt = -Infinity;
    const imported = s.api.request('datasets/import', { files: [{ name: 'locked.csv', bytes: csv(2000, 6) }] }).then((r) => {
      answeredAt = performance.now();
      return r;
    });
    try {
      // the import reaches its store phase and waits for the lock (at least one busy timeout of 5 s)
      await s.api.waitEvent('import/progress', (p) => p.phase === 'store', 30_000);
      await new Promise((r) => setTimeout(r, 7000));
      expect((await s.api.call('app/info', {})).version).toBeTruthy();
      expect(await s.api.call('datasets/list', {})).toHaveLength(0);
    } finally {
      releasedAt = performance.now();
      release();
    }
    const r = await imported;
    expect(r).toMatchObject({ ok: true, data: { existed: false, dataset: { n: 2000, d: 6 } } });
    expect(answeredAt).toBeGreaterThan(releasedAt); // stored only after the lock went, not refused before
    expect((await s.api.call('datasets/list', {})).map((d) => d.name)).toEqual(['locked']);
    expect(s.child.exitCode).toBeNull();
    await stop(s);
    expect(integrity(dir)).toBe('ok');
  }, 60_000);
});
