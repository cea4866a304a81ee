/**
 * The built app (out/) for the desktop tests: made fresh when a source is newer than the build, then the Electron
 * main entry (out/main/index.js) and the sandboxed preload (out/preload/preload.cjs) loaded as Electron would load
 * them, with the `electron` stand-in in place of the real module.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runInThisContext } from 'node:vm';
import type { ElectronStandIn, StandInWindowInstance } from './electron-stand-in';

export const ROOT = resolve(__dirname, '..', '..');
export const MAIN_ENTRY = join(ROOT, 'out', 'main', 'index.js');
export const PRELOAD_ENTRY = join(ROOT, 'out', 'preload', 'preload.cjs');
const OUTPUTS = [MAIN_ENTRY, PRELOAD_ENTRY, join(ROOT, 'out', 'main', 'worker.js'), join(ROOT, 'out', 'main', 'cli.js'), join(ROOT, 'out', 'renderer', 'index.html')];
const SOURCES = ['src-main', 'src-shared', 'src-renderer', 'electron.vite.config.ts', 'package.json'];

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const e of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, e)));
  return newest;
}

function isFresh(): boolean {
  if (!OUTPUTS.every((f) => existsSync(f))) return false;
  const built = Math.min(...OUTPUTS.map((f) => statSync(f).mtimeMs));
  return Math.max(...SOURCES.map((s) => newestMtime(join(ROOT, s)))) <= built;
}

/**
 * Runs `electron-vite build` when out/ is missing or older than a source, so a changed src-main/index.ts is
 * what the tests load (vitest runs before `npm run build` in `npm test`). One build at a time across test files.
 */
export function ensureFreshBuild(): void {
  if (isFresh()) return;
  const lock = join(tmpdir(), `kx-build-${Buffer.from(ROOT).toString('hex').slice(-24)}.lock`);
  const t0 = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // another test file is building: wait for it (a lock older than 3 minutes is left over from a killed run)
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 180_000) rmdirSync(lock);
      if (Date.now() - t0 > 300_000) throw new Error(`waited 5 minutes for the build lock ${lock}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (isFresh()) return;
    const bin = join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
    const r = spawnSync(process.execPath, [bin, 'build'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`electron-vite build failed:\n${r.stdout}\n${r.stderr}`);
  } finally {
    rmdirSync(lock);
  }
}

const requireFromMain = createRequire(MAIN_ENTRY);
const ELECTRON_ID = requireFromMain.resolve('electron');

/**
 * Runs out/main/index.js as Electron starts it, with `require('electron')` answered by the stand-in (an entry in
 * require.cache under the electron package's own path, which Node checks before loading the file). Each call runs
 * the entry anew.
 */
export function loadMainBundle(standIn: ElectronStandIn): void {
  const electron = new Module(ELECTRON_ID);
  electron.filename = ELECTRON_ID;
  electron.loaded = true;
  electron.exports = standIn.module;
  requireFromMain.cache[ELECTRON_ID] = electron;
  delete requireFromMain.cache[MAIN_ENTRY];
  try {
    requireFromMain(MAIN_ENTRY);
  } finally {
    delete requireFromMain.cache[ELECTRON_ID];
  }
}

/** Modules a sandboxed preload may require besides `electron` (Electron's sandbox list). */
const SANDBOX_MODULES = new Set(['events', 'timers', 'url']);

/** What a sandboxed preload exposed with `contextBridge.exposeInMainWorld`. */
export type MainWorld = Record<string, unknown>;

/**
 * Evaluates out/preload/preload.cjs for `win` as a sandboxed preload runs: a `require` that knows only
 * `electron` (here contextBridge and ipcRenderer bound to the window's webContents) and the sandbox's few
 * modules, anything else throws as Electron's sandbox does. Returns what it exposed.
 */
export function loadPreload(standIn: ElectronStandIn, win: StandInWindowInstance): MainWorld {
  const world: MainWorld = {};
  const wc = win.webContents;
  const contextBridge: Pick<Electron.ContextBridge, 'exposeInMainWorld'> = {
    exposeInMainWorld: (key, api) => {
      if (key in world) throw new Error(`Cannot bind an API on top of an existing property on the window object: ${key}`);
      world[key] = api;
    },
  };
  const ipcRenderer: Pick<Electron.IpcRenderer, 'invoke' | 'on'> = {
    invoke: (channel, ...args) => standIn.invoke(channel, wc, wc.mainFrame, args[0]),
    on(channel, listener) {
      if (!wc.rendererListeners.has(channel)) wc.rendererListeners.set(channel, new Set());
      wc.rendererListeners.get(channel)!.add(listener as (event: unknown, ...args: unknown[]) => void);
      return this as Electron.IpcRenderer;
    },
  };
  const sandboxRequire = (id: string): unknown => {
    if (id === 'electron') return { contextBridge, ipcRenderer };
    if (SANDBOX_MODULES.has(id)) return requireFromMain(id);
    throw new Error(`module not found: ${id}`);
  };
  const source = readFileSync(PRELOAD_ENTRY, 'utf8');
  const wrapper = runInThisContext(`(function (exports, require, module) {${source}\n})`, { filename: PRELOAD_ENTRY }) as (
    exports: object,
    require: (id: string) => unknown,
    module: { exports: object },
  ) => void;
  const module = { exports: {} };
  wrapper(module.exports, sandboxRequire, module);
  return world;
}
