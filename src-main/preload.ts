/**
 * Sandboxed preload: exposes exactly the contract as `window.api` (type `Api` of src-shared/api.ts) —
 * one function per request and `on(event, listener)` returning its unsubscribe function. Nothing else:
 * no ipcRenderer, no generic invoke/send, no Node. Typed arrays cross by structured clone.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_NAMES, IPC_EVENT_CHANNEL, REQUEST_NAMES, ipcChannel, isEventName, type EventName } from '../src-shared/api';

const listeners = new Map<EventName, Set<(payload: unknown) => void>>(EVENT_NAMES.map((e) => [e, new Set()]));

ipcRenderer.on(IPC_EVENT_CHANNEL, (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
  if (!isEventName(name)) return;
  for (const l of listeners.get(name)!) {
    try {
      l(payload);
    } catch (e) {
      console.error(`listener of ${name} failed`, e);
    }
  }
});

const api: Record<string, unknown> = {};
for (const name of REQUEST_NAMES) {
  const channel = ipcChannel(name);
  api[name] = (req: unknown) => ipcRenderer.invoke(channel, req);
}
api.on = (event: unknown, listener: unknown): (() => void) => {
  if (!isEventName(event)) throw new TypeError(`unknown event ${String(event)}`);
  if (typeof listener !== 'function') throw new TypeError('listener must be a function');
  const set = listeners.get(event)!;
  const fn = listener as (payload: unknown) => void;
  set.add(fn);
  return () => {
    set.delete(fn);
  };
};

contextBridge.exposeInMainWorld('api', api);
