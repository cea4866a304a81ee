/**
 * From the app to a notebook and back: a done run's notebook files (labels.npy, centers.npy, run.json,
 * reproduce.py; cached per run) and labelings made elsewhere imported as external runs.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { RunExportReply, RunInfo } from '../../src-shared/api';
import { api } from '../api';
import { useApp } from './app';
import { useRuns } from './runs';

export const useNotebook = defineStore('notebook', () => {
  const exports = new Map<number, RunExportReply>();
  /** Dataset id → the labels file being imported on it. */
  const importing = ref<Record<number, string>>({});
  /** Dataset id → why the last labels file was refused. */
  const importErrors = ref<Record<number, string>>({});

  /** The run's notebook files, or null (a toast says why). */
  async function exportOf(runId: number): Promise<RunExportReply | null> {
    const cached = exports.get(runId);
    if (cached) return cached;
    const r = await api()['runs/export']({ id: runId });
    if (!r.ok) {
      useApp().toast('error', 'Could not export the run', r.message);
      return null;
    }
    exports.set(runId, r.data);
    return r.data;
  }

  /** Puts reproduce.py on the clipboard; false when it could not (a toast says why). */
  async function copyCode(runId: number): Promise<boolean> {
    const e = await exportOf(runId);
    if (!e) return false;
    if (!e.code) {
      useApp().toast('info', 'No scikit-learn code for this run', e.reproduceNote ?? undefined);
      return false;
    }
    try {
      await navigator.clipboard.writeText(e.code);
    } catch (err) {
      useApp().toast('error', 'Could not copy to the clipboard', (err as Error).message);
      return false;
    }
    useApp().toast('ok', 'Copied scikit-learn code', 'model.labels_ will equal this run’s labels.');
    return true;
  }

  /** A labels file made elsewhere becomes an external run on the dataset; returns it, or null with the reason in importErrors. */
  async function importLabeling(datasetId: number, file: File): Promise<RunInfo | null> {
    if (importing.value[datasetId]) return null;
    importing.value = { ...importing.value, [datasetId]: file.name };
    const { [datasetId]: _old, ...rest } = importErrors.value;
    importErrors.value = rest;
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const r = await api()['runs/importLabeling']({ datasetId, file: { name: file.name, bytes } });
      if (!r.ok) {
        importErrors.value = { ...importErrors.value, [datasetId]: r.message.replace(/^runs\/importLabeling:\s*/, '') };
        return null;
      }
      useRuns().upsert(r.data);
      useApp().toast('ok', `Imported ${r.data.name}`, 'An external run: every metric, centers = cluster means.');
      return r.data;
    } catch (err) {
      importErrors.value = { ...importErrors.value, [datasetId]: `Could not read ${file.name}: ${(err as Error).message}` };
      return null;
    } finally {
      const { [datasetId]: _done, ...others } = importing.value;
      importing.value = others;
    }
  }

  return { importing, importErrors, exportOf, copyCode, importLabeling };
});
