/**
 * The Map card in Chromium against the real browser-mode server: MNIST (70,000 points: hover shows the digit,
 * a brushed box lists the selected digits with their label breakdown, pan/zoom frame rate measured and printed),
 * a CSV with a header (hover shows the values under their column names, a group selection), and a run's map
 * coloured by cluster with its centers. Screenshots at 1440 and 1024 px, light and dark, go to e2e/artifacts/.
 */
import { expect, test, type Page } from '@playwright/test';
import { AppShell } from './pages/app-shell';
import { openAppSession } from './fixtures/app-session';
import { DatasetsPage } from './pages/datasets-page';
import { MapCard } from './pages/map-card';
import { NewRunPage } from './pages/new-run-page';
import { RunsPage } from './pages/runs-page';
import { RunPage } from './pages/run-page';
import { measurementsCsv } from './fixtures/files';

test.describe.configure({ mode: 'serial' });

let page: Page;
let shell: AppShell;
let errors: string[] = [];

test.beforeAll(async ({ browser }) => {
  ({ page, shell, errors } = await openAppSession(browser));
});

test.afterAll(async () => {
  await page?.context().close();
});

/** Screenshots of a card at 1440 and 1024 px wide, light and dark. */
async function shots(name: string, map: Pick<MapCard, 'card'>): Promise<void> {
  for (const width of [1440, 1024]) {
    // tall enough for a whole card: the content scrolls inside the page, so an element screenshot shows only what is in view
    await page.setViewportSize({ width, height: 1600 });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await map.card.scrollIntoViewIfNeeded();
      await shell.screenshot(`map-${name}-${width}-${scheme}`, { locator: map.card });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1440, height: 900 });
}

test('MNIST map: 70,000 points, hover shows the digit, a box selects digits with their label breakdown', async () => {
  const ds = new DatasetsPage(page);
  await ds.select(/MNIST/i);
  const map = new MapCard(page);
  await map.expectPoints(70000, 180_000);
  await expect(map.card).toContainText('PCA of all 70,000 rows');

  const row = await map.hoverSomePoint();
  expect(row).toBeGreaterThanOrEqual(0);
  expect(row).toBeLessThan(70000);
  const thumb = map.sample.getByTestId('map-thumbnail');
  await expect(thumb).toBeVisible();
  const size = await thumb.evaluate((c: HTMLCanvasElement) => [c.width, c.height]);
  expect(size).toEqual([28, 28]);
  await expect(map.sample).toContainText(/label \d/);

  // clicking the point opens that sample and keeps it; hovering elsewhere does not replace it until unpinned
  await map.clickHovered();
  await expect(map.card.getByTestId('map-unpin')).toBeVisible();
  const pinnedRow = String(row);
  await expect(map.sample).toHaveAttribute('data-row', pinnedRow);

  await map.brush(0.35, 0.35, 0.6, 0.6);
  const count = await map.selectionCount();
  expect(count).toBeGreaterThan(10);
  expect(count).toBeLessThan(70000);
  // the breakdown's total equals the selection, and the first selected digits are drawn
  await expect(map.breakdown.locator('tbody tr').first()).toContainText(count.toLocaleString('en-US'));
  await expect(map.card.getByTestId('map-selection-grid').getByTestId('sample-image')).toHaveCount(Math.min(48, count));
  await expect(map.sample).toHaveAttribute('data-row', pinnedRow);
  await shots('mnist', map);

  await map.card.getByTestId('map-clear').click();
  await expect(map.selection).toHaveCount(0);
  await map.card.getByTestId('map-brush').click(); // back to pan mode
  const fps = await map.panZoomFps(3000);
  console.log(
    `MNIST map, 70,000 points, ${fps.seconds.toFixed(2)} s of wheel zoom and drag pan (${fps.steps} input steps, ${fps.inputs} input events, ${fps.inputFps.toFixed(1)} per second): ${fps.frames} animation frames ` +
      `(${fps.fps.toFixed(1)} per second), ${fps.repaints} repaints of the point layer (${fps.repaintFps.toFixed(1)} per second), ` +
      `one frame of the layer drawn in ${fps.medianDrawMs.toFixed(1)} ms (median)`,
  );
  test.info().annotations.push({ type: 'fps', description: `${fps.fps.toFixed(1)} frames/s, ${fps.repaintFps.toFixed(1)} map repaints/s` });
  // functional, not a rate: every wheel notch and every drag repainted the layer and changed the view it shows
  expect(fps.steps).toBeGreaterThan(4);
  expect(fps.stepsRepainted).toBe(fps.steps);
  expect(fps.stepsMoved).toBe(fps.steps);
});

