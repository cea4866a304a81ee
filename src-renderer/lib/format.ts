/**
 * Every number the views show goes through here. The rule:
 * - a metric, by `fmtMetric(key, v, place)`: scores (silhouette, ARI, NMI, Davies–Bouldin, …) to 3 decimals
 *   everywhere (`fmt`); magnitudes in the data's units (inertia, Calinski–Harabasz) compact on metric cards
 *   (`fmtCompact`: 2.787M) and at full precision in tables (`fmtFull`: 2,787,277 · 25,412.7);
 * - counts `fmtInt` (2,616), shares `fmtPct` (54.3%), times `fmtDuration` with their unit (850 ms, 12.3 s),
 *   sizes `fmtBytes`, dates `fmtDate`;
 * - anything else, and chart tooltips and axes, `fmtNumber` (4 significant digits; integers stay integers).
 */

/** A score with `digits` decimals (0.412), or an em dash when missing. */
export function fmt(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return v.toFixed(digits);
}

/** Full precision for tables: thousands separators, decimals fixed by magnitude (2,787,277 · 25,412.7 · 1,561.0 · 93.185); exponent form past 10⁷ or below 10⁻³. */
export function fmtFull(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a >= 1e7 || (a > 0 && a < 1e-3)) return v.toExponential(3);
  // fixed decimals per magnitude, so a column reads evenly (1,561.0 beside 1,577.4)
  const digits = a >= 1e5 ? 0 : a >= 100 ? 1 : 3;
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Short form for metric cards: 2.787M, 184.4, 0.0123. */
export function fmtCompact(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return v.toLocaleString('en-US', { notation: 'compact', maximumSignificantDigits: 4 });
}

export function fmtInt(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return Math.round(v).toLocaleString('en-US');
}

export function fmtPct(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return `${(v * 100).toFixed(digits)}%`;
}

/** Milliseconds as "850 ms", "12.3 s", "4 min 05 s". */
export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${String(Math.round(s - m * 60)).padStart(2, '0')} s`;
}

export function fmtBytes(b: number | null | undefined): string {
  if (b === null || b === undefined || !Number.isFinite(b)) return '—';
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = b;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

export function fmtDate(ms: number | string | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '—';
  return d.toLocaleString('en-GB', { day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit' });
}

/** Display name of feature column j (0-based): its name from the file's header, else x0, x1, … */
export function columnName(names: readonly string[] | null | undefined, j: number): string {
  return names?.[j] ?? `x${j}`;
}

/**
 * Any number for tooltips, axis labels and tables where the kind is not known: integers with thousands
 * separators (2,616; k = 7, not 7.00), other values to `sig` significant digits (0.06751, 184.4), values of
 * `sig` or more integer digits rounded to an integer (2,653), very large or small ones in exponent form (1.23e+9).
 */
export function fmtNumber(v: number | null | undefined, sig = 4): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a >= 1e9 || (a > 0 && a < 1e-4)) return v.toExponential(sig - 1);
  if (Number.isInteger(v) || a >= 10 ** sig) return Math.round(v).toLocaleString('en-US');
  return v.toLocaleString('en-US', { maximumSignificantDigits: sig });
}

/** "0.412 ± 0.031", "2.787M ± 1.235K": a metric's mean over seeds as `fmtMetric` shows it, and its standard deviation (a score's to 2 significant digits, a magnitude's as its mean). */
export function fmtMeanStd(key: string, mean: number | null | undefined, std: number | null | undefined, place: MetricPlace = 'card'): string {
  if (mean === null || mean === undefined || !Number.isFinite(mean)) return '—';
  if (std === null || std === undefined || !Number.isFinite(std)) return fmtMetric(key, mean, place);
  return `${fmtMetric(key, mean, place)} ± ${MAGNITUDES.has(key) ? fmtMetric(key, std, place) : fmtNumber(std, 2)}`;
}

/** Where a metric is shown: a metric card has room for a few characters, a table cell for the full value. */
export type MetricPlace = 'card' | 'table';
/** Metrics in the data's units, without a fixed scale. */
const MAGNITUDES: ReadonlySet<string> = new Set(['inertia', 'calinskiHarabasz']);

/** A metric by its key (a key of the run's metrics, or `fitSeconds`), per the rule at the top of this file. */
export function fmtMetric(key: string, v: number | null | undefined, place: MetricPlace = 'table'): string {
  if (MAGNITUDES.has(key)) return place === 'card' ? fmtCompact(v) : fmtFull(v);
  if (key === 'fitSeconds') return fmtNumber(v, 3);
  return fmt(v);
}
