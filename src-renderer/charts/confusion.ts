/**
 * Heatmap of a contingency table (clusters × true labels, or run A × run B):
 * counts in the cells, colour by row-normalised share, rows and columns in the order given.
 */
import type { EChartsCoreOption } from 'echarts/core';
import { axisStyle, baseTextStyle, type ChartTheme } from './theme';
import { fmtInt, fmtPct } from '../lib/format';

export interface ConfusionInput {
  /** counts[r][c] for the displayed row r and column c (already ordered). */
  counts: number[][];
  rowNames: string[];
  colNames: string[];
  rowAxisName: string;
  colAxisName: string;
  /** Show "count\nrow %" in each cell (off for large tables). */
  cellLabels?: boolean;
}

/** Cell tuples [col, row, rowShare, count] for the heatmap series. Pure and tested. */
export function confusionCells(counts: number[][]): [number, number, number, number][] {
  const cells: [number, number, number, number][] = [];
  counts.forEach((row, r) => {
    const total = row.reduce((a, b) => a + b, 0);
    row.forEach((c, j) => cells.push([j, r, total > 0 ? c / total : 0, c]));
  });
  return cells;
}

export function confusionOption(input: ConfusionInput, t: ChartTheme): EChartsCoreOption {
  const cells = confusionCells(input.counts);
  const showLabels = input.cellLabels ?? input.counts.length <= 12;
  const ax = axisStyle(t);
  return {
    textStyle: baseTextStyle(t),
    animation: false,
    grid: { left: 56, right: 16, top: 44, bottom: 32, containLabel: false },
    tooltip: {
      formatter: (p: { value: [number, number, number, number] }) => {
        const [c, r, share, count] = p.value;
        return `${input.rowAxisName} <b>${input.rowNames[r]}</b> · ${input.colAxisName} <b>${input.colNames[c]}</b><br/>${fmtInt(count)} samples (${fmtPct(share)} of row)`;
      },
    },
    xAxis: {
      type: 'category',
      data: input.colNames,
      position: 'top',
      name: input.colAxisName,
      nameLocation: 'middle',
      nameGap: 28,
      splitArea: { show: false },
      ...ax,
      splitLine: { show: false },
    },
    yAxis: {
      type: 'category',
      data: input.rowNames,
      inverse: true,
      name: input.rowAxisName,
      nameLocation: 'middle',
      nameGap: 40,
      ...ax,
      splitLine: { show: false },
    },
    visualMap: {
      show: false,
      min: 0,
      max: 1,
      dimension: 2,
      inRange: { color: t.ramp },
    },
    series: [
      {
        type: 'heatmap',
        data: cells.map((v) => ({ value: v, label: { color: v[2] > 0.55 ? t.rampInk : t.text } })),
        itemStyle: { borderColor: t.surface, borderWidth: 1 },
        label: {
          show: showLabels,
          fontSize: 10,
          lineHeight: 12,
          formatter: (p: { value: [number, number, number, number] }) => {
            const [, , share, count] = p.value;
            return count === 0 ? '' : `${count}\n${fmtPct(share, 0)}`;
          },
        },
        emphasis: { itemStyle: { borderColor: t.accent, borderWidth: 2 } },
      },
    ],
  };
}
