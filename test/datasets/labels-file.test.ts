import { describe, expect, it } from 'vitest';
import { DatasetError } from '../../src-main/datasets/errors';
import { parseLabelValues } from '../../src-main/datasets/labels-file';
import { encodeNpy } from '../../src-main/datasets/npy';
import { labelsCsv } from '../../src-renderer/lib/export';

const text = (s: string) => new TextEncoder().encode(s);
const parse = (name: string, bytes: Uint8Array) => Array.from(parseLabelValues(name, bytes));

function expectRefused(name: string, bytes: Uint8Array, message: RegExp): void {
  let err: unknown;
  try {
    parseLabelValues(name, bytes);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(DatasetError);
  expect((err as Error).message).toMatch(message);
}

describe('labels files (score --labels, labels dropped on a dataset)', () => {
  it("reads the app's own Labels CSV export (row,cluster)", () => {
    expect(parse('labels.csv', text(labelsCsv(Int32Array.from([2, 0, 1, 1]))))).toEqual([2, 0, 1, 1]);
  });

  it('reads one integer per line, with or without a trailing newline, CRLF and blank lines', () => {
    expect(parse('l.txt', text('3\n-1\n0'))).toEqual([3, -1, 0]);
    expect(parse('l.txt', text('3\r\n\r\n4\r\n'))).toEqual([3, 4]);
  });

  it('reads CSV/TSV columns named cluster, label, prediction (Spark), pandas index columns, and "3.0" integers', () => {
    expect(parse('spark.csv', text('x,y_true,prediction\n0.5,3,1\n0.1,3,0\n'))).toEqual([1, 0]);
    expect(parse('pandas.csv', text(',cluster\n0,4\n1,2\n'))).toEqual([4, 2]);
    expect(parse('p.tsv', text('id\tlabel\n7\t1\n8\t0\n'))).toEqual([1, 0]);
    expect(parse('one.csv', text('assignment\n5\n6\n'))).toEqual([5, 6]);
    expect(parse('f.csv', text('label\n1.0\n2.00\n'))).toEqual([1, 2]);
    // the labeling column wins over a true-label column
    expect(parse('both.csv', text('y,cluster\n9,1\n9,2\n'))).toEqual([1, 2]);
  });

  it('reads .npy labels of any integer type, (n,) or (n, 1), e.g. FAISS int64', () => {
    const i64 = encodeNpy({ type: 'int64', shape: [3], data: BigInt64Array.from([2n, 0n, 1n]) });
    expect(parse('I.npy', i64)).toEqual([2, 0, 1]);
    expect(parse('c.npy', encodeNpy({ type: 'int32', shape: [2, 1], data: Int32Array.from([1, 1]) }))).toEqual([1, 1]);
  });

  it('refuses bad files with one message naming the problem', () => {
    expectRefused('two.csv', text('0,1\n1,0\n'), /^two\.csv: has 2 columns and no header; name the labels column/);
    expectRefused('bad.csv', text('a,b\n1,2\n'), /has no labels column: its header \(a, b\) names none of cluster, label/);
    expectRefused('spark.csv', text('f,prediction\n1,0\n2,x\n'), /^spark\.csv: line 3: "x" in column "prediction" is not an integer label$/);
    expectRefused('r.csv', text('f,cluster\n1,0\n2\n'), /line 3 has 1 columns, expected 2 like line 1/);
    expectRefused('t.txt', text('1\n2.5\n'), /line 2: "2\.5" is not an integer label; expected one integer per line/);
    expectRefused('w.txt', text('hello\nworld\n'), /line 1: "hello" is not an integer label/);
    expectRefused('e.txt', text('\n\n'), /holds no labels/);
    expectRefused('h.csv', text('cluster\n'), /holds no labels/);
    expectRefused('f.npy', encodeNpy({ type: 'float64', shape: [2], data: Float64Array.from([0, 0.5]) }), /label 0\.5 at position 2 is not a 32-bit integer/);
    expectRefused('m.npy', encodeNpy({ type: 'int32', shape: [2, 2], data: new Int32Array(4) }), /must be a 1-D array/);
  });
});
