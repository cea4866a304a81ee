/**
 * The one contract between the renderer and the main process.
 *
 * Every operation is declared once in {@link Requests} (request payload → reply data) and every
 * push message once in {@link Events}. The Electron preload, the browser-mode WebSocket server,
 * `src-main/services/`, the renderer's client and the tests are all typed against these maps, so a
 * missing handler or a wrong payload is a compile error. Payloads are validated again at run time in
 * main (`src-shared/schema.ts`): a bad request is answered `{ok: false, code: 'bad-request', message}`
 * naming the bad field; nothing throws across the boundary.
 *
 * No Node or DOM imports here: this file runs in the sandboxed preload, the renderer, main and workers.
 *
 * ## How the renderer reaches the API — {@link Api}
 *
 * - **Electron**: the preload exposes `window.api: Api` (one function per request name, plus `on`).
 *   Typed arrays cross as typed arrays (structured clone).
 * - **Browser mode** (`kmeans-explorer serve`): `window.api` is undefined; the renderer builds the same
 *   `Api` over a WebSocket (`src-shared/browser-wire.ts` for the frames, and
 *   `src-shared/wire.ts` for the codec both sides use). Use `createWsApi()`-style code in `src-renderer/api/` that returns `Api`.
 *
 * ```ts
 * const api: Api = window.api ?? (await connectWs());
 * const r = await api['runs/start']({ datasetId: 1, params: { k: 10, algorithm: 'minibatch' } });
 * if (!r.ok) showError(r.message); else …r.data.runs…
 * const off = api.on('job/progress', (p) => …); off();
 * ```
 *
 * The browser-mode wire protocol (frames, token, uploads) is in `src-shared/browser-wire.ts`.
 */
import type {
  Algorithm,
  DType,
  ImageShape,
  IterationInfo,
  KMeansParams,
  MatrixData,
  FeatureTransform,
  Metrics,
  Preprocessing,
  SilhouetteMode,
} from './model';
import type { ColorMode, RunStatus } from './params';

// ───────────────────────────── replies ─────────────────────────────

/**
 * Why a request failed:
 * - `bad-request`: the payload is malformed or a parameter is out of range (message names the field);
 * - `not-found`: the dataset or run id does not exist;
 * - `conflict`: the request is valid but not now (e.g. cancel a finished run, compare runs on different datasets);
 * - `unsupported`: not available in this host (e.g. import by path in browser mode);
 * - `unauthorized`: browser mode without the token;
 * - `internal`: a bug or an I/O failure; the message says what happened.
 */
/** `busy`: the database refused for a passing reason (locked by another connection, disk full); try again. */
export type ErrorCode = 'bad-request' | 'not-found' | 'conflict' | 'unsupported' | 'unauthorized' | 'busy' | 'internal';

export interface ErrorReply {
  ok: false;
  code: ErrorCode;
  message: string;
}

/** Every request is answered with one of these; nothing throws across the boundary. */
export type Reply<T> = { ok: true; data: T } | ErrorReply;

// ───────────────────────────── datasets ─────────────────────────────

/** A stored dataset without its matrix. */
export interface DatasetInfo {
  id: number;
  name: string;
  /** Rows (samples). */
  n: number;
  /** Columns (features). */
  d: number;
  /** Element type of the stored matrix (MNIST: uint8). */
  dtype: DType;
  /** Multiplier from raw values to feature units (MNIST: 1/255). */
  scale: number;
  /** Display names of the true labels, or null when the dataset has no labels. */
  labelNames: string[] | null;
  /** Rows per true label (length labelNames.length), or null. */
  classCounts: number[] | null;
  /** Height × width × channels when each row is an image, else null. */
  imageShape: ImageShape | null;
  /** Names of the d feature columns (a CSV header), or null (shown as X1 … Xd). */
  columnNames: string[] | null;
  /** Where the data came from: a path, file names, or "builtin:mnist". */
  source: string;
  /** SHA-256 (hex) of the matrix, labels and shape: importing the same content twice returns the same dataset. */
  hash: string;
  /** Created time, ms since the epoch. */
  createdAt: number;
  /** Number of stored runs on this dataset. */
  runCount: number;
}

