import { describe, expect, it } from 'vitest';
import { columnsThatFit, fullRowColumns } from '../../src-renderer/lib/grid-columns';

describe('thumbnail grid columns', () => {
  it('picks a column count that fills every row', () => {
    expect(fullRowColumns(60, 18)).toBe(15); // 4 full rows, not 3 rows of 18 and one of 6
    expect(fullRowColumns(60, 13)).toBe(12);
    expect(fullRowColumns(14, 9)).toBe(7);
    expect(fullRowColumns(5, 9)).toBe(5); // one row
    expect(fullRowColumns(61, 18)).toBe(18); // prime: no divisor near the width, keep it full width
    expect(fullRowColumns(0, 5)).toBe(1);
    for (let count = 1; count <= 120; count++)
      for (let max = 1; max <= 30; max++) {
        const c = fullRowColumns(count, max);
        expect(c).toBeLessThanOrEqual(Math.max(max, 1));
        if (c !== max && count > max) expect(count % c).toBe(0);
      }
  });

  it('counts the tiles that fit a width', () => {
    expect(columnsThatFit(1000, 52, 8)).toBe(16);
    expect(columnsThatFit(10, 52, 8)).toBe(1);
  });
});
