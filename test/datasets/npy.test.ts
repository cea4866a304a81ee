import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseDatasetFiles } from '../../src-main/datasets/import';
import { resolveLimits } from '../../src-main/datasets/limits';
import { loadDatasetFromPath } from '../../src-main/datasets/load';
import type { ElementType, NdArray } from '../../src-main/datasets/ndarray';
import { encodeNpy, parseNpy } from '../../src-main/datasets/npy';
import { expectDatasetError } from './helpers';
import { tempDir } from '../helpers/temp-dir';

const FIXTURES = resolve(__dirname, '../fixtures/numpy');
const dir = tempDir('npy');

/** The formula of test/fixtures/make_numpy_fixtures.py: (arange(n·d) · 0.5 − 3), row-major. */
const formula = (n: number, d: number, f = (v: number) => v) => Array.from({ length: n * d }, (_, i) => f(i * 0.5 - 3));
const Y = [0, 1, 2, 0, 1];

const SAMPLES: Record<ElementType, (number | bigint)[]> = {
  bool: [0, 1, 1, 0, 0, 1],
  uint8: [0, 1, 127, 128, 254, 255],
  int8: [-128, -1, 0, 1, 126, 127],
  uint16: [0, 1, 300, 40000, 65534, 65535],
  int16: [-32768, -300, 0, 1, 300, 32767],
  uint32: [0, 1, 70000, 16777216, 3e9, 4294967295],
  int32: [-2147483648, -70000, 0, 1, 16777216, 2147483647],
  uint64: [0n, 1n, 70000n, 16777216n, 2n ** 40n, 2n ** 53n],
  int64: [-(2n ** 53n), -70000n, 0n, 1n, 16777216n, 2n ** 40n],
  float32: [-3.5, -1e-7, 0, 0.1, 1e30, 16777215],
  float64: [-2.25, 0.5, 0, 1e-300, 1e30, 1 / 3],
};
const CTOR = {
  bool: Uint8Array, uint8: Uint8Array, int8: Int8Array, uint16: Uint16Array, int16: Int16Array, uint32: Uint32Array,
  int32: Int32Array, uint64: BigUint64Array, int64: BigInt64Array, float32: Float32Array, float64: Float64Array,
};

function sample(type: ElementType, shape: number[]): NdArray {
  const count = shape.reduce((a, b) => a * b, 1);
  const data = new CTOR[type](count);
  for (let i = 0; i < count; i++) (data as unknown as unknown[])[i] = SAMPLES[type][i % 6];
  return { type, shape, data };
}

