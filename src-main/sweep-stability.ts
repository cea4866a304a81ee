/** `runs/stability`: the stability over seeds of each k of a sweep or group, from its done runs' stored labels. */
import type { StabilityReply } from '../src-shared/api';
import { kStability, type Labeling } from './stability';
import type { Store } from './store';

export function sweepStability(store: Store, sweepId: string): StabilityReply {
  const byK = new Map<number, Labeling[]>();
  for (const run of store.runs.list({ sweepId, status: ['done'] })) {
    const labels = store.runs.arrays(run.id, ['labels'])?.labels;
    if (!labels) continue;
    const list = byK.get(run.params.k) ?? [];
    list.push({ runId: run.id, seed: run.params.seed, labels });
    byK.set(run.params.k, list);
  }
  const perK = [...byK.entries()]
    .filter(([, l]) => l.length >= 2)
    .sort(([a], [b]) => a - b)
    .map(([k, l]) => kStability(k, l));
  return { sweepId, perK };
}
