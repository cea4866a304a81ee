import { expect, type Locator, type Page } from '@playwright/test';

/** The Sweeps screen: a sweep's charts and table, or a group's stability over seeds. */
export class SweepsPage {
  readonly view: Locator;
  readonly title: Locator;
  readonly items: Locator;
  readonly chart: Locator;
  readonly table: Locator;
  readonly groupMetrics: Locator;
  readonly ariMatrix: Locator;
  readonly jaccard: Locator;
  constructor(readonly page: Page) {
    this.view = page.getByTestId('sweeps-view');
    this.title = page.getByTestId('sweep-title');
    this.items = page.getByTestId('sweep-item');
    this.chart = page.getByRole('img', { name: 'k sweep charts' });
    this.table = page.getByTestId('sweep-table');
    this.groupMetrics = page.getByTestId('group-metric');
    this.ariMatrix = page.getByTestId('ari-matrix');
    this.jaccard = page.getByTestId('jaccard-table');
  }

  mark(metric: string): Locator {
    return this.page.getByTestId(`mark-${metric}`);
  }

  async waitAllDone(runs: number, timeout = 180_000): Promise<void> {
    await expect(this.title).toContainText(`${runs} of ${runs} runs done`, { timeout });
  }

  async open(title: string | RegExp): Promise<void> {
    await this.items.filter({ hasText: title }).first().click();
    await expect(this.title).toContainText(title);
  }
}
