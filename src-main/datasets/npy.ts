import { DatasetError } from './errors';
import { DEFAULT_LIMITS, formatBytes, type ImportLimits } from './limits';
import { decodeValues, ELEMENT_SIZE, elementCount, type ElementType, type NdArray } from './ndarray';

/**
 * NumPy `.npy` reader (format versions 1, 2 and 3): bool, uint8 … uint64, int8 … int64, float32,
 * float64, either byte order, C or Fortran order (Fortran arrays are reordered to C order).
 */

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function looksLikeNpy(bytes: Uint8Array): boolean {
  return bytes.length >= 6 && MAGIC.every((b, i) => bytes[i] === b);
}

const KINDS: Record<string, ElementType> = {
  b1: 'bool', u1: 'uint8', i1: 'int8', u2: 'uint16', i2: 'int16', u4: 'uint32', i4: 'int32',
  u8: 'uint64', i8: 'int64', f4: 'float32', f8: 'float64',
};

export interface NpyHeader {
  type: ElementType;
  littleEndian: boolean;
  fortranOrder: boolean;
  shape: number[];
  dataOffset: number;
  dataBytes: number;
}

/** Parses and checks the header, including the declared size against the limits (nothing is allocated). */
export function parseNpyHeader(file: string, bytes: Uint8Array, limits: ImportLimits = DEFAULT_LIMITS): NpyHeader {
  if (!looksLikeNpy(bytes)) throw new DatasetError(file, 'is not a NumPy .npy file: wrong magic number (expected \\x93NUMPY)');
  if (bytes.length < 10) throw new DatasetError(file, 'is truncated: the .npy header ends early');
  const major = bytes[6];
  if (major < 1 || major > 3) throw new DatasetError(file, `has .npy format version ${major}.${bytes[7]}, expected 1, 2 or 3`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) throw new DatasetError(file, 'is truncated: the .npy header ends early');
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = 8 + lenBytes;
  const dataOffset = headerStart + headerLen;
  if (bytes.length < dataOffset) throw new DatasetError(file, `is truncated: the .npy header declares ${headerLen} bytes but the file ends first`);
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataOffset));

  if (/['"]descr['"]\s*:\s*\[/.test(text)) throw new DatasetError(file, 'holds a structured array (record dtype); only plain numeric arrays are supported');
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(text)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new DatasetError(file, `has an unreadable .npy header: ${JSON.stringify(text.trim().slice(0, 120))}`);
  }
  const m = /^([<>|=]?)([a-zA-Z])(\d+)$/.exec(descr);
  const type = m ? KINDS[`${m[2]}${m[3]}`] : undefined;
  if (!m || !type) {
    throw new DatasetError(file, `has NumPy dtype '${descr}'; supported: bool, uint8–uint64, int8–int64, float32, float64`);
  }
  const order = m[1];
  const littleEndian = order === '<' || order === '|' || order === '' || (order === '=' && nativeLittleEndian());
  const parts = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const shape = parts.map((s) => {
    const v = /^\d+L?$/.test(s) ? Number(s.replace('L', '')) : NaN;
    if (!Number.isSafeInteger(v)) throw new DatasetError(file, `has an invalid shape (${shapeText}) in its .npy header`);
    return v;
  });
  const count = elementCount(file, shape);
  const matrixBytes = count * (type === 'uint8' || type === 'bool' ? 1 : 4);
  if (matrixBytes > limits.maxMatrixBytes) {
    throw new DatasetError(
      file,
      `declares shape (${shape.join(', ')}) of ${type} (${formatBytes(matrixBytes)} in memory), more than the limit of ${formatBytes(limits.maxMatrixBytes)}`,
    );
  }
  return { type, littleEndian, fortranOrder: fortran === 'True', shape, dataOffset, dataBytes: count * ELEMENT_SIZE[type] };
}

/** Parses a whole .npy file from memory into a C-order array. */
export function parseNpy(file: string, bytes: Uint8Array, limits: ImportLimits = DEFAULT_LIMITS): NdArray {
  const h = parseNpyHeader(file, bytes, limits);
  const available = bytes.length - h.dataOffset;
  if (available < h.dataBytes) {
    throw new DatasetError(file, `is truncated: shape (${h.shape.join(', ')}) of ${h.type} needs ${h.dataBytes} bytes of data but only ${available} follow the header`);
  }
  if (available > h.dataBytes) {
    throw new DatasetError(file, `has ${available - h.dataBytes} bytes after the shape (${h.shape.join(', ')}) of ${h.type} its header declares; the header or the file is wrong`);
  }
  const count = h.dataBytes / ELEMENT_SIZE[h.type];
  const raw = decodeValues(bytes, h.dataOffset, count, h.type, h.littleEndian);
  const data = h.fortranOrder && h.shape.length > 1 ? fortranToC(raw, h.shape) : raw;
  return { type: h.type, shape: h.shape, data };
}

