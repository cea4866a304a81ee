/**
 * Cluster profiles of data that is not images: each cluster's feature means as z-scores against the whole
 * dataset (so features on different scales share one axis), one line per cluster over the named features;
 * and the heat colour of a mean ± std table cell. Pure builders.
 */
import type { EChartsCoreOption } from 'echarts/core';
import { axisStyle, baseTextStyle, type ChartTheme } from './theme';
import { fmtNumber } from '../lib/format';

/** k × d z-scores (mean − overall mean) / overall std; 0 for a constant feature, NaN for an empty cluster. */
export function profileZ(mean: ArrayLike<number>, overallMean: ArrayLike<number>, overallStd: ArrayLike<number>, k: number, d: number): Float64Array {
  const z = new Float64Array(k * d);
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < d; j++) {
      const m = mean[c * d + j]!;
      const s = overallStd[j]!;
      z[c * d + j] = Number.isNaN(m) ? NaN : s > 0 ? (m - overallMean[j]!) / s : 0;
    }
  }
  return z;
}

/** Background of a table cell for a z-score: the accent colour for above the mean, the danger colour below, opacity by |z| (full at 2). */
export function heatBackground(z: number, t: ChartTheme): string {
  if (!Number.isFinite(z) || z === 0) return 'transparent';
  const a = Math.min(1, Math.abs(z) / 2) * 0.55;
  const hex = z > 0 ? t.accent : t.danger;
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgba(${r}, ${g}, ${b}, ${a.toFixed(3)})`;
}

export interface ProfileInput {
  /** Feature names (x axis), length d. */
  features: string[];
  clusters: { name: string; z: ArrayLike<number> }[];
}

export function profileOption(input: ProfileInput, t: ChartTheme): EChartsCoreOption {
  const ax = axisStyle(t);
  return {
    textStyle: baseTextStyle(t),
    animation: false,
    grid: { left: 48, right: 16, top: 36, bottom: input.features.length > 8 ? 72 : 40 },
    legend: { type: 'scroll', top: 4, textStyle: { color: t.text, fontSize: 11 }, pageTextStyle: { color: t.textMuted } },
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => fmtNumber(v, 3) },
    xAxis: {
      type: 'category',
      data: input.features,
      ...ax,
      axisLabel: { ...ax.axisLabel, rotate: input.features.length > 8 ? 35 : 0, interval: 0 },
      splitLine: { show: false },
    },
    yAxis: { type: 'value', name: 'z-score of the cluster mean', nameLocation: 'middle', nameGap: 32, ...ax },
    series: input.clusters.map((c, i) => ({
      type: 'line',
      name: c.name,
      data: Array.from(c.z, (v) => (Number.isFinite(v) ? v : null)),
      symbolSize: 6,
      lineStyle: { width: 2 },
      itemStyle: { color: t.palette[i % t.palette.length] },
    })),
  };
}
