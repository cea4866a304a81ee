import { describe, expect, it } from 'vitest';
import { rowsInPolygon, rowsInRange } from '../../src-renderer/charts/map';
import {
  buildIndex,
  dataBounds,
  fitView,
  MAX_ZOOM,
  mixColor,
  nearest,
  packColor,
  panBy,
  rasterize,
  screenPathToMap,
  screenRectToRange,
  stamp,
  toMap,
  toScreen,
  zoomAt,
} from '../../src-renderer/lib/point-layer';
import { Rng } from '../../src-main/engine/rng';

const W = 400;
const H = 300;

describe('point layer: projection', () => {
  const coords = Float32Array.from([0, 0, 10, 5, -10, -5, 2, 1]);
  const b = dataBounds(coords);
  const v = fitView(b, W, H, 10);

  it('fits the whole map inside the canvas with the same scale on both axes', () => {
    expect(b).toEqual({ x0: -10, x1: 10, y0: -5, y1: 5 });
    // x span 20 in 380 px, y span 10 in 280 px: x decides
    expect(v.scale).toBeCloseTo(19);
    expect(toScreen(v, W, H, -10, 0)).toEqual([10, 150]);
    expect(toScreen(v, W, H, 10, 5)[0]).toBeCloseTo(390);
    // y goes up on the map, down on the canvas
    expect(toScreen(v, W, H, 0, 5)[1]).toBeCloseTo(150 - 95);
  });

  it('leaves a wider band free at the top when asked', () => {
    const t = fitView(b, W, H, 10, 120);
    // 170 px of height for a span of 10: y decides now
    expect(t.scale).toBeCloseTo(17);
    expect(toScreen(t, W, H, 0, 5)[1]).toBeCloseTo(120);
    expect(toScreen(t, W, H, 0, -5)[1]).toBeCloseTo(H - 10);
  });

  it('toMap inverts toScreen', () => {
    const [px, py] = toScreen(v, W, H, 3.5, -2.25);
    const [x, y] = toMap(v, W, H, px, py);
    expect(x).toBeCloseTo(3.5, 10);
    expect(y).toBeCloseTo(-2.25, 10);
  });

  it('zooms around the cursor: the map point under it stays under it', () => {
    const at: [number, number] = [300, 80];
    const before = toMap(v, W, H, ...at);
    const z = zoomAt(v, W, H, at[0], at[1], 2, v.scale);
    expect(z.scale).toBeCloseTo(2 * v.scale);
    const after = toMap(z, W, H, ...at);
    expect(after[0]).toBeCloseTo(before[0], 9);
    expect(after[1]).toBeCloseTo(before[1], 9);
    // another point moved away from the cursor
    const [qx] = toScreen(z, W, H, 0, 0);
    expect(Math.abs(qx - at[0])).toBeGreaterThan(Math.abs(toScreen(v, W, H, 0, 0)[0] - at[0]));
  });

  it('clamps the zoom', () => {
    let z = v;
    for (let i = 0; i < 40; i++) z = zoomAt(z, W, H, 200, 150, 2, v.scale);
    expect(z.scale).toBeCloseTo(v.scale * MAX_ZOOM);
  });

  it('pans with the drag: the point under the mouse follows it', () => {
    const p = panBy(v, 30, -20);
    const [px, py] = toScreen(p, W, H, 2, 1);
    const [qx, qy] = toScreen(v, W, H, 2, 1);
    expect(px - qx).toBeCloseTo(30);
    expect(py - qy).toBeCloseTo(-20);
  });

  it('a dragged pixel rectangle is the map rectangle under it, whatever the drag direction', () => {
    const r = screenRectToRange(v, W, H, [390, 10], [200, 150]);
    expect(r[0][0]).toBeCloseTo(0);
    expect(r[0][1]).toBeCloseTo(10);
    expect(r[1][0]).toBeCloseTo(0);
    expect(r[1][1]).toBeCloseTo(140 / 19);
    // the brush selects the points inside it (rowsInRange is the one selection rule)
    expect(Array.from(rowsInRange(coords, r))).toEqual([0, 1, 3]);
  });
});

describe('point layer: pixels', () => {
  it('packs colours as little-endian RGBA and mixes toward another colour', () => {
    expect(packColor('#102030')).toBe(0xff302010);
    expect(packColor('rgb(255, 0, 1)', 128)).toBe(0x800100ff);
    expect(mixColor('#000000', '#ffffff', 0.5)).toBe(0xff808080);
  });

  it('stamps squares for small points and discs for large ones', () => {
    expect(stamp(1)).toEqual(Int8Array.from([0, 0]));
    expect(stamp(2).length / 2).toBe(4);
    const disc = stamp(7);
    expect(disc.length / 2).toBeLessThan(49);
    expect(disc.length / 2).toBeGreaterThan(30);
  });

  it('draws each point in its group colour at its pixel, skips points off the canvas and groups without a colour', () => {
    const coords = Float32Array.from([0, 0, 1, 1, 50, 50, -1, -1]);
    const v = { cx: 0, cy: 0, scale: 10 };
    const px = new Uint32Array(40 * 30);
    px.fill(7);
    const colors = Uint32Array.from([0xff0000ff, 0xff00ff00]);
    const drawn = rasterize(px, 40, 30, { coords, group: Int32Array.from([0, 1, 0, 5]), colors, view: v, footprint: stamp(1) });
    expect(drawn).toBe(2);
    expect(px[15 * 40 + 20]).toBe(0xff0000ff);
    expect(px[5 * 40 + 30]).toBe(0xff00ff00);
    // cleared to transparent; point 3 (group 5) not drawn
    expect(px[25 * 40 + 10]).toBe(0);
    expect(px.filter((c) => c !== 0).length).toBe(2);
  });

  it('with a selection, draws the others dimmed and the selected on top', () => {
    const coords = Float32Array.from([0, 0, 0, 0, 1, 0]);
    const v = { cx: 0, cy: 0, scale: 1 };
    const px = new Uint32Array(10 * 10);
    const colors = Uint32Array.from([1, 2]);
    const dimColors = Uint32Array.from([11, 12]);
    rasterize(px, 10, 10, { coords, group: Int32Array.from([0, 1, 0]), colors, dimColors, selected: Uint8Array.from([1, 0, 0]), view: v, footprint: stamp(1) });
    // point 0 (selected, group 0) wins over point 1 drawn later in row order but unselected
    expect(px[5 * 10 + 5]).toBe(1);
    expect(px[5 * 10 + 6]).toBe(11);
  });
});