/** Reorders a column-major (Fortran) array to row-major (C). */
function fortranToC<T extends NdArray['data']>(src: T, shape: number[]): T {
  const out = new (src.constructor as new (n: number) => T)(src.length);
  const nd = shape.length;
  if (nd === 2) {
    const [n, d] = shape;
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[i * d + j] = src[j * n + i];
    return out;
  }
  // General case: walk C order with an odometer, tracking the Fortran offset.
  const fStride = new Array<number>(nd);
  fStride[0] = 1;
  for (let a = 1; a < nd; a++) fStride[a] = fStride[a - 1] * shape[a - 1];
  const idx = new Array<number>(nd).fill(0);
  let f = 0;
  for (let c = 0; c < src.length; c++) {
    out[c] = src[f];
    for (let a = nd - 1; a >= 0; a--) {
      idx[a]++;
      f += fStride[a];
      if (idx[a] < shape[a]) break;
      f -= fStride[a] * shape[a];
      idx[a] = 0;
    }
  }
  return out;
}

function nativeLittleEndian(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}

const DESCR: Record<ElementType, string> = {
  bool: '|b1', uint8: '|u1', int8: '|i1', uint16: '<u2', int16: '<i2', uint32: '<u4', int32: '<i4',
  uint64: '<u8', int64: '<i8', float32: '<f4', float64: '<f8',
};

/**
 * Encodes a C-order array as .npy version 1.0 (little-endian), optionally written in Fortran order
 * or big-endian: for exports and tests.
 */
export function encodeNpy(arr: NdArray, opts: { fortranOrder?: boolean; bigEndian?: boolean } = {}): Uint8Array {
  const size = ELEMENT_SIZE[arr.type];
  let descr = DESCR[arr.type];
  if (opts.bigEndian && size > 1) descr = `>${descr.slice(1)}`;
  const shape = arr.shape.length === 1 ? `(${arr.shape[0]},)` : `(${arr.shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': ${opts.fortranOrder ? 'True' : 'False'}, 'shape': ${shape}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + arr.data.length * size);
  out.set(MAGIC);
  out[6] = 1;
  out[7] = 0;
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const order = opts.fortranOrder ? cToFortranOrder(arr.shape) : null;
  const le = !opts.bigEndian;
  const base = 10 + header.length;
  for (let k = 0; k < arr.data.length; k++) {
    const v = arr.data[order ? order[k] : k];
    const at = base + k * size;
    switch (arr.type) {
      case 'bool': case 'uint8': view.setUint8(at, Number(v)); break;
      case 'int8': view.setInt8(at, Number(v)); break;
      case 'uint16': view.setUint16(at, Number(v), le); break;
      case 'int16': view.setInt16(at, Number(v), le); break;
      case 'uint32': view.setUint32(at, Number(v), le); break;
      case 'int32': view.setInt32(at, Number(v), le); break;
      case 'uint64': view.setBigUint64(at, BigInt(v), le); break;
      case 'int64': view.setBigInt64(at, BigInt(v), le); break;
      case 'float32': view.setFloat32(at, Number(v), le); break;
      case 'float64': view.setFloat64(at, Number(v), le); break;
    }
  }
  return out;
}

/** For each Fortran position, the C index of the element stored there. */
function cToFortranOrder(shape: number[]): Int32Array {
  const count = shape.reduce((a, b) => a * b, 1);
  const nd = shape.length;
  const cStride = new Array<number>(nd);
  cStride[nd - 1] = 1;
  for (let a = nd - 2; a >= 0; a--) cStride[a] = cStride[a + 1] * shape[a + 1];
  const out = new Int32Array(count);
  const idx = new Array<number>(nd).fill(0);
  for (let f = 0; f < count; f++) {
    let c = 0;
    for (let a = 0; a < nd; a++) c += idx[a] * cStride[a];
    out[f] = c;
    for (let a = 0; a < nd; a++) {
      if (++idx[a] < shape[a]) break;
      idx[a] = 0;
    }
  }
  return out;
}
