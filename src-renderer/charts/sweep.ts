/** k sweep: inertia (elbow), silhouette and Calinski-Harabasz against k, three panels side by side. */
import type { EChartsCoreOption } from 'echarts/core';
import { axisStyle, baseTextStyle, type ChartTheme } from './theme';

export interface SweepPoint {
  k: number;
  inertia: number | null;
  silhouette: number | null;
  calinskiHarabasz: number | null;
}

export const SWEEP_PANELS = [
  { key: 'inertia', title: 'Inertia (elbow)' },
  { key: 'silhouette', title: 'Silhouette' },
  { key: 'calinskiHarabasz', title: 'Calinski-Harabasz' },
] as const;

/** The k with the best value of a metric (highest; lowest for inertia is meaningless so it is skipped). */
export function bestK(points: SweepPoint[], key: 'silhouette' | 'calinskiHarabasz'): number | null {
  let best: SweepPoint | null = null;
  for (const p of points) {
    const v = p[key];
    if (v === null || !Number.isFinite(v)) continue;
    if (!best || v > (best[key] as number)) best = p;
  }
  return best ? best.k : null;
}

export function sweepOption(points: SweepPoint[], t: ChartTheme): EChartsCoreOption {
  const sorted = [...points].sort((a, b) => a.k - b.k);
  const ax = axisStyle(t);
  const w = 100 / SWEEP_PANELS.length;
  return {
    textStyle: baseTextStyle(t),
    animation: false,
    title: SWEEP_PANELS.map((p, i) => ({
      text: p.title,
      left: `${i * w + 4}%`,
      top: 0,
      textStyle: { fontSize: 12, fontWeight: 600, color: t.text },
    })),
    tooltip: { trigger: 'axis' },
    grid: SWEEP_PANELS.map((_, i) => ({ left: `${i * w + 6}%`, width: `${w - 9}%`, top: 56, bottom: 40 })),
    xAxis: SWEEP_PANELS.map((_, i) => ({
      type: 'value',
      gridIndex: i,
      name: 'k',
      nameLocation: 'middle',
      nameGap: 24,
      minInterval: 1,
      min: 'dataMin',
      max: 'dataMax',
      ...ax,
      splitLine: { show: false },
    })),
    yAxis: SWEEP_PANELS.map((_, i) => ({ type: 'value', gridIndex: i, scale: true, ...ax })),
    series: SWEEP_PANELS.map((p, i) => {
      const best = p.key === 'inertia' ? null : bestK(sorted, p.key);
      return {
        type: 'line',
        name: p.title,
        xAxisIndex: i,
        yAxisIndex: i,
        data: sorted.filter((s) => s[p.key] !== null).map((s) => [s.k, s[p.key]]),
        symbolSize: 7,
        lineStyle: { width: 2, color: t.palette[i] },
        itemStyle: { color: t.palette[i] },
        markPoint:
          best !== null
            ? {
                symbol: 'pin',
                symbolSize: 36,
                label: { formatter: `k=${best}`, fontSize: 9, color: '#fff' },
                itemStyle: { color: t.palette[i] },
                data: [{ coord: [best, sorted.find((s) => s.k === best)![p.key]] }],
              }
            : undefined,
      };
    }),
  };
}
