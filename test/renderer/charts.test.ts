import { describe, expect, it } from 'vitest';
import { confusionCells, confusionOption } from '../../src-renderer/charts/confusion';
import {
  histogram,
  binCenters,
  silhouetteMultiplesOption,
  silhouetteOverlayOption,
  silhouetteSortedOption,
  smallMultiplesLayout,
  niceCeil,
  silhouetteRange,
  sortedSilhouetteSeries,
} from '../../src-renderer/charts/silhouette';
import { convergenceOption } from '../../src-renderer/charts/convergence';
import { lightTheme } from '../helpers/chart-theme';

type AnyObj = Record<string, any>;

describe('confusion heatmap', () => {
  it('cells carry column, row, row share and count', () => {
    const cells = confusionCells([
      [3, 1],
      [0, 0],
      [2, 6],
    ]);
    expect(cells).toEqual([
      [0, 0, 0.75, 3],
      [1, 0, 0.25, 1],
      [0, 1, 0, 0],
      [1, 1, 0, 0],
      [0, 2, 0.25, 2],
      [1, 2, 0.75, 6],
    ]);
  });

  it('builds one heatmap with the names on the axes and readable labels on dark cells', () => {
    const o = confusionOption(
      { counts: [[9, 1], [2, 8]], rowNames: ['#1', '#0'], colNames: ['a', 'b'], rowAxisName: 'cluster', colAxisName: 'true label' },
      lightTheme,
    ) as AnyObj;
    expect(o.xAxis.data).toEqual(['a', 'b']);
    expect(o.yAxis.data).toEqual(['#1', '#0']);
    expect(o.yAxis.inverse).toBe(true);
    const s = o.series[0];
    expect(s.type).toBe('heatmap');
    expect(s.data).toHaveLength(4);
    expect(s.data[0].value).toEqual([0, 0, 0.9, 9]);
    expect(s.data[0].label.color).toBe(lightTheme.rampInk);
    expect(s.data[1].label.color).toBe(lightTheme.text);
    expect(s.label.formatter({ value: [0, 0, 0.9, 9] })).toBe('9\n90%');
    expect(s.label.formatter({ value: [1, 0, 0, 0] })).toBe('');
    expect(o.visualMap.dimension).toBe(2);
  });

  it('hides cell labels on large tables unless asked', () => {
    const big = Array.from({ length: 20 }, () => Array.from({ length: 10 }, () => 1));
    const o = confusionOption({ counts: big, rowNames: big.map((_, i) => `${i}`), colNames: big[0]!.map((_, i) => `${i}`), rowAxisName: 'r', colAxisName: 'c' }, lightTheme) as AnyObj;
    expect(o.series[0].label.show).toBe(false);
  });
});

