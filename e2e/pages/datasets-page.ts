import { expect, type Locator, type Page } from '@playwright/test';

export class DatasetsPage {
  readonly items: Locator;
  readonly title: Locator;
  readonly sampleImages: Locator;
  readonly importError: Locator;
  readonly importProgress: Locator;
  constructor(readonly page: Page) {
    this.items = page.getByTestId('dataset-item');
    this.title = page.getByTestId('dataset-title');
    this.sampleImages = page.getByTestId('sample-grid').getByTestId('sample-image');
    this.importError = page.getByTestId('import-error');
    this.importProgress = page.getByTestId('import-progress');
  }

  item(name: string | RegExp): Locator {
    return this.items.filter({ hasText: name });
  }

  async select(name: string | RegExp): Promise<void> {
    await this.item(name).first().click();
    await expect(this.title).toHaveText(name);
  }

  /** The selected dataset's drop target for labelings made elsewhere. */
  get labelingDrop(): Locator {
    return this.page.getByTestId('labeling-drop');
  }

  async clusterSelected(): Promise<void> {
    await this.page.getByTestId('cluster-dataset').click();
  }
}
