/**
 * Silhouette charts: per-cluster histograms as small multiples on one scale, the classic sorted silhouette plot
 * with the mean marked, and overlaid distributions of several runs.
 */
import type { EChartsCoreOption } from 'echarts/core';
import { fmt, fmtNumber, fmtPct } from '../lib/format';
import { axisStyle, baseTextStyle, type ChartTheme } from './theme';

/** Counts of `values` in `bins` equal bins over [lo, hi]; values outside are clamped into the end bins. */
export function histogram(values: ArrayLike<number>, lo: number, hi: number, bins: number): number[] {
  const out = new Array<number>(bins).fill(0);
  const w = (hi - lo) / bins;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    const b = Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / w)));
    out[b]!++;
  }
  return out;
}

/** Centres of the bins of `histogram(…, lo, hi, bins)`. */
export function binCenters(lo: number, hi: number, bins: number): number[] {
  const w = (hi - lo) / bins;
  return Array.from({ length: bins }, (_, i) => lo + (i + 0.5) * w);
}

export interface ClusterSilhouettes {
  /** Display name of the cluster ("3"). */
  name: string;
  /** Silhouette values of its (sampled) members. */
  values: ArrayLike<number>;
}

export interface SmallMultiplesLayout {
  cols: number;
  rows: number;
}

export function smallMultiplesLayout(count: number, maxCols = 5): SmallMultiplesLayout {
  const cols = Math.max(1, Math.min(maxCols, count));
  return { cols, rows: Math.max(1, Math.ceil(count / cols)) };
}

/** One cluster's histogram over the common bin edges. */
export interface ClusterHistogram {
  name: string;
  /** Count per bin (length edges.length − 1). */
  counts: ArrayLike<number>;
  /** Mean silhouette of the cluster (NaN when it has no samples). */
  mean: number;
  /** Samples with a silhouette value. */
  size: number;
}

/**
 * One histogram per cluster on the same bin edges and the same y maximum, so the bars compare across clusters;
 * each cluster's mean is a vertical line, the overall mean a dashed one.
 */
export function silhouetteMultiplesOption(
  clusters: ClusterHistogram[],
  edges: ArrayLike<number>,
  overallMean: number,
  t: ChartTheme,
  maxCols = 5,
): EChartsCoreOption {
  const { cols, rows } = smallMultiplesLayout(clusters.length, maxCols);
  const bins = edges.length - 1;
  const lo = edges[0]!;
  const hi = edges[bins]!;
  const centers = Array.from({ length: bins }, (_, b) => (edges[b]! + edges[b + 1]!) / 2);
  let top = 1;
  for (const c of clusters) for (let b = 0; b < bins; b++) top = Math.max(top, c.counts[b]!);
  const ymax = niceCeil(top);
  const ax = axisStyle(t);
  const cellW = 100 / cols;
  const cellH = 100 / rows;
  const at = (i: number) => ({ r: Math.floor(i / cols), c: i % cols });
  return {
    textStyle: baseTextStyle(t),
    animation: false,
    title: clusters.map((c, i) => ({
      text: `Cluster ${c.name}`,
      subtext: `n=${fmtNumber(c.size)} · mean ${fmt(c.mean, 2)} (solid line)`,
      left: `${at(i).c * cellW + 3}%`,
      top: `${at(i).r * cellH + 1}%`,
      textStyle: { fontSize: 11, fontWeight: 600, color: t.text },
      subtextStyle: { fontSize: 10, color: t.textMuted },
      itemGap: 5,
      padding: 0,
    })),
    tooltip: {
      trigger: 'item',
      formatter: (p: { value: [number, number]; seriesName: string; dataIndex: number }) =>
        `${p.seriesName}<br/>silhouette ${fmt(edges[p.dataIndex], 2)} to ${fmt(edges[p.dataIndex + 1], 2)}: ${fmtNumber(p.value[1])} samples`,
    },
    grid: clusters.map((_, i) => ({
      left: `${at(i).c * cellW + 3}%`,
      width: `${cellW - 5}%`,
      top: `${at(i).r * cellH + (rows > 1 ? 12 : 24)}%`,
      height: `${cellH - (rows > 1 ? 20 : 38)}%`,
    })),
    xAxis: clusters.map((_, i) => ({
      type: 'value',
      gridIndex: i,
      min: lo,
      max: hi,
      splitNumber: 3,
      ...ax,
      splitLine: { show: false },
      axisLabel: { ...ax.axisLabel, fontSize: 9, formatter: (v: number) => fmt(v, hi - lo < 0.6 ? 2 : 1) },
    })),
    yAxis: clusters.map((_, i) => ({
      type: 'value',
      gridIndex: i,
      min: 0,
      max: ymax,
      splitNumber: 2,
      ...ax,
      axisLabel: { ...ax.axisLabel, fontSize: 9, show: at(i).c === 0 },
    })),
    series: clusters.map((c, i) => ({
      type: 'bar',
      name: `Cluster ${c.name}`,
      xAxisIndex: i,
      yAxisIndex: i,
      barWidth: '90%',
      data: centers.map((x, b) => [x, c.counts[b]]),
      itemStyle: { color: t.palette[i % t.palette.length] },
      markLine: {
        silent: true,
        symbol: 'none',
        label: { show: false },
        data: [
          ...(Number.isFinite(c.mean) ? [{ xAxis: c.mean, lineStyle: { color: t.text, type: 'solid' as const, width: 1 } }] : []),
          ...(Number.isFinite(overallMean) ? [{ xAxis: overallMean, lineStyle: { color: t.danger, type: 'dashed' as const, width: 1 } }] : []),
        ],
      },
    })),
  };
}