/** Options of an import, passed to the file parsers (`src-main/datasets/import.ts`). */
export interface DatasetImportOptions {
  /** Display name; defaults to the file name. */
  name?: string;
  /** CSV/TSV: the label column — a header name, a 1-based column number (as text), or 'none'; default: a column named label/class/target/y. */
  labelColumn?: string;
  /** Images: keep RGB, convert to gray, or decide from the pixels (default 'auto'). */
  color?: ColorMode;
}

/** Progress of a dataset import (imports wait in one queue in main; parsing runs in its own process). */
export interface ImportProgress {
  /** Id of this import (the request's `importId`, or one main chose): tells concurrent imports apart, and cancels one. */
  importId: string;
  /** File name(s) being imported. */
  name: string;
  /** 'queued': waiting for an earlier import; 'ended': stored, failed or cancelled (the reply says which). */
  phase: 'queued' | 'parse' | 'store' | 'ended';
  /** [0, 1] */
  fraction: number;
}

/** Import from files on the local disk (Electron; in browser mode answered `unsupported`). */
export interface ImportFromPathRequest {
  paths: string[];
  options?: DatasetImportOptions;
  /** Id for progress events and `imports/cancel` (letters, digits, `-`, at most 64); default one main chooses. */
  importId?: string;
}

/** Import from bytes in the request (the desktop app: structured clone; also accepted in browser mode for small files). */
export interface ImportFromBytesRequest {
  files: { name: string; bytes: Uint8Array }[];
  options?: DatasetImportOptions;
  importId?: string;
}

/**
 * Import from files uploaded first (browser mode): each file's bytes are POSTed to {@link UPLOAD_PATH}, which
 * answers `{uploadId, bytes}`; the import names them. Main removes the uploaded files when the import ends.
 */
export interface ImportFromUploadsRequest {
  uploads: { name: string; uploadId: string }[];
  options?: DatasetImportOptions;
  importId?: string;
}

export interface ImportReply {
  dataset: DatasetInfo;
  /** True when a dataset with the same content hash already existed and was returned instead. */
  existed: boolean;
}

/** Rows of a dataset, in their stored dtype. */
export interface DatasetSamples {
  datasetId: number;
  /** Row indices, in the order requested. */
  indices: Int32Array;
  /** Columns per row. */
  d: number;
  dtype: DType;
  /** Multiplier from raw values to feature units. */
  scale: number;
  /** indices.length × d, row-major, raw values (uint8 pixels stay uint8). */
  data: MatrixData;
  /** True label of each returned row, or null when the dataset has no labels. */
  labels: Int32Array | null;
  imageShape: ImageShape | null;
}

/** `source` of the built-in MNIST, which `datasets/delete` refuses (`conflict`): the app has no way to bring it back. */
export const BUILTIN_MNIST_SOURCE = 'builtin:mnist';

/** At most this many rows per `datasets/samples` or `runs/members` request. */
export const MAX_SAMPLES = 10_000;

/** Most files one import may carry (a folder of images can be large): the drop in the app and the schema alike. */
export const MAX_IMPORT_FILES = 200_000;

/** Shape of an upload id and of a client-chosen import id. */
export const UPLOAD_ID_PATTERN = /^[A-Za-z0-9-]{1,64}$/;

// ───────────────────────────── runs ─────────────────────────────

export type { RunStatus } from './params';

/** How the silhouette is computed after the fit. */
export interface SilhouetteOptions {
  /** 'exact' = every sample (O(n²)), 'sample' = a seeded random subset, 'none' = skipped (metric null). */
  mode: SilhouetteMode;
  /** Sample size for mode 'sample' (default 10 000, capped at n). */
  sampleSize?: number;
}

