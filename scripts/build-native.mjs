// Builds the optional native kernels (src-main/engine/kernels/native: N-API, C, AVX-512 VNNI) with node-gyp into
// src-main/engine/kernels/build/kmeans-native.node when that file is missing or older than its sources.
// Optional by design: when no compiler, no Node headers or no node-gyp is found, it says so and exits 0, and the
// app runs its WASM kernels (src-main/engine/kernels/native.ts decides at run time, also by the CPU's features).
//
// Used as `node scripts/build-native.mjs` (npm run build; `--force` rebuilds, `--strict` fails on errors) and by
// nativeAsset(), a Vite plugin that ships the file as out/main/kernels/kmeans-native.node.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC_DIR = join(ROOT, 'src-main', 'engine', 'kernels', 'native');
export const NATIVE_PATH = join(ROOT, 'src-main', 'engine', 'kernels', 'build', 'kmeans-native.node');

function newestSourceMtime() {
  let t = statSync(fileURLToPath(import.meta.url)).mtimeMs;
  for (const f of readdirSync(SRC_DIR)) if (/\.(c|h|gyp)$/.test(f)) t = Math.max(t, statSync(join(SRC_DIR, f)).mtimeMs);
  return t;
}

export function isStale() {
  return !existsSync(NATIVE_PATH) || statSync(NATIVE_PATH).mtimeMs < newestSourceMtime();
}

/** node-gyp: the one npm runs scripts with, else the one npm ships. */
function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((p) => p && existsSync(p)) ?? null;
}

/** npm's nodedir setting (Node's headers on this machine), when node-gyp does not get it from npm already. */
function nodedirEnv() {
  if (process.env.npm_config_nodedir) return {};
  const r = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['config', 'get', 'nodedir'], { encoding: 'utf8', shell: process.platform === 'win32' });
  const dir = r.status === 0 ? r.stdout.trim() : '';
  return dir && dir !== 'undefined' && dir !== 'null' ? { npm_config_nodedir: dir } : {};
}

/** Builds when missing or stale (or always with force). Returns the .node path, or null (with the reason) when it cannot. */
export function buildNative({ force = false, quiet = false } = {}) {
  if (!force && !isStale()) return { path: NATIVE_PATH, reason: null };
  const gyp = nodeGyp();
  if (gyp === null) return { path: null, reason: 'node-gyp not found' };
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [gyp, 'rebuild', '--release'], {
    cwd: SRC_DIR,
    encoding: 'utf8',
    env: { ...process.env, ...nodedirEnv() },
  });
  const built = join(SRC_DIR, 'build', 'Release', 'kmeans_native.node');
  if (r.status !== 0 || !existsSync(built)) {
    // no stale module from older sources: without one the WASM kernels run
    rmSync(NATIVE_PATH, { force: true });
    return { path: null, reason: `node-gyp failed (exit ${r.status}):\n${(r.stdout ?? '').slice(-2000)}\n${(r.stderr ?? '').slice(-2000)}` };
  }
  mkdirSync(dirname(NATIVE_PATH), { recursive: true });
  copyFileSync(built, NATIVE_PATH);
  if (!quiet) console.log(`build-native: ${NATIVE_PATH} (${statSync(NATIVE_PATH).size} bytes, ${Date.now() - t0} ms)`);
  return { path: NATIVE_PATH, reason: null };
}

/** Vite plugin: emits the native kernels, when they built, as kernels/kmeans-native.node next to the main bundle. */
export function nativeAsset() {
  return {
    name: 'kmeans-explorer-native-kernels',
    buildStart() {
      buildNative({ quiet: true });
    },
    generateBundle() {
      if (existsSync(NATIVE_PATH)) this.emitFile({ type: 'asset', fileName: 'kernels/kmeans-native.node', source: readFileSync(NATIVE_PATH) });
    },
  };
}

/** vitest globalSetup: the native kernels, where this machine can build them (otherwise their tests say why not). */
export function setup() {
  buildNative({ quiet: true });
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  const force = process.argv.includes('--force');
  const strict = process.argv.includes('--strict');
  if (!force && !isStale()) console.log(`build-native: ${NATIVE_PATH} is up to date`);
  else {
    const { path, reason } = buildNative({ force });
    if (path === null) {
      console.warn(`build-native: the native kernels were not built (the WASM kernels will be used): ${reason}`);
      if (strict) process.exit(1);
    }
  }
}
