/**
 * A full disk: the data folder on a small tmpfs (needs root and permission to mount; skipped with the reason
 * otherwise). A write that does not fit gets an error reply, the server stays up, the file stays sound, and
 * once there is room again everything works.
 */
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csv, integrity, killAll, QUICK, runReaches, seedDataset, serve, startRun, stop } from './harness';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';

const mountPoint = makeTempDir('faults-disk');
const filler = join(mountPoint, 'filler');

/** Mounts a 6 MiB tmpfs, or says why it cannot. */
function mountSmallDisk(): string | null {
  if (process.platform !== 'linux') return `needs Linux tmpfs (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'needs root to mount a small tmpfs';
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', mountPoint], { stdio: 'pipe' });
    return null;
  } catch (e) {
    return `mount -t tmpfs was refused here: ${String((e as { stderr?: Buffer }).stderr ?? e).trim()}`;
  }
}

const skipReason = mountSmallDisk();
if (skipReason) console.warn(`full-disk fault test skipped: ${skipReason}`);

afterAll(() => {
  killAll();
  if (!skipReason) execFileSync('umount', ['-l', mountPoint], { stdio: 'ignore' });
  removeTempDir(mountPoint);
});

/** Fills the disk until ENOSPC, 64 KiB at a time. */
function fillDisk(): void {
  const chunk = Buffer.alloc(64 * 1024, 1);
  const parts: Buffer[] = [];
  for (;;) {
    try {
      writeFileSync(filler, Buffer.concat([...parts, chunk]));
      parts.push(chunk);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOSPC') return;
      throw e;
    }
  }
}


describe.skipIf(skipReason !== null)('a full disk', () => {
  it('refuses the write with an error reply, stays up and sound, and works again once there is room', async () => {
    const dir = join(mountPoint, 'data');
    const datasetId = seedDataset(dir);
    const s = await serve(dir);
    // a run that finishes after the disk filled up: its result waits in memory until there is room
    const id = await startRun(s.api, datasetId, { k: 16, nInit: 2, maxIter: 80, tol: 0, init: 'random' });
    await runReaches(s.api, id, ['running']);
    fillDisk();

    const bytes = csv(16_000, 20);
    const refused = await s.api.request('datasets/import', { files: [{ name: 'big.csv', bytes }] });
    expect(refused).toMatchObject({ ok: false, code: 'busy', message: expect.stringContaining('database or disk is full') });
    expect(await s.api.request('runs/start', { datasetId, params: QUICK })).toMatchObject({ ok: false, code: 'busy' });
    expect((await s.api.call('app/info', {})).version).toBeTruthy();
    expect(await s.api.call('datasets/list', {})).toHaveLength(1);
    expect(integrity(dir)).toBe('ok');

    const waiting = await s.api.waitEvent('run/updated', (r) => r.id === id && (['done', 'failed'].includes(r.status) || /waits for the database/.test(r.error ?? '')));
    expect(waiting).toMatchObject({ status: 'running', error: expect.stringContaining('database or disk is full (SQLITE_FULL)') });
    expect(s.child.exitCode).toBeNull();
    rmSync(filler);
    expect(await runReaches(s.api, id, ['done', 'failed'])).toMatchObject({ status: 'done', error: null });
    expect((await s.api.call('runs/arrays', { id, include: ['labels'] })).labels).toHaveLength(20_000);
    const imported = await s.api.call('datasets/import', { files: [{ name: 'big.csv', bytes }] });
    expect(imported.dataset).toMatchObject({ n: 16_000, d: 20 });
    await stop(s);
    expect(integrity(dir)).toBe('ok');
  }, 90_000);
});
