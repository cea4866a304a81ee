/**
 * How a run's silhouette reads wherever it is shown (run page, runs list, compare, sweeps). A run is `done` before
 * its silhouette lands: until then it says so ("computing…", or the worker's estimate ± its interval), and a
 * silhouette that will not come says "not computed" rather than a dash that looks like a missing value.
 */
import type { ComputeSilhouetteRequest, RunInfo, SilhouetteEstimate } from '../../src-shared/api';
import { DEFAULT_SILHOUETTE_SAMPLE } from '../../src-shared/params';
import { fmt, fmtInt, fmtMetric, fmtPct, type MetricPlace } from './format';

export const SILHOUETTE_COMPUTING = 'computing…';
export const SILHOUETTE_NOT_COMPUTED = 'not computed';

/**
 * The run's silhouette as text: its value when final, else what it is doing; `estimate` (exact mode) while pending
 * (a metric card has room for "≈ mean" only: its hint gives the interval).
 */
export function fmtRunSilhouette(
  run: Pick<RunInfo, 'silhouetteState' | 'metrics'>,
  place: MetricPlace = 'table',
  estimate?: SilhouetteEstimate,
): string {
  if (run.silhouetteState === 'pending') {
    if (!estimate) return SILHOUETTE_COMPUTING;
    return fmtSilhouetteEstimate(estimate, place !== 'card');
  }
  if (run.silhouetteState === 'failed') return SILHOUETTE_NOT_COMPUTED;
  return fmtMetric('silhouette', run.metrics?.silhouette, place);
}

/** Runs of `runs` whose silhouette is still being computed. */
export function silhouettesPending(runs: readonly Pick<RunInfo, 'silhouetteState'>[]): number {
  return runs.filter((r) => r.silhouetteState === 'pending').length;
}

/** One way to compute a done run's silhouette afterwards (`runs/computeSilhouette`), as a button reads. */
export interface SilhouetteAction {
  label: string;
  /** What it does, for a title or an accessible description. */
  detail: string;
  testid: 'silhouette-compute' | 'silhouette-compute-exact' | 'silhouette-compute-sampled';
  req: Omit<ComputeSilhouetteRequest, 'runId'>;
}

/**
 * What can be computed of a done run's silhouette afterwards, the first being the one to offer first: one that was not
 * computed again in its own mode (then the other mode), one the run skipped (sampled, then exact), and an exact one
 * in place of a final sample. Nothing while it is computed, for an exact final one, or for a run that is not done.
 */
export function silhouetteActions(run: Pick<RunInfo, 'status' | 'silhouetteState' | 'silhouette'>): SilhouetteAction[] {
  if (run.status !== 'done') return [];
  const rows = (n: number | undefined) => (n ?? DEFAULT_SILHOUETTE_SAMPLE).toLocaleString('en-US');
  const sampled = (label: string, testid: SilhouetteAction['testid'], sampleSize?: number): SilhouetteAction => ({
    label,
    detail: `the silhouette of ${rows(sampleSize)} rows drawn with the run's seed`,
    testid,
    req: { mode: 'sample', sampleSize: sampleSize ?? DEFAULT_SILHOUETTE_SAMPLE },
  });
  const exact: SilhouetteAction = { label: 'Compute exact silhouette', detail: 'the exact silhouette of every row (O(n²))', testid: 'silhouette-compute-exact', req: { mode: 'exact' } };
  const { silhouetteState: state, silhouette } = run;
  if (state === 'failed' && silhouette.mode === 'exact') return [exact, sampled('Compute sampled silhouette', 'silhouette-compute-sampled')];
  if (state === 'failed') return [sampled('Compute silhouette', 'silhouette-compute', silhouette.sampleSize), exact];
  if (state === 'none') return [sampled('Compute silhouette', 'silhouette-compute'), exact];
  if (state === 'final' && silhouette.mode === 'sample') return [exact];
  return [];
}

/** What a silhouette estimate is: 'exact' once every row is in (the value the run will hold), else 'estimate'. */
export function estimateKind(e: SilhouetteEstimate): 'estimate' | 'exact' {
  return e.rows === e.total ? 'exact' : 'estimate';
}

/** "≈ 0.063 ± 0.012" (or "≈ 0.063" without the interval) while an estimate, the plain value once exact. */
export function fmtSilhouetteEstimate(e: SilhouetteEstimate, withInterval = true): string {
  if (estimateKind(e) === 'exact') return fmt(e.mean);
  return withInterval ? `≈ ${fmt(e.mean)} ± ${fmt(e.halfWidth)}` : `≈ ${fmt(e.mean)}`;
}

/** "5,376 of 70,000 rows". */
export function fmtEstimateRows(e: SilhouetteEstimate): string {
  return `${fmtInt(e.rows)} of ${fmtInt(e.total)} rows`;
}

/** The metric card's hint under the value (short): what it is, its 95 % interval and the share of rows it stands on. */
export function estimateHint(e: SilhouetteEstimate): string {
  return estimateKind(e) === 'exact' ? 'exact, all rows' : `estimate ± ${fmt(e.halfWidth)}, ${fmtPct(e.rows / e.total, 0)} of rows`;
}