/** Engine parameters as given by the user: anything omitted takes scikit-learn's default (engine/params.ts). */
export type RunParamsInput = Partial<KMeansParams>;

export interface StartRunRequest {
  datasetId: number;
  /** `k` is required unless `sweep` is given. */
  params: RunParamsInput;
  /** Default `{mode: 'sample', sampleSize: 10000}`. */
  silhouette?: SilhouetteOptions;
  /** Display name; default `defaultRunName` (run-names.ts): algorithm, k, seed and silhouette mode. */
  name?: string;
  /** Default: 'scale' for datasets with a scale ≠ 1 (uint8 images), else 'none' (defaultPreprocessing in defaults.ts). */
  preprocessing?: Preprocessing;
  /**
   * A k sweep or a group of repeats: one run per k and seed (same other parameters), sharing a sweep id.
   * `seeds` defaults to `[params.seed]`; one k with several seeds is a "repeat over seeds" group.
   * Limits in k-list.ts (k ≤ 500, at most 500 k, 100 seeds, 2,000 runs).
   */
  sweep?: { ks: number[]; seeds?: number[] };
}

export interface StartRunReply {
  /** The queued runs, in queue order. */
  runs: RunInfo[];
  /** Shared by the runs of a sweep; null for a single run. */
  sweepId: string | null;
}

/**
 * Where a run came from: computed by the app, by `cluster --save`, or a labeling made elsewhere (`score --save`,
 * a labels file dropped on a dataset). An external run has every metric and its centers are the cluster means,
 * but its `params` are placeholders (k = its clusters, the rest defaults): show them as n/a.
 */
export interface RunOrigin {
  kind: 'app' | 'cli' | 'external';
  /** The labels file (external) or the command line (cli); null for 'app'. */
  source: string | null;
}

/**
 * How alike the runs of a sweep or group are, per k (only k with at least two done runs):
 * the seeds × seeds adjusted Rand index and, per cluster of the reference run (the lowest seed), the
 * Jaccard similarity to its best-matching cluster in each other run, averaged over them (as `fpc::clusterboot`).
 */
export interface StabilityReply {
  sweepId: string;
  perK: KStability[];
}

export interface KStability {
  k: number;
  /** Done runs of this k, by seed. */
  runIds: number[];
  seeds: number[];
  /** m × m, row-major (m = runIds.length): ARI between the labelings of runs i and j (1 on the diagonal). */
  ari: Float64Array;
  /** Mean of the off-diagonal ARI. */
  meanAri: number;
  /** runIds[0]. */
  referenceRunId: number;
  /** Per cluster of the reference run (length k): mean over the other runs of the best Jaccard similarity. */
  jaccard: Float64Array;
  /** Rows per cluster of the reference run (length k). */
  sizes: Int32Array;
}

/** A stored run without its arrays. */
export interface RunInfo {
  id: number;
  name: string;
  datasetId: number;
  datasetName: string;
  algorithm: Algorithm;
  /** Parameters after defaults were applied (engine `resolveParams`). */
  params: KMeansParams;
  /** How the data was transformed before clustering (model.ts); centers and distances are in those units. */
  preprocessing: Preprocessing;
  silhouette: SilhouetteOptions;
  status: RunStatus;
  /** Why the run failed / was interrupted; null otherwise. */
  error: string | null;
  sweepId: string | null;
  /** ms since the epoch. */
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** Wall time of the fit (ms), of the metrics (ms); null until done. */
  fitMs: number | null;
  metricsMs: number | null;
  /** Iterations (Lloyd) or steps (mini-batch) of the kept initialisation; null until done. */
  nIter: number | null;
  /** Every metric (inertia included); null until done. */
  metrics: Metrics | null;
  /** Rows per cluster (length k); null until done. */
  clusterSizes: number[] | null;
  origin: RunOrigin;
  /**
   * A done run's silhouette: 'pending' while it is computed after `done` (a `run/updated` follows when it lands),
   * 'final' (metrics.silhouette holds it), 'failed' (not computed: `silhouetteError` says why), 'none' (mode
   * 'none', or the run is not done).
   */
  silhouetteState: SilhouetteState;
  /** Why the silhouette was not computed ('failed'); null otherwise. */
  silhouetteError: string | null;
}

