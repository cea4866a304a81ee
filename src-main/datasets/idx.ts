import { DatasetError } from './errors';
import { gunzipLimited, gunzipPrefix, isGzip } from './gzip';
import { DEFAULT_LIMITS, formatBytes, type ImportLimits } from './limits';
import { readFileForImport } from './files';
import { decodeValues, ELEMENT_SIZE, elementCount, type ElementType, type NdArray } from './ndarray';

/**
 * IDX reader (the format of MNIST, Fashion-MNIST, EMNIST, KMNIST), plain or gzip-compressed.
 *
 * Layout: magic = 0x00 0x00 <type> <ndim>, then ndim big-endian uint32 dims, then the values in
 * big-endian C order. Types: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64.
 */

export const IDX_TYPES: Record<number, ElementType> = {
  0x08: 'uint8',
  0x09: 'int8',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
};

export const IDX_TYPE_CODES: Partial<Record<ElementType, number>> = Object.fromEntries(
  Object.entries(IDX_TYPES).map(([code, type]) => [type, Number(code)]),
);

export interface IdxHeader {
  type: ElementType;
  shape: number[];
  /** Bytes before the data. */
  headerBytes: number;
  /** Bytes of data the header declares. */
  dataBytes: number;
}

/** True when the bytes look like an IDX file (plain; gzip is checked by the caller). */
export function looksLikeIdx(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0 && bytes[2] in IDX_TYPES && bytes[3] > 0;
}

/** Parses and checks the header, including the declared size against the limits (nothing is allocated). */
export function parseIdxHeader(file: string, bytes: Uint8Array, limits: ImportLimits = DEFAULT_LIMITS): IdxHeader {
  if (bytes.length < 4) throw new DatasetError(file, `is too short to be an IDX file (${bytes.length} bytes)`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DatasetError(file, `is not an IDX file: wrong magic number 0x${hex(bytes, 0, 4)} (expected 0x0000 then type and dimension count)`);
  }
  const type = IDX_TYPES[bytes[2]];
  if (!type) throw new DatasetError(file, `is not an IDX file: unknown data type 0x${hex(bytes, 2, 1)} in the magic number`);
  const ndim = bytes[3];
  if (ndim === 0) throw new DatasetError(file, 'is not an IDX file: the magic number declares 0 dimensions');
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < headerBytes) {
    throw new DatasetError(file, `is truncated: the header declares ${ndim} dimensions but the file ends after ${bytes.length} bytes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < ndim; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const count = elementCount(file, shape);
  const dataBytes = count * ELEMENT_SIZE[type];
  const matrixBytes = count * (type === 'uint8' ? 1 : 4);
  if (matrixBytes > limits.maxMatrixBytes) {
    throw new DatasetError(
      file,
      `declares ${shape.join(' × ')} ${type} values (${formatBytes(matrixBytes)} in memory), more than the limit of ${formatBytes(limits.maxMatrixBytes)}`,
    );
  }
  return { type, shape, headerBytes, dataBytes };
}

/** Parses a whole IDX file (plain or gzip) from memory. */
export function parseIdx(file: string, input: Uint8Array, limits: ImportLimits = DEFAULT_LIMITS): NdArray {
  let bytes = input;
  if (isGzip(input)) {
    // Check the header of the compressed content first, so the declared size bounds the inflation.
    const head = parseIdxHeader(file, gunzipPrefix(file, input), limits);
    const expected = head.headerBytes + head.dataBytes;
    bytes = gunzipLimited(file, input, expected + 1, `its IDX header declares ${formatBytes(expected)}`);
  }
  const { type, shape, headerBytes, dataBytes } = parseIdxHeader(file, bytes, limits);
  const available = bytes.length - headerBytes;
  if (available < dataBytes) {
    throw new DatasetError(
      file,
      `is truncated: the header declares ${shape.join(' × ')} ${type} values (${dataBytes} bytes) but only ${available} bytes of data follow`,
    );
  }
  if (available > dataBytes) {
    throw new DatasetError(
      file,
      `has ${available - dataBytes} bytes after the ${shape.join(' × ')} ${type} values its header declares; the header or the file is wrong`,
    );
  }
  const count = dataBytes / ELEMENT_SIZE[type];
  return { type, shape, data: decodeValues(bytes, headerBytes, count, type, false) };
}

/** Reads an IDX file (plain or .gz) from disk. */
export function readIdxFile(path: string, limits: ImportLimits = DEFAULT_LIMITS): NdArray {
  return parseIdx(path, readFileForImport(path, limits), limits);
}

/** Encodes an array as IDX (big-endian), for tests and exports. */
export function encodeIdx(arr: NdArray): Uint8Array {
  const code = IDX_TYPE_CODES[arr.type];
  if (code === undefined) throw new Error(`IDX has no ${arr.type} type`);
  const size = ELEMENT_SIZE[arr.type];
  const header = 4 + 4 * arr.shape.length;
  const out = new Uint8Array(header + arr.data.length * size);
  const view = new DataView(out.buffer);
  out[2] = code;
  out[3] = arr.shape.length;
  arr.shape.forEach((dim, i) => view.setUint32(4 + 4 * i, dim, false));
  for (let i = 0; i < arr.data.length; i++) {
    const v = Number(arr.data[i]);
    const at = header + i * size;
    switch (arr.type) {
      case 'uint8': view.setUint8(at, v); break;
      case 'int8': view.setInt8(at, v); break;
      case 'int16': view.setInt16(at, v, false); break;
      case 'int32': view.setInt32(at, v, false); break;
      case 'float32': view.setFloat32(at, v, false); break;
      case 'float64': view.setFloat64(at, v, false); break;
      default: throw new Error(`IDX has no ${arr.type} type`);
    }
  }
  return out;
}

function hex(bytes: Uint8Array, start: number, count: number): string {
  let s = '';
  for (let i = start; i < Math.min(bytes.length, start + count); i++) s += bytes[i].toString(16).padStart(2, '0');
  return s;
}
