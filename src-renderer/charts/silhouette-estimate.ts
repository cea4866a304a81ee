/** The exact silhouette refining live: the running mean and its 95 % interval (a band) against the rows scored so far. */
import type { EChartsCoreOption } from 'echarts/core';
import type { SilhouetteEstimate } from '../../src-shared/api';
import { fmt, fmtInt } from '../lib/format';
import { axisStyle, baseTextStyle, type ChartTheme } from './theme';

/**
 * @param history the estimates in the order they came (rows increasing); those with an infinite interval are left out.
 */
export function silhouetteEstimateOption(history: readonly SilhouetteEstimate[], t: ChartTheme): EChartsCoreOption {
  const ax = axisStyle(t);
  const points = history.filter((e) => Number.isFinite(e.mean) && Number.isFinite(e.halfWidth));
  const total = history.length ? history[history.length - 1]!.total : 1;
  return {
    textStyle: baseTextStyle(t),
    animation: false,
    grid: { left: 56, right: 16, top: 12, bottom: 36 },
    tooltip: {
      trigger: 'axis',
      formatter: (items: { dataIndex: number }[]) => {
        const e = points[items[0]?.dataIndex ?? -1];
        return e ? `${fmtInt(e.rows)} of ${fmtInt(e.total)} rows<br/>${fmt(e.mean)} ± ${fmt(e.halfWidth)}` : '';
      },
    },
    xAxis: { type: 'value', name: 'rows scored', nameLocation: 'middle', nameGap: 22, min: 0, max: total, ...ax, splitLine: { show: false } },
    yAxis: { type: 'value', scale: true, splitNumber: 3, name: 'silhouette', nameLocation: 'middle', nameGap: 42, ...ax },
    series: [
      // the band: its lower edge (invisible), then its width stacked on it
      {
        type: 'line',
        name: 'lower',
        stack: 'band',
        data: points.map((e) => [e.rows, e.mean - e.halfWidth]),
        symbol: 'none',
        lineStyle: { opacity: 0 },
        tooltip: { show: false },
      },
      {
        type: 'line',
        name: '95 % interval',
        stack: 'band',
        data: points.map((e) => [e.rows, 2 * e.halfWidth]),
        symbol: 'none',
        lineStyle: { opacity: 0 },
        areaStyle: { color: t.accent, opacity: 0.18 },
      },
      {
        type: 'line',
        name: 'running mean',
        data: points.map((e) => [e.rows, e.mean]),
        showSymbol: points.length <= 40,
        symbolSize: 4,
        lineStyle: { color: t.accent, width: 2 },
        itemStyle: { color: t.accent },
      },
    ],
  };
}
