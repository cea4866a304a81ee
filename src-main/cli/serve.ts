/**
 * `kmeans-explorer serve [--port N] [--host H] [--data-dir DIR] [--open]`: browser mode. Prints the URL
 * with its access token (kept per data folder, see browser-session.ts) and serves until Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { installProcessGuard } from '../process-guard';
import { LOOPBACK, startServer } from '../server';
import { describeDbError, isTransientDbError } from '../store/errors';
import { readBrowserSession, writeBrowserSession } from './browser-session';
import { defaultDataDir } from './data-dir';
import { intOption, parseOptions, UsageError, type CliCommand } from './common';

/** Opens `url` in the default browser; a missing opener is reported, never fatal. */
function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => process.stderr.write(`(could not start a browser with ${cmd}; open the URL above yourself)\n`));
    child.unref();
  } catch {
    process.stderr.write(`(could not start a browser; open the URL above yourself)\n`);
  }
}

export const command: CliCommand = {
  help: `Usage: kmeans-explorer serve [--port N] [--host ADDR] [--data-dir DIR] [--no-mnist] [--move-damaged-db] [--open]

Browser mode: serves the app and its API on http://127.0.0.1:N and prints the URL with
a random access token. Port and token are kept in DIR/browser-mode.json (owner-only), so
a restart gives the same URL and open tabs reconnect. Jobs run in child processes. The database is
DIR/kmeans-explorer.sqlite (default DIR: ${defaultDataDir()}, the desktop app's folder).
Stop with Ctrl-C.

  --port N                 TCP port (0 = any free port; default: the last start's on this
                           data folder, so an open tab reconnects, else any free port)
  --host ADDR              address to bind (default 127.0.0.1; anything else exposes the app
                           to other machines)
  --data-dir DIR           folder of the database
  --no-mnist               do not import the built-in MNIST on first start
  --move-damaged-db        if the database is damaged, keep it as
                           kmeans-explorer.sqlite.damaged-<time> and start with an empty one
  --open                   open the URL in the default browser
  -h, --help               this help`,

  async run(argv) {
    const o = parseOptions('serve', argv, {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'no-mnist': { type: 'boolean' },
      'move-damaged-db': { type: 'boolean' },
      open: { type: 'boolean' },
    });
    if (o.help) {
      process.stdout.write(`${this.help}\n`);
      return;
    }
    const port = intOption('port', o.port as string | undefined, 0) ?? 0;
    if (port > 65535) throw new UsageError(`--port must be ≤ 65535, got ${port}`);
    const dataDir = (o['data-dir'] as string | undefined) ?? defaultDataDir();
    const host = (o.host as string | undefined) ?? '127.0.0.1';
    // the last start's port and token on this folder, so an open tab reconnects (unless --port says otherwise)
    const portGiven = o.port !== undefined;
    const saved = readBrowserSession(dataDir);
    const reuse = saved !== null && saved.host === host ? saved : null;
    const start = (p: number) =>
      startServer({
        dataDir, port: p, host, token: reuse?.token, builtinMnist: !o['no-mnist'],
        onDamagedDatabase: o['move-damaged-db'] ? 'move-aside' : 'refuse',
      });
    let server;
    try {
      try {
        server = await start(portGiven ? port : (reuse?.port ?? 0));
      } catch (e) {
        // the saved port is taken now: any free one (the open tab then has to be given the new URL)
        if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || portGiven || reuse === null) throw e;
        server = await start(0);
      }
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      // expected failures are one line (exit code 2), not an internal error
      if (err.name === 'NewerDatabaseError' || err.name === 'DataFolderLockedError') throw new UsageError(err.message);
      if (isTransientDbError(err)) throw new UsageError(`cannot start on ${dataDir}: ${describeDbError(err)}; is another program using the database? Try again`);
      if (err.name === 'CorruptDatabaseError') {
        throw new UsageError(`${err.message} Start with --move-damaged-db to keep it aside and start with an empty database.`);
      }
      if (err.code === 'EADDRINUSE') throw new UsageError(`port ${port} on ${host} is already in use; pick another --port (or 0 for any free one)`);
      if (err.code === 'EADDRNOTAVAIL') throw new UsageError(`cannot listen on ${host}: not an address of this machine`);
      if (err.code === 'EACCES' || err.code === 'EROFS') throw new UsageError(`cannot use ${err.path ?? dataDir}: ${err.message}`);
      throw e;
    }
    installProcessGuard();
    const unsaved = writeBrowserSession(dataDir, { host, port: server.port, token: server.token });
    if (unsaved) process.stderr.write(`warning: ${unsaved}\n`);
    process.stdout.write(`K-means Explorer (browser mode) at ${server.urlWithToken}\n`);
    if (!LOOPBACK.has(host)) {
      process.stderr.write(
        `warning: --host ${host} is not a loopback address: anyone who can reach it can try to connect, and the page, ` +
          'its token and your data travel unencrypted (plain HTTP). Use it only on a network you trust.\n',
      );
    }
    if (server.services.movedAside) process.stdout.write(`the damaged database was moved to ${server.services.movedAside}; started with an empty one\n`);
    process.stdout.write(`database: ${server.services.dbPath}\n`);
    if (o.open) openBrowser(server.urlWithToken);
    server.services.ready.then(() => process.stdout.write('ready\n'));
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        process.stdout.write('stopping…\n');
        server.close().then(resolve, resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
  },
};
