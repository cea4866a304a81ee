/**
 * Worker side of a map: loads the dataset read-only, applies the preprocessing, computes the map
 * (engine/embed) with throttled progress, and posts the coordinates; main caches them.
 */
import { embed } from '../engine/embed';
import { preprocess } from '../engine/preprocess';
import type { EmbedSpec, FromWorker } from '../jobs/protocol';
import { loadDatasetReadOnly } from '../store';

export async function runEmbed(spec: EmbedSpec, post: (m: FromWorker) => Promise<void>, intervalMs: number): Promise<void> {
  const started = performance.now();
  const dataset = loadDatasetReadOnly(spec.dbPath, spec.datasetId);
  const { matrix } = preprocess(dataset, spec.preprocessing);
  let last = 0;
  const embedding = await embed(matrix, spec.method, {
    seed: spec.seed,
    onProgress: (fraction, epoch, epochs) => {
      const now = Date.now();
      if (now - last < intervalMs && fraction < 1) return;
      last = now;
      void post({ type: 'embed-progress', fraction, epoch, epochs });
    },
  });
  await post({ type: 'embedded', embedding, computeMs: performance.now() - started });
}
