/**
 * The runs workbench on a small CSV (fast): a group repeated over 5 seeds (mean ± std, seeds × seeds ARI,
 * per-cluster Jaccard), a sweep k = 2…20 × 3 seeds with the elbow marked and its CSV, sorting and filtering
 * the runs list, Re-run with changes, and every screen at 1024 × 700 with no text overflowing its box.
 * Screenshots of every screen at 1440 × 900 and 1024 × 700, light and dark, go to e2e/artifacts/wb-*.png.
 */
/// <reference lib="dom" />
import { expect, test, type Page } from '@playwright/test';
import { AppShell } from './pages/app-shell';
import { openAppSession } from './fixtures/app-session';
import { DatasetsPage } from './pages/datasets-page';
import { NewRunPage } from './pages/new-run-page';
import { RunsPage } from './pages/runs-page';
import { RunPage } from './pages/run-page';
import { SweepsPage } from './pages/sweeps-page';
import { scrollsSideways, textOverflows } from './pages/layout-check';
import { blobsCsv } from './fixtures/files';

test.describe.configure({ mode: 'serial' });
test.use({ actionTimeout: 20_000 });

let page: Page;
let shell: AppShell;
let errors: string[] = [];
const DATASET = 'wb-blobs';

test.beforeAll(async ({ browser }) => {
  ({ page, shell, errors } = await openAppSession(browser));
  // 120 rows, three blobs in 4 features
  await shell.dropFiles([{ name: `${DATASET}.csv`, bytes: blobsCsv(40, 16016) }]);
  await expect(new DatasetsPage(page).item(DATASET)).toHaveCount(1);
});

test.afterAll(async () => {
  await page?.context().close();
});

test('repeat over 5 seeds: one group, metrics as mean ± std, the seeds × seeds ARI matrix and cluster stability', async () => {
  await shell.go('new-run');
  const form = new NewRunPage(page);
  await form.fill({ dataset: DATASET, algorithm: 'kmeans', k: 3, seed: 10, silhouette: 'exact', seeds: 5 });
  await expect(page.getByTestId('start-run')).toHaveText('Start 5 runs');
  await form.start();
  const sweeps = new SweepsPage(page);
  await expect(sweeps.view).toBeVisible();
  await sweeps.waitAllDone(5, 90_000);
  await expect(sweeps.title).toContainText('k = 3 × 5 seeds');
  await expect(sweeps.groupMetrics.filter({ hasText: 'Silhouette' })).toContainText(/0\.\d+ ± \d/);
  await expect(sweeps.groupMetrics.filter({ hasText: 'Inertia' })).toContainText('±');
  await expect(sweeps.ariMatrix.locator('tbody tr')).toHaveCount(5);
  await expect(sweeps.ariMatrix.locator('tbody td')).toHaveCount(25);
  await expect(sweeps.ariMatrix.locator('thead th').nth(1)).toHaveText('seed 10');
  // the diagonal is 1; three separated blobs: every seed agrees
  for (const cell of await sweeps.ariMatrix.locator('tbody td').allTextContents()) expect(Number(cell)).toBeGreaterThan(0.9);
  await expect(sweeps.jaccard.locator('tbody tr')).toHaveCount(3);
  for (const cell of await sweeps.jaccard.locator('tbody tr td:nth-child(3)').allTextContents()) expect(Number(cell)).toBeGreaterThan(0.85);
});

