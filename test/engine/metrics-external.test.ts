/**
 * External metrics against scikit-learn 1.2 on its edge cases, on 5,000 random labels and on all 70,000 MNIST
 * labels (where the expected mutual information sums large log-factorials), and the matched-accuracy mapping.
 */
import { describe, expect, it } from 'vitest';
import { contingencyMatrix, entropy, expectedMutualInfo, matchedAccuracy, purity } from '../../src-main/engine/metrics';
import { checkExternal, mnistLabels70k, readReference, type ExternalRef } from '../helpers/metrics-data';

interface ExternalFile {
  edges: (ExternalRef & { name: string; labelsTrue: number[]; labelsPred: number[] })[];
  mnist70k: ExternalRef;
  random5000: ExternalRef & { labelsTrue: number[]; labelsPred: number[] };
}

const ref = readReference<ExternalFile>('metrics-external.json');

describe('external metrics against scikit-learn', () => {
  for (const c of ref.edges) {
    it(`edge case "${c.name}"`, () => {
      checkExternal(Int32Array.from(c.labelsTrue), Int32Array.from(c.labelsPred), c, c.name);
    });
  }

  it('5,000 random labels (10 classes, 12 clusters)', () => {
    checkExternal(Int32Array.from(ref.random5000.labelsTrue), Int32Array.from(ref.random5000.labelsPred), ref.random5000, 'random5000');
  });

  it('all 70,000 MNIST labels against a 13-cluster labeling', () => {
    const y = mnistLabels70k();
    const pred = y.map((v, i) => (i % 10 < 7 ? v : (i * 31) % 13));
    checkExternal(y, pred, ref.mnist70k, 'mnist70k');
  });
});

describe('entropy and expected mutual information', () => {
  it('entropy of a single class is 0, of two equal classes log 2', () => {
    expect(entropy(Int32Array.from([4, 4, 4]))).toBe(0);
    expect(entropy(Int32Array.from([1, 2, 1, 2]))).toBeCloseTo(Math.LN2, 15);
  });

  it('EMI of tiny tables equals the hypergeometric expectation computed by enumeration', () => {
    // n = 4, rows (2, 2), cols (2, 2): n11 ∈ {0, 1, 2} with probabilities 1/6, 4/6, 1/6.
    const mi = (n11: number): number => {
      const t = [n11, 2 - n11, 2 - n11, n11];
      return t.reduce((s, v) => (v > 0 ? s + (v / 4) * Math.log((4 * v) / 4) : s), 0);
    };
    const expected = (1 / 6) * mi(0) + (4 / 6) * mi(1) + (1 / 6) * mi(2);
    expect(expectedMutualInfo(Float64Array.from([2, 2]), Float64Array.from([2, 2]), 4)).toBeCloseTo(expected, 14);
  });
});

describe('matched accuracy mapping and purity', () => {
  it('maps each cluster value to its class value, -1 when unmatched', () => {
    const yTrue = Int32Array.from([0, 0, 0, 1, 1, 1, 2, 2]);
    const pred = Int32Array.from([2, 2, 0, 0, 0, 4, 4, 4]);
    const { accuracy, mapping } = matchedAccuracy(yTrue, pred);
    // best: 2 → 0 (2 hits), 0 → 1 (2 hits), 4 → 2 (2 hits) = 6 of 8
    expect(accuracy).toBe(6 / 8);
    expect(Array.from(mapping)).toEqual([1, -1, 0, -1, 2]);
  });

  it('leaves surplus clusters unmatched and counts only matched samples', () => {
    const yTrue = Int32Array.from([0, 0, 1, 1, 1, 1]);
    const pred = Int32Array.from([0, 1, 2, 2, 2, 3]);
    const { accuracy, mapping } = matchedAccuracy(yTrue, pred);
    expect(accuracy).toBe(4 / 6);
    expect(mapping[2]).toBe(1);
    expect(Array.from(mapping).filter((v) => v === -1)).toHaveLength(2);
    // purity lets every cluster take its majority class: all 6 samples
    expect(purity(yTrue, pred)).toBe(1);
  });

  it('rejects labelings of different lengths', () => {
    expect(() => contingencyMatrix(Int32Array.from([1, 2]), Int32Array.from([1]))).toThrow(RangeError);
  });
});
