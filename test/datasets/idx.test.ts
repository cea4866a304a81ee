import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeIdx, parseIdx, readIdxFile } from '../../src-main/datasets/idx';
import { parseDatasetFiles } from '../../src-main/datasets/import';
import { resolveLimits } from '../../src-main/datasets/limits';
import { loadDatasetFromPath } from '../../src-main/datasets/load';
import type { ElementType, NdArray } from '../../src-main/datasets/ndarray';
import { expectDatasetError } from './helpers';
import { tempDir } from '../helpers/temp-dir';

const dir = tempDir('idx');

/** Values of each IDX type that its range holds exactly, including extremes and negatives. */
const SAMPLES: Record<string, number[]> = {
  uint8: [0, 1, 127, 128, 254, 255],
  int8: [-128, -1, 0, 1, 126, 127],
  int16: [-32768, -300, 0, 1, 300, 32767],
  int32: [-2147483648, -70000, 0, 1, 16777216, 2147483647],
  float32: [-3.5, -1e-7, 0, 0.1, 1e30, 16777215],
  float64: [-2.25, 0.5, 0, 1e-300, 1e30, 1 / 3],
};
const CTOR = { uint8: Uint8Array, int8: Int8Array, int16: Int16Array, int32: Int32Array, float32: Float32Array, float64: Float64Array };

function sampleArray(type: keyof typeof CTOR, shape: number[]): NdArray {
  const count = shape.reduce((a, b) => a * b, 1);
  const data = new CTOR[type](count);
  for (let i = 0; i < count; i++) data[i] = SAMPLES[type][i % 6];
  return { type: type as ElementType, shape, data };
}

