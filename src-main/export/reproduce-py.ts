/**
 * `reproduce.py`: scikit-learn 1.2 code that rebuilds a run. It loads the data as scikit-learn sees it
 * (the built-in MNIST through `fetch_openml`, a file through NumPy), applies the run's preprocessing as the
 * matching scikit-learn transformer, and fits an estimator named `model` with the run's exact parameters and
 * `random_state`, so that `model.labels_` equals the exported labels and `model.inertia_` the run's inertia.
 *
 * Why the float32 casts: the app holds float data (a CSV, a float .npy, any transformed matrix) as float32 and
 * computes on those values in float64; rounding to float32 in the same places gives scikit-learn the very same
 * numbers. uint8 data is exact in float64 (`X / 255` is what the engine's 1/255 scale reproduces).
 */
import type { CsvLayout, KMeansParams, Preprocessing } from '../../src-shared/model';
import { effectiveNInit } from '../engine/params';

/** Environment variable naming a local `.npz` of MNIST (`X`: 70000 × 784 uint8 in OpenML order) used instead of fetch_openml. */
export const MNIST_NPZ_ENV = 'KMX_MNIST_NPZ';
/** Environment variable naming the data file, instead of the path recorded in the code. */
export const DATA_ENV = 'KMX_DATA';

/** What reproduce.py needs to know of the dataset. */
export interface ReproduceDataset {
  name: string;
  /** "builtin:mnist", or the file's path (or name, for an upload). */
  source: string;
  n: number;
  d: number;
  dtype: 'uint8' | 'float32';
  /** Raw → feature units (1/255 for uint8 images). */
  scale: number;
  csv?: CsvLayout;
}

/** The Python source of reproduce.py; throws an Error naming the reason when the dataset's format has no NumPy loader here. */
export function reproducePy(run: { name: string }, ds: ReproduceDataset, params: KMeansParams, preprocessing: Preprocessing): string {
  const minibatch = params.algorithm === 'minibatch';
  const estimator = minibatch ? 'MiniBatchKMeans' : 'KMeans';
  const lines: string[] = [
    `"""Rebuilds the K-means Explorer run ${pyStr(run.name)} on ${pyStr(ds.name)} (${ds.n} x ${ds.d}) with scikit-learn 1.2.`,
    '',
    'In a notebook or with `python3 reproduce.py`: `model.labels_` equals labels.npy element for element,',
    '`model.cluster_centers_` equals centers.npy and `model.inertia_` the inertia in run.json.',
    '"""',
    'import os',
    '',
    'import numpy as np',
    `from sklearn.cluster import ${estimator}`,
  ];
  const transformer = preprocessing === 'standardize' ? 'StandardScaler' : preprocessing === 'scale' && ds.dtype !== 'uint8' ? 'MinMaxScaler' : null;
  if (transformer) lines.push(`from sklearn.preprocessing import ${transformer}`);
  lines.push('', '');
  lines.push(...loader(ds));
  lines.push('', '', 'X = load_data()');
  // feature units: raw × scale (uint8 images: X / 255)
  const toFeatureUnits = ds.scale === 1 ? null : Math.abs(ds.scale * 255 - 1) < 1e-15 ? 'X / 255' : `X * ${pyNum(ds.scale)}`;
  if (preprocessing === 'none') {
    lines.push('# preprocessing "none": the raw stored values');
  } else if (preprocessing === 'scale' && ds.dtype === 'uint8') {
    lines.push('# preprocessing "scale": values in [0, 1]');
    if (toFeatureUnits) lines.push(`X = ${toFeatureUnits}`);
  } else {
    if (toFeatureUnits) lines.push(`X = ${toFeatureUnits}`);
    lines.push(`# preprocessing "${preprocessing}"; the app keeps the transformed matrix in float32`);
    lines.push(`X = ${transformer}().fit_transform(X).astype(np.float32).astype(np.float64)`);
  }
  lines.push('', `model = ${estimator}(`);
  const args: [string, string][] = [
    ['n_clusters', String(params.k)],
    ['init', pyStr(params.init)],
    ['n_init', String(effectiveNInit(params))],
    ['max_iter', String(params.maxIter)],
    ['tol', pyNum(params.tol)],
  ];
  if (minibatch) {
    args.push(
      ['batch_size', String(params.batchSize)],
      ['max_no_improvement', String(params.maxNoImprovement)],
      ['reassignment_ratio', pyNum(params.reassignmentRatio)],
      ['init_size', params.initSize === null ? 'None' : String(params.initSize)],
    );
  } else {
    args.push(['algorithm', "'lloyd'"]);
  }
  args.push(['random_state', String(params.seed)]);
  for (const [k, v] of args) lines.push(`    ${k}=${v},`);
  lines.push(')', 'model.fit(X)', '');
  lines.push(
    "if __name__ == '__main__':",
    '    here = os.path.dirname(os.path.abspath(__file__))',
    "    print(f'inertia {model.inertia_!r}, {model.n_iter_} iterations')",
    "    if os.path.exists(os.path.join(here, 'labels.npy')):",
    "        same = np.array_equal(model.labels_, np.load(os.path.join(here, 'labels.npy')))",
    "        print('labels equal labels.npy:', same)",
    '',
  );
  return lines.join('\n');
}

