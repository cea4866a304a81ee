import { constants as zc, gunzipSync } from 'node:zlib';
import { DatasetError } from './errors';
import { formatBytes } from './limits';

/** True when the bytes start with the gzip magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * The first bytes of a gzip stream's content, decompressing only a prefix of the input
 * (at most ~1 MB of output), so a header can be checked before the whole stream is inflated.
 */
export function gunzipPrefix(file: string, bytes: Uint8Array, inputBytes = 1024): Uint8Array {
  try {
    return gunzipSync(bytes.subarray(0, inputBytes), { finishFlush: zc.Z_SYNC_FLUSH });
  } catch (e) {
    throw gzipError(file, e);
  }
}

/**
 * Inflates a whole gzip stream, refusing to produce more than `maxBytes` (zip-bomb guard:
 * the output never grows past the limit).
 */
export function gunzipLimited(file: string, bytes: Uint8Array, maxBytes: number, limitWhy: string): Uint8Array {
  const cap = Math.min(maxBytes, 2 ** 32 - 1);
  try {
    return gunzipSync(bytes, { maxOutputLength: Math.max(1, cap) });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      throw new DatasetError(file, `decompresses to more than ${formatBytes(cap)} (${limitWhy})`);
    }
    throw gzipError(file, e);
  }
}

function gzipError(file: string, e: unknown): DatasetError {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'Z_BUF_ERROR') return new DatasetError(file, 'is truncated: the gzip data ends early');
  return new DatasetError(file, `is corrupt gzip data (${err.message})`);
}