describe('point layer: hit test', () => {
  const rng = new Rng(7);
  const rand = (): number => rng.nextFloat();
  const n = 5000;
  const coords = new Float32Array(2 * n);
  for (let i = 0; i < 2 * n; i++) coords[i] = rand() * 100 - 50;
  const index = buildIndex(coords);

  const brute = (x: number, y: number, r: number): number => {
    let best = -1;
    let bd = r * r;
    for (let i = 0; i < n; i++) {
      const d = (coords[2 * i]! - x) ** 2 + (coords[2 * i + 1]! - y) ** 2;
      if (d < bd || (d === bd && best < 0)) {
        best = i;
        bd = d;
      }
    }
    return best;
  };

  it('holds every point once', () => {
    expect(index.order.length).toBe(n);
    expect(new Set(index.order).size).toBe(n);
    expect(index.start[index.start.length - 1]).toBe(n);
  });

  it('finds the same nearest point as a full scan, within the radius or none', () => {
    let found = 0;
    for (let t = 0; t < 400; t++) {
      const x = rand() * 110 - 55;
      const y = rand() * 110 - 55;
      const r = [0.3, 1, 4][t % 3]!;
      const want = brute(x, y, r);
      expect(nearest(index, coords, x, y, r)).toBe(want);
      if (want >= 0) found++;
    }
    // both outcomes were exercised
    expect(found).toBeGreaterThan(50);
    expect(found).toBeLessThan(400);
  });

  it('leaves out skipped points', () => {
    const i = nearest(index, coords, coords[0]!, coords[1]!, 1);
    expect(i).toBe(0);
    const j = nearest(index, coords, coords[0]!, coords[1]!, 1, (k) => k === 0);
    expect(j).not.toBe(0);
  });

  it('copes with every point in one place and with no points', () => {
    const same = Float32Array.from([3, 3, 3, 3, 3, 3]);
    expect(nearest(buildIndex(same), same, 3.1, 3, 0.5)).toBe(0);
    const none = new Float32Array(0);
    expect(nearest(buildIndex(none), none, 0, 0, 1)).toBe(-1);
  });
});

describe('point layer: lasso', () => {
  // a 5 × 5 grid of points at 0 … 4
  const coords = Float32Array.from(Array.from({ length: 25 }, (_, i) => [i % 5, Math.floor(i / 5)]).flat());

  it('selects the points inside a triangle', () => {
    // hypotenuse x + y = 4.5: the 15 points with x + y ≤ 4 are inside, the others outside
    const rows = rowsInPolygon(coords, [-0.5, -0.5, 5, -0.5, -0.5, 5]);
    const want = Array.from({ length: 25 }, (_, i) => i).filter((i) => (i % 5) + Math.floor(i / 5) <= 4);
    expect(want.length).toBe(15);
    expect(Array.from(rows)).toEqual(want);
  });

  it('a rectangle lasso selects what the same box brush selects', () => {
    const poly = [0.5, 0.5, 3.5, 0.5, 3.5, 2.5, 0.5, 2.5];
    expect(Array.from(rowsInPolygon(coords, poly))).toEqual(Array.from(rowsInRange(coords, [[0.5, 3.5], [0.5, 2.5]])));
  });

  it('leaves out the hole of a concave lasso and selects nothing with fewer than 3 vertices', () => {
    // a U: the middle column's upper part (x = 2, y ≥ 2) is outside
    const u = [-0.5, -0.5, 4.5, -0.5, 4.5, 4.5, 2.5, 4.5, 2.5, 1.5, 1.5, 1.5, 1.5, 4.5, -0.5, 4.5];
    const rows = new Set(rowsInPolygon(coords, u));
    expect(rows.has(2 * 5 + 2)).toBe(false);
    expect(rows.has(4 * 5 + 2)).toBe(false);
    expect(rows.has(1 * 5 + 2)).toBe(true);
    expect(rows.has(4 * 5 + 0)).toBe(true);
    expect(rows.size).toBe(25 - 3);
    expect(rowsInPolygon(coords, [0, 0, 4, 4]).length).toBe(0);
  });

  it('maps a lasso drawn in pixels onto the map', () => {
    const v = { cx: 2, cy: 2, scale: 10 };
    const poly = screenPathToMap(v, 100, 100, [50, 50, 60, 50, 60, 40]);
    expect(Array.from(poly)).toEqual([2, 2, 3, 2, 3, 3]);
  });
});
