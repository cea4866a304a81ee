import { expect, type Locator, type Page } from '@playwright/test';

export class RunsPage {
  readonly rows: Locator;
  readonly groups: Locator;
  readonly table: Locator;
  constructor(readonly page: Page) {
    this.rows = page.getByTestId('run-row');
    this.groups = page.getByTestId('group-row');
    this.table = page.getByTestId('runs-table');
  }

  /** Clicks a column header (again to flip the direction). */
  async sortBy(column: string): Promise<void> {
    await this.page.getByTestId(`sort-${column}`).click();
  }

  /** 'ascending' or 'descending' when the table is sorted by this column (its header's aria-sort), else 'none'. */
  async sortState(column: string): Promise<string | null> {
    const button = this.page.getByTestId(`sort-${column}`);
    if (!(await button.getAttribute('class'))?.split(/\s+/).includes('on')) return 'none';
    return button.locator('xpath=ancestor::th').getAttribute('aria-sort');
  }

  async filter(f: { text?: string; dataset?: string; algorithm?: string; status?: string }): Promise<void> {
    const p = this.page;
    if (f.text !== undefined) await p.getByTestId('runs-filter-text').fill(f.text);
    if (f.dataset !== undefined) await p.getByTestId('runs-filter-dataset').selectOption({ label: f.dataset });
    if (f.algorithm !== undefined) await p.getByTestId('runs-filter-algorithm').selectOption({ label: f.algorithm });
    if (f.status !== undefined) await p.getByTestId('runs-filter-status').selectOption({ label: f.status });
  }

  async clearFilters(): Promise<void> {
    await this.page.getByTestId('runs-filter-clear').click();
  }

  /** The names of the run rows shown, top to bottom. */
  async names(): Promise<string[]> {
    return (await this.rows.locator('.name').allTextContents()).map((s) => s.trim());
  }

  group(title: string | RegExp): Locator {
    return this.groups.filter({ hasText: title }).first();
  }

  async toggleGroup(title: string | RegExp): Promise<void> {
    await this.group(title).getByTestId('group-toggle').click();
  }

  row(name: string): Locator {
    return this.rows.filter({ hasText: name }).first();
  }

  /** Waits until the run has finished; fails at once, with the run's error, if it failed or was stopped. */
  async waitDone(name: string, timeout = 180_000): Promise<void> {
    const status = this.row(name).getByTestId('run-status');
    await expect(status).toHaveText(/^(done|failed|cancelled|interrupted)$/, { timeout });
    const s = (await status.textContent())?.trim();
    if (s !== 'done') {
      const why = await this.row(name).locator('.err').getAttribute('title').catch(() => null);
      throw new Error(`run ${name} ended ${s}: ${why ?? '(no error message)'}`);
    }
  }

  async open(name: string): Promise<void> {
    await this.row(name).getByText(name, { exact: true }).click();
    await expect(this.page.getByTestId('run-title')).toHaveText(name);
  }

  /** The run's silhouette as its row shows it (a value, computing…, not computed). */
  silhouette(name: string): Locator {
    return this.row(name).getByTestId('run-silhouette');
  }

  /** The row's "Compute silhouette" button (a run whose silhouette is not computed or was off). */
  async computeSilhouette(name: string): Promise<void> {
    await this.row(name).getByRole('button', { name: `Compute silhouette of ${name}` }).click();
  }

  async cancel(name: string): Promise<void> {
    await this.row(name).getByTestId('run-cancel').click();
  }

  /** Opens the row's actions menu and picks one ('Re-run with changes…', 'Rename', 'Delete…'). */
  async action(name: string, item: RegExp | string): Promise<void> {
    await this.row(name).getByRole('button', { name: `actions of ${name}` }).click();
    await this.page.getByRole('menu', { name: `actions of ${name}` }).getByRole('menuitem', { name: item }).click();
  }

  async rerun(name: string): Promise<void> {
    await this.action(name, /^Re-run with changes/);
  }

  async rename(name: string, to: string): Promise<void> {
    await this.action(name, 'Rename');
    const input = this.page.getByLabel('new name');
    await input.fill(to);
    await input.press('Enter');
    await expect(this.row(to)).toBeVisible();
  }

  /** Deletes after accepting the confirmation dialog. */
  async remove(name: string): Promise<void> {
    this.page.once('dialog', (d) => void d.accept());
    await this.action(name, /^Delete/);
    await expect(this.rows.filter({ hasText: name })).toHaveCount(0);
  }

  async compare(names: string[]): Promise<void> {
    for (const n of names) await this.row(n).getByTestId('run-select').check();
    await this.page.getByTestId('compare-selected').click();
  }
}
