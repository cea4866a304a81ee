/**
 * Where a Node entry (a forked job worker, a kernel thread) lives, for the code that runs right now:
 * - from the electron-vite bundle (out/main/*.js, possibly a chunk in a subfolder): the built out/main/<name>.js;
 * - from TypeScript sources (tsx, vitest): the .ts source, started with the tsx loader.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

export type EntryName = 'worker' | 'kernel-thread' | 'view-thread';

export interface EntryPoint {
  /** Absolute path of the file to fork / start as a worker thread. */
  file: string;
  /** Node options it needs (the tsx loader when it is TypeScript). */
  execArgv: string[];
}

/** Source of each entry, relative to src-main (see electron.vite.config.ts for the built names). */
const SOURCES: Record<EntryName, string> = {
  worker: 'worker/main.ts',
  'kernel-thread': 'engine/kernels/thread.ts',
  'view-thread': 'views/view-thread.ts',
};

/** This module's own file: __filename in CommonJS (bundle, vitest), import.meta.url in ES modules. */
function thisFile(): string {
  return typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);
}

/** True when running from the TypeScript sources rather than the bundle. */
export function runningFromSource(): boolean {
  return thisFile().endsWith('.ts');
}

export function entryPoint(name: EntryName): EntryPoint {
  const here = dirname(thisFile());
  if (runningFromSource()) {
    // this file is src-main/entry-path.ts
    return { file: join(here, SOURCES[name]), execArgv: ['--import', 'tsx'] };
  }
  // bundle: out/main/<chunk>.js or out/main/chunks/<chunk>.js
  for (let dir = here, i = 0; i < 3; i++, dir = dirname(dir)) {
    const file = join(dir, `${name}.js`);
    if (existsSync(file)) return { file, execArgv: [] };
  }
  throw new Error(`entry "${name}" not found next to ${here} (was the app built with "npm run build"?)`);
}

/** The folder holding the built main-process entries (out/main), or null when running from sources. */
export function bundleDir(): string | null {
  if (runningFromSource()) return null;
  return dirname(entryPoint('kernel-thread').file);
}

/** Starts `name` as a worker thread (from sources: worker_threads ignore --import, so tsx is registered in the thread). */
export function startEntryThread(name: EntryName, options: WorkerOptions = {}): Worker {
  const entry = entryPoint(name);
  if (!entry.execArgv.includes('tsx')) return new Worker(entry.file, options);
  const api = createRequire(entry.file).resolve('tsx/cjs/api');
  const code = `require(${JSON.stringify(api)}).register(); require(${JSON.stringify(entry.file)});`;
  return new Worker(code, { ...options, eval: true });
}
