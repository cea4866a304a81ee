import { expect, type Page } from '@playwright/test';

export interface RunForm {
  dataset?: RegExp | string;
  algorithm?: 'kmeans' | 'minibatch';
  k?: number;
  seed?: number;
  silhouette?: 'sample' | 'exact' | 'none';
  sampleSize?: number;
  name?: string;
  sweepMax?: number;
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
    if (f.seed !== undefined) await p.getByLabel('Seed').fill(String(f.seed));
    if (f.silhouette) await p.getByLabel({ sample: 'Sampled', exact: 'Exact', none: 'Off' }[f.silhouette], { exact: true }).check();
    if (f.sampleSize !== undefined) await p.getByLabel('Sample size').fill(String(f.sampleSize));
    if (f.name !== undefined) await p.getByLabel('Name').fill(f.name);
    if (f.sweepMax !== undefined) {
      await p.getByTestId('f-sweep').check();
      await p.getByTestId('f-sweep-max').fill(String(f.sweepMax));
    }
  }

  /** Starts with the keyboard (Enter in the form), as a user would. */
  async start(): Promise<void> {
    await expect(this.page.getByTestId('start-run')).toBeEnabled();
    await this.page.getByLabel('Seed').press('Enter');
  }
}
