import { describe, expect, it } from 'vitest';
import { cssRgb, PALETTE_VARS, RAMP_VARS, THEME_VARS, themeFromVars } from '../../src-renderer/charts/theme';
import { confusionOption } from '../../src-renderer/charts/confusion';
import { cssTheme, schemeVars } from '../helpers/chart-theme';

describe('chart theme from the stylesheet', () => {
  it('styles.css declares every property the charts read, in both schemes, as colours', () => {
    for (const scheme of ['light', 'dark'] as const) {
      const vars = schemeVars(scheme);
      for (const name of [...Object.values(THEME_VARS), ...PALETTE_VARS, ...RAMP_VARS]) expect(vars.has(name), `${scheme} ${name}`).toBe(true);
      const t = cssTheme(scheme);
      for (const c of [t.text, t.textMuted, t.border, t.surface, t.accent, t.danger, t.rampInk, ...t.palette, ...t.ramp]) expect(cssRgb(c), `${scheme} ${c}`).not.toBeNull();
      expect(new Set(t.palette).size).toBe(PALETTE_VARS.length);
    }
  });
  it('the dark scheme overrides the colours, not the font', () => {
    const light = cssTheme('light');
    const dark = cssTheme('dark');
    expect(dark.text).not.toBe(light.text);
    expect(dark.surface).not.toBe(light.surface);
    expect(dark.ramp[0]).toBe(dark.surface);
    expect(dark.font).toBe(light.font);
  });
  it('a property changed in the stylesheet reaches an option builder', () => {
    const vars = schemeVars('light');
    vars.set('--ramp-ink', '#123456');
    vars.set('--text', '#654321');
    const t = themeFromVars((n) => vars.get(n) ?? '');
    const o = confusionOption({ counts: [[100, 0], [0, 1]], rowNames: ['a', 'b'], colNames: ['x', 'y'], rowAxisName: 'r', colAxisName: 'c' }, t) as {
      series: { data: { label: { color: string } }[] }[];
    };
    const colors = o.series[0]!.data.map((d) => d.label.color);
    expect(colors).toContain('#123456');
    expect(colors).toContain('#654321');
  });
  it('a missing property is named', () => {
    const vars = schemeVars('light');
    vars.delete('--chart-7');
    expect(() => themeFromVars((n) => vars.get(n) ?? '')).toThrow('--chart-7');
  });
  it('parses the colour forms getComputedStyle gives', () => {
    expect(cssRgb('#fff')).toEqual([255, 255, 255]);
    expect(cssRgb(' #10141a ')).toEqual([16, 20, 26]);
    expect(cssRgb('rgb(1, 2, 3)')).toEqual([1, 2, 3]);
    expect(cssRgb('tomato')).toBeNull();
  });
});
