/**
 * End-to-end tests in Debian's Chromium against browser mode (`kmeans-explorer serve`), started by the global
 * setup on a fresh data directory (project `browser`); project `electron` runs the same journey (app.spec.ts) and
 * electron.spec.ts in the Electron window, and skips, saying how to run it, when the Electron binary is absent.
 * Run after `npm run build`. Screenshots of every screen go to e2e/artifacts/ (gitignored).
 */
import { defineConfig } from '@playwright/test';
import { chromiumPath } from './fixtures/chromium';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  timeout: 240_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: '../test-results',
  globalSetup: './fixtures/global-setup.ts',
  projects: [
    { name: 'browser', testIgnore: 'electron.spec.ts', metadata: { host: 'browser' } },
    { name: 'electron', testMatch: ['app.spec.ts', 'electron.spec.ts'], metadata: { host: 'electron' } },
  ],
  use: {
    viewport: { width: 1280, height: 800 },
    headless: true,
    screenshot: 'only-on-failure',
    trace: 'off',
    acceptDownloads: true,
    launchOptions: {
      executablePath: chromiumPath(),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
});
