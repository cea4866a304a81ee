/**
 * Job worker: one process per clustering run (or dataset import). Receives a JobSpec, opens the database read-only, loads
 * the dataset, applies the run's preprocessing, runs fitKMeans then computeMetrics, streams throttled progress (about 7 per second, plus
 * every phase change), sends the arrays back (the run is then `done`), computes the silhouette, sends it and exits. Main persists runs; a job worker's only write is an imported dataset.
 * A silhouette job (SilhouetteSpec: a done run's silhouette computed afterwards) loads the dataset and the run's saved
 * labels and runs the same silhouette pass.
 * A map (EmbedSpec, worker/embed.ts) is computed the same way and sent back for main to cache.
 * An import (ImportSpec) parses the files and stores the Dataset through its own connection, so a
 * slow or hostile file never blocks or crashes main, nor does writing a large one.
 *
 * Runs under Electron's utilityProcess (messages on `process.parentPort`) or child_process.fork
 * (`process.send`, structured clone).
 */
import type { JobPhase, JobProgress, SilhouetteOptions } from '../../src-shared/api';
import { fitKMeans } from '../engine/kmeans';
import { computeMetrics, silhouetteByMode } from '../engine/metrics';
import { firstSilhouetteSample, PassSilhouette, RunningGroupSilhouette, type SilhouetteEstimate } from '../engine/metrics/silhouette-estimate';
import { preprocess } from '../engine/preprocess';
import type { DataMatrix, Dataset } from '../../src-shared/model';
import { readFileForImport } from '../datasets/files';
import { parseDatasetFiles } from '../datasets/import';
import { loadMnist } from '../datasets/mnist';
import { loadDatasetFromPath } from '../datasets/load';
import type { FromWorker, ImportSpec, JobSpec, LabelingSpec, SilhouetteSpec, ToWorker } from '../jobs/protocol';
import { externalRun, readLabeling } from '../external-run';
import { insertDatasetInFile, loadDatasetReadOnly, loadRunLabelsReadOnly, storedDatasetInfo } from '../store';
import { runOutcome, silhouetteOutcome } from '../store/runs-repo';
import { runEmbed } from './embed';
import { sharedKernelPool } from '../engine/kernels/pool';
import { prepareForKernels } from '../engine/kernels/default';

/** Minimum time between two progress messages of the same phase, ms. */
const PROGRESS_INTERVAL_MS = 140;

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function post(message: FromWorker): Promise<void> {
  if (parentPort) {
    parentPort.postMessage(message);
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    if (!process.send) return reject(new Error('the job worker must be started with an IPC channel'));
    process.send(message, undefined, undefined, (err) => (err ? reject(err) : resolve()));
  });
}

/** Overall job fraction at the start of each phase (silhouette gets most of the time when exact). */
function phaseSpans(silhouette: SilhouetteOptions, silhouetteOnly = false): Record<JobPhase, [number, number]> {
  // a silhouette job (a done run's, computed afterwards) is a load and the silhouette
  if (silhouetteOnly) return { load: [0, 0.05], fit: [0.05, 0.05], silhouette: [0.05, 0.99], metrics: [0.99, 1] };
  const sil = silhouette.mode === 'exact' ? 0.6 : silhouette.mode === 'sample' ? 0.15 : 0;
  const fitEnd = 0.97 - sil;
  return {
    load: [0, 0.03],
    fit: [0.03, fitEnd],
    silhouette: [fitEnd, fitEnd + sil],
    metrics: [fitEnd + sil, 1],
  };
}

type Progress = (phase: JobPhase, phaseFraction: number, extra?: Partial<JobProgress>, force?: boolean) => void;

/** Throttled progress of one job (at most one message per PROGRESS_INTERVAL_MS and phase, monotone fraction). */
function progressReporter(runId: number, spans: Record<JobPhase, [number, number]>): Progress {
  const started = Date.now();
  let lastPhase: JobPhase | null = null;
  let lastSent = 0;
  let lastFraction = 0;
  return (phase, phaseFraction, extra = {}, force = false) => {
    const now = Date.now();
    if (!force && phase === lastPhase && now - lastSent < PROGRESS_INTERVAL_MS) return;
    const [a, b] = spans[phase];
    lastFraction = Math.max(lastFraction, a + (b - a) * Math.min(1, Math.max(0, phaseFraction)));
    lastPhase = phase;
    lastSent = now;
    void post({ type: 'progress', progress: { runId, phase, fraction: lastFraction, elapsedMs: now - started, ...extra } });
  };
}

