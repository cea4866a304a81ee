import { resolve } from 'node:path';
import { DEFAULT_PARAMS, defaultPreprocessing, MINIBATCH_DEFAULTS, PREPROCESSING_MODES } from '../../src-shared/defaults';
import { ALGORITHMS, INIT_METHODS, PARAM_RULES as R } from '../../src-shared/params';
import { defaultRunName } from '../../src-shared/run-names';
import type { KMeansParams } from '../../src-shared/model';
import { fitKMeans, resolveParams } from '../engine/kmeans';
import { effectiveNInit } from '../engine/params';
import { preprocess } from '../engine/preprocess';
import { buildRunExport, writeExportDir } from '../export/run-export';
import {
  choiceOption, describeDataset, fmt, metricLines, metricsJson, parseOptions, printTable, requireOption, rowsOf, secondsSince, stringOptions,
  UsageError, withDatasetLoad, writeJson, type CliCommand,
} from './common';
import { paramOptionNames, paramOptions } from './param-options';
import { saveRunToDataDir } from '../external-run';
import { runOutcome } from '../store/runs-repo';
import { evaluate, saveOption, SILHOUETTE_HELP, silhouetteNote, silhouetteOptions, storedSilhouetteOptions } from './evaluate';

export const help = `Usage: kmeans-explorer cluster --dataset mnist|PATH --k K [options]

Clusters a dataset with K-means and prints the result and its metrics.

  --dataset mnist|PATH     the built-in MNIST (70,000 digits) or a dataset file:
                           IDX (labels file found beside it), CSV/TSV, .npy, .npz,
                           a folder or .zip of PNG/JPEG images
  --true-labels FILE       true labels for PATH (.npy, IDX, or one integer per line),
                           replacing any labels the data comes with
  --label-column NAME      CSV: the label column (name, 1-based number, or "none")
  --algorithm ${ALGORITHMS.join('|')}
                           ${R.algorithm.help} (default ${DEFAULT_PARAMS.algorithm})
  --k K, --n-clusters K    ${R.k.help} (required)
  --seed S, --random-state S
                           ${R.seed.help}, ${R.seed.min} … 2^32−1 (default ${DEFAULT_PARAMS.seed}); the same seed
                           gives scikit-learn's random_state=S run
  --init ${INIT_METHODS.join('|')}  ${R.init.help} (default ${DEFAULT_PARAMS.init})
  --n-init auto|N          ${R.nInit.help}, N ${R.nInit.min} … ${R.nInit.max} (auto: 1 for
                           k-means++; random: 10, or 3 for minibatch)
  --max-iter N             Lloyd: iterations (default ${DEFAULT_PARAMS.maxIter}); minibatch: epochs (default ${MINIBATCH_DEFAULTS.maxIter});
                           at most ${R.maxIter.max.toLocaleString('en-US')}
  --tol X                  ${R.tol.help} (default ${DEFAULT_PARAMS.tol.toExponential()}; minibatch ${MINIBATCH_DEFAULTS.tol})
  --batch-size N           minibatch: ${R.batchSize.help} (default ${DEFAULT_PARAMS.batchSize})
  --preprocess none|scale|standardize
                           before clustering: raw values, [0, 1] (uint8: the dataset's
                           1/255; float: min–max per feature), or z-score per feature
                           (default: scale for uint8 images, none otherwise)
${SILHOUETTE_HELP}
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
    ...stringOptions(...paramOptionNames()),
    ...stringOptions('dataset', 'true-labels', 'label-column', 'silhouette', 'sample-size', 'preprocess', 'json', 'export', 'data-dir'),
    save: { type: 'boolean' },
  });

  if (o.help) {
    process.stdout.write(`${help}\n`);
    return;
  }
  const datasetSpec = requireOption('cluster', 'dataset', o.dataset);
  const given = paramOptions(o);
  if (given.k === undefined) requireOption('cluster', 'k', undefined);
  const params = given as Partial<KMeansParams> & { k: number };
  const { silhouette, sampleSize } = silhouetteOptions(o);
  const preprocessing = choiceOption('preprocess', o.preprocess, PREPROCESSING_MODES);
  const saveDir = saveOption(o);
  // Check the parameters before the (possibly slow) load; the engine checks k against n again.
  resolveParams({ ...params, k: 1 }, 1);

  const loadOptions = { json: o.json, trueLabels: o['true-labels'], labelColumn: o['label-column'] };
  await withDatasetLoad(datasetSpec, loadOptions, async ({ out, progress, signal, ds, loadSeconds }) => {
    const mode = preprocessing ?? defaultPreprocessing(ds);
    const { matrix: X, transform } = preprocess(ds, mode);
    const resolved = resolveParams(params, ds.n);
    const nInit = effectiveNInit(resolved);

    const t = performance.now();
    const result = await fitKMeans(X, params, {
      signal,
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
      silhouette, sampleSize, seed: resolved.seed, signal, progress,
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
        outcome: runOutcome(result, transform, { ...ev.metrics, inertia: result.inertia }, ev.perSample, { fitMs: fitSeconds * 1000, metricsMs }),
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
  });
}

export const command: CliCommand = { help, run };
