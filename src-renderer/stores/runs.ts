/** Every saved run, live progress of running ones, and the queue. */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { JobProgress, QueueState, RunInfo, StartRunRequest } from '../../src-shared/api';
import { api } from '../api';
import { useApp } from './app';

export const ACTIVE: RunInfo['status'][] = ['queued', 'running'];

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

export const useRuns = defineStore('runs', () => {
  const list = ref<RunInfo[]>([]);
  const loaded = ref(false);
  const progress = ref<Record<number, JobProgress>>({});
  const queue = ref<QueueState | null>(null);
  let subscribed = false;

  const byId = (id: number) => list.value.find((r) => r.id === id) ?? null;
  const active = computed(() => list.value.filter((r) => ACTIVE.includes(r.status)));
  const sweeps = computed(() => groupSweeps(list.value));

  function upsert(r: RunInfo): void {
    const i = list.value.findIndex((x) => x.id === r.id);
    if (i >= 0) list.value.splice(i, 1, r);
    else list.value.unshift(r);
    if (!ACTIVE.includes(r.status)) {
      const { [r.id]: _gone, ...rest } = progress.value;
      progress.value = rest;
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

  return { list, loaded, progress, queue, active, sweeps, byId, upsert, load, start, cancel, rename, remove, refreshQueue };
});
