/**
 * The chart themes as the app sees them: the custom properties of src-renderer/styles.css, the light `:root` block
 * and the dark one layered over it, read through the same `themeFromVars` as lib/theme.ts.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { themeFromVars, type ChartTheme } from '../../src-renderer/charts/theme';

export const STYLES = resolve(__dirname, '../../src-renderer/styles.css');

/** The custom properties declared in the first block after `opening` (e.g. ':root {'). */
export function declaredVars(css: string, opening: RegExp): Map<string, string> {
  const m = opening.exec(css);
  if (!m) throw new Error(`no block ${opening} in the stylesheet`);
  const start = m.index + m[0].length;
  const body = css.slice(start, css.indexOf('}', start));
  return new Map([...body.matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)].map((d) => [d[1]!, d[2]!.trim()]));
}

export function schemeVars(scheme: 'light' | 'dark', css = readFileSync(STYLES, 'utf8')): Map<string, string> {
  const light = declaredVars(css, /^:root\s*\{/m);
  if (scheme === 'light') return light;
  return new Map([...light, ...declaredVars(css, /@media \(prefers-color-scheme: dark\)\s*\{\s*:root\s*\{/)]);
}

export function cssTheme(scheme: 'light' | 'dark'): ChartTheme {
  const vars = schemeVars(scheme);
  return themeFromVars((name) => vars.get(name) ?? '');
}

export const lightTheme = cssTheme('light');
export const darkTheme = cssTheme('dark');
