import { describe, expect, it } from 'vitest';
import { breakdown, groupCentroids, groupPoints, rowsInRange } from '../../src-renderer/charts/map';
import { lightTheme } from '../helpers/chart-theme';
import { heatBackground, profileOption, profileZ } from '../../src-renderer/charts/profiles';

type AnyObj = Record<string, any>;

// 5 points: (0,0) (1,1) (2,0) (3,3) (-1,2), groups 0 1 0 2 1
const coords = Float32Array.from([0, 0, 1, 1, 2, 0, 3, 3, -1, 2]);
const group = Int32Array.from([0, 1, 0, 2, 1]);

describe('map chart', () => {
  it('splits the points by group, keeping each point with its dataset row', () => {
    const p = groupPoints(coords, group, 3);
    expect(p.rows.map((r) => Array.from(r))).toEqual([[0, 2], [1, 4], [3]]);
    expect(p.coords.map((c) => Array.from(c))).toEqual([[0, 0, 2, 0], [1, 1, -1, 2], [3, 3]]);
    // no grouping: one group of every row; out-of-range groups are left out
    expect(Array.from(groupPoints(coords, null, 1).rows[0]!)).toEqual([0, 1, 2, 3, 4]);
    expect(groupPoints(coords, Int32Array.from([0, 5, 0, -1, 0]), 1).rows.map((r) => r.length)).toEqual([3]);
  });

  it('puts each group centroid at the mean of its points, NaN for an empty group', () => {
    const c = groupCentroids(coords, group, 4);
    expect(Array.from(c.subarray(0, 6))).toEqual([1, 0, 0, 1.5, 3, 3]);
    expect(Number.isNaN(c[6]!)).toBe(true);
  });

  it('selects the rows inside a brushed rectangle, edges included, in any corner order', () => {
    expect(Array.from(rowsInRange(coords, [[0, 2], [0, 1]]))).toEqual([0, 1, 2]);
    expect(Array.from(rowsInRange(coords, [[2, 0], [1, 0]]))).toEqual([0, 1, 2]);
    expect(Array.from(rowsInRange(coords, [[10, 11], [0, 1]]))).toEqual([]);
  });

  it('counts a selection per cluster × label, or along the side that exists', () => {
    const clusters = Int32Array.from([0, 0, 1, 1, 1]);
    const labels = Int32Array.from([2, 0, 0, 1, 2]);
    expect(Array.from(breakdown([0, 1, 3, 4], clusters, 2, labels, 3).counts)).toEqual([1, 0, 1, 0, 1, 1]);
    const onlyLabels = breakdown([0, 1, 3, 4], null, 0, labels, 3);
    expect([onlyLabels.k, Array.from(onlyLabels.counts)]).toEqual([1, [1, 1, 2]]);
    expect(Array.from(breakdown([2, 3], clusters, 2, null, 0).counts)).toEqual([0, 2]);
  });
});

describe('cluster profiles chart', () => {
  it('z-scores each cluster mean against the whole dataset, 0 for a constant feature, NaN for an empty cluster', () => {
    const z = profileZ([1, 5, 3, 5, NaN, NaN], [2, 5], [0.5, 0], 3, 2);
    expect(Array.from(z.subarray(0, 4))).toEqual([-2, 0, 2, 0]);
    expect(Number.isNaN(z[4]!)).toBe(true);
  });

  it('draws one line per cluster over the feature names; heat cells by sign and size', () => {
    const o = profileOption({ features: ['a', 'b'], clusters: [{ name: '#0', z: [1, -1] }, { name: '#1', z: [NaN, 2] }] }, lightTheme) as AnyObj;
    expect(o.xAxis.data).toEqual(['a', 'b']);
    expect(o.series.map((s: AnyObj) => [s.name, s.data])).toEqual([['#0', [1, -1]], ['#1', [null, 2]]]);
    expect(o.series[1].itemStyle.color).toBe(lightTheme.palette[1]);
    expect(heatBackground(0, lightTheme)).toBe('transparent');
    expect(heatBackground(2, lightTheme)).toBe('rgba(58, 99, 216, 0.550)');
    expect(heatBackground(-1, lightTheme)).toBe('rgba(201, 55, 44, 0.275)');
  });
});
