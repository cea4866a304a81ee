import { describe, expect, it } from 'vitest';
import { parseKList } from '../../src-main/cli/bench/by-k';
import { UsageError } from '../../src-main/cli/common';

describe('bench --k', () => {
  it('reads a comma-separated list of cluster counts, each once, in order', () => {
    expect(parseKList('10,100,500')).toEqual([10, 100, 500]);
    expect(parseKList(' 500 , 10,500')).toEqual([500, 10]);
  });

  it.each(['', '10,', '1', '2.5', 'ten', '10001', '100,-3'])('rejects %j with a usage error naming --k', (text) => {
    expect(() => parseKList(text)).toThrow(UsageError);
    expect(() => parseKList(text)).toThrow(/--k/);
  });
});
