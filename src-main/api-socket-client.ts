/** A Node client of the browser-mode socket, typed by the contract (tests and `bench`; the renderer has its own). */
import WebSocket from 'ws';
import type { EventName, EventOf, Reply, ReplyOf, RequestName, RequestOf } from '../src-shared/api';
import { WS_PATH, type WireMessage } from '../src-shared/browser-wire';
import { parseWire, stringifyWire } from '../src-shared/wire';

export interface ApiSocketClient {
  request<K extends RequestName>(name: K, req: RequestOf<K>): Promise<Reply<ReplyOf<K>>>;
  /** Like request, but throws on an error reply. */
  call<K extends RequestName>(name: K, req: RequestOf<K>): Promise<ReplyOf<K>>;
  /** Raw text frame (malformed-frame tests); resolves with the next reply. */
  raw(text: string): Promise<Reply<unknown>>;
  events: { name: EventName; payload: unknown }[];
  waitEvent<E extends EventName>(name: E, pred: (p: EventOf<E>) => boolean, timeoutMs?: number): Promise<EventOf<E>>;
  /** Calls `listener` on every event as it arrives (for timing to the millisecond); returns the unsubscribe. */
  onEvent(listener: (name: EventName, payload: unknown) => void): () => void;
  close(): void;
}

export function connect(baseUrl: string, token: string | null, headers: Record<string, string> = {}): Promise<ApiSocketClient> {
  const u = new URL(WS_PATH, baseUrl.replace(/^http/, 'ws'));
  if (token !== null) u.searchParams.set('token', token);
  const ws = new WebSocket(u, { headers });
  const pending = new Map<number, (r: Reply<unknown>) => void>();
  const rawWaiters: ((r: Reply<unknown>) => void)[] = [];
  const events: ApiSocketClient['events'] = [];
  const listeners = new Set<(name: EventName, payload: unknown) => void>();
  let nextId = 1;
  ws.on('message', (data) => {
    const msg = parseWire(data.toString()) as WireMessage;
    if (msg.type === 'event') {
      events.push({ name: msg.name, payload: msg.payload });
      for (const l of listeners) l(msg.name, msg.payload);
    }
    else if (msg.type === 'reply') {
      const resolve = pending.get(msg.id) ?? rawWaiters.shift();
      pending.delete(msg.id);
      resolve?.(msg.reply);
    }
  });
  const client: ApiSocketClient = {
    request(name, req) {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve as (r: Reply<unknown>) => void);
        ws.send(stringifyWire({ type: 'request', id, name, payload: req }));
      });
    },
    async call(name, req) {
      const r = await client.request(name, req);
      if (!r.ok) throw new Error(`${name}: ${r.code}: ${r.message}`);
      return r.data;
    },
    raw(text) {
      return new Promise((resolve) => {
        rawWaiters.push(resolve);
        ws.send(text);
      });
    },
    events,
    waitEvent(name, pred, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const t0 = Date.now();
        const tick = (): void => {
          const hit = events.find((e) => e.name === name && pred(e.payload as never));
          if (hit) return resolve(hit.payload as never);
          if (Date.now() - t0 > timeoutMs) return reject(new Error(`no ${name} event within ${timeoutMs} ms`));
          setTimeout(tick, 20);
        };
        tick();
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => ws.close(),
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}
