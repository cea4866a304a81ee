/**
 * A recording stand-in for the parts of the `electron` module that the desktop host (src-main/index.ts) and the
 * preload (src-main/preload.ts) use. It exists only because the Electron binary cannot run on the build machine;
 * everything behind it (services, SQLite, worker processes) is real.
 *
 * Each piece is checked against Electron's own declarations (`Pick<Electron.X, …>` below), so a renamed or
 * re-typed Electron API is a compile error here; a member the host starts to use that the stand-in lacks fails
 * the tests at run time (TypeError), which is the point.
 *
 * What it models, and how faithfully:
 * - `ipcMain.handle` refuses a second handler for one channel, as Electron does;
 * - invoke payloads, replies and `webContents.send` arguments cross by structured clone (`structuredClone`, the
 *   algorithm Electron's IPC uses), so a reply that does not survive the trip fails here too;
 * - `utilityProcess.fork` is passed in (test/desktop/utility-process-stand-in.ts starts a real Node child).
 */
import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';
import type { UtilityProcessLike } from '../../src-main/jobs/launcher';

type ForkFn = (modulePath: string, args?: string[], options?: Electron.ForkOptions) => UtilityProcessLike;

type InvokeListener = Parameters<Electron.IpcMain['handle']>[1];
type OpenHandler = Parameters<Electron.WebContents['setWindowOpenHandler']>[0];
type HeadersListener = Exclude<Parameters<Electron.WebRequest['onHeadersReceived']>[0], null | Electron.WebRequestFilter>;
type PermissionHandler = Exclude<Parameters<Electron.Session['setPermissionRequestHandler']>[0], null>;

/** A navigation event: records preventDefault. */
export class StandInEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export class StandInFrame implements Pick<Electron.WebFrameMain, 'url'> {
  constructor(public url: string) {}
}

/** The renderer side of one webContents: listeners registered by a loaded preload (`ipcRenderer.on`). */
type RendererListener = (event: unknown, ...args: unknown[]) => void;

export class StandInWebContents extends EventEmitter implements Pick<Electron.WebContents, 'setWindowOpenHandler' | 'send'> {
  readonly mainFrame = new StandInFrame('about:blank');
  openHandler: OpenHandler | null = null;
  /** Everything main sent to this renderer: [channel, ...args] (after structured clone). */
  readonly sent: unknown[][] = [];
  readonly rendererListeners = new Map<string, Set<RendererListener>>();

  setWindowOpenHandler(handler: OpenHandler): void {
    this.openHandler = handler;
  }

  send(channel: string, ...args: unknown[]): void {
    const cloned = structuredClone(args);
    this.sent.push([channel, ...cloned]);
    for (const l of this.rendererListeners.get(channel) ?? []) l({ sender: this }, ...cloned);
  }

  /** Emits `will-navigate` / `will-redirect` / `will-attach-webview` as Electron does; returns the event to read `defaultPrevented`. */
  navigate(kind: 'will-navigate' | 'will-redirect' | 'will-attach-webview', url: string): StandInEvent {
    const e = new StandInEvent();
    this.emit(kind, e, url);
    return e;
  }

  /** Asks the window-open handler, as a `window.open(url)` in the page would. */
  open(url: string): ReturnType<OpenHandler> {
    if (!this.openHandler) throw new Error('no window-open handler was set');
    return this.openHandler({ url, frameName: '', features: '', disposition: 'new-window', referrer: { url: '', policy: 'default' } });
  }
}

type WindowPart = Pick<Electron.BrowserWindow, 'show' | 'focus' | 'restore' | 'isMinimized' | 'isDestroyed' | 'loadFile' | 'loadURL'>;

export interface ElectronStandInOptions {
  /** What `app.requestSingleInstanceLock()` answers. */
  singleInstanceLock: boolean;
  /** `app.getPath('userData')`. */
  userData: string;
  fork: ForkFn;
}

