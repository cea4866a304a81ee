/**
 * Pixels from typed arrays, for drawing rows and centers on a canvas. Pure: no DOM here, so it is unit-tested.
 */
import type { ImageShape } from '../../src-shared/model';

export type Rgb = readonly [number, number, number];

/** Smallest and largest finite value of `values` (a single pass; [0, 1] when there is none). */
export function valueRange(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  return [lo, hi];
}

/**
 * RGBA bytes (length h × w × 4) of one image row.
 * `values` holds h × w × channels numbers in row-major, channel-last order.
 * Grayscale (1 channel) is drawn as ink on paper: `range[0]` → paper, `range[1]` → ink.
 * Colour (3 or 4 channels) maps `range` to 0 … 255 per channel.
 */
export function imageToRgba(
  values: ArrayLike<number>,
  shape: ImageShape,
  range: readonly [number, number],
  paper: Rgb = [255, 255, 255],
  ink: Rgb = [0, 0, 0],
): Uint8ClampedArray {
  const [h, w, c] = shape;
  const px = h * w;
  if (values.length < px * c) throw new Error(`image needs ${px * c} values, got ${values.length}`);
  const out = new Uint8ClampedArray(px * 4);
  const lo = range[0];
  const span = range[1] - range[0] || 1;
  for (let p = 0; p < px; p++) {
    const o = p * 4;
    if (c === 1) {
      const t = Math.min(1, Math.max(0, (values[p]! - lo) / span));
      out[o] = paper[0] + (ink[0] - paper[0]) * t;
      out[o + 1] = paper[1] + (ink[1] - paper[1]) * t;
      out[o + 2] = paper[2] + (ink[2] - paper[2]) * t;
    } else {
      for (let ch = 0; ch < 3; ch++) {
        const v = values[p * c + Math.min(ch, c - 1)]!;
        out[o + ch] = (255 * (v - lo)) / span;
      }
    }
    out[o + 3] = 255;
  }
  return out;
}

/** Sequential colour map (light yellow → blue → dark purple), t in [0, 1]. */
export function heatColor(t: number): Rgb {
  const stops: Rgb[] = [
    [255, 247, 214],
    [127, 205, 187],
    [44, 127, 184],
    [37, 52, 148],
    [30, 16, 70],
  ];
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = stops[i]!;
  const b = stops[i + 1]!;
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/**
 * RGBA bytes of a heat strip: one cell per feature, `cols` cells per line (so length ⌈d / cols⌉ × cols × 4),
 * each feature scaled by its own [min, max] when `perFeature` is given (so features of different units compare).
 */
export function stripToRgba(
  values: ArrayLike<number>,
  cols: number,
  range: readonly [number, number],
  perFeature?: { min: ArrayLike<number>; max: ArrayLike<number> },
): { rgba: Uint8ClampedArray; width: number; height: number } {
  const d = values.length;
  const width = Math.max(1, Math.min(cols, d));
  const height = Math.max(1, Math.ceil(d / width));
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let j = 0; j < width * height; j++) {
    const o = j * 4;
    if (j >= d) {
      rgba[o + 3] = 0;
      continue;
    }
    const lo = perFeature ? perFeature.min[j]! : range[0];
    const hi = perFeature ? perFeature.max[j]! : range[1];
    const [r, g, b] = heatColor((values[j]! - lo) / (hi - lo || 1));
    rgba[o] = r;
    rgba[o + 1] = g;
    rgba[o + 2] = b;
    rgba[o + 3] = 255;
  }
  return { rgba, width, height };
}
