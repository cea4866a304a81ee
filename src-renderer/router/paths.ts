/**
 * The app's URLs (hash history: `#/runs/12`, `#/compare?runs=3,5`, `#/new?dataset=2&from=12`, `#/sweeps/ab`,
 * `#/datasets/4`): one builder per screen, and the readers of the parameters they carry. Pure, so it is unit-tested
 * without a router; `router/index.ts` maps these paths to the lazily loaded views.
 */
import type { LocationQuery, RouteLocationRaw } from 'vue-router';

/** The screens of the sidebar; a run page belongs to `runs`. */
export type Section = 'datasets' | 'new-run' | 'runs' | 'compare' | 'sweeps';

export const paths = {
  datasets: (id?: number): RouteLocationRaw => (id ? `/datasets/${id}` : '/datasets'),
  /** New run, on a dataset and/or prefilled from a run ("Re-run with changes"). */
  newRun: (o: { dataset?: number; from?: number } = {}): RouteLocationRaw => ({
    path: '/new',
    query: { ...(o.dataset ? { dataset: String(o.dataset) } : {}), ...(o.from ? { from: String(o.from) } : {}) },
  }),
  runs: (): RouteLocationRaw => '/runs',
  run: (id: number): RouteLocationRaw => `/runs/${id}`,
  /** The first run is the reference. */
  compare: (ids: readonly number[] = []): RouteLocationRaw => ({ path: '/compare', query: ids.length ? { runs: ids.join(',') } : {} }),
  sweeps: (sweepId?: string): RouteLocationRaw => (sweepId ? { name: 'sweeps', params: { sweepId } } : '/sweeps'),
};

/** A positive integer id from a route parameter or query value, or null. */
export function idParam(v: unknown): number | null {
  const s = Array.isArray(v) ? v[0] : v;
  if (typeof s !== 'string' || !/^\d+$/.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** The run ids of `?runs=3,5` in their order, without repeats or junk. */
export function idList(query: LocationQuery, key = 'runs'): number[] {
  const raw = query[key];
  const s = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
  const ids = s.split(',').map(idParam).filter((x): x is number => x !== null);
  return [...new Set(ids)];
}
