import { describe, expect, it } from 'vitest';
import type { ContingencyReply } from '../../src-shared/api';
import { clusterStats, clusterStatsCsv, nearestCenters, sortClusterStats } from '../../src-renderer/lib/cluster-stats';
import { clusterSummaries } from '../../src-renderer/stores/run-detail';
import { compareValues } from '../../src-renderer/lib/sort';

// three clusters of a 1-D dataset: centers at 0, 1 and 5
const centers = Float64Array.from([0, 1, 5]);
const labels = Int32Array.from([0, 0, 0, 1, 1, 2, 2, 2]);
const cont: ContingencyReply = {
  id: 1,
  k: 3,
  classes: 2,
  classNames: ['a', 'b, "quoted"'],
  matrix: Int32Array.from([3, 0, 1, 1, 0, 3]),
  clusterToClass: Int32Array.from([0, -1, 1]),
  clusterOrder: Int32Array.from([0, 2, 1]),
  matchedAccuracy: 6 / 8,
};
const summaries = clusterSummaries([3, 2, 3], cont);
// silhouettes of rows 0, 1, 3, 4, 5 only (a sample): cluster 2 has one sampled row
const silhouette = { exact: false, indices: Int32Array.from([0, 1, 3, 4, 5]), values: Float64Array.from([0.5, 0.7, -0.2, 0.4, 0.9]) };

describe('cluster statistics', () => {
  it('nearest other center per cluster', () => {
    expect(nearestCenters(centers, 3, 1)).toEqual([
      { cluster: 1, distance: 1 },
      { cluster: 0, distance: 1 },
      { cluster: 1, distance: 4 },
    ]);
    expect(nearestCenters(Float64Array.from([3, 4]), 1, 2)).toEqual([{ cluster: null, distance: null }]);
  });

  it('size, labels, purity, silhouette mean and negative share over the sampled rows, nearest center', () => {
    const rows = clusterStats(3, 1, summaries, labels, silhouette, centers);
    expect(rows[0]).toEqual({
      cluster: 0, size: 3, purity: 1, majorityName: 'a', matchedName: 'a', meanSilhouette: 0.6, negativeShare: 0, silhouetteCount: 2, nearestDistance: 1, nearestCluster: 1,
    });
    expect(rows[1]).toMatchObject({ matchedName: null, majorityName: 'a', purity: 0.5, meanSilhouette: 0.1, negativeShare: 0.5 });
    expect(rows[2]).toMatchObject({ meanSilhouette: 0.9, silhouetteCount: 1, nearestDistance: 4 });
    const none = clusterStats(3, 1, clusterSummaries([3, 2, 3], null), labels, null, null);
    expect(none[0]).toMatchObject({ purity: null, meanSilhouette: null, negativeShare: null, nearestDistance: null });
    expect(sortClusterStats(rows, 'meanSilhouette', 'desc').map((r) => r.cluster)).toEqual([2, 0, 1]);
    expect(sortClusterStats(rows, 'matchedName', 'asc').map((r) => r.cluster)).toEqual([0, 2, 1]); // "no match" (null) last
    expect(sortClusterStats(rows, 'matchedName', 'desc').map((r) => r.cluster)).toEqual([2, 0, 1]);
    expect(compareValues('k=2', 'k=10', 'asc')).toBeLessThan(0);
  });

  it('CSV: the table, then the clusters × labels counts; names with commas quoted', () => {
    const csv = clusterStatsCsv(clusterStats(3, 1, summaries, labels, silhouette, centers), cont).split('\n');
    expect(csv[0]).toBe('cluster,size,matched_label,majority_label,purity,mean_silhouette,negative_silhouette_share,silhouette_rows,nearest_center_distance,nearest_center');
    expect(csv[1]).toBe('0,3,a,a,1,0.6,0,2,1,1');
    expect(csv[2]).toBe(`1,2,,a,0.5,${(-0.2 + 0.4) / 2},0.5,2,1,0`);
    expect(csv[4]).toBe('');
    expect(csv[5]).toBe('cluster,a,"b, ""quoted"""');
    expect(csv.slice(6, 9)).toEqual(['0,3,0', '1,1,1', '2,0,3']);
    expect(clusterStatsCsv([], null)).toBe(csv[0] + '\n');
  });
});
