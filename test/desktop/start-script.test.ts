/**
 * `npm start` (scripts/start.mjs) without a network: the Electron build of better-sqlite3 falls back with one clear
 * line when neither prebuild-install nor node-gyp can download anything, and without the Electron binary it says
 * how to get it and starts browser mode. The real script and the real tools run; downloads are made to fail the same
 * way on every machine by a proxy that refuses connections, and a fresh HOME hides any cached headers.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, ensureFreshBuild } from './app-bundle';
import { makeTempDir, tempDir } from '../helpers/temp-dir';

const START = join(ROOT, 'scripts', 'start.mjs');
const requireHere = createRequire(join(ROOT, 'package.json'));
const ELECTRON_VERSION = (requireHere('electron/package.json') as { version: string }).version;
const CACHE = join(ROOT, 'node_modules', '.cache', 'kmeans-explorer');
const BINDING = join(CACHE, `better-sqlite3-electron-${ELECTRON_VERSION}-${process.platform}-${process.arch}.node`);

function electronInstalled(): boolean {
  try {
    const p = requireHere('electron') as unknown;
    return typeof p === 'string' && existsSync(p);
  } catch {
    return false;
  }
}

const home = tempDir('start');

/** The environment of a machine without network access: every download goes to a proxy that refuses. */
function offlineEnv(): NodeJS.ProcessEnv {
  const refuse = 'http://127.0.0.1:9';
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, USERPROFILE: home, XDG_CACHE_HOME: join(home, 'cache') };
  for (const k of ['HTTPS_PROXY', 'HTTP_PROXY', 'https_proxy', 'http_proxy', 'npm_config_proxy', 'npm_config_https_proxy']) env[k] = refuse;
  for (const k of ['NO_PROXY', 'no_proxy', 'npm_config_noproxy', 'npm_config_cache', 'ELECTRON_RUN_AS_NODE']) delete env[k];
  return env;
}

interface Ran {
  code: number | null;
  lines: string[];
}

/** Runs start.mjs to its end, or until `until(output)` holds (then stops it with SIGTERM and waits for its exit). */
function runStart(args: string[], until?: (output: string) => boolean, timeoutMs = 120_000): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [START, ...args], { cwd: ROOT, env: offlineEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`start.mjs ${args.join(' ')} did not finish within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (b: Buffer): void => {
      out += b.toString();
      if (until?.(out) && child.exitCode === null) child.kill('SIGTERM');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, lines: out.split('\n').filter((l) => l.trim() !== '') });
    });
  });
}

describe('npm start without a network', () => {
  beforeAll(() => ensureFreshBuild(), 180_000);

  it.skipIf(existsSync(BINDING))(
    '--prepare-sqlite: when nothing can be downloaded, one line says why and what to do (exit 1, tool output in a log)',
    async () => {
      const r = await runStart(['--prepare-sqlite']);
      expect(r.code).toBe(1);
      expect(r.lines).toEqual([`Preparing better-sqlite3 for Electron ${ELECTRON_VERSION} (once)…`, expect.any(String)]);
      const line = r.lines[1]!;
      expect(line).toMatch(new RegExp(`^Could not get better-sqlite3 built for Electron ${ELECTRON_VERSION.replace(/\./g, '\\.')}: `));
      expect(line).toContain("neither a prebuilt binary nor Electron's headers could be downloaded (ECONNREFUSED 127.0.0.1:9)");
      expect(line).toContain('it needs internet access once');
      expect(line).toMatch(/\(details: node_modules\/\.cache\/kmeans-explorer\/prepare-sqlite\.log\)\.$/);
      // both tools were tried, and what they said is in the log rather than on the console
      const log = readFileSync(join(CACHE, 'prepare-sqlite.log'), 'utf8');
      expect(log).toMatch(/prebuild-install[^\n]*--runtime electron/);
      expect(log).toMatch(/node-gyp[^\n]* rebuild/);
      expect(log).toMatch(/gyp ERR!/);
      expect(existsSync(BINDING)).toBe(false);
    },
    150_000,
  );

  it.skipIf(electronInstalled())('without the Electron binary: says how to get it, then starts browser mode', async () => {
    const dataDir = makeTempDir('data', home);
    const url = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/;
    const r = await runStart(['--port', '0', '--data-dir', dataDir, '--no-mnist'], (out) => url.test(out), 60_000);
    expect(r.lines[0]).toBe('The Electron binary is not installed (npm install ran with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or offline).');
    expect(r.lines[1]).toMatch(/^To get the desktop app, download it once \(needs internet\): run "node node_modules\/electron\/install\.js"( with ELECTRON_SKIP_BINARY_DOWNLOAD unset)?, then "npm start" again\.$/);
    expect(r.lines[2]).toBe('Starting browser mode instead (the same app in your browser; Ctrl-C to stop).');
    expect(r.lines.some((l) => url.test(l))).toBe(true);
    // SIGTERM reached browser mode through start.mjs, and both exited
    expect(r.code).not.toBeNull();
  }, 90_000);

  /** Processes whose command line mentions `marker` (Linux: /proc). */
  function processesWith(marker: string): number[] {
    const out: number[] = [];
    for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      try {
        if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)) out.push(Number(pid));
      } catch {
        // gone meanwhile
      }
    }
    return out;
  }

  it.skipIf(electronInstalled() || process.platform !== 'linux')('when its parent dies without passing SIGTERM on (npm does so), browser mode stops too', async () => {
    const dataDir = makeTempDir('orphan', home);
    // a stand-in for npm: starts start.mjs and is then killed outright
    const parent = spawn(process.execPath, ['-e', `require('node:child_process').spawn(process.execPath, ${JSON.stringify([START, '--port', '0', '--data-dir', dataDir, '--no-mnist'])}, { stdio: 'inherit' }); setInterval(() => {}, 1000);`], {
      cwd: ROOT, env: offlineEnv(), stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    parent.stdout.on('data', (b: Buffer) => (out += b.toString()));
    const t0 = Date.now();
    while (!/\?token=/.test(out) && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 100));
    expect(out).toMatch(/\?token=/);
    expect(processesWith(dataDir).length).toBeGreaterThanOrEqual(2); // start.mjs and serve
    parent.kill('SIGKILL');
    const t1 = Date.now();
    while (processesWith(dataDir).length > 0 && Date.now() - t1 < 15_000) await new Promise((r) => setTimeout(r, 100));
    expect(processesWith(dataDir)).toEqual([]);
  }, 90_000);
});