test('MNIST map: keyboard pan and zoom, zoom buttons and reset', async () => {
  const map = new MapCard(page);
  const view = () => map.chart.getByTestId('point-map-canvas').getAttribute('data-view');
  await map.card.getByTestId('map-reset').click();
  // the layer draws on the next animation frame
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const fitted = await view();
  await map.chart.focus();
  await page.keyboard.press('+');
  await expect.poll(view).not.toBe(fitted);
  const zoomed = await view();
  await page.keyboard.press('ArrowLeft');
  await expect.poll(view).not.toBe(zoomed);
  // panning keeps the scale (the third number)
  expect((await view())!.split(',')[2]).toBe(zoomed!.split(',')[2]);
  await page.keyboard.press('0');
  await expect.poll(view).toBe(fitted);
  await map.card.getByTestId('map-zoom-in').click();
  await expect.poll(view).toBe(zoomed);
  await map.card.getByTestId('map-reset').click();
  await expect.poll(view).toBe(fitted);
  // Escape clears a selection
  await map.card.getByTestId('map-group').selectOption({ index: 1 });
  await map.selectionCount();
  await map.chart.focus();
  await page.keyboard.press('Escape');
  await expect(map.selection).toHaveCount(0);
});

test('MNIST map from the database cache: after a reload of the page it is drawn again (times printed)', async () => {
  const t0 = Date.now();
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  const map = new MapCard(page);
  await map.expectPoints(70000, 30_000);
  const canvas = map.chart.getByTestId('point-map-canvas');
  await expect(canvas).toHaveAttribute('data-first-drawn', /\d/);
  await expect(map.card).toContainText('PCA of all 70,000 rows');
  // the layer drew points: some pixels of its canvas are not transparent
  expect(await canvas.evaluate((c: HTMLCanvasElement) => c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 === 3 && v > 0))).toBe(true);
  // every time in ms since the reload started the navigation (performance.timeOrigin)
  const t = await canvas.evaluate((c: HTMLCanvasElement) => {
    const at = (prefix: string): number => performance.getEntriesByType('mark').find((m) => m.name.startsWith(prefix))?.startTime ?? NaN;
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    return { origin: performance.timeOrigin, loaded: nav?.domContentLoadedEventEnd ?? NaN, request: at('map-request'), reply: at('map-reply'), drawn: Number(c.dataset.firstDrawn) };
  });
  console.log(
    `MNIST map from the database cache: first frame ${(t.origin + t.drawn - t0).toFixed(0)} ms after page.reload() was called; after the navigation started: page script loaded ${t.loaded.toFixed(0)} ms, map requested ${t.request.toFixed(0)} ms, ` +
      `reply received and decoded ${t.reply.toFixed(0)} ms (${(t.reply - t.request).toFixed(0)} ms on the wire), first frame drawn ${t.drawn.toFixed(0)} ms ` +
      `(${(t.drawn - t.reply).toFixed(0)} ms after the reply)`,
  );
  expect(t.drawn).toBeGreaterThan(t.reply);
});

test('CSV map: hover shows the values under their column names; a group is selected from the keyboard', async () => {
  const ds = new DatasetsPage(page);
  await shell.go('datasets');
  const before = await ds.items.count();
  await shell.dropFiles([{ name: 'flowers.csv', bytes: measurementsCsv(40) }]);
  await expect(ds.items).toHaveCount(before + 1);
  await expect(ds.title).toHaveText(/flowers/);
  await expect(page.getByTestId('sample-table')).toContainText('petal length');
  const map = new MapCard(page);
  await map.expectPoints(120);
  await map.hoverSomePoint();
  const values = map.sample.getByTestId('map-values');
  await expect(values).toContainText('sepal length');
  await expect(values).toContainText('petal width');
  await expect(map.sample).toContainText(/label (setosa|versicolor|virginica)/);

  const group = map.card.getByTestId('map-group');
  await group.focus();
  await group.selectOption({ label: 'label versicolor' });
  expect(await map.selectionCount()).toBe(40);
  await expect(map.breakdown).toContainText('versicolor');
  await expect(map.card.getByTestId('map-selection-table')).toContainText('petal length');
  await shots('csv', map);

  // the UMAP map of the same rows, computed in a worker with progress per epoch
  await map.card.getByTestId('map-method-umap').check();
  await expect(map.card).toContainText('UMAP of all 120 rows (seed 0)', { timeout: 60_000 });
  await expect(map.card).toHaveAttribute('data-points', '120');
  await expect(map.chart).toBeVisible();
  await shots('csv-umap', map);
  await map.card.getByTestId('map-method-pca').check();
  await expect(map.card).toContainText('PCA of all 120 rows');
});

