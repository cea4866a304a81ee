/**
 * The main flows in Chromium against the real browser-mode server (started by fixtures/global-setup.ts):
 * MNIST at first launch → a mini-batch run with progress → the run page → a second seed → compare →
 * drag-and-drop import of IDX and CSV → clustering it → a bad file → a k sweep. Screenshots go to e2e/artifacts/.
 * The same journey runs in the Electron window in the `electron` project (playwright.config.ts).
 */
/// <reference lib="dom" />
import { expect, test, type Page } from '@playwright/test';
import { AppShell } from './pages/app-shell';
import { DatasetsPage } from './pages/datasets-page';
import { NewRunPage } from './pages/new-run-page';
import { RunsPage } from './pages/runs-page';
import { RunPage } from './pages/run-page';
import { ComparePage } from './pages/compare-page';
import { blobsCsv, idxBytes, imagesZip, tinyImages } from './fixtures/files';
import { openApp, type OpenedApp } from './fixtures/app-host';

test.describe.configure({ mode: 'serial' });

let page: Page;
let shell: AppShell;
let opened: OpenedApp | undefined;
const errors: string[] = [];

// browser mode, or the Electron window in the `electron` project (fixtures/app-host.ts)
test.beforeAll(async ({ browser }) => {
  opened = await openApp(browser, { width: 1280, height: 800 }, (p) => {
    p.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    p.on('response', (r) => {
      if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.url()}`);
    });
    p.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
  });
  page = opened.page;
  shell = new AppShell(page, opened.host === 'electron' ? 'electron-' : '');
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
});

test.afterAll(async () => {
  await opened?.close();
});

test('first launch shows MNIST with sample images', async () => {
  const ds = new DatasetsPage(page);
  await expect(ds.item(/MNIST/i)).toHaveCount(1);
  await expect(ds.title).toHaveText(/MNIST/i);
  await expect(page.getByTestId('dataset-detail')).toContainText('70,000');
  await expect(page.getByTestId('dataset-detail')).toContainText('28 × 28 images');
  await expect(ds.sampleImages).toHaveCount(60);
  // the canvases really hold digits: some dark and some light pixels
  const ink = await ds.sampleImages.first().locator('canvas').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let dark = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i]! < 100) dark++;
    return { w: c.width, h: c.height, dark };
  });
  expect(ink.w).toBe(28);
  expect(ink.h).toBe(28);
  expect(ink.dark).toBeGreaterThan(40);
  expect(ink.dark).toBeLessThan(600);
  await shell.screenshot('01-datasets-mnist');
});

test('start a mini-batch run with k = 10; progress shows', async () => {
  await shell.go('new-run');
  const form = new NewRunPage(page);
  await form.fill({ dataset: /MNIST/i, algorithm: 'minibatch', k: 10, seed: 0, silhouette: 'sample', sampleSize: 3000, name: 'mnist-mb-seed0' });
  await expect(page.getByLabel('Max epochs')).toHaveValue('100'); // scikit-learn's MiniBatchKMeans default
  await expect(page.getByLabel('Batch size')).toHaveValue('1024');
  await shell.screenshot('02-new-run', { fullPage: true });
  const progress = await shell.watchProgress();
  await form.start();
  await expect(page.getByTestId('run-title')).toHaveText('mnist-mb-seed0'); // Start run opens the new run
  await shell.go('runs');
  const runs = new RunsPage(page);
  await expect(runs.row('mnist-mb-seed0')).toBeVisible();
  // progress: the top bar shows the job with a progress bar while it runs
  await expect.poll(async () => (await progress()).seen, { timeout: 60_000 }).toBe(true);
  await shell.screenshot('03-runs-progress');
  await runs.waitDone('mnist-mb-seed0');
  const p = await progress();
  expect(p.values).toBeGreaterThan(2); // several distinct progress values arrived, not just start and end
  expect(p.max).toBeGreaterThan(50);
});

test('run page: 10 center images, 10 × 10 confusion heatmap with matched accuracy, silhouette histograms', async () => {
  const runs = new RunsPage(page);
  await runs.open('mnist-mb-seed0');
  const run = new RunPage(page);
  await run.expectDone();
  await expect(run.centerImages).toHaveCount(10);
  await expect(run.confusion).toHaveAttribute('data-rows', '10');
  await expect(run.confusion).toHaveAttribute('data-cols', '10');
  await expect(run.matchedAccuracy).toHaveText(/matched accuracy \d{1,3}\.\d%/);
  const acc = Number(/([\d.]+)%/.exec((await run.matchedAccuracy.textContent())!)![1]);
  expect(acc).toBeGreaterThan(40); // k-means on MNIST lands around 50–60 %
  await expect(run.silhouette.getByRole('img', { name: 'silhouette histograms per cluster' })).toBeVisible();
  await expect(run.silhouetteNote).toHaveText(/Sampled: 3,000 of 70,000/);
  // a center image is a digit-like blob, not blank
  const centerInk = await run.centerImages.first().evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let s = 0;
    for (let i = 0; i < d.length; i += 4) s += d[i]!;
    return s / (d.length / 4);
  });
  expect(centerInk).toBeLessThan(230);
  await shell.screenshot('04-run', { fullPage: true });
  // the same screen in the dark theme (follows the system setting)
  await page.emulateMedia({ colorScheme: 'dark' });
  await shell.screenshot('04b-run-dark', { fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });

  // click the first diagonal cell: its digits appear
  await run.clickConfusionCell(0, 0, 10, 10);
  await expect(run.cellGrid.getByTestId('sample-image').first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('cell-members')).toContainText('samples in this cell');
  await expect(page.getByTestId('members-nearest').getByTestId('sample-image')).toHaveCount(14);
  await shell.screenshot('05-run-cell-members', { locator: page.getByTestId('confusion-pair') });

  // export: labels CSV has one line per row
  const labels = await run.download('export-labels');
  expect(labels.name).toBe('mnist-mb-seed0-labels.csv');
  const lines = labels.text.trimEnd().split('\n');
  expect(lines[0]).toBe('row,cluster');
  expect(lines).toHaveLength(70_001);
  const json = await run.download('export-json');
  expect(JSON.parse(json.text).centers.k).toBe(10);
  const png = await run.download('export-png');
  expect(png.name).toBe('mnist-mb-seed0-centers.png');
  expect(png.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  // 4 × 3 sheet of 28 px × 4 centers with 8 px gaps: 4·120+8 wide, 3·120+8 high
  // 4 × 3 tiles of 28·4 + 8 px, a caption line of 18 px under each row of tiles
  expect([png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)]).toEqual([488, 368 + 3 * 18]);
});

test('second run with another seed; compare aligns galleries and shows ARI between them', async () => {
  await shell.go('new-run');
  const form = new NewRunPage(page);
  await form.fill({ dataset: /MNIST/i, algorithm: 'minibatch', k: 10, seed: 1, silhouette: 'sample', sampleSize: 3000, name: 'mnist-mb-seed1' });
  await form.start();
  await expect(page.getByTestId('run-title')).toHaveText('mnist-mb-seed1'); // Start run opens the new run
  await shell.go('runs');
  const runs = new RunsPage(page);
  await runs.waitDone('mnist-mb-seed1');
  await shell.screenshot('06-runs-table');
  await runs.compare(['mnist-mb-seed0', 'mnist-mb-seed1']);
  const cmp = new ComparePage(page);
  await expect(cmp.view).toBeVisible();
  await expect(cmp.gallery(0).getByTestId('center-tile')).toHaveCount(10);
  await expect(cmp.gallery(1).getByTestId('center-tile')).toHaveCount(10);
  await expect(cmp.pairAri).toHaveText(/ARI 0\.\d{3}/);
  const ari = Number(/ARI ([\d.]+)/.exec((await cmp.pairAri.textContent())!)![1]);
  expect(ari).toBeGreaterThan(0.3);
  expect(ari).toBeLessThan(1);
  // aligned: each column pairs centers that look alike — the aligned pairs are much closer, pixel by pixel,
  // than the same centers paired at random
  const pixels = async (i: number) =>
    cmp.gallery(i).getByTestId('center-image').evaluateAll((els) =>
      (els as HTMLCanvasElement[]).map((c) => Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data.filter((_, j) => j % 4 === 0))),
    );
  const [a, b] = [await pixels(0), await pixels(1)];
  const dist = (x: number[], y: number[]) => Math.sqrt(x.reduce((s, v, j) => s + (v - y[j]!) ** 2, 0));
  const aligned = a.reduce((s, x, i) => s + dist(x, b[i]!), 0) / a.length;
  let cross = 0;
  for (let i = 0; i < a.length; i++) for (let j = 0; j < b.length; j++) if (i !== j) cross += dist(a[i]!, b[j]!);
  cross /= a.length * (b.length - 1);
  expect(aligned).toBeLessThan(0.6 * cross);
  // "differences only" keeps the seed row and drops the algorithm row
  await cmp.diffOnly.check();
  await expect(cmp.table.getByTestId('compare-row').filter({ hasText: 'seed' })).toHaveCount(1);
  await expect(cmp.table.getByTestId('compare-row').filter({ hasText: 'Algorithm' })).toHaveCount(0);
  await cmp.diffOnly.uncheck();
  await shell.screenshot('07-compare', { fullPage: true });
});

test('drop an IDX images + labels pair: the dataset appears with images', async () => {
  const ds = new DatasetsPage(page);
  await shell.go('datasets');
  const before = await ds.items.count();
  const { images, labels } = tinyImages(90);
  const files = [
    { name: 'shapes-images.idx3-ubyte', bytes: idxBytes([90, 8, 8], images) },
    { name: 'shapes-labels.idx1-ubyte', bytes: idxBytes([90], labels) },
  ];
  const drag = await shell.dragOver(files);
  await expect(page.getByTestId('drop-overlay')).toBeVisible();
  await shell.screenshot('08a-drop-overlay');
  await drag.leave();
  await expect(page.getByTestId('drop-overlay')).toBeHidden();
  await shell.dropFiles(files);
  await expect(ds.items).toHaveCount(before + 1);
  await expect(ds.title).toHaveText(/shapes/);
  await expect(page.getByTestId('dataset-detail')).toContainText('8 × 8 images');
  await expect(ds.sampleImages).toHaveCount(60);
  await shell.screenshot('08-datasets-idx-import');
});

test('drop a .zip of PNG images in label folders: images with folder labels', async () => {
  const ds = new DatasetsPage(page);
  const before = await ds.items.count();
  await shell.dropFiles([{ name: 'shapes.zip', bytes: imagesZip(12) }]);
  await expect(ds.items).toHaveCount(before + 1);
  await expect(ds.title).toHaveText(/shapes/);
  await expect(page.getByTestId('dataset-detail')).toContainText('12 × 10');
  await expect(page.getByTestId('dataset-detail')).toContainText('bars');
  await expect(page.getByTestId('dataset-detail')).toContainText('rings');
  await expect(ds.sampleImages).toHaveCount(24);
  await shell.screenshot('08c-datasets-zip-images');
});

test('drop a CSV: it appears and can be clustered (heat strips for non-image data)', async () => {
  const ds = new DatasetsPage(page);
  const before = await ds.items.count();
  await shell.dropFiles([{ name: 'blobs.csv', bytes: blobsCsv(50) }]);
  await expect(ds.items).toHaveCount(before + 1);
  await expect(ds.title).toHaveText(/blobs/);
  await expect(page.getByTestId('dataset-detail')).toContainText('150');
  await expect(page.getByTestId('sample-table')).toBeVisible();
  await expect(page.getByTestId('dataset-detail')).toContainText('versicolor');
  await shell.screenshot('09-datasets-csv');
  await ds.clusterSelected();
  const form = new NewRunPage(page);
  await form.fill({ algorithm: 'kmeans', k: 3, silhouette: 'exact', name: 'blobs-k3' });
  await form.start();
  await expect(page.getByTestId('run-title')).toHaveText('blobs-k3'); // Start run opens the new run
  await shell.go('runs');
  const runs = new RunsPage(page);
  await runs.waitDone('blobs-k3', 60_000);
  await runs.open('blobs-k3');
  const run = new RunPage(page);
  await run.expectDone();
  await expect(run.centerImages).toHaveCount(3);
  await expect(run.matchedAccuracy).toHaveText(/matched accuracy 100\.0%/);
  await expect(run.silhouetteNote).toHaveText(/Exact, on all 150 samples/);
  await shell.screenshot('10-run-csv', { fullPage: true });
});

test('a bad file shows an error and nothing is added', async () => {
  await shell.go('datasets');
  const ds = new DatasetsPage(page);
  const before = await ds.items.count();
  const bad = idxBytes([10, 28, 28], new Uint8Array(100)); // declares 7,840 bytes, holds 100: truncated
  await shell.dropFiles([{ name: 'broken-images.idx3-ubyte', bytes: bad }]);
  await expect(ds.importError).toBeVisible();
  await expect(ds.importError).toContainText('broken-images.idx3-ubyte');
  await page.waitForTimeout(500);
  await expect(ds.items).toHaveCount(before);
  await shell.screenshot('11-import-error');
  // a ragged CSV names the line
  await shell.dropFiles([{ name: 'ragged.csv', bytes: 'a,b,c\n1,2,3\n4,5\n' }]);
  await expect(ds.importError).toContainText(/line 3|row 2/i);
  await expect(ds.items).toHaveCount(before);
});

test('k sweep: one run per k, elbow / silhouette / CH against k', async () => {
  await shell.go('new-run');
  const form = new NewRunPage(page);
  await form.fill({ dataset: /blobs/, algorithm: 'kmeans', silhouette: 'exact', sweepKs: '2-6' });
  await expect(page.getByTestId('start-run')).toHaveText('Start sweep (5 runs)');
  await form.start();
  await expect(page.getByTestId('sweeps-view')).toBeVisible();
  await expect(page.getByText('5 of 5 runs done')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByRole('img', { name: 'k sweep charts' })).toBeVisible();
  await expect(page.getByTestId('mark-silhouette')).toHaveText('Silhouette: best k=3');
  await shell.screenshot('12a-sweeps-blobs');
});

test('k sweep on MNIST (mini-batch, sampled silhouette)', async () => {
  await shell.go('new-run');
  const form = new NewRunPage(page);
  await form.fill({ dataset: /MNIST/i, algorithm: 'minibatch', silhouette: 'sample', sampleSize: 2000, sweepKs: '2-8' });
  await expect(page.getByTestId('start-run')).toHaveText('Start sweep (7 runs)');
  await form.start();
  await expect(page.getByTestId('sweeps-view')).toBeVisible();
  await expect(page.getByTestId('sweep-item')).toHaveCount(2);
  await expect(page.getByText('7 of 7 runs done')).toBeVisible({ timeout: 180_000 });
  await expect(page.getByTestId('mark-silhouette')).toHaveText(/^Silhouette: best k=\d$/);
  await expect(page.getByTestId('mark-calinskiHarabasz')).toHaveText(/^Calinski–Harabasz: best k=\d$/);
  await expect(page.getByTestId('mark-inertia')).toHaveText(/^Inertia: elbow k=\d$/);
  await shell.screenshot('12-sweeps-mnist');
});

test('runs table: stop a done run\'s silhouette, rename and delete', async () => {
  await shell.go('new-run');
  const form = new NewRunPage(page);
  // exact silhouette on 70,000 rows takes seconds: the run is done (its result shown) while it is computed
  await form.fill({ dataset: /MNIST/i, algorithm: 'minibatch', k: 5, silhouette: 'exact', name: 'to-cancel' });
  await form.start();
  await expect(page.getByTestId('run-title')).toHaveText('to-cancel'); // Start run opens the new run
  await expect(page.getByTestId('silhouette-status')).toBeVisible({ timeout: 60_000 });
  await expect(shell.jobQueue).toContainText('silhouette');
  await shell.screenshot('13a-run-silhouette-computing');
  await shell.go('runs');
  const runs = new RunsPage(page);
  await expect(runs.row('to-cancel').getByTestId('run-status')).toHaveText('done');
  await expect(runs.row('to-cancel').getByTestId('run-cancel')).toHaveText('Stop silhouette');
  // cancel stops only the silhouette: the run stays done, its silhouette says it was not computed
  await runs.cancel('to-cancel');
  await expect(runs.row('to-cancel')).toContainText('not computed');
  await expect(runs.row('to-cancel').getByTestId('run-status')).toHaveText('done');
  await expect(shell.jobQueue).toContainText('No jobs running');
  await runs.rename('to-cancel', 'cancelled-run');
  await shell.screenshot('13-runs-cancelled');
  await runs.remove('cancelled-run');
  // the other runs are untouched
  await expect(runs.row('mnist-mb-seed0').getByTestId('run-status')).toHaveText('done');
});

test('no errors in the page console', async () => {
  expect(errors).toEqual([]);
});
