/**
 * Browser mode: the same services over HTTP + WebSocket, bound to 127.0.0.1 by default. Serves the built
 * renderer (out/renderer) and the API socket at WS_PATH; every request and socket must carry the
 * per-launch token (see the wire protocol in src-shared/api.ts). Jobs run in child_process workers.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_UPLOAD_BYTES, TOKEN_COOKIE, TOKEN_HEADER, UPLOAD_PATH, WS_PATH, type WireEvent, type WireReply } from '../src-shared/browser-wire';
import { parseWire, stringifyWire, type Base64Encoder } from '../src-shared/wire';
import { ChildProcessLauncher, type Launcher } from './jobs/launcher';
import { contentSecurityPolicy } from './csp';
import { WarmLauncher } from './jobs/warm-launcher';
import { receiveUpload } from './upload-route';
import { Services, type ServicesOptions } from './services';


/** Node's native base64, the same text as the wire's own encoder: a 9 MB matrix is encoded in a few ms on main. */
const nodeBase64: Base64Encoder = (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

export interface ServerOptions {
  dataDir: string;
  /** 0 = any free port. */
  port?: number;
  host?: string;
  /** Folder of the built renderer; default out/renderer next to the bundle (or the repo's out/renderer from source). */
  rendererDir?: string;
  /** Token to require; default a random one per launch. */
  token?: string;
  launcher?: Launcher;
  builtinMnist?: boolean;
  concurrency?: number;
  onDamagedDatabase?: ServicesOptions['onDamagedDatabase'];
}

export interface RunningServer {
  url: string;
  /** The URL to open, with the token. */
  urlWithToken: string;
  port: number;
  token: string;
  services: Services;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

// connect-src: 'self' covers the page's own ws:// origin in CSP 3 (an IPv6 literal such as [::1] cannot be written here)
const CSP = contentSecurityPolicy(['ws://127.0.0.1:*', 'ws://localhost:*']);

/** Loopback addresses and names (as `--host` values and as URL hosts). */
export const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
const LOOPBACK_URL_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * Largest accepted WebSocket message. Dataset files are uploaded to UPLOAD_PATH as binary bodies, not in frames;
 * a frame may still carry a small file (`datasets/import` with bytes) or a labels file (one integer per row).
 */
const MAX_FRAME_BYTES = 256 * 1024 * 1024;

export function defaultRendererDir(): string {
  // bundled: out/main/*.js → out/renderer; from source: src-main/server.ts → out/renderer
  // (the bundler may put this module in out/main/chunks/, so step out of that first)
  const here = __dirname.endsWith(`${sep}chunks`) ? resolve(__dirname, '..') : __dirname;
  return resolve(here, '..', here.endsWith(`${sep}main`) ? 'renderer' : join('out', 'renderer'));
}

/** The token from the query or the header: what the API socket accepts. */
function tokenOf(req: IncomingMessage, url: URL): string | null {
  const q = url.searchParams.get('token');
  if (q) return q;
  const h = req.headers[TOKEN_HEADER];
  return typeof h === 'string' && h ? h : null;
}

/** The value of cookie `name`, or null. */
function cookieOf(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeOrNull(v.join('='));
  }
  return null;
}

/** `host` as it appears in a URL (IPv6 in brackets). */
function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** decodeURIComponent, or null for malformed escapes (a bad cookie or path must not throw in a listener). */
function decodeOrNull(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function sameToken(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const host = opts.host ?? '127.0.0.1';
  const rendererDir = opts.rendererDir ?? defaultRendererDir();
  const services = new Services({
    dataDir: opts.dataDir,
    host: 'browser',
    launcher: opts.launcher ?? new WarmLauncher(new ChildProcessLauncher()),
    builtinMnist: opts.builtinMnist,
    concurrency: opts.concurrency,
    onDamagedDatabase: opts.onDamagedDatabase,
  });

  // Cookies ignore ports: every server on 127.0.0.1 receives this one. So it carries a separate key that only
  // opens the static files (the app's own code, no data), never the token, and never the API socket.
  const assetKey = randomBytes(24).toString('base64url');
  let assetCookie = '';
  const http: Server = createServer((req, res) => {
    try {
      serveHttp(req, res);
    } catch (e) {
      console.error('HTTP request failed:', e);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const sockets = new Set<WebSocket>();
  let port = 0;

  /**
   * Bound to loopback, only the loopback names may appear in the Host header: a page whose own name was rebound
   * to 127.0.0.1 (DNS rebinding) sends its name, and is refused before any token check.
   */
  function allowedHost(req: IncomingMessage): boolean {
    if (!LOOPBACK.has(host)) return true;
    return LOOPBACK_URL_HOSTS.some((h) => req.headers.host === `${h}:${port}`);
  }

  function serveHttp(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!allowedHost(req)) {
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`K-means Explorer answers only as ${LOOPBACK_URL_HOSTS.map((h) => `${h}:${port}`).join(', ')}.\n`);
      return;
    }
    if (url.pathname === UPLOAD_PATH) {
      // the API's own door: the token itself (header or query), never the static-files cookie
      if (!sameToken(tokenOf(req, url), token)) {
        res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' }).end('upload: the access token is missing or wrong\n');
        return;
      }
      receiveUpload(req, res, services.uploads, MAX_UPLOAD_BYTES);
      return;
    }
    if (!sameToken(tokenOf(req, url), token) && !sameToken(cookieOf(req, assetCookie), assetKey)) {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('K-means Explorer: open the URL printed by "kmeans-explorer serve" (it carries the access token).\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const headers: Record<string, string> = {
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    };
    if (url.searchParams.get('token')) {
      headers['set-cookie'] = `${assetCookie}=${assetKey}; Path=/; HttpOnly; SameSite=Strict`;
    }
    let rel = decodeOrNull(url.pathname);
    if (rel === null) {
      res.writeHead(400, headers).end();
      return;
    }
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = normalize(join(rendererDir, rel));
    if (!file.startsWith(rendererDir + sep)) {
      res.writeHead(403, headers).end();
      return;
    }
    let path = file;
    if (!existsSync(path) || !statSync(path).isFile()) {
      // client-side routes fall back to the app; missing assets are 404
      if (extname(rel)) {
        res.writeHead(404, headers).end();
        return;
      }
      path = join(rendererDir, 'index.html');
      if (!existsSync(path)) {
        res.writeHead(503, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
        res.end(`The renderer is not built (${path} is missing); run "npm run build". The API is at ${WS_PATH}.\n`);
        return;
      }
    }
    headers['content-type'] = MIME[extname(path)] ?? 'application/octet-stream';
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : readFileSync(path));
  }

  http.on('upgrade', (req, socket, head) => {
    socket.on('error', (e) => console.error('socket error before the upgrade:', e.message));
    try {
      upgrade(req, socket, head);
    } catch (e) {
      console.error('socket upgrade failed:', e);
      socket.destroy();
    }
  });

  function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const origin = req.headers.origin;
    // Loopback: only the loopback origins (a page on another site that rebinds its name to 127.0.0.1 is refused).
    // Another --host: the page's own origin, whatever address the other machine reached it by (the token still guards).
    const allowedOrigin =
      !origin ||
      LOOPBACK_URL_HOSTS.some((h) => origin === `http://${h}:${port}`) ||
      origin === `http://${urlHost(host)}:${port}` ||
      (!LOOPBACK.has(host) && origin === `http://${req.headers.host}`);
    // the socket takes the token itself (query or header), never the cookie (which other local servers receive)
    if (url.pathname !== WS_PATH || !allowedHost(req) || !sameToken(tokenOf(req, url), token) || !allowedOrigin) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onSocket(ws));
  }

  function onSocket(ws: WebSocket): void {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    // a bad frame (too large, invalid UTF-8) closes that socket; without a listener it would crash main
    ws.on('error', (e) => console.error('WebSocket error:', e.message));
    ws.on('message', async (data, isBinary) => {
      let id = -1;
      let reply: WireReply['reply'];
      try {
        if (isBinary) throw new Error('binary frames are not part of the protocol');
        const msg = parseWire(data.toString()) as { type?: unknown; id?: unknown; name?: unknown; payload?: unknown };
        if (typeof msg?.id !== 'number' || msg.type !== 'request') throw new Error('a frame must be {type: "request", id: number, name, payload}');
        id = msg.id;
        reply = await services.handle(msg.name, msg.payload);
      } catch (e) {
        reply = { ok: false, code: 'bad-request', message: `malformed frame: ${(e as Error).message}` };
      }
      try {
        if (ws.readyState === ws.OPEN) ws.send(stringifyWire({ type: 'reply', id, reply } satisfies WireReply, nodeBase64));
      } catch (e) {
        console.error(`could not send the reply to request ${id}:`, e);
      }
    });
  }

  const unsubscribe = services.subscribe((name, payload) => {
    if (sockets.size === 0) return;
    const frame = stringifyWire({ type: 'event', name, payload } satisfies WireEvent, nodeBase64);
    for (const ws of sockets) {
      try {
        if (ws.readyState === ws.OPEN) ws.send(frame);
      } catch (e) {
        console.error(`could not send ${name} to a socket:`, e);
      }
    }
  });

  try {
    await new Promise<void>((res, rej) => {
      http.once('error', rej);
      http.listen(opts.port ?? 0, host, () => {
        http.off('error', rej);
        res();
      });
    });
  } catch (e) {
    // the port is taken (or the address is not ours): give the data folder back
    await services.close();
    throw e;
  }
  port = (http.address() as AddressInfo).port;
  // one cookie per port, so two instances do not overwrite each other's
  assetCookie = `${TOKEN_COOKIE}_${port}`;
  const url = `http://${urlHost(host)}:${port}/`;

  return {
    url,
    urlWithToken: `${url}?token=${token}`,
    port,
    token,
    services,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      const closed = new Promise<void>((r) => http.close(() => r()));
      http.closeAllConnections();
      await closed;
      await services.close();
    },
  };
}
