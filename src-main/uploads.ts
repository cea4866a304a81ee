/**
 * Browser-mode uploads: each dropped file's bytes arrive as one HTTP body (server.ts) and are streamed to a file in
 * `<data folder>/uploads/`, never held whole in main's memory. A `datasets/import` request then names the uploads;
 * the import worker reads them from disk, and main removes them when that import ends. A body cut short or over the
 * size limit leaves no file behind; files left by a previous start (a crash) are removed when the folder opens.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { formatBytes } from './datasets/limits';

/** Why an upload was refused: `status` is the HTTP status to answer. */
export class UploadError extends Error {
  override readonly name = 'UploadError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface Upload {
  path: string;
  bytes: number;
}

export class UploadFolder {
  private readonly uploads = new Map<string, Upload>();

  constructor(readonly dir: string) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }

  /**
   * Streams `body` into a new file. Rejects with an {@link UploadError} (413) past `maxBytes`, and with the stream's
   * error when the body is cut short or the disk refuses; the partial file is removed in both cases.
   */
  async receive(body: Readable, maxBytes: number): Promise<{ uploadId: string; bytes: number }> {
    const uploadId = randomUUID();
    const path = join(this.dir, `${uploadId}.part`);
    let bytes = 0;
    const count = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        if (bytes > maxBytes) done(new UploadError(413, `the file is larger than the upload limit of ${formatBytes(maxBytes)}`));
        else done(null, chunk);
      },
    });
    try {
      await pipeline(body, count, createWriteStream(path, { flags: 'wx' }));
    } catch (e) {
      rmSync(path, { force: true });
      throw e;
    }
    this.uploads.set(uploadId, { path, bytes });
    return { uploadId, bytes };
  }

  /** Whether upload `id` is stored and not yet taken by an import. */
  has(id: string): boolean {
    return this.uploads.has(id);
  }

  /**
   * An import takes the uploads it names, whatever its outcome: none can be named twice. Returns them, or the
   * first id that is unknown (never uploaded, or taken already); the known ones are removed in that case too.
   */
  take(ids: string[]): { ok: true; uploads: Upload[] } | { ok: false; missing: string } {
    const missing = ids.find((id) => !this.uploads.has(id));
    if (missing !== undefined) {
      this.remove(ids);
      return { ok: false, missing };
    }
    const uploads = ids.map((id) => this.uploads.get(id)!);
    for (const id of ids) this.uploads.delete(id);
    return { ok: true, uploads };
  }

  /** Removes files an import took (when it ends: stored, failed or cancelled). */
  discard(uploads: Upload[]): void {
    for (const u of uploads) {
      try {
        rmSync(u.path, { force: true });
      } catch (e) {
        console.error(`could not remove the uploaded file ${u.path}:`, e);
      }
    }
  }

  /** Removes uploads no import has taken (an upload cancelled in the page). */
  remove(ids: string[]): void {
    const gone = ids.flatMap((id) => {
      const u = this.uploads.get(id);
      this.uploads.delete(id);
      return u ? [u] : [];
    });
    this.discard(gone);
  }

  /** Removes every upload not taken (the app is closing; imports still running discard their own). */
  clear(): void {
    this.remove([...this.uploads.keys()]);
  }
}