/** The smallest 1, 2, 2.5 or 5 × 10^n that is ≥ v (a readable shared axis maximum). */
export function niceCeil(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** Axis range of silhouette values: the data's, widened to tenths, always showing 0. */
export function silhouetteRange(values: ArrayLike<number>[]): [number, number] {
  let lo = 0;
  let hi = 0;
  for (const vs of values)
    for (let i = 0; i < vs.length; i++) {
      const v = vs[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  return [Math.max(-1, Math.floor(lo * 10 + 1e-9) / 10), Math.min(1, Math.ceil(hi * 10 - 1e-9) / 10)];
}

export function meanOf(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return values.length ? s / values.length : NaN;
}

/**
 * Points of the classic silhouette plot: clusters one after another along x (with `gap` empty positions between),
 * each cluster's values sorted in decreasing order. Returns one [x, s] series per cluster.
 */
export function sortedSilhouetteSeries(clusters: ClusterSilhouettes[], gap: number): { start: number; points: [number, number][] }[] {
  let x = 0;
  return clusters.map((c) => {
    const sorted = Array.from(c.values).sort((a, b) => b - a);
    const start = x;
    const points = sorted.map((s, i) => [start + i, s] as [number, number]);
    x += sorted.length + gap;
    return { start, points };
  });
}

export function silhouetteSortedOption(clusters: ClusterSilhouettes[], mean: number, t: ChartTheme): EChartsCoreOption {
  const total = clusters.reduce((a, c) => a + c.values.length, 0);
  const gap = Math.max(1, Math.round(total / 60));
  const series = sortedSilhouetteSeries(clusters, gap);
  const ax = axisStyle(t);
  const yr = silhouetteRange(clusters.map((c) => c.values));
  const end = series.length ? series[series.length - 1]!.start + clusters[clusters.length - 1]!.values.length : 1;
  return {
    textStyle: baseTextStyle(t),
    animation: false,
    // room on the right for the mean's label, below for the cluster names
    grid: { left: 48, right: 76, top: 16, bottom: 48 },
    tooltip: {
      trigger: 'axis',
      formatter: (ps: { seriesName: string; value: [number, number] }[]) =>
        ps.map((p) => `${p.seriesName}: silhouette ${fmtNumber(p.value[1], 3)}`).join('<br/>'),
    },
    xAxis: {
      type: 'value',
      min: 0,
      max: end,
      name: 'samples, grouped by cluster, sorted',
      nameLocation: 'middle',
      nameGap: 32,
      ...ax,
      axisLabel: { show: false },
      splitLine: { show: false },
    },
    yAxis: { type: 'value', min: yr[0], max: yr[1], name: 'silhouette', nameLocation: 'middle', nameGap: 32, ...ax },
    series: series.map((s, i) => ({
      type: 'line',
      name: `Cluster ${clusters[i]!.name}`,
      data: s.points,
      showSymbol: false,
      sampling: 'lttb',
      lineStyle: { width: 0 },
      areaStyle: { color: t.palette[i % t.palette.length], opacity: 0.85, origin: 0 },
      endLabel: { show: false },
      // the cluster's name under the middle of its run of samples, like a category axis
      markPoint: s.points.length
        ? {
            silent: true,
            symbol: 'rect',
            symbolSize: 0,
            label: { show: true, position: 'bottom', distance: 4, formatter: `Cluster ${clusters[i]!.name}`, color: t.textMuted, fontSize: 10 },
            data: [{ coord: [s.start + s.points.length / 2, yr[0]] }],
          }
        : undefined,
      markLine:
        i === 0
          ? {
              silent: true,
              symbol: 'none',
              lineStyle: { color: t.danger, type: 'dashed', width: 1.5 },
              label: { formatter: `mean ${fmt(mean)}`, color: t.danger, position: 'end', fontSize: 11 },
              data: Number.isFinite(mean) ? [{ yAxis: mean }] : [],
            }
          : undefined,
    })),
  };
}

/** Several runs' silhouette distributions as overlaid step lines (share of samples per bin). */
export function silhouetteOverlayOption(runs: { name: string; values: ArrayLike<number> }[], t: ChartTheme, bins = 40): EChartsCoreOption {
  const [lo, hi] = silhouetteRange(runs.map((r) => r.values));
  const centers = binCenters(lo, hi, bins);
  const ax = axisStyle(t);
  return {
    textStyle: baseTextStyle(t),
    animation: false,
    legend: { top: 0, textStyle: { color: t.text } },
    grid: { left: 48, right: 16, top: 32, bottom: 36 },
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => fmtPct(v) },
    xAxis: { type: 'value', min: lo, max: hi, name: 'silhouette', nameLocation: 'middle', nameGap: 22, ...ax },
    yAxis: { type: 'value', name: 'share of samples', nameLocation: 'middle', nameGap: 36, ...ax, axisLabel: { ...ax.axisLabel, formatter: (v: number) => `${Math.round(v * 100)}%` } },
    series: runs.map((r, i) => {
      const h = histogram(r.values, lo, hi, bins);
      const n = r.values.length || 1;
      return {
        type: 'line',
        name: r.name,
        step: 'middle',
        showSymbol: false,
        data: h.map((c, b) => [centers[b], c / n]),
        lineStyle: { width: 2, color: t.palette[i % t.palette.length] },
        itemStyle: { color: t.palette[i % t.palette.length] },
        areaStyle: { opacity: 0.12, color: t.palette[i % t.palette.length] },
      };
    }),
  };
}