async function runJob(job: JobSpec): Promise<void> {
  const progress = progressReporter(job.runId, phaseSpans(job.silhouette));

  progress('load', 0, {}, true);
  const dataset = takeStaged(job.dbPath, job.datasetId) ?? loadDatasetReadOnly(job.dbPath, job.datasetId);
  const { matrix, transform } = preprocess(dataset, job.preprocessing);

  progress('fit', 0, {}, true);
  const fitStart = performance.now();
  const result = await fitKMeans(matrix, job.params, {
    onProgress: (p) => progress('fit', p.fraction, { initRun: p.run, iteration: p.iteration, inertia: p.inertia }),
  });
  const fitMs = performance.now() - fitStart;

  // every metric but the silhouette, then the result: main saves the run `done` and shows it at once
  const metricsStart = performance.now();
  const computed = await computeMetrics(matrix, result.labels, result.centers, dataset.labels ?? null, { silhouette: 'none' });
  const silhouettePending = job.silhouette.mode !== 'none';
  const outcome = runOutcome(result, transform, computed.metrics, null, { fitMs, metricsMs: performance.now() - metricsStart });
  await post({ type: 'result', runId: job.runId, outcome: { ...outcome, silhouettePending } });
  if (!silhouettePending) return;
  await computeAndSendSilhouette(job.runId, matrix, result.labels, job.silhouette, job.params.seed, progress, metricsStart);
}

/**
 * The silhouette of a run's labels, sent to main: the values computeMetrics gives (same rows, same sample, same
 * seed), with the exact pass's estimate first. `metricsStart`: when the run's metrics began (its metricsMs then
 * covers them all), or null for a silhouette computed afterwards.
 */
async function computeAndSendSilhouette(
  runId: number, matrix: DataMatrix, labels: Int32Array, silhouette: SilhouetteOptions, seed: number, progress: Progress, metricsStart: number | null,
): Promise<void> {
  progress('silhouette', 0, {}, true);
  // the exact pass takes seconds: an estimate of its value first (rows drawn at random), then refined from the rows
  // the pass has finished (PassSilhouette: exact where finished, the first sample's rows for the rest); exact at the end
  const exact = silhouette.mode === 'exact';
  const first = exact
    ? await firstSilhouetteSample(matrix, labels, { seed }).catch((e: unknown) => {
        console.error('worker: no silhouette estimate:', e);
        return null;
      })
    : null;
  let shown = first?.estimate ?? null;
  const silhouetteExtra = (): Partial<JobProgress> => (shown ? { silhouetteEstimate: shown } : {});
  if (shown) progress('silhouette', 0, silhouetteExtra(), true);
  // without a first sample, the finished blocks alone (a wider interval), shown once it is finite
  const withSample = first ? new PassSilhouette(matrix.n, first.order, Float64Array.from(first.order, (i) => first.samples[i])) : null;
  const blocksOnly = exact && !first ? new RunningGroupSilhouette(matrix.n) : null;
  let estimateFailed = false;
  const s = await silhouetteByMode(matrix, labels, silhouette.mode, {
    sampleSize: silhouette.sampleSize,
    seed: seed,
    onSamples: !exact
      ? undefined
      : (rows, values) => {
          // called from the kernel pool's progress loop: a fault here must not break the pass, only the estimate
          if (estimateFailed) return;
          try {
            let e: SilhouetteEstimate;
            if (withSample) {
              withSample.add(rows, values);
              e = withSample.estimate();
            } else {
              blocksOnly!.addGroup(values);
              e = blocksOnly!.estimate();
            }
            if (Number.isFinite(e.halfWidth)) shown = e;
          } catch (err) {
            estimateFailed = true;
            console.error('worker: the silhouette estimate stops refining:', err);
          }
        },
    // the pass's exact value (every row in) is sent at once, before the silhouette is saved
    onProgress: (f) => progress('silhouette', f, silhouetteExtra(), shown?.halfWidth === 0),
  });
  progress('metrics', 1, silhouetteExtra(), true);
  await post({
    type: 'silhouette',
    runId,
    result: { value: s ? s.score : null, silhouette: silhouetteOutcome(s), metricsMs: metricsStart === null ? null : performance.now() - metricsStart },
  });
}

