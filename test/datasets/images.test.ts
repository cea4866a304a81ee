import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { parseDatasetFiles } from '../../src-main/datasets/import';
import { loadDatasetFromPath } from '../../src-main/datasets/load';
import { expectDatasetError } from './helpers';
import { tempDir } from '../helpers/temp-dir';

const dir = tempDir('images');

/** A PNG of w×h whose pixel p has value f(p) in each of R, G, B (gray) or (f, 255−f, f/2) (color). */
function png(w: number, h: number, f: (p: number) => number, opts: { color?: boolean; alpha?: number } = {}): Uint8Array {
  const img = new PNG({ width: w, height: h });
  for (let p = 0; p < w * h; p++) {
    const v = f(p);
    img.data[4 * p] = v;
    img.data[4 * p + 1] = opts.color ? 255 - v : v;
    img.data[4 * p + 2] = opts.color ? v >> 1 : v;
    img.data[4 * p + 3] = opts.alpha ?? 255;
  }
  return PNG.sync.write(img, opts.color ? {} : { colorType: opts.alpha === undefined ? 0 : 4 });
}

function jpg(w: number, h: number, v: number): Uint8Array {
  const data = new Uint8Array(w * h * 4).fill(v);
  return jpeg.encode({ data, width: w, height: h }, 100).data;
}

