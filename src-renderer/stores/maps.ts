/**
 * Dataset maps (2-D embeddings) for the Map card: fetched once per dataset, method and preprocessing (main
 * computes them in a worker the first time and caches them), their progress, cancel, and the rows the card
 * shows on hover and selection.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { DatasetSamples, EmbeddingMethod, EmbeddingProgress, EmbeddingReply } from '../../src-shared/api';
import type { Preprocessing } from '../../src-shared/model';
import { api } from '../api';

export interface MapKey {
  datasetId: number;
  method: EmbeddingMethod;
  preprocessing: Preprocessing;
}

export const mapKey = (k: MapKey): string => `${k.datasetId}/${k.method}/${k.preprocessing}`;

export const useMaps = defineStore('maps', () => {
  const maps = shallowRef(new Map<string, EmbeddingReply>());
  const errors = ref<Record<string, string>>({});
  /** Progress of maps being computed, by key. */
  const progress = ref<Record<string, Pick<EmbeddingProgress, 'fraction' | 'epoch' | 'epochs'>>>({});
  const inflight = new Map<string, Promise<EmbeddingReply | null>>();
  let subscribed = false;

  function subscribe(): void {
    if (subscribed) return;
    subscribed = true;
    api().on('embedding/progress', (p) => {
      const name = mapKey(p);
      // a late event after the reply must not bring the progress back
      if (name in progress.value) progress.value = { ...progress.value, [name]: { fraction: p.fraction, epoch: p.epoch, epochs: p.epochs } };
    });
  }

  async function fetchMap(key: MapKey): Promise<EmbeddingReply | null> {
    const name = mapKey(key);
    // marks for the e2e spec's timing of a cached map: request sent, reply received and decoded
    performance.mark(`map-request ${name}`);
    const r = await api()['embeddings/get'](key);
    performance.mark(`map-reply ${name}`);
    const { [name]: _done, ...rest } = progress.value;
    progress.value = rest;
    if (!r.ok) {
      errors.value = { ...errors.value, [name]: r.message };
      return null;
    }
    const { [name]: _old, ...others } = errors.value;
    errors.value = others;
    const next = new Map(maps.value);
    next.set(name, r.data);
    maps.value = next;
    return r.data;
  }

  /** The map of `key` (cached in the page, in main, or computed now); null on error (see `errors`). */
  function load(key: MapKey): Promise<EmbeddingReply | null> {
    subscribe();
    const name = mapKey(key);
    const hit = maps.value.get(name);
    if (hit) return Promise.resolve(hit);
    let p = inflight.get(name);
    if (!p) {
      progress.value = { ...progress.value, [name]: { fraction: 0 } };
      p = fetchMap(key).finally(() => inflight.delete(name));
      inflight.set(name, p);
    }
    return p;
  }

  async function cancel(key: MapKey): Promise<void> {
    await api()['embeddings/cancel'](key);
  }

  /** Rows of a dataset by index (hover, click, selection); an error message instead on failure. */
  async function rows(datasetId: number, indices: number[]): Promise<DatasetSamples | string> {
    const r = await api()['datasets/samples']({ id: datasetId, indices });
    return r.ok ? r.data : r.message;
  }

  return { maps, errors, progress, load, cancel, rows };
});
