/** Colours the option builders need; read from CSS variables at runtime (see components/BaseChart.vue). */
export interface ChartTheme {
  text: string;
  textMuted: string;
  border: string;
  surface: string;
  accent: string;
  danger: string;
  /** Categorical palette, cycled by cluster or run index. */
  palette: string[];
  /** Sequential ramp for heatmaps, low → high. */
  ramp: string[];
  /** Text colour on the high end of the ramp. */
  rampInk: string;
}

export const lightTheme: ChartTheme = {
  text: '#1d232c',
  textMuted: '#8a93a1',
  border: '#dde1e7',
  surface: '#ffffff',
  accent: '#3a63d8',
  danger: '#c9372c',
  palette: ['#3a63d8', '#e8743b', '#19a979', '#ed4a7b', '#945ecf', '#13a4b4', '#d4a017', '#6c8893', '#ee6868', '#2f6497'],
  ramp: ['#f4f7fe', '#c5d5fa', '#7d9ef0', '#3a63d8', '#1c357f'],
  rampInk: '#ffffff',
};

export const darkTheme: ChartTheme = {
  text: '#e6e9ee',
  textMuted: '#77808e',
  border: '#2e343d',
  surface: '#1d2128',
  accent: '#6d8ff0',
  danger: '#f07167',
  palette: ['#6d8ff0', '#f29560', '#3cc896', '#f0709a', '#b08be0', '#3cc3d1', '#e6bb3a', '#93aab3', '#f28b8b', '#5b8fc4'],
  ramp: ['#1d2128', '#233458', '#33539e', '#5f84ea', '#c9d6fb'],
  rampInk: '#0d1222',
};

/** Axis and grid styling shared by every cartesian chart. */
export function axisStyle(t: ChartTheme) {
  return {
    axisLine: { lineStyle: { color: t.border } },
    axisTick: { lineStyle: { color: t.border } },
    axisLabel: { color: t.textMuted, fontSize: 11 },
    splitLine: { lineStyle: { color: t.border, type: 'dashed' as const } },
    nameTextStyle: { color: t.textMuted, fontSize: 11 },
  };
}

export function baseTextStyle(t: ChartTheme) {
  return { color: t.text, fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', fontSize: 12 };
}
