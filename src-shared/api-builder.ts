/**
 * The one builder of the {@link Api} object, used by both transports: the Electron preload (ipcRenderer.invoke)
 * and the browser-mode WebSocket client. Each gives how one request travels; the builder makes one function per
 * request name and the `on` of events, with its listeners kept here.
 *
 * No Node or DOM imports: the preload runs sandboxed.
 */
import { EVENT_NAMES, REQUEST_NAMES, isEventName, type Api, type EventName, type Reply, type RequestName } from './api';

type Listener = (payload: unknown) => void;

export interface BuiltApi<Extra> {
  api: Api & Extra;
  /** Hands an event that arrived to every listener of it (a listener that throws is logged, the others still run). */
  dispatch(name: unknown, payload: unknown): void;
}

/**
 * @param request sends one request and resolves to its reply (never rejects for an error reply)
 * @param extra more members of the object (the WebSocket client's `close`)
 */
export function buildApi<Extra extends object = Record<never, never>>(
  request: (name: RequestName, payload: unknown) => Promise<Reply<unknown>>,
  extra?: Extra,
): BuiltApi<Extra> {
  const listeners = new Map<EventName, Set<Listener>>(EVENT_NAMES.map((e) => [e, new Set()]));
  const api: Record<string, unknown> = {};
  for (const name of REQUEST_NAMES) api[name] = (req: unknown) => request(name, req);
  api.on = (event: unknown, listener: unknown): (() => void) => {
    if (!isEventName(event)) throw new TypeError(`unknown event ${String(event)}`);
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    const set = listeners.get(event)!;
    const fn = listener as Listener;
    set.add(fn);
    return () => {
      set.delete(fn);
    };
  };
  Object.assign(api, extra);
  const dispatch = (name: unknown, payload: unknown): void => {
    if (!isEventName(name)) return;
    for (const l of listeners.get(name)!) {
      try {
        l(payload);
      } catch (e) {
        console.error(`listener of ${name} failed`, e);
      }
    }
  };
  return { api: api as unknown as Api & Extra, dispatch };
}
