/**
 * One data folder, one app: a lock file (`kmeans-explorer.lock`, holding the owner's pid, host kind and start
 * time) taken before the database is opened, by the desktop app and by browser mode alike (both go through
 * `Services`). A second app on the same folder would mark the first one's running run `interrupted` and take
 * its queue, so it is refused, naming the process that holds the folder.
 *
 * The file is put in place with link(2), which fails when it exists, so of two apps starting at once one wins. A lock whose process is
 * gone (the app crashed or was killed with -9) is stale and is taken over. Released on close and, as a last
 * resort, when the process exits.
 */
import { linkSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE = 'kmeans-explorer.lock';

export interface LockOwner {
  pid: number;
  /** 'electron' | 'browser' (what Services calls the host). */
  host: string;
  /** Machine name: a pid means nothing on another machine sharing the folder. */
  machine: string;
  startedAt: number;
}

/** The folder is in use by another running app. */
export class DataFolderLockedError extends Error {
  override readonly name = 'DataFolderLockedError';
  constructor(
    readonly dir: string,
    readonly owner: LockOwner,
  ) {
    const what = owner.host === 'electron' ? 'the desktop app' : owner.host === 'browser' ? 'browser mode ("kmeans-explorer serve")' : owner.host;
    const where = owner.machine && owner.machine !== hostname() ? ` on ${owner.machine}` : '';
    super(
      `the data folder ${dir} is in use by another K-means Explorer: ${what}, process ${owner.pid}${where}, ` +
        `started ${new Date(owner.startedAt).toISOString()}. Stop that one first, or use another data folder.`,
    );
  }
}

export interface DataFolderLock {
  readonly file: string;
  /** Removes the lock file if it is still ours. Idempotent. */
  release(): void;
}

function readOwner(file: string): LockOwner | null {
  try {
    const o = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockOwner>;
    return Number.isInteger(o.pid) && (o.pid as number) > 0
      ? { pid: o.pid as number, host: String(o.host ?? 'unknown'), machine: String(o.machine ?? ''), startedAt: Number(o.startedAt) || 0 }
      : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the folder's lock for this process, or throws {@link DataFolderLockedError}. `dir` must exist.
 * A lock file that cannot be read, or whose process is gone on this machine, is stale and taken over.
 */
export function acquireDataFolderLock(dir: string, host: string): DataFolderLock {
  const file = join(dir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, host, machine: hostname(), startedAt: Date.now() };
  // written in full to a private file first, then linked into place: the link fails if the lock exists, and a
  // reader never sees a half-written lock (which it would take for stale)
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(me), { mode: 0o644 });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(tmp, file);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw e;
      }
      const owner = readOwner(file);
      const sameMachine = !owner || !owner.machine || owner.machine === me.machine;
      if (owner && (!sameMachine || alive(owner.pid))) throw new DataFolderLockedError(dir, owner);
      // stale (its process is gone) or unreadable: remove it and race for it again (link picks one winner)
      try {
        unlinkSync(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  } finally {
    rmSync(tmp, { force: true });
  }
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    try {
      if (readOwner(file)?.pid === process.pid) unlinkSync(file);
    } catch {
      // already gone
    }
  };
  process.on('exit', release);
  return { file, release };
}