describe('IDX reader', () => {
  for (const type of Object.keys(CTOR) as (keyof typeof CTOR)[]) {
    it(`round-trips ${type}, plain and gzip`, () => {
      const arr = sampleArray(type, [4, 3, 2]);
      const bytes = encodeIdx(arr);
      for (const input of [bytes, gzipSync(bytes)]) {
        const back = parseIdx(`x.${type}`, input);
        expect(back.type).toBe(type);
        expect(back.shape).toEqual([4, 3, 2]);
        expect(Array.from(back.data as ArrayLike<number>)).toEqual(Array.from(arr.data as ArrayLike<number>));
      }
    });
  }

  it('imports every dtype as a dataset: uint8 stays uint8 (scale 1/255), others become float32 with equal values', async () => {
    for (const type of Object.keys(CTOR) as (keyof typeof CTOR)[]) {
      const arr = sampleArray(type, [6, 2, 3]);
      const ds = await parseDatasetFiles([{ name: `t-images-idx3-${type}`, bytes: encodeIdx(arr) }]);
      expect(ds.n).toBe(6);
      expect(ds.d).toBe(6);
      expect(ds.imageShape).toEqual([2, 3, 1]);
      if (type === 'uint8') {
        expect(ds.dtype).toBe('uint8');
        expect(ds.scale).toBeCloseTo(1 / 255, 15);
        expect(ds.data).toBeInstanceOf(Uint8Array);
      } else {
        expect(ds.dtype).toBe('float32');
        expect(ds.scale).toBe(1);
      }
      expect(Array.from(ds.data)).toEqual(Array.from(arr.data as ArrayLike<number>).map(Math.fround));
    }
  });

  it('pairs an images file with its labels file by name, in any order, and maps labels to 0…K−1', async () => {
    const images = encodeIdx(sampleArray('uint8', [5, 2, 2]));
    const labels = encodeIdx({ type: 'uint8', shape: [5], data: Uint8Array.from([3, 7, 3, 9, 7]) });
    const ds = await parseDatasetFiles([
      { name: 'train-labels-idx1-ubyte.gz', bytes: gzipSync(labels) },
      { name: 'train-images-idx3-ubyte', bytes: images },
    ]);
    expect(ds.source).toBe('train-images-idx3-ubyte');
    expect(Array.from(ds.labels!)).toEqual([0, 1, 0, 2, 1]);
    expect(ds.labelNames).toEqual(['3', '7', '9']);
  });

  it('chooses the matching labels file among several', async () => {
    const images = encodeIdx(sampleArray('uint8', [2, 2, 2]));
    const a = encodeIdx({ type: 'uint8', shape: [2], data: Uint8Array.from([0, 1]) });
    const b = encodeIdx({ type: 'uint8', shape: [2], data: Uint8Array.from([1, 1]) });
    const ds = await parseDatasetFiles([
      { name: 't10k-labels-idx1-ubyte', bytes: a },
      { name: 'train-images-idx3-ubyte', bytes: images },
      { name: 'train-labels-idx1-ubyte', bytes: b },
    ]);
    expect(ds.labelNames).toEqual(['1']);
  });

  it('finds the labels file beside an images file on disk (-images-/-labels-, images-idx3/labels-idx1)', async () => {
    writeFileSync(join(dir, 'fashion-images-idx3-ubyte.gz'), gzipSync(encodeIdx(sampleArray('uint8', [3, 4, 4]))));
    writeFileSync(join(dir, 'fashion-labels-idx1-ubyte.gz'), gzipSync(encodeIdx({ type: 'uint8', shape: [3], data: Uint8Array.from([0, 1, 2]) })));
    const ds = await loadDatasetFromPath(join(dir, 'fashion-images-idx3-ubyte.gz'));
    expect([ds.n, ds.d]).toEqual([3, 16]);
    expect(Array.from(ds.labels!)).toEqual([0, 1, 2]);
    expect(ds.name).toBe('fashion-images-idx3-ubyte');
    writeFileSync(join(dir, 'alone-images.idx'), encodeIdx(sampleArray('float32', [2, 5])));
    const alone = await loadDatasetFromPath(join(dir, 'alone-images.idx'));
    expect(alone.labels).toBeUndefined();
    expect(alone.imageShape).toBeUndefined();
    expect([alone.n, alone.d]).toEqual([2, 5]);
  });

  it('refuses images and labels of different counts', async () => {
    const msg = await expectDatasetError(
      () =>
        parseDatasetFiles([
          { name: 'a-images-idx3-ubyte', bytes: encodeIdx(sampleArray('uint8', [5, 2, 2])) },
          { name: 'a-labels-idx1-ubyte', bytes: encodeIdx({ type: 'uint8', shape: [4], data: new Uint8Array(4) }) },
        ]),
      'a-labels-idx1-ubyte',
      /has 4 labels but a-images-idx3-ubyte has 5 rows/,
    );
    expect(msg).toContain('counts must match');
  });

  describe('bad files', () => {
    const good = encodeIdx(sampleArray('int16', [3, 2]));

    it('wrong magic number', async () => {
      const bad = good.slice();
      bad[0] = 0x50;
      await expectDatasetError(() => parseIdx('f.idx', bad), 'f.idx', /not an IDX file: wrong magic number 0x50000b02/);
    });
    it('unknown data type', async () => {
      const bad = good.slice();
      bad[2] = 0x0a;
      await expectDatasetError(() => parseIdx('f.idx', bad), 'f.idx', /unknown data type 0x0a/);
    });
    it('zero dimensions', async () => {
      const bad = good.slice();
      bad[3] = 0;
      await expectDatasetError(() => parseIdx('f.idx', bad), 'f.idx', /declares 0 dimensions/);
    });
    it('too short', async () => {
      await expectDatasetError(() => parseIdx('f.idx', good.subarray(0, 3)), 'f.idx', /too short to be an IDX file \(3 bytes\)/);
    });
    it('truncated header', async () => {
      await expectDatasetError(() => parseIdx('f.idx', good.subarray(0, 9)), 'f.idx', /truncated: the header declares 2 dimensions but the file ends after 9 bytes/);
    });
    it('truncated data', async () => {
      await expectDatasetError(() => parseIdx('f.idx', good.subarray(0, good.length - 1)), 'f.idx', /truncated: the header declares 3 × 2 int16 values \(12 bytes\) but only 11 bytes of data follow/);
    });
    it('extra bytes after the data', async () => {
      const bad = new Uint8Array(good.length + 2);
      bad.set(good);
      await expectDatasetError(() => parseIdx('f.idx', bad), 'f.idx', /has 2 bytes after the 3 × 2 int16 values/);
    });
    it('huge declared dims are refused before allocating', async () => {
      const bad = good.slice();
      new DataView(bad.buffer).setUint32(4, 0xffffffff, false);
      new DataView(bad.buffer).setUint32(8, 0xffffffff, false);
      await expectDatasetError(() => parseIdx('f.idx', bad), 'f.idx', /declares 4294967295 × 4294967295 int16 values \(73\.8 EB in memory\), more than the limit of 4\.3 GB/);
      const small = resolveLimits({ maxMatrixBytes: 20 });
      await expectDatasetError(() => parseIdx('g.idx', encodeIdx(sampleArray('uint8', [3, 10])), small), 'g.idx', /more than the limit of 20 bytes/);
    });
    it('a gzip stream that inflates past its declared size (zip bomb) is stopped at that size', async () => {
      const header = encodeIdx({ type: 'uint8', shape: [2, 2], data: new Uint8Array(4) });
      const bomb = new Uint8Array(header.length + 50_000_000);
      bomb.set(header);
      await expectDatasetError(() => parseIdx('bomb.idx.gz', gzipSync(bomb)), 'bomb.idx.gz', /decompresses to more than 17 bytes \(its IDX header declares 16 bytes\)/);
    });
    it('corrupt and truncated gzip', async () => {
      const gz = gzipSync(encodeIdx(sampleArray('uint8', [100, 10])));
      await expectDatasetError(() => parseIdx('t.gz', gz.subarray(0, gz.length - 10)), 't.gz', /truncated: the gzip data ends early/);
      const flipped = gz.slice();
      flipped[gz.length - 6] ^= 0xff; // CRC
      await expectDatasetError(() => parseIdx('c.gz', flipped), 'c.gz', /corrupt gzip data/);
    });
    it('missing file', async () => {
      await expectDatasetError(() => readIdxFile(join(dir, 'nope-idx3-ubyte')), 'nope-idx3-ubyte', /no such file or folder/);
    });
  });
});
