/**
 * Limits every importer enforces BEFORE allocating, so a file that declares absurd sizes,
 * a zip bomb or a truncated file is refused with a clear message instead of exhausting memory.
 */
export interface ImportLimits {
  /** Largest data matrix held in memory, in bytes (rows × columns × bytes per value). */
  maxMatrixBytes: number;
  /** Largest decompressed size of a gzip stream or of one zip entry, in bytes. */
  maxDecompressedBytes: number;
  /** Largest total decompressed size of all entries of one zip archive, in bytes. */
  maxArchiveBytes: number;
  /** Most entries in one zip archive or files in one image folder. */
  maxFiles: number;
  /** Largest single image, in pixels (width × height). */
  maxImagePixels: number;
}

const GiB = 1024 ** 3;

/**
 * Defaults: 4 GiB of matrix (the largest typed array Node allows) and as much decompressed input.
 * MNIST is 55 MB; a float32 matrix of 1,000,000 × 1,000 fits.
 */
export const DEFAULT_LIMITS: ImportLimits = {
  maxMatrixBytes: 4 * GiB - 1,
  maxDecompressedBytes: 4 * GiB - 1,
  maxArchiveBytes: 8 * GiB,
  maxFiles: 1_000_000,
  maxImagePixels: 64 * 1024 * 1024,
};

export function resolveLimits(partial?: Partial<ImportLimits>): ImportLimits {
  return { ...DEFAULT_LIMITS, ...partial };
}

/** Human-readable byte count for messages: "54.9 MB", "4.0 GB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  const units = ['kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let v = bytes;
  let i = -1;
  do {
    v /= 1000;
    i++;
  } while (v >= 1000 && i < units.length - 1);
  return `${v.toFixed(1)} ${units[i]}`;
}