export type SilhouetteState = 'none' | 'pending' | 'final' | 'failed';

/** The silhouette modes a done run's silhouette can be computed in afterwards (`runs/computeSilhouette`). */
export const COMPUTE_SILHOUETTE_MODES = ['sample', 'exact'] as const;

/**
 * Computes a done run's silhouette afterwards: one not computed ('failed'), a run started with mode 'none', or a
 * final one in other options (sampled → exact). Queued as a job of its own (one slot, progress, `runs/cancel`
 * stops it, the watchdog); the run's silhouette options become these and its state 'pending' until it lands.
 */
export interface ComputeSilhouetteRequest {
  runId: number;
  mode: (typeof COMPUTE_SILHOUETTE_MODES)[number];
  /** Mode 'sample' only: rows of the sample (default 10,000, capped at n); seeded by the run's seed as a run's. */
  sampleSize?: number;
}

/** A labeling made elsewhere (scikit-learn, Spark MLlib, FAISS) to become an external run on a dataset. */
export interface ImportLabelingRequest {
  datasetId: number;
  /**
   * One label per row of the dataset: one integer per line, a CSV/TSV whose header names the column (cluster,
   * label, prediction, …; the app's own labels export), or a 1-D .npy / IDX array of integers.
   */
  file: { name: string; bytes: Uint8Array };
  /** Display name; default "<file name> (K clusters)". */
  name?: string;
  /** Default `{mode: 'sample', sampleSize: 10000}`. */
  silhouette?: SilhouetteOptions;
}

/** A done run's files for a notebook (as `cluster --export DIR` writes them). */
export interface RunExportReply {
  id: number;
  /** labels.npy (int32, n), centers.npy (float64, k × d, in the units the model was fit in), run.json and, when it can be written, reproduce.py. */
  files: { name: string; bytes: Uint8Array }[];
  /** reproduce.py's text (for "Copy as scikit-learn code"), or null with the reason in `reproduceNote`. */
  code: string | null;
  reproduceNote: string | null;
}

export interface ListRunsRequest {
  datasetId?: number;
  sweepId?: string;
  status?: RunStatus[];
}

export type RunArrayName = 'centers' | 'labels' | 'silhouette' | 'history';

export interface RunArraysRequest {
  id: number;
  /** Which arrays to send; default all. Unrequested ones come back null. */
  include?: RunArrayName[];
}

/** Per-sample silhouette values: every row (exact) or a seeded sample. */
export interface SilhouetteSamples {
  exact: boolean;
  /** Row indices of `values` (length m; 0 … n−1 in order when exact). */
  indices: Int32Array;
  /** Silhouette of each row in `indices`, in [−1, 1]. */
  values: Float64Array;
}

export interface RunArrays {
  id: number;
  k: number;
  d: number;
  /** k × d, row-major, in the run's preprocessed units: feature units (raw × scale) mapped by `transform`. */
  centers: Float64Array | null;
  /** Feature units → the run's units (null = identity, or centers not requested); draw centers as x' / factor + offset. */
  transform: FeatureTransform | null;
  /** Cluster of each row, length n. */
  labels: Int32Array | null;
  /** null when not requested or the silhouette mode was 'none'. */
  silhouette: SilhouetteSamples | null;
  /** Every step of the kept initialisation. */
  history: IterationInfo[] | null;
}

