import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src-shared/model';
import { DatasetError } from '../../src-main/datasets/errors';
import { encodeIdx } from '../../src-main/datasets/idx';
import { parseDatasetFiles, type InputFile } from '../../src-main/datasets/import';
import { parseLabelValues } from '../../src-main/datasets/labels-file';
import { encodeNpy } from '../../src-main/datasets/npy';
import { Rng } from '../../src-main/engine/rng';

/**
 * Mutates valid files of every format (truncate, flip bytes, overwrite header numbers, insert and
 * delete bytes) and checks that every attempt either imports a consistent dataset or throws a
 * DatasetError: never another exception, never a hang, never an allocation past the limits.
 */

const FIXTURES = resolve(__dirname, '../fixtures/numpy');
const LIMITS = { maxMatrixBytes: 64 << 20, maxDecompressedBytes: 64 << 20, maxArchiveBytes: 64 << 20, maxImagePixels: 1 << 20 };

function pngBytes(w: number, h: number, seed: number): Uint8Array {
  const img = new PNG({ width: w, height: h });
  for (let i = 0; i < img.data.length; i++) img.data[i] = (i * seed) % 251;
  return PNG.sync.write(img);
}

const images = new Uint8Array(40 * 7 * 5).map((_, i) => (i * 37) % 256);
const labels = new Uint8Array(40).map((_, i) => i % 4);
const csvText = `a,b,c,label\n${Array.from({ length: 30 }, (_, i) => `${i},${i * 0.25},-${i}e-3,${['x', 'y', 'z'][i % 3]}`).join('\n')}\n`;

/** Valid inputs of every format, each a list of dropped files. */
const VALID: [string, InputFile[]][] = [
  ['IDX pair', [
    { name: 'f-images-idx3-ubyte', bytes: encodeIdx({ type: 'uint8', shape: [40, 7, 5], data: images }) },
    { name: 'f-labels-idx1-ubyte', bytes: encodeIdx({ type: 'uint8', shape: [40], data: labels }) },
  ]],
  ['IDX gz float32', [{ name: 'g-images-idx3-ubyte.gz', bytes: gzipSync(encodeIdx({ type: 'float32', shape: [20, 6], data: Float32Array.from({ length: 120 }, (_, i) => i / 7) })) }]],
  ['IDX int16', [{ name: 'h.idx', bytes: encodeIdx({ type: 'int16', shape: [10, 3], data: Int16Array.from({ length: 30 }, (_, i) => i * 100 - 1500) }) }]],
  ['npy C + labels', [
    { name: 'X.npy', bytes: encodeNpy({ type: 'float64', shape: [12, 4], data: Float64Array.from({ length: 48 }, (_, i) => Math.sin(i)) }) },
    { name: 'y.npy', bytes: encodeNpy({ type: 'int64', shape: [12], data: BigInt64Array.from({ length: 12 }, (_, i) => BigInt(i % 3)) }) },
  ]],
  ['npy Fortran', [{ name: 'f.npy', bytes: encodeNpy({ type: 'int32', shape: [6, 5], data: Int32Array.from({ length: 30 }, (_, i) => i) }, { fortranOrder: true }) }]],
  ['npz (numpy, compressed)', [{ name: 'd.npz', bytes: readFileSync(resolve(FIXTURES, 'data_labels_compressed.npz')) }]],
  ['npz (numpy, stored)', [{ name: 'xy.npz', bytes: readFileSync(resolve(FIXTURES, 'xy.npz')) }]],
  ['CSV', [{ name: 't.csv', bytes: new TextEncoder().encode(csvText) }]],
  ['PNG files', [{ name: 'p/a/1.png', bytes: pngBytes(6, 5, 3) }, { name: 'p/b/2.png', bytes: pngBytes(6, 5, 7) }]],
  ['zip of PNG and JPEG', [{
    name: 'imgs.zip',
    bytes: zipSync({
      'q/a/1.png': pngBytes(8, 8, 5),
      'q/b/2.jpg': jpeg.encode({ data: new Uint8Array(256).map((_, i) => (i * 13) % 256), width: 8, height: 8 }, 90).data,
    }),
  }]],
];

type Mutation = (b: Uint8Array, rng: Rng) => Uint8Array;

