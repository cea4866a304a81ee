/**
 * "Compute silhouette" for a done run whose silhouette was not computed: an exact MNIST run is stopped during its
 * silhouette ("Stop silhouette"), then its exact silhouette is computed from the run page with the keyboard; the page
 * shows it computing (the estimate, the top bar's silhouette phase) and then the value, as for a run's own. A run
 * started with the silhouette off gets one from the runs list's button. Screenshots (1440 and 1024 px, light and
 * dark): not computed with its buttons, computing again, the value, and the runs list.
 */
import { expect, test, type Page } from '@playwright/test';
import { openAppSession } from './fixtures/app-session';
import { AppShell } from './pages/app-shell';
import { NewRunPage } from './pages/new-run-page';
import { RunPage } from './pages/run-page';
import { RunsPage } from './pages/runs-page';
import { scrollsSideways, textOverflows } from './pages/layout-check';

let page: Page;
let shell: AppShell;
let errors: string[] = [];

test.beforeAll(async ({ browser }) => {
  ({ page, shell, errors } = await openAppSession(browser));
});

test.afterAll(async () => {
  await page?.context().close();
});

const VALUE = /^-?\d\.\d{3}$/;

/** At 1,024 px: every text fits, and the runs table (when given) does not scroll sideways. */
async function fitsAt1024(table?: string): Promise<void> {
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.waitForTimeout(300);
  expect(await textOverflows(page)).toEqual([]);
  if (table) expect(await scrollsSideways(page, table)).toBe(false);
  await page.setViewportSize(size);
}

test('stop an exact silhouette, then compute it with the button: the page shows it computing, then the value', async () => {
  test.setTimeout(300_000);
  await shell.go('new-run');
  const form = new NewRunPage(page);
  await form.fill({ dataset: /MNIST/i, algorithm: 'minibatch', k: 10, seed: 4, silhouette: 'exact', name: 'mnist-recompute' });
  await form.start();
  await expect(page.getByTestId('run-title')).toHaveText('mnist-recompute');
  const run = new RunPage(page);
  await run.expectDone();
  const status = page.getByTestId('silhouette-status');
  await status.getByTestId('silhouette-stop').click();
  await expect(status.getByTestId('silhouette-state')).toHaveText('not computed');
  await expect(status).toContainText('cancelled before the silhouette was computed');
  const metric = page.getByTestId('metric-silhouette').locator('.value');
  await expect(metric).toHaveText('not computed');
  // the exact one again first, the sampled one beside it
  await expect(status.getByTestId('silhouette-compute-exact')).toHaveText('Compute exact silhouette');
  await expect(status.getByTestId('silhouette-compute-sampled')).toHaveText('Compute sampled silhouette');
  await status.scrollIntoViewIfNeeded();
  await shell.screenshotsAcross('compute-silhouette-not-computed');
  await fitsAt1024();

  await run.computeSilhouette('silhouette-compute-exact');
  await expect(status.getByTestId('silhouette-stop')).toBeVisible(); // pending again: it can be stopped as before
  await expect(metric).toHaveText(/^(computing…|≈ -?\d\.\d{3})$/);
  await expect(shell.jobQueue).toContainText('mnist-recompute');
  await expect(shell.jobQueue).toContainText('silhouette', { timeout: 60_000 });
  await expect(run.silhouetteEstimate).toBeVisible({ timeout: 60_000 });
  await status.scrollIntoViewIfNeeded();
  await shell.screenshotsAcross('compute-silhouette-computing');

  await expect(metric).toHaveText(VALUE, { timeout: 240_000 });
  await expect(run.silhouetteNote).toHaveText('Exact, on all 70,000 samples.');
  await expect(page.getByTestId('silhouette-histograms')).toBeVisible();
  await expect(page.getByTestId('silhouette-compute-exact')).toHaveCount(0); // nothing left to compute
  await expect(shell.jobQueue).toContainText('No jobs running');
  await run.silhouette.scrollIntoViewIfNeeded();
  await shell.screenshotsAcross('compute-silhouette-final');
  const value = await metric.textContent();

  // the runs list shows the same value
  await shell.go('runs');
  const list = new RunsPage(page);
  await expect(list.silhouette('mnist-recompute')).toHaveText(value!);
  expect(errors).toEqual([]);
});

test('a run started with the silhouette off gets one from the runs list; its card then offers the exact one', async () => {
  test.setTimeout(180_000);
  await shell.go('new-run');
  const form = new NewRunPage(page);
  await form.fill({ dataset: /MNIST/i, algorithm: 'minibatch', k: 10, seed: 5, silhouette: 'none', name: 'mnist-sil-off' });
  await form.start();
  await expect(page.getByTestId('run-title')).toHaveText('mnist-sil-off');
  await new RunPage(page).expectDone();
  await expect(page.getByTestId('silhouette-off')).toContainText('Silhouette was off for this run.');
  await expect(page.getByTestId('silhouette-off').getByTestId('silhouette-compute')).toHaveText('Compute silhouette');

  await shell.go('runs');
  const list = new RunsPage(page);
  await list.waitDone('mnist-sil-off');
  await expect(list.silhouette('mnist-sil-off')).toHaveText('—');
  await shell.screenshotsAcross('compute-silhouette-runs-list');
  await fitsAt1024('runs-table');
  await list.computeSilhouette('mnist-sil-off');
  await expect(list.silhouette('mnist-sil-off')).toHaveText(VALUE, { timeout: 120_000 });
  await expect(list.row('mnist-sil-off').getByRole('button', { name: 'Compute silhouette of mnist-sil-off' })).toHaveCount(0);

  await list.open('mnist-sil-off');
  const run = new RunPage(page);
  await expect(run.silhouetteNote).toHaveText('Sampled: 10,000 of 70,000 samples (seeded).');
  await expect(run.silhouette.getByTestId('silhouette-compute-exact')).toBeVisible();
  await run.silhouette.scrollIntoViewIfNeeded();
  await shell.screenshotsAcross('compute-silhouette-sampled-card');
  await fitsAt1024();
  expect(errors).toEqual([]);
});
