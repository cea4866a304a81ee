import { resolve } from 'node:path';
import { defaultPreprocessing, PREPROCESSING_MODES } from '../../src-shared/defaults';
import { defaultRunName } from '../../src-shared/run-names';
import type { KMeansParams } from '../../src-shared/model';
import { fitKMeans, resolveParams } from '../engine/kmeans';
import { effectiveNInit } from '../engine/params';
import { preprocess } from '../engine/preprocess';
import { buildRunExport, writeExportDir } from '../export/run-export';
import {
  aliasedOption, choiceOption, describeDataset, fmt, intOption, loadDatasetArg, metricLines, metricsJson, numberOption, parseOptions,
  printTable, ProgressLine, requireOption, rowsOf, secondsSince, stringOptions, UsageError, writeJson, type CliCommand,
} from './common';
import { saveRunToDataDir } from '../external-run';
import { silhouetteOutcome } from '../store/runs-repo';
import { evaluate, saveOption, silhouetteNote, silhouetteOptions, storedSilhouetteOptions } from './evaluate';

export const help = `Usage: kmeans-explorer cluster --dataset mnist|PATH --k K [options]

Clusters a dataset with K-means and prints the result and its metrics.

  --dataset mnist|PATH     the built-in MNIST (70,000 digits) or a dataset file:
                           IDX (labels file found beside it), CSV/TSV, .npy, .npz,
                           a folder or .zip of PNG/JPEG images
  --true-labels FILE       true labels for PATH (.npy, IDX, or one integer per line),
                           replacing any labels the data comes with
  --label-column NAME      CSV: the label column (name, 1-based number, or "none")
  --algorithm kmeans|minibatch
                           Lloyd K-means or mini-batch K-means (default kmeans)
  --k K, --n-clusters K    number of clusters, 1 … rows (required)
  --seed S, --random-state S
                           seed of the PRNG, 0 … 2^32−1 (default 0); the same seed
                           gives scikit-learn's random_state=S run
  --init k-means++|random  initialisation (default k-means++)
  --n-init auto|N          initialisations, keeping the best (auto: 1 for k-means++;
                           random: 10, or 3 for minibatch)
  --max-iter N             Lloyd: iterations (default 300); minibatch: epochs (default 100)
  --tol X                  relative tolerance on the center shift (default 1e-4; minibatch 0)
  --batch-size N           minibatch: rows per batch (default 1024)
  --preprocess none|scale|standardize
                           before clustering: raw values, [0, 1] (uint8: the dataset's
                           1/255; float: min–max per feature), or z-score per feature
                           (default: scale for uint8 images, none otherwise)
  --silhouette exact|sample|none
                           silhouette over all rows (O(n²)), over a random sample of
                           --sample-size rows drawn with --seed (default: sample), or none
  --sample-size N          rows of the sampled silhouette (default 10000)
  --json OUT               also write the result as JSON to OUT ("-" for stdout; the
                           summary then goes to stderr): {dataset, inertia, nIter, bestRun,
                           silhouette, silhouetteSample, seconds: {load, fit, silhouette,
                           metrics}, metrics, params, preprocessing, labels, centers
                           (in the preprocessed units)}
  --export DIR             write labels.npy (int32), centers.npy (float64, k × d, in the
                           units the model was fit in), run.json (parameters,
                           preprocessing, metrics) and reproduce.py (scikit-learn code
                           that gives the same labels and inertia) into DIR
  --save                   store the finished run in the app's data folder (in one
                           transaction, safe while the app is open; it shows the run)
  --data-dir DIR           with --save: that data folder instead (as "serve --data-dir")
  -h, --help               this help

A progress line is shown on stderr when it is a terminal. Bad input exits with code 2.`;

