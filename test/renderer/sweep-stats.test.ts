import { describe, expect, it } from 'vitest';
import type { RunInfo } from '../../src-shared/api';
import { runInfo } from '../helpers/run-info';
import { lightTheme } from '../helpers/chart-theme';
import { sweepChartHeight, sweepOption, sweepPanels } from '../../src-renderer/charts/sweep';
import { fmtMeanStd, fmtNumber } from '../../src-renderer/lib/format';
import { aggregateByK, bestKOf, meanStd, stdShown, sweepCsv, sweepElbow } from '../../src-renderer/lib/sweep-stats';

type AnyObj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function run(id: number, k: number, seed: number, inertia: number, sil: number | null, status: RunInfo['status'] = 'done'): RunInfo {
  return runInfo(id, {
    k, seed, status, name: `r${id}`, sweepId: 'S',
    fitMs: status === 'done' ? 100 * k : null,
    metrics: status === 'done' ? { inertia, silhouette: sil, daviesBouldin: 1 / k, calinskiHarabasz: 10 * k } : null,
  });
}

// inertia per k (mean over two seeds): 100, 50, 20, 18, 16 → elbow at k = 4
const runs = [
  run(1, 2, 0, 99, 0.3), run(2, 2, 1, 101, 0.5),
  run(3, 3, 0, 50, 0.6), run(4, 3, 1, 50, 0.6),
  run(5, 4, 0, 19, 0.7), run(6, 4, 1, 21, 0.8),
  run(7, 5, 0, 18, 0.4), run(8, 5, 1, 18, 0.4, 'failed'),
  run(9, 6, 0, 16, null),
];

describe('sweep statistics', () => {
  it('mean and sample std', () => {
    expect(meanStd([2, 4])).toEqual({ mean: 3, std: Math.SQRT2, n: 2 });
    expect(meanStd([5])).toEqual({ mean: 5, std: 0, n: 1 });
    expect(meanStd([])).toBeNull();
  });

  it('aggregates per k over the done runs only', () => {
    const rows = aggregateByK([...runs].reverse());
    expect(rows.map((r) => [r.k, r.runs, r.done])).toEqual([[2, 2, 2], [3, 2, 2], [4, 2, 2], [5, 2, 1], [6, 1, 1]]);
    expect(rows[0]!.stats.inertia).toEqual({ mean: 100, std: Math.SQRT2, n: 2 });
    expect(rows[0]!.stats.silhouette!.mean).toBeCloseTo(0.4, 15);
    expect(rows[4]!.stats.silhouette).toBeNull();
    expect(rows[2]!.stats.fitSeconds).toEqual({ mean: 0.4, std: 0, n: 2 });
    expect(rows[0]!.stats.ari).toBeNull();
    expect(sweepElbow(rows)).toBe(4);
    expect(bestKOf(rows, 'silhouette')).toBe(4);
    expect(bestKOf(rows, 'daviesBouldin')).toBe(6);
    expect(bestKOf(rows, 'inertia')).toBeNull();
  });

  it('CSV: one line per k, metrics without values left out, full precision', () => {
    const csv = sweepCsv(aggregateByK(runs)).trim().split('\n');
    expect(csv[0]).toBe(
      'k,runs,done,inertia_mean,inertia_std,silhouette_mean,silhouette_std,calinskiHarabasz_mean,calinskiHarabasz_std,daviesBouldin_mean,daviesBouldin_std,fitSeconds_mean,fitSeconds_std',
    );
    expect(csv[1]).toBe(`2,2,2,100,${Math.SQRT2},0.4,${meanStd([0.3, 0.5])!.std},20,0,0.5,0,0.2,0`);
    expect(csv[5]).toBe('6,1,1,16,0,,,60,0,0.16666666666666666,0,0.6,0');
  });

  it('chart: a panel per present metric, error bars where several seeds, elbow and best k marked', () => {
    const rows = aggregateByK(runs);
    const panels = sweepPanels(rows);
    expect(panels.map((p) => [p.key, p.markLabel])).toEqual([
      ['inertia', 'elbow k=4'],
      ['silhouette', 'best k=4'],
      ['calinskiHarabasz', 'best k=6'],
      ['daviesBouldin', 'best k=6'],
      ['fitSeconds', ''],
    ]);
    const o = sweepOption(rows, lightTheme) as AnyObj;
    expect(o.series).toHaveLength(10);
    expect(o.series[0].data[0]).toEqual([2, 100]);
    expect(o.series[0].markLine.data).toEqual([{ xAxis: 4 }]);
    // error bars: k = 2, 3, 4 have two done runs; 5 and 6 one
    expect(o.series[1].type).toBe('custom');
    expect(o.series[1].data.map((d: number[]) => d[0])).toEqual([2, 3, 4]);
    expect(o.series[1].data[0]).toEqual([2, 100 - Math.SQRT2, 100 + Math.SQRT2]);
    expect(o.series[2].data.map((d: number[]) => d[0])).toEqual([2, 3, 4, 5]); // silhouette: k = 6 has none
    expect(o.series[3].data.map((d: number[]) => d[0])).toEqual([2, 3, 4]);
    expect(o.tooltip.valueFormatter(0.0675139366577608)).toBe('0.06751');
    // bars stop at the lowest possible value; the renderer draws a bar and two caps in the series colour
    const wide = aggregateByK([run(20, 2, 0, 1, 0.5), run(21, 2, 1, 99, 0.5)]);
    const bars = (sweepOption(wide, lightTheme) as AnyObj).series[1];
    expect(bars.data[0][1]).toBe(0);
    const drawn = bars.renderItem({}, { value: (i: number) => bars.data[0][i], coord: ([x, y]: number[]) => [x * 10, y], visual: () => '#123' });
    expect(drawn.children).toHaveLength(3);
    expect(drawn.children[0].shape).toEqual({ x1: 20, y1: 0, x2: 20, y2: bars.data[0][2] });
    expect(drawn.children[0].style.stroke).toBe('#123');
    expect(sweepChartHeight(rows)).toBe(2 * 190);
  });
});

describe('fmtNumber', () => {
  it('one format for any number', () => {
    expect(fmtNumber(0.0675139366577608)).toBe('0.06751');
    expect(fmtNumber(7)).toBe('7');
    expect(fmtNumber(2616)).toBe('2,616');
    expect(fmtNumber(2652.7)).toBe('2,653');
    expect(fmtNumber(184.44)).toBe('184.4');
    expect(fmtNumber(-0.5)).toBe('-0.5');
    expect(fmtNumber(2.5e9)).toBe('2.500e+9');
    expect(fmtNumber(3e-6)).toBe('3.000e-6');
    expect(fmtNumber(NaN)).toBe('—');
    expect(fmtNumber(0.80001, 2)).toBe('0.8');
    expect(fmtMeanStd('silhouette', 0.41234, 0.03111)).toBe('0.412 ± 0.031');
    expect(fmtMeanStd('ari', 1, 0)).toBe('1.000 ± 0');
    expect(fmtMeanStd('inertia', 2787276.6, 1234.5)).toBe('2.787M ± 1.235K');
    expect(fmtMeanStd('inertia', 138.31, null)).toBe('138.3');
    expect(fmtMeanStd('silhouette', null, 1)).toBe('—');
    expect(stdShown({ mean: 0.8191, std: 1.2e-16, n: 5 })).toBe(0);
    expect(stdShown({ mean: 0.8191, std: 0.01, n: 5 })).toBe(0.01);
  });
});
