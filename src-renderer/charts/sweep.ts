/**
 * A sweep against k: one small panel per metric (inertia, silhouette, Calinski–Harabasz, Davies–Bouldin, ARI and
 * NMI with true labels, fit time), the mean over seeds as a line with ±1 std error bars, the elbow of the inertia
 * (Kneedle) and the best k of the others marked by a dashed line labelled above the plot.
 */
import type { EChartsCoreOption } from 'echarts/core';
import { fmtNumber } from '../lib/format';
import { bestKOf, presentMetrics, sweepElbow, type KRow } from '../lib/sweep-stats';
import { axisStyle, baseTextStyle, type ChartTheme } from './theme';

/** Panels per row. */
export const SWEEP_COLUMNS = 4;
/** Height in px of one row of panels. */
export const SWEEP_ROW_HEIGHT = 190;

/** ECharts custom-series renderer of a vertical error bar with caps, from data [k, low, high]. */
function errorBar(_params: unknown, api: { value: (i: number) => number; coord: (p: number[]) => number[]; visual: (name: string) => unknown }) {
  const k = api.value(0);
  const lo = api.coord([k, api.value(1)]);
  const hi = api.coord([k, api.value(2)]);
  const w = 4;
  const style = { stroke: api.visual('color') as string, fill: 'none', lineWidth: 1.2 };
  return {
    type: 'group',
    children: [
      { type: 'line', shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style },
      { type: 'line', shape: { x1: lo[0] - w, y1: lo[1], x2: lo[0] + w, y2: lo[1] }, style },
      { type: 'line', shape: { x1: hi[0] - w, y1: hi[1], x2: hi[0] + w, y2: hi[1] }, style },
    ],
  };
}

export interface SweepPanel {
  key: string;
  title: string;
  /** The marked k (elbow for inertia, best for the others), or null. */
  marked: number | null;
  markLabel: string;
  /** Lowest possible value: error bars are cut there. */
  min: number;
}

/** Which panels the rows give, with their marks. */
export function sweepPanels(rows: readonly KRow[]): SweepPanel[] {
  const elbow = sweepElbow(rows);
  return presentMetrics(rows).map((m) => {
    const marked = m.key === 'inertia' ? elbow : bestKOf(rows, m.key);
    return { key: m.key, title: m.title, min: m.min, marked, markLabel: marked === null ? '' : m.key === 'inertia' ? `elbow k=${marked}` : `best k=${marked}` };
  });
}

export function sweepOption(rows: readonly KRow[], t: ChartTheme): EChartsCoreOption {
  const panels = sweepPanels(rows);
  const ax = axisStyle(t);
  const w = 100 / SWEEP_COLUMNS;
  const pos = (i: number) => ({ col: i % SWEEP_COLUMNS, row: Math.floor(i / SWEEP_COLUMNS) });
  const withStat = (key: string) => rows.filter((r) => r.stats[key as keyof KRow['stats']] !== null);
  const stat = (r: KRow, key: string) => r.stats[key as keyof KRow['stats']]!;
  return {
    textStyle: baseTextStyle(t),
    animation: false,
    title: panels.map((p, i) => ({
      text: p.title,
      subtext: p.markLabel,
      left: `${pos(i).col * w + 1}%`,
      top: pos(i).row * SWEEP_ROW_HEIGHT,
      itemGap: 2,
      textStyle: { fontSize: 12, fontWeight: 600, color: t.text },
      subtextStyle: { fontSize: 11, color: t.accent },
    })),
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v: unknown) => (typeof v === 'number' ? fmtNumber(v) : String(v)),
    },
    grid: panels.map((_, i) => ({
      left: `${pos(i).col * w + 1}%`,
      width: `${w - 3}%`,
      top: pos(i).row * SWEEP_ROW_HEIGHT + 44,
      height: SWEEP_ROW_HEIGHT - 80,
      containLabel: true,
    })),
    xAxis: panels.map((_, i) => ({
      type: 'value',
      gridIndex: i,
      name: 'k',
      nameLocation: 'middle',
      nameGap: 22,
      minInterval: 1,
      min: 'dataMin',
      max: 'dataMax',
      ...ax,
      axisLabel: { ...ax.axisLabel, hideOverlap: true },
      splitLine: { show: false },
    })),
    yAxis: panels.map((_, i) => ({
      type: 'value',
      gridIndex: i,
      scale: true,
      splitNumber: 3,
      ...ax,
      axisLabel: { ...ax.axisLabel, hideOverlap: true, formatter: (v: number) => fmtNumber(v, 3) },
    })),
    series: panels.flatMap((p, i) => {
      const color = t.palette[i % t.palette.length];
      const pts = withStat(p.key);
      return [
        {
          type: 'line',
          name: p.title,
          xAxisIndex: i,
          yAxisIndex: i,
          data: pts.map((r) => [r.k, stat(r, p.key).mean]),
          symbolSize: 5,
          lineStyle: { width: 2, color },
          itemStyle: { color },
          markLine:
            p.marked !== null
              ? { symbol: 'none', silent: true, label: { show: false }, lineStyle: { color: t.accent, type: 'dashed', width: 1.5 }, data: [{ xAxis: p.marked }] }
              : undefined,
        },
        {
          type: 'custom',
          name: `${p.title} ± std`,
          xAxisIndex: i,
          yAxisIndex: i,
          itemStyle: { color },
          renderItem: errorBar,
          tooltip: { show: false },
          data: pts
            .filter((r) => stat(r, p.key).n > 1)
            .map((r) => [r.k, Math.max(p.min, stat(r, p.key).mean - stat(r, p.key).std), stat(r, p.key).mean + stat(r, p.key).std]),
          z: 1,
        },
      ];
    }),
  };
}

/** Chart height for the rows' panels. */
export function sweepChartHeight(rows: readonly KRow[]): number {
  return Math.ceil(sweepPanels(rows).length / SWEEP_COLUMNS) * SWEEP_ROW_HEIGHT;
}
