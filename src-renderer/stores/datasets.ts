/** Stored datasets, their sample rows, and drag-and-drop import. */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { DatasetInfo, DatasetSamples } from '../../src-shared/api';
import { api } from '../api';
import { useApp } from './app';
import type { PickedFile } from '../lib/dropped-files';

export interface ImportState {
  /** File names being imported. */
  files: string[];
  totalBytes: number;
  /** 'read': reading the dropped files in the page; 'import': parsing and storing in main. */
  phase: 'read' | 'import';
  /** [0, 1] while reading; null (indeterminate) while main imports. */
  fraction: number | null;
}

export interface ImportError {
  files: string[];
  message: string;
}

/** Evenly spread row indices 0 … n−1, `count` of them (sample grid: deterministic, covers every class). */
export function spreadIndices(n: number, count: number): number[] {
  const m = Math.min(n, count);
  return Array.from({ length: m }, (_, i) => Math.floor((i * n) / m));
}

export const useDatasets = defineStore('datasets', () => {
  const list = ref<DatasetInfo[]>([]);
  const loaded = ref(false);
  const selectedId = ref<number | null>(null);
  const samples = shallowRef<Map<number, DatasetSamples>>(new Map());
  const importing = ref<ImportState | null>(null);
  const importError = ref<ImportError | null>(null);
  let subscribed = false;

  const selected = computed(() => list.value.find((d) => d.id === selectedId.value) ?? list.value[0] ?? null);
  const byId = (id: number) => list.value.find((d) => d.id === id) ?? null;

  function upsert(d: DatasetInfo): void {
    const i = list.value.findIndex((x) => x.id === d.id);
    if (i >= 0) list.value.splice(i, 1, d);
    else list.value.push(d);
  }

  async function load(): Promise<void> {
    if (!subscribed) {
      subscribed = true;
      api().on('dataset/imported', upsert);
      api().on('dataset/deleted', ({ id }) => {
        list.value = list.value.filter((d) => d.id !== id);
      });
    }
    const r = await api()['datasets/list']({});
    if (r.ok) {
      list.value = r.data;
      loaded.value = true;
    } else useApp().toast('error', 'Could not list datasets', r.message);
  }

  /** Loads a spread of rows for the sample grid (cached per dataset). */
  async function loadSamples(id: number, count = 60): Promise<DatasetSamples | null> {
    const cached = samples.value.get(id);
    if (cached && cached.indices.length >= Math.min(count, byId(id)?.n ?? count)) return cached;
    const d = byId(id);
    if (!d) return null;
    const r = await api()['datasets/samples']({ id, indices: spreadIndices(d.n, count) });
    if (!r.ok) {
      useApp().toast('error', `Could not load rows of ${d.name}`, r.message);
      return null;
    }
    const next = new Map(samples.value);
    next.set(id, r.data);
    samples.value = next;
    return r.data;
  }

  async function remove(id: number): Promise<boolean> {
    const r = await api()['datasets/delete']({ id });
    if (!r.ok) {
      useApp().toast('error', 'Could not delete the dataset', r.message);
      return false;
    }
    list.value = list.value.filter((d) => d.id !== id);
    return true;
  }

  /** Reports a drop that could not be read (e.g. a folder too large to walk). */
  function failImport(files: string[], message: string): void {
    importError.value = { files, message };
  }

  /**
   * Imports dropped files as one dataset (an IDX images file with its labels file, a CSV, an .npy pair, …).
   * Reads them in the page with progress, then hands the bytes to main, which parses and stores them in one transaction.
   */
  async function importFiles(input: (File | PickedFile)[]): Promise<DatasetInfo | null> {
    if (!input.length || importing.value) return null;
    const files = input.map((f) => (f instanceof File ? { file: f, path: f.name } : f));
    const top = [...new Set(files.map((f) => f.path.split('/')[0]!))];
    const names = top.length > 3 ? [...top.slice(0, 3), `… ${top.length - 3} more`] : top;
    const totalBytes = files.reduce((a, f) => a + f.file.size, 0);
    importError.value = null;
    importing.value = { files: names, totalBytes, phase: 'read', fraction: 0 };
    try {
      const out: { name: string; bytes: Uint8Array }[] = [];
      let done = 0;
      for (const f of files) {
        out.push({ name: f.path, bytes: new Uint8Array(await f.file.arrayBuffer()) });
        done += f.file.size;
        importing.value = { ...importing.value, fraction: totalBytes ? done / totalBytes : 1 };
      }
      importing.value = { ...importing.value, phase: 'import', fraction: null };
      const r = await api()['datasets/import']({ files: out });
      if (!r.ok) {
        // the reply names the request; the user needs only the file and the problem
        importError.value = { files: names, message: r.message.replace(/^datasets\/import:\s*/, '') };
        return null;
      }
      upsert(r.data.dataset);
      selectedId.value = r.data.dataset.id;
      useApp().toast(
        'ok',
        r.data.existed ? `Already imported: ${r.data.dataset.name}` : `Imported ${r.data.dataset.name}`,
        r.data.existed ? 'The same data was imported before; showing the existing dataset.' : undefined,
      );
      return r.data.dataset;
    } catch (e) {
      importError.value = { files: names, message: `Could not read the dropped files: ${(e as Error).message}` };
      return null;
    } finally {
      importing.value = null;
    }
  }

  return { list, loaded, selectedId, selected, samples, importing, importError, byId, load, loadSamples, remove, importFiles, failImport };
});
