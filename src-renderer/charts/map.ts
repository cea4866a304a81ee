/**
 * The Map card's scatter of every row of a dataset (2-D coordinates from an embedding), one series per group
 * (cluster or true label) in ECharts' large mode so 70,000 points stay fluid, the group centroids marked, pan and
 * zoom inside the plot, and a rectangle brush. Pure builders plus the bookkeeping between series points and rows.
 */
import type { EChartsCoreOption } from 'echarts/core';
import { axisStyle, baseTextStyle, type ChartTheme } from './theme';

/** Points of each group: coordinates as x, y pairs (for the series' data) and the dataset row of each point. */
export interface GroupedPoints {
  /** groups × (2 × size): x0, y0, x1, y1, … */
  coords: Float32Array[];
  /** groups × size: dataset row of each point, same order. */
  rows: Int32Array[];
}

/**
 * Splits n points (coords n × 2, row-major) by group (length n, values 0 … groups − 1; a value out of range
 * goes to no group). Rows keep their order inside a group.
 */
export function groupPoints(coords: ArrayLike<number>, group: ArrayLike<number> | null, groups: number): GroupedPoints {
  const n = Math.floor(coords.length / 2);
  const g = Math.max(1, groups);
  const counts = new Int32Array(g);
  const of = (i: number): number => (group ? group[i]! : 0);
  for (let i = 0; i < n; i++) {
    const c = of(i);
    if (c >= 0 && c < g) counts[c]++;
  }
  const out: GroupedPoints = {
    coords: Array.from(counts, (c) => new Float32Array(2 * c)),
    rows: Array.from(counts, (c) => new Int32Array(c)),
  };
  const fill = new Int32Array(g);
  for (let i = 0; i < n; i++) {
    const c = of(i);
    if (c < 0 || c >= g) continue;
    const k = fill[c]++;
    out.coords[c]![2 * k] = coords[2 * i]!;
    out.coords[c]![2 * k + 1] = coords[2 * i + 1]!;
    out.rows[c]![k] = i;
  }
  return out;
}

/** Mean map position of each group (groups × 2), NaN for an empty group: where a cluster's center sits on the map. */
export function groupCentroids(coords: ArrayLike<number>, group: ArrayLike<number>, groups: number): Float64Array {
  const sums = new Float64Array(2 * groups);
  const counts = new Float64Array(groups);
  for (let i = 0; i < group.length; i++) {
    const c = group[i]!;
    if (c < 0 || c >= groups) continue;
    sums[2 * c] += coords[2 * i]!;
    sums[2 * c + 1] += coords[2 * i + 1]!;
    counts[c]++;
  }
  return sums.map((s, j) => (counts[j >> 1]! > 0 ? s / counts[j >> 1]! : NaN));
}

/** A brushed rectangle in data coordinates: [[x0, x1], [y0, y1]] (ECharts' coordRange of a rect brush). */
export type BrushRange = [[number, number], [number, number]];

/**
 * Rows whose map position lies inside the rectangle (edges included), ascending. ECharts' own brush selection
 * cannot be used: in large mode the series keep no per-point layout, so its selector sees no points.
 */
export function rowsInRange(coords: ArrayLike<number>, range: BrushRange): Int32Array {
  const [[xa, xb], [ya, yb]] = range;
  const [x0, x1] = xa <= xb ? [xa, xb] : [xb, xa];
  const [y0, y1] = ya <= yb ? [ya, yb] : [yb, ya];
  const out: number[] = [];
  for (let i = 0; 2 * i + 1 < coords.length; i++) {
    const x = coords[2 * i]!;
    const y = coords[2 * i + 1]!;
    if (x >= x0 && x <= x1 && y >= y0 && y <= y1) out.push(i);
  }
  return Int32Array.from(out);
}

/** Counts of the selected rows per cluster × true label (clusters × classes, row-major); a missing side counts as one column / row. */
export function breakdown(
  rows: ArrayLike<number>,
  clusters: ArrayLike<number> | null,
  k: number,
  labels: ArrayLike<number> | null,
  classes: number,
): { k: number; classes: number; counts: Int32Array } {
  const kk = clusters ? Math.max(1, k) : 1;
  const cc = labels ? Math.max(1, classes) : 1;
  const counts = new Int32Array(kk * cc);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const a = clusters ? clusters[r]! : 0;
    const b = labels ? labels[r]! : 0;
    if (a >= 0 && a < kk && b >= 0 && b < cc) counts[a * cc + b]++;
  }
  return { k: kk, classes: cc, counts };
}

