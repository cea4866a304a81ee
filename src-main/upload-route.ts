/**
 * `POST /upload` of browser mode (server.ts checks the Host and the token first): the raw body is one file,
 * streamed to the data folder's uploads (uploads.ts). Answers `{uploadId, bytes}`; 413 before reading a byte when
 * Content-Length is over the limit, and as soon as a body without one passes it; a body cut short leaves nothing.
 * Never throws: every failure is an HTTP answer or, when the client is gone, a line in the log.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { formatBytes } from './datasets/limits';
import { UploadError, type UploadFolder } from './uploads';

function answer(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  // an answer before the whole body was read: close, so the client stops sending
  const close = status >= 400 ? { connection: 'close' } : {};
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...close });
  res.end(JSON.stringify(body));
}

/** `POST UPLOAD_PATH` stores a file; `DELETE UPLOAD_PATH?id=…` removes one no import has named (an upload cancelled). */
export function receiveUpload(req: IncomingMessage, res: ServerResponse, uploads: UploadFolder, maxBytes: number): void {
  if (req.method === 'DELETE') {
    const id = new URL(req.url ?? '/', 'http://localhost').searchParams.get('id') ?? '';
    const known = uploads.has(id);
    uploads.remove([id]);
    answer(res, known ? 200 : 404, known ? { uploadId: id } : { error: `upload ${id} does not exist (or an import has taken it)` });
    return;
  }
  if (req.method !== 'POST') {
    res.writeHead(405, { allow: 'POST, DELETE', connection: 'close' }).end();
    return;
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    answer(res, 413, { error: `the file (${formatBytes(declared)}) is larger than the upload limit of ${formatBytes(maxBytes)}` });
    req.destroy();
    return;
  }
  uploads.receive(req, maxBytes).then(
    (done) => answer(res, 200, done),
    (e: unknown) => {
      if (e instanceof UploadError) {
        answer(res, e.status, { error: e.message });
        req.destroy();
      } else if (req.destroyed || (e as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') {
        console.error('an upload was cut short; its partial file is removed');
      } else {
        console.error('an upload failed:', e);
        answer(res, 500, { error: `the upload could not be stored: ${(e as Error).message}` });
      }
    },
  );
}