test('sweep k = 2…20 × 3 seeds: error bars, the elbow marked, fit time per k, CSV', async () => {
  await shell.go('new-run');
  const form = new NewRunPage(page);
  await form.fill({ dataset: DATASET, algorithm: 'kmeans', seed: 0, silhouette: 'exact', sweepKs: '2-20', seeds: 3 });
  await expect(page.getByTestId('start-run')).toHaveText('Start sweep (57 runs)');
  await form.start();
  const sweeps = new SweepsPage(page);
  await expect(sweeps.title).toContainText('k = 2…20 × 3 seeds');
  await sweeps.waitAllDone(57, 180_000);
  await expect(sweeps.chart).toBeVisible();
  // three blobs: the inertia bends at k = 3 (Kneedle), and the silhouette is best there
  await expect(sweeps.mark('inertia')).toHaveText('Inertia: elbow k=3');
  await expect(sweeps.mark('silhouette')).toHaveText('Silhouette: best k=3');
  await expect(sweeps.table.locator('tbody tr')).toHaveCount(19);
  await expect(sweeps.table.locator('thead')).toContainText('Fit time (s)');
  await expect(sweeps.table.locator('tbody tr').first()).toContainText('3/3');
  await expect(sweeps.table.locator('tbody tr').first()).toContainText('±');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('sweep-csv').click()]);
  expect(dl.suggestedFilename()).toMatch(/\.csv$/);
  const chunks: Buffer[] = [];
  for await (const c of await dl.createReadStream()) chunks.push(c as Buffer);
  const lines = Buffer.concat(chunks).toString('utf8').trim().split('\n');
  expect(lines).toHaveLength(20);
  expect(lines[0]).toMatch(/^k,runs,done,inertia_mean,inertia_std,silhouette_mean,/);
  expect(lines[0]).toContain('fitSeconds_mean');
  expect(lines[1]).toMatch(/^2,3,3,/);
});

test('runs list: groups as one row, sort by any column, filter, re-run with changes', async () => {
  // two single runs to sort and filter among
  for (const [name, k, algorithm] of [['wb-lloyd-k2', 2, 'kmeans'], ['wb-mb-k4', 4, 'minibatch']] as const) {
    await shell.go('new-run');
    const form = new NewRunPage(page);
    await form.fill({ dataset: DATASET, algorithm, k, silhouette: 'exact', name });
    await form.start();
    await expect(page.getByTestId('run-title')).toHaveText(name); // Start run opens the new run
  }
  await shell.go('runs');
  const runs = new RunsPage(page);
  await runs.waitDone('wb-lloyd-k2', 60_000);
  await runs.waitDone('wb-mb-k4', 60_000);
  await runs.filter({ dataset: DATASET });
  // the sweep (57 runs) and the group (5) are one row each
  await expect(runs.groups).toHaveCount(2);
  await expect(runs.rows).toHaveCount(2);
  await expect(runs.group('k = 2…20 × 3 seeds')).toContainText('57 runs');
  await runs.toggleGroup('k = 3 × 5 seeds');
  await expect(runs.rows).toHaveCount(7);
  await expect(runs.group('k = 3 × 5 seeds').getByTestId('group-toggle')).toHaveAttribute('aria-expanded', 'true');
  // default: newest first; k ascending puts the k = 2 run first and the k = 4 run after the k = 3 group
  expect(await runs.sortState('created')).toBe('descending');
  expect((await runs.names())[0]).toBe('wb-mb-k4');
  await runs.sortBy('k');
  expect(await runs.sortState('k')).toBe('descending');
  await runs.sortBy('k');
  expect(await runs.sortState('k')).toBe('ascending');
  const byK = await runs.names();
  expect(byK[byK.length - 1]).toBe('wb-mb-k4');
  expect(byK.slice(1, 6).every((n) => n.startsWith('K-means k=3 · seed 1'))).toBe(true);
  // inside the group, runs follow the same order; by name ascending the seeds come 10 … 14
  await runs.sortBy('name');
  const byName = await runs.names();
  expect(byName.filter((n) => n.startsWith('K-means k=3'))).toEqual([10, 11, 12, 13, 14].map((s) => `K-means k=3 · seed ${s} · exact silhouette`));
  await runs.sortBy('silhouette');
  expect(await runs.sortState('silhouette')).toBe('descending');
  // filters: algorithm, text, status
  await runs.filter({ algorithm: 'Mini-batch' });
  expect(await runs.names()).toEqual(['wb-mb-k4']);
  await expect(runs.groups).toHaveCount(0);
  await runs.filter({ algorithm: 'All algorithms', text: 'LLOYD' });
  expect(await runs.names()).toEqual(['wb-lloyd-k2']);
  await runs.filter({ text: 'seed 12' });
  await expect(runs.groups).toHaveCount(1);
  expect(await runs.names()).toEqual(['K-means k=3 · seed 12 · exact silhouette']);
  await runs.filter({ text: '', status: 'failed' });
  await expect(runs.rows).toHaveCount(0);
  await expect(page.getByText('No run matches the filters.')).toBeVisible();
  await runs.clearFilters();
  await expect(page.getByTestId('runs-summary')).not.toContainText('shown');

  // re-run with changes: the form opens with the run's parameters
  await runs.rerun('wb-mb-k4');
  await expect(page.getByTestId('prefilled-from')).toContainText('wb-mb-k4');
  await expect(page.getByLabel('Clusters (k)')).toHaveValue('4');
  await expect(page.getByLabel('Mini-batch K-means')).toBeChecked();
  await expect(page.getByLabel('Max epochs')).toHaveValue('100');
  await expect(page.getByLabel('Name')).toHaveAttribute('placeholder', 'Mini-batch k=4 · seed 0 · exact silhouette');
  await page.getByLabel('Clusters (k)').fill('5');
  await new NewRunPage(page).start();
  await expect(page.getByTestId('run-title')).toHaveText('Mini-batch k=5 · seed 0 · exact silhouette');
  expect(errors).toEqual([]);
});

