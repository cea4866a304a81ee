/**
 * File helpers of every importer: read a file for import, and turn a file-system failure into one clear DatasetError.
 */
import { readFileSync } from 'node:fs';
import { DatasetError } from './errors';
import { DEFAULT_LIMITS, formatBytes, type ImportLimits } from './limits';

/** Reads a file into memory, refusing files larger than what could ever be imported; errors name it `name` (an upload's file name). */
export function readFileForImport(path: string, limits: ImportLimits = DEFAULT_LIMITS, name = path): Uint8Array {
  try {
    const buf = readFileSync(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    throw fileSystemError(name, e, limits);
  }
}

/** One clear DatasetError for a file-system failure (missing, unreadable, a folder, too large). */
export function fileSystemError(path: string, e: unknown, limits: ImportLimits = DEFAULT_LIMITS): DatasetError {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT': return new DatasetError(path, 'no such file or folder');
    case 'EACCES': case 'EPERM': return new DatasetError(path, 'permission denied');
    case 'EISDIR': return new DatasetError(path, 'is a folder, not a file');
    case 'ERR_FS_FILE_TOO_LARGE': return new DatasetError(path, `is larger than ${formatBytes(Math.min(limits.maxDecompressedBytes, 2 ** 31))}, too large to read`);
    default: return new DatasetError(path, `cannot be read (${err.message})`);
  }
}
