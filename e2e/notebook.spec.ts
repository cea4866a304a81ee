/**
 * From the app to a notebook and back, in Chromium against browser mode: a run's notebook export (menu by
 * keyboard, labels.npy, the .zip, "Copy as scikit-learn code"), then that labels.npy dropped on the dataset
 * becomes an external run (parameters n/a, every metric) that Compare matches with the run, ARI 1. A bad
 * labels file is refused with one message. Screenshots at 1440 and 1024 px, light and dark, in e2e/artifacts/.
 */
/// <reference lib="dom" />
import { expect, test, type Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { AppShell } from './pages/app-shell';
import { openAppSession } from './fixtures/app-session';
import { ComparePage } from './pages/compare-page';
import { DatasetsPage } from './pages/datasets-page';
import { NewRunPage } from './pages/new-run-page';
import { RunPage } from './pages/run-page';
import { RunsPage } from './pages/runs-page';
import { blobsCsv } from './fixtures/files';

test.describe.configure({ mode: 'serial' });

let page: Page;
let shell: AppShell;
let errors: string[] = [];
let labelsNpy: Buffer;

test.beforeAll(async ({ browser }) => {
  ({ page, shell, errors } = await openAppSession(browser, { permissions: ['clipboard-read', 'clipboard-write'] }));
});

test.afterAll(async () => {
  await page?.context().close();
});

/** The same screen at 1440 and 1024 px, light and dark. */
const screenshots = (name: string): Promise<void> => shell.screenshotsAcross(`nb-${name}`);

test('a run on a dropped CSV exports its notebook files from the keyboard menu', async () => {
  const ds = new DatasetsPage(page);
  await shell.dropFiles([{ name: 'wells.csv', bytes: blobsCsv(40) }]);
  await expect(ds.title).toHaveText('wells');
  await ds.clusterSelected();
  const form = new NewRunPage(page);
  await form.fill({ algorithm: 'kmeans', k: 3, seed: 4, silhouette: 'exact', name: 'wells-k3' });
  await form.start();
  // Start run opens the new run
  await expect(page.getByTestId('run-title')).toHaveText('wells-k3');
  const run = new RunPage(page);
  await run.expectDone();

  const menu = await run.openNotebookMenu();
  await expect(menu.getByRole('menuitem')).toHaveCount(6);
  await screenshots('run-export-menu');
  // ↓ moves through the items, Escape closes and gives the focus back
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByTestId('export-labels.npy')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(page.getByTestId('notebook-export')).toBeFocused();
  // Enter opens it too, on the first item
  await page.keyboard.press('Enter');
  await expect(menu.getByTestId('export-zip')).toBeFocused();
  await page.keyboard.press('Escape');

  const labels = await run.notebookDownload('export-labels.npy');
  expect(labels.name).toBe('wells-k3-labels.npy');
  expect(labels.bytes.subarray(1, 6).toString('latin1')).toBe('NUMPY');
  expect(labels.text).toContain("'descr': '<i4'");
  expect(labels.text).toContain("'shape': (120,)");
  labelsNpy = labels.bytes;

  const zip = await run.notebookDownload('export-zip');
  const files = unzipSync(new Uint8Array(zip.bytes));
  expect(Object.keys(files).sort()).toEqual(['wells-k3/centers.npy', 'wells-k3/labels.npy', 'wells-k3/reproduce.py', 'wells-k3/run.json']);
  expect(Buffer.from(files['wells-k3/labels.npy']!).equals(labelsNpy)).toBe(true);
  const runJson = JSON.parse(new TextDecoder().decode(files['wells-k3/run.json']));
  expect(runJson).toMatchObject({ name: 'wells-k3', k: 3, sklearn: { estimator: 'KMeans', random_state: 4 } });

  await run.openNotebookMenu();
  await page.getByTestId('copy-sklearn').click();
  const code = await page.evaluate(() => navigator.clipboard.readText());
  expect(code).toContain('model = KMeans(');
  expect(code).toContain('random_state=4,');
  expect(code).toBe(new TextDecoder().decode(files['wells-k3/reproduce.py']));
});

test('a labeling dropped on the dataset becomes an external run; Compare matches it with the run', async () => {
  await shell.go('datasets');
  const ds = new DatasetsPage(page);
  await ds.select('wells');
  await expect(ds.labelingDrop).toContainText('Labelings made elsewhere');
  await screenshots('dataset-labeling');

  // a bad file first: one clear message, nothing added
  await shell.dropFilesOn(ds.labelingDrop, [{ name: 'two-columns.csv', bytes: '0,1\n1,0\n' }]);
  await expect(page.getByTestId('labeling-error')).toContainText('two-columns.csv: has 2 columns and no header');
  await expect(page.getByTestId('drop-overlay')).toBeHidden();

  await shell.dropFilesOn(ds.labelingDrop, [{ name: 'sklearn_labels.npy', bytes: labelsNpy }]);
  await expect(page.getByTestId('run-title')).toHaveText('sklearn_labels.npy (3 clusters)');
  const run = new RunPage(page);
  await run.expectDone();
  await expect(page.getByTestId('run-algorithm')).toHaveText('External labeling');
  await expect(page.getByTestId('run-view')).toContainText('parameters n/a: labels from sklearn_labels.npy');
  await expect(page.getByTestId('metric-silhouette')).not.toContainText('—');
  await expect(run.centerImages.or(page.getByTestId('center-gallery').locator('canvas'))).not.toHaveCount(0);
  await screenshots('external-run');

  await shell.go('runs');
  const runs = new RunsPage(page);
  await expect(runs.row('sklearn_labels.npy (3 clusters)')).toContainText('External');
  await runs.compare(['wells-k3', 'sklearn_labels.npy (3 clusters)']);
  const cmp = new ComparePage(page);
  await expect(cmp.view).toBeVisible();
  await expect(cmp.pairAri).toHaveText('ARI 1.000');
  const seedRow = cmp.table.getByTestId('compare-row').filter({ hasText: 'seed' });
  await expect(seedRow).toContainText('n/a');
  await screenshots('compare-external');
});

test("Import labeling… takes the app's own Labels CSV (row,cluster) back as an external run", async () => {
  const runs = new RunsPage(page);
  await shell.go('runs');
  await runs.open('wells-k3');
  const csv = await new RunPage(page).download('export-labels');
  expect(csv.text.startsWith('row,cluster\n')).toBe(true);
  await shell.go('datasets');
  const ds = new DatasetsPage(page);
  await ds.select('wells');
  await page.getByTestId('import-labeling-input').setInputFiles({ name: csv.name, mimeType: 'text/csv', buffer: csv.bytes });
  await expect(page.getByTestId('run-title')).toHaveText(`${csv.name} (3 clusters)`);
  await expect(page.getByTestId('metrics')).toContainText('100.0%');
});

test('a labels file dropped on a dataset in the list is imported on that dataset', async () => {
  await shell.go('datasets');
  const ds = new DatasetsPage(page);
  await ds.select(/MNIST/);
  await shell.dropFilesOn(ds.item('wells'), [{ name: 'from-the-list.txt', bytes: `${Array.from({ length: 120 }, (_, i) => i % 2).join('\n')}\n` }]);
  await expect(page.getByTestId('run-title')).toHaveText('from-the-list.txt (2 clusters)');
  await expect(page.getByTestId('run-view')).toContainText('wells · External labeling · k = 2');
  expect(errors).toEqual([]);
});
