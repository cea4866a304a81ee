import type { Locator, Page } from '@playwright/test';

export class ComparePage {
  readonly view: Locator;
  readonly table: Locator;
  readonly diffOnly: Locator;
  readonly pairAri: Locator;
  constructor(readonly page: Page) {
    this.view = page.getByTestId('compare-view');
    this.table = page.getByTestId('compare-table');
    this.diffOnly = page.getByTestId('diff-only');
    this.pairAri = page.getByTestId('pair-ari-badge');
  }

  gallery(i: number): Locator {
    return this.page.getByTestId(`aligned-gallery-${i}`);
  }
}