/** `def load_data()`: the matrix as stored by the app (raw values; float data as float32), as float64. */
function loader(ds: ReproduceDataset): string[] {
  if (ds.source === 'builtin:mnist') {
    return [
      'def load_data():',
      '    """The 70,000 MNIST digits in OpenML order (60,000 training then 10,000 test images), raw pixels 0 … 255."""',
      `    local = os.environ.get(${pyStr(MNIST_NPZ_ENV)})  # an .npz holding X (70000 x 784), e.g. saved from fetch_openml`,
      '    if local:',
      "        return np.load(local)['X'].astype(np.float64)",
      '    from sklearn.datasets import fetch_openml',
      "    X, _ = fetch_openml('mnist_784', version=1, return_X_y=True, as_frame=False, parser='auto')",
      '    return X.astype(np.float64)',
    ];
  }
  const path = `os.environ.get(${pyStr(DATA_ENV)}, ${pyStr(ds.source)})`;
  const cast = ds.dtype === 'uint8' ? 'raw.astype(np.float64)' : 'raw.astype(np.float32).astype(np.float64)';
  const shape = `raw.reshape(len(raw), -1)  # ${ds.n} x ${ds.d}`;
  const lower = ds.source.toLowerCase();
  if (ds.csv) {
    const { delimiter, header, labelColumn, width } = ds.csv;
    const indexColumn = ds.csv.indexColumn ?? null;
    const cols = Array.from({ length: width }, (_, j) => j).filter((j) => j !== labelColumn && j !== indexColumn);
    const usecols = cols.length === width ? '' : `, usecols=${cols.length === width - 1 && labelColumn === width - 1 ? `range(${width - 1})` : `[${cols.join(', ')}]`}`;
    const left = [
      ...(labelColumn === null ? [] : [`label column ${labelColumn + 1}`]),
      ...(indexColumn === null ? [] : [`row-index column ${indexColumn + 1}`]),
    ];
    return [
      'def load_data():',
      `    """${pyDoc(ds.source)}: ${header ? 'a header row, ' : ''}${left.length === 0 ? 'no label column' : `${left.join(' and ')} left out`}."""`,
      `    raw = np.loadtxt(${path}, delimiter=${pyStr(delimiter)}, skiprows=${header ? 1 : 0}${usecols}, dtype=np.float64, encoding='utf-8-sig', ndmin=2)`,
      `    return ${cast}`,
    ];
  }
  if (lower.endsWith('.npy')) {
    return ['def load_data():', `    raw = np.load(${path})`, `    raw = ${shape}`, `    return ${cast}`];
  }
  if (lower.endsWith('.npz')) {
    return [
      'def load_data():',
      `    arrays = np.load(${path})`,
      "    names = [k for k in ('X', 'data') if k in arrays.files] or [k for k in arrays.files if arrays[k].ndim >= 2]",
      '    raw = arrays[names[0]]',
      `    raw = ${shape}`,
      `    return ${cast}`,
    ];
  }
  if (/idx\d|ubyte/.test(lower)) {
    return [
      'def load_data():',
      '    import gzip',
      `    path = ${path}`,
      "    data = (gzip.open if path.endswith('.gz') else open)(path, 'rb').read()",
      "    types = {0x08: '>u1', 0x09: '>i1', 0x0B: '>i2', 0x0C: '>i4', 0x0D: '>f4', 0x0E: '>f8'}",
      '    ndim = data[3]',
      "    dims = np.frombuffer(data, '>u4', ndim, 4).astype(np.int64)",
      '    raw = np.frombuffer(data, types[data[2]], int(np.prod(dims)), 4 + 4 * ndim)',
      `    raw = raw.reshape(int(dims[0]), -1)  # ${ds.n} x ${ds.d}`,
      `    return ${cast}`,
    ];
  }
  throw new Error(`reproduce.py has no NumPy loader for ${ds.source} (images and uploads without their format); export the data as .npy to reproduce it`);
}

function pyStr(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\t/g, '\\t')}'`;
}

function pyDoc(s: string): string {
  return s.replace(/\\/g, '/').replace(/"""/g, '');
}

/** A float literal Python reads back to the same double. */
function pyNum(v: number): string {
  const s = String(v);
  return /^-?\d+$/.test(s) ? `${s}.0` : s;
}
