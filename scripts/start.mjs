#!/usr/bin/env node
// `npm start`: the desktop app when the Electron binary is installed, otherwise browser mode.
// `node scripts/start.mjs --prepare-sqlite`: only make the Electron build of better-sqlite3 (prints its path).
//
// Electron needs better-sqlite3 built for its ABI, while Node (tests, CLI, browser mode) keeps the
// build in node_modules. So the Electron build is made once into node_modules/.cache/kmeans-explorer/
// (a copy of the package, then `prebuild-install --runtime electron`, falling back to node-gyp with
// Electron's headers) and passed to the app through KMEANS_SQLITE_BINDING, which src-main/store/db.ts
// hands to better-sqlite3's `nativeBinding` option.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const args = process.argv.slice(2);

function electronBinary() {
  try {
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null; // the package throws when its binary was not downloaded
  }
}

function ensureBuilt() {
  const needed = ['out/main/index.js', 'out/main/cli.js', 'out/main/worker.js', 'out/preload/preload.cjs', 'out/renderer/index.html'];
  if (needed.every((f) => existsSync(join(root, f)))) return;
  console.log('Building the app (npm run build)…');
  const r = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** Path of better_sqlite3.node built for this Electron; must match electronSqliteBindingPath in src-main/index.ts. */
function bindingPath(electronVersion) {
  return join(root, 'node_modules', '.cache', 'kmeans-explorer', `better-sqlite3-electron-${electronVersion}-${process.platform}-${process.arch}.node`);
}

function run(cmd, argv, cwd) {
  const r = spawnSync(cmd, argv, { cwd, stdio: 'inherit', shell: process.platform === 'win32' });
  return r.status === 0;
}

/** Returns the Electron build of better-sqlite3, making it if needed; null if it cannot be made. */
function electronSqlite(electronVersion) {
  const target = bindingPath(electronVersion);
  if (existsSync(target)) return target;
  console.log(`Preparing better-sqlite3 for Electron ${electronVersion} (once)…`);
  const pkgDir = dirname(require.resolve('better-sqlite3/package.json'));
  const work = mkdtempSync(join(tmpdir(), 'kx-sqlite-electron-'));
  try {
    const copy = join(work, 'better-sqlite3');
    cpSync(pkgDir, copy, { recursive: true, filter: (src) => !src.startsWith(join(pkgDir, 'build')) });
    const built = join(copy, 'build', 'Release', 'better_sqlite3.node');
    const prebuild = resolveBin('prebuild-install', 'bin.js');
    let ok =
      prebuild !== null &&
      run(process.execPath, [prebuild, '--runtime', 'electron', '--target', electronVersion, '--arch', process.arch, '--platform', process.platform], copy);
    if (!ok || !existsSync(built)) {
      console.log('No prebuilt binary; compiling with node-gyp against the Electron headers…');
      const gyp = findNodeGyp();
      ok = gyp !== null && run(process.execPath, [gyp, 'rebuild', '--release', `--target=${electronVersion}`, '--dist-url=https://electronjs.org/headers', `--arch=${process.arch}`], copy);
    }
    if (!ok || !existsSync(built)) return null;
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(built, target);
    return target;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A script of an installed package (better-sqlite3's own dependency, hoisted by npm), or null. */
function resolveBin(pkg, file) {
  try {
    return join(dirname(require.resolve(`${pkg}/package.json`, { paths: [root, dirname(require.resolve('better-sqlite3/package.json'))] })), file);
  } catch {
    return null; // not installed: the caller falls back
  }
}

function findNodeGyp() {
  const candidates = [];
  const local = resolveBin('node-gyp', join('bin', 'node-gyp.js'));
  if (local) candidates.push(local);
  // the copy bundled with npm
  candidates.push(join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  if (process.env.npm_execpath) candidates.push(join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  return candidates.find((c) => existsSync(c)) ?? null;
}

function forward(child) {
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function startBrowserMode(reason) {
  console.log(`${reason}\nStarting browser mode instead (the same app in your browser; Ctrl-C to stop).`);
  const serveArgs = args.length ? args : ['--open'];
  forward(spawn(process.execPath, [join(root, 'out', 'main', 'cli.js'), 'serve', ...serveArgs], { cwd: root, stdio: 'inherit' }));
}

if (args[0] === '--prepare-sqlite') {
  // Used by src-main/index.ts when Electron is started directly (e.g. `electron out/main/index.js`).
  const binding = electronSqlite(require('electron/package.json').version);
  if (binding) console.log(binding);
  process.exit(binding ? 0 : 1);
}

ensureBuilt();
const electron = electronBinary();
if (!electron || process.env.KMEANS_BROWSER_MODE === '1') {
  startBrowserMode(
    electron
      ? 'KMEANS_BROWSER_MODE=1 is set.'
      : 'The Electron binary is not installed (e.g. installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or offline).',
  );
} else {
  const version = require('electron/package.json').version;
  const binding = electronSqlite(version);
  if (!binding) {
    startBrowserMode(`Could not get better-sqlite3 built for Electron ${version} (needs internet, or a C++ toolchain).`);
  } else {
    const env = { ...process.env, KMEANS_SQLITE_BINDING: binding };
    delete env.ELECTRON_RUN_AS_NODE;
    forward(spawn(electron, [root, ...args], { cwd: root, stdio: 'inherit', env }));
  }
}