describe('NumPy .npy reader', () => {
  for (const type of Object.keys(CTOR) as ElementType[]) {
    it(`round-trips ${type}: C and Fortran order, little and big endian`, () => {
      const arr = sample(type, [3, 4, 2]);
      for (const fortranOrder of [false, true]) {
        for (const bigEndian of [false, true]) {
          const back = parseNpy('a.npy', encodeNpy(arr, { fortranOrder, bigEndian }));
          expect(back.shape).toEqual([3, 4, 2]);
          expect(back.type).toBe(type);
          expect(Array.from(back.data as ArrayLike<unknown>)).toEqual(Array.from(arr.data as ArrayLike<unknown>));
        }
      }
    });
  }

  it('imports every dtype with equal values (uint8/bool stay uint8, others float32)', async () => {
    for (const type of Object.keys(CTOR) as ElementType[]) {
      const arr = sample(type, [4, 3]);
      const ds = await parseDatasetFiles([{ name: `${type}.npy`, bytes: encodeNpy(arr, { fortranOrder: true }) }]);
      expect([ds.n, ds.d, ds.dtype]).toEqual([4, 3, type === 'uint8' || type === 'bool' ? 'uint8' : 'float32']);
      expect(Array.from(ds.data)).toEqual(Array.from(arr.data as ArrayLike<number | bigint>, (v) => Math.fround(Number(v))));
      expect(ds.scale).toBe(type === 'uint8' ? 1 / 255 : 1);
    }
  });

  it('reads files written by numpy itself (C, Fortran, big-endian, 3-D images with labels beside)', async () => {
    const c = await loadDatasetFromPath(join(FIXTURES, 'c_float32.npy'));
    expect([c.n, c.d, c.dtype]).toEqual([5, 4, 'float32']);
    expect(Array.from(c.data)).toEqual(formula(5, 4));
    const f = await loadDatasetFromPath(join(FIXTURES, 'fortran_float64.npy'));
    expect(Array.from(f.data)).toEqual(formula(5, 4));
    const be = await loadDatasetFromPath(join(FIXTURES, 'bigendian_int32.npy'));
    expect(Array.from(be.data)).toEqual(formula(5, 4, (v) => Math.trunc(v * 2)));
    const img = await loadDatasetFromPath(join(FIXTURES, 'images_uint8.npy'));
    expect([img.n, img.d, img.dtype, img.imageShape]).toEqual([5, 6, 'uint8', [3, 2, 1]]);
    expect(Array.from(img.data)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(Array.from(img.labels!)).toEqual(Y); // images_uint8_labels.npy found beside it
  });

  it('pairs X.npy with y.npy when dropped together, and takes an explicit labels file', async () => {
    const X = encodeNpy(sample('float32', [6, 2]));
    const y = encodeNpy({ type: 'int64', shape: [6], data: BigInt64Array.from([5n, 5n, 7n, 7n, 9n, 9n]) });
    const ds = await parseDatasetFiles([{ name: 'y.npy', bytes: y }, { name: 'X.npy', bytes: X }]);
    expect(ds.labelNames).toEqual(['5', '7', '9']);
    expect(Array.from(ds.labels!)).toEqual([0, 0, 1, 1, 2, 2]);
    writeFileSync(join(dir, 'X.npy'), X);
    writeFileSync(join(dir, 'y.npy'), y);
    writeFileSync(join(dir, 'other.npy'), encodeNpy({ type: 'uint8', shape: [6], data: Uint8Array.from([1, 1, 1, 2, 2, 2]) }));
    expect((await loadDatasetFromPath(join(dir, 'X.npy'))).labelNames).toEqual(['5', '7', '9']);
    expect((await loadDatasetFromPath(join(dir, 'X.npy'), { labels: join(dir, 'other.npy') })).labelNames).toEqual(['1', '2']);
  });

  describe('.npz', () => {
    it('reads np.savez (X, y), np.savez_compressed (data, labels) and positional arrays (first 2-D, first 1-D)', async () => {
      for (const [file, expectedData] of [
        ['xy.npz', formula(5, 4)],
        ['data_labels_compressed.npz', formula(5, 4)],
        ['positional.npz', formula(5, 4, (v) => Math.trunc(v) + 0)],
      ] as const) {
        const ds = await loadDatasetFromPath(join(FIXTURES, file));
        expect([ds.n, ds.d, ds.dtype], file).toEqual([5, 4, 'float32']);
        expect(Array.from(ds.data), file).toEqual(expectedData);
        expect(Array.from(ds.labels!), file).toEqual(Y);
        expect(ds.name).toBe(file.replace('.npz', ''));
      }
    });

    it('reads an npz written by another zip library, without labels', async () => {
      const X = sample('uint8', [3, 2, 2]);
      const npz = zipSync({ 'X.npy': encodeNpy(X) }, { level: 9 });
      const ds = await parseDatasetFiles([{ name: 'pixels.npz', bytes: npz }]);
      expect([ds.n, ds.d, ds.imageShape, ds.labels]).toEqual([3, 4, [2, 2, 1], undefined]);
      expect(Array.from(ds.data)).toEqual(Array.from(X.data as Uint8Array));
    });

    it('refuses an npz without a data array, with a bomb entry, and with a corrupt entry', async () => {
      const onlyLabels = zipSync({ 'a.npy': encodeNpy({ type: 'int32', shape: [3], data: new Int32Array(3) }) });
      await expectDatasetError(() => parseDatasetFiles([{ name: 'l.npz', bytes: onlyLabels }]), 'l.npz', /holds no array of 2 or more dimensions \(arrays: a\)/);
      const big = zipSync({ 'X.npy': encodeNpy({ type: 'float64', shape: [1000, 100], data: new Float64Array(100000) }) }, { level: 9 });
      await expectDatasetError(
        () => parseDatasetFiles([{ name: 'bomb.npz', bytes: big }], { limits: { maxDecompressedBytes: 100_000 } }),
        'bomb.npz',
        /entry X\.npy declares 800\.1 kB uncompressed, more than the limit of 100\.0 kB/,
      );
      const corrupt = readFileSync(join(FIXTURES, 'data_labels_compressed.npz'));
      corrupt[60] ^= 0x55;
      await expectDatasetError(() => parseDatasetFiles([{ name: 'c.npz', bytes: corrupt }]), 'c.npz', /entry data\.npy (is corrupt compressed data|fails its CRC-32 check|inflates to)/);
    });
  });

  describe('bad files', () => {
    const good = encodeNpy(sample('float32', [3, 2]));
    const cases: [string, () => Uint8Array, RegExp][] = [
      ['wrong magic', () => { const b = good.slice(); b[1] = 0x4f; return b; }, /is not a NumPy \.npy file: wrong magic number/],
      ['unknown version', () => { const b = good.slice(); b[6] = 9; return b; }, /has \.npy format version 9\.0, expected 1, 2 or 3/],
      ['truncated header', () => good.subarray(0, 40), /is truncated: the \.npy header declares 118 bytes but the file ends first/],
      ['truncated data', () => good.subarray(0, good.length - 3), /is truncated: shape \(3, 2\) of float32 needs 24 bytes of data but only 21 follow the header/],
      ['extra data', () => new Uint8Array([...good, 1, 2, 3, 4]), /has 4 bytes after the shape \(3, 2\) of float32 its header declares/],
      ['unsupported dtype', () => patchHeader(good, "{'descr': '<c8', 'fortran_order': False, 'shape': (3,), }"), /has NumPy dtype '<c8'; supported: bool/],
      ['structured dtype', () => patchHeader(good, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (3,), }"), /holds a structured array/],
      ['garbled header', () => patchHeader(good, "{'descr': '<f4', 'fortran_order': maybe, 'shape': (3, 2), }"), /has an unreadable \.npy header/],
      ['huge shape', () => patchHeader(good, "{'descr': '<f8', 'fortran_order': False, 'shape': (4000000000, 4000000000), }"), /declares shape \(4000000000, 4000000000\) of float64 \(64\.0 EB in memory\), more than the limit of 4\.3 GB/],
      ['NaN value', () => encodeNpy({ type: 'float64', shape: [2, 2], data: Float64Array.from([1, 2, NaN, 4]) }), /value NaN at row 2, column 1; every value must be a finite number/],
      ['Inf value', () => encodeNpy({ type: 'float32', shape: [2, 1], data: Float32Array.from([1, -Infinity]) }), /value -Infinity at row 2, column 1/],
      ['float64 outside float32', () => encodeNpy({ type: 'float64', shape: [1, 1], data: Float64Array.from([1e300]) }), /value 1e\+300 \(outside the float32 range\) at row 1, column 1/],
      ['no rows', () => encodeNpy({ type: 'float32', shape: [0, 3], data: new Float32Array(0) }), /has no rows/],
      ['scalar', () => encodeNpy({ type: 'float32', shape: [], data: new Float32Array(1) }), /holds a single number/],
    ];
    for (const [what, make, message] of cases) {
      it(what, async () => {
        await expectDatasetError(() => parseDatasetFiles([{ name: 'bad.npy', bytes: make() }]), 'bad.npy', message);
      });
    }

    it('labels of another count than the rows', async () => {
      await expectDatasetError(
        () =>
          parseDatasetFiles([
            { name: 'X.npy', bytes: good },
            { name: 'y.npy', bytes: encodeNpy({ type: 'int64', shape: [2], data: new BigInt64Array(2) }) },
          ]),
        'y.npy',
        /has 2 labels but X\.npy has 3 rows; the counts must match/,
      );
    });

    it('a matrix limit below the declared size', async () => {
      await expectDatasetError(() => parseDatasetFiles([{ name: 'bad.npy', bytes: good }], { limits: { maxMatrixBytes: 10 } }), 'bad.npy', /more than the limit of 10 bytes/);
      expect(resolveLimits({}).maxMatrixBytes).toBeGreaterThan(2 ** 31);
    });
  });
});

/** Replaces the header of a version-1 .npy, keeping the data. */
function patchHeader(npy: Uint8Array, header: string): Uint8Array {
  const len = new DataView(npy.buffer, npy.byteOffset).getUint16(8, true);
  const data = npy.subarray(10 + len);
  const text = `${header}\n`;
  const out = new Uint8Array(10 + text.length + data.length);
  out.set(npy.subarray(0, 8));
  new DataView(out.buffer).setUint16(8, text.length, true);
  for (let i = 0; i < text.length; i++) out[10 + i] = text.charCodeAt(i);
  out.set(data, 10 + text.length);
  return out;
}
