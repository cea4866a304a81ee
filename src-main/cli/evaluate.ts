import type { SilhouetteOptions } from '../../src-shared/api';
import type { DataMatrix, Metrics, SilhouetteMode } from '../../src-shared/model';
import { computeMetrics, silhouetteByMode } from '../engine/metrics';
import type { SilhouetteScore } from '../engine/metrics/silhouette';
import { defaultDataDir } from './data-dir';
import { DEFAULT_SILHOUETTE_SAMPLE, SILHOUETTE_MODES } from '../../src-shared/params';
import { choiceOption, intOption, secondsSince, UsageError, type ProgressLine } from './common';

export interface Evaluation {
  metrics: Metrics;
  silhouette: { mode: SilhouetteMode; exact: boolean; sampleSize: number } | null;
  /** The silhouette of each row used (for a stored run); null with `silhouette`. */
  perSample: SilhouetteScore | null;
  seconds: { silhouette: number; metrics: number };
}

/**
 * Every metric of a labeling, timing the silhouette (the costly one) apart from the others.
 * The silhouette is left out (null) when it is not defined: fewer than 2 clusters among the
 * rows used, or one cluster per row.
 */
export async function evaluate(
  X: DataMatrix,
  labels: Int32Array,
  centers: Float64Array | null,
  trueLabels: Int32Array | null,
  opts: { silhouette: SilhouetteMode; sampleSize?: number; seed: number; signal?: AbortSignal; progress: ProgressLine },
): Promise<Evaluation> {
  let t = performance.now();
  const { metrics } = await computeMetrics(X, labels, centers, trueLabels, { silhouette: 'none', signal: opts.signal });
  const metricsSeconds = secondsSince(t);

  t = performance.now();
  let silhouette: Evaluation['silhouette'] = null;
  const s = await silhouetteByMode(X, labels, opts.silhouette, {
    sampleSize: opts.sampleSize,
    seed: opts.seed,
    signal: opts.signal,
    onProgress: (f) => opts.progress.update(`silhouette ${(f * 100).toFixed(0)}%`),
  });
  opts.progress.clear();
  if (s) {
    metrics.silhouette = s.score;
    silhouette = { mode: opts.silhouette, exact: s.exact, sampleSize: s.sampleSize };
  }
  return { metrics, silhouette, perSample: s, seconds: { silhouette: secondsSince(t), metrics: metricsSeconds } };
}

/** "(sampled: 10000 of 70000 rows, 1.2 s)" or "(exact, 70000 rows, …)". */
export function silhouetteNote(e: Evaluation, n: number, requested: SilhouetteMode): string {
  if (requested === 'none') return '(not computed: --silhouette none)';
  if (!e.silhouette) return `(not defined: needs 2 to n − 1 = ${n - 1} clusters among the rows used)`;
  const how = e.silhouette.exact ? `exact, all ${n} rows` : `sampled: ${e.silhouette.sampleSize} of ${n} rows`;
  return `(${how}, ${e.seconds.silhouette.toFixed(2)} s)`;
}

/** --save and --data-dir, shared by cluster and score: the data folder to store the run in, or null. */
export function saveOption(o: { save?: boolean; 'data-dir'?: string }): string | null {
  if (o['data-dir'] !== undefined && !o.save) throw new UsageError('--data-dir goes with --save');
  return o.save ? (o['data-dir'] ?? defaultDataDir()) : null;
}

/** The silhouette options a saved run records: the mode, and for 'sample' the rows actually drawn (capped at n). */
export function storedSilhouetteOptions(mode: SilhouetteMode, sampleSize: number | undefined, e: Evaluation): SilhouetteOptions {
  return mode === 'sample' ? { mode, sampleSize: e.silhouette?.sampleSize ?? sampleSize } : { mode };
}

/** The help of --silhouette and --sample-size, shared by cluster and score. */
export const SILHOUETTE_HELP = `  --silhouette ${SILHOUETTE_MODES.join('|')}
                           silhouette over all rows (O(n²)), over a random sample of
                           --sample-size rows drawn with --seed (default: sample), or none
  --sample-size N          rows of the sampled silhouette (default ${DEFAULT_SILHOUETTE_SAMPLE})`;

/** --silhouette (default 'sample') and --sample-size, shared by cluster and score. */
export function silhouetteOptions(o: { silhouette?: string; 'sample-size'?: string }): { silhouette: SilhouetteMode; sampleSize: number | undefined } {
  const silhouette: SilhouetteMode = choiceOption('silhouette', o.silhouette, SILHOUETTE_MODES) ?? 'sample';
  const sampleSize = intOption('sample-size', o['sample-size'], 1);
  if (sampleSize !== undefined && silhouette !== 'sample') throw new UsageError('--sample-size needs --silhouette sample');
  return { silhouette, sampleSize };
}
