/**
 * A run is done as soon as its result is viewable; its silhouette follows. A default MNIST run (mini-batch,
 * sampled silhouette) shows its result with the silhouette card saying "computing…", then the value replaces it
 * (the texts the card showed are recorded in the page, so the short "computing…" is not missed). An exact run is
 * stopped during its silhouette from the run page: it stays done, its silhouette "not computed" with the reason.
 * Screenshots (1440 and 1024 px, light and dark) during the silhouette and after it landed.
 */
import { expect, test, type Page } from '@playwright/test';
import { openAppSession } from './fixtures/app-session';
import { AppShell } from './pages/app-shell';
import { NewRunPage } from './pages/new-run-page';
import { RunPage } from './pages/run-page';

let page: Page;
let shell: AppShell;
let errors: string[] = [];

test.beforeAll(async ({ browser }) => {
  ({ page, shell, errors } = await openAppSession(browser));
});

test.afterAll(async () => {
  await page?.context().close();
});

/** Records every text the silhouette metric card shows from now on (sampled at each animation frame). */
async function recordSilhouetteCard(): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { silhouetteTexts: string[] }).silhouetteTexts = seen;
    const tick = (): void => {
      const t = document.querySelector('[data-testid="metric-silhouette"] .value')?.textContent?.trim();
      if (t && seen.at(-1) !== t) seen.push(t);
      requestAnimationFrame(tick);
    };
    tick();
  });
}

test('a default run: the result first with the silhouette computing, then its value', async () => {
  test.setTimeout(180_000);
  await shell.go('new-run');
  const form = new NewRunPage(page);
  await form.fill({ dataset: /MNIST/i, algorithm: 'minibatch', k: 10, seed: 0, name: 'mnist-default' });
  await recordSilhouetteCard();
  await form.start();
  await expect(page.getByTestId('run-title')).toHaveText('mnist-default');
  const run = new RunPage(page);
  await run.expectDone();
  const card = page.getByTestId('metric-silhouette');
  await expect(card.locator('.value')).toHaveText(/^-?\d\.\d{3}$/, { timeout: 60_000 });
  await expect(card).toContainText('sampled, 10,000 pts');
  await expect(run.silhouetteNote).toHaveText(/Sampled: 10,000 of 70,000/);
  const texts = await page.evaluate(() => (window as unknown as { silhouetteTexts: string[] }).silhouetteTexts);
  // the card appeared with the result, said "computing…", and then showed the value (and nothing else)
  expect(texts[0]).toBe('computing…');
  expect(texts.slice(1)).toEqual([await card.locator('.value').textContent()]);
  await shell.screenshotsAcross('silhouette-after-done-final');
  await run.silhouette.scrollIntoViewIfNeeded();
  await shell.screenshotsAcross('silhouette-after-done-final-card');
  expect(errors).toEqual([]);
});

test('an exact run: done while its silhouette is computed; "Stop silhouette" leaves it done, not computed', async () => {
  test.setTimeout(180_000);
  await shell.go('new-run');
  const form = new NewRunPage(page);
  await form.fill({ dataset: /MNIST/i, algorithm: 'minibatch', k: 10, seed: 1, silhouette: 'exact', name: 'mnist-exact-stop' });
  await form.start();
  await expect(page.getByTestId('run-title')).toHaveText('mnist-exact-stop');
  const run = new RunPage(page);
  await run.expectDone();
  const status = page.getByTestId('silhouette-status');
  await expect(status).toBeVisible();
  await expect(page.getByTestId('metric-silhouette').locator('.value')).toHaveText(/^(computing…|≈ -?\d\.\d{3})$/);
  await expect(page.getByTestId('center-gallery')).toBeVisible(); // the result is there meanwhile
  await expect(shell.jobQueue).toContainText('mnist-exact-stop');
  await expect(shell.jobQueue).toContainText('silhouette');
  await status.scrollIntoViewIfNeeded();
  await shell.screenshotsAcross('silhouette-after-done-computing');
  await status.getByTestId('silhouette-stop').click();
  await expect(status.getByTestId('silhouette-state')).toHaveText('not computed');
  await expect(status).toContainText('cancelled before the silhouette was computed');
  await expect(page.getByTestId('metric-silhouette').locator('.value')).toHaveText('not computed');
  await expect(shell.jobQueue).toContainText('No jobs running');
  expect(errors).toEqual([]);
});