test('run page: per-cluster statistics, sortable and exported with the confusion matrix; matched labels in the gallery', async () => {
  await shell.go('runs');
  await new RunsPage(page).open('wb-mb-k4');
  const run = new RunPage(page);
  await run.expectDone();
  const table = page.getByTestId('cluster-stats');
  const rows = table.getByTestId('cluster-stat-row');
  await expect(rows).toHaveCount(4);
  await expect(table.locator('thead')).toContainText('Negative silhouettes');
  await expect(table.locator('thead')).toContainText('Nearest center');
  // sort by size, descending first: the sizes read in decreasing order
  await page.getByTestId('cluster-sort-size').click();
  const sizes = (await rows.locator('td:nth-child(2)').allTextContents()).map((t) => Number(t.replace(/,/g, '')));
  expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
  expect(sizes.reduce((a, b) => a + b, 0)).toBe(120);
  const csv = await run.download('cluster-stats-csv');
  const lines = csv.text.trim().split('\n');
  expect(lines[0]).toMatch(/^cluster,size,matched_label,majority_label,purity,mean_silhouette,negative_silhouette_share/);
  expect(lines.slice(1, 5).map((l) => Number(l.split(',')[1])).reduce((a, b) => a + b, 0)).toBe(120);
  expect(lines[5]).toBe('');
  expect(lines[6]).toBe('cluster,setosa,versicolor,virginica');
  expect(lines).toHaveLength(11);
  // 4 clusters, 3 labels: three tiles carry their matched label, one says it has no match
  await expect(page.getByTestId('center-gallery').getByTestId('center-matched')).toHaveCount(3);
  await expect(page.getByTestId('center-gallery')).toContainText('no match');
});

