import { crc32, inflateRawSync } from 'node:zlib';
import { DatasetError } from './errors';
import { DEFAULT_LIMITS, formatBytes, type ImportLimits } from './limits';

/**
 * A small, defensive zip reader (stored and deflate entries, zip64 sizes): every offset is bounds-checked,
 * each entry inflates into at most its declared size (zip-bomb guard), declared sizes are checked against
 * the limits before anything is inflated, and each entry's CRC-32 is verified.
 */

export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  /** Declared uncompressed size. */
  size: number;
  localHeaderOffset: number;
}

export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));
}

class Reader {
  private readonly view: DataView;
  constructor(
    private readonly file: string,
    readonly bytes: Uint8Array,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  check(offset: number, length: number, what: string): void {
    if (!(offset >= 0 && length >= 0 && offset + length <= this.bytes.length)) {
      throw new DatasetError(this.file, `is a truncated or corrupt zip archive (${what} lies outside the file)`);
    }
  }
  u16(at: number, what: string): number {
    this.check(at, 2, what);
    return this.view.getUint16(at, true);
  }
  u32(at: number, what: string): number {
    this.check(at, 4, what);
    return this.view.getUint32(at, true);
  }
  u64(at: number, what: string): number {
    this.check(at, 8, what);
    return Number(this.view.getBigUint64(at, true));
  }
}

/** The file entries of a zip archive (folders left out), in central-directory order. */
export function listZip(file: string, bytes: Uint8Array, limits: ImportLimits = DEFAULT_LIMITS): ZipEntry[] {
  const r = new Reader(file, bytes);
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 65535); at--) {
    if (bytes[at] === 0x50 && bytes[at + 1] === 0x4b && bytes[at + 2] === 5 && bytes[at + 3] === 6) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw new DatasetError(file, 'is not a complete zip archive (no end-of-central-directory record; truncated?)');
  let count = r.u16(eocd + 10, 'entry count');
  let cdOffset = r.u32(eocd + 16, 'central directory offset');
  if (count === 0xffff || cdOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || r.u32(locator, 'zip64 locator') !== 0x07064b50) throw new DatasetError(file, 'is a corrupt zip archive (zip64 locator missing)');
    const z = r.u64(locator + 8, 'zip64 record offset');
    if (r.u32(z, 'zip64 record') !== 0x06064b50) throw new DatasetError(file, 'is a corrupt zip archive (zip64 record missing)');
    count = r.u64(z + 32, 'zip64 entry count');
    cdOffset = r.u64(z + 48, 'zip64 central directory offset');
  }
  if (count > limits.maxFiles) throw new DatasetError(file, `holds ${count} entries, more than the limit of ${limits.maxFiles}`);
  const entries: ZipEntry[] = [];
  const decoder = new TextDecoder();
  let at = cdOffset;
  for (let i = 0; i < count; i++) {
    if (r.u32(at, 'central directory') !== 0x02014b50) throw new DatasetError(file, `is a corrupt zip archive (bad central directory entry ${i + 1})`);
    const flags = r.u16(at + 8, 'entry flags');
    const method = r.u16(at + 10, 'entry method');
    const crc = r.u32(at + 16, 'entry CRC');
    let compressedSize = r.u32(at + 20, 'entry size');
    let size = r.u32(at + 24, 'entry size');
    const nameLen = r.u16(at + 28, 'entry name');
    const extraLen = r.u16(at + 30, 'entry extra field');
    const commentLen = r.u16(at + 32, 'entry comment');
    let localHeaderOffset = r.u32(at + 42, 'entry offset');
    r.check(at + 46, nameLen + extraLen + commentLen, 'entry name');
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLen));
    if (size === 0xffffffff || compressedSize === 0xffffffff || localHeaderOffset === 0xffffffff) {
      // zip64 extended information extra field: the 0xFFFFFFFF values, in this order
      let e = at + 46 + nameLen;
      const end = e + extraLen;
      while (e + 4 <= end) {
        const id = r.u16(e, 'extra field');
        const len = r.u16(e + 2, 'extra field');
        if (id === 0x0001) {
          let p = e + 4;
          if (size === 0xffffffff) { size = r.u64(p, 'zip64 size'); p += 8; }
          if (compressedSize === 0xffffffff) { compressedSize = r.u64(p, 'zip64 size'); p += 8; }
          if (localHeaderOffset === 0xffffffff) { localHeaderOffset = r.u64(p, 'zip64 offset'); p += 8; }
          break;
        }
        e += 4 + len;
      }
    }
    if (flags & 1) throw new DatasetError(file, `entry ${name} is encrypted; encrypted archives are not supported`);
    if (!name.endsWith('/')) entries.push({ name, method, crc, compressedSize, size, localHeaderOffset });
    at += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** The content of one entry, checked against its declared size and CRC-32. */
export function readZipEntry(file: string, bytes: Uint8Array, entry: ZipEntry, limits: ImportLimits = DEFAULT_LIMITS): Uint8Array {
  const r = new Reader(file, bytes);
  const what = `entry ${entry.name}`;
  if (entry.size > limits.maxDecompressedBytes) {
    throw new DatasetError(file, `${what} declares ${formatBytes(entry.size)} uncompressed, more than the limit of ${formatBytes(limits.maxDecompressedBytes)}`);
  }
  const h = entry.localHeaderOffset;
  if (r.u32(h, 'local header') !== 0x04034b50) throw new DatasetError(file, what + ' is corrupt (bad local header in the zip archive)');
  const start = h + 30 + r.u16(h + 26, 'local header') + r.u16(h + 28, 'local header');
  r.check(start, entry.compressedSize, `the data of ${entry.name}`);
  const raw = bytes.subarray(start, start + entry.compressedSize);
  let out: Uint8Array;
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size) throw new DatasetError(file, what + ' is corrupt (stored entry with two different sizes)');
    out = raw;
  } else if (entry.method === 8) {
    try {
      out = inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.size) });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
        throw new DatasetError(file, `${what} inflates to more than the ${entry.size} bytes it declares (corrupt, or a zip bomb)`);
      }
      throw new DatasetError(file, `${what} is corrupt compressed data (${err.message})`);
    }
  } else {
    throw new DatasetError(file, `${what} uses zip compression method ${entry.method}; only stored (0) and deflate (8) are supported`);
  }
  if (out.length !== entry.size) throw new DatasetError(file, `${what} inflates to ${out.length} bytes but declares ${entry.size}; the archive is corrupt`);
  if ((crc32(out) >>> 0) !== entry.crc) throw new DatasetError(file, what + ' fails its CRC-32 check; the archive is corrupt');
  return out;
}

/** Checks that the declared sizes of the entries to extract fit the archive limit, before inflating any. */
export function checkArchiveSize(file: string, entries: ZipEntry[], limits: ImportLimits): void {
  let total = 0;
  for (const e of entries) total += e.size;
  if (total > limits.maxArchiveBytes) {
    throw new DatasetError(file, `declares ${formatBytes(total)} uncompressed, more than the limit of ${formatBytes(limits.maxArchiveBytes)}`);
  }
}
