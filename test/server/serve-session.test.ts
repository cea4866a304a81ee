/**
 * `serve` on a data folder comes back on the same port and token after a restart (DIR/browser-mode.json,
 * owner-only), so a tab left open reconnects by itself; `--port` still picks its own port, and a saved port
 * that another program took gives a free one.
 */
import { statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from './ws-client';
import { killAllServes, startServe, stopServe, type ServeProcess } from './serve-process';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';

const dataDir = makeTempDir('session');
type Started = ServeProcess;
const serve = (extra: string[] = []): Promise<Started> =>
  startServe(['--no-mnist', '--data-dir', dataDir, ...extra]).then(async (s) => (await s.ready, s));
const stop = stopServe;

afterAll(() => {
  killAllServes();
  removeTempDir(dataDir);
});

describe('browser mode across restarts', () => {
  it('keeps its port and token per data folder, in a file only its owner can read', async () => {
    const a = await serve();
    await stop(a);
    expect(statSync(join(dataDir, 'browser-mode.json')).mode & 0o777).toBe(0o600);
    const b = await serve();
    expect([b.port, b.token]).toEqual([a.port, a.token]);
    // the old tab's token opens the new server's socket
    const client = await connect(b.url, a.token);
    const info = await client.request('app/info', {});
    expect(info.ok).toBe(true);
    client.close();
    await stop(b);
  }, 90_000);

  it('a taken saved port gives a free one (same token); --port is obeyed', async () => {
    const blocker = createServer();
    const saved = JSON.parse(JSON.stringify({ host: '127.0.0.1', port: 0, token: 'x'.repeat(32) }));
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    saved.port = (blocker.address() as { port: number }).port;
    writeFileSync(join(dataDir, 'browser-mode.json'), JSON.stringify(saved));
    const c = await serve();
    expect(c.port).not.toBe(saved.port);
    expect(c.token).toBe(saved.token);
    await stop(c);
    blocker.close();
    const d = await serve(['--port', '0']);
    expect(d.token).toBe(saved.token);
    await stop(d);
  }, 90_000);
});
