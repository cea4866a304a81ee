/**
 * Browser-mode transport: the `Api` of src-shared/api.ts over one WebSocket (frames in browser-wire.ts, codec in wire.ts; the object from api-builder.ts).
 * Replies never reject: a lost connection resolves pending requests to an `internal` error that says what to do,
 * and the socket reconnects by itself (the URL's token authenticates again).
 */
import type { Api, Reply, RequestName } from '../../src-shared/api';
import { buildApi } from '../../src-shared/api-builder';
import { WS_PATH, type WireMessage } from '../../src-shared/browser-wire';
import { parseWire, stringifyWire } from '../../src-shared/wire';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface WsApiOptions {
  /** Full socket URL, e.g. ws://127.0.0.1:5123/api?token=… */
  url: string;
  /** Told whenever the connection opens or drops. */
  onState?: (state: ConnectionState) => void;
  /** Constructor to use (tests may pass the `ws` package's). */
  WebSocketImpl?: typeof WebSocket;
}

/** The socket URL for the page this app was loaded from. */
export function socketUrlFor(loc: { protocol: string; host: string; search: string }): string {
  const token = new URLSearchParams(loc.search).get('token');
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}${WS_PATH}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

export function createWsApi(opts: WsApiOptions): Api & { close(): void } {
  const Impl = opts.WebSocketImpl ?? WebSocket;
  const pending = new Map<number, (reply: Reply<unknown>) => void>();
  const outbox: string[] = [];
  let nextId = 1;
  let socket: WebSocket | null = null;
  let closedByUser = false;
  let retryMs = 250;

  // requests wait in the outbox until the socket is open; `request` is called only after connect() below
  const { api, dispatch } = buildApi<{ close(): void }>((name, payload) => request(name, payload ?? {}), { close: () => close() });

  const connect = (): void => {
    opts.onState?.('connecting');
    const ws = new Impl(opts.url);
    socket = ws;
    ws.onopen = () => {
      retryMs = 250;
      opts.onState?.('open');
      while (outbox.length) ws.send(outbox.shift()!);
    };
    ws.onmessage = (ev: MessageEvent) => {
      let msg: WireMessage;
      try {
        msg = parseWire(String(ev.data)) as WireMessage;
      } catch {
        return;
      }
      if (msg.type === 'reply') {
        const done = pending.get(msg.id);
        if (done) {
          pending.delete(msg.id);
          done(msg.reply);
        }
      } else if (msg.type === 'event') {
        dispatch(msg.name, msg.payload);
      }
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      for (const [id, done] of pending) {
        pending.delete(id);
        done({ ok: false, code: 'internal', message: 'Lost the connection to the K-means Explorer server. Is it still running? The request was not completed; try again.' });
      }
      opts.onState?.('closed');
      if (!closedByUser) {
        setTimeout(connect, retryMs);
        retryMs = Math.min(5000, retryMs * 2);
      }
    };
  };
  connect();

  const request = (name: RequestName, payload: unknown): Promise<Reply<unknown>> =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      const frame = stringifyWire({ type: 'request', id, name, payload });
      if (socket && socket.readyState === 1) socket.send(frame);
      else outbox.push(frame);
    });

  const close = (): void => {
    closedByUser = true;
    socket?.close();
  };
  return api;
}