/** Clusters against the true labels. */
export interface ContingencyReply {
  id: number;
  /** Clusters (rows of the matrix). */
  k: number;
  /** Classes (columns). */
  classes: number;
  classNames: string[];
  /** k × classes, row-major: count of rows in cluster i with true label j. */
  matrix: Int32Array;
  /** Hungarian matching: class assigned to each cluster (length k), −1 when k > classes and unmatched. */
  clusterToClass: Int32Array;
  /** Clusters ordered so the matched cells lie on the diagonal (matched clusters by class, then the rest). */
  clusterOrder: Int32Array;
  /** Fraction of rows whose cluster is matched to their true class. */
  matchedAccuracy: number;
}

export interface SilhouetteHistogramRequest {
  id: number;
  /** Number of bins over the common range; default 40, 2 … 200. */
  bins?: number;
}

export interface SilhouetteHistogramReply {
  id: number;
  k: number;
  bins: number;
  /** Common bin edges for every cluster (length bins + 1), from min to max silhouette (within [−1, 1]). */
  edges: Float64Array;
  /** k × bins, row-major: samples of cluster c in bin b. */
  counts: Int32Array;
  /** Mean silhouette per cluster (NaN for a cluster without samples). */
  means: Float64Array;
  /** Samples per cluster with a silhouette value. */
  sizes: Int32Array;
  exact: boolean;
}

export interface MembersRequest {
  id: number;
  cluster: number;
  /** 'distance' to the cluster center, or 'silhouette' (only rows with a silhouette value; needs mode ≠ 'none'). */
  sortBy: 'distance' | 'silhouette';
  /** 'asc': nearest (distance) / worst (silhouette) first; 'desc': farthest / best first. */
  order: 'asc' | 'desc';
  /** Number of members to return, 1 … MAX_SAMPLES. */
  limit: number;
  /** Skip this many in the sorted order (paging); default 0. */
  offset?: number;
  /** Also return the rows themselves; default true. */
  withRows?: boolean;
}

export interface MembersReply {
  id: number;
  cluster: number;
  /** Members of the cluster that can be sorted this way (all members for distance). */
  total: number;
  /** Row indices in sorted order. */
  indices: Int32Array;
  /** Euclidean distance of each returned row to its center, in the run's preprocessed units. */
  distances: Float64Array;
  /** Silhouette of each returned row, NaN where not sampled; null when the run has no silhouette. */
  silhouette: Float64Array | null;
  /** The rows (when withRows), same order. */
  samples: DatasetSamples | null;
}

/** Each feature's mean and spread per cluster, in the dataset's feature units (raw × scale), for data that is not images. */
export interface ClusterProfilesReply {
  id: number;
  k: number;
  d: number;
  /** Rows per cluster (length k). */
  counts: Int32Array;
  /** k × d, row-major: mean of feature j over the rows of cluster c (NaN for an empty cluster). */
  mean: Float64Array;
  /** k × d: population standard deviation (ddof 0) of feature j in cluster c. */
  std: Float64Array;
  /** Length d: mean and population standard deviation of each feature over all rows (the heat scale's reference). */
  overallMean: Float64Array;
  overallStd: Float64Array;
}

export interface CompareRunsRequest {
  a: number;
  b: number;
}

export interface CompareRunsReply {
  a: number;
  b: number;
  ka: number;
  kb: number;
  /** ka × kb, row-major: rows in cluster i of run a and cluster j of run b. */
  matrix: Int32Array;
  /** Adjusted Rand index and normalized mutual information between the two labelings. */
  ari: number;
  nmi: number;
  /** Hungarian matching: cluster of b matched to each cluster of a (length ka), −1 unmatched. */
  aToB: Int32Array;
  /** Fraction of rows whose clusters are matched to each other. */
  agreement: number;
}

// ───────────────────────────── maps (2-D embeddings) ─────────────────────────────

/** Every map method, in the order the UI and the CLI list them. */
export const EMBEDDING_METHODS = ['pca', 'umap'] as const;
export type EmbeddingMethod = (typeof EMBEDDING_METHODS)[number];
/**
 * UMAP is offered up to this many rows (all of MNIST): the exact k-NN is O(n²) and the map is held in memory whole;
 * README "Limits" gives the measured time of the 70,000 digits.
 */
