import { expect, type Page } from '@playwright/test';

export interface RunForm {
  dataset?: RegExp | string;
  algorithm?: 'kmeans' | 'minibatch';
  k?: number;
  seed?: number;
  silhouette?: 'sample' | 'exact' | 'none';
  sampleSize?: number;
  name?: string;
  /** A k sweep over this list ("2-20", "2,4,8"). */
  sweepKs?: string;
  /** Repeat the run over this many seeds (with sweepKs: seeds per k). */
  seeds?: number;
}

export class NewRunPage {
  constructor(readonly page: Page) {}

  async fill(f: RunForm): Promise<void> {
    const p = this.page;
    await expect(p.getByTestId('new-run-form')).toBeVisible();
    if (f.dataset !== undefined) {
      const option = p.getByTestId('f-dataset').locator('option').filter({ hasText: f.dataset });
      await p.getByTestId('f-dataset').selectOption({ label: (await option.first().textContent())!.trim() });
    }
    if (f.algorithm) await p.getByLabel(f.algorithm === 'minibatch' ? 'Mini-batch K-means' : 'K-means (Lloyd)').check();
    if (f.k !== undefined) await p.getByLabel('Clusters (k)').fill(String(f.k));
    if (f.seed !== undefined) await p.getByLabel('Seed', { exact: true }).fill(String(f.seed));
    if (f.silhouette) await p.getByLabel({ sample: 'Sampled', exact: 'Exact', none: 'Off' }[f.silhouette], { exact: true }).check();
    if (f.sampleSize !== undefined) await p.getByLabel('Sample size').fill(String(f.sampleSize));
    if (f.name !== undefined) await p.getByLabel('Name').fill(f.name);
    if (f.sweepKs !== undefined) {
      await this.chooseMode('k sweep');
      await p.getByLabel('Values of k').fill(f.sweepKs);
    } else if (f.seeds !== undefined) await this.chooseMode('Repeat over seeds');
    if (f.seeds !== undefined) await p.getByLabel('Seeds per k').fill(String(f.seeds));
  }

  /** One run, a repeat over seeds or a k sweep: clicks the option's label, as a user does. */
  async chooseMode(mode: 'One run' | 'Repeat over seeds' | 'k sweep'): Promise<void> {
    const option = this.page.getByRole('radiogroup').getByText(mode, { exact: true });
    await option.click();
    await expect(this.page.getByLabel(mode, { exact: true })).toBeChecked();
  }

  /** Starts with the keyboard (Enter in the form), as a user would: a single run opens its page, a sweep or group the Sweeps screen. */
  async start(): Promise<void> {
    await expect(this.page.getByTestId('start-run')).toBeEnabled();
    await this.page.getByLabel('Seed', { exact: true }).press('Enter');
  }
}
