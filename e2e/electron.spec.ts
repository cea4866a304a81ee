/**
 * The desktop app itself, in the `electron` project (playwright.config.ts), which also runs the whole browser
 * journey of app.spec.ts in the Electron window: launch → MNIST → runs with progress → run page → compare → drops →
 * sweeps → cancel. This file adds what only the desktop host has: the preload's `window.api` and no Node in the page,
 * and the CSP at work (the window's options themselves are checked in test/desktop/electron-main.test.ts). Without the Electron binary (`ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm install`)
 * everything in the project skips with a message saying how to run it.
 */
/// <reference lib="dom" />
import { expect, test, type Page } from '@playwright/test';
import { REQUEST_NAMES } from '../src-shared/api';
import { launchElectron } from './fixtures/app-host';

test.describe.configure({ mode: 'serial' });

let page: Page;
let close: (() => Promise<void>) | undefined;

test.beforeAll(async () => {
  ({ page, close } = await launchElectron());
});

test.afterAll(async () => {
  await close?.();
});

test('the page sees exactly the contract as window.api, and no Node', async () => {
  const seen = await page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    return { api: Object.keys(w.api as object).sort(), require: typeof w.require, process: typeof w.process, ipcRenderer: typeof w.ipcRenderer };
  });
  expect(seen).toEqual({ api: [...REQUEST_NAMES, 'on'].sort(), require: 'undefined', process: 'undefined', ipcRenderer: 'undefined' });
  const info = await page.evaluate(() => (window as unknown as { api: { 'app/info'(r: object): Promise<{ ok: boolean; data: { host: string } }> } }).api['app/info']({}));
  expect(info).toMatchObject({ ok: true, data: { host: 'electron' } });
});

test('the CSP stops inline scripts', async () => {
  const ran = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__kxInline = true';
    document.head.append(s);
    return (window as unknown as { __kxInline?: boolean }).__kxInline === true;
  });
  expect(ran).toBe(false);
});
