/**
 * A sweep's or group's runs summarised per k: mean and standard deviation over seeds of every metric and of
 * the fit time, the elbow of the mean inertia (Kneedle), and the table as CSV. Pure functions over RunInfo.
 */
import type { RunInfo } from '../../src-shared/api';
import { kneedleElbow } from './kneedle';

/**
 * What a sweep plots against k, in panel order; `best` says which end is better (for the marker), `min` the
 * lowest value the metric can take (error bars stop there), null when it can be negative.
 */
export const SWEEP_METRICS = [
  { key: 'inertia', title: 'Inertia', best: 'elbow', min: 0 },
  { key: 'silhouette', title: 'Silhouette', best: 'max', min: -1 },
  { key: 'calinskiHarabasz', title: 'Calinski–Harabasz', best: 'max', min: 0 },
  { key: 'daviesBouldin', title: 'Davies–Bouldin', best: 'min', min: 0 },
  { key: 'ari', title: 'ARI', best: 'max', min: -0.5 },
  { key: 'nmi', title: 'NMI', best: 'max', min: 0 },
  { key: 'fitSeconds', title: 'Fit time (s)', best: 'none', min: 0 },
] as const;
export type SweepMetricKey = (typeof SWEEP_METRICS)[number]['key'];

/** Mean and sample standard deviation (n − 1; 0 for a single value) of the values present. */
export interface Stat {
  mean: number;
  std: number;
  n: number;
}

export function meanStd(values: readonly number[]): Stat | null {
  const v = values.filter((x) => Number.isFinite(x));
  if (!v.length) return null;
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const ss = v.reduce((a, b) => a + (b - mean) ** 2, 0);
  return { mean, std: v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0, n: v.length };
}

/** The std to show: float noise of equal values (1e-9 of the mean) is no spread. */
export function stdShown(s: Stat): number {
  return s.std <= Math.abs(s.mean) * 1e-9 ? 0 : s.std;
}

export interface KRow {
  k: number;
  /** Runs of this k, and how many are done (the statistics are over the done ones). */
  runs: number;
  done: number;
  stats: Record<SweepMetricKey, Stat | null>;
}

function metricOf(r: RunInfo, key: SweepMetricKey): number | null {
  if (key === 'fitSeconds') return r.fitMs === null ? null : r.fitMs / 1000;
  return r.metrics?.[key] ?? null;
}

/** One row per k, increasing. */
export function aggregateByK(runs: readonly RunInfo[]): KRow[] {
  const byK = new Map<number, RunInfo[]>();
  for (const r of runs) byK.set(r.params.k, [...(byK.get(r.params.k) ?? []), r]);
  return [...byK.entries()]
    .sort(([a], [b]) => a - b)
    .map(([k, rs]) => {
      const done = rs.filter((r) => r.status === 'done');
      const stats = Object.fromEntries(
        SWEEP_METRICS.map((m) => [m.key, meanStd(done.map((r) => metricOf(r, m.key)).filter((v): v is number => v !== null))]),
      ) as Record<SweepMetricKey, Stat | null>;
      return { k, runs: rs.length, done: done.length, stats };
    });
}

/** The metrics with a value at some k (ARI and NMI only when the dataset has labels). */
export function presentMetrics(rows: readonly KRow[]): (typeof SWEEP_METRICS)[number][] {
  return SWEEP_METRICS.filter((m) => rows.some((r) => r.stats[m.key] !== null));
}

/** The k of the elbow of the mean inertia (Kneedle), or null. */
export function sweepElbow(rows: readonly KRow[]): number | null {
  return kneedleElbow(rows.filter((r) => r.stats.inertia).map((r) => ({ x: r.k, y: r.stats.inertia!.mean })));
}

/** The k with the best mean of a metric whose best end is max or min; null for the others or without values. */
export function bestKOf(rows: readonly KRow[], key: SweepMetricKey): number | null {
  const m = SWEEP_METRICS.find((x) => x.key === key)!;
  if (m.best !== 'max' && m.best !== 'min') return null;
  let best: KRow | null = null;
  for (const r of rows) {
    const s = r.stats[key];
    if (!s) continue;
    const b = best?.stats[key];
    if (!b || (m.best === 'max' ? s.mean > b.mean : s.mean < b.mean)) best = r;
  }
  return best?.k ?? null;
}

/** "k,runs,done,inertia_mean,inertia_std,…" then one line per k; empty cells where a metric is missing; full precision. */
export function sweepCsv(rows: readonly KRow[]): string {
  const metrics = presentMetrics(rows);
  const head = ['k', 'runs', 'done', ...metrics.flatMap((m) => [`${m.key}_mean`, `${m.key}_std`])];
  const lines = [head.join(',')];
  for (const r of rows) {
    const cells = metrics.flatMap((m): (number | string)[] => (r.stats[m.key] ? [r.stats[m.key]!.mean, r.stats[m.key]!.std] : ['', '']));
    lines.push([r.k, r.runs, r.done, ...cells].join(','));
  }
  return lines.join('\n') + '\n';
}
