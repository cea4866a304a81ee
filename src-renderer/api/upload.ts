/**
 * Browser mode's file upload: the raw bytes as one HTTP body (no base64, no copy in a string), with progress and
 * abort. The server streams it to its data folder and answers an id that `datasets/import` names (src-shared/api.ts).
 */
import { MAX_UPLOAD_BYTES, TOKEN_HEADER, UPLOAD_PATH } from '../../src-shared/browser-wire';
import { fmtBytes } from '../lib/format';

export type UploadResult = { ok: true; uploadId: string } | { ok: false; message: string; aborted?: boolean };

export interface Uploader {
  /** Uploads one file; `onProgress(bytesSent)`; aborting `signal` stops it (the server removes what it got). */
  upload(file: Blob, onProgress: (sent: number) => void, signal: AbortSignal): Promise<UploadResult>;
  /** Drops an upload that will not be imported (best effort). */
  discard(uploadId: string): void;
}

export function createUploader(loc: { origin: string; search: string }): Uploader {
  const token = new URLSearchParams(loc.search).get('token') ?? '';
  const url = (query = ''): string => `${loc.origin}${UPLOAD_PATH}${query}`;
  return {
    upload: (file, onProgress, signal) =>
      new Promise((resolve) => {
        if (signal.aborted) return resolve({ ok: false, message: 'cancelled', aborted: true });
        // refused here, before sending: the server's early 413 would reach the page as a dropped connection
        if (file.size > MAX_UPLOAD_BYTES) return resolve({ ok: false, message: `is ${fmtBytes(file.size)}, more than the upload limit of ${fmtBytes(MAX_UPLOAD_BYTES)}` });
        const xhr = new XMLHttpRequest();
        xhr.open('POST', url());
        xhr.setRequestHeader(TOKEN_HEADER, token);
        xhr.responseType = 'json';
        xhr.upload.onprogress = (e) => onProgress(e.loaded);
        xhr.onload = () => {
          const body = xhr.response as { uploadId?: string; error?: string } | null;
          if (xhr.status === 200 && body?.uploadId) resolve({ ok: true, uploadId: body.uploadId });
          else resolve({ ok: false, message: body?.error ?? `the server answered HTTP ${xhr.status}` });
        };
        xhr.onerror = () => resolve({ ok: false, message: 'the upload failed: is the K-means Explorer server still running?' });
        xhr.onabort = () => resolve({ ok: false, message: 'cancelled', aborted: true });
        signal.addEventListener('abort', () => xhr.abort(), { once: true });
        xhr.send(file);
      }),
    discard: (uploadId) => {
      void fetch(url(`?id=${encodeURIComponent(uploadId)}`), { method: 'DELETE', headers: { [TOKEN_HEADER]: token } }).catch(() => undefined);
    },
  };
}
