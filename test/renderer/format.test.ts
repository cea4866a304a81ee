import { describe, expect, it } from 'vitest';
import { fmt, fmtCompact, fmtFull, fmtMetric, fmtNumber } from '../../src-renderer/lib/format';

describe('one number format per place', () => {
  it('scores show 3 decimals on cards and in tables alike', () => {
    for (const key of ['silhouette', 'ari', 'nmi', 'daviesBouldin']) {
      expect(fmtMetric(key, 0.0675139366577608, 'card')).toBe('0.068');
      expect(fmtMetric(key, 0.0675139366577608, 'table')).toBe('0.068');
    }
    expect(fmtMetric('silhouette', -0.41234)).toBe(fmt(-0.41234));
  });
  it('magnitudes: compact on metric cards, full precision in tables', () => {
    expect(fmtMetric('inertia', 2787276.6, 'card')).toBe('2.787M');
    expect(fmtMetric('inertia', 2787276.6, 'table')).toBe('2,787,277');
    expect(fmtMetric('inertia', 2652.71, 'table')).toBe('2,652.7');
    // one column reads evenly: the same decimals for values of one magnitude
    expect(fmtMetric('inertia', 2616, 'table')).toBe('2,616.0');
    expect(fmtMetric('inertia', 1560.98, 'table')).toBe('1,561.0');
    expect(fmtMetric('inertia', 93.1851, 'table')).toBe('93.185');
    expect(fmtMetric('inertia', 50.5, 'table')).toBe('50.500');
    expect(fmtMetric('calinskiHarabasz', 2652.71, 'card')).toBe(fmtCompact(2652.71));
    expect(fmtMetric('calinskiHarabasz', 2652.71)).toBe(fmtFull(2652.71));
    // a card keeps to a few characters
    for (const v of [2787276.6, 25412.71, 131.4517, 0.0123, 2.5e9]) expect(fmtMetric('inertia', v, 'card').length).toBeLessThanOrEqual(6);
  });
  it('fit seconds and other numbers: significant digits, integers stay integers', () => {
    expect(fmtMetric('fitSeconds', 0.01234)).toBe('0.0123');
    expect(fmtNumber(7)).toBe('7');
    expect(fmtNumber(2616)).toBe('2,616');
    expect(fmtNumber(0.0675139366577608)).toBe('0.06751');
  });
  it('missing values are an em dash everywhere', () => {
    for (const place of ['card', 'table'] as const) for (const key of ['inertia', 'silhouette', 'fitSeconds']) {
      expect(fmtMetric(key, null, place)).toBe('—');
      expect(fmtMetric(key, Number.NaN, place)).toBe('—');
    }
  });
});
