/**
 * The runs list as a table: every column's sort value, the filters, and the grouping of a sweep's or a
 * group's runs into one expandable entry. Pure functions over RunInfo (the view only renders them).
 */
import type { RunInfo, RunStatus } from '../../src-shared/api';
import type { Algorithm } from '../../src-shared/model';
import { algorithmLabel } from '../../src-shared/run-names';
import { compareValues, nextSortOf, type SortDir } from './sort';

/** Sortable columns, in table order, with their header and their default direction on first click. */
export const RUN_COLUMNS = [
  { key: 'name', label: 'Name', numeric: false },
  { key: 'dataset', label: 'Dataset', numeric: false },
  { key: 'algorithm', label: 'Algorithm', numeric: false },
  { key: 'k', label: 'k', numeric: true },
  { key: 'status', label: 'Status', numeric: false },
  { key: 'inertia', label: 'Inertia', numeric: true },
  { key: 'silhouette', label: 'Silhouette', numeric: true },
  { key: 'ari', label: 'ARI', numeric: true },
  { key: 'nmi', label: 'NMI', numeric: true },
  { key: 'time', label: 'Time', numeric: true },
  { key: 'created', label: 'Created', numeric: true },
] as const;

export type RunSortKey = (typeof RUN_COLUMNS)[number]['key'];
export interface RunSort {
  key: RunSortKey;
  dir: SortDir;
}
export const DEFAULT_SORT: RunSort = { key: 'created', dir: 'desc' };

export interface RunFilter {
  datasetId: number | null;
  algorithm: Algorithm | null;
  status: RunStatus | null;
  /** Matched, case-insensitive, against the run's name, its dataset and its group's title. */
  text: string;
}
export const NO_FILTER: RunFilter = { datasetId: null, algorithm: null, status: null, text: '' };

/** Wall time of a run: fit + metrics when done, else the live elapsed time given by `live`. */
export type ElapsedOf = (r: RunInfo) => number | null;
export const doneElapsed: ElapsedOf = (r) => (r.fitMs !== null ? r.fitMs + (r.metricsMs ?? 0) : null);

/** The value a column sorts a run by; null sorts last in either direction. */
export function runSortValue(r: RunInfo, key: RunSortKey, elapsed: ElapsedOf = doneElapsed): string | number | null {
  switch (key) {
    case 'name':
      return r.name.toLowerCase();
    case 'dataset':
      return r.datasetName.toLowerCase();
    case 'algorithm':
      return algorithmLabel(r);
    case 'k':
      return r.params.k;
    case 'status':
      return r.status;
    case 'inertia':
    case 'silhouette':
    case 'ari':
    case 'nmi': {
      const v = r.metrics?.[key];
      return v === null || v === undefined || !Number.isFinite(v) ? null : v;
    }
    case 'time':
      return elapsed(r);
    case 'created':
      return r.createdAt;
  }
}


/** A run of its own, or the runs of one sweep / group (sweep id) as one entry. */
export type RunsEntry =
  | { kind: 'run'; run: RunInfo }
  | { kind: 'group'; sweepId: string; runs: RunInfo[]; title: string; repeat: boolean; status: RunStatus };

/** "k = 2…20 × 3 seeds", "k = 10 × 5 seeds", "k = 2, 4, 8": what a sweep or group covers. */
export function groupTitle(runs: readonly RunInfo[]): string {
  const ks = [...new Set(runs.map((r) => r.params.k))].sort((a, b) => a - b);
  const seeds = new Set(runs.map((r) => r.params.seed)).size;
  const contiguous = ks.length > 2 && ks[ks.length - 1]! - ks[0]! === ks.length - 1;
  const kText = contiguous ? `${ks[0]}…${ks[ks.length - 1]}` : ks.join(', ');
  return `k = ${kText}${seeds > 1 ? ` × ${seeds} seeds` : ''}`;
}

