/**
 * PNG structure checked before any pixel buffer is allocated. pngjs pads image data that ends early, so a
 * 100-byte file declaring 8192 × 8192 pixels ("pixel bomb") would become 268 MB of RGBA, and a truncated file
 * would import with made-up rows. Here: every chunk must fit in the file, IEND must be there, the compressed
 * image data must be able to hold the declared pixels at all (deflate packs at most 1032:1), and it must inflate
 * to exactly the declared size (inflating stops at that size, so a lying stream costs no memory).
 */
import { inflateSync } from 'node:zlib';

/** Most bytes one byte of deflate output can stand for (zlib's own bound). */
const MAX_DEFLATE_RATIO = 1032;

/** Channels per PNG color type (0 gray, 2 RGB, 3 palette, 4 gray + alpha, 6 RGBA). */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Adam7 passes: [x start, y start, x step, y step]. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/** Bytes of filtered scanlines (one filter byte per row) for a width × height image of `bitsPerPixel`. */
export function pngRawLength(width: number, height: number, bitsPerPixel: number, interlaced: boolean): number {
  const rows = (w: number, h: number): number => (w === 0 || h === 0 ? 0 : h * (1 + Math.ceil((w * bitsPerPixel) / 8)));
  if (!interlaced) return rows(width, height);
  let total = 0;
  for (const [x0, y0, dx, dy] of ADAM7) total += rows(Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy));
  return total;
}

/**
 * Returns null when the PNG's chunks and image data match its header, else what is wrong with it
 * ("is truncated …", "… a pixel bomb"). `b` starts with the PNG signature and holds IHDR (checked by the caller).
 */
export function pngStructureProblem(b: Uint8Array): string | null {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const width = v.getUint32(16, false);
  const height = v.getUint32(20, false);
  const depth = b[24];
  const channels = CHANNELS[b[25]];
  if (!channels || ![1, 2, 4, 8, 16].includes(depth)) return `has an unknown color type ${b[25]} / bit depth ${depth}`;
  const expected = pngRawLength(width, height, channels * depth, b[28] === 1);

  const idat: Uint8Array[] = [];
  let idatBytes = 0;
  let at = 8;
  let ended = false;
  while (at + 8 <= b.length) {
    const len = v.getUint32(at, false);
    const type = String.fromCharCode(b[at + 4], b[at + 5], b[at + 6], b[at + 7]);
    if (at + 12 + len > b.length) return `is truncated (its ${type} chunk needs ${len} bytes, the file ends before)`;
    if (type === 'IDAT') {
      idat.push(b.subarray(at + 8, at + 8 + len));
      idatBytes += len;
    }
    at += 12 + len;
    if (type === 'IEND') {
      ended = true;
      break;
    }
  }
  if (!ended) return 'is truncated (no IEND chunk)';
  if (idatBytes * MAX_DEFLATE_RATIO + 1024 < expected) {
    return `declares ${width}×${height} pixels but carries only ${idatBytes} bytes of image data, too few to hold them (truncated, or a pixel bomb)`;
  }
  let inflated: number;
  try {
    const data = idat.length === 1 ? idat[0] : Buffer.concat(idat);
    inflated = inflateSync(data, { maxOutputLength: Math.max(1, expected) }).length;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ERR_BUFFER_TOO_LARGE') return `holds more image data than its ${width}×${height} pixels`;
    if (err.code === 'Z_BUF_ERROR') return 'has corrupt or truncated image data (it ends early)';
    return `has corrupt image data (${err.message})`;
  }
  if (inflated !== expected) {
    return `declares ${width}×${height} pixels but its image data holds ${inflated} of the ${expected} bytes they need (truncated, or a pixel bomb)`;
  }
  return null;
}
