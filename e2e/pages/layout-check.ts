/// <reference lib="dom" />
/** Checks on the rendered page that every text fits: nothing clipped, cut with an ellipsis, or pushed off screen. */
import type { Page } from '@playwright/test';

/**
 * Elements whose text does not fit their box: an element with its own text whose content is wider (or taller,
 * when it hides overflow) than its box, unless it scrolls (overflow auto / scroll); and elements reaching past
 * the right edge of the window. Each as "tag.class 'text…' (scroll × client)".
 */
export function textOverflows(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const vw = document.documentElement.clientWidth;
    const describe = (el: HTMLElement, why: string): string =>
      `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} ` +
      `"${(el.textContent ?? '').trim().slice(0, 40)}" ${why}`;
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      if (['SCRIPT', 'STYLE', 'OPTION', 'svg', 'CANVAS'].includes(el.tagName)) continue;
      if (el.closest('svg')) continue;
      const st = getComputedStyle(el);
      if (st.display === 'none' || st.visibility === 'hidden' || st.display === 'inline' || st.display === 'contents') continue;
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue;
      // positioned out of sight on purpose (screen-reader text)
      if (st.position === 'absolute' && rect.width <= 1) continue;
      const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
      const scrolls = ['auto', 'scroll'].includes(st.overflowX);
      if (own && !scrolls && el.scrollWidth > el.clientWidth + 1 && el.tagName !== 'INPUT' && el.tagName !== 'SELECT') {
        out.push(describe(el, `(width ${el.scrollWidth} > ${el.clientWidth})`));
      } else if (own && st.overflowY === 'hidden' && el.scrollHeight > el.clientHeight + 2) {
        out.push(describe(el, `(height ${el.scrollHeight} > ${el.clientHeight})`));
      }
      // past the window's right edge, unless inside something that scrolls sideways
      if (own && rect.right > vw + 1) {
        let p = el.parentElement;
        let inScroller = false;
        while (p) {
          if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) inScroller = true;
          p = p.parentElement;
        }
        if (!inScroller) out.push(describe(el, `(right edge ${Math.round(rect.right)} > window ${vw})`));
      }
    }
    return out;
  });
}

/** Whether a scrolling container must scroll sideways to show its content (e.g. a table wider than its card). */
export function scrollsSideways(page: Page, testid: string): Promise<boolean> {
  return page.getByTestId(testid).evaluate((el) => {
    const box = (el.closest('.table-card, .scroll') as HTMLElement | null) ?? (el as HTMLElement);
    return box.scrollWidth > box.clientWidth + 1;
  });
}