export const MAX_UMAP_ROWS = 70_000;
/** What a map's coordinates are: the method's output, or the data itself when it has exactly 2 columns. */
export type EmbeddingKind = EmbeddingMethod | 'data';

export interface EmbeddingRequest {
  datasetId: number;
  method: EmbeddingMethod;
  /** Default: the dataset's default preprocessing (defaultPreprocessing); a run's map uses the run's. */
  preprocessing?: Preprocessing;
  /** Seed of stochastic methods (UMAP), 0 … 2^32 − 1; default 0; ignored by PCA. */
  seed?: number;
}

/** A dataset's map: cached in the store; computed in a worker (with 'embedding/progress') the first time. */
export interface EmbeddingReply {
  datasetId: number;
  method: EmbeddingMethod;
  kind: EmbeddingKind;
  preprocessing: Preprocessing;
  seed: number;
  n: number;
  /** n × 2, row-major: the map position of dataset row i is (coords[2i], coords[2i + 1]). */
  coords: Float32Array;
  /** PCA: the share of the total variance along each axis; null otherwise. */
  explainedVarianceRatio: number[] | null;
  /** The dataset's true labels (length n) or null, to colour the map by class. */
  labels: Int32Array | null;
  /** True when the map came from the cache. */
  cached: boolean;
  /** Time the computation took, ms (when it was computed). */
  computeMs: number;
}

export interface EmbeddingProgress {
  datasetId: number;
  method: EmbeddingMethod;
  preprocessing: Preprocessing;
  /** [0, 1] */
  fraction: number;
  /** UMAP, while it lays out the points: the epoch done (1-based) and the number of epochs. */
  epoch?: number;
  epochs?: number;
}

// ───────────────────────────── queue & progress ─────────────────────────────

/** Phases of a job in the worker (main then saves the result and sends `run/updated`). */
export type JobPhase = 'load' | 'fit' | 'silhouette' | 'metrics';

/** Progress of a running job, sent about 5–10 times a second. */
export interface JobProgress {
  runId: number;
  phase: JobPhase;
  /** Progress of the whole job in [0, 1] (monotone). */
  fraction: number;
  /** Fit only: initialisation index (0-based), step (1-based), its inertia (see IterationInfo). */
  initRun?: number;
  iteration?: number;
  inertia?: number;
  /** Time since the job started, ms. */
  elapsedMs: number;
  /** Exact silhouette only, while it is computed: the value so far (see {@link SilhouetteEstimate}). */
  silhouetteEstimate?: SilhouetteEstimate;
}

/**
 * The exact silhouette as known while it is computed: the mean coefficient of the `rows` rows scored so far (drawn at
 * random, each against all `total` rows), ± `halfWidth` (95 % interval of the all-rows mean). First from rows drawn
 * one by one, then from the exact pass's finished rows (blocks in random order); `rows === total` (halfWidth 0) is the
 * exact value. Checked by {@link validSilhouetteEstimate} where it enters main.
 */
export interface SilhouetteEstimate {
  mean: number;
  halfWidth: number;
  rows: number;
  total: number;
}

export interface QueueState {
  /** The runs being computed now (one by default), with their last progress. */
  running: { run: RunInfo; progress: JobProgress | null }[];
  /** Waiting runs, in the order they will start. */
  queued: RunInfo[];
  /** How many jobs may run at once. */
  concurrency: number;
}

// ───────────────────────────── app ─────────────────────────────

export interface AppInfo {
  version: string;
  host: 'electron' | 'browser';
  /** Directory holding the database. */
  dataDir: string;
  cores: number;
  /** Null when start-up is finished; otherwise what it is doing (e.g. importing MNIST). */
  startup: StartupProgress | null;
}

export interface StartupProgress {
  task: 'import-mnist';
  message: string;
  /** [0, 1] */
  fraction: number;
}

