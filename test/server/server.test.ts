/** Browser mode: the token guards every HTTP request and the socket; frames are validated. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src-main/server';
import { connect } from './ws-client';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';

let dir: string;
let server: RunningServer;

beforeAll(async () => {
  dir = makeTempDir('server');
  const rendererDir = join(dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>K-means Explorer</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'secret');
  server = await startServer({ dataDir: join(dir, 'data'), rendererDir, builtinMnist: false });
});

afterAll(async () => {
  await server.close();
  removeTempDir(dir);
});

describe('browser mode server', () => {
  it('listens on 127.0.0.1 with a random token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
    expect(server.urlWithToken).toBe(`${server.url}?token=${server.token}`);
  });

  it('rejects HTTP requests without the right token', async () => {
    expect((await fetch(server.url)).status).toBe(401);
    expect((await fetch(`${server.url}assets/app.js`)).status).toBe(401);
    expect((await fetch(`${server.url}?token=wrong`)).status).toBe(401);
    expect((await fetch(server.url, { headers: { 'x-kmeans-token': server.token.slice(1) } })).status).toBe(401);
  });

  it('answers malformed percent-escapes (cookie, path) instead of crashing', async () => {
    expect((await fetch(server.url, { headers: { cookie: 'kx_token=%E0' } })).status).toBe(401);
    await expect(connect(server.url, null, { cookie: 'kx_token=%E0' })).rejects.toThrow('HTTP 401');
    expect((await fetch(`${server.url}%E0?token=${server.token}`)).status).toBe(400);
    expect((await fetch(server.urlWithToken)).status).toBe(200);
  });

  it('serves the app with the token, sets the cookie, and serves assets with the cookie', async () => {
    const page = await fetch(server.urlWithToken);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('K-means Explorer');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const cookie = page.headers.get('set-cookie')!;
    expect(cookie).toMatch(new RegExp(`^kx_token_${server.port}=.+; Path=/; HttpOnly; SameSite=Strict$`));
    expect(cookie).not.toContain(server.token);
    const asset = await fetch(`${server.url}assets/app.js`, { headers: { cookie: cookie.split(';')[0] } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    const header = await fetch(`${server.url}assets/app.js`, { headers: { 'x-kmeans-token': server.token } });
    expect(header.status).toBe(200);
    expect((await fetch(`${server.url}assets/missing.js?token=${server.token}`)).status).toBe(404);
    expect((await fetch(`${server.url}..%2Fsecret.txt?token=${server.token}`)).status).toBe(403);
  });

  it('rejects sockets without the token or from another origin', async () => {
    await expect(connect(server.url, null)).rejects.toThrow('HTTP 401');
    await expect(connect(server.url, 'nope')).rejects.toThrow('HTTP 401');
    await expect(connect(server.url, server.token, { origin: 'http://evil.example' })).rejects.toThrow('HTTP 401');
    const ok = await connect(server.url, server.token, { origin: server.url.replace(/\/$/, '') });
    const info = await ok.call('app/info', {});
    expect(info).toMatchObject({ host: 'browser', startup: null, version: expect.any(String) });
    ok.close();
  });

  it('bound to all addresses, accepts the socket of a page opened by another address of the machine', async () => {
    const wide = await startServer({ dataDir: join(dir, 'wide'), rendererDir: join(dir, 'renderer'), builtinMnist: false, host: '0.0.0.0' });
    try {
      const other = `http://127.0.0.2:${wide.port}/`;
      const c = await connect(other, wide.token, { origin: `http://127.0.0.2:${wide.port}` });
      expect(await c.call('app/info', {})).toMatchObject({ host: 'browser' });
      c.close();
      await expect(connect(other, wide.token, { origin: 'http://evil.example' })).rejects.toThrow('HTTP 401');
    } finally {
      await wide.close();
    }
  });

  it('answers malformed frames and requests with bad-request and keeps the socket open', async () => {
    const c = await connect(server.url, server.token);
    expect(await c.raw('not json')).toMatchObject({ ok: false, code: 'bad-request', message: expect.stringContaining('malformed frame') });
    expect(await c.raw(JSON.stringify({ type: 'request', name: 'datasets/list' }))).toMatchObject({ ok: false, code: 'bad-request' });
    expect(await c.request('runs/get', { id: 'x' as unknown as number })).toMatchObject({ ok: false, code: 'bad-request', message: expect.stringContaining('id must be an integer') });
    expect(await c.request('datasets/list', {})).toEqual({ ok: true, data: [] });
    c.close();
  });

  it('carries typed arrays both ways and pushes events to every socket', async () => {
    const a = await connect(server.url, server.token);
    const b = await connect(server.url, server.token);
    const csv = new TextEncoder().encode('p,q,label\n0,0,0\n0,1,0\n5,5,1\n5,6,1\n');
    const imported = await a.call('datasets/import', { files: [{ name: 'tiny.csv', bytes: csv }] });
    expect(imported.dataset).toMatchObject({ n: 4, d: 2 });
    const seen = await b.waitEvent('dataset/imported', (d) => d.id === imported.dataset.id);
    expect(seen.name).toBe('tiny');
    const s = await a.call('datasets/samples', { id: imported.dataset.id, indices: [3, 0] });
    expect(s.data).toBeInstanceOf(Float32Array);
    expect(Array.from(s.data)).toEqual([5, 6, 0, 0]);
    expect(s.labels).toBeInstanceOf(Int32Array);
    a.close();
    b.close();
  });
});
