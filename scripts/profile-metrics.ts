/**
 * Where the metric phase of a run goes: each step of computeMetrics (and the result's serialisation) on MNIST 70k,
 * default options (mini-batch k = 10, sampled silhouette of 10,000 rows), the worker's path, several repeats.
 * Prints the median of each step in ms and its share of the total.
 *
 * Run: npx tsx scripts/profile-metrics.ts [repeats] [kmeans|minibatch]
 */
import { serialize } from 'node:v8';
import { loadMnist } from '../src-main/datasets/mnist';
import { sharedKernelPool } from '../src-main/engine/kernels/pool';
import { fitKMeans } from '../src-main/engine/kmeans';
import {
  adjustedMutualInfo,
  adjustedRandIndex,
  homogeneityCompletenessVMeasure,
  internalIndices,
  matchedAccuracy,
  normalizedMutualInfo,
  purity,
  silhouetteOfRows,
  silhouetteSampleIndices,
} from '../src-main/engine/metrics';
import { internalIndicesTs } from '../src-main/engine/metrics/internal';
import { computeMetrics } from '../src-main/engine/metrics';
import { preprocess } from '../src-main/engine/preprocess';
import { runOutcome } from '../src-main/store/runs-repo';
import { defaultPreprocessing } from '../src-shared/defaults';
import type { Algorithm } from '../src-shared/model';

async function main(): Promise<void> {
  const repeats = Number(process.argv[2] ?? 5);
  const algorithm = (process.argv[3] ?? 'minibatch') as Algorithm;
  await sharedKernelPool().ready();
  const dataset = loadMnist();
  // the run's default preprocessing ('scale' keeps MNIST's uint8 pixels in units of 1/255)
  const { matrix, transform } = preprocess(dataset, defaultPreprocessing(dataset));
  const truth = dataset.labels ?? null;
  const times = new Map<string, number[]>();
  const time = async <T>(name: string, f: () => T | Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const r = await f();
    const list = times.get(name) ?? [];
    list.push(performance.now() - t0);
    times.set(name, list);
    return r;
  };
  for (let rep = 0; rep < repeats; rep++) {
    const seed = rep;
    const fit = await time('fit', () => fitKMeans(matrix, { k: 10, algorithm, seed }));
    const { labels, centers } = fit;
    await time('internal (TS reference)', () => internalIndicesTs(matrix, labels, centers));
    await time('internal (default path)', () => internalIndices(matrix, labels, centers));
    const indices = await time('silhouette: draw rows', () => silhouetteSampleIndices(matrix.n, undefined, seed));
    const s = await time('silhouette: 10k rows (gather + kernel)', () => silhouetteOfRows(matrix, labels, indices));
    if (truth) {
      await time('ARI', () => adjustedRandIndex(truth, labels));
      await time('NMI', () => normalizedMutualInfo(truth, labels));
      await time('AMI', () => adjustedMutualInfo(truth, labels));
      await time('homogeneity/completeness/V', () => homogeneityCompletenessVMeasure(truth, labels));
      await time('purity', () => purity(truth, labels));
      await time('matched accuracy', () => matchedAccuracy(truth, labels));
    }
    await time('computeMetrics (all, TS internal indices)', () =>
      computeMetrics(matrix, labels, centers, truth, { silhouette: 'sample', seed, clusterStats: null }),
    );
    const computed = await time('computeMetrics (all, default path)', () =>
      computeMetrics(matrix, labels, centers, truth, { silhouette: 'sample', seed }),
    );
    await time('result: runOutcome + v8 serialize', () =>
      serialize(runOutcome(fit, transform, computed.metrics, computed.silhouette, { fitMs: 0, metricsMs: 0 })).length,
    );
    if (rep === 0) console.log(`silhouette ${s.score}, metrics ${JSON.stringify(computed.metrics)}`);
  }
  const median = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  const total = median(times.get('computeMetrics (all, default path)')!);
  console.log(`${algorithm}, ${repeats} repeats, medians (ms; share of computeMetrics):`);
  for (const [name, list] of times) {
    const m = median(list);
    console.log(`  ${name.padEnd(42)} ${m.toFixed(1).padStart(8)}  ${((100 * m) / total).toFixed(0).padStart(4)} %   [${list.map((v) => v.toFixed(0)).join(' ')}]`);
  }
  process.exit(0);
}

void main();
