// Compiles the WASM SIMD kernels (AssemblyScript sources in src-main/engine/kernels/assembly) into
// src-main/engine/kernels/build/kernels.wasm when that file is missing or older than its sources.
//
// Used three ways:
// - `node scripts/build-kernels.mjs` (npm run build, before electron-vite build; `--force` rebuilds);
// - `kernelsAsset()`, a Vite plugin in electron.vite.config.ts that ships the .wasm as out/main/kernels/kernels.wasm;
// - `setup()`, a vitest globalSetup, so `vitest run` on a fresh clone has the kernels.
// The loader (src-main/engine/kernels/wasm.ts) also calls this script when it runs from TypeScript sources.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC_DIR = join(ROOT, 'src-main', 'engine', 'kernels', 'assembly');
export const WASM_PATH = join(ROOT, 'src-main', 'engine', 'kernels', 'build', 'kernels.wasm');

/** asc flags: baseline SIMD (Node 20 and Electron run it by default), a shared imported memory of up to 4 GiB. */
const ASC_FLAGS = [
  '--enable', 'simd',
  '--enable', 'threads',
  '--importMemory',
  '--sharedMemory',
  '--initialMemory', '1',
  '--maximumMemory', '65536',
  '--runtime', 'stub',
  '-O3',
  '--noAssert',
];

function newestSourceMtime() {
  let t = statSync(fileURLToPath(import.meta.url)).mtimeMs;
  for (const f of readdirSync(SRC_DIR)) if (f.endsWith('.ts')) t = Math.max(t, statSync(join(SRC_DIR, f)).mtimeMs);
  return t;
}

export function isStale() {
  return !existsSync(WASM_PATH) || statSync(WASM_PATH).mtimeMs < newestSourceMtime();
}

/** Compiles when missing or stale (or always with force). Returns the .wasm path. Throws on compile errors. */
export function buildKernels({ force = false, quiet = false } = {}) {
  if (!force && !isStale()) return WASM_PATH;
  mkdirSync(dirname(WASM_PATH), { recursive: true });
  const asc = join(ROOT, 'node_modules', 'assemblyscript', 'bin', 'asc.js');
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [asc, join(SRC_DIR, 'index.ts'), ...ASC_FLAGS, '-o', WASM_PATH], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    throw new Error(`asc failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  if (!quiet) console.log(`build-kernels: ${WASM_PATH} (${statSync(WASM_PATH).size} bytes, ${Date.now() - t0} ms)`);
  return WASM_PATH;
}

/** Vite plugin: builds the kernels if needed and emits them as kernels/kernels.wasm next to the main bundle. */
export function kernelsAsset() {
  return {
    name: 'kmeans-explorer-kernels',
    buildStart() {
      buildKernels({ quiet: true });
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'kernels/kernels.wasm', source: readFileSync(WASM_PATH) });
    },
  };
}

/** vitest globalSetup. */
export function setup() {
  buildKernels({ quiet: true });
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  try {
    const force = process.argv.includes('--force');
    if (!force && !isStale()) console.log(`build-kernels: ${WASM_PATH} is up to date`);
    else buildKernels({ force });
  } catch (e) {
    console.error(String(e instanceof Error ? e.message : e));
    process.exit(1);
  }
}
