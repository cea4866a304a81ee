/**
 * Electron host: one hardened window over the same services as browser mode. Requests arrive on one
 * IPC channel per contract request (`ipcChannel(name)`) and are accepted only from the app window's main
 * frame; events go to the window on IPC_EVENT_CHANNEL. Jobs run in `utilityProcess` workers.
 *
 * better-sqlite3 under Electron: the module in node_modules is built for Node (tests, CLI, browser mode).
 * `npm start` (scripts/start.mjs) fetches/builds an Electron-ABI copy into node_modules/.cache and passes it
 * through the KMEANS_SQLITE_BINDING environment variable, which store/db.ts hands to better-sqlite3's
 * `nativeBinding` option (utility processes inherit it). Started another way (e.g. `electron out/main/index.js`),
 * the same cache path is used, made first if needed (prepareSqliteBinding).
 */
import { app, BrowserWindow, dialog, ipcMain, session, shell, utilityProcess, type IpcMainInvokeEvent } from 'electron';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { IPC_EVENT_CHANNEL, REQUEST_NAMES, ipcChannel, type ErrorReply } from '../src-shared/api';
import { UtilityProcessLauncher } from './jobs/launcher';
import { contentSecurityPolicy } from './csp';
import { WarmLauncher } from './jobs/warm-launcher';
import { installProcessGuard } from './process-guard';
import { Services } from './services';
import { SQLITE_BINDING_ENV } from './store/db';

const CSP = contentSecurityPolicy();

/** The only external sites links may open (in the system browser). */
const EXTERNAL_HOSTS = new Set(['scikit-learn.org', 'github.com', 'en.wikipedia.org', 'yann.lecun.com']);

/** Where scripts/start.mjs puts the Electron build of better-sqlite3. */
export function electronSqliteBindingPath(projectRoot: string): string {
  return join(projectRoot, 'node_modules', '.cache', 'kmeans-explorer', `better-sqlite3-electron-${process.versions.electron}-${process.platform}-${process.arch}.node`);
}

/**
 * The Electron build of better-sqlite3 when started without `npm start` (e.g. `electron out/main/index.js`):
 * the cached one, else made now by `scripts/start.mjs --prepare-sqlite` run with Electron's own Node.
 */
function prepareSqliteBinding(projectRoot: string): string | null {
  const cached = electronSqliteBindingPath(projectRoot);
  if (existsSync(cached)) return cached;
  const script = join(projectRoot, 'scripts', 'start.mjs');
  if (!existsSync(script)) return null;
  const r = spawnSync(process.execPath, [script, '--prepare-sqlite'], {
    cwd: projectRoot,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return r.status === 0 && existsSync(cached) ? cached : null;
}

const mainDir = __dirname.endsWith('chunks') ? resolve(__dirname, '..') : __dirname; // out/main
const rendererIndex = join(mainDir, '..', 'renderer', 'index.html');
const preloadFile = join(mainDir, '..', 'preload', 'preload.cjs');
const devUrl = process.env.ELECTRON_RENDERER_URL;

let mainWindow: BrowserWindow | null = null;
let services: Services | null = null;

function appUrlPrefix(): string {
  return devUrl ? new URL(devUrl).origin : pathToFileURL(rendererIndex).href;
}

/** Only the app window's own main frame, showing the app's own page, may call the API. */
function fromAppWindow(event: IpcMainInvokeEvent): boolean {
  if (!mainWindow || event.sender !== mainWindow.webContents) return false;
  const frame = event.senderFrame;
  if (!frame || frame !== event.sender.mainFrame) return false;
  return frame.url.startsWith(appUrlPrefix());
}

/** Opens an https link from the allow-list in the system browser; everything else is ignored. */
function openExternal(url: string): void {
  try {
    const u = new URL(url);
    if (u.protocol === 'https:' && EXTERNAL_HOSTS.has(u.hostname)) void shell.openExternal(u.href);
  } catch {
    // not a URL: ignore
  }
}

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1440,
    height: 920,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'K-means Explorer',
    webPreferences: {
      preload: preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    },
  });
  mainWindow = win;
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (e, url) => {
    if (!url.startsWith(appUrlPrefix())) {
      e.preventDefault();
      openExternal(url);
    }
  });
  win.webContents.on('will-redirect', (e, url) => {
    if (!url.startsWith(appUrlPrefix())) e.preventDefault();
  });
  if (devUrl) void win.loadURL(devUrl);
  else void win.loadFile(rendererIndex);
}

function registerIpc(s: Services): void {
  for (const name of REQUEST_NAMES) {
    ipcMain.handle(ipcChannel(name), async (event, payload: unknown) => {
      if (!fromAppWindow(event)) {
        return { ok: false, code: 'unauthorized', message: 'requests are accepted only from the app window' } satisfies ErrorReply;
      }
      return s.handle(name, payload);
    });
  }
  s.subscribe((name, payload) => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(IPC_EVENT_CHANNEL, name, payload);
  });
}

function hardenSessions(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', (ev) => ev.preventDefault());
  });
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  if (!process.env[SQLITE_BINDING_ENV]) {
    const binding = prepareSqliteBinding(resolve(mainDir, '..', '..'));
    if (binding) process.env[SQLITE_BINDING_ENV] = binding;
  }
  await app.whenReady();
  hardenSessions();
  installProcessGuard();
  // one launcher for both attempts below, so a refused first open leaves no spare worker behind
  const launcher = new WarmLauncher(new UtilityProcessLauncher(utilityProcess));
  const open = (onDamagedDatabase: 'refuse' | 'move-aside') => new Services({ dataDir: app.getPath('userData'), host: 'electron', launcher, onDamagedDatabase });
  try {
    try {
      services = open('refuse');
    } catch (e) {
      if ((e as Error).name !== 'CorruptDatabaseError') throw e;
      const buttons = ['Keep it aside and start with an empty database', 'Quit'];
      if (dialog.showMessageBoxSync({ type: 'error', message: (e as Error).message, buttons, defaultId: 0, cancelId: 1 }) !== 0) return app.exit(1);
      services = open('move-aside');
    }
  } catch (e) {
    const err = e as Error;
    const hint =
      /NODE_MODULE_VERSION|was compiled against a different Node.js version/.test(err.message)
        ? '\n\nbetter-sqlite3 is not built for Electron: start the app with "npm start", which prepares the Electron build.'
        : '';
    dialog.showErrorBox('K-means Explorer cannot open its database', `${err.message}${hint}`);
    app.exit(1);
    return;
  }
  registerIpc(services);
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

let quitting = false;
app.on('before-quit', (e) => {
  if (quitting || !services) return;
  e.preventDefault();
  quitting = true;
  services.close().finally(() => app.quit());
});

void main();
