import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsvBytes, readCsvFile, type CsvOptions } from '../../src-main/datasets/csv';
import { parseDatasetFiles } from '../../src-main/datasets/import';
import { resolveLimits } from '../../src-main/datasets/limits';
import { loadDatasetFromPath } from '../../src-main/datasets/load';
import { expectDatasetError } from './helpers';
import { tempDir } from '../helpers/temp-dir';

const dir = tempDir('csv');
let count = 0;

/** Parses the same text from disk (streamed) and from memory; both must agree. */
async function both(text: string, opts: CsvOptions = {}, ext = 'csv') {
  const path = join(dir, `f${count++}.${ext}`);
  writeFileSync(path, text);
  const fromFile = await readCsvFile(path, opts);
  const fromBytes = await parseCsvBytes(`mem.${ext}`, new TextEncoder().encode(text), opts);
  expect({ ...fromBytes, source: fromFile.source, name: fromFile.name }).toEqual(fromFile);
  return fromFile;
}

const rows = (ds: { data: ArrayLike<number>; n: number; d: number }) =>
  Array.from({ length: ds.n }, (_, i) => Array.from(ds.data).slice(i * ds.d, (i + 1) * ds.d));

describe('CSV/TSV reader', () => {
  it('reads a header and a label column found by name (label, class, target, y), string labels mapped to names', async () => {
    for (const name of ['label', 'Class', 'TARGET', 'y']) {
      const ds = await both(`a,${name},b\n1,cat,2\n3.5,dog,-4e2\n0.25,cat,6\n`);
      expect([ds.n, ds.d, ds.dtype, ds.scale]).toEqual([3, 2, 'float32', 1]);
      expect(rows(ds)).toEqual([[1, 2], [3.5, -400], [0.25, 6]]);
      expect(Array.from(ds.labels!)).toEqual([0, 1, 0]);
      expect(ds.labelNames).toEqual(['cat', 'dog']);
    }
  });

  it('prefers a column named label over one named y, whatever their order', async () => {
    const ds = await both('x,y,label\n1,2,a\n3,4,b\n');
    expect(rows(ds)).toEqual([[1, 2], [3, 4]]);
    expect(ds.labelNames).toEqual(['a', 'b']);
  });

  it('reads integer labels in numeric order', async () => {
    const ds = await both('x,y\n1,10\n2,9\n3,10\n4,2\n');
    expect(ds.labelNames).toEqual(['2', '9', '10']);
    expect(Array.from(ds.labels!)).toEqual([2, 1, 2, 0]);
    expect(rows(ds)).toEqual([[1], [2], [3], [4]]);
  });

  it('reads a file without header and without labels', async () => {
    const ds = await both('1,2,3\n4,5,6\n');
    expect([ds.n, ds.d, ds.labels]).toEqual([2, 3, undefined]);
    expect(rows(ds)).toEqual([[1, 2, 3], [4, 5, 6]]);
  });

  it('takes a non-numeric last (or first) column of a header-less file as labels (iris.data style)', async () => {
    const ds = await both('5.1,3.5,setosa\n4.9,3.0,versicolor\n6.0,2.0,setosa\n');
    expect(rows(ds).map((r) => r.map((v) => Number(v.toFixed(4))))).toEqual([[5.1, 3.5], [4.9, 3], [6, 2]]);
    expect(ds.labelNames).toEqual(['setosa', 'versicolor']);
    const first = await both('a,1,2\nb,3,4\n');
    expect(first.labelNames).toEqual(['a', 'b']);
    expect(rows(first)).toEqual([[1, 2], [3, 4]]);
  });

  it("leaves out pandas' row index (a first column with no name) and takes a text column under a header as labels", async () => {
    // pd.DataFrame(...).to_csv(path): an unnamed integer index first
    const ds = await both(',a,b,target\n0,1.5,2,0\n1,3,4,1\n2,5,6.5,1\n');
    expect([ds.n, ds.d]).toEqual([3, 2]);
    expect(rows(ds)).toEqual([[1.5, 2], [3, 4], [5, 6.5]]);
    expect(Array.from(ds.labels!)).toEqual([0, 1, 1]);
    expect(ds.csv).toMatchObject({ labelColumn: 3, indexColumn: 0, width: 4 });
    expect(ds.columnNames).toEqual(['a', 'b']);
    // as pandas reads such a file back and writes it again: "Unnamed: 0"
    expect((await both('Unnamed: 0,a\n0,1\n1,2\n')).d).toBe(1);
    // a first column with no name that is not an integer index stays a feature
    expect((await both(',a\n0.5,1\n1.5,2\n')).d).toBe(2);
    // iris with names: the species column is text, last, under a header that does not call it "label"
    const iris = await both('sepal_length,sepal_width,species\n5.1,3.5,setosa\n7.0,3.2,versicolor\n');
    expect([iris.d, iris.labelNames]).toEqual([2, ['setosa', 'versicolor']]);
  });

  it('detects tab and semicolon delimiters, .tsv, quotes, CRLF, a BOM and blank lines', async () => {
    expect(rows(await both('a\tb\n1\t2\n', {}, 'tsv'))).toEqual([[1, 2]]);
    expect(rows(await both('a\tb\n1\t2\n3\t4\n', {}, 'txt'))).toEqual([[1, 2], [3, 4]]);
    expect(rows(await both('a;b\n1;2\n'))).toEqual([[1, 2]]);
    const ds = await both('\ufeff"f 1","label"\r\n"1.5",\"x, y\"\r\n\r\n2,z\r\n');
    expect(rows(ds)).toEqual([[1.5], [2]]);
    expect(ds.labelNames).toEqual(['x, y', 'z']);
  });

  it('takes the label column given by name, by 1-based number, or none', async () => {
    const text = 'a,b,c\n1,2,3\n4,5,6\n';
    const byName = await both(text, { labelColumn: 'B' });
    expect(rows(byName)).toEqual([[1, 3], [4, 6]]);
    expect(byName.labelNames).toEqual(['2', '5']);
    expect(rows(await both('1,2,3\n4,5,6\n', { labelColumn: '1' }))).toEqual([[2, 3], [5, 6]]);
    const none = await both('x,label\n1,2\n', { labelColumn: 'none' });
    expect([none.d, none.labels]).toEqual([2, undefined]);
  });

  it('reads a header whose names are numbers when told to', async () => {
    const ds = await both('0,1\n5,6\n', { header: true });
    expect(rows(ds)).toEqual([[5, 6]]);
  });

  it('streams a file larger than one chunk', async () => {
    const lines = ['f1,f2,f3,label'];
    for (let i = 0; i < 120000; i++) lines.push(`${i},${i * 0.5},${-i},${i % 7}`);
    const text = `${lines.join('\n')}\n`;
    expect(text.length).toBeGreaterThan(2 << 20);
    const fractions: number[] = [];
    const ds = await both(text, { onProgress: (f) => fractions.push(f) });
    expect([ds.n, ds.d]).toEqual([120000, 3]);
    expect(rows({ ...ds, n: 1 })).toEqual([[0, 0, 0]]);
    expect(Array.from(ds.data.subarray(119999 * 3))).toEqual([119999, 59999.5, -119999]);
    expect(ds.labelNames).toEqual(['0', '1', '2', '3', '4', '5', '6']);
    expect(fractions.at(-1)).toBe(1);
  });

  it('is found by loadDatasetFromPath and parseDatasetFiles', async () => {
    const path = join(dir, 'blobs.csv');
    writeFileSync(path, 'u,v,label\n1,2,a\n3,4,b\n');
    const ds = await loadDatasetFromPath(path);
    expect([ds.name, ds.n, ds.d, ds.labelNames]).toEqual(['blobs', 2, 2, ['a', 'b']]);
    const dropped = await parseDatasetFiles([{ name: 'blobs.csv', bytes: new TextEncoder().encode('u,v,label\n1,2,a\n3,4,b\n') }]);
    expect(Array.from(dropped.data)).toEqual(Array.from(ds.data));
  });

  describe('errors name the file, line and column', () => {
    const cases: [string, string, RegExp, CsvOptions?][] = [
      ['ragged row', 'a,b\n1,2\n3\n', /^bad\.csv: line 3 has 1 column, expected 2 like line 1$/],
      ['too many columns', '1,2\n3,4,5\n', /^bad\.csv: line 2 has 3 columns, expected 2 like line 1$/],
      ['non-numeric cell', 'a,b\n1,2\n3,abc\n', /^bad\.csv: line 3, column 2 \(b\): "abc" is not a number$/],
      [
        'a column of names besides the label',
        'name,x,y\np0,1,0\np1,2,1\n',
        /^bad\.csv: line 2, column 1 \(name\): "p0" is not a number\. Every column but the label column must hold numbers \(the label column is 3, y\): remove column 1 \(name\), or choose it as the label column$/,
      ],
      ['empty cell', 'a,b\n1,\n', /^bad\.csv: line 2, column 2 \(b\): the cell is empty$/],
      ['decimal comma', 'a;b\n1,5;2\n3;4\n', /^bad\.csv: line 2, column 1 \(a\): "1,5" is not a number: decimals must be written with a point \(1\.5\), not a comma$/],
      ['NaN', 'a,b\n1,2\nNaN,2\n', /^bad\.csv: line 3, column 1 \(a\): NaN: NaN and infinite values are not allowed$/],
      ['Inf', '1,2\n-inf,2\n', /^bad\.csv: line 2, column 1: -inf: NaN and infinite values are not allowed$/],
      ['out of float32 range', '1,2\n1e39,2\n', /^bad\.csv: line 2, column 1: 1e39 is outside the float32 range$/],
      ['empty label', 'a,label\n1,x\n2,\n', /^bad\.csv: line 3, column 2 \(label\): the label is empty$/],
      ['unknown label column', 'a,b\n1,2\n', /^bad\.csv: has no column named "kind" \(columns: a, b\)$/, { labelColumn: 'kind' }],
      ['label column number out of range', '1,2\n', /^bad\.csv: label column 5 does not exist: the file has 2 columns$/, { labelColumn: '5' }],
      ['label name without header', '1,2\n', /^bad\.csv: has no header, so the label column "kind" must be given as a column number$/, { labelColumn: 'kind' }],
      ['only a label column', 'label\nx\n', /^bad\.csv: has no feature columns besides the label column$/],
      ['empty file', '', /^bad\.csv: is empty$/],
      ['header only', 'a,b\n', /^bad\.csv: has a header but no data rows$/],
      ['unclosed quote', 'a,b\n1,"2\n', /^bad\.csv: is not a table of numbers: a quote \(\"\) is opened and never closed at line 2\. Expected one row per line/],
      ['quote inside a value', 'a,b\n1,2"x"\n', /^bad\.csv: is not a table of numbers: a quote \(\"\) starts in the middle of a value at line 2\./],
      ['numbers separated by spaces', '1.5 2 3\n4 5 6\n', /^bad\.csv: has numbers separated by spaces; expected values separated by commas, semicolons or tabs/],
    ];
    for (const [what, text, message, opts] of cases) {
      it(what, async () => {
        const path = join(dir, 'bad.csv');
        writeFileSync(path, text);
        const fromFile = await expectDatasetError(() => readCsvFile(path, opts), 'bad.csv', message);
        const fromBytes = await expectDatasetError(() => parseCsvBytes('bad.csv', new TextEncoder().encode(text), opts), 'bad.csv', message);
        expect(fromBytes).toBe(fromFile);
      });
    }

    it('more rows than the matrix limit', async () => {
      const text = 'a,b\n' + '1,2\n'.repeat(2000);
      await expectDatasetError(
        () => parseCsvBytes('big.csv', new TextEncoder().encode(text), { limits: resolveLimits({ maxMatrixBytes: 8000 }) }),
        'big.csv',
        /has more than 1000 rows × 2 columns, more than the limit of 8\.0 kB of float32 values/,
      );
    });

    it('a missing file', async () => {
      await expectDatasetError(() => readCsvFile(join(dir, 'missing.csv')), 'missing.csv', /no such file or folder/);
    });
  });
});
