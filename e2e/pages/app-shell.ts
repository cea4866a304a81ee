/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/** The window: sidebar navigation, top bar (job queue), drop target, screenshots. */
import { expect, type Locator, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ARTIFACTS = resolve(__dirname, '..', 'artifacts');

export type Screen = 'datasets' | 'new-run' | 'runs' | 'compare' | 'sweeps';

export class AppShell {
  readonly jobQueue: Locator;
  /** `screenshotPrefix` keeps one host's screenshots apart from the other's (e.g. 'electron-'). */
  constructor(
    readonly page: Page,
    private readonly screenshotPrefix = '',
  ) {
    this.jobQueue = page.getByTestId('job-queue');
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await expect(this.page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  }

  /** Opens the app at one of its URLs (`/runs/12`, `/compare?runs=3,5`): the served address with that hash, loaded anew. */
  async openAt(base: string, path: string): Promise<void> {
    await this.open(`${base.replace(/#.*$/, '')}#${path}`);
  }

  /** The app's URL inside the window, e.g. `/runs/12`. */
  path(): string {
    return new URL(this.page.url()).hash.replace(/^#/, '');
  }

  /** The sidebar item marked as the current screen. */
  current(): Locator {
    return this.page.getByRole('navigation', { name: 'Main' }).locator('[aria-current="page"]');
  }

  async go(screen: Screen): Promise<void> {
    await this.page.getByTestId(`nav-${screen}`).click();
  }

  /**
   * Starts recording what the top bar's progress bar shows (a fast run may finish between two polls):
   * the returned function gives whether a bar appeared and the highest percentage it showed.
   */
  async watchProgress(): Promise<() => Promise<{ seen: boolean; max: number; values: number }>> {
    await this.page.evaluate(() => {
      const rec: { seen: boolean; max: number; values: Set<number> } = { seen: false, max: -1, values: new Set<number>() };
      (window as unknown as { __kxProgress: typeof rec }).__kxProgress = rec;
      const look = (): void => {
        for (const bar of document.querySelectorAll('[data-testid="job-queue"] [role="progressbar"]')) {
          rec.seen = true;
          const v = Number(bar.getAttribute('aria-valuenow') ?? NaN);
          if (Number.isFinite(v)) {
            rec.values.add(v);
            rec.max = Math.max(rec.max, v);
          }
        }
      };
      new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
    });
    return () =>
      this.page.evaluate(() => {
        const r = (window as unknown as { __kxProgress: { seen: boolean; max: number; values: Set<number> } }).__kxProgress;
        return { seen: r.seen, max: r.max, values: r.values.size };
      });
  }

  /** A full-window PNG in e2e/artifacts/<name>.png (fullPage: the scrolled content too). */
  async screenshot(name: string, opts: { fullPage?: boolean; locator?: Locator } = {}): Promise<string> {
    mkdirSync(ARTIFACTS, { recursive: true });
    const path = join(ARTIFACTS, `${this.screenshotPrefix}${name}.png`);
    // Let ECharts finish drawing (animation is off, but layout runs on the next frames).
    await this.page.waitForTimeout(300);
    if (opts.locator) await opts.locator.screenshot({ path });
    else if (opts.fullPage) {
      // The content scrolls inside .page, not the document: grow the viewport to the content's height.
      const h = await this.page.evaluate(() => {
        const el = document.querySelector('.content .page') as HTMLElement | null;
        return el ? el.scrollHeight + 48 : 800;
      });
      const size = this.page.viewportSize()!;
      await this.page.setViewportSize({ width: size.width, height: Math.max(size.height, Math.min(h, 6000)) });
      await this.page.waitForTimeout(400);
      await this.page.screenshot({ path });
      await this.page.setViewportSize(size);
    } else await this.page.screenshot({ path });
    return path;
  }

  /**
   * Drops files onto the window the way a user does: dragenter, dragover and drop events carrying a DataTransfer
   * built in the page from the given bytes.
   */
  async dropFiles(files: { name: string; bytes: Uint8Array | string }[]): Promise<void> {
    await this.dispatchDrag(files, ['dragenter', 'dragover', 'drop']);
  }

  /**
   * Drops one text file made in the page (`header` + `line` × `count`): a file of many MB without carrying its
   * bytes from the test process.
   */
  async dropGeneratedText(name: string, header: string, line: string, count: number): Promise<void> {
    const dataTransfer = await this.page.evaluateHandle(
      ({ name, header, line, count }) => {
        const dt = new DataTransfer();
        dt.items.add(new File([header, line.repeat(count)], name, { type: 'text/csv' }));
        return dt;
      },
      { name, header, line, count },
    );
    for (const type of ['dragenter', 'dragover', 'drop']) await this.page.locator('body').dispatchEvent(type, { dataTransfer });
  }

  /** The same screen at 1440 and 1024 px wide, light and dark: `<name>-<width>-<scheme>.png`. */
  async screenshotsAcross(name: string, opts: { scrollTo?: Locator } = {}): Promise<void> {
    const size = this.page.viewportSize()!;
    for (const scheme of ['light', 'dark'] as const) {
      await this.page.emulateMedia({ colorScheme: scheme });
      for (const width of [1440, 1024]) {
        await this.page.setViewportSize({ width, height: 900 });
        await opts.scrollTo?.scrollIntoViewIfNeeded();
        await this.screenshot(`${name}-${width}-${scheme}`);
      }
    }
    await this.page.emulateMedia({ colorScheme: 'light' });
    await this.page.setViewportSize(size);
  }

  /** Drags files over the window without dropping (the drop overlay shows), then `leave()` takes them away. */
  async dragOver(files: { name: string; bytes: Uint8Array | string }[]): Promise<{ leave: () => Promise<void> }> {
    await this.dispatchDrag(files, ['dragenter', 'dragover']);
    return { leave: () => this.dispatchDrag(files, ['dragleave']) };
  }

  /** Drops files onto one element (e.g. a dataset's labeling target): the same events, dispatched at it, bubbling to the window. */
  async dropFilesOn(target: Locator, files: { name: string; bytes: Uint8Array | string }[]): Promise<void> {
    const dataTransfer = await this.dataTransfer(files);
    for (const type of ['dragenter', 'dragover', 'drop']) await target.dispatchEvent(type, { dataTransfer });
  }

  private async dispatchDrag(files: { name: string; bytes: Uint8Array | string }[], types: string[]): Promise<void> {
    const dataTransfer = await this.dataTransfer(files);
    for (const type of types) await this.page.locator('body').dispatchEvent(type, { dataTransfer });
  }

  /** A DataTransfer in the page holding the given files. */
  private async dataTransfer(files: { name: string; bytes: Uint8Array | string }[]) {
    const payload = files.map((f) => ({ name: f.name, b64: Buffer.from(typeof f.bytes === 'string' ? Buffer.from(f.bytes, 'utf8') : f.bytes).toString('base64') }));
    return this.page.evaluateHandle((list) => {
      const dt = new DataTransfer();
      for (const f of list) {
        const bin = atob(f.b64);
        const bytes = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
        dt.items.add(new File([bytes], f.name));
      }
      return dt;
    }, payload);
  }
}
