/** Follows the system colour scheme, for canvases and charts (CSS follows it by itself). */
import { computed, ref } from 'vue';
import { darkTheme, lightTheme, type ChartTheme } from '../charts/theme';
import type { Rgb } from './image';

const media = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
const dark = ref(media?.matches ?? false);
media?.addEventListener('change', (e) => (dark.value = e.matches));

export const isDark = computed(() => dark.value);
export const chartTheme = computed<ChartTheme>(() => (dark.value ? darkTheme : lightTheme));
/** Paper and ink of grayscale images: dark ink on white in light mode, light ink on near-black in dark mode. */
export const imageColors = computed<{ paper: Rgb; ink: Rgb }>(() =>
  dark.value ? { paper: [11, 13, 16], ink: [242, 244, 247] } : { paper: [255, 255, 255], ink: [16, 20, 26] },
);