export async function run(argv: string[]): Promise<void> {
  const o = parseOptions('cluster', argv, {
    ...stringOptions(
      'dataset', 'true-labels', 'label-column', 'algorithm', 'k', 'seed', 'init', 'n-init', 'max-iter', 'tol', 'batch-size',
      'silhouette', 'sample-size', 'preprocess', 'json', 'n-clusters', 'random-state', 'export', 'data-dir',
    ),
    save: { type: 'boolean' },
  });

  if (o.help) {
    process.stdout.write(`${help}\n`);
    return;
  }
  const datasetSpec = requireOption('cluster', 'dataset', o.dataset);
  const params: Partial<KMeansParams> & { k: number } = {
    k: intOption('k', requireOption('cluster', 'k', aliasedOption(o, 'k', 'n-clusters')), 1)!,
    algorithm: choiceOption('algorithm', o.algorithm, ['kmeans', 'minibatch'] as const),
    seed: intOption('seed', aliasedOption(o, 'seed', 'random-state')),
    init: choiceOption('init', o.init, ['k-means++', 'random'] as const),
    nInit: o['n-init'] === 'auto' ? 'auto' : intOption('n-init', o['n-init']),
    maxIter: intOption('max-iter', o['max-iter']),
    tol: numberOption('tol', o.tol),
    batchSize: intOption('batch-size', o['batch-size']),
  };
  for (const key of Object.keys(params) as (keyof KMeansParams)[]) if (params[key] === undefined) delete params[key];
  const { silhouette, sampleSize } = silhouetteOptions(o);
  const preprocessing = choiceOption('preprocess', o.preprocess, PREPROCESSING_MODES);
  const saveDir = saveOption(o);
  // Check the parameters before the (possibly slow) load; the engine checks k against n again.
  resolveParams({ ...params, k: 1 }, 1);

  const out = o.json === '-' ? process.stderr : process.stdout;
  const progress = new ProgressLine();
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    let t = performance.now();
    progress.update(`loading ${datasetSpec}…`);
    const ds = await loadDatasetArg(datasetSpec, {
      trueLabels: o['true-labels'],
      labelColumn: o['label-column'],
      onProgress: (f) => progress.update(`loading ${datasetSpec} ${(f * 100).toFixed(0)}%`),
    });
    const loadSeconds = secondsSince(t);
    progress.clear();
    const mode = preprocessing ?? defaultPreprocessing(ds);
    const { matrix: X, transform } = preprocess(ds, mode);
    const resolved = resolveParams(params, ds.n);
    const nInit = effectiveNInit(resolved);

    t = performance.now();
    const result = await fitKMeans(X, params, {
      signal: controller.signal,
      onProgress: (p) =>
        progress.update(
          `fit: run ${p.run + 1}/${nInit}, ${resolved.algorithm === 'minibatch' ? 'step' : 'iteration'} ${p.iteration}, ` +
            `inertia ${fmt(p.inertia)}, ${(p.fraction * 100).toFixed(0)}%`,
        ),
    });
    const fitSeconds = secondsSince(t);
    progress.clear();

    const metricsStart = performance.now();
    const ev = await evaluate(X, result.labels, result.centers, ds.labels ?? null, {
      silhouette, sampleSize, seed: resolved.seed, signal: controller.signal, progress,
    });
    const metricsMs = performance.now() - metricsStart;
    progress.clear();

    const rows: [string, string][] = [
      ['dataset', describeDataset(ds)],
      ['preprocessing', mode],
      ['algorithm', `${resolved.algorithm}, k=${resolved.k}, init ${resolved.init}, n-init ${resolved.nInit}${resolved.nInit === 'auto' ? ` (${nInit})` : ''}, seed ${resolved.seed}`],
      ['load', `${loadSeconds.toFixed(2)} s`],
      ['fit', `${fitSeconds.toFixed(2)} s, ${result.nIter} ${resolved.algorithm === 'minibatch' ? 'steps' : 'iterations'} (run ${result.bestRun + 1} of ${nInit} kept)`],
      ...metricLines({ ...ev.metrics, inertia: result.inertia }, silhouetteNote(ev, ds.n, silhouette)),
    ];
    printTable(rows, out);

    const origin = { kind: 'cli', source: `cluster ${argv.join(' ')}` } as const;
    const storedSilhouette = storedSilhouetteOptions(silhouette, sampleSize, ev);
    const runName = defaultRunName(resolved, storedSilhouette);
    if (o.export !== undefined) {
      const { files } = buildRunExport({
        name: runName,
        origin,
        dataset: { ...ds, source: ds.source.startsWith('builtin:') ? ds.source : resolve(ds.source) },
        params: resolved,
        preprocessing: mode,
        transform,
        labels: result.labels,
        centers: result.centers,
        k: resolved.k,
        metrics: { ...ev.metrics, inertia: result.inertia },
        nIter: result.nIter,
        silhouette: ev.silhouette,
      });
      try {
        writeExportDir(o.export, files);
      } catch (e) {
        throw new UsageError(`cannot write --export ${o.export}: ${(e as Error).message}`);
      }
      out.write(`export      ${files.map((f) => f.name).join(', ')} in ${o.export}\n`);
    }

    if (saveDir !== null) {
      const saved = saveRunToDataDir(saveDir, ds, {
        run: {
          name: runName,
          params: resolved,
          preprocessing: mode,
          silhouette: storedSilhouette,
          sweepId: null,
          origin,
        },
        outcome: {
          centers: result.centers,
          transform,
          labels: result.labels,
          history: result.history,
          nIter: result.nIter,
          metrics: { ...ev.metrics, inertia: result.inertia },
          silhouette: silhouetteOutcome(ev.perSample),
          fitMs: fitSeconds * 1000,
          metricsMs,
        },
      });
      out.write(`saved       run ${saved.id} "${saved.name}" on ${saved.datasetName} in ${saveDir}\n`);
    }

    if (o.json !== undefined) {
      writeJson(o.json, {
        dataset: { name: ds.name, source: ds.source, n: ds.n, d: ds.d, dtype: ds.dtype },
        inertia: result.inertia,
        nIter: result.nIter,
        bestRun: result.bestRun,
        silhouette: ev.metrics.silhouette,
        silhouetteSample: ev.silhouette && { exact: ev.silhouette.exact, sampleSize: ev.silhouette.sampleSize },
        seconds: { load: loadSeconds, fit: fitSeconds, silhouette: ev.seconds.silhouette, metrics: ev.seconds.metrics },
        metrics: metricsJson(ev.metrics),
        params: resolved,
        preprocessing: mode,
        labels: Array.from(result.labels),
        centers: rowsOf(result.centers, ds.d),
      });
    }
  } finally {
    progress.clear();
    process.off('SIGINT', onSigint);
  }
}

export const command: CliCommand = { help, run };