test('run map: coloured by cluster with the centers marked; a box or lasso selection breaks down cluster × label', async () => {
  await page.getByTestId('cluster-dataset').click();
  const form = new NewRunPage(page);
  await form.fill({ algorithm: 'kmeans', k: 3, silhouette: 'exact', name: 'flowers-k3' });
  await form.start();
  // Start run opens the new run
  await expect(page.getByTestId('run-title')).toHaveText('flowers-k3');
  await new RunPage(page).expectDone();
  const map = new MapCard(page);
  await map.expectPoints(120);
  await expect(map.card).toContainText('cluster centers');
  await expect(map.card.getByTestId('map-color-cluster')).toBeChecked();
  await map.brush(0.02, 0.02, 0.98, 0.98);
  const count = await map.selectionCount();
  // nearly every point (the box stops just inside the axes)
  expect(count).toBeGreaterThan(100);
  // three clusters and the total row, which adds up to the selection
  await expect(map.breakdown.locator('tbody tr')).toHaveCount(4);
  await expect(map.breakdown.locator('tbody tr').last()).toContainText(String(count));
  // a lasso around the same rectangle selects the same points; one around the left half fewer
  await map.lasso([[0.02, 0.02], [0.98, 0.02], [0.98, 0.98], [0.02, 0.98]]);
  await expect(map.selection).toHaveAttribute('data-count', String(count));
  await map.lasso([[0.02, 0.02], [0.5, 0.02], [0.5, 0.98], [0.02, 0.98]]);
  await expect(map.selection).not.toHaveAttribute('data-count', String(count));
  const half = await map.selectionCount();
  expect(half).toBeGreaterThan(0);
  expect(half).toBeLessThan(count);
  await map.card.getByTestId('map-shape-box').check();
  await map.card.getByTestId('map-color-label').check();
  await expect(map.selection).toHaveCount(0);
  await map.card.getByTestId('map-color-cluster').check();
  await shots('run', map);

  // data that is not images: cluster profiles under the column names, members as rows of values
  const profiles = page.getByTestId('cluster-profiles');
  await expect(profiles.getByTestId('profile-table')).toContainText('petal length');
  await expect(profiles.getByTestId('profile-table').locator('tbody tr')).toHaveCount(4);
  await expect(profiles.getByTestId('profile-table')).toContainText('±');
  const nearest = page.getByTestId('members-nearest-table');
  await expect(nearest).toContainText('sepal width');
  await expect(nearest.locator('tbody tr')).toHaveCount(14);
  await shots('run-profiles', { card: profiles });
  await shots('run-members', { card: page.getByTestId('members') });
});

test('compare: the two runs\' maps side by side; a group or a box selected in one is selected in the other', async () => {
  await page.getByTestId('nav-datasets').click();
  await new DatasetsPage(page).select(/flowers/);
  await page.getByTestId('cluster-dataset').click();
  const form = new NewRunPage(page);
  await form.fill({ algorithm: 'kmeans', k: 2, silhouette: 'none', name: 'flowers-k2' });
  await form.start();
  await expect(page.getByTestId('run-title')).toHaveText('flowers-k2');
  await new RunPage(page).expectDone();
  await shell.go('runs');
  const runs = new RunsPage(page);
  await runs.waitDone('flowers-k2', 60_000);
  await runs.compare(['flowers-k3', 'flowers-k2']);
  const a = new MapCard(page, page.getByTestId('compare-map-a'));
  const b = new MapCard(page, page.getByTestId('compare-map-b'));
  await a.expectPoints(120);
  await b.expectPoints(120);
  // a whole group picked on the left shows on the right
  await a.card.getByTestId('map-group').selectOption({ label: 'cluster #1' });
  const group = await a.selectionCount();
  expect(await b.selectionCount()).toBe(group);
  // and a group picked on the right shows on the left, broken down by the left run's clusters
  await b.card.getByTestId('map-group').selectOption({ label: 'cluster #0' });
  const other = await b.selectionCount();
  await expect(a.selection).toHaveAttribute('data-count', String(other));
  await expect(b.breakdown.locator('tbody tr')).toHaveCount(1);
  // a box dragged on the left selects there and shows on the right (both cleared first, so only the box can select)
  await a.card.getByTestId('map-clear').click();
  await expect(a.selection).toBeHidden();
  await expect(b.selection).toBeHidden();
  await a.brush(0.02, 0.02, 0.98, 0.98);
  const boxed = await a.selectionCount();
  expect(boxed).toBeGreaterThan(0);
  await expect(b.selection).toHaveAttribute('data-count', String(boxed));
  await a.card.getByTestId('map-brush').click(); // back to pan mode
  // and one dragged on the right (a smaller box) shows on the left
  await b.card.getByTestId('map-clear').click();
  await expect(a.selection).toBeHidden();
  await b.brush(0.02, 0.02, 0.6, 0.98);
  const boxedRight = await b.selectionCount();
  await expect(a.selection).toHaveAttribute('data-count', String(boxedRight));
  await b.card.getByTestId('map-brush').click();
  await shots('compare', { card: page.getByTestId('compare-maps') });
});

test('no errors in the page console', async () => {
  expect(errors).toEqual([]);
});
