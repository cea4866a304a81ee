/** The silhouette estimate of a progress report as main accepts it from a worker (schema.ts), and what it drops. */
import { describe, expect, it } from 'vitest';
import type { JobProgress } from '../../src-shared/api';
import { validSilhouetteEstimate } from '../../src-shared/schema';
import { withValidEstimate } from '../../src-main/jobs/scheduler';

describe('validSilhouetteEstimate', () => {
  it('accepts an estimate and the exact value', () => {
    expect(validSilhouetteEstimate({ mean: 0.06, halfWidth: 0.01, rows: 128, total: 70_000 })).toBe(true);
    expect(validSilhouetteEstimate({ mean: -0.2, halfWidth: 0, rows: 70_000, total: 70_000 })).toBe(true);
  });
  it.each([
    ['not an object', null],
    ['a missing field', { mean: 0.1, halfWidth: 0.01, rows: 5 }],
    ['a string', { mean: '0.1', halfWidth: 0.01, rows: 5, total: 9 }],
    ['mean outside [−1, 1]', { mean: 1.5, halfWidth: 0.01, rows: 5, total: 9 }],
    ['NaN mean', { mean: NaN, halfWidth: 0.01, rows: 5, total: 9 }],
    ['infinite interval', { mean: 0.1, halfWidth: Infinity, rows: 5, total: 9 }],
    ['negative interval', { mean: 0.1, halfWidth: -0.1, rows: 5, total: 9 }],
    ['more rows than total', { mean: 0.1, halfWidth: 0, rows: 10, total: 9 }],
    ['no rows', { mean: 0.1, halfWidth: 0.1, rows: 0, total: 9 }],
    ['fractional rows', { mean: 0.1, halfWidth: 0.1, rows: 2.5, total: 9 }],
    ['zero interval before every row is in', { mean: 0.1, halfWidth: 0, rows: 5, total: 9 }],
    ['an interval once every row is in', { mean: 0.1, halfWidth: 0.01, rows: 9, total: 9 }],
  ])('rejects %s', (_what, v) => {
    expect(validSilhouetteEstimate(v)).toBe(false);
  });
});

it('withValidEstimate: a malformed estimate is dropped, the progress kept', () => {
  const base: JobProgress = { runId: 1, phase: 'silhouette', fraction: 0.5, elapsedMs: 10 };
  const good = { ...base, silhouetteEstimate: { mean: 0.1, halfWidth: 0.02, rows: 10, total: 100 } };
  expect(withValidEstimate(good)).toBe(good);
  expect(withValidEstimate(base)).toBe(base);
  const bad = { ...base, silhouetteEstimate: { mean: 0.1, halfWidth: null, rows: 10, total: 100 } } as unknown as JobProgress;
  expect(withValidEstimate(bad)).toEqual(base);
});