// ───────────────────────────── the maps ─────────────────────────────

/** Empty request payload. */
export type NoPayload = Record<string, never>;

/** Every request: name → request payload and reply data. */
export interface Requests {
  'app/info': { req: NoPayload; reply: AppInfo };

  'datasets/list': { req: NoPayload; reply: DatasetInfo[] };
  'datasets/get': { req: { id: number }; reply: DatasetInfo };
  /** Deletes the dataset and its runs; `conflict` while one of its runs is queued or running, and for the built-in MNIST. */
  'datasets/delete': { req: { id: number }; reply: { id: number } };
  /** Queued behind earlier imports (one at a time); `conflict` "…was cancelled" when `imports/cancel` stopped it. */
  'datasets/import': { req: ImportFromPathRequest | ImportFromBytesRequest | ImportFromUploadsRequest; reply: ImportReply };
  /** Imports queued or running, oldest first. */
  'imports/list': { req: NoPayload; reply: ImportProgress[] };
  /** Cancels a queued or running import (its worker is killed, its uploads removed, nothing stored); `not-found` once ended. */
  'imports/cancel': { req: { importId: string }; reply: { importId: string } };
  /** Rows by index (at most MAX_SAMPLES). */
  'datasets/samples': { req: { id: number; indices: number[] }; reply: DatasetSamples };

  /** Queues one run, or one per k of a sweep. */
  'runs/start': { req: StartRunRequest; reply: StartRunReply };
  /** Newest first. */
  'runs/list': { req: ListRunsRequest; reply: RunInfo[] };
  'runs/get': { req: { id: number }; reply: RunInfo };
  /** A failed, cancelled or interrupted run queued again with the same parameters (`conflict` otherwise). */
  'runs/retry': { req: { id: number }; reply: RunInfo };
  /** Stability over seeds of a sweep's or group's done runs. */
  'runs/stability': { req: { sweepId: string }; reply: StabilityReply };
  /** Cancels it first if queued or running. */
  'runs/delete': { req: { id: number }; reply: { id: number } };
  'runs/rename': { req: { id: number; name: string }; reply: RunInfo };
  /**
   * Queued or running → cancelled (kills the worker); a done run whose silhouette is pending stays done and only its
   * silhouette stops ('failed'); `conflict` if already finished.
   */
  'runs/cancel': { req: { id: number }; reply: RunInfo };
  /**
   * Queues a done run's silhouette (its dataset, preprocessing, labels and seed as the run had them); the reply is
   * the run, silhouette 'pending'. `not-found` for an unknown run; `conflict` when the run is not done, its silhouette
   * is pending, or already final in these options; `unsupported` when it would not fit in memory.
   */
  'runs/computeSilhouette': { req: ComputeSilhouetteRequest; reply: RunInfo };
  /** Arrays of a done run (`conflict` otherwise). */
  'runs/arrays': { req: RunArraysRequest; reply: RunArrays };
  /** Needs a dataset with true labels (`conflict` otherwise). */
  'runs/contingency': { req: { id: number }; reply: ContingencyReply };
  /** Needs silhouette mode ≠ 'none' (`conflict` otherwise). */
  'runs/silhouetteHistogram': { req: SilhouetteHistogramRequest; reply: SilhouetteHistogramReply };
  'runs/members': { req: MembersRequest; reply: MembersReply };
  /** Two done runs on the same dataset. */
  'runs/compare': { req: CompareRunsRequest; reply: CompareRunsReply };
  /** A labels file becomes an external run (done, every metric, centers = cluster means); `bad-request` for a bad file. */
  'runs/importLabeling': { req: ImportLabelingRequest; reply: RunInfo };
  /** A done run's notebook files (`conflict` otherwise). */
  'runs/export': { req: { id: number }; reply: RunExportReply };
  /** Per-cluster feature means and standard deviations of a done run. */
  'runs/profiles': { req: { id: number }; reply: ClusterProfilesReply };