const MUTATIONS: [string, Mutation][] = [
  ['truncate', (b, rng) => b.slice(0, rng.nextInt(b.length))],
  ['flip bytes', (b, rng) => {
    const out = b.slice();
    const flips = 1 + rng.nextInt(4);
    for (let i = 0; i < flips; i++) out[rng.nextInt(out.length)] ^= 1 + rng.nextInt(255);
    return out;
  }],
  ['header number', (b, rng) => {
    // overwrite a 1-, 2- or 4-byte number in the first 128 bytes (magic, dims, npy header, zip headers)
    // or in the last 64 (zip central directory) with an extreme or random value
    const out = b.slice();
    const width = [1, 2, 4][rng.nextInt(3)];
    const head = rng.nextInt(2) === 0;
    const span = Math.min(head ? 128 : 64, out.length);
    const at = head ? rng.nextInt(span) : out.length - 1 - rng.nextInt(span);
    const values = [0, 0xff, 0x7f, 0x80, rng.nextInt(256)];
    for (let k = 0; k < width && at + k < out.length; k++) out[at + k] = values[rng.nextInt(values.length)];
    return out;
  }],
  ['digit in text', (b, rng) => {
    // change a digit (npy shape, CSV values): 0-9 → another digit or a letter
    const out = b.slice();
    const digits: number[] = [];
    for (let i = 0; i < Math.min(out.length, 512); i++) if (out[i] >= 0x30 && out[i] <= 0x39) digits.push(i);
    if (digits.length === 0) return out;
    out[digits[rng.nextInt(digits.length)]] = '0123456789Z-.'.charCodeAt(rng.nextInt(13));
    return out;
  }],
  ['insert or delete', (b, rng) => {
    const at = rng.nextInt(b.length);
    const n = 1 + rng.nextInt(8);
    if (rng.nextInt(2) === 0) return new Uint8Array([...b.subarray(0, at), ...b.subarray(at + n)]);
    return new Uint8Array([...b.subarray(0, at), ...new Uint8Array(n).map(() => rng.nextInt(256)), ...b.subarray(at)]);
  }],
];

function checkConsistent(ds: Dataset): void {
  expect(Number.isInteger(ds.n) && ds.n > 0).toBe(true);
  expect(Number.isInteger(ds.d) && ds.d > 0).toBe(true);
  expect(ds.data.length).toBe(ds.n * ds.d);
  expect(ds.data instanceof Uint8Array ? ds.dtype : 'float32').toBe(ds.dtype);
  if (ds.dtype === 'float32') for (const v of ds.data) expect(Number.isFinite(v)).toBe(true);
  if (ds.imageShape) expect(ds.imageShape[0] * ds.imageShape[1] * ds.imageShape[2]).toBe(ds.d);
  if (ds.labels) {
    expect(ds.labels.length).toBe(ds.n);
    for (const l of ds.labels) expect(l >= 0 && l < ds.labelNames!.length).toBe(true);
  }
}

describe('fuzz: mutated files import or fail with DatasetError', () => {
  it('the unmutated inputs import', async () => {
    for (const [what, files] of VALID) checkConsistent(await parseDatasetFiles(files, { limits: LIMITS }).catch((e) => { throw new Error(`${what}: ${e.message}`); }));
  });

  // FUZZ_ATTEMPTS and FUZZ_SEED run a longer campaign by hand; the suite runs 600 with a fixed seed.
  const ATTEMPTS = Number(process.env.FUZZ_ATTEMPTS ?? 600);
  it(`${ATTEMPTS} mutations`, async () => {
    const rng = new Rng(Number(process.env.FUZZ_SEED ?? 20261126));
    const outcomes = { imported: 0, refused: 0 };
    const messages = new Set<string>();
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const [what, files] = VALID[attempt % VALID.length];
      const [how, mutate] = MUTATIONS[rng.nextInt(MUTATIONS.length)];
      const target = rng.nextInt(files.length);
      const mutated = files.map((f, i) => (i === target ? { name: f.name, bytes: mutate(f.bytes, rng) } : f));
      const label = `attempt ${attempt}: ${what}, ${how} of ${files[target].name}`;
      const t = performance.now();
      try {
        checkConsistent(await parseDatasetFiles(mutated, { limits: LIMITS }));
        outcomes.imported++;
      } catch (e) {
        if (!(e instanceof DatasetError)) throw new Error(`${label}: ${(e as Error)?.name}: ${(e as Error)?.message}\n${(e as Error)?.stack}`);
        expect(e.message.length, label).toBeGreaterThan(10);
        messages.add(e.problem.replace(/\d+/g, 'N').slice(0, 60));
        outcomes.refused++;
      }
      expect(performance.now() - t, label).toBeLessThan(5000);
    }
    if (process.env.FUZZ_VERBOSE) console.log(outcomes, [...messages].sort().join("\n"));
    expect(outcomes.imported + outcomes.refused).toBe(ATTEMPTS);
    expect(outcomes.refused).toBeGreaterThan(ATTEMPTS / 6); // the mutations do break files
    expect(messages.size).toBeGreaterThan(15); // and many different checks catch them
  });

  it('mutated labels files parse or fail with DatasetError', () => {
    const rng = new Rng(5);
    const inputs = [
      encodeNpy({ type: 'int64', shape: [9], data: BigInt64Array.from({ length: 9 }, (_, i) => BigInt(i)) }),
      new TextEncoder().encode('0\n1\n2\n1\n'),
      encodeIdx({ type: 'uint8', shape: [5], data: new Uint8Array(5) }),
    ];
    for (let attempt = 0; attempt < 150; attempt++) {
      const [, mutate] = MUTATIONS[rng.nextInt(MUTATIONS.length)];
      const bytes = mutate(inputs[attempt % inputs.length], rng);
      try {
        const out = parseLabelValues('labels', bytes);
        expect(out).toBeInstanceOf(Int32Array);
      } catch (e) {
        if (!(e instanceof DatasetError)) throw new Error(`labels attempt ${attempt}: ${(e as Error)?.name}: ${(e as Error)?.message}`);
      }
    }
  });
});
