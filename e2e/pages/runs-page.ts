import { expect, type Locator, type Page } from '@playwright/test';

export class RunsPage {
  readonly rows: Locator;
  constructor(readonly page: Page) {
    this.rows = page.getByTestId('run-row');
  }

  row(name: string): Locator {
    return this.rows.filter({ hasText: name }).first();
  }

  async waitDone(name: string, timeout = 180_000): Promise<void> {
    await expect(this.row(name).getByTestId('run-status')).toHaveText('done', { timeout });
  }

  async open(name: string): Promise<void> {
    await this.row(name).getByText(name, { exact: true }).click();
    await expect(this.page.getByTestId('run-title')).toHaveText(name);
  }

  async compare(names: string[]): Promise<void> {
    for (const n of names) await this.row(n).getByTestId('run-select').check();
    await this.page.getByTestId('compare-selected').click();
  }
}
