/**
 * The desktop host as built (out/main/index.js, out/preload/preload.cjs) run under Node with the `electron`
 * stand-in: window hardening, CSP, navigation guards, one IPC handler per contract request accepted only from
 * the app window, the preload's `window.api` round trip, jobs in (stand-in) utility processes running the real
 * worker, the single-instance lock, and quit. The services, the SQLite file and the worker processes are real.
 */
import Database from 'better-sqlite3';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IPC_EVENT_CHANNEL, REQUEST_NAMES, ipcChannel, type Api, type EventName, type RunInfo } from '../../src-shared/api';
import { Store } from '../../src-main/store';
import { DB_FILE } from '../../src-main/services';
import { SQLITE_BINDING_ENV } from '../../src-main/store/db';
import { contentSecurityPolicy } from '../../src-main/csp';
import { ROOT, ensureFreshBuild, loadMainBundle, loadPreload } from './app-bundle';
import { StandInFrame, StandInWebContents, createElectronStandIn, type ElectronStandIn, type StandInWindowInstance } from './electron-stand-in';
import { forkUtilityProcess } from './utility-process-stand-in';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';

const OUT = join(ROOT, 'out');
const dirs: string[] = [];

function tempDir(): string {
  const d = makeTempDir('desktop');
  dirs.push(d);
  return d;
}