export interface MapInput {
  points: GroupedPoints;
  /** Display name of each group (legend). */
  groupNames: string[];
  /** groups × 2 marked positions (cluster centers on the map), or null. */
  centers?: Float64Array | null;
  /** Positions of the selected points (x, y pairs), ringed on top of the others up to HIGHLIGHT_MAX points; null for none. */
  highlight?: Float32Array | null;
  /** Axis names (PCA: "PC 1 (9.7%)"). */
  xName: string;
  yName: string;
  /** Point size, px; default 7 below 2,000 points, 4 below 20,000, else 2. */
  symbolSize?: number;
}

/** Points at or above this count per series draw in ECharts' large mode (one path, no per-point elements). */
export const LARGE_THRESHOLD = 2000;

/** More selected points than this are not ringed: thousands of rings in a dense region hide the colours under one blot. */
export const HIGHLIGHT_MAX = 2000;

export function mapOption(input: MapInput, t: ChartTheme): EChartsCoreOption {
  const total = input.points.rows.reduce((a, r) => a + r.length, 0);
  const size = input.symbolSize ?? (total < 2000 ? 7 : total < 20_000 ? 4 : 2);
  const ax = axisStyle(t);
  const series: Record<string, unknown>[] = input.points.coords.map((data, g) => ({
    type: 'scatter',
    name: input.groupNames[g] ?? String(g),
    data,
    dimensions: ['x', 'y'],
    // squares draw much faster than circles in large mode (38 against 23 fps panning 70,000 points)
    symbol: total >= LARGE_THRESHOLD ? 'rect' : 'circle',
    symbolSize: size,
    large: true,
    largeThreshold: LARGE_THRESHOLD,
    // every frame shows the whole map (ECharts' progressive mode would draw 400 points a frame)
    progressive: 0,
    itemStyle: { color: t.palette[g % t.palette.length], opacity: total >= 20_000 ? 0.55 : 0.8 },
    emphasis: { disabled: true },
    animation: false,
  }));
  const h = input.highlight;
  if (h && h.length && h.length / 2 <= HIGHLIGHT_MAX) {
    series.push({
      type: 'scatter',
      name: 'selected',
      data: h,
      dimensions: ['x', 'y'],
      symbol: total >= LARGE_THRESHOLD ? 'rect' : 'circle',
      symbolSize: size + 2,
      large: true,
      largeThreshold: LARGE_THRESHOLD,
      progressive: 0,
      itemStyle: { color: 'transparent', borderColor: t.text, borderWidth: 1 },
      silent: true,
      z: 5,
      animation: false,
    });
  }
  const c = input.centers;
  if (c) {
    const data: [number, number, number][] = [];
    for (let g = 0; 2 * g < c.length; g++) if (Number.isFinite(c[2 * g]!)) data.push([c[2 * g]!, c[2 * g + 1]!, g]);
    series.push({
      type: 'scatter',
      name: 'centers',
      data,
      symbol: 'diamond',
      symbolSize: 14,
      itemStyle: { color: (p: { value: [number, number, number] }) => t.palette[p.value[2] % t.palette.length], borderColor: t.text, borderWidth: 1.5 },
      label: { show: data.length <= 30, formatter: (p: { value: [number, number, number] }) => `#${p.value[2]}`, position: 'top', color: t.text, fontSize: 10 },
      z: 10,
      silent: false,
      animation: false,
    });
  }
  return {
    textStyle: baseTextStyle(t),
    animation: false,
    grid: { left: 48, right: 16, top: 40, bottom: 44 },
    legend: {
      type: 'scroll',
      top: 4,
      data: input.groupNames.slice(0, input.points.coords.length),
      textStyle: { color: t.text, fontSize: 11 },
      pageTextStyle: { color: t.textMuted },
      itemWidth: 10,
      itemHeight: 10,
    },
    xAxis: { type: 'value', name: input.xName, nameLocation: 'middle', nameGap: 26, scale: true, ...ax },
    yAxis: { type: 'value', name: input.yName, nameLocation: 'middle', nameGap: 32, scale: true, ...ax },
    dataZoom: [
      { type: 'inside', xAxisIndex: 0, filterMode: 'none' },
      { type: 'inside', yAxisIndex: 0, filterMode: 'none' },
    ],
    brush: {
      toolbox: [],
      xAxisIndex: 0,
      yAxisIndex: 0,
      brushType: 'rect',
      brushMode: 'single',
      // no series under ECharts' control: the selection is computed from the coordinates (rowsInRange)
      seriesIndex: [],
      brushStyle: { borderWidth: 1, color: 'rgba(120,140,200,0.15)', borderColor: t.accent },
    },
    toolbox: { show: false },
    series,
  };
}
