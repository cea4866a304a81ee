/**
 * A real `serve` (browser mode, real workers, a fresh data folder) started as a child process of this CLI, and a
 * socket client on it: what the renderer talks to, for the modes that time the app as its user gets it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UPLOAD_PATH } from '../../../src-shared/browser-wire';
import { connect, type ApiSocketClient } from '../../api-socket-client';

export interface ServeChild {
  api: ApiSocketClient;
  url: string;
  token: string;
  /** What `seed` returned. */
  seeded: unknown;
  /** SIGTERM, wait for the exit, remove the data folder. */
  stop(): Promise<void>;
}

/**
 * Starts `serve --port 0` on a new temp data folder (the built-in MNIST imported unless `noMnist`; `seed` writes
 * into the folder first), resolves once it is ready.
 */
export async function startServeChild(opts: { noMnist?: boolean; log: (s: string) => void; seed?: (dataDir: string) => unknown }): Promise<ServeChild> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kx-bench-'));
  const seeded = opts.seed?.(dataDir);
  const args = [...process.execArgv, process.argv[1], 'serve', '--port', '0', '--data-dir', dataDir, ...(opts.noMnist ? ['--no-mnist'] : [])];
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr!.on('data', (b: Buffer) => opts.log(`[serve] ${b.toString().trimEnd()}`));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const { url, token } = await new Promise<{ url: string; token: string }>((resolve, reject) => {
      let out = '';
      let found: { url: string; token: string } | null = null;
      child.stdout!.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /at (http:\/\/127\.0\.0\.1:\d+\/)\?token=([\w-]+)/.exec(out);
        if (m) found = { url: m[1], token: m[2] };
        if (found && /^ready$/m.test(out)) resolve(found);
      });
      child.once('exit', (code) => reject(new Error(`serve exited with ${code} before it was ready: ${out}`)));
    });
    return { api: await connect(url, token), url, token, seeded, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** POSTs one file to the server's upload route; resolves with its upload id. */
export async function upload(s: ServeChild, bytes: Uint8Array): Promise<string> {
  const res = await fetch(new URL(UPLOAD_PATH, s.url), { method: 'POST', headers: { 'x-kmeans-token': s.token }, body: new Blob([bytes.slice()]) });
  const body = (await res.json()) as { uploadId?: string; error?: string };
  if (!res.ok || !body.uploadId) throw new Error(`upload refused (HTTP ${res.status}): ${body.error ?? ''}`);
  return body.uploadId;
}

export interface RunEnd {
  status: string;
  error: string | null;
  /** performance.now() when the event arrived. */
  at: number;
}

/** One arrival per run, kept from the first, waited on by run id (whether it came before or after the wait). */
class Arrivals {
  private readonly got = new Map<number, RunEnd>();
  private readonly waiting = new Map<number, (e: RunEnd) => void>();
  add(id: number, e: RunEnd): void {
    if (this.got.has(id)) return;
    this.got.set(id, e);
    this.waiting.get(id)?.(e);
  }
  wait(id: number): Promise<RunEnd> {
    return new Promise((resolve) => (this.got.has(id) ? resolve(this.got.get(id)!) : this.waiting.set(id, resolve)));
  }
}

/**
 * Records, from now on, when each run's first ending `run/updated` (done, failed, cancelled, interrupted) arrives
 * (`end(id)`), and when its silhouette, which follows `done`, is no longer pending (`silhouette(id)`: final,
 * failed, or none), so an event that comes before its start request's reply is read is not missed.
 */
export function trackRunEnds(api: ApiSocketClient): { end(runId: number): Promise<RunEnd>; silhouette(runId: number): Promise<RunEnd>; stop(): void } {
  const ended = new Arrivals();
  const landed = new Arrivals();
  const off = api.onEvent((name, payload) => {
    const r = payload as { id?: number; status?: string; error?: string | null; silhouetteState?: string; silhouetteError?: string | null };
    if (name !== 'run/updated' || typeof r.id !== 'number' || !['done', 'failed', 'cancelled', 'interrupted'].includes(r.status ?? '')) return;
    const at = performance.now();
    ended.add(r.id, { status: r.status!, error: r.error ?? null, at });
    if (r.silhouetteState !== 'pending') landed.add(r.id, { status: r.silhouetteState ?? r.status!, error: r.silhouetteError ?? r.error ?? null, at });
  });
  return { end: (id) => ended.wait(id), silhouette: (id) => landed.wait(id), stop: () => void off() };
}
