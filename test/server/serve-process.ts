/**
 * `kmeans-explorer serve` from source as a real child process, for tests: resolves once it prints its URL;
 * `ready` resolves with the ms from spawn to "ready". `killAll` (afterAll) stops whatever a test left running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

export interface ServeProcess {
  child: ChildProcess;
  /** http://127.0.0.1:PORT/ */
  url: string;
  port: number;
  token: string;
  ready: Promise<number>;
}

const children: ChildProcess[] = [];

export function startServe(args: string[]): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src-main/cli.ts'), 'serve', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  let out = '';
  const spawned = Date.now();
  let onReady!: (ms: number) => void;
  const ready = new Promise<number>((r) => (onReady = r));
  return new Promise((resolveStarted, reject) => {
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /at (http:\/\/127\.0\.0\.1:(\d+)\/)\?token=([\w-]+)/.exec(out);
      if (m) resolveStarted({ child, url: m[1], port: Number(m[2]), token: m[3], ready });
      if (/^ready$/m.test(out)) onReady(Date.now() - spawned);
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
}

/** SIGTERM, then waits for the exit. */
export async function stopServe(s: ServeProcess): Promise<void> {
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await exited;
}

export function killAllServes(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}
