/** The data-folder lock: one holder at a time, named when refused; stale and unreadable locks are taken over. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireDataFolderLock, DataFolderLockedError, LOCK_FILE } from '../../src-main/data-folder-lock';
import { tempDir } from '../helpers/temp-dir';

const dir = tempDir('lock');

describe('data-folder lock', () => {
  it('refuses a second holder naming the first, and is free again after release', () => {
    const lock = acquireDataFolderLock(dir, 'browser');
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, host: 'browser', machine: hostname() });
    let refused: unknown;
    try {
      acquireDataFolderLock(dir, 'electron');
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(DataFolderLockedError);
    expect((refused as Error).message).toContain(`in use by another K-means Explorer: browser mode ("kmeans-explorer serve"), process ${process.pid}`);
    lock.release();
    lock.release(); // idempotent
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    acquireDataFolderLock(dir, 'electron').release();
  });

  it('takes over a lock whose process is gone, and one that cannot be read', () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: gone, host: 'browser', machine: hostname(), startedAt: 0 }));
    const a = acquireDataFolderLock(dir, 'browser');
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    a.release();
    writeFileSync(join(dir, LOCK_FILE), 'not json');
    acquireDataFolderLock(dir, 'browser').release();
  });

  it('refuses a lock held on another machine (a shared folder), whatever its pid', () => {
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 999_999_999, host: 'electron', machine: 'elsewhere', startedAt: 0 }));
    expect(() => acquireDataFolderLock(dir, 'browser')).toThrow(/the desktop app, process 999999999 on elsewhere/);
  });
});
