import { describe, expect, it } from 'vitest';
import { extraLines, parseSweep, type SweepRow } from '../../src-main/cli/bench/by-k-sweep';
import { UsageError } from '../../src-main/cli/common';

describe('bench --k --sweep', () => {
  it('reads the workbench sweep syntax: ranges with a step, lists', () => {
    expect(parseSweep('2-20:6', 1000)).toEqual([2, 8, 14, 20]);
    expect(parseSweep('5, 2-4', 1000)).toEqual([2, 3, 4, 5]);
    expect(parseSweep('2-100', 1000)).toHaveLength(99);
  });

  it.each([
    ['', 1000],
    ['1-10', 1000],
    ['10-2', 1000],
    ['2-501', 1000],
    ['2-50', 50],
    ['two', 1000],
  ])('rejects %j (n = %i) with a usage error naming --sweep', (text, n) => {
    expect(() => parseSweep(text, n)).toThrow(UsageError);
    expect(() => parseSweep(text, n)).toThrow(/--sweep/);
  });

  it('prints the sweep ratio, and names the ks whose answer differs', () => {
    const row: SweepRow = {
      ks: [2, 3], seed: 0,
      ours: { seconds: 2, inertia: [10, 5], nIter: [4, 7] },
      sklearn: { seconds: 16, inertia: [10, 5], n_iter: [4, 8] },
    };
    const text = extraLines(null, row).join('\n');
    expect(text).toContain('| 2.000 | 16.0 | 8.0× | NO at k = 3 |');
    expect(text).toContain('exact_lloyd.py --only mnist --ks 3 ');
    const same = extraLines(null, { ...row, sklearn: { seconds: 16, inertia: [10, 5], n_iter: [4, 7] } }).join('\n');
    expect(same).toContain('| 2.000 | 16.0 | 8.0× | yes |');
    expect(same).not.toContain('exact_lloyd');
  });
});
