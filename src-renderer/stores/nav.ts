/** Which screen is shown, mirrored in location.hash (#/run/12, #/compare/3,5) so reloads keep the place. */
import { defineStore } from 'pinia';
import { ref } from 'vue';

export type ViewName = 'datasets' | 'new-run' | 'runs' | 'run' | 'compare' | 'sweeps';

export interface Route {
  view: ViewName;
  /** run id (run), run ids (compare), sweep id (sweeps), dataset id (new-run, datasets). */
  ids: number[];
  sweepId?: string;
}

const VIEWS: ViewName[] = ['datasets', 'new-run', 'runs', 'run', 'compare', 'sweeps'];

export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/');
  const view = (VIEWS as string[]).includes(parts[0] ?? '') ? (parts[0] as ViewName) : 'datasets';
  const arg = parts[1] ?? '';
  if (view === 'sweeps') return { view, ids: [], sweepId: arg ? decodeURIComponent(arg) : undefined };
  const ids = arg
    .split(',')
    .map((s) => Number(s))
    .filter((x) => Number.isInteger(x) && x > 0);
  return { view, ids };
}

export function formatHash(r: Route): string {
  if (r.view === 'sweeps') return r.sweepId ? `#/sweeps/${encodeURIComponent(r.sweepId)}` : '#/sweeps';
  return r.ids.length ? `#/${r.view}/${r.ids.join(',')}` : `#/${r.view}`;
}

export const useNav = defineStore('nav', () => {
  const route = ref<Route>(typeof location !== 'undefined' ? parseHash(location.hash) : { view: 'datasets', ids: [] });

  function go(view: ViewName, ids: number[] = [], sweepId?: string): void {
    route.value = { view, ids, sweepId };
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
