/**
 * Fault-injection harness: `kmeans-explorer serve` started as a real process (from source) on a temporary data
 * folder, real job workers, a real SQLite file, and a typed WebSocket client. Helpers to find the workers
 * (children of the server process), seed a dataset before the server starts, and check the file afterwards.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { KMeansParams } from '../../src-shared/model';
import type { RunInfo } from '../../src-shared/api';
import { Rng } from '../../src-main/engine/rng';
import { DB_FILE } from '../../src-main/services';
import { Store } from '../../src-main/store';
import { connect, type TestClient } from '../server/ws-client';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';

const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'src-main/cli.ts');
const started: ChildProcess[] = [];
const folders: string[] = [];

/** A new temporary data folder, removed by {@link cleanup}. */
export function tempDataDir(prefix: string): string {
  const dir = makeTempDir(`faults-${prefix}`);
  folders.push(dir);
  return dir;
}

/** After a test file: kills the servers it left running and removes its data folders. */
export function cleanup(): void {
  killAll();
  for (const d of folders.splice(0)) removeTempDir(d);
}

export interface Served {
  child: ChildProcess;
  pid: number;
  url: string;
  token: string;
  api: TestClient;
  /** Everything printed so far on stdout and stderr. */
  output(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ServeOptions {
  args?: string[];
  env?: Record<string, string>;
}

function spawnServe(dataDir: string, opts: ServeOptions): { child: ChildProcess; output: () => string; exit: Served['exit'] } {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--port', '0', '--no-mnist', '--data-dir', dataDir, ...(opts.args ?? [])], {
    cwd: ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  return { child, output: () => out, exit };
}

/** Starts a server and connects a client; rejects with its output if it exits first. */
export async function serve(dataDir: string, opts: ServeOptions = {}): Promise<Served> {
  const { child, output, exit } = spawnServe(dataDir, opts);
  const { url, token } = await new Promise<{ url: string; token: string }>((res, rej) => {
    const onData = (): void => {
      const m = /at (http:\/\/[^/]+\/)\?token=([\w-]+)/.exec(output());
      if (m) res({ url: m[1], token: m[2] });
    };
    child.stdout!.on('data', onData);
    void exit.then(({ code, signal }) => rej(new Error(`serve exited (${code ?? signal}) before listening:\n${output()}`)));
  });
  const api = await connect(url, token);
  return { child, pid: child.pid!, url, token, api, output, exit };
}

/** Runs `serve` expecting it to stop by itself (a refusal); resolves with its exit code and output. */
export async function serveExpectingExit(dataDir: string, opts: ServeOptions = {}, timeoutMs = 30_000): Promise<{ code: number | null; output: string }> {
  const { child, output, exit } = spawnServe(dataDir, opts);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const { code } = await exit;
  clearTimeout(timer);
  return { code, output: output() };
}

/** Stops a server with SIGTERM (its normal shutdown) and waits for it. */
export async function stop(s: Served): Promise<void> {
  s.api.close();
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  s.child.kill('SIGTERM');
  await s.exit;
}

/** Kills every server a test started and left running. */
export function killAll(): void {
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

/** Pids of the server's child processes (its job and import workers). Linux `ps`. */
export function workerPids(serverPid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(serverPid)], { encoding: 'utf8' })
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((p) => p > 0);
  } catch {
    return []; // ps exits 1 when there is none
  }
}

export function until<T>(get: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const t0 = Date.now();
  return new Promise((resolvePromise, reject) => {
    const tick = async (): Promise<void> => {
      try {
        const v = await get();
        if (v !== undefined) return resolvePromise(v);
      } catch (e) {
        return reject(e);
      }
      if (Date.now() - t0 > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(() => void tick(), 25);
    };
    void tick();
  });
}

/** Waits until run `id` has one of `statuses` (polling runs/get). */
export function runReaches(api: TestClient, id: number, statuses: RunInfo['status'][], timeoutMs = 60_000): Promise<RunInfo> {
  return until(
    async () => {
      const r = await api.request('runs/get', { id });
      return r.ok && statuses.includes(r.data.status) ? r.data : undefined;
    },
    `run ${id} to become ${statuses.join('|')}`,
    timeoutMs,
  );
}

/** Stores a float32 noise dataset (n × d) in the data folder's database before a server opens it. */
export function seedDataset(dataDir: string, n = 20_000, d = 32): number {
  const store = Store.open(join(dataDir, DB_FILE));
  try {
    const rng = new Rng(7);
    const data = Float32Array.from({ length: n * d }, () => rng.nextFloat());
    return store.datasets.insert({ name: 'noise', source: 'test', n, d, dtype: 'float32', data, scale: 1 }).info.id;
  } finally {
    store.close();
  }
}

/** Seconds of Lloyd iterations on noise (random init, no tolerance): a run to kill, stop or interrupt. */
export const SLOW: Partial<KMeansParams> = { k: 64, nInit: 50, maxIter: 1000, tol: 0, init: 'random' };
/** A run that finishes at once. */
export const QUICK: Partial<KMeansParams> = { k: 2, nInit: 1 };

/** SQLite's full integrity check of the data folder's database ('ok' when sound). */
export function integrity(dataDir: string): string {
  const db = new Database(join(dataDir, DB_FILE), { readonly: true });
  try {
    return (db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

export async function startRun(api: TestClient, datasetId: number, params: Partial<KMeansParams>): Promise<number> {
  const r = await api.call('runs/start', { datasetId, params, silhouette: { mode: 'none' } });
  return r.runs[0].id;
}

/** A server on a new data folder with a seeded dataset and a run of `params` that is computing now. */
export async function serveWithRunningJob(dir: string, params: Partial<KMeansParams>): Promise<{ s: Served; datasetId: number; id: number }> {
  const datasetId = seedDataset(dir);
  const s = await serve(dir);
  const id = await startRun(s.api, datasetId, params);
  await runReaches(s.api, id, ['running']);
  return { s, datasetId, id };
}

/** Takes the database's write lock from another connection (WAL: readers go on); returns its release. */
/** A CSV of n rows × d numbers (about 1.3 MB stored for 16,000 × 20). */
export function csv(n: number, d: number): Uint8Array {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(Array.from({ length: d }, (_, j) => ((i * 31 + j * 7) % 101) / 10).join(','));
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

export function holdWriteLock(dataDir: string): () => void {
  const other = new Database(join(dataDir, DB_FILE));
  other.exec('BEGIN IMMEDIATE');
  return () => {
    other.exec('ROLLBACK');
    other.close();
  };
}