describe('silhouette charts', () => {
  it('histogram clamps out-of-range values into the end bins and skips NaN', () => {
    expect(histogram([-1, -0.5, 0, 0.49, 0.5, 0.99, 1, 2, NaN], -0.5, 1, 3)).toEqual([2, 2, 4]);
    expect(binCenters(0, 1, 4)).toEqual([0.125, 0.375, 0.625, 0.875]);
  });

  it('small multiples share one y maximum and bin edges, one grid per cluster', () => {
    const edges = [-0.2, 0, 0.2, 0.4];
    const o = silhouetteMultiplesOption(
      [
        { name: '0', counts: [1, 5, 2], mean: 0.15, size: 8 },
        { name: '1', counts: [0, 2, 9], mean: 0.3, size: 11 },
        { name: '2', counts: [0, 0, 0], mean: NaN, size: 0 },
      ],
      edges,
      0.22,
      lightTheme,
      2,
    ) as AnyObj;
    expect(o.grid).toHaveLength(3);
    expect(o.yAxis.every((y: AnyObj) => y.max === 10)).toBe(true); // nice ceiling of the largest count, 9
    expect(o.xAxis.every((x: AnyObj) => x.min === -0.2 && x.max === 0.4)).toBe(true);
    expect(o.series[1].data).toEqual([
      [-0.1, 0],
      [0.1, 2],
      [0.30000000000000004, 9],
    ]);
    expect(o.series[0].markLine.data.map((d: AnyObj) => d.xAxis)).toEqual([0.15, 0.22]);
    expect(o.series[2].markLine.data.map((d: AnyObj) => d.xAxis)).toEqual([0.22]);
    expect(o.title[2].subtext).toBe('n=0 · mean — (solid line)');
    expect(o.title[0].subtext).toMatch(/ \(solid line\)$/);
    // tooltip: the bin's range and its count
    expect(o.tooltip.formatter({ seriesName: 'Cluster 0', value: [0.05, 1234], dataIndex: 0 })).toMatch(/^Cluster 0<br\/>silhouette -?\d\.\d\d to -?\d\.\d\d: 1,234 samples$/);
    expect(smallMultiplesLayout(10, 5)).toEqual({ cols: 5, rows: 2 });
    expect(smallMultiplesLayout(3, 5)).toEqual({ cols: 3, rows: 1 });
  });

  it('axis helpers: nice ceilings and a silhouette range that always shows 0', () => {
    expect([1, 3, 9, 11, 66, 240, 251, 0].map(niceCeil)).toEqual([1, 5, 10, 20, 100, 250, 500, 1]);
    expect(silhouetteRange([[0.05, 0.33], [-0.12]])).toEqual([-0.2, 0.4]);
    expect(silhouetteRange([[0.8, 0.9]])).toEqual([0, 0.9]);
    expect(silhouetteRange([[-1, 1]])).toEqual([-1, 1]);
  });

  it('the sorted plot puts clusters one after another, each sorted decreasing, mean marked', () => {
    const series = sortedSilhouetteSeries(
      [
        { name: 'a', values: [0.1, 0.5, 0.3] },
        { name: 'b', values: [-0.2, 0.4] },
      ],
      2,
    );
    expect(series[0]).toEqual({ start: 0, points: [[0, 0.5], [1, 0.3], [2, 0.1]] });
    expect(series[1]).toEqual({ start: 5, points: [[5, 0.4], [6, -0.2]] });
    const o = silhouetteSortedOption([{ name: 'a', values: [0.1, 0.5, 0.3] }], 0.3, lightTheme) as AnyObj;
    expect(o.series[0].markLine.data).toEqual([{ yAxis: 0.3 }]);
    expect(o.series[0].markLine.label.formatter).toBe('mean 0.300');
    expect(o.series[0].markLine.label.position).toBe('end');
    // each cluster named above its run of samples; the tooltip reads the value with 3 digits
    expect(o.series[0].markPoint.label.formatter).toBe('Cluster a');
    expect(o.series[0].markPoint.data[0].coord).toEqual([1.5, 0]);
    expect(o.tooltip.formatter([{ seriesName: 'Cluster a', value: [2, 0.123456] }])).toBe('Cluster a: silhouette 0.123');
  });

  it('overlay normalises each run to shares', () => {
    const o = silhouetteOverlayOption(
      [
        { name: 'A', values: [0.1, 0.1, 0.9, 0.9] },
        { name: 'B', values: [0.5] },
      ],
      lightTheme,
      7,
    ) as AnyObj;
    expect(o.series).toHaveLength(2);
    const sum = (s: AnyObj) => s.data.reduce((a: number, p: number[]) => a + p[1]!, 0);
    expect(sum(o.series[0])).toBeCloseTo(1);
    expect(sum(o.series[1])).toBeCloseTo(1);
    expect(o.series[0].name).toBe('A');
  });
});

describe('convergence', () => {
  it('plots inertia per iteration', () => {
    const h = [
      { run: 0, iteration: 1, inertia: 10, centerShift: 1 },
      { run: 0, iteration: 2, inertia: 8, centerShift: 0.1 },
    ];
    const o = convergenceOption(h, lightTheme) as AnyObj;
    expect(o.series[0].data).toEqual([
      [1, 10],
      [2, 8],
    ]);
    expect(o.xAxis.name).toBe('iteration');
    expect((convergenceOption(h, lightTheme, { minibatch: true }) as AnyObj).xAxis.name).toBe('step');
  });
});
