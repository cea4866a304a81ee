/** Small statistics and formatting helpers of `bench`. */

/** Every measurement of one job, ours and scikit-learn's, one entry per timed fit. */
export interface JobTimes {
  ours: number[];
  sklearn: number[];
  oursCpu: number[];
  sklearnCpu: number[];
  oursQuality: number[];
  sklearnQuality: number[];
  oursIters: number[];
  sklearnIters: number[];
}

export function emptyTimes(): JobTimes {
  return { ours: [], sklearn: [], oursCpu: [], sklearnCpu: [], oursQuality: [], sklearnQuality: [], oursIters: [], sklearnIters: [] };
}

export function median(a: number[]): number {
  if (a.length === 0) return NaN;
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function mean(a: number[]): number {
  return a.length ? a.reduce((x, y) => x + y, 0) / a.length : NaN;
}

/** The q-quantile (0…1) of a, nearest rank. */
export function quantile(a: number[], q: number): number {
  if (a.length === 0) return NaN;
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

/** CPU seconds (user + system, every thread of this process) since c0. */
export function cpuSince(c0: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
}

export function oursRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

export function sec(v: number): string {
  return Number.isNaN(v) ? '—' : v >= 10 ? v.toFixed(1) : v.toFixed(3);
}

/**
 * A pause before every timed job, so that each starts on an idle machine: after a job, OpenBLAS's and OpenMP's
 * threads keep spinning for a while (and ours for 0.5 ms), which would otherwise eat into the next job's time.
 */
export const SETTLE_MS = 300;
/** Seed of the untimed warm-up fits. */
export const WARMUP_SEED = 99;
export function settle(): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, SETTLE_MS);
  });
}

/** A markdown table. */
export function markdownTable(header: string[], rows: string[][]): string[] {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}
