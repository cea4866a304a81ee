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
import { appendFileSync, closeSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
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

/**
 * npm passes its config to scripts as npm_config_* variables, and node-gyp and prebuild-install read them: a `nodedir`
 * (set on some systems to the local Node headers) would build against Node's headers whatever --target says, which
 * Electron then refuses to load. The target runtime comes from the command line only.
 */
const TOOL_ENV = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^npm_config_(nodedir|target|runtime|disturl|dist_url)$/i.test(k)),
);

/** Runs a build tool with its output going to the log file (it is long, and only needed when something fails). */
function run(cmd, argv, cwd, log) {
  appendFileSync(log, `\n$ ${[cmd, ...argv].join(' ')}\n`);
  const fd = openSync(log, 'a');
  try {
    const r = spawnSync(cmd, argv, { cwd, env: TOOL_ENV, stdio: ['ignore', fd, fd], shell: process.platform === 'win32' });
    if (r.error) appendFileSync(log, `${r.error.message}\n`);
    return r.status === 0;
  } finally {
    closeSync(fd);
  }
}

/** Why the tools failed and what to do, in a few words, from their log. */
function failureReason(logText, tools) {
  if (tools.length === 0) return 'neither prebuild-install nor node-gyp is installed; run "npm install" again';
  const net = /getaddrinfo \w+ [\w.-]+|\b(?:ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EAI_AGAIN|EPROTO|CERT_\w+)\b[^\n]{0,60}/.exec(logText);
  if (net) return `neither a prebuilt binary nor Electron's headers could be downloaded (${net[0].trim()}); it needs internet access once`;
  return `${tools.join(' and ')} could not build it; a local build needs a C++ toolchain (Python 3, make, a C++ compiler)`;
}

/**
 * Returns `{path}` of the Electron build of better-sqlite3, making it if needed, or `{error}`: one line saying why
 * it could not be made and what to do (the tools' own output goes to a log file next to the cache).
 */
function electronSqlite(electronVersion) {
  const target = bindingPath(electronVersion);
  if (existsSync(target)) return { path: target };
  console.log(`Preparing better-sqlite3 for Electron ${electronVersion} (once)…`);
  mkdirSync(dirname(target), { recursive: true });
  const log = join(dirname(target), 'prepare-sqlite.log');
  writeFileSync(log, `better-sqlite3 for Electron ${electronVersion}, ${new Date().toISOString()}\n`);
  const pkgDir = dirname(require.resolve('better-sqlite3/package.json'));
  const work = mkdtempSync(join(tmpdir(), 'kx-sqlite-electron-'));
  const tools = [];
  try {
    const copy = join(work, 'better-sqlite3');
    cpSync(pkgDir, copy, { recursive: true, filter: (src) => !src.startsWith(join(pkgDir, 'build')) });
    const built = join(copy, 'build', 'Release', 'better_sqlite3.node');
    const prebuild = resolveBin('prebuild-install', 'bin.js');
    if (prebuild) {
      tools.push('prebuild-install');
      run(process.execPath, [prebuild, '--runtime', 'electron', '--target', electronVersion, '--arch', process.arch, '--platform', process.platform], copy, log);
    }
    const gyp = existsSync(built) ? null : findNodeGyp();
    if (gyp) {
      tools.push('node-gyp');
      run(process.execPath, [gyp, 'rebuild', '--release', `--target=${electronVersion}`, '--dist-url=https://electronjs.org/headers', `--arch=${process.arch}`], copy, log);
    }
    if (!existsSync(built)) {
      const why = failureReason(readFileSync(log, 'utf8'), tools);
      return { error: `Could not get better-sqlite3 built for Electron ${electronVersion}: ${why} (details: ${relative(process.cwd(), log)}).` };
    }
    copyFileSync(built, target);
    return { path: target };
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

/**
 * Runs the app as our child until it exits: Ctrl-C, SIGTERM and SIGHUP are passed on, and when our own parent
 * goes away (npm, which exits on SIGTERM without passing it on to its script) the app is stopped too instead of
 * living on as an orphan.
 */
function forward(child) {
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) child.kill('SIGTERM');
  }, 500).unref();
}

function startBrowserMode(reason) {
  console.log(`${reason}\nStarting browser mode instead (the same app in your browser; Ctrl-C to stop).`);
  const serveArgs = args.length ? args : ['--open'];
  forward(spawn(process.execPath, [join(root, 'out', 'main', 'cli.js'), 'serve', ...serveArgs], { cwd: root, stdio: 'inherit' }));
}

if (args[0] === '--prepare-sqlite') {
  // Used by src-main/index.ts when Electron is started directly (e.g. `electron out/main/index.js`).
  const binding = electronSqlite(require('electron/package.json').version);
  if (binding.path) console.log(binding.path);
  else console.error(binding.error);
  process.exit(binding.path ? 0 : 1);
}

/** What to do when the Electron binary is absent: fetch it once. */
function electronMissing() {
  const skip = process.env.ELECTRON_SKIP_BINARY_DOWNLOAD ? ' with ELECTRON_SKIP_BINARY_DOWNLOAD unset' : '';
  return (
    'The Electron binary is not installed (npm install ran with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or offline).\n' +
    `To get the desktop app, download it once (needs internet): run "node node_modules/electron/install.js"${skip}, then "npm start" again.`
  );
}

ensureBuilt();
const electron = electronBinary();
if (!electron || process.env.KMEANS_BROWSER_MODE === '1') {
  startBrowserMode(electron ? 'KMEANS_BROWSER_MODE=1 is set.' : electronMissing());
} else {
  const version = require('electron/package.json').version;
  const binding = electronSqlite(version);
  if (!binding.path) {
    startBrowserMode(binding.error);
  } else {
    const env = { ...process.env, KMEANS_SQLITE_BINDING: binding.path };
    delete env.ELECTRON_RUN_AS_NODE;
    forward(spawn(electron, [root, ...args], { cwd: root, stdio: 'inherit', env }));
  }
}
