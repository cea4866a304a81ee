/**
 * The per-cluster statistics table of a run: size, purity, matched and majority label, mean silhouette, the share
 * of negative silhouettes, and the distance to the nearest other center; its sorting and its CSV (with the
 * clusters × true labels matrix below it). Pure functions over the run's arrays.
 */
import type { ContingencyReply, SilhouetteSamples } from '../../src-shared/api';
import type { ClusterSummary } from '../stores/run-detail';
import { compareValues, type SortDir } from './sort';

export interface ClusterStat {
  cluster: number;
  size: number;
  /** Share of the cluster with its majority true label; null without labels. */
  purity: number | null;
  majorityName: string | null;
  /** The label the Hungarian matching gives the cluster. */
  matchedName: string | null;
  /** Mean silhouette of the cluster's rows that have one (all rows when exact, the sample otherwise); null without. */
  meanSilhouette: number | null;
  /** Share of those rows with a negative silhouette (closer to another cluster). */
  negativeShare: number | null;
  /** Rows the two silhouette columns are over. */
  silhouetteCount: number;
  /** Euclidean distance to the nearest other center, in the run's units, and that center; null when k = 1. */
  nearestDistance: number | null;
  nearestCluster: number | null;
}

/** For each of the k centers (k × d, row-major) the nearest other center and its Euclidean distance. */
export function nearestCenters(centers: Float64Array, k: number, d: number): { cluster: number | null; distance: number | null }[] {
  return Array.from({ length: k }, (_, a) => {
    let best: number | null = null;
    let bestD = Infinity;
    for (let b = 0; b < k; b++) {
      if (b === a) continue;
      let s = 0;
      for (let j = 0; j < d; j++) s += (centers[a * d + j]! - centers[b * d + j]!) ** 2;
      if (s < bestD) (bestD = s), (best = b);
    }
    return { cluster: best, distance: best === null ? null : Math.sqrt(bestD) };
  });
}

export function clusterStats(
  k: number,
  d: number,
  summaries: readonly ClusterSummary[],
  labels: Int32Array | null,
  silhouette: SilhouetteSamples | null,
  centers: Float64Array | null,
): ClusterStat[] {
  const sum = new Float64Array(k);
  const count = new Int32Array(k);
  const negative = new Int32Array(k);
  if (labels && silhouette) {
    for (let i = 0; i < silhouette.indices.length; i++) {
      const c = labels[silhouette.indices[i]!]!;
      if (c < 0 || c >= k) continue;
      const v = silhouette.values[i]!;
      sum[c] += v;
      count[c]++;
      if (v < 0) negative[c]++;
    }
  }
  const near = centers ? nearestCenters(centers, k, d) : null;
  return Array.from({ length: k }, (_, c) => {
    const s = summaries[c];
    return {
      cluster: c,
      size: s?.size ?? 0,
      purity: s?.purity ?? null,
      majorityName: s?.majorityName ?? null,
      matchedName: s?.matchedName ?? null,
      meanSilhouette: count[c] ? sum[c]! / count[c]! : null,
      negativeShare: count[c] ? negative[c]! / count[c]! : null,
      silhouetteCount: count[c]!,
      nearestDistance: near?.[c]?.distance ?? null,
      nearestCluster: near?.[c]?.cluster ?? null,
    };
  });
}

/** Sortable columns of the table, in order. */
export const CLUSTER_STAT_COLUMNS = [
  { key: 'cluster', label: 'Cluster', numeric: true },
  { key: 'size', label: 'Size', numeric: true },
  { key: 'matchedName', label: 'Matched label', numeric: false },
  { key: 'majorityName', label: 'Majority label', numeric: false },
  { key: 'purity', label: 'Purity', numeric: true },
  { key: 'meanSilhouette', label: 'Mean silhouette', numeric: true },
  { key: 'negativeShare', label: 'Negative silhouettes', numeric: true },
  { key: 'nearestDistance', label: 'Nearest center', numeric: true },
] as const;
export type ClusterStatKey = (typeof CLUSTER_STAT_COLUMNS)[number]['key'];

export function sortClusterStats(rows: readonly ClusterStat[], key: ClusterStatKey, dir: SortDir): ClusterStat[] {
  return [...rows].sort((a, b) => compareValues(a[key], b[key], dir) || a.cluster - b.cluster);
}

const csvCell = (v: string | number | null): string => (v === null ? '' : typeof v === 'number' ? String(v) : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/**
 * The table as CSV (full precision, empty cells where a value is missing), then, when the dataset has labels, a
 * blank line and the clusters × true labels counts ("cluster,<label>,…").
 */
export function clusterStatsCsv(rows: readonly ClusterStat[], contingency: ContingencyReply | null): string {
  const head = 'cluster,size,matched_label,majority_label,purity,mean_silhouette,negative_silhouette_share,silhouette_rows,nearest_center_distance,nearest_center';
  const lines = [head];
  for (const r of rows) {
    lines.push(
      [r.cluster, r.size, r.matchedName, r.majorityName, r.purity, r.meanSilhouette, r.negativeShare, r.silhouetteCount, r.nearestDistance, r.nearestCluster]
        .map(csvCell)
        .join(','),
    );
  }
  if (contingency) {
    lines.push('', ['cluster', ...contingency.classNames].map(csvCell).join(','));
    for (let c = 0; c < contingency.k; c++) {
      lines.push([c, ...contingency.matrix.subarray(c * contingency.classes, (c + 1) * contingency.classes)].join(','));
    }
  }
  return lines.join('\n') + '\n';
}
