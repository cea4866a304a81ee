/**
 * How a run's silhouette reads wherever it is shown (run page, runs list, compare, sweeps). A run is `done` before
 * its silhouette lands: until then it says so ("computing…", or the worker's estimate ± its interval), and a
 * silhouette that will not come says "not computed" rather than a dash that looks like a missing value.
 */
import type { JobProgress, RunInfo } from '../../src-shared/api';
import { fmt, fmtMetric, type MetricPlace } from './format';

export const SILHOUETTE_COMPUTING = 'computing…';
export const SILHOUETTE_NOT_COMPUTED = 'not computed';

/**
 * The run's silhouette as text: its value when final, else what it is doing; `estimate` (exact mode) while pending
 * (a metric card has room for "≈ mean" only: its hint gives the interval).
 */
export function fmtRunSilhouette(
  run: Pick<RunInfo, 'silhouetteState' | 'metrics'>,
  place: MetricPlace = 'table',
  estimate?: JobProgress['silhouetteEstimate'],
): string {
  if (run.silhouetteState === 'pending') {
    if (!estimate) return SILHOUETTE_COMPUTING;
    return place === 'card' ? `≈ ${fmt(estimate.mean)}` : `≈ ${fmt(estimate.mean)} ± ${fmt(estimate.halfWidth)}`;
  }
  if (run.silhouetteState === 'failed') return SILHOUETTE_NOT_COMPUTED;
  return fmtMetric('silhouette', run.metrics?.silhouette, place);
}

/** Runs of `runs` whose silhouette is still being computed. */
export function silhouettesPending(runs: readonly Pick<RunInfo, 'silhouetteState'>[]): number {
  return runs.filter((r) => r.silhouetteState === 'pending').length;
}
