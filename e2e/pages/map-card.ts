/// <reference lib="dom" />
/** The Map card (components/MapCard.vue) on the dataset and run pages. */
import { expect, type Locator, type Page } from '@playwright/test';

export class MapCard {
  readonly card: Locator;
  readonly chart: Locator;
  readonly sample: Locator;
  readonly selection: Locator;
  readonly breakdown: Locator;
  constructor(
    readonly page: Page,
    scope: Locator = page.locator('body'),
  ) {
    this.card = scope.getByTestId('map-card');
    this.chart = this.card.getByRole('img', { name: 'map of every sample' });
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
        await this.page.mouse.move(box.x + 48 + (box.width - 64) * fx, box.y + 40 + (box.height - 84) * fy);
        await this.page.waitForTimeout(15);
        const row = await this.sample.getAttribute('data-row');
        if (row) return Number(row);
      }
    }
    throw new Error('no point under the mouse anywhere on the scanned grid');
  }

  /** Turns on the brush and drags a rectangle over the given fractions of the plot area. */
  async brush(x0: number, y0: number, x1: number, y1: number): Promise<void> {
    await this.card.getByTestId('map-brush').click();
    await expect(this.card.getByTestId('map-brush')).toHaveAttribute('aria-pressed', 'true');
    const box = (await this.chart.boundingBox())!;
    const px = (f: number) => box.x + 48 + (box.width - 64) * f;
    const py = (f: number) => box.y + 40 + (box.height - 84) * f;
    await this.page.mouse.move(px(x0), py(y0));
    await this.page.mouse.down();
    await this.page.mouse.move(px((x0 + x1) / 2), py((y0 + y1) / 2), { steps: 5 });
    await this.page.mouse.move(px(x1), py(y1), { steps: 5 });
    await this.page.mouse.up();
  }

  async selectionCount(): Promise<number> {
    await expect(this.selection).toBeVisible();
    return Number(await this.selection.getAttribute('data-count'));
  }

  /**
   * While the plot is zoomed with the wheel and panned by dragging for `ms`: animation frames per second
   * (requestAnimationFrame counted in the page: is the page still responsive?) and, of those, the frames in which
   * the map's canvas was repainted (zrender clears a layer before drawing it again: how often the map moved).
   * A measurement to report, not an assertion.
   */
  async panZoomFps(ms = 3000): Promise<{ fps: number; repaintFps: number; frames: number; repaints: number; seconds: number }> {
    const box = (await this.chart.boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    await this.chart.evaluate((el) => {
      const w = window as unknown as { __kxFrames: number; __kxRepaints: number; __kxDirty: boolean; __kxCounting: boolean };
      w.__kxFrames = 0;
      w.__kxRepaints = 0;
      w.__kxDirty = false;
      w.__kxCounting = true;
      for (const c of el.querySelectorAll('canvas')) {
        const ctx = c.getContext('2d')!;
        const clear = ctx.clearRect.bind(ctx);
        ctx.clearRect = (x: number, y: number, width: number, height: number) => {
          w.__kxDirty = true;
          clear(x, y, width, height);
        };
      }
      const tick = (): void => {
        if (!w.__kxCounting) return;
        w.__kxFrames++;
        if (w.__kxDirty) w.__kxRepaints++;
        w.__kxDirty = false;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    const t0 = Date.now();
    await this.page.mouse.move(cx, cy);
    let i = 0;
    while (Date.now() - t0 < ms) {
      // zoom in and out, then a drag that pans
      await this.page.mouse.wheel(0, i % 8 < 4 ? -120 : 120);
      await this.page.mouse.down();
      await this.page.mouse.move(cx + (i % 2 ? 40 : -40), cy + (i % 3 ? 20 : -20), { steps: 4 });
      await this.page.mouse.up();
      i++;
    }
    const { frames, repaints } = await this.page.evaluate(() => {
      const w = window as unknown as { __kxFrames: number; __kxRepaints: number; __kxCounting: boolean };
      w.__kxCounting = false;
      return { frames: w.__kxFrames, repaints: w.__kxRepaints };
    });
    const seconds = (Date.now() - t0) / 1000;
    return { fps: frames / seconds, repaintFps: repaints / seconds, frames, repaints, seconds };
  }
}
