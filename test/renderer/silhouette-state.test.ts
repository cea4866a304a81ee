import { describe, expect, it } from 'vitest';
import { fmtRunSilhouette, silhouettesPending } from '../../src-renderer/lib/silhouette-state';
import { runInfo } from '../helpers/run-info';

describe('fmtRunSilhouette', () => {
  const estimate = { mean: 0.0634, halfWidth: 0.0121, rows: 128, total: 70_000 };
  it('final: the value as every metric is shown', () => {
    expect(fmtRunSilhouette(runInfo(1, { metrics: { silhouette: 0.41234 } }))).toBe('0.412');
    expect(fmtRunSilhouette(runInfo(1, { metrics: { silhouette: null } }))).toBe('—');
  });
  it('pending: computing…, or the estimate (± its interval where there is room)', () => {
    const run = runInfo(1, { silhouetteState: 'pending', metrics: { silhouette: null } });
    expect(fmtRunSilhouette(run)).toBe('computing…');
    expect(fmtRunSilhouette(run, 'table', estimate)).toBe('≈ 0.063 ± 0.012');
    expect(fmtRunSilhouette(run, 'card', estimate)).toBe('≈ 0.063');
  });
  it('failed: not computed, never a dash or an estimate', () => {
    const run = runInfo(1, { silhouetteState: 'failed', silhouetteError: 'cancelled', metrics: { silhouette: null } });
    expect(fmtRunSilhouette(run, 'card', estimate)).toBe('not computed');
  });
  it('counts the pending ones', () => {
    expect(silhouettesPending([runInfo(1), runInfo(2, { silhouetteState: 'pending' }), runInfo(3, { silhouetteState: 'failed' })])).toBe(1);
  });
});
