/**
 * The router: hash URLs (the app is loaded from a file in the desktop host, and from one path in browser mode), one
 * route per screen, each view loaded when first opened. `meta.section` says which sidebar item is current.
 */
import { createRouter, createWebHashHistory, type RouterHistory, type RouteRecordRaw } from 'vue-router';
import { idParam, type Section } from './paths';

declare module 'vue-router' {
  interface RouteMeta {
    section: Section;
  }
}

export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/datasets' },
  { path: '/datasets/:id(\\d+)?', name: 'datasets', component: () => import('../views/DatasetsView.vue'), meta: { section: 'datasets' } },
  { path: '/new', name: 'new-run', component: () => import('../views/NewRunView.vue'), meta: { section: 'new-run' } },
  { path: '/runs', name: 'runs', component: () => import('../views/RunsView.vue'), meta: { section: 'runs' } },
  {
    path: '/runs/:id(\\d+)',
    name: 'run',
    component: () => import('../views/RunView.vue'),
    props: (r) => ({ runId: idParam(r.params.id) ?? 0 }),
    meta: { section: 'runs' },
  },
  { path: '/compare', name: 'compare', component: () => import('../views/CompareView.vue'), meta: { section: 'compare' } },
  { path: '/sweeps/:sweepId?', name: 'sweeps', component: () => import('../views/SweepsView.vue'), meta: { section: 'sweeps' } },
  { path: '/:unknown(.*)*', redirect: '/datasets' },
];

export function makeRouter(history: RouterHistory = createWebHashHistory()) {
  return createRouter({ history, routes });
}
