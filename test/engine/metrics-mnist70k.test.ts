/**
 * Metrics on all 70,000 MNIST digits (uint8 × 1/255) against scikit-learn 1.2: Davies–Bouldin, Calinski–Harabasz
 * and the within-cluster sum of squares of two labelings, and the silhouette of a 1,000-row sample: the app's Rng is
 * numpy's RandomState, so the sample is silhouette_score(X, labels, sample_size=1000, random_state=seed)'s.
 */
import { describe, expect, it } from 'vitest';
import { calinskiHarabasz, computeMetrics, daviesBouldin, silhouetteScore } from '../../src-main/engine/metrics';
import { mnistMatrix } from '../helpers/mnist-rows';
import { expectClose, mnistLabels70k, readReference } from '../helpers/metrics-data';

interface Mnist70kRef {
  daviesBouldin: number;
  calinskiHarabasz: number;
  withinSS: number;
  predDaviesBouldin: number;
  predCalinskiHarabasz: number;
  sampled: { seed: number; sampleSize: number; indices: number[]; samples: number[]; score: number; predScore: number };
}

describe('all 70,000 MNIST digits', () => {
  const ref = readReference<Mnist70kRef>('metrics-mnist70k.json');
  const X = mnistMatrix(0, 70000);
  const y = mnistLabels70k();
  const pred = y.map((v, i) => (i % 10 < 7 ? v : (i * 31) % 13));

  it('Davies-Bouldin and Calinski-Harabasz of the true and a 13-cluster labeling', () => {
    expectClose(daviesBouldin(X, y), ref.daviesBouldin, 'Davies-Bouldin (true labels)');
    expectClose(calinskiHarabasz(X, y), ref.calinskiHarabasz, 'Calinski-Harabasz (true labels)');
    expectClose(daviesBouldin(X, pred), ref.predDaviesBouldin, 'Davies-Bouldin (13 clusters)');
    expectClose(calinskiHarabasz(X, pred), ref.predCalinskiHarabasz, 'Calinski-Harabasz (13 clusters)');
  });

  it('sampled silhouette: the same 1,000 rows and values as scikit-learn on them', async () => {
    const s = ref.sampled;
    const r = await silhouetteScore(X, y, { mode: 'sample', sampleSize: s.sampleSize, seed: s.seed });
    expect(Array.from(r.indices!)).toEqual(s.indices);
    r.samples.forEach((v, i) => expectClose(v, s.samples[i], `silhouette of sampled row ${s.indices[i]}`));
    expectClose(r.score, s.score, 'sampled silhouette (true labels)');
    const p = await silhouetteScore(X, pred, { mode: 'sample', sampleSize: s.sampleSize, seed: s.seed });
    expectClose(p.score, s.predScore, 'sampled silhouette (13 clusters)');
  });

  it('computeMetrics with a sampled silhouette and true labels', async () => {
    const { metrics, silhouette } = await computeMetrics(X, y, null, y, {
      silhouette: 'sample',
      sampleSize: ref.sampled.sampleSize,
      seed: ref.sampled.seed,
    });
    expect(silhouette?.exact).toBe(false);
    expectClose(metrics.silhouette!, ref.sampled.score, 'silhouette');
    expectClose(metrics.daviesBouldin!, ref.daviesBouldin, 'Davies-Bouldin');
    expectClose(metrics.calinskiHarabasz!, ref.calinskiHarabasz, 'Calinski-Harabasz');
    expectClose(metrics.inertia, ref.withinSS, 'within-cluster sum of squares');
    for (const key of ['ari', 'nmi', 'ami', 'homogeneity', 'completeness', 'vMeasure', 'purity', 'accuracy'] as const) {
      expectClose(metrics[key]!, 1, key);
    }
  });
});
