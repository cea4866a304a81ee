/**
 * The Map card's own point layer (components/PointMap.vue), the pure part: the view (which part of the map the
 * canvas shows), projection between map and canvas pixels, zoom around a pixel, the pixel buffer the points are
 * rasterized into in one pass, and a uniform grid index for hover hit-testing. Not an ECharts chart: at 70,000
 * points ECharts' large scatter repaints about 10 times a second in a software canvas, while writing the points
 * straight into an ImageData buffer keeps pan and zoom fluid. Every other chart stays with BaseChart.vue.
 *
 * Coordinates: map (data) units for `coords` (n × 2, row-major, x then y, y up); canvas pixels (x right, y down,
 * origin top-left) for everything named px / py / width / height.
 */
import { cssRgb } from '../charts/theme';
import type { BrushRange } from '../charts/map';

/** What the canvas shows: the map point at the canvas center and the pixels per map unit. */
export interface View {
  cx: number;
  cy: number;
  scale: number;
}

export interface Bounds {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** Zoom limits relative to the fitted view: from a quarter of the whole map to 4,096× in. */
export const MIN_ZOOM = 0.25;
export const MAX_ZOOM = 4096;

/** Smallest box holding every finite point; a unit box around the origin when there is none. */
export function dataBounds(coords: ArrayLike<number>): Bounds {
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (let i = 0; 2 * i + 1 < coords.length; i++) {
    const x = coords[2 * i]!;
    const y = coords[2 * i + 1]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  return x0 <= x1 ? { x0, x1, y0, y1 } : { x0: -1, x1: 1, y0: -1, y1: 1 };
}

/**
 * The view that shows the whole box inside width × height with `pad` pixels free on the sides and the bottom and
 * `top` pixels free at the top (room for the zoom buttons), same scale on both axes.
 */
export function fitView(b: Bounds, width: number, height: number, pad = 12, top = pad): View {
  const w = Math.max(1, width - 2 * pad);
  const h = Math.max(1, height - pad - top);
  const spanX = b.x1 - b.x0 || 1;
  const spanY = b.y1 - b.y0 || 1;
  const scale = Math.min(w / spanX, h / spanY);
  // the free band's middle is (top - pad) / 2 px below the canvas middle: the map's middle goes there
  return { cx: (b.x0 + b.x1) / 2, cy: (b.y0 + b.y1) / 2 + (top - pad) / 2 / scale, scale };
}

/** Canvas pixel of a map point. */
export function toScreen(v: View, width: number, height: number, x: number, y: number): [number, number] {
  return [width / 2 + (x - v.cx) * v.scale, height / 2 - (y - v.cy) * v.scale];
}

/** Map point under a canvas pixel. */
export function toMap(v: View, width: number, height: number, px: number, py: number): [number, number] {
  return [v.cx + (px - width / 2) / v.scale, v.cy - (py - height / 2) / v.scale];
}

/**
 * The view zoomed by `factor` (> 1 in) so that the map point under pixel (px, py) stays under it; the scale is
 * kept between MIN_ZOOM and MAX_ZOOM times `fitScale`.
 */
export function zoomAt(v: View, width: number, height: number, px: number, py: number, factor: number, fitScale: number): View {
  const scale = Math.min(fitScale * MAX_ZOOM, Math.max(fitScale * MIN_ZOOM, v.scale * factor));
  const [x, y] = toMap(v, width, height, px, py);
  return { cx: x - (px - width / 2) / scale, cy: y + (py - height / 2) / scale, scale };
}

/** The view after the map was dragged by (dx, dy) pixels. */
export function panBy(v: View, dx: number, dy: number): View {
  return { cx: v.cx - dx / v.scale, cy: v.cy + dy / v.scale, scale: v.scale };
}

/** The map rectangle under a pixel rectangle given by two corners, as a brush range (see rowsInRange). */
export function screenRectToRange(v: View, width: number, height: number, a: [number, number], b: [number, number]): BrushRange {
  const [xa, ya] = toMap(v, width, height, a[0], a[1]);
  const [xb, yb] = toMap(v, width, height, b[0], b[1]);
  return [
    [Math.min(xa, xb), Math.max(xa, xb)],
    [Math.min(ya, yb), Math.max(ya, yb)],
  ];
}

/** A CSS colour as one ImageData pixel (little-endian RGBA in a Uint32Array); `alpha` 0 … 255. Unreadable colours are grey. */
export function packColor(css: string, alpha = 255): number {
  const [r, g, b] = cssRgb(css) ?? [128, 128, 128];
  return ((alpha << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

/** `css` mixed with `toward` (weight `t` of `toward`), packed as packColor does; the dimmed colours of unselected points. */
export function mixColor(css: string, toward: string, t: number): number {
  const a = cssRgb(css) ?? [128, 128, 128];
  const b = cssRgb(toward) ?? [128, 128, 128];
  const m = (i: number): number => Math.round(a[i]! * (1 - t) + b[i]! * t);
  return ((255 << 24) | (m(2) << 16) | (m(1) << 8) | m(0)) >>> 0;
}

/** The point's footprint: offsets (dx, dy pairs) of a size × size square, or of a disc when size ≥ 5. */
export function stamp(size: number): Int8Array {
  const s = Math.max(1, Math.min(15, Math.round(size)));
  const half = (s - 1) / 2;
  const out: number[] = [];
  for (let dy = 0; dy < s; dy++)
    for (let dx = 0; dx < s; dx++) {
      if (s >= 5 && (dx - half) ** 2 + (dy - half) ** 2 > (half + 0.5) ** 2) continue;
      out.push(dx - Math.floor(half), dy - Math.floor(half));
    }
  return Int8Array.from(out);
}

/** Point size in pixels by the number of points: 6 below 2,000, 4 below 20,000, else 2. */
export function pointSize(n: number): number {
  return n < 2000 ? 6 : n < 20_000 ? 4 : 2;
}

export interface RasterInput {
  coords: ArrayLike<number>;
  /** Group (colour index) of each point, or null for colour 0; values outside `colors` are not drawn. */
  group: ArrayLike<number> | null;
  /** Packed colour per group (packColor). */
  colors: Uint32Array;
  /** Packed colour per group for points outside a selection; used only with `selected`. */
  dimColors?: Uint32Array;
  /** 1 for each selected point (length n): those are drawn last, in full colour, the others dimmed. */
  selected?: Uint8Array | null;
  view: View;
  /** From stamp(). */
  footprint: Int8Array;
}

/**
 * Writes every point into `pixels` (width × height, row-major, packed RGBA; cleared to transparent first): one
 * pass over the points (two with a selection: the unselected dimmed, then the selected on top). Returns the
 * number of points that fell inside the canvas.
 */
export function rasterize(pixels: Uint32Array, width: number, height: number, input: RasterInput): number {
  pixels.fill(0);
  const { coords, group, colors, view, footprint: fp } = input;
  const sel = input.selected ?? null;
  const dim = sel ? (input.dimColors ?? colors) : colors;
  const s = view.scale;
  const ox = width / 2 - view.cx * s;
  const oy = height / 2 + view.cy * s;
  const groups = colors.length;
  const n = coords.length >> 1;
  let drawn = 0;
  const pass = (want: number): void => {
    for (let i = 0; i < n; i++) {
      if (sel && sel[i] !== want) continue;
      const g = group ? group[i]! : 0;
      if (!(g >= 0 && g < groups)) continue;
      const px = Math.floor(coords[2 * i]! * s + ox);
      const py = Math.floor(oy - coords[2 * i + 1]! * s);
      if (!(px >= -8 && px < width + 8 && py >= -8 && py < height + 8)) continue;
      const c = sel && want === 0 ? dim[g]! : colors[g]!;
      drawn++;
      for (let j = 0; j < fp.length; j += 2) {
        const x = px + fp[j]!;
        const y = py + fp[j + 1]!;
        if (x >= 0 && x < width && y >= 0 && y < height) pixels[y * width + x] = c;
      }
    }
  };
  if (sel) {
    pass(0);
    pass(1);
  } else pass(-1);
  return drawn;
}

/**
 * A uniform grid over the map: the points of each cell, so the nearest point to the cursor is found by looking
 * at a few cells. Built once per data set (counting sort, O(n)).
 */
export interface PointIndex {
  x0: number;
  y0: number;
  /** Cell side, map units. */
  cell: number;
  cols: number;
  rows: number;
  /** cols × rows + 1: the points of cell c are order[start[c] … start[c + 1]). */
  start: Int32Array;
  order: Int32Array;
}

/** About `perCell` points per cell on average, at most 1,024 cells per side. */
export function buildIndex(coords: ArrayLike<number>, perCell = 4): PointIndex {
  const n = coords.length >> 1;
  const b = dataBounds(coords);
  const span = Math.max(b.x1 - b.x0, b.y1 - b.y0) || 1;
  const side = Math.max(1, Math.min(1024, Math.ceil(Math.sqrt(n / perCell))));
  const cell = span / side;
  const cols = Math.max(1, Math.min(1024, Math.floor((b.x1 - b.x0) / cell) + 1));
  const rows = Math.max(1, Math.min(1024, Math.floor((b.y1 - b.y0) / cell) + 1));
  const cellOf = new Int32Array(n);
  const start = new Int32Array(cols * rows + 1);
  for (let i = 0; i < n; i++) {
    const x = coords[2 * i]!;
    const y = coords[2 * i + 1]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      cellOf[i] = -1;
      continue;
    }
    const cx = Math.min(cols - 1, Math.floor((x - b.x0) / cell));
    const cy = Math.min(rows - 1, Math.floor((y - b.y0) / cell));
    cellOf[i] = cy * cols + cx;
    start[cellOf[i]! + 1]++;
  }
  for (let c = 0; c < cols * rows; c++) start[c + 1] += start[c]!;
  const fill = start.slice(0, cols * rows);
  const order = new Int32Array(start[cols * rows]!);
  for (let i = 0; i < n; i++) if (cellOf[i]! >= 0) order[fill[cellOf[i]!]++] = i;
  return { x0: b.x0, y0: b.y0, cell, cols, rows, start, order };
}

/**
 * The point nearest to map position (x, y) no farther than `radius` map units, or -1. Among equally near points
 * the lowest row wins. `skip` (optional) leaves points out, e.g. points of a group that is not drawn.
 */
export function nearest(index: PointIndex, coords: ArrayLike<number>, x: number, y: number, radius: number, skip?: (i: number) => boolean): number {
  const { x0, y0, cell, cols, rows, start, order } = index;
  const ca = Math.max(0, Math.floor((x - radius - x0) / cell));
  const cb = Math.min(cols - 1, Math.floor((x + radius - x0) / cell));
  const ra = Math.max(0, Math.floor((y - radius - y0) / cell));
  const rb = Math.min(rows - 1, Math.floor((y + radius - y0) / cell));
  let best = -1;
  let bestD = radius * radius;
  for (let r = ra; r <= rb; r++)
    for (let c = ca; c <= cb; c++) {
      const cellId = r * cols + c;
      for (let k = start[cellId]!; k < start[cellId + 1]!; k++) {
        const i = order[k]!;
        const dx = coords[2 * i]! - x;
        const dy = coords[2 * i + 1]! - y;
        const d = dx * dx + dy * dy;
        if ((d < bestD || (d === bestD && (best < 0 || i < best))) && !skip?.(i)) {
          best = i;
          bestD = d;
        }
      }
    }
  return best;
}

/** Map polygon (x, y pairs) of a lasso drawn as canvas pixels (x, y pairs). */
export function screenPathToMap(v: View, width: number, height: number, path: ArrayLike<number>): Float64Array {
  const out = new Float64Array(path.length - (path.length % 2));
  for (let i = 0; i + 1 < path.length; i += 2) {
    const [x, y] = toMap(v, width, height, path[i]!, path[i + 1]!);
    out[i] = x;
    out[i + 1] = y;
  }
  return out;
}
