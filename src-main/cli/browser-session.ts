/**
 * The port and token of browser mode's last start on a data folder (DIR/browser-mode.json, readable by its owner
 * only), so that `serve` comes back on the same URL and a tab left open reconnects by itself after a restart.
 * The data folder's lock (data-folder-lock.ts) makes sure only one app uses them at a time.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BrowserSession {
  host: string;
  port: number;
  token: string;
}

export const BROWSER_SESSION_FILE = 'browser-mode.json';

/** The saved session, or null when there is none or it is not one (then a new port and token are made). */
export function readBrowserSession(dataDir: string): BrowserSession | null {
  try {
    const s = JSON.parse(readFileSync(join(dataDir, BROWSER_SESSION_FILE), 'utf8')) as Partial<BrowserSession>;
    const ok =
      typeof s.host === 'string' && Number.isInteger(s.port) && s.port! > 0 && s.port! <= 65535 &&
      typeof s.token === 'string' && /^[\w-]{16,200}$/.test(s.token);
    return ok ? (s as BrowserSession) : null;
  } catch {
    return null;
  }
}

/** Saves the session with owner-only rights; a folder that cannot be written is no reason not to serve. */
export function writeBrowserSession(dataDir: string, s: BrowserSession): string | null {
  const file = join(dataDir, BROWSER_SESSION_FILE);
  try {
    writeFileSync(file, `${JSON.stringify(s)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    return null;
  } catch (e) {
    return `could not save the port and token in ${file} (${(e as Error).message}); the next start gets a new URL`;
  }
}
