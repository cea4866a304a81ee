/**
 * The browser-mode wire protocol (`kmeans-explorer serve`): how the renderer reaches the contract of api.ts over a
 * WebSocket, and how dataset files are uploaded. The Electron host does not use any of this.
 *
 * - The server prints `http://127.0.0.1:PORT/?token=TOKEN`. The token is random per launch and required
 *   on the socket as `?token=` in the URL or the `X-Kmeans-Token` header. Static files also open with the
 *   `kx_token_PORT` cookie the server sets (HttpOnly, SameSite=Strict) when the page is loaded with a valid
 *   `?token=`; it holds a separate per-launch key, not the token, because cookies ignore ports and every
 *   local server receives it. Requests without either get HTTP 401 (the socket upgrade too). Bound to
 *   loopback, a Host header other than 127.0.0.1 / localhost / [::1] with the port gets HTTP 421.
 * - The socket is `ws://HOST/api?token=TOKEN` (HOST = `location.host`; the token from `location.search`,
 *   which the hash routes keep across reloads).
 * - Every frame is a JSON text frame. Typed arrays inside payloads are encoded by `encodeWire` as
 *   `{"$typed": "Float64Array", "base64": "…"}` (little-endian bytes) and restored by `decodeWire`
 *   (`src-shared/wire.ts`). Everything else is plain JSON.
 * - Client → server: {@link WireRequest} `{type: 'request', id, name, payload}`; `id` is any number unique
 *   among the client's pending requests.
 * - Dataset files do not travel in frames: each is POSTed to {@link UPLOAD_PATH} as a binary body (token in the
 *   `X-Kmeans-Token` header) and `datasets/import` names the uploads ({@link ImportFromUploadsRequest}).
 * - Server → client: {@link WireReply} `{type: 'reply', id, reply}` where `reply` is a {@link Reply}
 *   (errors included — the socket is never closed for a bad request), and {@link WireEvent}
 *   `{type: 'event', name, payload}` for every event, broadcast to every connected socket.
 *
 * No Node or DOM imports here.
 */
import type { EventName, Reply, RequestName } from './api';

/**
 * Browser mode: `POST UPLOAD_PATH` with the raw file as body and the token in {@link TOKEN_HEADER} answers
 * `{uploadId, bytes}` (413 over the limit); `DELETE UPLOAD_PATH?id=ID` drops an upload no import has named yet.
 */
export const UPLOAD_PATH = '/upload';
/**
 * Largest uploaded file (browser mode): what an import worker can read into one buffer (`fs.readFile` stops at
 * 2 GiB). The page refuses a larger file before sending it; the server from its Content-Length, and while streaming.
 */
export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3 - 1;

/** Client → server (JSON, typed arrays encoded by `encodeWire`). */
export interface WireRequest {
  type: 'request';
  id: number;
  name: RequestName;
  payload: unknown;
}

/** Server → client: the reply to request `id`. */
export interface WireReply {
  type: 'reply';
  id: number;
  reply: Reply<unknown>;
}

/** Server → every client. */
export interface WireEvent {
  type: 'event';
  name: EventName;
  payload: unknown;
}

export type WireMessage = WireRequest | WireReply | WireEvent;

/** Path of the browser-mode socket, query `?token=`. */
export const WS_PATH = '/api';
/** Header / cookie names carrying the browser-mode token. */
export const TOKEN_HEADER = 'x-kmeans-token';
/** Prefix of the static-files cookie, `kx_token_PORT` (it holds a per-launch asset key, not the token). */
export const TOKEN_COOKIE = 'kx_token';

