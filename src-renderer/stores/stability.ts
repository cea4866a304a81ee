/** Stability over seeds of sweeps and groups (`runs/stability`), fetched again when more of their runs are done. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { StabilityReply } from '../../src-shared/api';
import { api } from '../api';
import { useApp } from './app';

export const useStability = defineStore('stability', () => {
  const bySweep = ref<Record<string, { done: number; reply: StabilityReply }>>({});

  /** Loads the stability of a sweep unless it is known for `done` finished runs already. */
  async function load(sweepId: string, done: number): Promise<void> {
    if (bySweep.value[sweepId]?.done === done) return;
    const r = await api()['runs/stability']({ sweepId });
    if (r.ok) bySweep.value = { ...bySweep.value, [sweepId]: { done, reply: r.data } };
    else useApp().toast('error', 'Could not compute the stability over seeds', r.message);
  }

  return { bySweep, load };
});