async function until(what: string, cond: () => boolean, timeoutMs = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts the built main entry on `userData` and waits until it made its window (or gave up). */
async function launch(userData: string, singleInstanceLock = true): Promise<ElectronStandIn> {
  const standIn = createElectronStandIn({ singleInstanceLock, userData, fork: forkUtilityProcess });
  loadMainBundle(standIn);
  await until('the window, an error box or quit', () => standIn.windows.length > 0 || standIn.errorBoxes.length > 0 || standIn.calls.quit > 0);
  return standIn;
}

/** Three separated blobs with a label column, as a CSV file. */
function blobsCsv(path: string, n: number): string {
  const lines = ['x,y,label'];
  for (let i = 0; i < n; i++) lines.push(`${(i % 3) * 10 + (i % 7) / 7},${(i % 5) / 5},${'abc'[i % 3]}`);
  writeFileSync(path, lines.join('\n'));
  return path;
}

beforeAll(() => {
  ensureFreshBuild();
  // npm start hands main an Electron-ABI better-sqlite3 through this variable; under Node it is Node's own build
  process.env[SQLITE_BINDING_ENV] = createRequire(join(ROOT, 'package.json')).resolve('better-sqlite3/build/Release/better_sqlite3.node');
}, 180_000);

afterAll(() => {
  for (const d of dirs) removeTempDir(d);
});

describe('Electron main (built) under the electron stand-in', () => {
  let userData: string;
  let standIn: ElectronStandIn;
  let win: StandInWindowInstance;
  let api: Api;
  const events: [EventName, unknown][] = [];

  beforeAll(async () => {
    userData = tempDir();
    standIn = await launch(userData);
    expect(standIn.errorBoxes).toEqual([]);
    expect(standIn.windows).toHaveLength(1);
    win = standIn.windows[0]!;
    api = loadPreload(standIn, win).api as Api;
    api.on('run/updated', (r) => events.push(['run/updated', r]));
    api.on('job/progress', (p) => events.push(['job/progress', p]));
  }, 120_000);

  it('opens one hardened window: isolated, sandboxed, no Node, no webview, the built preload', () => {
    const prefs = win.options.webPreferences!;
    expect({
      contextIsolation: prefs.contextIsolation,
      sandbox: prefs.sandbox,
      nodeIntegration: prefs.nodeIntegration,
      nodeIntegrationInWorker: prefs.nodeIntegrationInWorker,
      nodeIntegrationInSubFrames: prefs.nodeIntegrationInSubFrames,
      webSecurity: prefs.webSecurity,
      webviewTag: prefs.webviewTag,
      allowRunningInsecureContent: prefs.allowRunningInsecureContent,
      experimentalFeatures: prefs.experimentalFeatures,
    }).toEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: undefined,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: undefined,
      experimentalFeatures: undefined,
    });
    expect(prefs.preload).toBe(join(OUT, 'preload', 'preload.cjs'));
    expect(win.shown).toBe(false); // shown on ready-to-show, not before (no white flash)
    win.emit('ready-to-show');
    expect(win.shown).toBe(true);
  });

  it('loads the built renderer, and every file the code names exists in out/', () => {
    expect(win.loaded).toEqual([{ file: join(OUT, 'renderer', 'index.html') }]);
    const html = readFileSync(win.loaded[0]!.file!, 'utf8');
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!).filter((r) => !/^(https?:|data:)/.test(r));
    expect(refs.length).toBeGreaterThan(0);
    for (const r of refs) expect(existsSync(join(OUT, 'renderer', r)), r).toBe(true);
    // the CSP has no 'unsafe-inline' for scripts: every script is a file
    expect([...html.matchAll(/<script\b[^>]*>/g)].every((m) => /\bsrc=/.test(m[0]))).toBe(true);
    expect(existsSync(win.options.webPreferences!.preload!)).toBe(true);
  });

  it('sets a strict CSP on every response and denies permission requests', () => {
    expect(standIn.headerListeners).toHaveLength(1);
    let reply: Electron.HeadersReceivedResponse | undefined;
    const details = { url: 'file:///x', responseHeaders: { 'X-Kept': ['1'] } } as unknown as Electron.OnHeadersReceivedListenerDetails;
    standIn.headerListeners[0]!(details, (r) => (reply = r));
    expect(reply!.responseHeaders!['X-Kept']).toEqual(['1']);
    const csp = String(reply!.responseHeaders!['Content-Security-Policy']);
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.has('script-src')).toBe(false); // scripts fall back to default-src 'self'
    expect(csp).not.toMatch(/unsafe-eval|\*/);

    expect(standIn.permissionHandlers).toHaveLength(1);
    const answers: boolean[] = [];
    for (const p of ['geolocation', 'media', 'notifications', 'openExternal'] as const) {
      standIn.permissionHandlers[0]!(win.webContents as unknown as Electron.WebContents, p, (ok) => answers.push(ok), {} as Electron.PermissionRequest);
    }
    expect(answers).toEqual([false, false, false, false]);
  });

  it("writes the same policy into the built page's meta tag, less frame-ancestors (which a meta policy may not carry)", () => {
    const html = readFileSync(join(OUT, 'renderer', 'index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1];
    expect(meta).toBe(contentSecurityPolicy(['ws://127.0.0.1:*'], { meta: true }));
    expect(meta).toContain("default-src 'self'");
    expect(meta).not.toContain('frame-ancestors');
  });

  it('denies navigation away from the app, new windows and webviews; opens only allow-listed https links outside', () => {
    const wc = win.webContents;
    const own = pathToFileURL(join(OUT, 'renderer', 'index.html')).href;
    expect(wc.navigate('will-navigate', `${own}#/runs`).defaultPrevented).toBe(false);
    expect(wc.navigate('will-navigate', 'https://github.com/scikit-learn/scikit-learn').defaultPrevented).toBe(true);
    expect(wc.navigate('will-navigate', 'https://evil.example/').defaultPrevented).toBe(true);
    expect(wc.navigate('will-navigate', 'file:///etc/passwd').defaultPrevented).toBe(true);
    expect(wc.navigate('will-redirect', 'https://scikit-learn.org/').defaultPrevented).toBe(true);
    expect(wc.open('https://scikit-learn.org/stable/')).toEqual({ action: 'deny' });
    expect(wc.open('http://scikit-learn.org/')).toEqual({ action: 'deny' });
    expect(wc.open('https://evil.example/')).toEqual({ action: 'deny' });
    expect(wc.open('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(standIn.opened).toEqual(['https://github.com/scikit-learn/scikit-learn', 'https://scikit-learn.org/stable/']);

    const other = new StandInWebContents();
    standIn.app.emit('web-contents-created', {}, other);
    expect(other.navigate('will-attach-webview', 'about:blank').defaultPrevented).toBe(true);
  });

  it('registers one ipcMain handler per contract request, and nothing else', () => {
    expect([...standIn.handlers.keys()].sort()).toEqual(REQUEST_NAMES.map(ipcChannel).sort());
  });

  it('answers every request only from the app window main frame showing the app', async () => {
    const unauthorized = { ok: false, code: 'unauthorized', message: 'requests are accepted only from the app window' };
    const wc = win.webContents;
    const stranger = new StandInWebContents();
    stranger.mainFrame.url = wc.mainFrame.url;
    for (const name of REQUEST_NAMES) {
      const channel = ipcChannel(name);
      expect(await standIn.invoke(channel, stranger, stranger.mainFrame, {}), `${name} from another webContents`).toEqual(unauthorized);
      expect(await standIn.invoke(channel, wc, new StandInFrame(wc.mainFrame.url), {}), `${name} from a sub-frame`).toEqual(unauthorized);
      expect(await standIn.invoke(channel, wc, null, {}), `${name} without a frame`).toEqual(unauthorized);
    }
    const own = wc.mainFrame.url;
    wc.mainFrame.url = 'https://evil.example/';
    try {
      expect(await standIn.invoke(ipcChannel('app/info'), wc, wc.mainFrame, {})).toEqual(unauthorized);
    } finally {
      wc.mainFrame.url = own;
    }
    const info = await standIn.invoke(ipcChannel('app/info'), wc, wc.mainFrame, {});
    expect(info).toMatchObject({ ok: true, data: { host: 'electron', dataDir: userData } });
  });

  it('the preload exposes exactly the contract, and requests and events make the round trip', async () => {
    const world = loadPreload(standIn, win);
    expect(Object.keys(world)).toEqual(['api']);
    expect(Object.keys(world.api as object).sort()).toEqual([...REQUEST_NAMES, 'on'].sort());
    expect(() => (world.api as Api).on('no/such' as EventName, () => undefined)).toThrow(/unknown event/);
    const bad = await api['runs/get']({ id: 'one' as unknown as number });
    expect(bad).toMatchObject({ ok: false, code: 'bad-request' });
    expect((bad as { message: string }).message).toMatch(/id/);
    const missing = await api['runs/get']({ id: 12345 });
    expect(missing).toMatchObject({ ok: false, code: 'not-found' });
  });

  it('imports a file by path and runs a job in a utility process running the built worker', async () => {
    const csv = blobsCsv(join(userData, 'blobs.csv'), 300);
    const imported = await api['datasets/import']({ paths: [csv] });
    if (!imported.ok) throw new Error(imported.message);
    expect(imported.data.dataset).toMatchObject({ n: 300, d: 2 });
    const started = await api['runs/start']({ datasetId: imported.data.dataset.id, params: { k: 3, algorithm: 'kmeans', seed: 0 }, silhouette: { mode: 'exact' }, name: 'blobs' });
    if (!started.ok) throw new Error(started.message);
    const id = started.data.runs[0]!.id;
    const updates = (): RunInfo[] => events.filter(([n, r]) => n === 'run/updated' && (r as RunInfo).id === id).map(([, r]) => r as RunInfo);
    await until('the run to finish', () => updates().some((r) => r.status === 'done' || r.status === 'failed'));
    const final = updates().at(-1)!;
    expect(final.error).toBeNull();
    expect(final.status).toBe('done');
    expect(final.metrics!.ari).toBeCloseTo(1, 10);
    expect(events.some(([n, p]) => n === 'job/progress' && (p as { runId: number }).runId === id)).toBe(true);
    // both jobs (import, run) ran the built worker entry in a utility process; the warm launcher may have forked
    // the next job's spare already (it prepares one whenever no worker runs), from the same entry
    expect(standIn.forks.length).toBeGreaterThanOrEqual(2);
    expect(standIn.forks.length).toBeLessThanOrEqual(3);
    expect(new Set(standIn.forks.map((f) => f.modulePath))).toEqual(new Set([join(OUT, 'main', 'worker.js')]));
    expect(standIn.forks.every((f) => f.options?.serviceName === 'K-means job' && (f.options.env as NodeJS.ProcessEnv | undefined)?.[SQLITE_BINDING_ENV] === process.env[SQLITE_BINDING_ENV])).toBe(true);
    const arrays = await api['runs/arrays']({ id, include: ['labels'] });
    if (!arrays.ok) throw new Error(arrays.message);
    expect(arrays.data.labels).toBeInstanceOf(Int32Array); // typed arrays survive the structured clone
    // events reach the window on the one event channel
    expect(win.webContents.sent.every(([channel]) => channel === IPC_EVENT_CHANNEL)).toBe(true);
  });

  it('a second launch focuses the window (restoring it when minimized)', () => {
    const before = win.focused;
    standIn.app.emit('second-instance', {}, ['electron', '.'], ROOT, {});
    expect(win.focused).toBe(before + 1);
    win.minimized = true;
    standIn.app.emit('second-instance', {}, ['electron', '.'], ROOT, {});
    expect(win.minimized).toBe(false);
    expect(win.focused).toBe(before + 2);
  });

  it('closing the window quits: the running job is stopped and its run is interrupted, a queued run stays queued', async () => {
    let list = await api['datasets/list']({});
    for (const t0 = Date.now(); list.ok && !list.data.some((d) => /MNIST/i.test(d.name)) && Date.now() - t0 < 60_000; ) {
      await new Promise((r) => setTimeout(r, 100));
      list = await api['datasets/list']({});
    }
    if (!list.ok) throw new Error(list.message);
    const mnist = list.data.find((d) => /MNIST/i.test(d.name))!;
    const blobs = list.data.find((d) => d.name === 'blobs')!;
    // minutes of work: the exact silhouette of 70,000 digits
    const slow = await api['runs/start']({ datasetId: mnist.id, params: { k: 10, algorithm: 'minibatch', seed: 1 }, silhouette: { mode: 'exact' }, name: 'slow' });
    const queued = await api['runs/start']({ datasetId: blobs.id, params: { k: 3, seed: 2 }, silhouette: { mode: 'none' }, name: 'queued' });
    if (!slow.ok || !queued.ok) throw new Error('runs/start failed');
    const slowId = slow.data.runs[0]!.id;
    await until('the slow run to report fit progress', () => events.some(([n, p]) => n === 'job/progress' && (p as { runId: number; phase: string }).runId === slowId && (p as { phase: string }).phase === 'fit'));
    const pid = standIn.forks.at(-1)!.pid!;
    expect(alive(pid)).toBe(true);

    win.close();
    expect(standIn.calls.beforeQuit[0]!.defaultPrevented).toBe(true); // main waits for the services to close
    await until('quit after closing the services', () => standIn.calls.quit >= 2, 20_000);
    await until('the worker to be gone', () => !alive(pid), 5_000);

    const store = Store.open(join(userData, DB_FILE), { readonly: true });
    try {
      expect(store.runs.get(slowId)).toMatchObject({ status: 'interrupted', error: 'the app was closed while this run was computing' });
      expect(store.runs.get(queued.data.runs[0]!.id)!.status).toBe('queued');
    } finally {
      store.close();
    }
  });

  it('the next start runs the run left queued', async () => {
    const again = await launch(userData);
    const w = again.windows[0]!;
    const api2 = loadPreload(again, w).api as Api;
    let run: RunInfo | null = null;
    await until(
      'the queued run to finish after the restart',
      () => {
        void api2['runs/list']({}).then((r) => {
          if (r.ok) run = r.data.find((x) => x.name === 'queued') ?? null;
        });
        return run !== null && (run as RunInfo).status !== 'queued' && (run as RunInfo).status !== 'running';
      },
      60_000,
    );
    expect(run!.status).toBe('done');
    w.close();
    await until('quit', () => again.calls.quit >= 2, 20_000);
  });
});

describe('Electron main start-up refusals', () => {
  it('without the single-instance lock it quits at once: no window, no handlers, no database', async () => {
    const userData = tempDir();
    const standIn = await launch(userData, false);
    expect(standIn.calls.quit).toBe(1);
    expect(standIn.windows).toEqual([]);
    expect(standIn.handlers.size).toBe(0);
    expect(existsSync(join(userData, DB_FILE))).toBe(false);
  });

  it('a database it cannot open is one error box and exit code 1, not a crash', async () => {
    const userData = tempDir();
    const db = new Database(join(userData, DB_FILE));
    db.pragma('user_version = 9999');
    db.close();
    const standIn = await launch(userData);
    expect(standIn.errorBoxes).toHaveLength(1);
    expect(standIn.errorBoxes[0]!.title).toBe('K-means Explorer cannot open its database');
    expect(standIn.errorBoxes[0]!.content).toMatch(/newer/i);
    expect(standIn.calls.exit).toEqual([1]);
    expect(standIn.windows).toEqual([]);
  });
});
