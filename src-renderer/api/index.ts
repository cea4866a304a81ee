/**
 * The one Api the stores use: Electron's preload `window.api` when present, else the browser-mode WebSocket.
 * Only stores import this module.
 */
import type { Api } from '../../src-shared/api';
import { createUploader, type Uploader } from './upload';
import { createWsApi, socketUrlFor, type ConnectionState } from './ws-client';

let current: Api | null = null;
const stateListeners = new Set<(s: ConnectionState) => void>();
let lastState: ConnectionState = 'connecting';

export function api(): Api {
  if (current) return current;
  if (typeof window !== 'undefined' && window.api) {
    current = window.api;
    lastState = 'open';
  } else {
    current = createWsApi({
      url: socketUrlFor(window.location),
      onState: (s) => {
        lastState = s;
        stateListeners.forEach((fn) => fn(s));
      },
    });
  }
  return current;
}

/** Browser mode's file upload (null in the desktop app, where files cross to main by structured clone). */
export function uploader(): Uploader | null {
  if (typeof window === 'undefined' || window.api) return null;
  return createUploader(window.location);
}

/** Use `impl` instead (store tests). */
export function setApi(impl: Api | null): void {
  current = impl;
}

export function onConnectionState(fn: (s: ConnectionState) => void): () => void {
  stateListeners.add(fn);
  fn(lastState);
  return () => stateListeners.delete(fn);
}

export type { ConnectionState, Uploader };
