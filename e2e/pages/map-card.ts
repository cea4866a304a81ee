/// <reference lib="dom" />
/** The Map card (components/MapCard.vue) on the dataset and run pages. */
import { expect, type Locator, type Page } from '@playwright/test';

export class MapCard {
  readonly card: Locator;
  readonly chart: Locator;
  readonly sample: Locator;
  readonly selection: Locator;
  readonly breakdown: Locator;
  private lastHover: { x: number; y: number } | null = null;
  constructor(
    readonly page: Page,
    scope: Locator = page.locator('body'),
  ) {
    this.card = scope.getByTestId('map-card');
    this.chart = this.card.getByTestId('point-map');
    this.sample = this.card.getByTestId('map-sample');
    this.selection = this.card.getByTestId('map-selection');
    this.breakdown = this.card.getByTestId('map-breakdown');
  }

  /** Waits until the map is drawn with `n` points. */
  async expectPoints(n: number, timeout = 120_000): Promise<void> {
    await expect(this.card).toHaveAttribute('data-points', String(n), { timeout });
    await expect(this.chart).toBeVisible();
    await this.chart.scrollIntoViewIfNeeded();
  }

  /** Moves the mouse over the plot area on a grid of positions (2.5% apart) until a point is hovered; returns its row. */
  async hoverSomePoint(): Promise<number> {
    const box = (await this.chart.boundingBox())!;
    for (let fy = 0.025; fy < 1; fy += 0.025) {
      for (let fx = 0.025; fx < 1; fx += 0.025) {
        await this.page.mouse.move(box.x + box.width * fx, box.y + box.height * fy);
        await this.page.waitForTimeout(15);
        const row = await this.sample.getAttribute('data-row');
        if (row) {
          this.lastHover = { x: box.x + box.width * fx, y: box.y + box.height * fy };
          return Number(row);
        }
      }
    }
    throw new Error('no point under the mouse anywhere on the scanned grid');
  }

  /** Clicks where hoverSomePoint last found a point. */
  async clickHovered(): Promise<void> {
    if (!this.lastHover) throw new Error('hoverSomePoint first');
    await this.page.mouse.click(this.lastHover.x, this.lastHover.y);
  }

  /** Turns on the brush and drags a rectangle over the given fractions of the plot area. */
  async brush(x0: number, y0: number, x1: number, y1: number): Promise<void> {
    await this.card.getByTestId('map-brush').click();
    await expect(this.card.getByTestId('map-brush')).toHaveAttribute('aria-pressed', 'true');
    const box = (await this.chart.boundingBox())!;
    const px = (f: number) => box.x + box.width * f;
    const py = (f: number) => box.y + box.height * f;
    await this.page.mouse.move(px(x0), py(y0));
    await this.page.mouse.down();
    await this.page.mouse.move(px((x0 + x1) / 2), py((y0 + y1) / 2), { steps: 5 });
    await this.page.mouse.move(px(x1), py(y1), { steps: 5 });
    await this.page.mouse.up();
  }

  /** Turns on the lasso and draws through the given fractions of the plot area (closed back to the first). */
  async lasso(points: [number, number][]): Promise<void> {
    const toggle = this.card.getByTestId('map-brush');
    if ((await toggle.getAttribute('aria-pressed')) !== 'true') await toggle.click();
    await this.card.getByTestId('map-shape-lasso').check();
    const box = (await this.chart.boundingBox())!;
    const at = ([fx, fy]: [number, number]): [number, number] => [box.x + box.width * fx, box.y + box.height * fy];
    await this.page.mouse.move(...at(points[0]!));
    await this.page.mouse.down();
    for (const p of [...points.slice(1), points[0]!]) await this.page.mouse.move(...at(p), { steps: 4 });
    await this.page.mouse.up();
  }

  async selectionCount(): Promise<number> {
    await expect(this.selection).toBeVisible();
    return Number(await this.selection.getAttribute('data-count'));
  }

