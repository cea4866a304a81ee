/**
 * Sandboxed preload: exposes exactly the contract as `window.api` (type `Api` of src-shared/api.ts) —
 * one function per request and `on(event, listener)` returning its unsubscribe function. Nothing else:
 * no ipcRenderer, no generic invoke/send, no Node. Typed arrays cross by structured clone.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENT_CHANNEL, ipcChannel, type Reply } from '../src-shared/api';
import { buildApi } from '../src-shared/api-builder';

const { api, dispatch } = buildApi((name, req) => ipcRenderer.invoke(ipcChannel(name), req) as Promise<Reply<unknown>>);

ipcRenderer.on(IPC_EVENT_CHANNEL, (_event: IpcRendererEvent, name: unknown, payload: unknown) => dispatch(name, payload));

contextBridge.exposeInMainWorld('api', api);
