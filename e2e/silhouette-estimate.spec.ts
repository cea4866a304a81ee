/**
 * An exact silhouette on MNIST (70,000 rows, seconds of work): while the exact pass runs, the run page says that
 * the value shown is an estimate (± its 95 % interval, from n of 70,000 rows), first from 128 rows, then from the
 * pass's finished rows, more of them, the interval no wider; once saved, the silhouette card says the value is
 * exact, on all 70,000 samples. Screenshots of the refined estimate (with its plot) at 1440 and 1024 px, light and
 * dark, go to e2e/artifacts/silhouette-estimate-*.png.
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

test('exact silhouette: an "estimate" with its interval that refines while the exact pass runs, then the exact value', async () => {
  test.setTimeout(300_000);
  await shell.go('new-run');
  const form = new NewRunPage(page);
  await form.fill({ dataset: /MNIST/i, algorithm: 'minibatch', k: 10, seed: 0, silhouette: 'exact', name: 'mnist-exact' });
  // every "n of 70,000 rows" the page shows, in order: the first estimate can be replaced by the exact pass's within
  // a frame or two, quicker than an assertion polls
  await recordRowsShown(page);
  await form.start();
  await expect(page.getByTestId('run-title')).toHaveText('mnist-exact');
  const run = new RunPage(page);
  await expect(run.silhouetteEstimate).toBeVisible({ timeout: 120_000 });
  await expect(run.silhouetteEstimate.getByTestId('silhouette-state')).toHaveText('estimate');
  await expect(run.silhouetteEstimate).toContainText(/Silhouette ≈ -?\d\.\d+ ± \d\.\d+/);
  await expect.poll(() => rowsSeen(page)).not.toEqual([]);
  expect((await rowsSeen(page))[0]).toBe('128 of 70,000 rows');
  // the run is done (its result shown) while the estimate stands
  await run.expectDone();
  // then the exact pass's own estimate, from more of the rows, still said to be an estimate, with a narrower interval
  const first = await intervalShown(run);
  await expect
    .poll(async () => {
      const r = rowsShown(await run.silhouetteEstimateRows.textContent({ timeout: 1000 }).catch(() => null));
      return r !== null && r > 128 && r < 70_000;
    }, { timeout: 240_000, intervals: [200] })
    .toBe(true);
  await expect(run.silhouetteEstimate.getByTestId('silhouette-state')).toHaveText('estimate');
  await expect(page.getByRole('img', { name: /running silhouette estimate/ })).toBeVisible();
  await shell.screenshotsAcross('silhouette-estimate', { scrollTo: page.getByRole('img', { name: /running silhouette estimate/ }) });
  // its interval narrows as the pass goes on (to 0 once exact)
  expect(first).not.toBeNull();
  await expect
    .poll(async () => {
      const w = await intervalShown(run);
      return w !== null && w < first!;
    }, { timeout: 240_000, intervals: [200] })
    .toBe(true);
  // the rows behind the estimates shown only grow (one pass, in order)
  const counts = (await rowsSeen(page)).map(rowsShown);
  expect(counts.every((r, i) => r !== null && (i === 0 || r > counts[i - 1]!))).toBe(true);
  // the exact value replaces it when it is saved
  await expect(run.silhouetteNote).toHaveText(/Exact, on all 70,000 samples/, { timeout: 240_000 });
  await expect(run.silhouetteEstimate).toHaveCount(0);
  expect(errors).toEqual([]);
});

/** From now on, the page keeps each text its silhouette-estimate-rows element shows, in order (window.__rowsSeen). */
async function recordRowsShown(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __rowsSeen: string[] }).__rowsSeen = seen;
    const note = () => {
      const text = document.querySelector('[data-testid="silhouette-estimate-rows"]')?.textContent?.trim();
      if (text && text !== seen[seen.length - 1]) seen.push(text);
    };
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

async function rowsSeen(page: Page): Promise<string[]> {
  return page.evaluate(() => [...((window as unknown as { __rowsSeen?: string[] }).__rowsSeen ?? [])]);
}

/** The rows of "21,504 of 70,000 rows", or null. */
function rowsShown(text: string | null): number | null {
  const m = /^([\d,]+) of 70,000 rows$/.exec(text?.trim() ?? '');
  return m ? Number(m[1].replace(/,/g, '')) : null;
}

/** The half-width of the interval shown ("≈ 0.051 ± 0.002"), 0 when the value shown is exact, null when none is shown. */
async function intervalShown(run: RunPage): Promise<number | null> {
  const text = await run.silhouetteEstimate.getByTestId('silhouette-estimate-value').textContent({ timeout: 1000 }).catch(() => null);
  if (text === null) return null;
  const m = /± (\d\.\d+)/.exec(text);
  return m ? Number(m[1]) : 0;
}
