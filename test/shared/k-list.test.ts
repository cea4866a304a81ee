import { describe, expect, it } from 'vitest';
import { consecutiveSeeds, MAX_SWEEP_KS, parseKList } from '../../src-shared/k-list';
import { defaultRunName } from '../../src-shared/run-names';

describe('parseKList', () => {
  it('reads ranges, lists, steps and mixes, sorted and without repeats', () => {
    expect(parseKList('2-6')).toEqual({ ok: true, ks: [2, 3, 4, 5, 6] });
    expect(parseKList('2,4,8,16,32')).toEqual({ ok: true, ks: [2, 4, 8, 16, 32] });
    expect(parseKList('2-10:4')).toEqual({ ok: true, ks: [2, 6, 10] });
    expect(parseKList(' 12, 3 - 5 ,4,')).toEqual({ ok: true, ks: [3, 4, 5, 12] });
    expect(parseKList('500')).toEqual({ ok: true, ks: [500] });
  });

  it('names the bad part in plain words', () => {
    for (const [text, part] of [
      ['2-x', '"2-x"'],
      ['20-2', '"20-2"'],
      ['0-3', '"0-3"'],
      ['2-501', '"2-501"'],
      ['2-9:0', '"2-9:0"'],
      ['1.5', '"1.5"'],
    ] as const) {
      const r = parseKList(text);
      expect(r.ok, text).toBe(false);
      if (!r.ok) expect(r.message).toContain(part);
    }
    expect(parseKList(' , ').ok).toBe(false);
    expect(parseKList('2-20', 10)).toEqual({ ok: false, message: 'k must be from 1 to 10; "2-20" is outside.' });
  });

  it('caps the number of k', () => {
    expect(parseKList(`1-${MAX_SWEEP_KS}`).ok).toBe(true);
    expect(parseKList(`1-${MAX_SWEEP_KS + 1}`, 10_000).ok).toBe(false);
  });
});

describe('consecutiveSeeds', () => {
  it('counts up from the first seed and refuses to pass 2^32 − 1', () => {
    expect(consecutiveSeeds(7, 3)).toEqual([7, 8, 9]);
    expect(consecutiveSeeds(0xffffffff, 1)).toEqual([0xffffffff]);
    expect(consecutiveSeeds(0xffffffff, 2)).toBeNull();
    expect(consecutiveSeeds(0, 0)).toBeNull();
  });
});

describe('defaultRunName', () => {
  it('tells runs apart by algorithm, k, seed and silhouette mode', () => {
    const names = new Set([
      defaultRunName({ algorithm: 'kmeans', k: 10, seed: 0 }, { mode: 'sample', sampleSize: 10_000 }),
      defaultRunName({ algorithm: 'kmeans', k: 10, seed: 0 }, { mode: 'exact' }),
      defaultRunName({ algorithm: 'kmeans', k: 10, seed: 1 }, { mode: 'exact' }),
      defaultRunName({ algorithm: 'minibatch', k: 10, seed: 1 }, { mode: 'exact' }),
      defaultRunName({ algorithm: 'minibatch', k: 11, seed: 1 }, { mode: 'exact' }),
      defaultRunName({ algorithm: 'minibatch', k: 11, seed: 1 }, { mode: 'none' }),
    ]);
    expect(names.size).toBe(6);
    expect(defaultRunName({ algorithm: 'kmeans', k: 10, seed: 0 }, { mode: 'sample', sampleSize: 10_000 })).toBe(
      'K-means k=10 · seed 0 · silhouette of 10,000',
    );
  });
});
