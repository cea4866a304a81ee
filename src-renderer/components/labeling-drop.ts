/**
 * Dropping a labels file on a dataset (its "Labelings made elsewhere" box, or its item in the datasets list): the
 * file becomes an external run on that dataset and its run page opens. Elements using these handlers carry
 * `data-drop-labeling`, so the window's drop zone leaves their drops to them (DropZone.vue).
 */
import { ref } from 'vue';
import { useDatasets } from '../stores/datasets';
import { useRouter } from 'vue-router';
import { paths } from '../router/paths';
import { useNotebook } from '../stores/notebook';

export function useLabelingDrop() {
  const notebook = useNotebook();
  const datasets = useDatasets();
  const router = useRouter();
  /** The dataset a labels file is being dragged over, or null. */
  const overId = ref<number | null>(null);

  async function importFile(datasetId: number, file: File | undefined): Promise<void> {
    if (!file) return;
    const run = await notebook.importLabeling(datasetId, file);
    if (run) await router.push(paths.run(run.id));
  }

  function onOver(e: DragEvent, datasetId: number): void {
    if (!e.dataTransfer || !Array.from(e.dataTransfer.types).includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    overId.value = datasetId;
  }

  function onLeave(): void {
    overId.value = null;
  }

  function onDrop(e: DragEvent, datasetId: number): void {
    // preventDefault tells the window's drop zone that this drop is taken
    e.preventDefault();
    overId.value = null;
    // the dataset's page shows the progress and any error
    datasets.selectedId = datasetId;
    const files = Array.from(e.dataTransfer?.files ?? []);
    if (files.length !== 1) {
      notebook.importErrors = { ...notebook.importErrors, [datasetId]: `Drop one labels file at a time (got ${files.length}).` };
      return;
    }
    void importFile(datasetId, files[0]);
  }

  return { overId, importFile, onOver, onLeave, onDrop };
}