/** Builds a fresh stand-in: the module object to hand to `require('electron')`, plus what it recorded. */
export function createElectronStandIn(opts: ElectronStandInOptions) {
  const windows: StandInWindow[] = [];
  const handlers = new Map<string, InvokeListener>();
  const opened: string[] = [];
  const errorBoxes: { title: string; content: string }[] = [];
  const forks: { modulePath: string; options: Electron.ForkOptions | undefined; pid: number | undefined }[] = [];
  const headerListeners: HeadersListener[] = [];
  const permissionHandlers: PermissionHandler[] = [];
  const calls = { quit: 0, exit: [] as (number | undefined)[], beforeQuit: [] as StandInEvent[] };

  class StandInApp extends EventEmitter implements Pick<Electron.App, 'requestSingleInstanceLock' | 'quit' | 'exit' | 'whenReady' | 'getPath'> {
    requestSingleInstanceLock(): boolean {
      return opts.singleInstanceLock;
    }
    /** Electron emits `before-quit` (cancellable), then quits unless a listener prevented it. */
    quit(): void {
      calls.quit++;
      const e = new StandInEvent();
      calls.beforeQuit.push(e);
      this.emit('before-quit', e);
    }
    exit(exitCode?: number): void {
      calls.exit.push(exitCode);
    }
    whenReady(): Promise<void> {
      return Promise.resolve();
    }
    getPath(name: Parameters<Electron.App['getPath']>[0]): string {
      if (name !== 'userData') throw new Error(`stand-in: getPath(${name}) is not modelled`);
      return opts.userData;
    }
  }

  class StandInWindow extends EventEmitter implements WindowPart {
    static getAllWindows(): StandInWindow[] {
      return windows.filter((w) => !w.destroyed);
    }
    readonly webContents = new StandInWebContents();
    readonly loaded: { file?: string; url?: string }[] = [];
    shown = false;
    focused = 0;
    minimized = false;
    destroyed = false;
    constructor(readonly options: Electron.BrowserWindowConstructorOptions) {
      super();
      windows.push(this);
    }
    show(): void {
      this.shown = true;
    }
    focus(): void {
      this.focused++;
    }
    restore(): void {
      this.minimized = false;
    }
    isMinimized(): boolean {
      return this.minimized;
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
    loadFile(filePath: string): Promise<void> {
      this.loaded.push({ file: filePath });
      this.webContents.mainFrame.url = pathToFileURL(filePath).href;
      return Promise.resolve();
    }
    loadURL(url: string): Promise<void> {
      this.loaded.push({ url });
      this.webContents.mainFrame.url = url;
      return Promise.resolve();
    }
    /** The user closed it; Electron then emits 'window-all-closed' when it was the last one. */
    close(): void {
      this.destroyed = true;
      this.emit('closed');
      if (StandInWindow.getAllWindows().length === 0) app.emit('window-all-closed');
    }
  }

  const app = new StandInApp();
  const ipcMain: Pick<Electron.IpcMain, 'handle'> = {
    handle(channel, listener) {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, listener);
    },
  };
  const session = {
    defaultSession: {
      setPermissionRequestHandler: (h: PermissionHandler | null) => void (h && permissionHandlers.push(h)),
      webRequest: { onHeadersReceived: (l: HeadersListener | null) => void (l && headerListeners.push(l)) },
    },
  };
  const shell: Pick<Electron.Shell, 'openExternal'> = {
    openExternal: (url) => {
      opened.push(url);
      return Promise.resolve();
    },
  };
  const dialog: Pick<Electron.Dialog, 'showErrorBox'> = { showErrorBox: (title, content) => void errorBoxes.push({ title, content }) };
  const utilityProcess = {
    fork: ((modulePath, args, options) => {
      const child = opts.fork(modulePath, args, options);
      forks.push({ modulePath, options, pid: child.pid });
      return child;
    }) satisfies ForkFn,
  };
  const module = { app, BrowserWindow: StandInWindow, ipcMain, session, shell, dialog, utilityProcess };
  // every name the stand-in offers is a name of the real module
  const names: (keyof typeof import('electron'))[] = Object.keys(module) as (keyof typeof module)[];

  /** Calls a registered handler as Electron would for an `ipcRenderer.invoke` from `sender`'s `frame`. */
  async function invoke(channel: string, sender: StandInWebContents, frame: StandInFrame | null, payload: unknown): Promise<unknown> {
    const listener = handlers.get(channel);
    if (!listener) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    // the event carries what the host reads (sender, senderFrame); the rest of IpcMainInvokeEvent is not modelled
    const event = { sender, senderFrame: frame, processId: 1, frameId: 1 } as unknown as Electron.IpcMainInvokeEvent;
    return structuredClone(await listener(event, structuredClone(payload)));
  }

  return { module, names, app, windows, handlers, opened, errorBoxes, forks, headerListeners, permissionHandlers, calls, invoke };
}

export type ElectronStandIn = ReturnType<typeof createElectronStandIn>;
export type StandInWindowInstance = ElectronStandIn['windows'][number];
