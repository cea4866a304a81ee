/**
 * The files a run exports for a notebook (the same from `cluster --export DIR` and the run page's Export menu):
 * - `labels.npy`: int32, (n,), the cluster of each row;
 * - `centers.npy`: float64, (k, d), in the units the model was fit in (after preprocessing);
 * - `run.json`: parameters, preprocessing (mode, scikit-learn transformer, per-feature transform) and every metric;
 * - `reproduce.py`: scikit-learn code that rebuilds the run (see reproduce-py.ts); left out for runs made
 *   elsewhere (no parameters) and for data without a NumPy loader, with the reason in run.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunOrigin } from '../../src-shared/api';
import type { FeatureTransform, KMeansParams, Metrics, Preprocessing } from '../../src-shared/model';
import { encodeNpy } from '../datasets/npy';
import { effectiveNInit } from '../engine/params';
import { reproducePy, type ReproduceDataset } from './reproduce-py';

export interface RunExportInput {
  name: string;
  origin: RunOrigin;
  dataset: ReproduceDataset;
  /** null for a labeling made elsewhere. */
  params: KMeansParams | null;
  preprocessing: Preprocessing;
  transform: FeatureTransform | null;
  /** Length n. */
  labels: Int32Array;
  /** k × d, row-major, in the units the model was fit in. */
  centers: Float64Array;
  k: number;
  metrics: Metrics;
  nIter: number | null;
  silhouette: { mode: string; exact: boolean; sampleSize: number } | null;
}

export interface ExportFile {
  name: string;
  bytes: Uint8Array;
}

/** scikit-learn's name of each preprocessing, as applied in reproduce.py. */
function sklearnPreprocessing(mode: Preprocessing, dtype: string, scale: number): string | null {
  if (mode === 'standardize') return 'StandardScaler';
  if (mode === 'scale') return dtype === 'uint8' ? (scale === 1 ? null : 'X / 255') : 'MinMaxScaler';
  return null;
}

export interface RunExport {
  /** labels.npy, centers.npy, run.json, and reproduce.py when it can be written. */
  files: ExportFile[];
  /** reproduce.py's text, or null with the reason in `reproduceNote`. */
  code: string | null;
  reproduceNote: string | null;
}

/** The export files of a run. */
export function buildRunExport(run: RunExportInput): RunExport {
  const { dataset: ds, k } = run;
  if (run.labels.length !== ds.n) throw new Error(`run ${run.name}: ${run.labels.length} labels for ${ds.n} rows`);
  if (run.centers.length !== k * ds.d) throw new Error(`run ${run.name}: centers are not ${k} × ${ds.d}`);
  let reproduce: string | null = null;
  let reproduceNote: string | null = null;
  if (!run.params) reproduceNote = 'a labeling made elsewhere has no parameters to refit';
  else {
    try {
      reproduce = reproducePy(run, ds, run.params, run.preprocessing);
    } catch (e) {
      reproduceNote = (e as Error).message;
    }
  }
  const json = {
    format: 'kmeans-explorer/export@1',
    name: run.name,
    origin: run.origin,
    dataset: { name: ds.name, source: ds.source, n: ds.n, d: ds.d, dtype: ds.dtype, scale: ds.scale },
    params: run.params,
    sklearn: run.params
      ? { estimator: run.params.algorithm === 'minibatch' ? 'MiniBatchKMeans' : 'KMeans', n_init: effectiveNInit(run.params), random_state: run.params.seed }
      : null,
    preprocessing: {
      mode: run.preprocessing,
      sklearn: sklearnPreprocessing(run.preprocessing, ds.dtype, ds.scale),
      // x' = (x − offset) × factor, x = raw × scale; null = the centers are in feature units
      transform: run.transform ? { offset: Array.from(run.transform.offset), factor: Array.from(run.transform.factor) } : null,
    },
    k,
    inertia: run.metrics.inertia,
    nIter: run.nIter,
    silhouette: run.silhouette,
    metrics: run.metrics,
    files: {
      labels: { file: 'labels.npy', dtype: 'int32', shape: [ds.n] },
      centers: { file: 'centers.npy', dtype: 'float64', shape: [k, ds.d], units: 'the units the model was fit in (after preprocessing)' },
      reproduce: reproduce ? 'reproduce.py' : null,
      ...(reproduceNote ? { reproduceNote } : {}),
    },
  };
  const text = new TextEncoder();
  const files: ExportFile[] = [
    { name: 'labels.npy', bytes: encodeNpy({ type: 'int32', shape: [ds.n], data: run.labels }) },
    { name: 'centers.npy', bytes: encodeNpy({ type: 'float64', shape: [k, ds.d], data: run.centers }) },
    { name: 'run.json', bytes: text.encode(`${JSON.stringify(json, null, 1)}\n`) },
  ];
  if (reproduce) files.push({ name: 'reproduce.py', bytes: text.encode(reproduce) });
  return { files, code: reproduce, reproduceNote };
}

/** Writes the export files into `dir` (created when missing). */
export function writeExportDir(dir: string, files: ExportFile[]): void {
  mkdirSync(dir, { recursive: true });
  for (const f of files) writeFileSync(join(dir, f.name), f.bytes);
}
