/** Which screen is shown, mirrored in location.hash (#/run/12, #/compare/3,5) so reloads keep the place. */
import { defineStore } from 'pinia';
import { ref } from 'vue';

export type ViewName = 'datasets' | 'new-run' | 'runs' | 'run' | 'compare' | 'sweeps';

export interface Route {
  view: ViewName;
  /** run id (run), run ids (compare), sweep id (sweeps), dataset id (new-run, datasets). */
  ids: number[];
  sweepId?: string;
  /** new-run: the run whose parameters prefill the form ("Re-run with changes"), `#/new-run/3?from=12`. */
  from?: number;
}

const VIEWS: ViewName[] = ['datasets', 'new-run', 'runs', 'run', 'compare', 'sweeps'];

export function parseHash(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const parts = path.split('/');
  const view = (VIEWS as string[]).includes(parts[0] ?? '') ? (parts[0] as ViewName) : 'datasets';
  const arg = parts[1] ?? '';
  if (view === 'sweeps') return { view, ids: [], sweepId: arg ? decodeURIComponent(arg) : undefined };
  const ids = arg
    .split(',')
    .map((s) => Number(s))
    .filter((x) => Number.isInteger(x) && x > 0);
  const from = Number(new URLSearchParams(query).get('from'));
  return view === 'new-run' && Number.isInteger(from) && from > 0 ? { view, ids, from } : { view, ids };
}

export function formatHash(r: Route): string {
  if (r.view === 'sweeps') return r.sweepId ? `#/sweeps/${encodeURIComponent(r.sweepId)}` : '#/sweeps';
  const base = r.ids.length ? `#/${r.view}/${r.ids.join(',')}` : `#/${r.view}`;
  return r.view === 'new-run' && r.from ? `${base}?from=${r.from}` : base;
}

export const useNav = defineStore('nav', () => {
  const route = ref<Route>(typeof location !== 'undefined' ? parseHash(location.hash) : { view: 'datasets', ids: [] });

  function go(view: ViewName, ids: number[] = [], sweepId?: string, from?: number): void {
    route.value = from ? { view, ids, sweepId, from } : { view, ids, sweepId };
    if (typeof location !== 'undefined') {
      const h = formatHash(route.value);
      if (location.hash !== h) history.pushState(null, '', h);
    }
  }

  function syncFromLocation(): void {
    route.value = parseHash(location.hash);
  }

  return { route, go, syncFromLocation };
});
