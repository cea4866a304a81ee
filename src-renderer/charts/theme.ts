/**
 * Colours and font the option builders need. They come from the CSS custom properties of styles.css (both colour
 * schemes), read in one place (lib/theme.ts) and passed in, so the builders stay pure and a change in styles.css
 * reaches the charts.
 */
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
  font: string;
}

/** The custom property behind each single-valued field. */
export const THEME_VARS = {
  text: '--text',
  textMuted: '--text-3',
  border: '--border',
  surface: '--surface',
  accent: '--accent',
  danger: '--danger',
  rampInk: '--ramp-ink',
  font: '--font',
} as const satisfies Record<Exclude<keyof ChartTheme, 'palette' | 'ramp'>, string>;
/** `--chart-1` … `--chart-10`, `--ramp-1` … `--ramp-5`. */
export const PALETTE_VARS = Array.from({ length: 10 }, (_, i) => `--chart-${i + 1}`);
export const RAMP_VARS = Array.from({ length: 5 }, (_, i) => `--ramp-${i + 1}`);

/**
 * The theme from a reader of custom properties (`getComputedStyle(el).getPropertyValue`). A property that is not
 * declared is a fault of the stylesheet, named in the error.
 */
export function themeFromVars(read: (name: string) => string): ChartTheme {
  const get = (name: string): string => {
    const v = read(name).trim();
    if (!v) throw new Error(`the stylesheet declares no ${name}`);
    return v;
  };
  const single = Object.fromEntries(Object.entries(THEME_VARS).map(([field, name]) => [field, get(name)])) as Record<keyof typeof THEME_VARS, string>;
  return { ...single, palette: PALETTE_VARS.map(get), ramp: RAMP_VARS.map(get) };
}

/** `#rgb`, `#rrggbb` or `rgb(r, g, b)` as [r, g, b], or null. */
export function cssRgb(value: string): [number, number, number] | null {
  const v = value.trim();
  let m = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(v);
  if (m) return [parseInt(m[1]! + m[1]!, 16), parseInt(m[2]! + m[2]!, 16), parseInt(m[3]! + m[3]!, 16)];
  m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(v);
  if (m) return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
  m = /^rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)/i.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

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
  return { color: t.text, fontFamily: t.font, fontSize: 12 };
}
