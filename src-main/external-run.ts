/**
 * Runs made outside the app's queue: a labeling made elsewhere (scikit-learn, Spark, FAISS; `score --save`, a labels
 * file dropped on a dataset) becomes an external run, and `cluster --save` stores a CLI fit. Both are written to the
 * app's database in one transaction (dataset, when new, and run with its arrays), so an open app sees all of it or
 * nothing and picks it up by itself (services' external-changes watcher).
 */
import { basename, join } from 'node:path';
import type { RunInfo, RunOrigin, SilhouetteOptions } from '../src-shared/api';
import { defaultPreprocessing } from '../src-shared/defaults';
import type { Dataset, Metrics } from '../src-shared/model';
import { DatasetError } from './datasets/errors';
import { parseLabelValues } from './datasets/labels-file';
import { computeMetrics } from './engine/metrics';
import { clusterMeans } from './engine/metrics/internal';
import type { SilhouetteScore } from './engine/metrics/silhouette';
import { encodeLabels } from './engine/metrics/labels';
import { resolveParams } from './engine/params';
import { DB_FILE, Store } from './store';
import { silhouetteOutcome, type NewRun, type RunOutcome } from './store/runs-repo';

/** The labels of a labeling file (see datasets/labels-file.ts), one per row of `ds`, or a DatasetError saying what is wrong. */
export function readLabeling(file: string, bytes: Uint8Array, ds: { name: string; n: number }): Int32Array {
  return checkLabelingLength(file, parseLabelValues(file, bytes), ds);
}

/** `values` when there is one per row of `ds`, else a DatasetError naming the file and both counts. */
export function checkLabelingLength(file: string, values: Int32Array, ds: { name: string; n: number }): Int32Array {
  if (values.length !== ds.n) {
    throw new DatasetError(file, `has ${values.length} labels but the dataset ${ds.name} has ${ds.n} rows; there must be one label per row`);
  }
  return values;
}

export interface ExternalRun {
  run: Omit<NewRun, 'datasetId'>;
  outcome: RunOutcome;
}

/**
 * An external run from one label per row (any 32-bit integers; clusters are numbered 0 … K − 1 in increasing
 * order of the values, so −1 "noise" becomes cluster 0). Measured in the dataset's feature units (MNIST: [0, 1]),
 * as `score` measures it: every metric, inertia to the cluster means, centers = the cluster means.
 * @param values length ds.n.
 */
export async function externalRun(
  ds: Dataset,
  values: Int32Array,
  opts: {
    source: string;
    silhouette: SilhouetteOptions;
    seed?: number;
    name?: string;
    signal?: AbortSignal;
    /** The labeling's metrics when already computed (with the same silhouette options and seed): not computed again. */
    computed?: { metrics: Metrics; silhouette: SilhouetteScore | null };
  },
): Promise<ExternalRun> {
  if (values.length !== ds.n) throw new RangeError(`${values.length} labels for ${ds.n} rows`);
  const start = performance.now();
  const { codes, counts } = encodeLabels(values);
  const k = counts.length;
  const { centroids } = clusterMeans(ds, codes, counts);
  const seed = opts.seed ?? 0;
  const computed =
    opts.computed ??
    (await computeMetrics(ds, codes, null, ds.labels ?? null, {
      silhouette: opts.silhouette.mode,
      sampleSize: opts.silhouette.sampleSize,
      seed,
      signal: opts.signal,
    }));
  const origin: RunOrigin = { kind: 'external', source: opts.source };
  return {
    run: {
      name: opts.name ?? `${basename(opts.source)} (${k} clusters)`,
      // placeholders: an external run has no parameters (shown as n/a); k is its number of clusters
      params: resolveParams({ k, seed }, ds.n),
      preprocessing: defaultPreprocessing(ds),
      silhouette: opts.silhouette,
      sweepId: null,
      origin,
    },
    outcome: {
      centers: centroids,
      transform: null,
      labels: codes,
      history: [],
      nIter: 0,
      metrics: computed.metrics,
      silhouette: silhouetteOutcome(computed.silhouette),
      fitMs: 0,
      metricsMs: performance.now() - start,
    },
  };
}

/**
 * Stores a finished run in the database of `dataDir` in one transaction: its dataset (found by content hash,
 * inserted when new) and the run with its arrays. Safe while the app is open (SQLite WAL; the app's own
 * writes wait at most the busy timeout).
 */
export function saveRunToDataDir(dataDir: string, ds: Dataset, made: ExternalRun): RunInfo {
  const store = Store.open(join(dataDir, DB_FILE));
  try {
    return store.db.transaction(() => {
      const { info } = store.datasets.insert(ds);
      return store.runs.insertFinished({ ...made.run, datasetId: info.id }, made.outcome);
    });
  } finally {
    store.close();
  }
}
