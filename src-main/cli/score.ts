import { basename } from 'node:path';
import { readFileForImport } from '../datasets/files';
import { DatasetError } from '../datasets/errors';
import { parseNpy } from '../datasets/npy';
import {
  describeDataset, metricLines, metricsJson, parseOptions, printTable, requireOption, stringOptions, UsageError, withDatasetLoad, writeJson,
  type CliCommand,
} from './common';
import { parseLabelValues } from '../datasets/labels-file';
import { checkLabelingLength, externalRun, saveRunToDataDir } from '../external-run';
import { seedOption } from './param-options';
import { evaluate, saveOption, SILHOUETTE_HELP, silhouetteNote, silhouetteOptions, storedSilhouetteOptions } from './evaluate';

export const help = `Usage: kmeans-explorer score --dataset mnist|PATH --labels FILE [options]

Computes every metric of a labeling made elsewhere (scikit-learn, Spark, FAISS, …):
inertia (to the cluster means), silhouette, Davies-Bouldin, Calinski-Harabasz and, when the
dataset has true labels, ARI, NMI, AMI, homogeneity, completeness, V-measure, purity, accuracy.

  --dataset mnist|PATH     the built-in MNIST or a dataset file (see "cluster --help")
  --labels FILE            the cluster of each row, one per row of the dataset: one
                           integer per line, a CSV/TSV whose header names the column
                           (cluster, label, prediction, …; the app's exports), or a 1-D
                           .npy (or IDX) array of integers (cluster --export's labels.npy)
  --centers FILE           a k × d .npy of centers indexed by label (cluster --export's
                           centers.npy): the inertia to them instead of to the cluster
                           means, so a mini-batch run's inertia comes back too. In the
                           dataset's units: those of runs without preprocessing, or
                           [0, 1] for uint8 images (their default preprocessing)
  --true-labels FILE       true labels for PATH (.npy, IDX, or one integer per line),
                           replacing any labels the data comes with
  --label-column NAME      CSV: the label column (name, 1-based number, or "none")
${SILHOUETTE_HELP}
  --seed S                 seed of the silhouette sample, 0 … 2^32−1 (default 0)
  --json OUT               also write the result as JSON to OUT ("-" for stdout; the
                           summary then goes to stderr): {dataset, clusters, inertia,
                           silhouette, silhouetteSample, seconds: {load, silhouette, metrics},
                           metrics}
  --save                   store the labeling in the app's data folder as an external run
                           (every metric, centers = the cluster means; one transaction,
                           safe while the app is open; it shows the run)
  --data-dir DIR           with --save: that data folder instead (as "serve --data-dir")
  --name NAME              with --save: the run's name (default: the labels file's name)
  -h, --help               this help

Bad input exits with code 2.`;

export async function run(argv: string[]): Promise<void> {
  const o = parseOptions('score', argv, {
    ...stringOptions('dataset', 'labels', 'centers', 'true-labels', 'label-column', 'silhouette', 'sample-size', 'seed', 'json', 'data-dir', 'name'),
    save: { type: 'boolean' },
  });

  if (o.help) {
    process.stdout.write(`${help}\n`);
    return;
  }
  const datasetSpec = requireOption('score', 'dataset', o.dataset);
  const labelsPath = requireOption('score', 'labels', o.labels);
  const { silhouette, sampleSize } = silhouetteOptions(o);
  const seed = seedOption(o.seed);
  const saveDir = saveOption(o);
  if (o.name !== undefined && saveDir === null) throw new UsageError('--name goes with --save');

  const labelBytes = readFileForImport(labelsPath);
  // a bad labels file is refused before the (possibly slow) dataset load
  const values = parseLabelValues(labelsPath, labelBytes);
  const centersFile = o.centers === undefined ? null : readCentersFile(o.centers);

  const loadOptions = { json: o.json, trueLabels: o['true-labels'], labelColumn: o['label-column'] };
  await withDatasetLoad(datasetSpec, loadOptions, async ({ out, progress, signal, ds, loadSeconds }) => {
    const labels = checkLabelingLength(labelsPath, values, ds);
    const centers = centersFile && checkCenters(centersFile, labels, ds.d);
    const ev = await evaluate(ds, labels, centers, ds.labels ?? null, { silhouette, sampleSize, seed, signal, progress });
    const clusters = new Set(labels).size;
    printTable(
      [
        ['dataset', describeDataset(ds)],
        ['labeling', `${labelsPath}: ${clusters} clusters`],
        ['load', `${loadSeconds.toFixed(2)} s`],
        ...metricLines(ev.metrics, silhouetteNote(ev, ds.n, silhouette)),
      ],
      out,
    );
    if (saveDir !== null) {
      const made = await externalRun(ds, labels, {
        source: basename(labelsPath),
        name: o.name,
        silhouette: storedSilhouetteOptions(silhouette, sampleSize, ev),
        seed,
        computed: { metrics: ev.metrics, silhouette: ev.perSample },
      });
      const saved = saveRunToDataDir(saveDir, ds, made);
      out.write(`saved       run ${saved.id} "${saved.name}" on ${saved.datasetName} in ${saveDir}\n`);
    }
    if (o.json !== undefined) {
      writeJson(o.json, {
        dataset: { name: ds.name, source: ds.source, n: ds.n, d: ds.d, dtype: ds.dtype },
        clusters,
        inertia: ev.metrics.inertia,
        silhouette: ev.metrics.silhouette,
        silhouetteSample: ev.silhouette && { exact: ev.silhouette.exact, sampleSize: ev.silhouette.sampleSize },
        seconds: { load: loadSeconds, silhouette: ev.seconds.silhouette, metrics: ev.seconds.metrics },
        metrics: metricsJson(ev.metrics),
      });
    }
  });
}

/** A 2-D .npy of centers (k × d), as float64. */
function readCentersFile(path: string): { path: string; k: number; d: number; values: Float64Array } {
  const a = parseNpy(path, readFileForImport(path));
  if (a.shape.length !== 2) throw new DatasetError(path, `holds an array of shape (${a.shape.join(', ')}), expected k × d centers`);
  const values = Float64Array.from(a.data as ArrayLike<number>);
  if (!values.every(Number.isFinite)) throw new DatasetError(path, 'holds a value that is not a finite number');
  return { path, k: a.shape[0], d: a.shape[1], values };
}

/** The centers, once they fit the dataset (d) and the labeling (every label a row of them). */
function checkCenters(c: { path: string; k: number; d: number; values: Float64Array }, labels: Int32Array, d: number): Float64Array {
  if (c.d !== d) throw new DatasetError(c.path, `has centers of ${c.d} features, but the dataset has ${d}`);
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] < 0 || labels[i] >= c.k) {
      throw new DatasetError(c.path, `has ${c.k} centers, but row ${i + 1} of the labeling is in cluster ${labels[i]}`);
    }
  }
  return c.values;
}

export const command: CliCommand = { help, run };