describe('image folders and zips', () => {
  it('reads a folder of PNGs with class subfolders as labels, gray, values exact', async () => {
    const root = join(dir, 'digits');
    for (const [label, k] of [['3', 0], ['10', 1], ['7', 2]] as const) {
      mkdirSync(join(root, label), { recursive: true });
      writeFileSync(join(root, label, 'a.png'), png(4, 3, (p) => p * 10 + k));
      writeFileSync(join(root, label, 'b.png'), png(4, 3, (p) => 200 - p - k));
    }
    writeFileSync(join(root, '.DS_Store'), 'junk');
    const ds = await loadDatasetFromPath(root);
    expect([ds.name, ds.n, ds.d, ds.dtype, ds.scale, ds.imageShape]).toEqual(['digits', 6, 12, 'uint8', 1 / 255, [3, 4, 1]]);
    expect(ds.labelNames).toEqual(['3', '7', '10']); // numeric folder names in numeric order
    // rows sorted by path: 10/a, 10/b, 3/a, 3/b, 7/a, 7/b
    expect(Array.from(ds.labels!)).toEqual([2, 2, 0, 0, 1, 1]);
    expect(Array.from(ds.data.subarray(0, 12))).toEqual(Array.from({ length: 12 }, (_, p) => p * 10 + 1));
    expect(Array.from(ds.data.subarray(12, 24))).toEqual(Array.from({ length: 12 }, (_, p) => 200 - p - 1));
  });

  it('keeps RGB when the pixels have color, and converts to gray on request', async () => {
    const files = [
      { name: 'shapes/circle/1.png', bytes: png(2, 2, (p) => p * 60, { color: true }) },
      { name: 'shapes/square/1.png', bytes: png(2, 2, (p) => 250 - p, { color: true }) },
    ];
    const rgb = await parseDatasetFiles(files);
    expect([rgb.name, rgb.n, rgb.d, rgb.imageShape, rgb.labelNames]).toEqual(['shapes', 2, 12, [2, 2, 3], ['circle', 'square']]);
    expect(Array.from(rgb.data.subarray(0, 6))).toEqual([0, 255, 0, 60, 195, 30]);
    const gray = await parseDatasetFiles(files, { color: 'gray' });
    expect(gray.imageShape).toEqual([2, 2, 1]);
    expect(gray.data[1]).toBe(Math.round(0.299 * 60 + 0.587 * 195 + 0.114 * 30));
  });

  it('stores gray-looking RGB files as one channel, and composites transparency over black', async () => {
    const rgbGray = PNG.sync.write(Object.assign(new PNG({ width: 1, height: 1 }), { data: Buffer.from([9, 9, 9, 255]) }));
    const ds = await parseDatasetFiles([{ name: 'a.png', bytes: rgbGray }, { name: 'b.png', bytes: png(1, 1, () => 200, { alpha: 128 }) }]);
    expect([ds.imageShape, ds.labels, ds.name]).toEqual([[1, 1, 1], undefined, 'images']);
    expect(Array.from(ds.data)).toEqual([9, Math.round((200 * 128) / 255)]);
  });

  it('reads JPEGs and a .zip of images (with a shared top folder)', async () => {
    const zip = zipSync({
      'set/': new Uint8Array(0),
      'set/cat/x.jpg': jpg(8, 8, 40),
      'set/dog/y.jpeg': jpg(8, 8, 220),
      '__MACOSX/set/._x.jpg': new Uint8Array(10),
    });
    writeFileSync(join(dir, 'pets.zip'), zip);
    const ds = await loadDatasetFromPath(join(dir, 'pets.zip'));
    expect([ds.name, ds.n, ds.d, ds.imageShape, ds.labelNames]).toEqual(['pets', 2, 64, [8, 8, 1], ['cat', 'dog']]);
    for (const v of ds.data.subarray(0, 64)) expect(Math.abs(v - 40)).toBeLessThanOrEqual(2); // JPEG is lossy
    for (const v of ds.data.subarray(64)) expect(Math.abs(v - 220)).toBeLessThanOrEqual(2);
  });

  describe('bad inputs', () => {
    it('mixed sizes', async () => {
      await expectDatasetError(
        () => parseDatasetFiles([{ name: 'd/a/1.png', bytes: png(4, 3, () => 1) }, { name: 'd/b/2.png', bytes: png(3, 4, () => 1) }]),
        'd',
        /holds images of different sizes: d\/a\/1\.png is 4×3 but d\/b\/2\.png is 3×4; resize them to one size first/,
      );
    });
    it('images in and outside class folders', async () => {
      await expectDatasetError(
        () => parseDatasetFiles([{ name: 'd/a/1.png', bytes: png(2, 2, () => 1) }, { name: 'd/2.png', bytes: png(2, 2, () => 1) }]),
        'd',
        /mixes images in class folders with images outside any \(d\/2\.png\)/,
      );
    });
    it('a corrupt PNG', async () => {
      const bad = png(4, 4, (p) => p).slice();
      bad[40] ^= 0xff;
      await expectDatasetError(() => parseDatasetFiles([{ name: 'x.png', bytes: bad }]), 'images › x.png', /is not a valid PNG image \(|has corrupt or truncated image data/);
    });
    it('a truncated JPEG', async () => {
      const j = jpg(16, 16, 100);
      await expectDatasetError(() => parseDatasetFiles([{ name: 'x.jpg', bytes: j.subarray(0, 100) }]), 'images › x.jpg', /(is not a valid JPEG image|truncated or corrupt JPEG)/);
    });
    it('an image larger than the per-image pixel limit', async () => {
      await expectDatasetError(
        () => parseDatasetFiles([{ name: 'big.png', bytes: png(100, 100, () => 0) }], { limits: { maxImagePixels: 5000 } }),
        'images › big.png',
        /is 100×100 pixels, more than the limit of 5000 pixels per image/,
      );
    });
    it('more image data than the matrix limit', async () => {
      await expectDatasetError(
        () => parseDatasetFiles([{ name: 'a.png', bytes: png(10, 10, () => 0) }, { name: 'b.png', bytes: png(10, 10, () => 0) }], { limits: { maxMatrixBytes: 150 } }),
        'images',
        /^images: holds 2 images of 10×10×1 = 200 bytes, more than the limit of 150 bytes$/,
      );
    });
    it('a zip without images or arrays, and a folder without images', async () => {
      await expectDatasetError(() => parseDatasetFiles([{ name: 'notes.zip', bytes: zipSync({ 'a.txt': new Uint8Array(3) }) }]), 'notes.zip', /holds neither \.npy arrays nor PNG\/JPEG images/);
      mkdirSync(join(dir, 'empty'));
      await expectDatasetError(() => loadDatasetFromPath(join(dir, 'empty')), 'empty', /is a folder without PNG or JPEG images/);
    });
    it('a truncated zip', async () => {
      const zip = zipSync({ 'a/1.png': png(2, 2, () => 5) });
      await expectDatasetError(() => parseDatasetFiles([{ name: 't.zip', bytes: zip.subarray(0, zip.length - 30) }]), 't.zip', /is not a complete zip archive \(no end-of-central-directory record; truncated\?\)/);
    });
    it('a zip entry that inflates past its declared size (zip bomb)', async () => {
      const zip = zipSync({ 'a/1.png': new Uint8Array(100_000) }, { level: 9 }).slice();
      // shrink the declared uncompressed size in the central directory to 100 bytes
      const view = new DataView(zip.buffer);
      let cd = zip.length - 22;
      cd = view.getUint32(cd + 16, true);
      view.setUint32(cd + 24, 100, true);
      await expectDatasetError(() => parseDatasetFiles([{ name: 'bomb.zip', bytes: zip }]), 'bomb.zip', /entry a\/1\.png inflates to more than the 100 bytes it declares \(corrupt, or a zip bomb\)/);
    });
    it('an unknown binary file', async () => {
      await expectDatasetError(() => parseDatasetFiles([{ name: 'blob.bin', bytes: Uint8Array.from([1, 2, 3, 0, 255]) }]), 'blob.bin', /is not a supported dataset format/);
    });
  });
});