/**
 * A done run's silhouette computed afterwards: the matrix the run was measured on (its dataset through its
 * preprocessing, or in feature units for an external labeling) and its saved labels, then the run's silhouette pass.
 */
async function runSilhouetteJob(spec: SilhouetteSpec): Promise<void> {
  const progress = progressReporter(spec.runId, phaseSpans(spec.silhouette, true));
  progress('load', 0, {}, true);
  const dataset = takeStaged(spec.dbPath, spec.datasetId) ?? loadDatasetReadOnly(spec.dbPath, spec.datasetId);
  const labels = loadRunLabelsReadOnly(spec.dbPath, spec.runId);
  if (labels.length !== dataset.n) throw new Error(`run ${spec.runId} has ${labels.length} labels for the ${dataset.n} rows of its dataset`);
  const matrix = spec.preprocessing === null ? dataset : preprocess(dataset, spec.preprocessing).matrix;
  await computeAndSendSilhouette(spec.runId, matrix, labels, spec.silhouette, spec.seed, progress, null);
}

/** Resolves with main's next message of type `type` (a go-ahead during a job). */
function nextMessage(type: ToWorker['type']): Promise<void> {
  return new Promise((resolve) => {
    const listener = (raw: unknown): void => {
      if ((raw as ToWorker | null)?.type !== type) return;
      if (parentPort) resolve();
      else {
        process.off('message', listener);
        resolve();
      }
    };
    if (parentPort) parentPort.on('message', (e) => listener(e.data));
    else process.on('message', listener);
  });
}

/**
 * Parses a dataset (files on disk or uploaded bytes), waits for main's go-ahead (a cancel kills it before) and
 * stores the dataset itself, so main only registers it.
 */
async function runImport(spec: ImportSpec): Promise<void> {
  let last = 0;
  const onProgress = (fraction: number): void => {
    const now = Date.now();
    if (now - last < PROGRESS_INTERVAL_MS && fraction < 1) return;
    last = now;
    void post({ type: 'import-progress', fraction });
  };
  const opts = { labelColumn: spec.labelColumn, color: spec.color, limits: spec.limits, onProgress };
  let dataset: Dataset;
  if (spec.builtin === 'mnist') dataset = loadMnist();
  else if (spec.paths?.length === 1) dataset = await loadDatasetFromPath(spec.paths[0], opts);
  else if (spec.paths) dataset = await parseDatasetFiles(spec.paths.map((p) => ({ name: p, bytes: readFileForImport(p) })), opts);
  else if (spec.uploads) dataset = await parseDatasetFiles(spec.uploads.map((u) => ({ name: u.name, bytes: readFileForImport(u.path, undefined, u.name) })), opts);
  else dataset = await parseDatasetFiles(spec.files ?? [], opts);
  if (spec.name) dataset.name = spec.name;
  const go = nextMessage('store');
  await post({ type: 'import-parsed' });
  await go;
  const { id, existed } = await insertDatasetInFile(spec.dbPath, dataset);
  await post({ type: 'import-stored', datasetId: id, existed });
}

/** A labeling made elsewhere: parses the labels file, computes every metric and sends the external run back; main stores it. */
async function runLabeling(spec: LabelingSpec): Promise<void> {
  const dataset = loadDatasetReadOnly(spec.dbPath, spec.datasetId);
  const values = readLabeling(spec.file.name, spec.file.bytes, dataset);
  const made = await externalRun(dataset, values, { source: spec.file.name, name: spec.name, silhouette: spec.silhouette });
  await post({ type: 'labeled', made });
}

/** Largest matrix a spare reads ahead (bytes): MNIST is 55 MB. */
const STAGE_MAX_BYTES = 256 * 2 ** 20;

/** The dataset a spare read ahead, with the content hash it had then. */
let staged: { dbPath: string; datasetId: number; hash: string; dataset: Dataset } | null = null;