test('compare: the selected runs come first in the picker, and any of them can be made the reference', async () => {
  await shell.go('runs');
  await new RunsPage(page).compare(['wb-lloyd-k2', 'wb-mb-k4']);
  const gal = page.getByTestId('aligned-galleries');
  await expect(gal.locator('.gal-row').first()).toContainText('wb-lloyd-k2'); // the first selected is the reference
  const chips = page.getByTestId('compare-pick').locator('xpath=..');
  await expect(chips.nth(0)).toContainText('wb-lloyd-k2');
  await expect(chips.nth(1)).toContainText('wb-mb-k4');
  await expect(chips.nth(0)).toContainText('K-means · k=2 · seed 0 · silhouette exact');
  await gal.locator('.gal-row').nth(1).getByTestId('make-reference').click();
  await expect(gal.locator('.gal-row').first()).toContainText('wb-mb-k4');
  await expect(gal.locator('.gal-row').first()).toContainText('reference');
  await expect(gal.locator('.gal-row').nth(1)).toContainText('wb-lloyd-k2');
  await expect(gal.locator('.gal-row').nth(1).getByTestId('pair-ari')).toBeVisible();
  // the picker keeps the selected runs first, now in the new order
  await expect(chips.nth(0)).toContainText('wb-mb-k4');
  expect(page.url()).toMatch(/#\/compare\?runs=\d+,\d+$/);
});

test('the built-in MNIST offers no Delete; an imported dataset does', async () => {
  await shell.go('datasets');
  const ds = new DatasetsPage(page);
  await ds.select(/MNIST/);
  await expect(page.getByTestId('delete-dataset')).toHaveCount(0);
  await ds.select(new RegExp(DATASET));
  await expect(page.getByTestId('delete-dataset')).toBeVisible();
  await expect(page.getByTestId('dataset-run-count')).toHaveText('65');
});

/** Every screen, with the state the tests above left. */
const SCREENS: { name: string; open: () => Promise<void> }[] = [
  { name: 'datasets-mnist', open: async () => (await shell.go('datasets'), await new DatasetsPage(page).select(/MNIST/)) },
  { name: 'datasets', open: async () => (await shell.go('datasets'), await new DatasetsPage(page).select(new RegExp(DATASET))) },
  { name: 'new-run', open: async () => (await shell.go('new-run'), await new NewRunPage(page).chooseMode('k sweep')) },
  {
    name: 'runs',
    open: async () => {
      await shell.go('runs');
      const runs = new RunsPage(page);
      // a group and a sweep expanded
      for (const title of ['k = 3 × 5 seeds', 'k = 2…20 × 3 seeds'])
        if ((await runs.group(title).getByTestId('group-toggle').getAttribute('aria-expanded')) !== 'true') await runs.toggleGroup(title);
    },
  },
  { name: 'run', open: async () => (await shell.go('runs'), await new RunsPage(page).open('wb-lloyd-k2'), await new RunPage(page).expectDone()) },
  {
    name: 'compare',
    open: async () => {
      await shell.go('runs');
      await new RunsPage(page).compare(['wb-lloyd-k2', 'wb-mb-k4']);
      await expect(page.getByTestId('compare-view')).toBeVisible();
    },
  },
  { name: 'sweep', open: async () => (await shell.go('sweeps'), await new SweepsPage(page).open('k = 2…20 × 3 seeds')) },
  { name: 'group', open: async () => (await shell.go('sweeps'), await new SweepsPage(page).open('k = 3 × 5 seeds')) },
];

test('screenshots of every screen at 1440 × 900 and 1024 × 700, light and dark', async () => {
  for (const [w, h] of [[1440, 900], [1024, 700]] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width: w, height: h });
      await page.emulateMedia({ colorScheme: scheme });
      for (const s of SCREENS) {
        await s.open();
        await shell.screenshot(`wb-${s.name}-${w}-${scheme}`, { fullPage: true });
        if (s.name === 'sweep') await shell.screenshot(`wb-sweep-chart-${w}-${scheme}`, { locator: new SweepsPage(page).chart });
        if (s.name === 'runs') {
          // the table scrolls inside its card: the expanded group further down
          await new RunsPage(page).group('k = 3 × 5 seeds').scrollIntoViewIfNeeded();
          await shell.screenshot(`wb-runs-group-${w}-${scheme}`);
        }
      }
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  expect(errors).toEqual([]);
});

test('every screen at 1024 × 700: no text overflows its box, the runs, sweep and cluster tables fit without scrolling sideways', async () => {
  await page.setViewportSize({ width: 1024, height: 700 });
  const problems: string[] = [];
  for (const s of SCREENS) {
    await s.open();
    await page.waitForTimeout(300);
    for (const p of await textOverflows(page)) problems.push(`${s.name}: ${p}`);
    if (s.name === 'runs' && (await scrollsSideways(page, 'runs-table'))) problems.push('runs: the table scrolls sideways');
    if (s.name === 'sweep' && (await scrollsSideways(page, 'sweep-table'))) problems.push('sweep: the table scrolls sideways');
    if (s.name === 'run' && (await scrollsSideways(page, 'cluster-stats-table'))) problems.push('run: the cluster table scrolls sideways');
  }
  expect(problems).toEqual([]);
});
