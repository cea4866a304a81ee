/** Inertia per iteration (Lloyd) or smoothed batch inertia per step (mini-batch) of the kept initialisation. */
import type { EChartsCoreOption } from 'echarts/core';
import type { IterationInfo } from '../../src-shared/model';
import { fmtNumber } from '../lib/format';
import { axisStyle, baseTextStyle, type ChartTheme } from './theme';

export function convergenceOption(history: IterationInfo[], t: ChartTheme, opts: { minibatch?: boolean } = {}): EChartsCoreOption {
  const ax = axisStyle(t);
  const yName = opts.minibatch ? 'smoothed batch inertia / sample' : 'inertia';
  return {
    textStyle: baseTextStyle(t),
    animation: false,
    grid: { left: 72, right: 24, top: 24, bottom: 40 },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? fmtNumber(v) : String(v)) },
    xAxis: {
      type: 'value',
      name: opts.minibatch ? 'step' : 'iteration',
      nameLocation: 'middle',
      nameGap: 24,
      minInterval: 1,
      min: history.length ? history[0]!.iteration : 0,
      max: 'dataMax',
      ...ax,
      splitLine: { show: false },
    },
    yAxis: { type: 'value', scale: true, name: yName, nameLocation: 'middle', nameGap: 56, ...ax },
    series: [
      {
        type: 'line',
        name: yName,
        data: history.map((h) => [h.iteration, h.inertia]),
        showSymbol: history.length <= 40,
        symbolSize: 5,
        sampling: 'lttb',
        lineStyle: { color: t.accent, width: 2 },
        itemStyle: { color: t.accent },
      },
    ],
  };
}
