/** A RunInfo for renderer tests: a done K-means run with every field filled, overridden by `over`. */
import type { RunInfo } from '../../src-shared/api';
import type { Metrics } from '../../src-shared/model';

export function runInfo(id: number, over: Omit<Partial<RunInfo>, 'metrics'> & { k?: number; seed?: number; metrics?: Partial<Metrics> | null } = {}): RunInfo {
  const { k = 3, seed = 0, metrics, ...rest } = over;
  const base: Metrics = {
    inertia: 100, silhouette: null, daviesBouldin: null, calinskiHarabasz: null, ari: null, nmi: null, ami: null,
    homogeneity: null, completeness: null, vMeasure: null, purity: null, accuracy: null,
  };
  return {
    id,
    name: `run ${id}`,
    datasetId: 1,
    datasetName: 'D',
    algorithm: 'kmeans',
    params: { algorithm: 'kmeans', k, init: 'k-means++', nInit: 'auto', maxIter: 300, tol: 1e-4, seed, batchSize: 1024, maxNoImprovement: 10, reassignmentRatio: 0.01, initSize: null },
    preprocessing: 'none',
    silhouette: { mode: 'exact' },
    status: 'done',
    error: null,
    sweepId: null,
    origin: { kind: 'app', source: null },
    createdAt: id,
    startedAt: null,
    finishedAt: null,
    fitMs: null,
    metricsMs: 1,
    nIter: 3,
    metrics: metrics === null ? null : { ...base, ...metrics },
    clusterSizes: null,
    silhouetteState: 'final',
    silhouetteError: null,
    ...rest,
  };
}
