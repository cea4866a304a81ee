/** Every saved run, live progress of running ones, and the queue. */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ComputeSilhouetteRequest, JobProgress, QueueState, RunInfo, StartRunRequest } from '../../src-shared/api';
import type { IterationInfo } from '../../src-shared/model';
import { ACTIVE_RUN_STATUSES } from '../../src-shared/params';
import { api } from '../api';
import { useApp } from './app';
import { useRunDetail } from './run-detail';

export const ACTIVE: readonly RunInfo['status'][] = ACTIVE_RUN_STATUSES;

/** Runs grouped by sweep id, newest sweep first; each sweep's runs by k. */
export function groupSweeps(runs: RunInfo[]): { sweepId: string; runs: RunInfo[] }[] {
  const m = new Map<string, RunInfo[]>();
  for (const r of runs) {
    if (!r.sweepId) continue;
    if (!m.has(r.sweepId)) m.set(r.sweepId, []);
    m.get(r.sweepId)!.push(r);
  }
  return [...m.entries()]
    .map(([sweepId, rs]) => ({ sweepId, runs: rs.sort((a, b) => a.params.k - b.params.k) }))
    .sort((a, b) => Math.max(...b.runs.map((r) => r.createdAt)) - Math.max(...a.runs.map((r) => r.createdAt)));
}

/** Most points kept of a running fit's live trace. */
const TRACE_MAX = 2000;

/**
 * Appends a progress report to the live trace of the current initialisation (a new initialisation starts a new
 * trace); returns the same array when nothing was added.
 */
export function extendTrace(trace: IterationInfo[], p: JobProgress): IterationInfo[] {
  if (p.phase !== 'fit' || p.iteration === undefined || p.inertia === undefined || !Number.isFinite(p.inertia)) return trace;
  const run = p.initRun ?? 0;
  const base = trace.length && trace[trace.length - 1]!.run === run ? trace : [];
  const last = base[base.length - 1];
  if (last && last.iteration >= p.iteration) return trace;
  const next = [...base, { run, iteration: p.iteration, inertia: p.inertia, centerShift: NaN }];
  return next.length > TRACE_MAX ? next.filter((_, i) => i % 2 === 0 || i === next.length - 1) : next;
}

export const useRuns = defineStore('runs', () => {
  const list = ref<RunInfo[]>([]);
  const loaded = ref(false);
  const progress = ref<Record<number, JobProgress>>({});
  /** Inertia per reported step of each running fit (for a live convergence chart). */
  const traces = ref<Record<number, IterationInfo[]>>({});
  const queue = ref<QueueState | null>(null);
  let subscribed = false;

  const byId = (id: number) => list.value.find((r) => r.id === id) ?? null;
  const active = computed(() => list.value.filter((r) => ACTIVE.includes(r.status)));
  const sweeps = computed(() => groupSweeps(list.value));

  function upsert(r: RunInfo): void {
    const i = list.value.findIndex((x) => x.id === r.id);
    // a done run's silhouette landed or is computed again: arrays cached before do not hold it
    const was = i >= 0 ? list.value[i]! : null;
    if (was?.status === 'done' && (was.silhouetteState !== r.silhouetteState || JSON.stringify(was.silhouette) !== JSON.stringify(r.silhouette))) {
      useRunDetail().markStale(r.id);
    }
    if (i >= 0) list.value.splice(i, 1, r);
    else list.value.unshift(r);
    // a done run's silhouette follows: its progress (the exact pass's estimate) is kept until it lands
    if (!ACTIVE.includes(r.status) && r.silhouetteState !== 'pending') {
      const { [r.id]: _gone, ...rest } = progress.value;
      progress.value = rest;
      const { [r.id]: _trace, ...others } = traces.value;
      traces.value = others;
    }
  }

  async function refreshQueue(): Promise<void> {
    const q = await api()['queue/get']({});
    if (q.ok) queue.value = q.data;
  }

  async function load(): Promise<void> {
    if (!subscribed) {
      subscribed = true;
      api().on('run/updated', (r) => {
        upsert(r);
        void refreshQueue();
      });
      api().on('run/deleted', ({ id }) => {
        list.value = list.value.filter((r) => r.id !== id);
        void refreshQueue();
      });
      api().on('job/progress', (p) => {
        progress.value = { ...progress.value, [p.runId]: p };
        const before = traces.value[p.runId] ?? [];
        const after = extendTrace(before, p);
        if (after !== before) traces.value = { ...traces.value, [p.runId]: after };
      });
    }
    const r = await api()['runs/list']({});
    if (r.ok) {
      list.value = r.data;
      loaded.value = true;
    } else useApp().toast('error', 'Could not list runs', r.message);
    await refreshQueue();
  }

  async function start(req: StartRunRequest): Promise<RunInfo[] | null> {
    const r = await api()['runs/start'](req);
    if (!r.ok) {
      useApp().toast('error', 'Could not start the run', r.message);
      return null;
    }
    for (const run of [...r.data.runs].reverse()) upsert(run);
    void refreshQueue();
    return r.data.runs;
  }

  async function cancel(id: number): Promise<void> {
    const r = await api()['runs/cancel']({ id });
    if (r.ok) upsert(r.data);
    else useApp().toast('error', 'Could not cancel the run', r.message);
  }

  /** Queues a done run's silhouette (one not computed, skipped, or exact in place of a sample); false on an error (toasted). */
  async function computeSilhouette(id: number, req: Omit<ComputeSilhouetteRequest, 'runId'>): Promise<boolean> {
    const r = await api()['runs/computeSilhouette']({ runId: id, ...req });
    if (r.ok) upsert(r.data);
    else useApp().toast('error', 'Could not compute the silhouette', r.message);
    void refreshQueue();
    return r.ok;
  }

  async function retry(id: number): Promise<void> {
    const r = await api()['runs/retry']({ id });
    if (r.ok) upsert(r.data);
    else useApp().toast('error', 'Could not retry the run', r.message);
    void refreshQueue();
  }

  async function rename(id: number, name: string): Promise<boolean> {
    const r = await api()['runs/rename']({ id, name });
    if (r.ok) upsert(r.data);
    else useApp().toast('error', 'Could not rename the run', r.message);
    return r.ok;
  }

  async function remove(id: number): Promise<boolean> {
    const r = await api()['runs/delete']({ id });
    if (r.ok) list.value = list.value.filter((x) => x.id !== id);
    else useApp().toast('error', 'Could not delete the run', r.message);
    return r.ok;
  }

  return { list, loaded, progress, traces, queue, active, sweeps, byId, upsert, load, start, cancel, computeSilhouette, retry, rename, remove, refreshQueue };
});
