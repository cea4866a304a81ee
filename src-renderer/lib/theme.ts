/**
 * The one place that reads the theme from the stylesheet: the chart colours and the image paper and ink are the
 * CSS custom properties of styles.css, read again whenever the system colour scheme changes.
 */
import { computed, ref } from 'vue';
import { cssRgb, themeFromVars, type ChartTheme } from '../charts/theme';
import type { Rgb } from './image';

const media = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
const dark = ref(media?.matches ?? false);
media?.addEventListener('change', (e) => (dark.value = e.matches));

/** The custom properties of the root element, read after the scheme `dark` (a dependency) has applied. */
function rootVars(scheme: boolean): (name: string) => string {
  void scheme;
  const style = getComputedStyle(document.documentElement);
  return (name) => style.getPropertyValue(name);
}

export const isDark = computed(() => dark.value);
export const chartTheme = computed<ChartTheme>(() => themeFromVars(rootVars(dark.value)));
/** Paper and ink of grayscale images (`--img-bg`, `--img-ink`): dark ink on white in light mode, light on near-black in dark mode. */
export const imageColors = computed<{ paper: Rgb; ink: Rgb }>(() => {
  const read = rootVars(dark.value);
  return { paper: cssRgb(read('--img-bg')) ?? [255, 255, 255], ink: cssRgb(read('--img-ink')) ?? [16, 20, 26] };
});
