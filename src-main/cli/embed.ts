import { EMBEDDING_METHODS } from '../../src-shared/api';
import { defaultPreprocessing, PREPROCESSING_MODES } from '../../src-shared/defaults';
import { embed } from '../engine/embed';
import { preprocess } from '../engine/preprocess';
import { seedOption } from './param-options';
import {
  choiceOption, describeDataset, fmt, parseOptions, printTable, requireOption, secondsSince, stringOptions,
  withDatasetLoad, writeJson, type CliCommand,
} from './common';

export const help = `Usage: kmeans-explorer embed --dataset mnist|PATH --method pca|umap [options]

Computes a 2-D map of every row of a dataset and prints a summary.

  --dataset mnist|PATH     the built-in MNIST (70,000 digits) or a dataset file
                           (IDX, CSV/TSV, .npy, .npz, a folder or .zip of images)
  --label-column NAME      CSV: the label column (name, 1-based number, or "none")
  --method ${EMBEDDING_METHODS.join('|').padEnd(15)} pca: exact PCA over all rows (the top 2 components of
                           the covariance, signs as scikit-learn's PCA); umap: UMAP
                           (umap-js' algorithm, seeded) on the exact 15-nearest-neighbour
                           graph (on the top 50 principal components when d > 50), up to
                           70,000 rows
  --seed S                 seed of stochastic methods, 0 … 2^32−1 (default 0; PCA has none)
  --preprocess none|scale|standardize
                           before the map (default: scale for uint8 images, none otherwise)
  --json OUT               also write the map as JSON to OUT ("-" for stdout; the summary
                           then goes to stderr): {method, kind, dims: 2, n, rows, coords
                           (n × 2, row-major), explainedVarianceRatio, preprocessing, seed,
                           seconds: {load, embed}}
  -h, --help               this help

A dataset with exactly 2 columns is its own map (kind "data"). Bad input exits with code 2.`;

export async function run(argv: string[]): Promise<void> {
  const o = parseOptions('embed', argv, stringOptions('dataset', 'label-column', 'method', 'seed', 'preprocess', 'json'));
  if (o.help) {
    process.stdout.write(`${help}\n`);
    return;
  }
  const datasetSpec = requireOption('embed', 'dataset', o.dataset);
  const method = choiceOption('method', requireOption('embed', 'method', o.method), EMBEDDING_METHODS)!;
  const seed = seedOption(o.seed);
  const preprocessing = choiceOption('preprocess', o.preprocess, PREPROCESSING_MODES);

  await withDatasetLoad(datasetSpec, { json: o.json, labelColumn: o['label-column'] }, async ({ out, progress, signal, ds, loadSeconds }) => {
    const mode = preprocessing ?? defaultPreprocessing(ds);
    const X = preprocess(ds, mode).matrix;
    const t = performance.now();
    const map = await embed(X, method, {
      seed,
      signal,
      onProgress: (f, epoch, epochs) => progress.update(`${method}: ${(f * 100).toFixed(0)}%${epoch ? `, epoch ${epoch}/${epochs}` : ''}`),
    });
    const embedSeconds = secondsSince(t);
    progress.clear();

    const evr = map.explainedVarianceRatio;
    printTable(
      [
        ['dataset', describeDataset(ds)],
        ['preprocessing', mode],
        ['map', map.kind === 'data' ? 'the data itself (2 columns)' : method],
        ...(evr ? ([['explained variance', `${evr.map((v) => fmt(v)).join(', ')} (total ${fmt(evr[0] + evr[1])})`]] as [string, string][]) : []),
        ['load', `${loadSeconds.toFixed(2)} s`],
        ['embed', `${embedSeconds.toFixed(2)} s`],
      ],
      out,
    );
    if (o.json !== undefined) {
      writeJson(o.json, {
        method,
        kind: map.kind,
        dims: 2,
        n: ds.n,
        rows: Array.from({ length: ds.n }, (_, i) => i),
        coords: Array.from(map.coords),
        explainedVarianceRatio: evr,
        preprocessing: mode,
        seed,
        seconds: { load: loadSeconds, embed: embedSeconds },
      });
    }
  });
}

export const command: CliCommand = { help, run };
