import { homedir } from 'node:os';
import { join } from 'node:path';

/** Same folder as Electron's userData for this app, so both hosts (and `--save`) share one database. */
export function defaultDataDir(): string {
  const name = 'kmeans-explorer';
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), name);
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', name);
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), name);
}
