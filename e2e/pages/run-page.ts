import { expect, type Locator, type Page } from '@playwright/test';

export class RunPage {
  readonly centerImages: Locator;
  readonly confusion: Locator;
  readonly matchedAccuracy: Locator;
  readonly silhouette: Locator;
  readonly silhouetteNote: Locator;
  readonly cellGrid: Locator;
  /** While an exact silhouette is computed: the value so far (estimate ± interval, or exact) and its rows ("n of N rows"). */
  readonly silhouetteEstimate: Locator;
  readonly silhouetteEstimateRows: Locator;
  constructor(readonly page: Page) {
    this.centerImages = page.getByTestId('center-gallery').getByTestId('center-image');
    this.confusion = page.getByTestId('confusion');
    this.matchedAccuracy = page.getByTestId('matched-accuracy');
    this.silhouette = page.getByTestId('silhouette');
    this.silhouetteNote = page.getByTestId('silhouette-note');
    this.cellGrid = page.getByTestId('cell-grid');
    this.silhouetteEstimate = page.getByTestId('silhouette-estimate');
    this.silhouetteEstimateRows = page.getByTestId('silhouette-estimate-rows');
  }

  /** Clicks cell (row, col) of the confusion heatmap (grid insets as in charts/confusion.ts). */
  async clickConfusionCell(row: number, col: number, rows: number, cols: number): Promise<void> {
    const chart = this.confusion.getByRole('img', { name: 'confusion heatmap' });
    const box = (await chart.boundingBox())!;
    const left = 56;
    const right = 16;
    const top = 44;
    const bottom = 32;
    const x = left + ((col + 0.5) * (box.width - left - right)) / cols;
    const y = top + ((row + 0.5) * (box.height - top - bottom)) / rows;
    await chart.click({ position: { x, y } });
  }

  async download(testid: string): Promise<{ name: string; text: string; bytes: Buffer }> {
    const [dl] = await Promise.all([this.page.waitForEvent('download'), this.page.getByTestId(testid).click()]);
    const stream = await dl.createReadStream();
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    const bytes = Buffer.concat(chunks);
    return { name: dl.suggestedFilename(), text: bytes.toString('utf8'), bytes };
  }

  /** Opens the "For notebooks" menu with the keyboard (↓ on its button), as a user would. */
  async openNotebookMenu(): Promise<Locator> {
    const button = this.page.getByTestId('notebook-export');
    await button.focus();
    await button.press('ArrowDown');
    const menu = this.page.getByTestId('notebook-menu');
    await expect(menu.getByTestId('export-zip')).toBeFocused();
    return menu;
  }

  /** Downloads one file of the notebook menu. */
  async notebookDownload(testid: string): Promise<{ name: string; text: string; bytes: Buffer }> {
    await this.openNotebookMenu();
    return this.download(testid);
  }

  /**
   * Presses one of the silhouette card's "Compute … silhouette" buttons with the keyboard (Tab focus, Enter), as a
   * user without a mouse would: 'silhouette-compute' (sampled, or the run's own sample), '-exact' or '-sampled'.
   */
  async computeSilhouette(testid: 'silhouette-compute' | 'silhouette-compute-exact' | 'silhouette-compute-sampled'): Promise<void> {
    const button = this.page.getByTestId(testid);
    await button.focus();
    await expect(button).toBeFocused();
    await button.press('Enter');
  }

  async expectDone(): Promise<void> {
    await expect(this.page.getByTestId('metrics')).toBeVisible({ timeout: 180_000 });
  }
}