/**
 * The staged dataset when it is the job's: same file, same id, and still the same content (an id can be reused
 * after a delete, so the stored hash is read again: one small query instead of the whole matrix).
 */
function takeStaged(dbPath: string, datasetId: number): Dataset | null {
  const s = staged;
  staged = null;
  if (!s || s.dbPath !== dbPath || s.datasetId !== datasetId) return null;
  return storedDatasetInfo(dbPath, datasetId)?.hash === s.hash ? s.dataset : null;
}

/** While it waits as a spare: the WASM module compiled, the kernel threads started and the last dataset read, ready for the job. */
function warmUp(stage: { dbPath: string; datasetId: number } | undefined): void {
  if (stage) {
    try {
      const info = storedDatasetInfo(stage.dbPath, stage.datasetId);
      // an idle spare holds at most STAGE_MAX_BYTES: a larger dataset is read by its job, as without a spare
      if (info && info.n * info.d * (info.dtype === 'uint8' ? 1 : 4) <= STAGE_MAX_BYTES) {
        staged = { ...stage, hash: info.hash, dataset: loadDatasetReadOnly(stage.dbPath, stage.datasetId) };
      }
    } catch (e) {
      // the job reads its dataset itself (and reports why it cannot)
      console.error('worker warm-up: could not read the last dataset ahead:', e);
    }
  }
  let pool: Promise<void>;
  try {
    pool = sharedKernelPool()
      .ready()
      .catch((e: unknown) => console.error('worker warm-up: the kernel threads did not start:', e));
  } catch (e) {
    // the job then starts the pool itself (and reports why it cannot)
    console.error('worker warm-up failed:', e);
    pool = Promise.resolve();
  }
  // once the threads run: a uint8 dataset read ahead moves into the kernels' memory, staged (unless its job took it already)
  void pool
    .then(() => {
      try {
        if (staged !== null) staged = { ...staged, dataset: prepareForKernels(staged.dataset) };
      } catch (e) {
        console.error('worker warm-up: could not stage the dataset for the kernels:', e);
      }
      return post({ type: 'warmed' });
    })
    .catch(() => undefined);
}

function onMessage(raw: unknown): void {
  const message = raw as ToWorker;
  if (message?.type === 'warm') return warmUp(message.stage);
  if (message?.type !== 'start' && message?.type !== 'silhouette' && message?.type !== 'import' && message?.type !== 'labeling' && message?.type !== 'embed') return;
  if ((message.type === 'start' || message.type === 'silhouette') && message.heartbeatMs) {
    // main's watchdog kills a silent worker; a failed send (main gone) is handled by 'disconnect'
    setInterval(() => void post({ type: 'heartbeat' }).catch(() => undefined), message.heartbeatMs).unref();
  }
  const work =
    message.type === 'start'
      ? runJob(message.job)
      : message.type === 'silhouette'
        ? runSilhouetteJob(message.spec)
        : message.type === 'import'
        ? runImport(message.spec)
        : message.type === 'labeling'
          ? runLabeling(message.spec)
          : runEmbed(message.spec, post, PROGRESS_INTERVAL_MS);
  const runId = message.type === 'start' ? message.job.runId : message.type === 'silhouette' ? message.spec.runId : null;
  work.then(
    () => {
      // child_process: the result was flushed (send callback). utilityProcess has no such callback: main kills
      // the process once it has the result; exit anyway if that does not happen.
      if (parentPort) setTimeout(() => process.exit(0), 5000);
      else process.exit(0);
    },
    async (e: unknown) => {
      const err = e instanceof Error ? e : new Error(String(e));
      try {
        const code = (err as { code?: unknown }).code;
        await post({ type: 'error', runId, name: err.name, message: err.message, code: typeof code === 'string' ? code : undefined });
      } finally {
        // as for a result: under utilityProcess main kills the process once it has the message
        if (parentPort) setTimeout(() => process.exit(1), 5000);
        else process.exit(1);
      }
    },
  );
}

if (parentPort) parentPort.on('message', (e) => onMessage(e.data));
else {
  process.on('message', onMessage);
  // main is gone (crashed or killed): nobody will take the result, so stop now rather than at the next post
  process.on('disconnect', () => process.exit(1));
}
