/** The import queue on its own: one import at a time in order, progress events, cancel of a queued and a running import, close. */
import { describe, expect, it } from 'vitest';
import type { ImportProgress } from '../../src-shared/api';
import { ImportCancelledError, ImportQueue, type ImportWork } from '../../src-main/jobs/import-queue';

/** Work that parses until `finish` is called or its signal aborts (as importInWorker does when its worker is killed). */
function controllable(): { work: ImportWork<string>; started: Promise<void>; finish(v: string): void; aborted(): boolean } {
  let finish!: (v: string) => void;
  let markStarted!: () => void;
  let signal: AbortSignal | null = null;
  const started = new Promise<void>((r) => (markStarted = r));
  const work: ImportWork<string> = (s, progress) =>
    new Promise<string>((resolve, reject) => {
      signal = s;
      progress('parse', 0.5);
      markStarted();
      finish = (v) => {
        progress('store', 1);
        resolve(v);
      };
      s.addEventListener('abort', () => reject(new Error('worker killed')));
    });
  return { work, started, finish: (v) => finish(v), aborted: () => signal?.aborted ?? false };
}

describe('ImportQueue', () => {
  it('runs imports one at a time, in order, and reports every phase', async () => {
    const events: ImportProgress[] = [];
    const q = new ImportQueue((p) => events.push(p));
    const a = controllable();
    const b = controllable();
    const pa = q.add('a', 'a.csv', a.work);
    const pb = q.add('b', 'b.csv', b.work);
    await a.started;
    expect(q.list().map((p) => [p.importId, p.phase])).toEqual([['a', 'parse'], ['b', 'queued']]);
    a.finish('A');
    expect(await pa).toBe('A');
    await b.started;
    expect(q.list().map((p) => [p.importId, p.phase])).toEqual([['b', 'parse']]);
    b.finish('B');
    expect(await pb).toBe('B');
    expect(q.list()).toEqual([]);
    expect(events.filter((e) => e.importId === 'a').map((e) => e.phase)).toEqual(['queued', 'parse', 'parse', 'store', 'ended']);
    expect(events.filter((e) => e.importId === 'b').map((e) => e.phase)).toEqual(['queued', 'parse', 'parse', 'store', 'ended']);
  });

  it('a cancelled queued import never starts; a cancelled running one is aborted and answers cancelled', async () => {
    const q = new ImportQueue(() => undefined);
    const a = controllable();
    const b = controllable();
    let bStarted = false;
    const pa = q.add('a', 'a.csv', a.work);
    const pb = q.add('b', 'b.csv', (s, p) => ((bStarted = true), b.work(s, p)));
    await a.started;
    expect(q.cancel('b')).toBe(true);
    await expect(pb).rejects.toThrow(new ImportCancelledError('b.csv'));
    expect(q.cancel('a')).toBe(true);
    expect(a.aborted()).toBe(true);
    await expect(pa).rejects.toBeInstanceOf(ImportCancelledError);
    expect(bStarted).toBe(false);
    expect(q.list()).toEqual([]);
    expect(q.cancel('a')).toBe(false);
  });

  it('a running import cancelled just as its work succeeds still answers cancelled (nothing to store)', async () => {
    const q = new ImportQueue(() => undefined);
    const pa = q.add('a', 'a.csv', async () => {
      q.cancel('a');
      return 'parsed';
    });
    await expect(pa).rejects.toBeInstanceOf(ImportCancelledError);
  });

  it('close ends queued imports with the reason and aborts the running one; a throwing listener does not stop the queue', async () => {
    const q = new ImportQueue(() => {
      throw new Error('listener bug');
    });
    const a = controllable();
    const pa = q.add('a', 'a.csv', a.work);
    const pb = q.add('b', 'b.csv', controllable().work);
    await a.started;
    q.close('the app is shutting down');
    await expect(pb).rejects.toThrow('the app is shutting down');
    await expect(pa).rejects.toThrow('worker killed');
    expect(q.list()).toEqual([]);
  });
});