  'queue/get': { req: NoPayload; reply: QueueState };

  /** A dataset's 2-D map: from the cache, or computed in a worker (progress as 'embedding/progress'); `bad-request` for d < 2 or n < 2. */
  'embeddings/get': { req: EmbeddingRequest; reply: EmbeddingReply };
  /** Stops the computation of that map (its 'embeddings/get' answers `conflict`); false when none was running. */
  'embeddings/cancel': { req: EmbeddingRequest; reply: { cancelled: boolean } };
}

/** Every event pushed by main: name → payload. */
export interface Events {
  /** A running job's progress (throttled to about 5–10 per second per job). */
  'job/progress': JobProgress;
  /** A run was created or changed (status, name, results). Also signals queue changes. */
  'run/updated': RunInfo;
  'run/deleted': { id: number };
  /** A dataset import is parsing or storing (about 5 per second). */
  'import/progress': ImportProgress;
  /** A dataset was added (import, or MNIST on first launch). */
  'dataset/imported': DatasetInfo;
  'dataset/deleted': { id: number };
  /** Start-up work (MNIST import) progress; `null` when finished. */
  'app/startup': StartupProgress | null;
  /** A map being computed (about 7 per second). */
  'embedding/progress': EmbeddingProgress;
}

export type RequestName = keyof Requests;
export type EventName = keyof Events;
export type RequestOf<K extends RequestName> = Requests[K]['req'];
export type ReplyOf<K extends RequestName> = Requests[K]['reply'];
export type EventOf<E extends EventName> = Events[E];

/**
 * Every request name, as a value. A `Record<RequestName, true>` makes a name missing here a compile error.
 */
const requestNameSet: Record<RequestName, true> = {
  'app/info': true,
  'datasets/list': true,
  'datasets/get': true,
  'datasets/delete': true,
  'datasets/import': true,
  'imports/list': true,
  'imports/cancel': true,
  'datasets/samples': true,
  'runs/start': true,
  'runs/list': true,
  'runs/get': true,
  'runs/delete': true,
  'runs/retry': true,
  'runs/stability': true,
  'runs/rename': true,
  'runs/cancel': true,
  'runs/computeSilhouette': true,
  'runs/arrays': true,
  'runs/contingency': true,
  'runs/silhouetteHistogram': true,
  'runs/members': true,
  'runs/compare': true,
  'runs/importLabeling': true,
  'runs/export': true,
  'runs/profiles': true,
  'queue/get': true,
  'embeddings/get': true,
  'embeddings/cancel': true,
};
export const REQUEST_NAMES = Object.keys(requestNameSet) as RequestName[];

const eventNameSet: Record<EventName, true> = {
  'job/progress': true,
  'run/updated': true,
  'run/deleted': true,
  'import/progress': true,
  'dataset/imported': true,
  'dataset/deleted': true,
  'app/startup': true,
  'embedding/progress': true,
};
export const EVENT_NAMES = Object.keys(eventNameSet) as EventName[];

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(requestNameSet, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(eventNameSet, name);
}

/** A handler of every request (main implements it in src-main/services/). */
export type Handlers = { [K in RequestName]: (req: RequestOf<K>) => Promise<ReplyOf<K>> | ReplyOf<K> };

/**
 * What the renderer talks to, in both hosts: one function per request, resolving to a {@link Reply}
 * (never rejecting for an error reply; a lost connection in browser mode resolves to `internal`),
 * and `on(event, listener)` returning the unsubscribe function.
 */
export type Api = { [K in RequestName]: (req: RequestOf<K>) => Promise<Reply<ReplyOf<K>>> } & {
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
};

/** Electron IPC channel of request `name` (ipcRenderer.invoke) and of all events (webContents.send). */
export const ipcChannel = (name: RequestName): string => `api:${name}`;
export const IPC_EVENT_CHANNEL = 'api-event';
