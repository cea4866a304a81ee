/**
 * Browser-mode uploads in Chromium against the real server: a dropped file of 12 MB is uploaded as a binary body
 * (upload throughput held at 2 MB/s through the DevTools protocol, so the progress can be seen), its progress shows
 * in the Datasets list, and the import completes. A second drop is cancelled from the keyboard while uploading:
 * nothing is added. Screenshots at 1440 and 1024 px, light and dark, in e2e/artifacts/.
 */
/// <reference lib="dom" />
import { expect, test, type BrowserContext, type CDPSession, type Page } from '@playwright/test';
import { AppShell } from './pages/app-shell';
import { openAppSession } from './fixtures/app-session';
import { DatasetsPage } from './pages/datasets-page';

test.describe.configure({ mode: 'serial' });

let page: Page;
let shell: AppShell;
let cdp: CDPSession;
let errors: string[] = [];

const HEADER = 'a,b,c,d\n';
const LINE = '0.25,1.5,2.75,3.125\n';
/** 12 MB of CSV. */
const ROWS = 600_000;

async function throttleUploads(bytesPerSecond: number): Promise<void> {
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSecond });
}

test.beforeAll(async ({ browser }) => {
  let context: BrowserContext;
  ({ context, page, shell, errors } = await openAppSession(browser));
  cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
});

test.afterAll(async () => {
  await page?.context().close();
});

test('a dropped file uploads with progress, then is imported', async () => {
  const ds = new DatasetsPage(page);
  await throttleUploads(2_000_000);
  await shell.dropGeneratedText('wide-upload.csv', HEADER, LINE, ROWS);
  const entry = ds.importProgress.filter({ hasText: 'wide-upload.csv' });
  await expect(entry).toHaveAttribute('data-phase', 'upload');
  const bar = entry.getByRole('progressbar');
  await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
  expect(Number(await bar.getAttribute('aria-valuenow'))).toBeLessThan(100);
  await expect(entry.getByTestId('import-phase')).toHaveText(/^Uploading \d+ %$/);
  await shell.screenshotsAcross('uploads-progress');
  await throttleUploads(-1);
  await expect(entry).toHaveCount(0, { timeout: 60_000 });
  await expect(ds.title).toHaveText('wide-upload');
  await expect(ds.item('wide-upload')).toContainText(/600,000/);
  expect(errors).toEqual([]);
});

test('an upload is cancelled from the keyboard: nothing is added', async () => {
  const ds = new DatasetsPage(page);
  const before = await ds.items.count();
  await throttleUploads(1_000_000);
  await shell.dropGeneratedText('cancel-me.csv', HEADER, LINE.replace('0.25', '9.5'), ROWS);
  const entry = ds.importProgress.filter({ hasText: 'cancel-me.csv' });
  await expect(entry).toHaveAttribute('data-phase', 'upload');
  const cancel = entry.getByRole('button', { name: 'Cancel the import of cancel-me.csv' });
  await cancel.focus();
  await page.keyboard.press('Enter');
  await expect(entry).toHaveCount(0);
  await expect(page.getByText('Import cancelled: cancel-me.csv')).toBeVisible();
  await throttleUploads(-1);
  await expect(ds.items).toHaveCount(before);
  expect(errors).toEqual([]);
});
