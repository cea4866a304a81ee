/**
 * The seeded PRNG reproduces numpy's legacy RandomState(seed) (MT19937), checked against numpy's own draws
 * (test/reference/rng.json, written by scripts/reference/rng_reference.py), plus the properties the engine relies on.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src-main/engine/rng';
import { readReference } from '../helpers/metrics-data';

interface RngCase {
  seed: number;
  uint32: number[];
  randomSample: number[];
  uniform: number[];
  randintScalar: Record<string, number[]>;
  randint: Record<string, number[]>;
  permutation: Record<string, number[]>;
  choice: Record<string, number[]>;
  mixed: [number, number[], number[], number[], number[], number];
}
const ref = readReference<{ cases: RngCase[] }>('rng.json');

describe('Rng = numpy RandomState', () => {
  it('has five seeds of reference draws', () => {
    expect(ref.cases.map((c) => c.seed)).toEqual([0, 1, 42, 12345, 4294967295]);
  });

  describe.each(ref.cases.map((c) => [c.seed, c] as const))('seed %i', (seed, c) => {
    it('MT19937 outputs (next_uint32), across two state regenerations', () => {
      const rng = new Rng(seed);
      expect(Array.from({ length: c.uint32.length }, () => rng.nextUint32())).toEqual(c.uint32);
    });

    it('random_sample() and uniform(size)', () => {
      const a = new Rng(seed);
      expect(Array.from({ length: c.randomSample.length }, () => a.nextFloat())).toEqual(c.randomSample);
      expect(Array.from(new Rng(seed).uniform(c.uniform.length))).toEqual(c.uniform);
    });

    it('randint(n) one at a time and randint(0, n, size)', () => {
      for (const [n, vals] of Object.entries(c.randintScalar)) {
        const rng = new Rng(seed);
        expect(vals.map(() => rng.nextInt(Number(n)))).toEqual(vals);
      }
      for (const [n, vals] of Object.entries(c.randint)) {
        expect(Array.from(new Rng(seed).randInts(Number(n), vals.length))).toEqual(vals);
      }
    });

    it('permutation(n) and choice(n, size, replace=False)', () => {
      for (const [n, vals] of Object.entries(c.permutation)) {
        expect(Array.from(new Rng(seed).permutation(Number(n)))).toEqual(vals);
      }
      for (const [key, vals] of Object.entries(c.choice)) {
        const [n, k] = key.split(',').map(Number);
        expect(Array.from(new Rng(seed).sampleWithoutReplacement(n, k))).toEqual(vals);
      }
    });

    it('the calls interleaved on one generator continue one stream', () => {
      const r = new Rng(seed);
      const got = [
        r.nextInt(300),
        Array.from(r.uniform(4)),
        Array.from(r.randInts(1000, 6)),
        Array.from(r.permutation(9)),
        Array.from(r.sampleWithoutReplacement(50, 4)),
        r.nextFloat(),
      ];
      expect(got).toEqual(c.mixed);
    });
  });
});

describe('Rng properties', () => {
  it('gives the same stream for the same seed and different streams for different seeds', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const c = new Rng(8);
    const sa = Array.from({ length: 50 }, () => a.nextFloat());
    expect(Array.from({ length: 50 }, () => b.nextFloat())).toEqual(sa);
    expect(Array.from({ length: 50 }, () => c.nextFloat())).not.toEqual(sa);
  });

  it('draws floats in [0, 1) and unbiased integers in [0, n)', () => {
    const rng = new Rng(3);
    const n = 7;
    const counts = new Array<number>(n).fill(0);
    const draws = 70000;
    for (let i = 0; i < draws; i++) {
      const f = rng.nextFloat();
      expect(f >= 0 && f < 1).toBe(true);
      counts[rng.nextInt(n)]++;
    }
    const expected = draws / n;
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(22.5); // p ≈ 0.001 for 6 degrees of freedom
    expect(() => rng.nextInt(0)).toThrow(RangeError);
    expect(() => rng.nextInt(2 ** 32 + 1)).toThrow(RangeError);
  });

  it('rejects seeds outside [0, 2^32 − 1] as numpy does', () => {
    expect(() => new Rng(-1)).toThrow(RangeError);
    expect(() => new Rng(2 ** 32)).toThrow(RangeError);
    expect(() => new Rng(1.5)).toThrow(RangeError);
  });

  it('samples distinct indices without replacement', () => {
    const rng = new Rng(5);
    for (const [n, k] of [[10, 10], [1000, 17], [5, 0]]) {
      const s = rng.sampleWithoutReplacement(n, k);
      expect(s).toHaveLength(k);
      expect(new Set(s).size).toBe(k);
      expect(Array.from(s).every((v) => v >= 0 && v < n)).toBe(true);
    }
    expect(() => rng.sampleWithoutReplacement(3, 4)).toThrow(RangeError);
  });
});