/** One status for a group: still working if any run is, else the worst ending, else done. */
export function groupStatus(runs: readonly RunInfo[]): RunStatus {
  for (const s of ['running', 'queued', 'failed', 'interrupted', 'cancelled'] as const) if (runs.some((r) => r.status === s)) return s;
  return 'done';
}

/** A group's sort value: its title for names, the mean over its runs for numbers, the newest for created. */
function groupSortValue(e: Extract<RunsEntry, { kind: 'group' }>, key: RunSortKey, elapsed: ElapsedOf): string | number | null {
  if (key === 'name') return e.title.toLowerCase();
  if (key === 'status') return e.status;
  const vs = e.runs.map((r) => runSortValue(r, key, elapsed)).filter((v): v is string | number => v !== null);
  if (!vs.length) return null;
  if (typeof vs[0] === 'string') return vs[0];
  const nums = vs as number[];
  if (key === 'created') return Math.max(...nums);
  return nums.reduce((a, b) => a + b, 0) / nums.length;
}

export function matchesFilter(r: RunInfo, f: RunFilter, title = ''): boolean {
  if (f.datasetId !== null && r.datasetId !== f.datasetId) return false;
  if (f.algorithm !== null && r.algorithm !== f.algorithm) return false;
  if (f.status !== null && r.status !== f.status) return false;
  const t = f.text.trim().toLowerCase();
  return !t || r.name.toLowerCase().includes(t) || r.datasetName.toLowerCase().includes(t) || title.toLowerCase().includes(t);
}

/**
 * The table's entries: runs that pass the filter, each sweep or group as one entry (its matching runs inside,
 * sorted the same way), entries sorted by `sort` (ties: newest first).
 */
export function runsEntries(runs: readonly RunInfo[], filter: RunFilter, sort: RunSort, elapsed: ElapsedOf = doneElapsed): RunsEntry[] {
  const bySweep = new Map<string, RunInfo[]>();
  for (const r of runs) if (r.sweepId) bySweep.set(r.sweepId, [...(bySweep.get(r.sweepId) ?? []), r]);
  const titles = new Map([...bySweep].map(([id, rs]) => [id, groupTitle(rs)]));
  const byRun = (a: RunInfo, b: RunInfo) =>
    compareValues(runSortValue(a, sort.key, elapsed), runSortValue(b, sort.key, elapsed), sort.dir) || b.createdAt - a.createdAt || b.id - a.id;
  const entries: RunsEntry[] = [];
  const seen = new Set<string>();
  for (const r of runs) {
    if (!r.sweepId) {
      if (matchesFilter(r, filter)) entries.push({ kind: 'run', run: r });
      continue;
    }
    if (seen.has(r.sweepId)) continue;
    seen.add(r.sweepId);
    const all = bySweep.get(r.sweepId)!;
    const title = titles.get(r.sweepId)!;
    const inside = all.filter((x) => matchesFilter(x, filter, title)).sort(byRun);
    if (!inside.length) continue;
    const repeat = new Set(all.map((x) => x.params.k)).size === 1;
    entries.push({ kind: 'group', sweepId: r.sweepId, runs: inside, title, repeat, status: groupStatus(all) });
  }
  const value = (e: RunsEntry) => (e.kind === 'run' ? runSortValue(e.run, sort.key, elapsed) : groupSortValue(e, sort.key, elapsed));
  const newest = (e: RunsEntry) => (e.kind === 'run' ? e.run.createdAt : Math.max(...e.runs.map((r) => r.createdAt)));
  return entries.sort((a, b) => compareValues(value(a), value(b), sort.dir) || newest(b) - newest(a));
}

/** Clicking a header: the same column flips its direction; another starts descending for numbers, ascending for text. */
export function nextSort(current: RunSort, key: RunSortKey): RunSort {
  return nextSortOf(current, key, RUN_COLUMNS.find((c) => c.key === key)!.numeric);
}

/** Failed, cancelled and interrupted runs can be queued again as they were. */
export const RETRYABLE: readonly RunStatus[] = ['failed', 'cancelled', 'interrupted'];
