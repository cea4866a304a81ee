/**
 * Data model shared by every process. No Node or DOM imports here.
 */
import type { Algorithm, InitMethod } from './params';

/** Element type of a dataset matrix as stored and held in memory. */
export type DType = 'uint8' | 'float32';

/** Typed array for a dtype. uint8 data stays uint8 in memory. */
export type MatrixData = Uint8Array | Float32Array;

/**
 * A data matrix, row-major: value of row i, feature j is `data[i * d + j] * scale`.
 * `data.length === n * d`.
 */
export interface DataMatrix {
  /** Number of rows (samples). */
  n: number;
  /** Number of columns (features). */
  d: number;
  /** Raw values, row-major, length n × d. Float64Array is accepted by the engine (tests, derived data). */
  data: Uint8Array | Float32Array | Float64Array;
  /** Multiplier from raw values to feature units (MNIST: 1/255, so results match scikit-learn on X / 255). */
  scale: number;
}

/** Image shape of a row: height × width × channels (MNIST: [28, 28, 1]). */
export type ImageShape = [height: number, width: number, channels: number];

/** A dataset in memory. */
export interface Dataset extends DataMatrix {
  name: string;
  dtype: DType;
  data: MatrixData;
  /** Optional true labels, one per row, values 0 … labelNames.length − 1. */
  labels?: Int32Array;
  /** Display names of the label values (MNIST: "0" … "9"). */
  labelNames?: string[];
  /** Set when each row is an image. */
  imageShape?: ImageShape;
  /** Names of the d feature columns (a CSV header), when the file has them. */
  columnNames?: string[];
  /** Where the data came from (a path, "builtin:mnist", …). */
  source: string;
  /** CSV/TSV only: how the file's columns became the matrix, so code elsewhere (reproduce.py) can load it the same way. */
  csv?: CsvLayout;
}

/**
 * The layout of a CSV/TSV file: delimiter, header row, the 0-based label column (null: none) and row-index
 * column (pandas' unnamed first column; null or absent: none) among `width` columns.
 */
export interface CsvLayout {
  delimiter: string;
  header: boolean;
  labelColumn: number | null;
  indexColumn?: number | null;
  width: number;
}

/**
 * How a run transforms the data before clustering (per run, stored with it):
 * - 'none': raw stored values (uint8 pixels 0 … 255);
 * - 'scale': uint8 data in the dataset's own units (raw × scale, MNIST: [0, 1], as scikit-learn on X / 255);
 *   float data min–max scaled to [0, 1] per feature (scikit-learn's MinMaxScaler);
 * - 'standardize': per-feature z-score (scikit-learn's StandardScaler: population std; constant features → 0).
 * Default: 'scale' for datasets with scale ≠ 1 (uint8 images), else 'none' (see defaultPreprocessing).
 */
export type { Preprocessing } from './params';

/**
 * A per-feature affine map from feature units x (raw × scale) to the units a run clustered in:
 * x' = (x − offset[j]) × factor[j]. Both arrays have length d. Centers of such a run are in x' units;
 * x = x' / factor[j] + offset[j] brings them back.
 */
export interface FeatureTransform {
  offset: Float64Array;
  factor: Float64Array;
}

/** Rows (k × d, row-major) from a run's units back to feature units: x = x' / factor + offset; a copy when t is null. */
export function toFeatureUnits(rows: Float64Array, t: FeatureTransform | null): Float64Array {
  if (!t) return rows.slice();
  const d = t.offset.length;
  return rows.map((v, i) => v / t.factor[i % d]! + t.offset[i % d]!);
}

export type { Algorithm, InitMethod, SilhouetteMode } from './params';

/** Parameters of a clustering run, with scikit-learn's names and defaults (see engine/params.ts). */
export interface KMeansParams {
  algorithm: Algorithm;
  /** Number of clusters, ≥ 1 and ≤ n. */
  k: number;
  init: InitMethod;
  /** Number of initialisations; 'auto' = 1 for k-means++, 10 for random (3 for minibatch), see autoNInit. */
  nInit: 'auto' | number;
  /** Lloyd: maximum iterations per initialisation. Mini-batch: maximum passes over the data (epochs). */
  maxIter: number;
  /** Relative tolerance: multiplied by the mean feature variance, compared with the squared center shift. */
  tol: number;
  /** Seed of the PRNG (NumPy's RandomState, drawn as scikit-learn 1.2 does: seed = random_state), an integer 0 … 2^32 − 1. */
  seed: number;
  /** Mini-batch only. */
  batchSize: number;
  /** Mini-batch only: stop after this many batches without improvement of the smoothed batch inertia. */
  maxNoImprovement: number;
  /** Mini-batch only: fraction of the largest center count below which a center is reassigned. */
  reassignmentRatio: number;
  /** Mini-batch only: samples used for initialisation; null = 3 × batchSize. */
  initSize: number | null;
}

/** One step of a fit, reported as it happens. */
export interface IterationInfo {
  /** Index of the initialisation (0-based) among nInit. */
  run: number;
  /** Lloyd: iteration (1-based). Mini-batch: batch step (1-based). */
  iteration: number;
  /** Lloyd: inertia of the assignment made in this iteration. Mini-batch: smoothed batch inertia per sample. */
  inertia: number;
  /** Squared center shift (sum over centers) of this step. */
  centerShift: number;
}

export interface KMeansResult {
  /** k × d, row-major, in feature units (raw × scale). */
  centers: Float64Array;
  /** Cluster of each row, length n. */
  labels: Int32Array;
  /** Sum of squared distances to the closest center, in feature units. */
  inertia: number;
  /** Iterations (Lloyd) or steps (mini-batch) of the kept initialisation. */
  nIter: number;
  /** Index of the kept initialisation. */
  bestRun: number;
  /** Every step of the kept initialisation. */
  history: IterationInfo[];
}

/** Every metric of a labeling. External ones are null without true labels. */
export interface Metrics {
  inertia: number;
  silhouette: number | null;
  daviesBouldin: number | null;
  calinskiHarabasz: number | null;
  ari: number | null;
  nmi: number | null;
  ami: number | null;
  homogeneity: number | null;
  completeness: number | null;
  vMeasure: number | null;
  purity: number | null;
  accuracy: number | null;
}

/** Everything a finished job produced (sent by the worker, persisted by main). */
export interface RunOutcome {
  /** k × d, in the units of `transform`. */
  centers: Float64Array;
  /** Feature units → the units the run clustered in; null = identity. */
  transform: FeatureTransform | null;
  /** Length n. */
  labels: Int32Array;
  history: IterationInfo[];
  nIter: number;
  metrics: Metrics;
  silhouette: { exact: boolean; indices: Int32Array; values: Float64Array } | null;
  fitMs: number;
  metricsMs: number;
  /**
   * The silhouette follows in a second message (the run is `done` without it): `metrics.silhouette` and
   * `silhouette` are null until then. Absent or false: the outcome is complete.
   */
  silhouettePending?: boolean;
}

/** The silhouette of a computed run, stored on the run. */
export interface SilhouetteResult {
  /** Mean silhouette (`Metrics.silhouette`); null where it is not defined (fewer than 2 clusters, or one per row). */
  value: number | null;
  silhouette: RunOutcome['silhouette'];
  /** Wall time of every metric, silhouette included (ms); null for a silhouette computed afterwards (the run's time stays). */
  metricsMs: number | null;
}
