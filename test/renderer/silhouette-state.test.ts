import { describe, expect, it } from 'vitest';
import { fmtRunSilhouette, silhouetteActions, silhouettesPending } from '../../src-renderer/lib/silhouette-state';
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

describe('silhouetteActions', () => {
  const labels = (run: Parameters<typeof silhouetteActions>[0]) => silhouetteActions(run).map((a) => `${a.label}: ${a.req.mode}${a.req.sampleSize ? ` ${a.req.sampleSize}` : ''}`);
  it('not computed: again in its own mode first, then the other', () => {
    expect(labels(runInfo(1, { silhouetteState: 'failed', silhouette: { mode: 'sample', sampleSize: 2000 } }))).toEqual([
      'Compute silhouette: sample 2000',
      'Compute exact silhouette: exact',
    ]);
    expect(labels(runInfo(1, { silhouetteState: 'failed', silhouette: { mode: 'exact' } }))).toEqual([
      'Compute exact silhouette: exact',
      'Compute sampled silhouette: sample 10000',
    ]);
  });
  it('skipped (mode none): sampled by default, or exact', () => {
    const run = runInfo(1, { silhouetteState: 'none', silhouette: { mode: 'none' } });
    expect(labels(run)).toEqual(['Compute silhouette: sample 10000', 'Compute exact silhouette: exact']);
    expect(silhouetteActions(run)[0]!.detail).toBe("the silhouette of 10,000 rows drawn with the run's seed");
  });
  it('a final sample can become exact; nothing for a final exact one, a pending one, or a run not done', () => {
    expect(labels(runInfo(1, { silhouetteState: 'final', silhouette: { mode: 'sample', sampleSize: 10_000 } }))).toEqual(['Compute exact silhouette: exact']);
    expect(labels(runInfo(1, { silhouetteState: 'final', silhouette: { mode: 'exact' } }))).toEqual([]);
    expect(labels(runInfo(1, { silhouetteState: 'pending', silhouette: { mode: 'exact' } }))).toEqual([]);
    for (const status of ['queued', 'running', 'failed', 'cancelled', 'interrupted'] as const) {
      expect(labels(runInfo(1, { status, silhouetteState: 'none', silhouette: { mode: 'none' } }))).toEqual([]);
    }
  });
});
