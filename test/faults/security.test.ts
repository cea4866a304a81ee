/**
 * Browser-mode security: the cookie other local servers receive opens no API; a foreign Host header is refused
 * (DNS rebinding); `--host ::1` accepts its own page's socket; `__proto__` keys and fake typed arrays are
 * bad requests, not internal errors; a non-loopback --host is warned about.
 */
import { request as httpRequest } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src-main/server';
import { connect } from '../server/ws-client';
import { cleanup, serve, stop, tempDataDir } from './harness';

let dir: string;
let a: RunningServer;
let b: RunningServer;

beforeAll(async () => {
  dir = tempDataDir('security');
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>K-means Explorer</title>');
  a = await startServer({ dataDir: join(dir, 'a'), rendererDir, builtinMnist: false });
  b = await startServer({ dataDir: join(dir, 'b'), rendererDir, builtinMnist: false });
});

afterAll(async () => {
  await a.close();
  await b.close();
  cleanup();
});

/** GET with a chosen Host header (fetch does not allow setting it). */
function getWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('browser-mode security', () => {
  it("the cookie every local server receives holds no token and opens no socket; two instances' cookies do not collide", async () => {
    const cookieA = (await fetch(a.urlWithToken)).headers.get('set-cookie')!.split(';')[0];
    const cookieB = (await fetch(b.urlWithToken)).headers.get('set-cookie')!.split(';')[0];
    expect(cookieA.split('=')[0]).not.toBe(cookieB.split('=')[0]);
    // what server B (another port on 127.0.0.1) is sent by the browser: both cookies
    const leaked = `${cookieA}; ${cookieB}`;
    expect(leaked).not.toContain(a.token);
    // B (or anything holding the cookie) cannot open A's API with it …
    await expect(connect(a.url, null, { cookie: leaked })).rejects.toThrow('HTTP 401');
    await expect(connect(a.url, cookieA.split('=').slice(1).join('='))).rejects.toThrow('HTTP 401');
    // … while it still loads A's static page (the app's own code, no data)
    expect((await fetch(a.url, { headers: { cookie: leaked } })).status).toBe(200);
    const ok = await connect(a.url, a.token);
    expect((await ok.call('app/info', {})).host).toBe('browser');
    ok.close();
  });

  it('a foreign Host header gets 421 even with the token (DNS rebinding); the loopback names work', async () => {
    expect(await getWithHost(a.urlWithToken, `evil.example:${a.port}`)).toBe(421);
    expect(await getWithHost(a.urlWithToken, 'evil.example')).toBe(421);
    expect(await getWithHost(a.urlWithToken, `127.0.0.1:${b.port}`)).toBe(421);
    expect(await getWithHost(a.urlWithToken, `localhost:${a.port}`)).toBe(200);
    expect(await getWithHost(a.urlWithToken, `[::1]:${a.port}`)).toBe(200);
    await expect(connect(a.url, a.token, { host: `evil.example:${a.port}` })).rejects.toThrow('HTTP 401');
  });

  it('__proto__ keys and objects posing as typed arrays are bad requests', async () => {
    const api = await connect(a.url, a.token);
    // written as text: in a JS object literal `__proto__:` would set the prototype instead of making a key
    const proto = await api.raw(
      '{"type":"request","id":1,"name":"datasets/import","payload":{"files":[{"name":"x.csv","bytes":{"__proto__":{"$typed":"Uint8Array","base64":"AAAA"}}}]}}',
    );
    expect(proto).toMatchObject({ ok: false, code: 'bad-request', message: expect.stringContaining('__proto__') });
    api.close();
    // in-process callers (the Electron host passes structured clones) get the same check from the schema
    const fake = Object.create(Uint8Array.prototype) as Uint8Array;
    const reply = await a.services.handle('datasets/import', { files: [{ name: 'x.csv', bytes: fake }] });
    expect(reply).toMatchObject({ ok: false, code: 'bad-request', message: expect.stringContaining('files[0].bytes must be a Uint8Array') });
  });

  it('--host ::1 accepts its own page; a non-loopback --host is warned about', async () => {
    const v6 = await serve(join(dir, 'v6'), { args: ['--host', '::1'] });
    expect(v6.url).toMatch(/^http:\/\/\[::1\]:\d+\/$/);
    const port = new URL(v6.url).port;
    const own = await connect(v6.url, v6.token, { origin: `http://[::1]:${port}` });
    expect((await own.call('app/info', {})).host).toBe('browser');
    own.close();
    await stop(v6);

    const wide = await serve(join(dir, 'wide'), { args: ['--host', '0.0.0.0'] });
    expect(wide.output()).toMatch(/warning: --host 0\.0\.0\.0 is not a loopback address: .*unencrypted/);
    await stop(wide);
  }, 60_000);
});
