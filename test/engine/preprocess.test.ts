/**
 * Per-run preprocessing against scikit-learn 1.2's StandardScaler and MinMaxScaler
 * (test/reference/preprocess.json, from scripts/reference/preprocess_reference.py).
 */
import { describe, expect, it } from 'vitest';
import { toFeatureUnits, type DataMatrix } from '../../src-shared/model';
import { defaultPreprocessing } from '../../src-shared/defaults';
import { fitTransform, preprocess } from '../../src-main/engine/preprocess';
import { expectClose, readReference } from '../helpers/metrics-data';

interface Ref {
  float: { n: number; d: number; X: number[]; scale: number[]; scaleOffset: number[]; scaleFactor: number[]; standardize: number[]; mean: number[]; std: number[] };
  uint8: { n: number; d: number; X: number[]; none: number[]; scale: number[]; standardize: number[]; mean: number[]; std: number[] };
}

const ref = readReference<Ref>('preprocess.json');
const floatX: DataMatrix = { n: ref.float.n, d: ref.float.d, data: Float32Array.from(ref.float.X), scale: 1 };
const uint8X: DataMatrix = { n: ref.uint8.n, d: ref.uint8.d, data: Uint8Array.from(ref.uint8.X), scale: 1 / 255 };

/** Values of a matrix in its feature units (raw × scale). */
const values = (m: DataMatrix): number[] => Array.from(m.data, (v) => v * m.scale);

function expectAllClose(actual: ArrayLike<number>, expected: number[], what: string, tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expectClose(actual[i]!, expected[i]!, `${what}[${i}]`, tol);
}

describe('preprocess vs scikit-learn', () => {
  it("'standardize' on float data is StandardScaler (constant feature → 0)", () => {
    const { matrix, transform } = preprocess(floatX, 'standardize');
    expect(matrix.data).toBeInstanceOf(Float32Array);
    expect(matrix.scale).toBe(1);
    // float32 output: ~1e-7 relative to the values' magnitude
    expectAllClose(values(matrix), ref.float.standardize, 'z', 1e-6);
    expectAllClose(transform!.offset, ref.float.mean, 'mean', 1e-12);
    expectAllClose(transform!.factor.map((f) => 1 / f), ref.float.std, 'std', 1e-9);
    for (let i = 0; i < matrix.n; i++) expect(matrix.data[i * matrix.d + 2]).toBe(0);
  });

  it("'scale' on float data is MinMaxScaler to [0, 1]", () => {
    const { matrix, transform } = preprocess(floatX, 'scale');
    expectAllClose(values(matrix), ref.float.scale, 'minmax', 1e-6);
    expectAllClose(transform!.offset, ref.float.scaleOffset, 'min', 1e-12);
    expectAllClose(transform!.factor, ref.float.scaleFactor, 'factor', 1e-9);
  });

  it("'none' on float data is the data itself", () => {
    expect(preprocess(floatX, 'none')).toEqual({ matrix: floatX, transform: null });
  });

  it("uint8: 'scale' keeps the dataset's 1/255, 'none' gives raw pixels without a copy, 'standardize' z-scores X / 255", () => {
    const scaled = preprocess(uint8X, 'scale');
    expect(scaled.matrix).toBe(uint8X);
    expect(scaled.transform).toBeNull();
    expectAllClose(values(scaled.matrix), ref.uint8.scale, 'scale', 1e-12);

    const raw = preprocess(uint8X, 'none');
    expect(raw.matrix.data).toBe(uint8X.data);
    expect(raw.matrix.scale).toBe(1);
    expectAllClose(values(raw.matrix), ref.uint8.none, 'none', 0);
    expectAllClose(raw.transform!.factor, new Array<number>(uint8X.d).fill(255), 'factor', 1e-12);

    const z = preprocess(uint8X, 'standardize');
    expectAllClose(values(z.matrix), ref.uint8.standardize, 'z', 1e-6);
    expectAllClose(z.transform!.offset, ref.uint8.mean, 'mean', 1e-12);
    expectAllClose(z.transform!.factor.map((f) => 1 / f), ref.uint8.std, 'std', 1e-9);
  });

  it('never modifies the input and inverts centers back to feature units', () => {
    const before = Float32Array.from(floatX.data);
    const t = fitTransform(floatX, 'standardize')!;
    const { matrix } = preprocess(floatX, 'standardize');
    expect(floatX.data).toEqual(before);
    // the first two rows as "centers": back in feature units they are the original rows (float32 rounding)
    const back = toFeatureUnits(Float64Array.from(matrix.data.subarray(0, 2 * floatX.d)), t);
    expectAllClose(back, Array.from(floatX.data.subarray(0, 2 * floatX.d)), 'inverse', 1e-6);
  });

  it("defaults to 'scale' for datasets with a scale (uint8 images), else 'none'", () => {
    expect(defaultPreprocessing(uint8X)).toBe('scale');
    expect(defaultPreprocessing(floatX)).toBe('none');
  });
});
