/**
 * Every metric against scikit-learn 1.2 (test/reference/metrics-*.json, from scripts/reference/metrics_reference.py):
 * on the first 300 MNIST digits (uint8 × 1/255) and on 240 float32 blobs, for six labelings each.
 */
import { describe, expect, it } from 'vitest';
import type { DataMatrix } from '../../src-shared/model';
import {
  calinskiHarabasz,
  computeMetrics,
  daviesBouldin,
  inertia,
  silhouetteSamples,
  silhouetteScore,
} from '../../src-main/engine/metrics';
import { mnistMatrix } from '../helpers/mnist-rows';
import { checkExternal, expectClose, floatBlobs, readReference, type ExternalRef } from '../helpers/metrics-data';

interface CaseRef {
  name: string;
  labels: number[];
  silhouetteSamples: number[];
  silhouette: number;
  daviesBouldin: number;
  calinskiHarabasz: number;
  withinSS: number;
  external: ExternalRef;
  centers?: number[];
  inertia?: number;
  sampled?: { seed: number; sampleSize: number; indices: number[]; score: number };
}

interface DatasetRef {
  dataset: string;
  y: number[];
  cases: CaseRef[];
}

const datasets: { ref: DatasetRef; X: DataMatrix; kind: string }[] = [
  { ref: readReference<DatasetRef>('metrics-mnist.json'), X: mnistMatrix(0, 300), kind: 'uint8 × 1/255' },
  { ref: readReference<DatasetRef>('metrics-float.json'), X: floatBlobs().X, kind: 'float32' },
];

for (const { ref, X, kind } of datasets) {
  describe(`${ref.dataset} (${kind})`, () => {
    const y = Int32Array.from(ref.y);

    it('has the data the reference was computed on', () => {
      expect(X.n).toBe(ref.y.length);
      if (ref.dataset === 'float-blobs') expect(Array.from(floatBlobs().y)).toEqual(ref.y);
    });

    for (const c of ref.cases) {
      const labels = Int32Array.from(c.labels);
      describe(`labeling "${c.name}"`, () => {
        it('silhouette per sample and mean', async () => {
          const s = await silhouetteSamples(X, labels);
          expect(s.length).toBe(c.silhouetteSamples.length);
          for (let i = 0; i < s.length; i++) expectClose(s[i], c.silhouetteSamples[i], `silhouette of sample ${i}`);
          const score = await silhouetteScore(X, labels);
          expect(score.exact).toBe(true);
          expect(score.indices).toBeNull();
          expect(score.sampleSize).toBe(X.n);
          expectClose(score.score, c.silhouette, 'silhouette score');
        });

        it('Davies-Bouldin, Calinski-Harabasz, inertia', () => {
          expectClose(daviesBouldin(X, labels), c.daviesBouldin, 'Davies-Bouldin');
          expectClose(calinskiHarabasz(X, labels), c.calinskiHarabasz, 'Calinski-Harabasz');
          if (c.centers && c.inertia !== undefined) {
            expectClose(inertia(X, labels, Float64Array.from(c.centers)), c.inertia, 'inertia with the KMeans centers');
          }
        });

        it('external metrics against the true labels', () => {
          checkExternal(y, labels, c.external, c.name);
        });

        it('computeMetrics gives the same values', async () => {
          const centers = c.centers ? Float64Array.from(c.centers) : null;
          const { metrics, silhouette } = await computeMetrics(X, labels, centers, y, { silhouette: 'exact' });
          expect(silhouette?.exact).toBe(true);
          expectClose(metrics.silhouette!, c.silhouette, 'silhouette');
          expectClose(metrics.daviesBouldin!, c.daviesBouldin, 'Davies-Bouldin');
          expectClose(metrics.calinskiHarabasz!, c.calinskiHarabasz, 'Calinski-Harabasz');
          expectClose(metrics.inertia, c.inertia ?? c.withinSS, 'inertia');
          expectClose(metrics.ari!, c.external.ari, 'ARI');
          expectClose(metrics.nmi!, c.external.nmi, 'NMI');
          expectClose(metrics.ami!, c.external.ami, 'AMI');
          expectClose(metrics.homogeneity!, c.external.homogeneity, 'homogeneity');
          expectClose(metrics.completeness!, c.external.completeness, 'completeness');
          expectClose(metrics.vMeasure!, c.external.vMeasure, 'V-measure');
          expectClose(metrics.purity!, c.external.purity, 'purity');
          expectClose(metrics.accuracy!, c.external.accuracy, 'accuracy');
          if (!c.centers) {
            const noTruth = await computeMetrics(X, labels, null, null, { silhouette: 'none' });
            expectClose(noTruth.metrics.inertia, c.withinSS, 'within-cluster sum of squares');
            expect(noTruth.silhouette).toBeNull();
            expect(noTruth.metrics.silhouette).toBeNull();
            for (const key of ['ari', 'nmi', 'ami', 'homogeneity', 'completeness', 'vMeasure', 'purity', 'accuracy'] as const) {
              expect(noTruth.metrics[key], key).toBeNull();
            }
          }
        });

        if (c.sampled) {
          const sampled = c.sampled;
          it("sampled silhouette: same rows and score as scikit-learn's silhouette_score(sample_size, random_state=seed)", async () => {
            const opts = { mode: 'sample' as const, sampleSize: sampled.sampleSize, seed: sampled.seed };
            const r = await silhouetteScore(X, labels, opts);
            expect(r.exact).toBe(false);
            expect(r.sampleSize).toBe(sampled.sampleSize);
            expect(Array.from(r.indices!)).toEqual(sampled.indices);
            expectClose(r.score, sampled.score, 'sampled silhouette');
            const m = await computeMetrics(X, labels, null, null, { silhouette: 'sample', ...opts });
            expect(Array.from(m.silhouette!.indices!)).toEqual(sampled.indices);
            expectClose(m.metrics.silhouette!, sampled.score, 'computeMetrics sampled silhouette');
          });
        }
      });
    }
  });
}
