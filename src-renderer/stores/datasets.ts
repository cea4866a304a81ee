/** Stored datasets, their sample rows, and drag-and-drop import. */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { DatasetInfo, DatasetSamples, ImportProgress } from '../../src-shared/api';
import { api, uploader } from '../api';
import { useApp } from './app';
import type { PickedFile } from '../lib/dropped-files';

/** Where one import is: read in the page (desktop) or uploaded (browser mode), then main's queue (see ImportProgress). */
export type ImportPhase = 'read' | 'upload' | 'queued' | 'parse' | 'store';

export interface ImportState {
  /** The import's id (the request's importId, used by imports/cancel). */
  id: string;
  /** File names being imported. */
  files: string[];
  /** Null for another window's import. */
  totalBytes: number | null;
  phase: ImportPhase;
  /** [0, 1] */
  fraction: number;
  /** Cancel was asked for; the entry goes when the import answers. */
  cancelling: boolean;
  /** Started by another window (known from main's events): it goes when main says it ended. */
  elsewhere?: boolean;
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
  /** This window's imports, oldest first, until each one answers. */
  const imports = ref<ImportState[]>([]);
  /** Stops the reading or upload of an import still in the page. */
  const inPage = new Map<string, AbortController>();
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
      api().on('import/progress', onProgress);
      api().on('dataset/deleted', ({ id }) => {
        list.value = list.value.filter((d) => d.id !== id);
      });
    }
    const queue = await api()['imports/list']({});
    if (queue.ok) for (const p of queue.data) if (!imports.value.some((x) => x.id === p.importId)) imports.value = [...imports.value, elsewhere(p)];
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

  function patch(id: string, change: Partial<ImportState>): void {
    imports.value = imports.value.map((x) => (x.id === id ? { ...x, ...change } : x));
  }

  /** Main's queue as events tell it: this window's imports move on; another window's appear and go. */
  function onProgress(p: ImportProgress): void {
    const known = imports.value.find((x) => x.id === p.importId);
    if (p.phase === 'ended') {
      if (known?.elsewhere) imports.value = imports.value.filter((x) => x.id !== p.importId);
    } else if (known) patch(p.importId, { phase: p.phase, fraction: p.fraction });
    else imports.value = [...imports.value, elsewhere(p)];
  }

  function elsewhere(p: ImportProgress): ImportState {
    return { id: p.importId, files: [p.name], totalBytes: null, phase: p.phase as ImportPhase, fraction: p.fraction, cancelling: false, elsewhere: true };
  }

  /** Cancels one of this window's imports: stops its upload, or asks main to drop it from the queue or kill its worker. */
  async function cancelImport(id: string): Promise<void> {
    const entry = imports.value.find((x) => x.id === id);
    if (!entry || entry.cancelling) return;
    patch(id, { cancelling: true });
    const local = inPage.get(id);
    if (local) return local.abort();
    const r = await api()['imports/cancel']({ importId: id });
    // not-found: it ended meanwhile, and its reply tells what happened
    if (!r.ok && r.code !== 'not-found') useApp().toast('error', 'Could not cancel the import', r.message);
  }

  /** The dropped files as the import request carries them: uploaded first in browser mode, read as bytes in the desktop app. */
  async function send(id: string, files: { file: File; path: string }[], totalBytes: number, signal: AbortSignal) {
    const up = uploader();
    let done = 0;
    const progress = (sent: number): void => patch(id, { fraction: totalBytes ? Math.min(1, (done + sent) / totalBytes) : 1 });
    if (!up) {
      const out: { name: string; bytes: Uint8Array }[] = [];
      for (const f of files) {
        if (signal.aborted) return null;
        out.push({ name: f.path, bytes: new Uint8Array(await f.file.arrayBuffer()) });
        done += f.file.size;
        progress(0);
      }
      return { files: out };
    }
    patch(id, { phase: 'upload' });
    const uploads: { name: string; uploadId: string }[] = [];
    for (const f of files) {
      const r = await up.upload(f.file, progress, signal);
      if (!r.ok) {
        for (const u of uploads) up.discard(u.uploadId);
        if (r.aborted) return null;
        throw new Error(`${f.path}: ${r.message}`);
      }
      uploads.push({ name: f.path, uploadId: r.uploadId });
      done += f.file.size;
      progress(0);
    }
    return { uploads };
  }

  /**
   * Imports dropped files as one dataset (an IDX images file with its labels file, a CSV, an .npy pair, …).
   * The files go to main with progress (uploaded in browser mode, read in the page in the desktop app); main queues
   * the import, parses it in a worker and stores it in one transaction. Several drops queue behind each other.
   */
  async function importFiles(input: (File | PickedFile)[]): Promise<DatasetInfo | null> {
    if (!input.length) return null;
    const files = input.map((f) => (f instanceof File ? { file: f, path: f.name } : f));
    const top = [...new Set(files.map((f) => f.path.split('/')[0]!))];
    const names = top.length > 3 ? [...top.slice(0, 3), `… ${top.length - 3} more`] : top;
    const totalBytes = files.reduce((a, f) => a + f.file.size, 0);
    const id = crypto.randomUUID();
    const local = new AbortController();
    importError.value = null;
    imports.value = [...imports.value, { id, files: names, totalBytes, phase: 'read', fraction: 0, cancelling: false }];
    inPage.set(id, local);
    try {
      let source;
      try {
        source = await send(id, files, totalBytes, local.signal);
      } catch (e) {
        importError.value = { files: names, message: `Could not send the dropped files: ${(e as Error).message}` };
        return null;
      } finally {
        inPage.delete(id);
      }
      if (!source || local.signal.aborted) {
        useApp().toast('info', `Import cancelled: ${names.join(', ')}`);
        return null;
      }
      patch(id, { phase: 'queued', fraction: 0 });
      const r = await api()['datasets/import']({ ...source, importId: id });
      if (!r.ok) {
        if (r.code === 'conflict' && imports.value.find((x) => x.id === id)?.cancelling) {
          useApp().toast('info', `Import cancelled: ${names.join(', ')}`, 'Nothing was added.');
          return null;
        }
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
      imports.value = imports.value.filter((x) => x.id !== id);
    }
  }

  return { list, loaded, selectedId, selected, samples, imports, importError, byId, load, loadSamples, remove, importFiles, cancelImport, failImport };
});
