/**
 * URLs: every screen has its own (hash) URL, a run's URL opens that run (also in a new tab and after a reload),
 * and the browser's Back and Forward return to the screens visited, in order.
 */
/// <reference lib="dom" />
import { expect, test, type Page } from '@playwright/test';
import { AppShell } from './pages/app-shell';
import { openAppSession } from './fixtures/app-session';
import { DatasetsPage } from './pages/datasets-page';
import { NewRunPage } from './pages/new-run-page';
import { blobsCsv } from './fixtures/files';

test.describe.configure({ mode: 'serial' });
test.use({ actionTimeout: 20_000 });

const DATASET = 'nav-blobs';
const RUN = 'nav-run-k3';
let page: Page;
let shell: AppShell;
let base: string;
let runId: number;
let errors: string[] = [];

test.beforeAll(async ({ browser }) => {
  ({ page, shell, errors, url: base } = await openAppSession(browser, { viewport: { width: 1280, height: 800 } }));
  await shell.dropFiles([{ name: `${DATASET}.csv`, bytes: blobsCsv(20, 4242) }]);
  await expect(new DatasetsPage(page).item(DATASET)).toHaveCount(1);
  await shell.go('new-run');
  const form = new NewRunPage(page);
  await form.fill({ dataset: DATASET, k: 3, seed: 1, name: RUN });
  await form.start();
  await expect(page.getByTestId('run-title')).toHaveText(RUN);
  await expect(page.getByTestId('metrics')).toBeVisible({ timeout: 60_000 });
  const m = /^\/runs\/(\d+)$/.exec(shell.path());
  expect(m, `run page URL ${shell.path()}`).not.toBeNull();
  runId = Number(m![1]);
});

test.afterAll(async () => {
  await page?.context().close();
  expect(errors).toEqual([]);
});

test("a run's URL opens that run, in a new tab and after a reload", async ({ browser }) => {
  const tab = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const other = new AppShell(tab);
  await other.openAt(base, `/runs/${runId}`);
  await expect(tab.getByTestId('run-title')).toHaveText(RUN);
  await expect(other.current()).toHaveAttribute('data-testid', 'nav-runs');
  await tab.reload();
  await expect(tab.getByTestId('run-title')).toHaveText(RUN);
  await expect(tab.getByTestId('metrics')).toBeVisible();
  // a run that does not exist says so, instead of showing another one
  await other.openAt(base, '/runs/999999');
  await expect(tab.getByTestId('run-view')).toContainText('Run 999999 does not exist');
  // a malformed URL lands on the datasets screen
  await other.openAt(base, '/no/such/screen');
  await expect(other.current()).toHaveAttribute('data-testid', 'nav-datasets');
  await expect.poll(() => other.path()).toBe('/datasets');
  await tab.close();
});

test('Back and Forward return to the screens visited', async () => {
  // the router changes the URL once the screen's view has loaded
  const at = (p: string | RegExp) => expect.poll(() => shell.path()).toMatch(p);
  await shell.openAt(base, `/runs/${runId}`);
  await expect(page.getByTestId('run-title')).toHaveText(RUN);
  await shell.go('runs');
  await expect(page.getByTestId('runs-table')).toBeVisible();
  await at(/^\/runs$/);
  await shell.go('sweeps');
  await at(/^\/sweeps/);
  await expect(shell.current()).toHaveAttribute('data-testid', 'nav-sweeps');
  await shell.go('datasets');
  await at(/^\/datasets$/);
  await new DatasetsPage(page).select(DATASET);
  await at(/^\/datasets\/\d+$/);
  const datasetPath = shell.path();

  // visited: the run, Runs, Sweeps, Datasets, the dataset
  await page.goBack();
  await at(/^\/datasets$/);
  await expect(shell.current()).toHaveAttribute('data-testid', 'nav-datasets');
  await page.goBack();
  await at(/^\/sweeps/);
  await expect(shell.current()).toHaveAttribute('data-testid', 'nav-sweeps');
  await page.goBack();
  await at(/^\/runs$/);
  await expect(page.getByTestId('runs-table')).toBeVisible();
  await page.goBack();
  await at(new RegExp(`^/runs/${runId}$`));
  await expect(page.getByTestId('run-title')).toHaveText(RUN);

  await page.goForward();
  await at(/^\/runs$/);
  await expect(page.getByTestId('runs-table')).toBeVisible();
  await page.goForward();
  await at(/^\/sweeps/);
  await page.goForward();
  await at(/^\/datasets$/);
  await page.goForward();
  await at(new RegExp(`^${datasetPath}$`));
  await expect(new DatasetsPage(page).title).toHaveText(DATASET);
});

test('Re-run with changes and Compare carry their runs in the URL', async () => {
  await shell.openAt(base, `/new?from=${runId}`);
  await expect(page.getByTestId('new-run-form')).toBeVisible();
  await expect(page.getByLabel('Clusters (k)')).toHaveValue('3');
  await expect(shell.current()).toHaveAttribute('data-testid', 'nav-new-run');
  await shell.openAt(base, `/compare?runs=${runId}`);
  await expect(shell.current()).toHaveAttribute('data-testid', 'nav-compare');
  await expect(page.getByText('Pick two or more done runs of the same dataset.')).toBeVisible();
});
