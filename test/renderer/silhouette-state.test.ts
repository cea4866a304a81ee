import { describe, expect, it } from 'vitest';
import {
  estimateHint,
  estimateKind,
  fmtEstimateRows,
  fmtRunSilhouette,
  fmtSilhouetteEstimate,
  silhouetteActions,
  silhouettesPending,
} from '../../src-renderer/lib/silhouette-state';
import { silhouetteEstimateOption } from '../../src-renderer/charts/silhouette-estimate';
import { lightTheme } from '../helpers/chart-theme';
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

describe('a silhouette estimate, refining until exact', () => {
  const early = { mean: 0.0634, halfWidth: 0.0121, rows: 128, total: 70_000 };
  const later = { mean: 0.0512, halfWidth: 0.0018, rows: 21_504, total: 70_000 };
  const exact = { mean: 0.05125, halfWidth: 0, rows: 70_000, total: 70_000 };
  it('says what it is: an estimate until every row is in, then exact', () => {
    expect(estimateKind(early)).toBe('estimate');
    expect(estimateKind(later)).toBe('estimate');
    expect(estimateKind(exact)).toBe('exact');
  });
  it('formats the value, its interval and its rows', () => {
    expect(fmtSilhouetteEstimate(later)).toBe('≈ 0.051 ± 0.002');
    expect(fmtSilhouetteEstimate(later, false)).toBe('≈ 0.051');
    expect(fmtSilhouetteEstimate(exact)).toBe('0.051');
    expect(fmtEstimateRows(later)).toBe('21,504 of 70,000 rows');
    expect(estimateHint(later)).toBe('estimate ± 0.002, 31% of rows');
    expect(estimateHint(exact)).toBe('exact, all rows');
  });
  it('a pending run shows the exact value without "≈" once every row is in', () => {
    const run = runInfo(1, { silhouetteState: 'pending', metrics: { silhouette: null } });
    expect(fmtRunSilhouette(run, 'card', exact)).toBe('0.051');
    expect(fmtRunSilhouette(run, 'table', later)).toBe('≈ 0.051 ± 0.002');
  });
  it('plot: the running mean and its band against rows scored, infinite intervals left out', () => {
    const opt = silhouetteEstimateOption([{ mean: 0.1, halfWidth: Infinity, rows: 1, total: 70_000 }, early, later, exact], lightTheme) as Record<string, any>;
    const [lower, width, mean] = opt.series;
    expect(mean.data).toEqual([[128, 0.0634], [21_504, 0.0512], [70_000, 0.05125]]);
    expect(lower.data[1]).toEqual([21_504, 0.0512 - 0.0018]);
    expect(width.data.map((p: number[]) => p[1])).toEqual([2 * 0.0121, 2 * 0.0018, 0]);
    expect(lower.stack).toBe(width.stack);
    expect(opt.xAxis.max).toBe(70_000);
  });
});