  /**
   * Drives real input for `ms`: wheel zooms around the plot's center and drag pans, alternately, and counts
   * animation frames (requestAnimationFrame in the page: is the page responsive?) and repaints of the point layer
   * (calls of its canvas' putImageData: each is one full frame of every point) and the input events that move the
   * view (wheel, pointer moves with the button down): the layer repaints at most once per animation frame, so the
   * repaint rate is bounded by the smaller of the input rate Playwright delivers and the frame rate. After each input step it records
   * whether the layer repainted, whether the view it shows changed, and how long its last frame took to draw. A measurement to report; the callers
   * assert only the functional part (every step repainted and moved the view), never a rate.
   */
  async panZoomFps(ms = 3000): Promise<{ fps: number; repaintFps: number; inputFps: number; frames: number; repaints: number; inputs: number; seconds: number; steps: number; stepsRepainted: number; stepsMoved: number; medianDrawMs: number }> {
    const canvas = this.chart.getByTestId('point-map-canvas');
    const box = (await canvas.boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    await canvas.evaluate((c: HTMLCanvasElement) => {
      const w = window as unknown as { __kxFrames: number; __kxRepaints: number; __kxInputs: number; __kxCounting: boolean };
      w.__kxFrames = 0;
      w.__kxRepaints = 0;
      w.__kxInputs = 0;
      w.__kxCounting = true;
      // input events that move the view: wheel notches and pointer moves with the button down
      c.addEventListener('wheel', () => w.__kxCounting && w.__kxInputs++);
      c.addEventListener('pointermove', (e) => w.__kxCounting && e.buttons === 1 && w.__kxInputs++);
      const ctx = c.getContext('2d')!;
      const put = ctx.putImageData.bind(ctx) as (img: ImageData, x: number, y: number) => void;
      ctx.putImageData = ((img: ImageData, x: number, y: number) => {
        if (w.__kxCounting) w.__kxRepaints++;
        put(img, x, y);
      }) as typeof ctx.putImageData;
      const tick = (): void => {
        if (!w.__kxCounting) return;
        w.__kxFrames++;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    const state = () =>
      canvas.evaluate((c: HTMLCanvasElement) => ({
        repaints: (window as unknown as { __kxRepaints: number }).__kxRepaints,
        view: c.dataset.view ?? '',
        drawMs: Number(c.dataset.drawMs),
      }));
    const drawMs: number[] = [];
    const t0 = Date.now();
    await this.page.mouse.move(cx, cy);
    let steps = 0;
    let stepsRepainted = 0;
    let stepsMoved = 0;
    let before = await state();
    while (Date.now() - t0 < ms) {
      if (steps % 2 === 0) await this.page.mouse.wheel(0, steps % 8 < 4 ? -120 : 120);
      else {
        await this.page.mouse.down();
        // 20 small moves, sent back to back as fast as Playwright can: the layer may repaint once per frame
        await this.page.mouse.move(cx + (steps % 4 === 1 ? 80 : -80), cy + (steps % 3 ? 40 : -40), { steps: 20 });
        await this.page.mouse.up();
        await this.page.mouse.move(cx, cy);
      }
      // the layer draws on the next animation frame
      await this.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const after = await state();
      if (after.repaints > before.repaints) stepsRepainted++;
      if (after.view !== before.view) stepsMoved++;
      drawMs.push(after.drawMs);
      before = after;
      steps++;
    }
    const { frames, repaints, inputs } = await this.page.evaluate(() => {
      const w = window as unknown as { __kxFrames: number; __kxRepaints: number; __kxInputs: number; __kxCounting: boolean };
      w.__kxCounting = false;
      return { frames: w.__kxFrames, repaints: w.__kxRepaints, inputs: w.__kxInputs };
    });
    const seconds = (Date.now() - t0) / 1000;
    drawMs.sort((a, b) => a - b);
    const medianDrawMs = drawMs[drawMs.length >> 1] ?? NaN;
    return { fps: frames / seconds, repaintFps: repaints / seconds, inputFps: inputs / seconds, frames, repaints, inputs, seconds, steps, stepsRepainted, stepsMoved, medianDrawMs };
  }
}
