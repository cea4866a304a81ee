/**
 * The one queue of dataset imports in main, for both hosts: imports run one at a time (each parses in its own
 * worker process and may take a few GB), are listed with their phase and progress, and can be cancelled. A queued
 * import that is cancelled never starts; a running one has its signal aborted (which kills its worker) and ends
 * with {@link ImportCancelledError} whatever its work answers, so nothing it parsed is stored.
 */
import type { ImportProgress } from '../../src-shared/api';

export class ImportCancelledError extends Error {
  override readonly name = 'ImportCancelledError';
  constructor(name: string) {
    super(`the import of ${name} was cancelled`);
  }
}

/** The work of one import: parse (abortable by `signal`), then store; `progress` reports its phase. */
export type ImportWork<T> = (signal: AbortSignal, progress: (phase: 'parse' | 'store', fraction: number) => void) => Promise<T>;

interface Entry {
  progress: ImportProgress;
  controller: AbortController;
  cancelled: boolean;
  start(): void;
  dropQueued(why: Error): void;
}

export class ImportQueue {
  private readonly entries: Entry[] = [];
  private running = 0;

  /**
   * @param emit told of every change of an import (queued, parse, store, ended); must not throw
   * @param concurrency imports at once (default 1)
   */
  constructor(
    private readonly emit: (p: ImportProgress) => void,
    private readonly concurrency = 1,
  ) {}

  has(importId: string): boolean {
    return this.entries.some((e) => e.progress.importId === importId);
  }

  /** Queues `work`; resolves with its value, rejects with its error or {@link ImportCancelledError}. */
  add<T>(importId: string, name: string, work: ImportWork<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const controller = new AbortController();
      const entry: Entry = {
        progress: { importId, name, phase: 'queued', fraction: 0 },
        controller,
        cancelled: false,
        start: () => {
          this.running++;
          const progress = (phase: 'parse' | 'store', fraction: number): void => this.update(entry, phase, fraction);
          progress('parse', 0);
          // the entry ends (event, next import started) before its requester hears the answer
          const settle = (answer: () => void): void => {
            this.running--;
            this.end(entry);
            answer();
          };
          Promise.resolve()
            .then(() => work(controller.signal, progress))
            .then(
              (v) => settle(() => (entry.cancelled ? reject(new ImportCancelledError(name)) : resolve(v))),
              (e: unknown) => settle(() => reject(entry.cancelled ? new ImportCancelledError(name) : e)),
            );
        },
        dropQueued: (why) => {
          this.end(entry);
          reject(why);
        },
      };
      this.entries.push(entry);
      this.emitSafe(entry.progress);
      this.next();
    });
  }

  /** Cancels import `importId`; false when it is not queued or running. */
  cancel(importId: string): boolean {
    const entry = this.entries.find((e) => e.progress.importId === importId);
    if (!entry || entry.cancelled) return false;
    entry.cancelled = true;
    if (entry.progress.phase === 'queued') entry.dropQueued(new ImportCancelledError(entry.progress.name));
    else entry.controller.abort();
    return true;
  }

  /** Imports queued or running, oldest first. */
  list(): ImportProgress[] {
    return this.entries.map((e) => ({ ...e.progress }));
  }

  /** The app is closing: queued imports end with `why`, running ones have their signal aborted (their work answers). */
  close(why: string): void {
    for (const e of [...this.entries]) {
      if (e.progress.phase === 'queued') e.dropQueued(new Error(why));
      else e.controller.abort();
    }
  }

  private next(): void {
    while (this.running < this.concurrency) {
      const entry = this.entries.find((e) => e.progress.phase === 'queued' && !e.cancelled);
      if (!entry) return;
      entry.start();
    }
  }

  private update(entry: Entry, phase: 'parse' | 'store', fraction: number): void {
    if (entry.cancelled) return;
    entry.progress = { ...entry.progress, phase, fraction };
    this.emitSafe(entry.progress);
  }

  private end(entry: Entry): void {
    const i = this.entries.indexOf(entry);
    if (i < 0) return;
    this.entries.splice(i, 1);
    this.emitSafe({ ...entry.progress, phase: 'ended' });
    this.next();
  }

  private emitSafe(p: ImportProgress): void {
    try {
      this.emit(p);
    } catch (e) {
      console.error('import progress listener failed:', e);
    }
  }
}
